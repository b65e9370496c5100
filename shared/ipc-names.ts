/**
 * The names of the IPC contract, with no imports: what the sandboxed preload needs, without bundling zod.
 * shared/ipc.ts re-exports these and checks that its request schemas cover exactly these operations.
 */

/** Every operation name, in the order the preload and the web bridge expose them. */
export const ipcOperationNames = [
  'listDocuments',
  'createDocument',
  'renameDocument',
  'duplicateDocument',
  'trashDocument',
  'restoreDocument',
  'purgeDocument',
  'loadYDoc',
  'appendUpdate',
  'listYDocs',
  'getAppInfo',
  'setLastOpened',
  'openExternal',
  'listServers',
  'addServer',
  'removeServer',
  'signIn',
  'signOut',
  'getAccessToken',
  'listRemoteDocuments',
  'openRemoteDocument',
  'publishDocument',
  'listNetworkInterfaces',
  'startHosting',
  'stopHosting',
  'hostingStatus',
  'hostAddAccount',
  'exportDocument',
  'saveExport',
  'chooseWordFile',
  'importDocx',
  'readDocxChanges',
] as const;

/** The name of one IPC operation. */
export type IpcOperationName = (typeof ipcOperationNames)[number];

/** Commands the native menu (or a keyboard shortcut main owns) sends to the renderer. */
export const menuCommands = [
  'new-document',
  'new-from-sample',
  'rename-document',
  'duplicate-document',
  'trash-document',
  'show-documents',
  'show-trash',
  'undo',
  'redo',
  'select-all',
  'toggle-outline',
  'about',
  'export-document',
  'import-docx',
  'import-proposals',
] as const;

/** One menu command. */
export type MenuCommand = (typeof menuCommands)[number];

/** The Electron IPC channel that carries one operation. */
export function ipcChannel(operation: IpcOperationName): string {
  return `penholder:${operation}`;
}

/** Every event main pushes to the renderer. */
export const ipcEventNames = ['menuCommand', 'exportProgress'] as const;

/** The name of one event main pushes to the renderer. */
export type IpcEventChannelName = (typeof ipcEventNames)[number];

/** The Electron IPC channel that carries one event. */
export function ipcEventChannel(event: IpcEventChannelName): string {
  return `penholder-event:${event}`;
}

/** The stages of an export's progress event (shared/ipc.ts ExportProgress). */
const exportStages: ReadonlySet<string> = new Set(['loading', 'building', 'printing', 'done']);

/**
 * An export progress event checked field by field, or null: the preload and the web bridge hand the page only
 * well-formed payloads (shared/ipc.ts ExportProgress), without bundling zod.
 */
export function readExportProgress(
  payload: unknown,
): { jobId: string; stage: 'loading' | 'building' | 'printing' | 'done'; done: number; total: number } | null {
  if (payload === null || typeof payload !== 'object') return null;
  const { jobId, stage, done, total } = payload as Record<string, unknown>;
  if (typeof jobId !== 'string' || jobId.length > 64 || typeof stage !== 'string' || !exportStages.has(stage)) return null;
  if (typeof done !== 'number' || typeof total !== 'number' || !Number.isFinite(done) || !Number.isFinite(total)) return null;
  return { jobId, stage: stage as 'loading' | 'building' | 'printing' | 'done', done, total };
}
