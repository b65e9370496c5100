/**
 * The worker thread that reads one Word file (see docxImport.ts): it receives the bytes, runs importDocx and
 * sends back the result as UTF-8 JSON in a transferred buffer, or the refusal as { code, message }.
 */
import { parentPort } from 'node:worker_threads';
import { DocxImportError, importDocx, type DocxImportLimits } from '../../shared/import/index.ts';

/** What the main thread sends. */
export interface DocxImportRequest {
  bytes: Uint8Array;
  limits?: Partial<DocxImportLimits>;
}

/** What the worker answers. */
export type DocxImportResponse = { ok: true; json: Uint8Array } | { ok: false; code: string; message: string };

const port = parentPort;
if (port) {
  port.once('message', (request: DocxImportRequest) => {
    let response: DocxImportResponse;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = importDocx(request.bytes, request.limits);
      const json = new TextEncoder().encode(JSON.stringify(result));
      response = { ok: true, json };
      transfer.push(json.buffer);
    } catch (error) {
      response =
        error instanceof DocxImportError
          ? { ok: false, code: error.code, message: error.message }
          : { ok: false, code: 'corrupt', message: `This Word file could not be read (${error instanceof Error ? error.message : String(error)}).` };
    }
    port.postMessage(response, transfer);
  });
}
