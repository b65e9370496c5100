/**
 * The preload of the sandboxed renderer: exposes `window.penholder`, one function per operation of
 * shared/ipc.ts plus the menu subscription, and nothing else (never ipcRenderer itself).
 *
 * A sandboxed preload can require only 'electron' and a few built-ins, so electron-vite bundles this file
 * (and what it imports from shared/) into one CommonJS script.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannel, ipcEventChannel, ipcOperationNames as ipcOperations, menuCommands, readExportProgress, type MenuCommand } from '../shared/ipc-names.ts';
import type { IpcEvents, IpcOperation, PenholderApi } from '../shared/ipc.ts';

const knownMenuCommands: ReadonlySet<string> = new Set(menuCommands);

/** The function the page calls for one operation: the request goes to main as is and main validates it. */
function invoker<K extends IpcOperation>(operation: K): PenholderApi[K] {
  const channel = ipcChannel(operation);
  return ((request: unknown) => ipcRenderer.invoke(channel, request)) as PenholderApi[K];
}

const operations = {} as { [K in IpcOperation]: PenholderApi[K] };
const install = <K extends IpcOperation>(operation: K): void => {
  operations[operation] = invoker(operation);
};
for (const operation of ipcOperations) install(operation);

const api: PenholderApi = {
  ...operations,
  onMenuCommand(listener) {
    const channel = ipcEventChannel('menuCommand');
    // The page gets only the command, never the IpcRendererEvent (which would expose the sender).
    const relay = (_event: IpcRendererEvent, payload: unknown): void => {
      const command = (payload as { command?: unknown } | null)?.command;
      if (typeof command === 'string' && knownMenuCommands.has(command)) {
        const event: IpcEvents['menuCommand'] = { command: command as MenuCommand };
        listener(event);
      }
    };
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
  onExportProgress(listener) {
    const channel = ipcEventChannel('exportProgress');
    const relay = (_event: IpcRendererEvent, payload: unknown): void => {
      const progress = readExportProgress(payload);
      if (progress) listener(progress);
    };
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
};

contextBridge.exposeInMainWorld('penholder', api);
