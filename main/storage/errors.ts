/**
 * Errors of the storage layer, each with a stable code the IPC layer maps to {@link IpcError} codes.
 */

/** Why a storage operation failed: the caller branches on this, a person reads the message. */
export type StorageErrorCode = 'not-found' | 'storage' | 'disk-full' | 'corrupt' | 'invalid';

/** A storage failure with a code for the program and a sentence for a person. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** What a person reads when the disk filled up under a write: the text is still in the window, so say so. */
export const DISK_FULL_MESSAGE =
  'The disk is full: the last change was not saved. Free some space; your text is kept in this window and will be saved when there is room.';

/** SQLite result codes (primary or extended) that mean the file itself is damaged rather than the operation failing. */
const CORRUPTION_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/** The `code` of a Node or SQLite error (`ENOSPC`, `SQLITE_FULL` ...), or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** True when an error from SQLite says the database file is damaged (not a database, malformed). */
export function isCorruption(error: unknown): boolean {
  return CORRUPTION_CODES.test(errorCode(error) ?? '');
}

/** True when an error says the disk (or the database's page limit) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * Turns anything thrown by SQLite or the file system into a {@link StorageError}, keeping the original as `cause`
 * so the log still has the details.
 */
export function toStorageError(error: unknown, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  if (isDiskFull(error)) return new StorageError('disk-full', DISK_FULL_MESSAGE, { cause: error });
  const detail = error instanceof Error ? error.message : String(error);
  if (isCorruption(error)) {
    return new StorageError('corrupt', `The document file is damaged (${detail}) while ${doing}.`, { cause: error });
  }
  return new StorageError('storage', `Saving or reading failed while ${doing}: ${detail}.`, { cause: error });
}
