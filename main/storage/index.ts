/**
 * Crash-safe storage of Y.Doc updates: one SQLite file per document in a workspace folder (../../shared/DESIGN.md).
 */
export { Workspace, DEFAULT_COMPACT_THRESHOLD, DEFAULT_MAX_OPEN_FILES, checkUpdate } from './workspace.ts';
export type { WorkspaceOptions } from './workspace.ts';
export { StorageError, DISK_FULL_MESSAGE } from './errors.ts';
export type { StorageErrorCode } from './errors.ts';
export { DOCUMENT_FILE_EXTENSION, DOCUMENT_FORMAT_VERSION, EMPTY_STATE, mergeRows, squashRows } from './document-file.ts';
export { isDocumentId, mintDocumentId } from './ids.ts';
