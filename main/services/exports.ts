/**
 * Exports of a local document: loads its Y.Docs as saved on disk (what the status bar calls "Saved"), builds the
 * file with shared/export/build.ts, prints a PDF through the shell's printer, and writes a chosen file atomically.
 * Plain Node, so the desktop app, the web host and the tests share it; the shells inject the printer.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import type { ExportedFile, ExportProgress } from '../../shared/ipc.ts';
import {
  buildExport,
  ExportError,
  FORMAT_NAMES,
  MIME_TYPES,
  safeFileName,
  type ExportDocs,
  type ExportFormat,
  type ExportRequest,
} from '../../shared/export/build.ts';
import { CHAIR_YDOC, TEXT_YDOC } from '../../shared/model/ydocs.ts';
import type { Workspace } from '../storage/index.ts';
import { ServiceError } from './errors.ts';

/** Turns a standalone HTML page into PDF bytes (A4, the house margins); each shell brings its own Chromium. */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;

/** Where an export reports how far it is. */
export type ExportProgressSink = (progress: Omit<ExportProgress, 'jobId'>) => void;

/** Options of {@link exportDocument}. */
export interface ExportDocumentOptions {
  /** Prints PDF; without one a PDF export is refused with a sentence saying so. */
  printPdf?: PdfPrinter;
  onProgress?: ExportProgressSink;
  /** The clock, for tests. */
  now?: Date;
}

/** One export as the renderer asks for it: the builder's request, and who a comparison's tracked changes are by. */
export interface ExportDocumentRequest extends ExportRequest {
  /**
   * The name the person gave (the "Recording as" field, or the signed-in account), for the tracked changes of a
   * comparison whose later side is the current text; a revision's side keeps whoever cut it. Default "Penholder".
   */
  author?: string;
}

/** The house margins of a printed page (the clean HTML's @page rule says the same). */
export const PDF_MARGINS_CM = { top: 2.5, bottom: 2.5, left: 2.2, right: 2.2 } as const;

/** What a save dialog offers for each format. */
export const SAVE_FILTERS: Readonly<Record<ExportFormat, { name: string; extensions: string[] }>> = {
  docx: { name: 'Word document', extensions: ['docx'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  html: { name: 'Web page', extensions: ['html', 'htm'] },
  md: { name: 'Markdown', extensions: ['md'] },
};

const DELEGATION_PREFIX = 'd/';

/** Loads every Y.Doc of a document from the workspace into fresh Y.Docs nobody else holds. */
export function loadExportDocs(workspace: Workspace, id: string): ExportDocs {
  const load = (name: string): Y.Doc => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, workspace.load(id, name).state);
    return doc;
  };
  const names = workspace.ydocs(id);
  const delegations = new Map<string, Y.Doc>();
  for (const name of names) {
    if (name.startsWith(DELEGATION_PREFIX)) delegations.set(name.slice(DELEGATION_PREFIX.length), load(name));
  }
  // A document never negotiated has no chair doc yet: an empty one reads as no revisions and no decisions.
  const chair = names.includes(CHAIR_YDOC) ? load(CHAIR_YDOC) : new Y.Doc();
  return { text: load(TEXT_YDOC), chair, delegations };
}

/** The IpcError code for each reason an export is refused. */
const EXPORT_ERROR_CODES: Readonly<Record<ExportError['code'], ServiceError['code']>> = {
  unsupported: 'invalid-request',
  invalid: 'invalid-request',
  empty: 'invalid-request',
  'not-found': 'not-found',
  unreadable: 'storage',
};

/**
 * Builds one export of a saved document and answers the file. Reports progress as it loads, builds and prints; a
 * refused request becomes a {@link ServiceError} whose message is the builder's sentence.
 */
export async function exportDocument(workspace: Workspace, id: string, asked: ExportDocumentRequest, options: ExportDocumentOptions = {}): Promise<ExportedFile> {
  const { author, ...request } = asked;
  const report = options.onProgress ?? (() => {});
  if (request.format === 'pdf' && !options.printPdf) {
    throw new ServiceError('internal', 'PDF cannot be printed here because no Chromium is available; export as Word or HTML instead.');
  }
  report({ stage: 'loading', done: 0, total: 0 });
  const docs = loadExportDocs(workspace, id);
  report({ stage: 'building', done: 0, total: 0 });
  let built;
  try {
    built = await buildExport(docs, request, {
      onProgress: (done, total) => report({ stage: 'building', done, total }),
      ...(options.now ? { now: options.now } : {}),
      ...(author !== undefined && author.trim() !== '' ? { author: author.trim() } : {}),
    });
  } catch (error) {
    if (error instanceof ExportError) throw new ServiceError(EXPORT_ERROR_CODES[error.code], error.message);
    throw error;
  }
  let bytes: Uint8Array | undefined = built.bytes;
  if (built.html !== undefined) {
    report({ stage: 'printing', done: 0, total: 0 });
    try {
      bytes = await (options.printPdf as PdfPrinter)(built.html);
    } catch (error) {
      throw new ServiceError('internal', `The PDF could not be printed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  if (!bytes || bytes.byteLength === 0) throw new ServiceError('internal', `The ${FORMAT_NAMES[request.format]} came out empty; nothing was exported.`);
  report({ stage: 'done', done: 1, total: 1 });
  // A plain ArrayBuffer-backed view, as structured clone and the web bridge hand it to the page.
  const owned = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return { fileName: built.fileName, mimeType: built.mimeType || MIME_TYPES[request.format], format: request.format, bytes: owned };
}

/** The name a save dialog suggests: the given one made safe, with the format's extension. */
export function suggestedFileName(fileName: string, format: ExportFormat): string {
  const stem = path.basename(fileName.replace(/\\/g, '/')).replace(/\.(docx|pdf|html?|md)$/i, '');
  return safeFileName(stem, format);
}

/** The chosen path with the format's extension added when the person typed a name without one. */
export function withExtension(chosen: string, format: ExportFormat): string {
  const extension = path.extname(chosen).slice(1).toLowerCase();
  return SAVE_FILTERS[format].extensions.includes(extension) ? chosen : `${chosen}.${format}`;
}

/**
 * Writes a file so that it is either wholly there or not changed at all: a temporary file beside it, flushed to
 * disk, then renamed over the target. The temporary file is removed when anything fails.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  const dir = path.dirname(target);
  const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temporary, 'wx', 0o644);
    let written = 0;
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ServiceError('disk-full', `There is not enough space to save ${path.basename(target)}.`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new ServiceError('forbidden', `Penholder may not write to ${dir}; choose another folder.`, { cause: error });
    }
    throw new ServiceError('storage', `${path.basename(target)} could not be saved: ${(error as Error).message}`, { cause: error });
  }
  try {
    // The rename itself is durable only once the folder is flushed (not possible on every system: best effort).
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Windows cannot open a folder for fsync; the file itself is already on disk.
  }
}
