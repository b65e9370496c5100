/**
 * The main side of shared/ipc.ts: one async handler per operation, shared by the Electron shell and the
 * Node web host, so both validate and answer exactly alike.
 *
 * Every handler takes the raw, untrusted request, checks it with the operation's zod schema before touching
 * the workspace, and answers an IpcResult; no exception ever leaves a handler.
 */
import type { z } from 'zod';
import {
  documentIdSchema,
  ipcOperations,
  ipcRequestSchemas,
  type IpcError,
  type IpcEventName,
  type IpcEvents,
  type IpcOperation,
  type IpcParsedRequest,
  type IpcResponse,
  type IpcResult,
  type WordFile,
} from '../../shared/ipc.ts';
import { TEXT_YDOC } from '../../shared/model/ydocs.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { StorageError, type Workspace } from '../storage/index.ts';
import { LAST_OPENED_SETTING } from './settings.ts';
import { ServiceError } from './errors.ts';
import { listNetworkInterfaces } from './hosting.ts';
import { parseServerAddress } from './serverAddress.ts';
import { createSyncServices, type SyncServices } from './syncServices.ts';
import { checkExternalLink } from './links.ts';
import { blankUpdate, defaultResourcesDir, sampleUpdate } from './sample.ts';
import { createWordImports, type ParseWordFile } from './imports.ts';
import { exportDocument, type PdfPrinter } from './exports.ts';
import type { ExportFormat } from '../../shared/export/build.ts';

/** What the handlers need from the shell that hosts them. */
export interface IpcHandlerContext {
  workspace: Workspace;
  /** Which shell the renderer runs in, reported by getAppInfo. */
  shell: 'electron' | 'web';
  version: string;
  /** Opens an already-checked http(s)/mailto URL outside the app (the web host leaves it to the browser). */
  openExternal: (url: string) => Promise<void>;
  /** The folder holding `sample/zero-draft.json`; defaults to the project's resources/. */
  resourcesDir?: string;
  /** Where failures are reported; never given document text. Defaults to console.error. */
  log?: (message: string) => void;
  /**
   * Sign-in, remote documents and hosting. The shells build it (with their credential vault) and close it on
   * shutdown; when omitted, one with an in-memory vault is made here, and nothing stops its hosted session.
   */
  sync?: SyncServices;
  /**
   * Shows the system's open dialog for a Word file and reads it (the desktop shell); null when the person cancels.
   * The browser build picks the file in the page, so its host leaves this out.
   */
  chooseWordFile?: (purpose: 'document' | 'proposals') => Promise<WordFile | null>;
  /** Parses Word files; defaults to the worker of main/services/docxImport.ts. */
  parseWordFile?: ParseWordFile;
  /** Prints an export's HTML as PDF (Electron's printToPDF, or Chromium in the web host); without it PDF is refused. */
  printPdf?: PdfPrinter;
  /**
   * Asks where to save an export and writes it (the desktop's save dialog); the path, or null when cancelled. The
   * browser build downloads in the page, so its host leaves this out.
   */
  saveExport?: (fileName: string, format: ExportFormat, bytes: Uint8Array) => Promise<string | null>;
}

/** The renderer that made a call, so an operation can push events to it alone (an export's progress). */
export interface IpcCaller {
  emit<E extends IpcEventName>(event: E, payload: IpcEvents[E]): void;
}

/** A caller that hears nothing (tests, and shells that pass none). */
const SILENT_CALLER: IpcCaller = { emit: () => {} };

/** One handler per operation; the mapped type keeps each handler's answer tied to its operation. */
export type IpcHandlers = {
  [K in IpcOperation]: (raw: unknown, caller?: IpcCaller) => Promise<IpcResult<IpcResponse<K>>>;
};

/** The work of each operation on an already validated request. */
type Operations = {
  [K in IpcOperation]: (request: IpcParsedRequest<K>, caller: IpcCaller) => IpcResponse<K> | Promise<IpcResponse<K>>;
};

export { ServiceError } from './errors.ts';

const STORAGE_CODES: Record<StorageError['code'], IpcError['code']> = {
  'not-found': 'not-found',
  storage: 'storage',
  'disk-full': 'disk-full',
  corrupt: 'storage',
  invalid: 'invalid-request',
};

