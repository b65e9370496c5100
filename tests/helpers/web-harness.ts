/**
 * End-to-end harness: a real web host (the same main services as the desktop app) on 127.0.0.1 port 0, over a real
 * workspace folder, and Debian Chromium driving the built web app (dist-web/).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { startWebHost } from '../../main/web/host.ts';
import { launchChromium } from './browser.ts';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built web app the host serves. */
export const webDist = join(repoRoot, 'dist-web');

type Host = Awaited<ReturnType<typeof startWebHost>>;

/** A running host and browser over one workspace; `restartHost` simulates quitting and starting the app again. */
export interface WebHarness {
  readonly workspaceDir: string;
  readonly browser: Browser;
  host: Host;
  restartHost(): Promise<Host>;
  close(): Promise<void>;
}

/** Starts a host over a fresh workspace and a headless Chromium. */
export async function startWebHarness(): Promise<WebHarness> {
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`No web build at ${webDist}: run 'npm run build:web' first (npm run test:e2e does).`);
  }
  const root = mkdtempSync(join(tmpdir(), 'penholder-e2e-'));
  const workspaceDir = join(root, 'workspace');
  const browser = await launchChromium();
  const harness: WebHarness = {
    workspaceDir,
    browser,
    host: await startWebHost({ workspaceDir, port: 0, staticDir: webDist }),
    async restartHost() {
      await harness.host.close();
      harness.host = await startWebHost({ workspaceDir, port: 0, staticDir: webDist });
      return harness.host;
    },
    async close() {
      await browser.close();
      await harness.host.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return harness;
}
