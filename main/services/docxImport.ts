/**
 * Runs the Word import (shared/import) in a worker thread with a memory ceiling and a time limit, so a hostile or
 * pathological file can neither hang nor crash the app: the worker is terminated and the caller gets a
 * DocxImportError with a sentence for the person.
 */
import { Worker } from 'node:worker_threads';
import {
  DocxImportError,
  fileSizeRefusal,
  isDocxImportErrorCode,
  resolveLimits,
  type DocxImport,
  type DocxImportLimits,
} from '../../shared/import/index.ts';
import type { DocxImportRequest, DocxImportResponse } from './docxImportWorker.ts';

/** How long one import may take before the worker is stopped. */
export const DOCX_IMPORT_TIMEOUT_MS = 30_000;
/** The worker's V8 old-generation heap ceiling; the 200-page test file needs a fraction of it. */
export const DOCX_IMPORT_MEMORY_MB = 512;

/** Options of {@link importDocxFile}; tests lower the limits to see them work. */
export interface DocxImportFileOptions {
  limits?: Partial<DocxImportLimits>;
  timeoutMs?: number;
  maxMemoryMb?: number;
  /** The worker script; defaults to docxImportWorker.ts beside this file (docxImportWorker.js once bundled). */
  workerUrl?: URL;
}

/**
 * The worker script beside this module: the .ts source when running from source (Node strips the types), the .js
 * entry of the same name when this module was bundled into a .js file (electron-vite's out/main).
 */
function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './docxImportWorker.ts' : './docxImportWorker.js', import.meta.url);
}

/** Reads a Word file in a worker; resolves with the import or rejects with a DocxImportError. */
export function importDocxFile(bytes: Uint8Array, options: DocxImportFileOptions = {}): Promise<DocxImport> {
  const timeoutMs = options.timeoutMs ?? DOCX_IMPORT_TIMEOUT_MS;
  const maxMemoryMb = options.maxMemoryMb ?? DOCX_IMPORT_MEMORY_MB;
  // An oversized file is refused here, without copying it into a worker.
  let oversized: DocxImportError | null;
  try {
    oversized = fileSizeRefusal(bytes.length, resolveLimits(options.limits));
  } catch (error) {
    return Promise.reject(error);
  }
  if (oversized) return Promise.reject(oversized);
  return new Promise<DocxImport>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), {
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, maxMemoryMb / 8)) },
    });
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new DocxImportError(
            'too-complex',
            `Reading this Word file took longer than ${duration(timeoutMs)}, so it was stopped. The file may be damaged or far larger than a negotiating text; split it or save it again from Word.`,
          ),
        ),
      );
    }, timeoutMs);
    worker.once('message', (response: DocxImportResponse) => {
      finish(() => {
        if (response.ok) {
          try {
            resolve(JSON.parse(new TextDecoder().decode(response.json)) as DocxImport);
          } catch (error) {
            reject(new DocxImportError('corrupt', `The import of this Word file returned an unreadable result (${error instanceof Error ? error.message : String(error)}).`));
          }
        } else {
          reject(new DocxImportError(isDocxImportErrorCode(response.code) ? response.code : 'corrupt', response.message));
        }
      });
    });
    worker.once('error', (error: Error & { code?: string }) => {
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DocxImportError(
                'too-complex',
                `Reading this Word file needed more than ${maxMemoryMb} MB of memory, so it was stopped. The file may be damaged or far larger than a negotiating text; split it or save it again from Word.`,
              )
            : new DocxImportError('corrupt', `The Word import failed (${error.message}); nothing was imported.`),
        ),
      );
    });
    worker.once('exit', (code) => {
      finish(() => reject(new DocxImportError('corrupt', `The Word import stopped unexpectedly (exit code ${code}). Try saving the file again from Word.`)));
    });
    // A copy goes to the worker (transferred, not cloned), so the caller's bytes stay untouched; Buffer#slice would
    // be a view into Node's shared pool, which cannot be transferred.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    const request: DocxImportRequest = { bytes: copy, limits: options.limits };
    worker.postMessage(request, [copy.buffer]);
  });
}

/** A time limit for a sentence: "30 seconds", "1 second", "150 milliseconds". */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} milliseconds`;
  const seconds = Math.round(ms / 1000);
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
