/**
 * The renderer's view of main: every operation of shared/ipc.ts as an async function that answers the value
 * or throws an {@link IpcCallError}, so UI code can use try/catch instead of unpacking envelopes.
 */
import type { IpcError, IpcEvents, IpcOperation, IpcRequest, IpcResponse, IpcResult, PenholderApi } from '../shared/ipc.ts';

/** A failed operation, carrying main's stable error code and a sentence for a person. */
export class IpcCallError extends Error {
  /** The stable code the UI can branch on (see shared/ipc.ts). */
  readonly code: IpcError['code'];
  /** The operation that failed, for logs. */
  readonly operation: IpcOperation;

  constructor(operation: IpcOperation, error: IpcError) {
    super(error.message);
    this.name = 'IpcCallError';
    this.code = error.code;
    this.operation = operation;
  }
}

/** The throwing form of the API the UI uses. */
export type MainApi = {
  [K in IpcOperation]: (request: IpcRequest<K>) => Promise<IpcResponse<K>>;
} & {
  onMenuCommand(listener: (event: IpcEvents['menuCommand']) => void): () => void;
  onExportProgress(listener: (event: IpcEvents['exportProgress']) => void): () => void;
};

/** A sentence for a person from anything thrown by an operation. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Wraps a PenholderApi so each call resolves to its value or throws an IpcCallError. */
export function wrapApi(api: PenholderApi): MainApi {
  const call = async <K extends IpcOperation>(operation: K, request: IpcRequest<K>): Promise<IpcResponse<K>> => {
    const fn = api[operation] as unknown as (request: IpcRequest<K>) => Promise<IpcResult<IpcResponse<K>>>;
    let result;
    try {
      result = await fn(request);
    } catch (error) {
      // A transport failure (closed socket, dead main) has no envelope: report it in the same shape.
      throw new IpcCallError(operation, { code: 'internal', message: describeError(error) });
    }
    if (!result.ok) throw new IpcCallError(operation, result.error);
    return result.value;
  };
  return {
    listDocuments: (r) => call('listDocuments', r),
    createDocument: (r) => call('createDocument', r),
    renameDocument: (r) => call('renameDocument', r),
    duplicateDocument: (r) => call('duplicateDocument', r),
    trashDocument: (r) => call('trashDocument', r),
    restoreDocument: (r) => call('restoreDocument', r),
    purgeDocument: (r) => call('purgeDocument', r),
    loadYDoc: (r) => call('loadYDoc', r),
    appendUpdate: (r) => call('appendUpdate', r),
    listYDocs: (r) => call('listYDocs', r),
    getAppInfo: (r) => call('getAppInfo', r),
    setLastOpened: (r) => call('setLastOpened', r),
    openExternal: (r) => call('openExternal', r),
    listServers: (r) => call('listServers', r),
    addServer: (r) => call('addServer', r),
    removeServer: (r) => call('removeServer', r),
    signIn: (r) => call('signIn', r),
    signOut: (r) => call('signOut', r),
    getAccessToken: (r) => call('getAccessToken', r),
    listRemoteDocuments: (r) => call('listRemoteDocuments', r),
    openRemoteDocument: (r) => call('openRemoteDocument', r),
    publishDocument: (r) => call('publishDocument', r),
    listNetworkInterfaces: (r) => call('listNetworkInterfaces', r),
    startHosting: (r) => call('startHosting', r),
    stopHosting: (r) => call('stopHosting', r),
    hostingStatus: (r) => call('hostingStatus', r),
    hostAddAccount: (r) => call('hostAddAccount', r),
    chooseWordFile: (r) => call('chooseWordFile', r),
    importDocx: (r) => call('importDocx', r),
    readDocxChanges: (r) => call('readDocxChanges', r),
    exportDocument: (r) => call('exportDocument', r),
    saveExport: (r) => call('saveExport', r),
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onExportProgress: (listener) => api.onExportProgress(listener),
  };
}

let cached: MainApi | null = null;

/** The API installed on `window.penholder`, wrapped; throws when the page runs outside the app. */
export function mainApi(): MainApi {
  if (cached) return cached;
  const api = window.penholder;
  if (!api) throw new Error('Penholder cannot reach its storage: this page must be opened by the app (window.penholder is missing).');
  cached = wrapApi(api);
  return cached;
}
