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
import type { ImportReport, TrackedParagraph } from './import/index.ts';
import type { ExportFormat, ExportKind } from './export/formats.ts';

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

/** Longest server address accepted. */
export const MAX_SERVER_URL_LENGTH = 2048;

/**
 * A sync server's address as a person types it: ws, wss, http or https. Main parses it fully (no user name or
 * password, a host) and answers with the canonical form, {@link RemoteServer.url}, which every later request uses.
 */
export const serverUrlSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'a server address cannot be empty')
      .max(MAX_SERVER_URL_LENGTH, `a server address is at most ${MAX_SERVER_URL_LENGTH} characters`)
      .regex(/^(wss?|https?):\/\/\S+$/i, 'a server address starts with ws://, wss://, http:// or https://'),
  );

/** The name of an account on a sync server, as the secretariat created it. */
export const accountNameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'a name cannot be empty').max(100, 'a name is at most 100 characters'));

/** A password as typed; never trimmed (spaces may be part of it). */
export const passwordSchema = z.string().min(1, 'a password cannot be empty').max(1024, 'a password is at most 1024 characters');

/** A delegation or group code (as in `D/d/<CODE>`): 2 to 16 capital letters, digits, dashes or underscores. */
export const delegationCodeSchema = z.string().regex(/^[A-Z0-9_-]{2,16}$/, 'a delegation code is 2 to 16 capital letters, digits, dashes or underscores');

/** A sync-server role (shared/sync.ts roles). */
export const roleSchema = z.enum(['chair', 'delegation', 'secretariat', 'observer']);

/** An IPv4 or IPv6 address the host may bind its sync server to; main checks it belongs to this machine. */
export const bindAddressSchema = z
  .string()
  .max(64, 'an address is at most 64 characters')
  .regex(/^[0-9a-fA-F.:]+$/, 'an address is an IPv4 or IPv6 address such as 127.0.0.1');

/**
 * Largest Word file accepted for import: a long report with its tables is well under 1 MB, images can add more; the
 * bound keeps the file (base64 in the browser build's frames) inside one bridge message.
 */
export const MAX_WORD_FILE_BYTES = MAX_UPDATE_BYTES;

/** A Word file as the person chose it: its name (for messages and the new document's title) and its bytes. */
export const wordFileSchema = z
  .object({
    fileName: z
      .string()
      // Only the last part of a path: the name is shown to the person, never used to open anything.
      .transform((name) => (name.split(/[\\/]/).pop() ?? '').trim())
      .pipe(z.string().min(1, 'a file name cannot be empty').max(255, 'a file name is at most 255 characters')),
    bytes: z
      .instanceof(Uint8Array, { message: 'expected the file\u2019s bytes (Uint8Array)' })
      .refine((b) => b.byteLength > 0, 'the file is empty')
      .refine((b) => b.byteLength <= MAX_WORD_FILE_BYTES, `a Word file is at most ${MAX_WORD_FILE_BYTES / (1024 * 1024)} MB`),
  })
  .strict();

/** Largest export file the app writes for the renderer (a compilation of a long negotiation is a few MB). */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

/** The kinds of export (shared/export/formats.ts EXPORT_KINDS). */
export const exportKindSchema = z.enum(['clean', 'compilation', 'comparison']);

/** The export file formats (shared/export/formats.ts EXPORT_FORMATS). */
export const exportFormatSchema = z.enum(['docx', 'pdf', 'html', 'md']);

// The IPC enums and the builder's lists name the same kinds and formats.
const _sameKinds: Exact<z.infer<typeof exportKindSchema>, ExportKind> = true;
const _sameFormats: Exact<z.infer<typeof exportFormatSchema>, ExportFormat> = true;
void _sameKinds;
void _sameFormats;

/** A revision id, or 'current' for the text as it is now (a label is accepted too, as on the command line). */
export const revisionRefSchema = z.string().min(1, 'a revision is named by its id or "current"').max(200, 'a revision id is at most 200 characters');

/** Longest name a comparison's tracked changes are attributed to (Word shows it beside every change). */
export const MAX_EXPORT_AUTHOR_LENGTH = 200;

/**
 * Who the tracked changes of a comparison with the current text are attributed to: the name the person gave (the
 * "Recording as" field, or the signed-in account). Trimmed; control characters are refused (XML cannot carry most of them).
 */
