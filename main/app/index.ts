/**
 * The desktop shell: one sandboxed window, the native menu, and IPC into the same handlers the web host uses.
 * Everything that can be tested without Electron lives in main/services/; this file only wires it up.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type IpcMainInvokeEvent, type OpenDialogOptions, type WebContents } from 'electron';
import { ipcChannel, ipcEventChannel, ipcOperations, type IpcResult, type WordFile } from '../../shared/ipc.ts';
import { Workspace } from '../storage/index.ts';
import { createIpcHandlers, type IpcCaller, type IpcHandlers } from '../services/handlers.ts';
import { createSyncServices, type SyncServices } from '../services/syncServices.ts';
import { ensureFirstRun } from '../services/firstRun.ts';
import { contentSecurityPolicy } from '../services/csp.ts';
import { checkExternalLink } from '../services/links.ts';
import { readWordFile } from '../services/imports.ts';
import { APP_ENTRY_URL, isAppUrl, registerAppSchemePrivileges, serveAppScheme } from './appProtocol.ts';
import { buildApplicationMenu } from './menu.ts';
import { openCredentialVault } from './credentials.ts';
import { electronPdfPrinter, saveExportWithDialog } from './exports.ts';

/** Set by `electron-vite dev` to the renderer's dev server; absent in a built app. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const dev = !app.isPackaged;
const windows = new Set<BrowserWindow>();
let workspace: Workspace | null = null;
let sync: SyncServices | null = null;

registerAppSchemePrivileges();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Two processes appending to the same SQLite logs would fight over them: the first instance wins.
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = [...windows][0];
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start).catch(fail);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (workspace && windows.size === 0) createWindow();
  });
  app.on('will-quit', (event) => {
    const running = sync;
    if (running) {
      // A hosted session writes into the workspace: stop it (freeing its port) before the workspace closes.
      sync = null;
      event.preventDefault();
      running
        .close()
        .catch((error: unknown) => console.error(`[penholder] the hosted session did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => app.quit());
      return;
    }
    workspace?.close();
    workspace = null;
  });
}

async function start(): Promise<void> {
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
  workspace = Workspace.open(join(app.getPath('userData'), 'workspace'));
  for (const problem of workspace.problems) {
    console.warn(`[penholder] workspace problem: ${problem.message} (${problem.file} was moved to ${problem.movedTo})`);
  }
  try {
    ensureFirstRun(workspace, { resourcesDir });
  } catch (error) {
    console.error(`[penholder] first run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const log = (message: string): void => console.error(message);
  sync = createSyncServices({ workspace, vault: await openCredentialVault(log), log });
  const handlers = createIpcHandlers({
    workspace,
    sync,
    shell: 'electron',
    version: app.getVersion(),
    openExternal: (url) => shell.openExternal(url),
    resourcesDir,
    chooseWordFile,
    printPdf: electronPdfPrinter(),
    saveExport: saveExportWithDialog,
  });
  registerIpc(handlers);
  if (devServerUrl) addDevServerCsp(devServerUrl);
  else serveAppScheme(join(import.meta.dirname, '..', 'renderer'));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  Menu.setApplicationMenu(buildApplicationMenu({ dev, platform: process.platform }));
  createWindow();
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[penholder] could not start: ${message}`);
  dialog.showErrorBox('Penholder could not start', `${message}\n\nYour documents have not been changed.`);
  app.exit(1);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    title: 'Penholder',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(import.meta.dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      devTools: dev,
    },
  });
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  window.once('ready-to-show', () => window.show());
  // The renderer refuses to unload while changes are not yet on disk; ask the person rather than losing them.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      buttons: ['Keep editing', 'Close anyway'],
      defaultId: 0,
      cancelId: 0,
      title: 'Changes not yet saved',
      message: 'Some changes have not reached the disk yet.',
      detail: 'Wait a moment for "Saved" in the status bar. If you close now, the last changes may be lost.',
    });
    // preventDefault on this event lets the unload go ahead.
    if (choice === 1) event.preventDefault();
  });
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return window;
}

/** The open dialog for a Word file, over the window the person is using; null when they cancel. */
async function chooseWordFile(purpose: 'document' | 'proposals'): Promise<WordFile | null> {
  const options: OpenDialogOptions = {
    title: purpose === 'document' ? 'Import a Word document' : 'Import proposals from a Word file with tracked changes',
    buttonLabel: 'Import',
    properties: ['openFile'],
    filters: [{ name: 'Word documents', extensions: ['docx'] }],
  };
  const window = BrowserWindow.getFocusedWindow() ?? [...windows][0];
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? undefined : result.filePaths[0];
  return path === undefined ? null : readWordFile(path);
}

/** Refuses navigation, new windows and webviews in every web contents the app creates. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    // The app is one page: a navigation can only be a dropped file, a stray link or an attack.
    event.preventDefault();
    console.warn(`[penholder] refused a navigation away from the app (${safeOrigin(url)})`);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const verdict = checkExternalLink(url, new Set(['http:', 'https:']));
    if (verdict.allowed) void shell.openExternal(verdict.url);
    return { action: 'deny' };
  });
}

/** Registers one IPC handler per operation, each answering only our own window's top frame. */
function registerIpc(handlers: IpcHandlers): void {
  for (const operation of ipcOperations) {
    const handler = handlers[operation] as (raw: unknown, caller?: IpcCaller) => Promise<IpcResult<unknown>>;
    ipcMain.handle(ipcChannel(operation), async (event, raw: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event)) {
        console.warn(`[penholder] refused ${operation} from an untrusted frame (${safeOrigin(event.senderFrame?.url ?? '')})`);
        return { ok: false, error: { code: 'forbidden', message: 'This request did not come from a Penholder window.' } };
      }
      // Events an operation raises (an export's progress) go back to the window that asked, and nowhere else.
      const sender = event.sender;
      const caller: IpcCaller = {
        emit: (name, payload) => {
          if (!sender.isDestroyed()) sender.send(ipcEventChannel(name), payload);
        },
      };
      return handler(raw, caller);
    });
  }
}

/** The sender is the main frame of one of our windows, showing one of our pages. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const window = BrowserWindow.fromWebContents(event.sender);
  if (!window || !windows.has(window)) return false;
  const main = event.sender.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId || frame.parent !== null) return false;
  return isAppUrl(frame.url, devServerUrl);
}

/** Under `electron-vite dev` pages come from Vite's server: give them the (dev-widened) CSP as a header. */
function addDevServerCsp(serverUrl: string): void {
  const origin = new URL(serverUrl).origin;
  const csp = contentSecurityPolicy({ dev: true });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isSameOrigin(details.url, origin)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

function isSameOrigin(raw: string, origin: string): boolean {
  try {
    return new URL(raw).origin === origin;
  } catch {
    return false;
  }
}

/** Only the origin of a URL goes to the log: a full URL can carry text a person typed. */
function safeOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return 'unparsable URL';
  }
}