/** Builds the handlers over one workspace. */
export function createIpcHandlers(ctx: IpcHandlerContext): IpcHandlers {
  const { workspace } = ctx;
  const log = ctx.log ?? ((message: string) => console.error(message));
  const resourcesDir = ctx.resourcesDir ?? defaultResourcesDir();
  const sync = ctx.sync ?? createSyncServices({ workspace, log });
  const { remote, hosting } = sync;
  const wordImports = createWordImports({ workspace, log, ...(ctx.parseWordFile ? { parse: ctx.parseWordFile } : {}) });

  const initialText = (template: 'blank' | 'sample', title: string): Uint8Array => {
    try {
      return template === 'sample' ? sampleUpdate(resourcesDir) : blankUpdate(title);
    } catch (error) {
      log(`[penholder] createDocument: the ${template} template could not be built: ${errorSummary(error)}`);
      throw new ServiceError('internal', `The ${template === 'sample' ? 'sample negotiation' : 'blank template'} could not be prepared; this installation may be damaged.`);
    }
  };

  const operations: Operations = {
    listDocuments: ({ trashed }) => workspace.list({ trashed }),
    createDocument: ({ title, template }) => workspace.create(title, [{ ydoc: TEXT_YDOC, update: initialText(template, title) }]),
    renameDocument: ({ id, title }) => workspace.rename(id, title),
    duplicateDocument: ({ id }) => workspace.duplicate(id),
    trashDocument: ({ id }) => workspace.trash(id),
    restoreDocument: ({ id }) => workspace.restore(id),
    purgeDocument: ({ id }) => {
      workspace.purge(id);
      if (workspace.getSetting(LAST_OPENED_SETTING) === id) workspace.setSetting(LAST_OPENED_SETTING, null);
      return null;
    },
    loadYDoc: ({ id, ydoc }) => {
      const { state, updateCount } = workspace.load(id, ydoc);
      return { state, updateCount };
    },
    appendUpdate: ({ id, ydoc, update }) => {
      const { seq } = workspace.append(id, ydoc, update);
      return { seq };
    },
    listYDocs: ({ id }) => workspace.ydocs(id).sort(),
    getAppInfo: () => ({
      version: ctx.version,
      shell: ctx.shell,
      workspaceDir: workspace.dir,
      lastOpenedId: liveLastOpened(workspace),
      problems: [...workspace.problems],
      schemaVersion: SCHEMA_VERSION,
    }),
    setLastOpened: ({ id }) => {
      // Remembering a document that does not exist would only reopen nothing later: say so now.
      if (id !== null) workspace.get(id);
      workspace.setSetting(LAST_OPENED_SETTING, id);
      return null;
    },
    openExternal: async ({ url }) => {
      const verdict = checkExternalLink(url);
      if (!verdict.allowed) return { opened: false, reason: verdict.reason };
      try {
        await ctx.openExternal(verdict.url);
      } catch (error) {
        log(`[penholder] openExternal: the system refused to open a link: ${errorSummary(error)}`);
        return { opened: false, reason: 'The system could not open this link.' };
      }
      return { opened: true };
    },
    listServers: () => remote.listServers(),
    addServer: ({ url }) => remote.addServer(url),
    removeServer: async ({ serverUrl }) => {
      const hostedAt = hosting.status().serverUrl;
      if (hostedAt !== null && parseServerAddress(serverUrl).url === hostedAt) {
        throw new ServiceError('invalid-request', 'This is the session you are hosting; stop hosting before removing it.');
      }
      await remote.removeServer(serverUrl);
      return null;
    },
    signIn: ({ serverUrl, name, password }) => remote.signIn(serverUrl, name, password),
    signOut: async ({ serverUrl }) => {
      await remote.signOut(serverUrl);
      return null;
    },
    getAccessToken: ({ serverUrl, forceRefresh }) => remote.getAccessToken(serverUrl, { forceRefresh }),
    listRemoteDocuments: ({ serverUrl }) => remote.listRemoteDocuments(serverUrl),
    openRemoteDocument: ({ serverUrl, documentId, title }) => remote.openRemoteDocument(serverUrl, documentId, title),
    publishDocument: ({ id, serverUrl }) => remote.publishDocument(id, serverUrl),
    listNetworkInterfaces: () => listNetworkInterfaces(),
    startHosting: (request) => hosting.start(request),
    stopHosting: () => hosting.stop(),
    hostingStatus: () => hosting.status(),
    hostAddAccount: (request) => hosting.addAccount(request),
    chooseWordFile: ({ purpose }) => {
      if (!ctx.chooseWordFile) throw new ServiceError('invalid-request', 'This version of Penholder chooses Word files in the page itself.');
      return ctx.chooseWordFile(purpose);
    },
    importDocx: ({ fileName, bytes }) => wordImports.importDocument(fileName, bytes),
    readDocxChanges: ({ fileName, bytes }) => wordImports.readChanges(fileName, bytes),
    exportDocument: ({ id, jobId, ...request }, caller) =>
      exportDocument(workspace, id, request, {
        ...(ctx.printPdf ? { printPdf: ctx.printPdf } : {}),
        ...(jobId !== undefined ? { onProgress: (progress) => caller.emit('exportProgress', { jobId, ...progress }) } : {}),
      }),
    saveExport: ({ fileName, format, bytes }) => {
      if (!ctx.saveExport) throw new ServiceError('invalid-request', 'This version of Penholder saves exports as downloads in the page itself.');
      return ctx.saveExport(fileName, format, bytes);
    },
  };

  const handlers = {} as IpcHandlers;
  const install = <K extends IpcOperation>(operation: K): void => {
    // IpcHandlers[K] is exactly guard's type; TypeScript cannot see that through the mapped type for a generic K.
    handlers[operation] = guard(operation, operations[operation], log) as IpcHandlers[K];
  };
  for (const operation of ipcOperations) install(operation);
  return handlers;
}