export const exportAuthorSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'an author name cannot be empty')
      .max(MAX_EXPORT_AUTHOR_LENGTH, `an author name is at most ${MAX_EXPORT_AUTHOR_LENGTH} characters`)
      .regex(/^\P{Cc}*$/u, 'an author name cannot contain control characters'),
  );

/** Ties progress events to the export that asked for them: letters, digits, dashes, underscores. */
export const exportJobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an export job id is 1 to 64 letters, digits, dashes or underscores');

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
  /** The names of the Y.Docs stored for a document (`text`, `chair`, `d/<CODE>`), so every one can be loaded. */
  listYDocs: z.object({ id: documentIdSchema }).strict(),
  /** Facts about the running app and its workspace, including problems found when opening it. */
  getAppInfo: z.object({}).strict(),
  /** Remembers which document the user had open, so a restart reopens it. */
  setLastOpened: z.object({ id: documentIdSchema.nullable() }).strict(),
  /** Opens an http, https or mailto link in the system browser; anything else is refused. */
  openExternal: z.object({ url: z.string().max(4096) }).strict(),
  /** The sync servers this app knows, with who is signed in to each; no network. */
  listServers: z.object({}).strict(),
  /** Checks an address is a Penholder server of a compatible version (GET /api/info) and remembers it. */
  addServer: z.object({ url: serverUrlSchema }).strict(),
  /** Forgets a server and signs out of it; local mirrors of its documents stay (marked remote). */
  removeServer: z.object({ serverUrl: serverUrlSchema }).strict(),
  /** Signs in (adding the server if new); main keeps the refresh token, the renderer gets a short-lived access token. */
  signIn: z.object({ serverUrl: serverUrlSchema, name: accountNameSchema, password: passwordSchema }).strict(),
  /** Forgets the credentials of one server (this device only). */
  signOut: z.object({ serverUrl: serverUrlSchema }).strict(),
  /**
   * A valid access token for the provider, refreshed by main when near expiry (or always, with forceRefresh: after
   * the server closed the socket with 4401); `signed-out` when the refresh is refused.
   */
  getAccessToken: z.object({ serverUrl: serverUrlSchema, forceRefresh: z.boolean().optional() }).strict(),
  /** The documents the signed-in account may open on a server (GET /api/documents). */
  listRemoteDocuments: z.object({ serverUrl: serverUrlSchema }).strict(),
  /** The local document mirroring a remote one, created (empty, marked remote) on first open. */
  openRemoteDocument: z.object({ serverUrl: serverUrlSchema, documentId: documentIdSchema, title: documentTitleSchema }).strict(),
  /** Registers a local document on a server (chair only) and marks it as a mirror of it. */
  publishDocument: z.object({ id: documentIdSchema, serverUrl: serverUrlSchema }).strict(),
  /** This machine's network interfaces, for choosing where a hosted session listens. */
  listNetworkInterfaces: z.object({}).strict(),
  /** Starts a sync server in this app (127.0.0.1 unless another address of this machine is chosen) and signs the host in as chair. */
  startHosting: z
    .object({
      bindAddress: bindAddressSchema.optional(),
      port: z.number().int('a port is a whole number').min(0, 'a port is 0 to 65535').max(65535, 'a port is 0 to 65535').optional(),
      hostName: accountNameSchema.optional(),
    })
    .strict(),
  /** Stops the hosted sync server and frees its port; its data stays under the workspace. */
  stopHosting: z.object({}).strict(),
  /** Whether this app hosts a session, where, and its accounts. */
  hostingStatus: z.object({}).strict(),
  /** Adds an account to the hosted server (all its documents granted); a password is generated when none is given. */
  hostAddAccount: z
    .object({
      name: accountNameSchema,
      role: roleSchema,
      delegation: delegationCodeSchema.nullable().optional(),
      password: passwordSchema.optional(),
    })
    .strict()
    .refine((r) => r.role !== 'delegation' || (r.delegation ?? null) !== null, { message: 'a delegation account needs its delegation code', path: ['delegation'] })
    .refine((r) => r.role === 'delegation' || (r.delegation ?? null) === null, { message: 'only a delegation account has a delegation code', path: ['delegation'] }),
  /**
   * Builds an export of a document as saved on disk (clean text, compilation or comparison; Word, PDF, HTML or
   * Markdown), reporting `exportProgress` events tagged with `jobId`; answers the file, nothing is written.
   */
  exportDocument: z
    .object({
      id: documentIdSchema,
      kind: exportKindSchema,
      format: exportFormatSchema,
      from: revisionRefSchema.optional(),
      to: revisionRefSchema.optional(),
      /** Who a comparison's tracked changes are by when a side is the current text (default "Penholder"). */
      author: exportAuthorSchema.optional(),
      jobId: exportJobIdSchema.optional(),
    })
    .strict(),
  /**
   * Asks where to save an export (the desktop's save dialog, the suggested name and the format's filter) and writes
   * it there atomically; answers the path, or null when the person cancels. The browser build downloads instead and
   * never sends this to its host.
   */
  saveExport: z
    .object({
      fileName: z.string().min(1, 'a file name cannot be empty').max(255, 'a file name is at most 255 characters'),
      format: exportFormatSchema,
      bytes: z
        .instanceof(Uint8Array, { message: 'expected bytes (Uint8Array)' })
        .refine((b) => b.byteLength > 0, 'an export cannot be empty')
        .refine((b) => b.byteLength <= MAX_EXPORT_BYTES, `an export is at most ${MAX_EXPORT_BYTES} bytes`),
    })
    .strict(),
  /**
   * Asks the person for a Word file (the desktop's open dialog, filtered to .docx) and answers its name and bytes, or
   * null when they cancel; the browser build picks the file in the page and never sends this to its host.
   */
  chooseWordFile: z.object({ purpose: z.enum(['document', 'proposals']) }).strict(),
  /** Imports a .docx as a new local document (parsed in a worker, its text stored before the answer) with a report. */
  importDocx: wordFileSchema,
  /** Reads a returned .docx for its tracked changes, paragraph by paragraph; creates nothing. */
  readDocxChanges: wordFileSchema,
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
  /** Set when this local document mirrors a document on a sync server; null for a purely local one. */
  remote: RemoteLink | null;
}

