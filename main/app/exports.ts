/**
 * The desktop side of exports: PDF printed by a hidden, sandboxed window with JavaScript off (printToPDF), and the
 * save dialog that writes an export where the person chooses.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import type { ExportFormat } from '../../shared/export/build.ts';
import { PDF_MARGINS_CM, SAVE_FILTERS, suggestedFileName, withExtension, writeFileAtomic, type PdfPrinter } from '../services/exports.ts';

/** How long one print may take before its window is closed and the export fails with a sentence. */
const PRINT_TIMEOUT_MS = 120_000;

/** The session the print windows use: their own, so no cookie, cache or permission of the app reaches them. */
const PRINT_PARTITION = 'penholder-print';

const CM_PER_INCH = 2.54;

/**
 * The files being printed. What keeps anything else out of a print window is the page's own CSP (`default-src
 * 'none'`, images only as data:) and JavaScript being off: Electron's webRequest does not see file: or data: URLs
 * (electron/electron#22370, #45903), so the filter below refuses every network request (http, https, ws...) and
 * checks file: URLs against this list only should a later Electron start routing them through it.
 */
const printedFiles = new Set<string>();
let printSessionReady = false;

/** Whether a print window may load `url`: one of the files being printed (compared as paths, whatever the URL's escaping), or inline data. */
function mayLoadInPrint(url: string): boolean {
  if (url.startsWith('data:')) return true;
  try {
    return printedFiles.has(fileURLToPath(url));
  } catch {
    return false;
  }
}

function printSession(): Electron.Session {
  const printing = session.fromPartition(PRINT_PARTITION, { cache: false });
  if (!printSessionReady) {
    printing.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !mayLoadInPrint(details.url) }));
    printing.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    printing.setPermissionCheckHandler(() => false);
    printSessionReady = true;
  }
  return printing;
}

/**
 * A printer that loads the page from a private temporary file into a hidden window (sandboxed, JavaScript off,
 * every network request refused) and prints it A4 with the house margins. A file rather than a data: URL, because
 * Chromium refuses to navigate to a data: URL over 2 MB, which a long compilation passes.
 */
export function electronPdfPrinter(): PdfPrinter {
  return async (html) => {
    const dir = await fs.mkdtemp(path.join(app.getPath('temp'), 'penholder-print-'));
    const file = path.join(dir, 'export.html');
    await fs.writeFile(file, html, { encoding: 'utf8', mode: 0o600 });
    printedFiles.add(file);
    const window = new BrowserWindow({
      show: false,
      width: 794,
      height: 1123,
      webPreferences: {
        session: printSession(),
        sandbox: true,
        javascript: false,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
        devTools: false,
      },
    });
    // A page that never finishes loading or printing must not hold the export forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`The PDF did not finish printing within ${Math.round(PRINT_TIMEOUT_MS / 1000)} seconds.`)), PRINT_TIMEOUT_MS);
    });
    const print = async (): Promise<Uint8Array> => {
      await window.loadFile(file);
      const pdf = await window.webContents.printToPDF({
        pageSize: 'A4',
        printBackground: true,
        margins: {
          top: PDF_MARGINS_CM.top / CM_PER_INCH,
          bottom: PDF_MARGINS_CM.bottom / CM_PER_INCH,
          left: PDF_MARGINS_CM.left / CM_PER_INCH,
          right: PDF_MARGINS_CM.right / CM_PER_INCH,
        },
      });
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    };
    try {
      return await Promise.race([print(), timeout]);
    } finally {
      clearTimeout(timer);
      printedFiles.delete(file);
      if (!window.isDestroyed()) window.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    }
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The folder the last export went to, offered again next time. */
let lastExportDir: string | null = null;

/**
 * Shows the save dialog (suggested name, the format's filter) over the focused window and writes the file there
 * atomically; the path, or null when the person cancels.
 */
export async function saveExportWithDialog(fileName: string, format: ExportFormat, bytes: Uint8Array): Promise<string | null> {
  const suggested = suggestedFileName(fileName, format);
  const options: Electron.SaveDialogOptions = {
    title: 'Export',
    buttonLabel: 'Export',
    defaultPath: path.join(lastExportDir ?? app.getPath('documents'), suggested),
    filters: [SAVE_FILTERS[format]],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  // The window the person exported from; if they switched away during a long export, the app's visible window (a
  // print window is never shown), so the dialog stays attached to Penholder rather than floating free.
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows().find((window) => window.isVisible()) ?? null;
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  const target = withExtension(result.filePath, format);
  // The dialog asked before replacing the name as typed; with the extension added it may name another file.
  if (target !== result.filePath && (await exists(target))) {
    const message: Electron.MessageBoxOptions = {
      type: 'warning',
      buttons: ['Replace', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Export',
      message: `“${path.basename(target)}” already exists. Replace it?`,
      detail: `It is in ${path.dirname(target)}.`,
    };
    const choice = parent ? await dialog.showMessageBox(parent, message) : await dialog.showMessageBox(message);
    if (choice.response !== 0) return null;
  }
  writeFileAtomic(target, bytes);
  lastExportDir = path.dirname(target);
  return target;
}
