/**
 * The one typed contract between the main side (Electron main, or the Node web host) and the renderer.
 *
 * Each operation is declared once, as a zod schema for its request; the request type is inferred from
 * that schema so the type and the check that main applies at the edge cannot drift apart. Responses are
 * typed here and travel inside an {@link IpcResult} envelope so that errors arrive with a code and a
 * message a person can read, in Electron and in the browser build alike.
 */
import { z } from 'zod';
import { ipcOperationNames, type IpcOperationName, type MenuCommand } from './ipc-names.ts';

export { ipcChannel, ipcEventChannel, ipcOperationNames, menuCommands, type IpcOperationName, type MenuCommand } from './ipc-names.ts';

/** Largest single Y.Doc update the renderer may hand to main in one call (a paste can be large, not unbounded). */
export const MAX_UPDATE_BYTES = 16 * 1024 * 1024;

/** Longest document title accepted. */
export const MAX_TITLE_LENGTH = 200;

/** A document id: lowercase letters, digits and dashes, as minted by main/storage. */
export const documentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'a document id is 3 to 64 lowercase letters, digits or dashes');

/**
 * The local part of a Y.Doc name inside one negotiated document D (DESIGN.md): `text`, `chair`,
 * or `d/<code>` for one delegation or group.
 */
export const ydocLocalNameSchema = z
  .string()
  .regex(/^(text|chair|d\/[A-Z0-9_-]{2,16})$/, 'a Y.Doc name is text, chair or d/<CODE>');

/** A document title as typed by a person: trimmed, not empty, bounded. */
export const documentTitleSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'a title cannot be empty').max(MAX_TITLE_LENGTH, `a title is at most ${MAX_TITLE_LENGTH} characters`));

const bytesSchema = z
  .instanceof(Uint8Array, { message: 'expected bytes (Uint8Array)' })
  .refine((b) => b.byteLength > 0, 'an update cannot be empty')
  .refine((b) => b.byteLength <= MAX_UPDATE_BYTES, `an update is at most ${MAX_UPDATE_BYTES} bytes`);

/** Request schemas, one per operation; the keys are the operation names the preload exposes. */
export const ipcRequestSchemas = {
  /** Lists documents: the live ones, or those in the trash. */
  listDocuments: z.object({ trashed: z.boolean() }).strict(),
  /** Creates a document, blank or from the bundled sample negotiation. */
  createDocument: z.object({ title: documentTitleSchema, template: z.enum(['blank', 'sample']) }).strict(),
  /** Renames a document. */
  renameDocument: z.object({ id: documentIdSchema, title: documentTitleSchema }).strict(),
  /** Copies a document (all its Y.Docs) under a new id and title. */
  duplicateDocument: z.object({ id: documentIdSchema }).strict(),
  /** Moves a document to the trash; it can be restored. */
  trashDocument: z.object({ id: documentIdSchema }).strict(),
  /** Brings a document back from the trash. */
  restoreDocument: z.object({ id: documentIdSchema }).strict(),
  /** Deletes a trashed document for good. */
  purgeDocument: z.object({ id: documentIdSchema }).strict(),
  /** Reads one Y.Doc of a document: all stored updates merged into one. */
  loadYDoc: z.object({ id: documentIdSchema, ydoc: ydocLocalNameSchema }).strict(),
  /** Appends one Y.Doc update; resolves only after the row is durably on disk. */
  appendUpdate: z.object({ id: documentIdSchema, ydoc: ydocLocalNameSchema, update: bytesSchema }).strict(),
  /** Facts about the running app and its workspace, including problems found when opening it. */
  getAppInfo: z.object({}).strict(),
  /** Remembers which document the user had open, so a restart reopens it. */
  setLastOpened: z.object({ id: documentIdSchema.nullable() }).strict(),
  /** Opens an http, https or mailto link in the system browser; anything else is refused. */
  openExternal: z.object({ url: z.string().max(4096) }).strict(),
} as const satisfies Record<IpcOperationName, z.ZodType>;

/** The name of one IPC operation. */
export type IpcOperation = keyof typeof ipcRequestSchemas;

/** Every operation name, for the preload and the web bridge to expose one function each. */
export const ipcOperations: readonly IpcOperation[] = ipcOperationNames;

// Both lists name the same operations: a schema without a name, or a name without a schema, fails to compile.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameOperations: Exact<IpcOperation, IpcOperationName> = true;
void _sameOperations;

/** One document as the document list shows it. */
export interface DocumentSummary {
  id: string;
  title: string;
  createdAt: number;
  modifiedAt: number;
  /** Bytes on disk, database and write-ahead log together. */
  sizeBytes: number;
  /** When it was moved to the trash; null while it is live. */
  trashedAt: number | null;
}

/** A file that could not be opened and was moved aside, never overwritten. */
export interface StorageProblem {
  /** The file as it was found. */
  file: string;
  /** Where it was moved so that nothing is lost. */
  movedTo: string;
  /** What went wrong, for a person. */
  message: string;
  at: number;
}

/** What the renderer learns about the app at start. */
export interface AppInfo {
  version: string;
  /** `electron` for the desktop app, `web` for the browser build. */
  shell: 'electron' | 'web';
  workspaceDir: string;
  /** The document open when the app last closed, if it still exists. */
  lastOpenedId: string | null;
  /** Files found damaged at start and moved aside. */
  problems: StorageProblem[];
  /** Schema version of the document model this build writes. */
  schemaVersion: number;
}

/** The response type of each operation. */
export interface IpcResponses {
  listDocuments: DocumentSummary[];
  createDocument: DocumentSummary;
  renameDocument: DocumentSummary;
  duplicateDocument: DocumentSummary;
  trashDocument: DocumentSummary;
  restoreDocument: DocumentSummary;
  purgeDocument: null;
  loadYDoc: { state: Uint8Array; updateCount: number };
  appendUpdate: { seq: number };
  getAppInfo: AppInfo;
  setLastOpened: null;
  openExternal: { opened: boolean; reason?: string };
}

/** The request type of an operation, inferred from its schema (the parsed, trimmed form). */
export type IpcRequest<K extends IpcOperation> = z.input<(typeof ipcRequestSchemas)[K]>;

/** The request after validation in main. */
export type IpcParsedRequest<K extends IpcOperation> = z.output<(typeof ipcRequestSchemas)[K]>;

/** The response type of an operation. */
export type IpcResponse<K extends IpcOperation> = IpcResponses[K];

/** Why an operation failed, in a form that survives structured clone and JSON. */
export interface IpcError {
  /** A stable code the UI can branch on. */
  code: 'invalid-request' | 'not-found' | 'storage' | 'disk-full' | 'forbidden' | 'internal';
  /** A sentence for a person. */
  message: string;
}

/** The envelope every operation answers with. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Events main pushes to the renderer. */
export interface IpcEvents {
  menuCommand: { command: MenuCommand };
}

/** The name of one event main pushes to the renderer. */
export type IpcEventName = keyof IpcEvents;

/**
 * What the preload exposes on `window.penholder` (and what the web bridge implements): one function per
 * operation answering an {@link IpcResult}, and one subscription per event, which returns an unsubscribe.
 */
export type PenholderApi = {
  [K in IpcOperation]: (request: IpcRequest<K>) => Promise<IpcResult<IpcResponse<K>>>;
} & {
  onMenuCommand(listener: (event: IpcEvents['menuCommand']) => void): () => void;
};
