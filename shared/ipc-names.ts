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
] as const;

/** One menu command. */
export type MenuCommand = (typeof menuCommands)[number];

/** The Electron IPC channel that carries one operation. */
export function ipcChannel(operation: IpcOperationName): string {
  return `penholder:${operation}`;
}

/** The Electron IPC channel that carries one event. */
export function ipcEventChannel(event: 'menuCommand'): string {
  return `penholder-event:${event}`;
}
