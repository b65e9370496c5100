/**
 * Word files coming in. A .docx imported as a new document becomes the first update of its `text` Y.Doc, stored in
 * the local log before anyone hears of it; a delegation's returned .docx is read for its tracked changes, which the
 * renderer plans as proposals and shows for review (nothing is recorded here).
 *
 * The file is parsed in a worker (docxImport.ts), never on this thread, so a hostile file can neither hang nor crash
 * the app. Every refusal reaches the person as a `bad-file` error that names the file and says why, and a refused
 * file leaves the workspace exactly as it was.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_TITLE_LENGTH, MAX_WORD_FILE_BYTES, type ImportedWordDocument, type WordFile, type WordTrackedChanges } from '../../shared/ipc.ts';
import { isDocxImportErrorCode, type DocxImport, type DocxImportErrorCode } from '../../shared/import/index.ts';
import { ensurePids } from '../../shared/model/pids.ts';
import { TEXT_YDOC } from '../../shared/model/ydocs.ts';
import type { Workspace } from '../storage/index.ts';
import { importDocxFile } from './docxImport.ts';
import { ServiceError } from './errors.ts';
import { documentJsonToUpdate, parseDocumentJson } from './sample.ts';

/** Parses a Word file into a document, a report and its tracked changes; throws a DocxImportError-shaped error. */
export type ParseWordFile = (bytes: Uint8Array) => Promise<DocxImport>;

/** What the import services need. */
export interface WordImportOptions {
  workspace: Workspace;
  /** The parser; defaults to the worker of docxImport.ts. */
  parse?: ParseWordFile;
  /** Where unexpected failures are reported; never given document text. */
  log?: (message: string) => void;
}

/** Importing Word files into the workspace. */
export interface WordImports {
  /** Imports a .docx as a new local document, stored on disk before it resolves. */
  importDocument(fileName: string, bytes: Uint8Array): Promise<ImportedWordDocument>;
  /** Reads the tracked changes of a .docx; writes nothing. */
  readChanges(fileName: string, bytes: Uint8Array): Promise<WordTrackedChanges>;
}

/** A sentence for each DocxImportError code, used when the error arrives without its own message. */
const REFUSALS: Readonly<Record<DocxImportErrorCode, string>> = {
  'not-docx': 'it is not a Word document (.docx). Save it from Word as “Word Document (.docx)” and try again.',
  corrupt: 'the file is damaged and cannot be read.',
  'too-large': 'the file is too large to import.',
  'zip-bomb': 'the file expands to far more data than a document holds, so it was not opened.',
  encrypted: 'the file is protected with a password. Remove the password in Word and try again.',
  'macro-enabled': 'the file contains macros (.docm). Save it from Word as “Word Document (.docx)” without macros and try again.',
  'external-entity': 'the file refers to outside resources in a way Word documents never need, so it was not opened.',
  'malformed-xml': 'the file is damaged: part of its content is not well-formed.',
  'too-complex': 'the file is too complex to import within the time and memory allowed.',
};

/** Builds the import services over one workspace. */
export function createWordImports(options: WordImportOptions): WordImports {
  const { workspace } = options;
  const parse = options.parse ?? ((bytes: Uint8Array) => importDocxFile(bytes));
  const log = options.log ?? ((message: string) => console.error(message));

  const parseOrRefuse = async (fileName: string, bytes: Uint8Array): Promise<DocxImport> => {
    try {
      return await parse(bytes);
    } catch (error) {
      throw refusal(fileName, error, log);
    }
  };

  return {
    async importDocument(fileName, bytes) {
      const parsed = await parseOrRefuse(fileName, bytes);
      let update: Uint8Array;
      try {
        // Paragraph ids are what proposals and statuses hold: every paragraph gets its own before the text is stored.
        update = documentJsonToUpdate(ensurePids(parseDocumentJson(parsed.doc)).toJSON());
      } catch (error) {
        log(`[penholder] importDocx: the parser produced a document the schema refuses: ${error instanceof Error ? error.message : String(error)}`);
        throw new ServiceError('bad-file', `“${fileName}” could not be imported: its content could not be turned into a Penholder document. No document was created.`);
      }
      const document = workspace.create(documentTitle(parsed.title, fileName), [{ ydoc: TEXT_YDOC, update }]);
      return { document, report: parsed.report };
    },
    async readChanges(fileName, bytes) {
      const parsed = await parseOrRefuse(fileName, bytes);
      return { title: parsed.title, report: parsed.report, tracked: parsed.tracked };
    },
  };
}

/** The title of an imported document: the one the file states, else its file name, cut to the length allowed. */
export function documentTitle(stated: string, fileName: string): string {
  const fromName = fileName.replace(/\.(docx|docm|doc)$/i, '').trim();
  let title = stated.replace(/\s+/g, ' ').trim() || fromName || 'Imported document';
  if (title.length > MAX_TITLE_LENGTH) title = `${title.slice(0, MAX_TITLE_LENGTH - 1).replace(/\s+\S*$/, '')}…`;
  return title;
}

/** The error the person sees for a file the parser refused (or a failure of the parser itself). */
function refusal(fileName: string, error: unknown, log: (message: string) => void): ServiceError {
  const code = (error as { code?: unknown } | null)?.code;
  if (isDocxImportErrorCode(code)) {
    // The parser's messages are written for the person (shared/import/errors.ts); the code's sentence stands in for a missing one.
    const message = (error as { message?: unknown }).message;
    const reason = typeof message === 'string' && message.trim() !== '' ? clip(message) : REFUSALS[code];
    return new ServiceError('bad-file', `“${fileName}” could not be imported: ${withStop(reason)} Nothing was created.`, { cause: error });
  }
  log(`[penholder] Word import failed unexpectedly: ${error instanceof Error ? `${error.name}: ${clip(error.message)}` : typeof error}`);
  return new ServiceError('bad-file', `“${fileName}” could not be imported because of an unexpected problem; details are in the log. Nothing was created.`, {
    cause: error,
  });
}

function withStop(sentence: string): string {
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

function clip(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Reads a Word file the person chose in the desktop's open dialog, refusing a file too large before reading it.
 */
export async function readWordFile(path: string): Promise<WordFile> {
  const fileName = basename(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new ServiceError('bad-file', `“${fileName}” could not be read: it may have been moved or deleted.`);
  }
  if (size === 0) throw new ServiceError('bad-file', `“${fileName}” is empty: there is nothing to import.`);
  if (size > MAX_WORD_FILE_BYTES) {
    throw new ServiceError('bad-file', `“${fileName}” is too large to import (${megabytes(size)}; at most ${megabytes(MAX_WORD_FILE_BYTES)}).`);
  }
  try {
    return { fileName, bytes: new Uint8Array(await readFile(path)) };
  } catch {
    throw new ServiceError('bad-file', `“${fileName}” could not be read.`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