/** Which server document a local document mirrors. */
export interface RemoteLink {
  /** The server's canonical address ({@link RemoteServer.url}). */
  serverUrl: string;
  /** The document's id on that server. */
  documentId: string;
}

/** An account as the sync server describes it. */
export interface RemoteAccount {
  name: string;
  role: 'chair' | 'delegation' | 'secretariat' | 'observer';
  /** The delegation or group code, for role 'delegation'; null otherwise. */
  delegation: string | null;
}

/** A sync server this app knows. */
export interface RemoteServer {
  /** Canonical address, `http(s)://host:port` (plus a path prefix if any, no trailing slash): the id in every request. */
  url: string;
  /** What HocuspocusProvider connects to: `ws(s)://host:port/?schema=<SCHEMA_VERSION>`. */
  wsUrl: string;
  /** The server's own id (GET /api/info), as last seen. */
  serverId: string;
  /** The server's document schema version, as last seen. */
  schemaVersion: number;
  /** Who is signed in from this device; null when signed out. */
  account: RemoteAccount | null;
  /** False when credentials live in memory only (no OS keychain, or the web build): a restart signs out. */
  credentialsPersist: boolean;
  /** True for the server this app hosts itself. */
  hosted: boolean;
}

/** Answer of signIn and getAccessToken. */
export interface RemoteSession {
  server: RemoteServer;
  account: RemoteAccount;
  /** A short-lived bearer token for the WebSocket (the provider's `token`) ; never the refresh token. */
  accessToken: string;
  /** When the access token expires, ms since the epoch; ask getAccessToken again before then. */
  expiresAt: number;
}

/** One document on a server, as GET /api/documents lists it. */
export interface RemoteDocumentSummary {
  /** Its id on the server. */
  id: string;
  title: string;
  /** Last change on the server, ms since the epoch. */
  updatedAt: number;
  /** The local document mirroring it, if it was opened (or published) from this workspace. */
  localId: string | null;
}

/** One address of this machine the hosted server could listen on. */
export interface NetworkInterfaceInfo {
  /** The interface's name, e.g. `eth0`, `Wi-Fi`, `lo`. */
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  /** True for the loopback interface: reachable from this computer only. */
  internal: boolean;
}

/** An account on the hosted server. */
export interface HostedAccount {
  name: string;
  role: 'chair' | 'delegation' | 'secretariat' | 'observer';
  delegation: string | null;
  disabled: boolean;
}

