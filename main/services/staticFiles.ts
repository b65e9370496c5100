/**
 * Safe lookup of the built app's files for a requested URL path, shared by the web host and the desktop
 * shell's app protocol: whatever the request says, only regular files inside the root are ever served.
 */
import { realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

/** Content types of the files a Vite build produces; anything else is served as opaque bytes. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The content type for a file name. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A file found for a request: where it is and how to label it. */
export interface StaticFile {
  path: string;
  contentType: string;
  size: number;
}

/**
 * Maps the path part of a request URL (still percent-encoded, without query) to a file under `root`, or null.
 * Refused: undecodable escapes, NUL or backslash, any `..` segment (also when encoded), hidden dot-files,
 * and anything whose real path (after symlinks) leaves the root. `/` and folders mean their index.html.
 */
export function resolveStaticFile(root: string, rawPath: string): StaticFile | null {
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return null;
  if (decoded.endsWith('/') || segments.length === 0) segments.push('index.html');

  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return null;
  }
  let candidate = resolve(realRoot, ...segments);
  if (!isInside(realRoot, candidate)) return null;
  try {
    candidate = realpathSync(candidate);
    if (!isInside(realRoot, candidate)) return null;
    let stats = statSync(candidate);
    if (stats.isDirectory()) {
      candidate = realpathSync(resolve(candidate, 'index.html'));
      if (!isInside(realRoot, candidate)) return null;
      stats = statSync(candidate);
    }
    if (!stats.isFile()) return null;
    return { path: candidate, contentType: contentTypeFor(candidate), size: stats.size };
  } catch {
    return null;
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}
