/**
 * A PDF printer for the places without Electron (the web host, the server's command line): a headless Chromium
 * driven by playwright-core, started for each print and closed after it, printing a page with JavaScript off.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PdfPrinter } from './exports.ts';
import { PDF_MARGINS_CM } from './exports.ts';

/** Where Debian installs Chromium. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless Chromium that prints one local page: no sandbox (root in containers), no network chatter. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The Chromium to use: the given path, else PENHOLDER_CHROMIUM, else Debian's; null when none exists. */
export function findChromium(explicit?: string): string | null {
  const candidate = explicit ?? process.env['PENHOLDER_CHROMIUM'] ?? DEFAULT_CHROMIUM_PATH;
  return existsSync(candidate) ? candidate : null;
}

/** How long one print may take before Chromium is closed and the export fails with a sentence. */
export const PRINT_TIMEOUT_MS = 120_000;

/** How long Chromium may take to start. */
const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * A printer using the Chromium at `executablePath`. Each print launches it, opens the page from a private temporary
 * file with JavaScript disabled and every network request refused, prints A4 with the house margins, and closes it;
 * a print that takes longer than `timeoutMs` (once Chromium has started) is abandoned with a sentence.
 */
export function chromiumPdfPrinter(executablePath: string, timeoutMs = PRINT_TIMEOUT_MS): PdfPrinter {
  return async (html) => {
    // Loaded only when a PDF is asked for: playwright-core is a development dependency of the project.
    let chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new Error('PDF printing needs the playwright-core package, which is not installed here.');
    }
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'penholder-print-'));
    const file = path.join(dir, 'export.html');
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: LAUNCH_TIMEOUT_MS });
    // A Chromium that stops answering must not hold the export forever: closing it fails whatever is pending.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void browser.close().catch(() => undefined);
    }, timeoutMs);
    try {
      await fs.writeFile(file, html, { encoding: 'utf8', mode: 0o600 });
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const fileUrl = pathToFileURL(file).href;
      // The page is ours and self-contained: anything but the file itself is refused.
      await context.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
      const page = await context.newPage();
      await page.goto(fileUrl, { waitUntil: 'load' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: {
          top: `${PDF_MARGINS_CM.top}cm`,
          bottom: `${PDF_MARGINS_CM.bottom}cm`,
          left: `${PDF_MARGINS_CM.left}cm`,
          right: `${PDF_MARGINS_CM.right}cm`,
        },
      });
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } catch (error) {
      if (timedOut) throw new Error(`Chromium did not finish printing within ${Math.round(timeoutMs / 1000)} seconds.`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      await browser.close().catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}
