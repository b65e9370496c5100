/**
 * `npm run server -- export ...`: the secretariat exports a document straight from the server's store (SQLite or
 * PostgreSQL) — the clean text, the compilation or a comparison, as Word, HTML, Markdown or PDF — with no client.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { buildExport, ExportError, FORMATS_BY_KIND, type ExportDocs, type ExportFormat, type ExportKind } from '../../shared/export/build.ts';
import { CHAIR_YDOC, TEXT_YDOC, ydocName } from '../../shared/model/ydocs.ts';
import { chromiumPdfPrinter, findChromium } from '../services/chromiumPdf.ts';
import { writeFileAtomic } from '../services/exports.ts';
import type { SyncStore } from './api.ts';

/** What to export and where, as the command line gives it. */
export interface StoreExportOptions {
  documentId: string;
  kind: ExportKind;
  format: ExportFormat;
  /** A revision's label or id, or 'current'. */
  from?: string;
  to?: string;
  /** A file, or an existing folder to put the suggested file name in. */
  out: string;
  /** Who tracked changes against the current text are attributed to. */
  author?: string;
  /** The Chromium that prints PDF; default PENHOLDER_CHROMIUM, else /usr/bin/chromium. */
  chromium?: string;
  /** Told how far the build is (the command line prints a percentage on a terminal). */
  onProgress?: (done: number, total: number) => void;
}

/** An export the command line refuses: a sentence for the person, exit code 1. */
export class StoreExportError extends Error {}

/** Loads a document's Y.Docs from the server's store. */
export async function loadStoreDocs(store: SyncStore, documentId: string): Promise<ExportDocs> {
  const names = await store.listYDocs(documentId);
  if (!names.includes(TEXT_YDOC)) {
    const known = (await store.listDocuments()).map((document) => document.id);
    const list = known.length ? ` The documents in this store are: ${known.join(', ')}.` : ' This store holds no documents.';
    const registered = known.includes(documentId) ? ` ${documentId} is registered but its chair has not pushed its text yet.` : '';
    throw new StoreExportError(`There is no text for the document ${documentId}.${registered}${list}`);
  }
  const load = async (local: string): Promise<Y.Doc> => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await store.load(ydocName(documentId, local)));
    return doc;
  };
  const delegations = new Map<string, Y.Doc>();
  for (const name of names) if (name.startsWith('d/')) delegations.set(name.slice(2), await load(name));
  return { text: await load(TEXT_YDOC), chair: names.includes(CHAIR_YDOC) ? await load(CHAIR_YDOC) : new Y.Doc(), delegations };
}

/** Builds the export from the store and writes it atomically; answers where it went and how large it is. */
export async function exportFromStore(store: SyncStore, options: StoreExportOptions): Promise<{ path: string; bytes: number }> {
  if (!FORMATS_BY_KIND[options.kind].includes(options.format)) {
    throw new StoreExportError(`A ${options.kind} export comes as ${FORMATS_BY_KIND[options.kind].join(', ')}, not ${options.format}.`);
  }
  // Everything a person can get wrong is checked before the document is read.
  let chromium: string | null = null;
  if (options.format === 'pdf') {
    chromium = findChromium(options.chromium);
    if (chromium === null) {
      const where = options.chromium ?? process.env['PENHOLDER_CHROMIUM'] ?? '/usr/bin/chromium';
      throw new StoreExportError(`PDF is printed by Chromium, which is not at ${where}: install it (apt-get install -y chromium), pass --chromium <path>, or export as docx or html.`);
    }
  }
  const outIsFolder = fs.existsSync(options.out) && fs.statSync(options.out).isDirectory();
  const folder = outIsFolder ? options.out : path.dirname(path.resolve(options.out));
  if (!fs.existsSync(folder)) throw new StoreExportError(`The folder ${folder} does not exist.`);

  const docs = await loadStoreDocs(store, options.documentId);
  const request = {
    kind: options.kind,
    format: options.format,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
  };
  let built;
  try {
    built = await buildExport(docs, request, {
      ...(options.author ? { author: options.author } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    if (error instanceof ExportError) throw new StoreExportError(error.message);
    throw error;
  }
  let bytes = built.bytes;
  if (built.html !== undefined) bytes = await chromiumPdfPrinter(chromium as string)(built.html);
  if (!bytes || bytes.byteLength === 0) throw new StoreExportError('The export came out empty; nothing was written.');
  const target = outIsFolder ? path.join(options.out, built.fileName) : path.resolve(options.out);
  try {
    writeFileAtomic(target, bytes);
  } catch (error) {
    throw new StoreExportError(error instanceof Error ? error.message : String(error));
  }
  return { path: target, bytes: bytes.byteLength };
}
