/**
 * Document ids and Y.Doc names as storage accepts them: checked again here because they become file names.
 */
import { randomBytes } from 'node:crypto';
import { documentIdSchema, ydocLocalNameSchema } from '../../shared/ipc.ts';
import { StorageError } from './errors.ts';

/** Names Windows reserves for devices whatever the extension (`nul.penholder` opens the null device). */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** True when `id` is a document id storage may turn into a file name. */
export function isDocumentId(id: unknown): id is string {
  return typeof id === 'string' && documentIdSchema.safeParse(id).success && !WINDOWS_DEVICE_NAMES.test(id);
}

/** Throws StorageError('invalid') unless `id` is a well-formed document id; the only gate before a path is built. */
export function checkDocumentId(id: unknown): string {
  if (!isDocumentId(id)) {
    throw new StorageError('invalid', 'A document id is 3 to 64 lowercase letters, digits or dashes.');
  }
  return id;
}

/** Throws StorageError('invalid') unless `name` is a Y.Doc name of a document (`text`, `chair`, `d/<CODE>`). */
export function checkYDocName(name: unknown): string {
  if (typeof name !== 'string' || !ydocLocalNameSchema.safeParse(name).success) {
    throw new StorageError('invalid', 'A Y.Doc name is text, chair or d/<CODE>.');
  }
  return name;
}

/**
 * Mints a new document id: the creation time in base36 (so ids sort roughly by age in a folder listing) and
 * 50 random bits, which makes a clash between two machines merging workspaces negligible.
 */
export function mintDocumentId(now: number = Date.now()): string {
  const random = randomBytes(8).readBigUInt64BE() & ((1n << 50n) - 1n);
  return `${now.toString(36)}-${random.toString(36).padStart(10, '0')}`;
}
