/**
 * The browser build's `window.penholder`: the same PenholderApi as the Electron preload, carried over one
 * WebSocket to the Node web host (main/web/host.ts) in the JSON frames of shared/wire.ts.
 *
 * A call made while the socket is down waits for the next connection. When the socket drops, every call
 * not yet answered fails with a `storage` error, because its update may or may not have reached the disk:
 * the UI must retry it and never show it as saved.
 */
import type { IpcError, IpcEvents, IpcOperation, IpcRequest, IpcResponse, IpcResult, PenholderApi, WordFile } from '../../shared/ipc.ts';
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM, MAX_WIRE_FRAME_BYTES, decodeFrame, encodeFrame } from '../../shared/wire.ts';
import { readExportProgress } from '../../shared/ipc-names.ts';

/** The error every unanswered call receives when the connection is lost. */
export const CONNECTION_LOST: IpcError = {
  code: 'storage',
  message: 'Lost the connection to the Penholder service; retrying.',
};

/** The part of a WebSocket the bridge uses, so tests and other runtimes can supply their own. */
export interface BridgeSocket {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Tuning and seams for the bridge; the defaults are right for a browser. */
export interface WebBridgeOptions {
  /** Opens the socket; defaults to the browser's WebSocket. */
  connect?: (url: string) => BridgeSocket;
  /** Opens a vetted external link; defaults to a new, unrelated browser tab. */
  openWindow?: (url: string) => void;
  /** Lets the person choose a Word file in the page; defaults to a file input (see {@link chooseWordFileInPage}). */
  chooseWordFile?: () => Promise<IpcResult<WordFile | null>>;
  /** Saves an export; defaults to a browser download (see {@link downloadInPage}). */
  saveExport?: (request: IpcRequest<'saveExport'>) => Promise<IpcResult<string | null>>;
  /** First reconnection delay; it doubles up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

/** The web bridge: the PenholderApi, plus a way to shut it down for good. */
export type WebBridge = PenholderApi & {
  /** Closes the socket, fails unanswered calls and stops reconnecting. */
  close(): void;
};

/** Every operation, checked against shared/ipc.ts by `satisfies` so the list cannot miss or invent one (and zod stays out of the page). */
const OPERATIONS = {
  listDocuments: true,
  createDocument: true,
  renameDocument: true,
  duplicateDocument: true,
  trashDocument: true,
  restoreDocument: true,
  purgeDocument: true,
  loadYDoc: true,
  appendUpdate: true,
  listYDocs: true,
  getAppInfo: true,
  setLastOpened: true,
  openExternal: true,
  listServers: true,
  addServer: true,
  removeServer: true,
  signIn: true,
  signOut: true,
  getAccessToken: true,
  listRemoteDocuments: true,
  openRemoteDocument: true,
  publishDocument: true,
  listNetworkInterfaces: true,
  startHosting: true,
  stopHosting: true,
  hostingStatus: true,
  hostAddAccount: true,
  chooseWordFile: true,
  importDocx: true,
  readDocxChanges: true,
  exportDocument: true,
  saveExport: true,
} as const satisfies Record<IpcOperation, true>;

const OPEN = 1;

interface PendingCall {
  frame: string;
  sent: boolean;
  resolve: (result: IpcResult<unknown>) => void;
}

/** The token the web host put in the page address (`?token=...`), or null when the page was opened without it. */
export function readBridgeToken(search: string): string | null {
  return new URLSearchParams(search).get(BRIDGE_TOKEN_PARAM);
}

/** The WebSocket address of the bridge for a page served at `pageUrl`. */
export function bridgeSocketUrl(pageUrl: string, token: string): string {
  const url = new URL(BRIDGE_PATH, pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  url.searchParams.set(BRIDGE_TOKEN_PARAM, token);
  return url.href;
}

/** Connects to the web host that served `url` and returns the API the UI expects on `window.penholder`. */
export function createWebBridge(url: string, token: string, options: WebBridgeOptions = {}): WebBridge {
  const socketUrl = bridgeSocketUrl(url, token);
  const connect = options.connect ?? ((address: string) => new WebSocket(address) as unknown as BridgeSocket);
  const openWindow = options.openWindow ?? ((link: string) => void window.open(link, '_blank', 'noopener,noreferrer'));
  const minRetryMs = options.minRetryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 8000;

  const pending = new Map<number, PendingCall>();
  const menuListeners = new Set<(event: IpcEvents['menuCommand']) => void>();
  const exportListeners = new Set<(event: IpcEvents['exportProgress']) => void>();
  let socket: BridgeSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const failUnanswered = (): void => {
    for (const call of pending.values()) call.resolve({ ok: false, error: CONNECTION_LOST });
    pending.clear();
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer !== null) return;
    const delay = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(failures, 16));
    failures += 1;
    // Jitter keeps several tabs from hammering a restarting host in lockstep.
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, delay * (0.75 + Math.random() * 0.5));
  };