/** Validates the raw request, runs the operation and turns every failure into an IpcError. */
function guard<K extends IpcOperation>(
  operation: K,
  run: Operations[K],
  log: (message: string) => void,
): (raw: unknown, caller?: IpcCaller) => Promise<IpcResult<IpcResponse<K>>> {
  const schema: z.ZodType = ipcRequestSchemas[operation];
  return async (raw, caller) => {
    try {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid-request', message: describeInvalidRequest(operation, parsed.error) } };
      }
      return { ok: true, value: await run(parsed.data as IpcParsedRequest<K>, caller ?? SILENT_CALLER) };
    } catch (error) {
      return { ok: false, error: toIpcError(operation, error, log) };
    }
  };
}

/** The document the app should reopen: the remembered one, if it still exists and is not in the trash. */
function liveLastOpened(workspace: Workspace): string | null {
  const id = workspace.getSetting(LAST_OPENED_SETTING);
  if (id === null || !documentIdSchema.safeParse(id).success) return null;
  try {
    return workspace.get(id).trashedAt === null ? id : null;
  } catch (error) {
    if (error instanceof StorageError && error.code === 'not-found') return null;
    throw error;
  }
}

/** Names the offending field(s) so the message says what to fix, e.g. `renameDocument: "title": a title cannot be empty`. */
export function describeInvalidRequest(operation: IpcOperation, error: z.ZodError): string {
  const problems = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.length > 0 ? `"${issue.path.map(String).join('.')}"` : 'the request';
    return `${field}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid ${operation} request: ${problems.join('; ')}${more}.`;
}

function toIpcError(operation: IpcOperation, error: unknown, log: (message: string) => void): IpcError {
  if (error instanceof StorageError) {
    const code = STORAGE_CODES[error.code] ?? 'storage';
    if (code === 'storage' || code === 'disk-full') log(`[penholder] ${operation}: storage error (${error.code}): ${errorSummary(error)}`);
    return { code, message: error.message };
  }
  if (error instanceof ServiceError) return { code: error.code, message: error.message };
  log(`[penholder] ${operation}: internal error: ${errorSummary(error)}`);
  return { code: 'internal', message: `Penholder could not complete "${operation}" because of an internal error; details are in the log.` };
}

/** The error's kind, a bounded message and its stack frames: enough to debug, never the request or document text. */
function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 8).join('\n');
  const message = error.message.length > 200 ? `${error.message.slice(0, 200)}…` : error.message;
  return `${error.name}: ${message}${frames ? `\n${frames}` : ''}`;
}