/** The hosted session, running or not. */
export interface HostingStatus {
  running: boolean;
  /** The address bound, e.g. 127.0.0.1 or the room's LAN address; null when stopped. */
  bindAddress: string | null;
  port: number | null;
  /** The hosted server's canonical address (signIn/publishDocument/... take it as serverUrl); null when stopped. */
  serverUrl: string | null;
  /** The addresses to give delegates (`http://192.168.1.20:4321`), one per chosen interface; empty when stopped. */
  addresses: string[];
  /** The host's own chair account. */
  hostAccount: string | null;
  /** Every account on the hosted server (no passwords). */
  accounts: HostedAccount[];
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

/** A Word file chosen by the person. */
export interface WordFile {
  /** The file's name, without its folder. */
  fileName: string;
  /** Its bytes, as the request schema (z.instanceof) types them, so a chosen file can be sent on as it is. */
  bytes: Uint8Array<ArrayBuffer>;
}

/** What importing a .docx as a new document gives back. */
export interface ImportedWordDocument {
  /** The new local document, already on disk. */
  document: DocumentSummary;
  /** What was kept (counts) and what was not (with examples), for the report shown after the import. */
  report: ImportReport;
}

/** The tracked changes of a returned Word file, paragraph by paragraph, for planning proposals. */
export interface WordTrackedChanges {
  /** The file's title, as the import read it. */
  title: string;
  report: ImportReport;
  /** Every paragraph with an insertion or deletion tracked in it, in the file's order. */
  tracked: TrackedParagraph[];
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
  listYDocs: string[];
  getAppInfo: AppInfo;
  setLastOpened: null;
  openExternal: { opened: boolean; reason?: string };
  listServers: RemoteServer[];
  addServer: RemoteServer;
  removeServer: null;
  signIn: RemoteSession;
  signOut: null;
  getAccessToken: RemoteSession;
  listRemoteDocuments: RemoteDocumentSummary[];
  openRemoteDocument: DocumentSummary;
  publishDocument: DocumentSummary;
  listNetworkInterfaces: NetworkInterfaceInfo[];
  startHosting: HostingStatus;
  stopHosting: HostingStatus;
  hostingStatus: HostingStatus;
  /** The account and its password (the given one, or the generated one to hand to the delegate). */
  hostAddAccount: { account: HostedAccount; password: string };
  exportDocument: ExportedFile;
  /** Where the file was written; null when the person cancelled. */
  saveExport: string | null;
  /** Null when the person cancelled the dialog. */
  chooseWordFile: WordFile | null;
  importDocx: ImportedWordDocument;
  readDocxChanges: WordTrackedChanges;
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
  code:
    | 'invalid-request'
    | 'not-found'
    | 'storage'
    | 'disk-full'
    | 'forbidden'
    | 'internal'
    /** Sync server: the name or password is wrong (or the account is disabled). */
    | 'wrong-password'
    /** Sync server: no credentials for this server, or the refresh was refused: sign in again. */
    | 'signed-out'
    /** Sync server: cannot be reached (offline, wrong address, refused, timed out). */
    | 'unreachable'
    /** Sync server: something answers at that address, but it is not a Penholder server. */
    | 'not-penholder'
    /** Sync server: its schema version differs from this app's; the message says which side must update. */
    | 'version-mismatch'
    /** Sync server: answered with an error this app did not expect. */
    | 'server-error'
    /** Hosting: the port is taken or the address cannot be bound. */
    | 'address-in-use'
    /** Import: the file is not a Word document Penholder can read (damaged, encrypted, macros, too large...); the message says why. */
    | 'bad-file';
  /** A sentence for a person. */
  message: string;
}

/** The envelope every operation answers with. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** A built export, ready to save. */
export interface ExportedFile {
  /** The suggested name, safe on every system ("A-AC.301-2026-CRP.1 Rev.1 (clean).docx"). */
  fileName: string;
  mimeType: string;
  format: z.infer<typeof exportFormatSchema>;
  bytes: Uint8Array<ArrayBuffer>;
}

/** How far an export is: loading the saved document, building the file, printing the PDF, done. */
export interface ExportProgress {
  jobId: string;
  stage: 'loading' | 'building' | 'printing' | 'done';
  /** Steps done of `total` within the stage (0 of 0 when the stage cannot count). */
  done: number;
  total: number;
}

/** Events main pushes to the renderer. */
export interface IpcEvents {
  menuCommand: { command: MenuCommand };
  exportProgress: ExportProgress;
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
  onExportProgress(listener: (event: IpcEvents['exportProgress']) => void): () => void;
};
