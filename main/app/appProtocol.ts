/**
 * The `penholder://app/` scheme that serves the built renderer, so the app's pages have a real, private
 * origin instead of file:// (which would let a page read any local file it can name).
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../services/csp.ts';
import { resolveStaticFile } from '../services/staticFiles.ts';

/** The scheme of the app's own pages. */
export const APP_SCHEME = 'penholder';

/** The host of the app's own pages: `penholder://app/index.html`. */
export const APP_HOST = 'app';

/** The page the window opens in a built app. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Declares the scheme a secure, standard origin; Electron requires this before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves files from the built renderer folder, with the CSP on every page. */
export function serveAppScheme(rendererDir: string): void {
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST && request.method === 'GET' ? resolveStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const headers: Record<string, string> = { 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff' };
    if (file.contentType.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
    return new Response(await readFile(file.path), { status: 200, headers });
  });
}

/** True for a URL of the app's own pages: the built scheme, or the dev server's origin under electron-vite dev. */
export function isAppUrl(raw: string, devServerUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (devServerUrl) return url.origin === new URL(devServerUrl).origin;
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}
