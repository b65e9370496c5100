/**
 * The error services raise for the renderer: a stable IpcError code and a sentence meant for a person.
 * In its own file so every service can raise it without importing the handlers that catch it.
 */
import type { IpcError } from '../../shared/ipc.ts';

/** An error raised by the services themselves with a code and a sentence meant for a person. */
export class ServiceError extends Error {
  /** The IpcError code the renderer receives. */
  readonly code: IpcError['code'];

  constructor(code: IpcError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceError';
    this.code = code;
  }
}