  const onFrame = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = decodeFrame(data);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object') return;
    const message = frame as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof message.id === 'number') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      call.resolve(isResult(message.result) ? message.result : { ok: false, error: { code: 'internal', message: 'The Penholder service sent an answer this page cannot read.' } });
      return;
    }
    if (message.event === 'menuCommand' && isMenuCommandPayload(message.payload)) {
      for (const listener of menuListeners) listener(message.payload);
    }
    if (message.event === 'exportProgress') {
      const progress = readExportProgress(message.payload);
      if (progress) for (const listener of exportListeners) listener(progress);
    }
  };

  const open = (): void => {
    if (closed) return;
    let current: BridgeSocket;
    try {
      current = connect(socketUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      failures = 0;
      for (const call of pending.values()) {
        if (!call.sent) {
          current.send(call.frame);
          call.sent = true;
        }
      }
    };
    current.onmessage = (event) => {
      if (socket === current) onFrame(event.data);
    };
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      failUnanswered();
      scheduleReconnect();
    };
  };

  const call = <K extends IpcOperation>(op: K, request: IpcRequest<K>): Promise<IpcResult<IpcResponse<K>>> =>
    new Promise<IpcResult<unknown>>((resolve) => {
      if (closed) {
        resolve({ ok: false, error: CONNECTION_LOST });
        return;
      }
      const id = nextId++;
      let frame: string;
      try {
        frame = encodeFrame({ id, op, request });
      } catch (error) {
        resolve({ ok: false, error: { code: 'invalid-request', message: `This ${op} request cannot be sent: ${error instanceof Error ? error.message : String(error)}.` } });
        return;
      }
      // The host closes the socket on an oversized frame, which would fail every other call too: refuse it here.
      if (frame.length > MAX_WIRE_FRAME_BYTES) {
        resolve({ ok: false, error: { code: 'invalid-request', message: `This ${op} request is too large to send.` } });
        return;
      }
      const entry: PendingCall = { frame, sent: false, resolve };
      pending.set(id, entry);
      if (socket && socket.readyState === OPEN) {
        socket.send(frame);
        entry.sent = true;
      }
    }) as Promise<IpcResult<IpcResponse<K>>>;

  const operations = {} as { [K in IpcOperation]: PenholderApi[K] };
  const install = <K extends IpcOperation>(op: K): void => {
    operations[op] = ((request: IpcRequest<K>) => call(op, request)) as PenholderApi[K];
  };
  for (const op of Object.keys(OPERATIONS) as IpcOperation[]) install(op);

  // The host only vets the link (it has no window); the page opens it, still within the click's user activation.
  operations.openExternal = async (request) => {
    const result = await call('openExternal', request);
    if (result.ok && result.value.opened) openWindow(request.url);
    return result;
  };

  // The host has no window to show a dialog in: the page asks for the file itself, inside the click's user activation.
  const chooseWordFile = options.chooseWordFile ?? chooseWordFileInPage;
  operations.chooseWordFile = () => chooseWordFile();

  // The host cannot show a save dialog either: the page downloads the file it was given.
  const saveExport = options.saveExport ?? downloadInPage;
  operations.saveExport = (request) => saveExport(request);

  open();

  return {
    ...operations,
    onMenuCommand(listener) {
      menuListeners.add(listener);
      return () => {
        menuListeners.delete(listener);
      };
    },
    onExportProgress(listener) {
      exportListeners.add(listener);
      return () => {
        exportListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const current = socket;
      socket = null;
      failUnanswered();
      current?.close(1000, 'closed by the page');
    },
  };
}

/** The type a download is saved as, per export format (shared/export/formats.ts MIME_TYPES, restated to keep the page light). */
const DOWNLOAD_TYPES: Readonly<Record<IpcRequest<'saveExport'>['format'], string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
};

/**
 * Saves an export as a browser download (a Blob behind an `<a download>`); answers the file name, since where the
 * browser puts its downloads is the browser's business.
 */
export function downloadInPage(request: IpcRequest<'saveExport'>): Promise<IpcResult<string | null>> {
  const url = URL.createObjectURL(new Blob([request.bytes.slice()], { type: DOWNLOAD_TYPES[request.format] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = request.fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the object URL is released once it surely has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return Promise.resolve({ ok: true, value: request.fileName });
}

/** Largest Word file the page reads (shared/ipc.ts MAX_WORD_FILE_BYTES, restated so zod stays out of the page). */
const MAX_WORD_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Lets the person choose a .docx with a file input and reads it into bytes; null when they cancel. Must be called
 * while handling a click (browsers open a file chooser only then), before anything is awaited.
 */
export function chooseWordFileInPage(): Promise<IpcResult<WordFile | null>> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    input.hidden = true;
    input.setAttribute('data-testid', 'word-file-input');
    let settled = false;
    const finish = (result: IpcResult<WordFile | null>): void => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(result);
    };
    const refuse = (message: string): void => finish({ ok: false, error: { code: 'bad-file', message } });
    input.addEventListener('cancel', () => finish({ ok: true, value: null }));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) {
        finish({ ok: true, value: null });
        return;
      }
      if (file.size === 0) {
        refuse(`“${file.name}” is empty: there is nothing to import.`);
        return;
      }
      if (file.size > MAX_WORD_FILE_BYTES) {
        refuse(`“${file.name}” is too large to import (at most ${MAX_WORD_FILE_BYTES / (1024 * 1024)} MB).`);
        return;
      }
      file.arrayBuffer().then(
        (buffer) => finish({ ok: true, value: { fileName: file.name, bytes: new Uint8Array(buffer) } }),
        () => refuse(`“${file.name}” could not be read.`),
      );
    });
    document.body.append(input);
    input.click();
  });
}

function isResult(value: unknown): value is IpcResult<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const result = value as { ok?: unknown; error?: unknown };
  if (result.ok === true) return true;
  if (result.ok !== false || result.error === null || typeof result.error !== 'object') return false;
  const error = result.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

function isMenuCommandPayload(value: unknown): value is IpcEvents['menuCommand'] {
  return value !== null && typeof value === 'object' && typeof (value as { command?: unknown }).command === 'string';
}
