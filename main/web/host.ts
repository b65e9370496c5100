/**
 * The Node web host: serves the browser build of the UI and answers its calls over one WebSocket, with the
 * same handlers the desktop shell uses (`npm run web`, and the end-to-end tests).
 *
 * It listens on the loopback interface only. The page itself holds no data; the data channel (`/bridge`)
 * needs both the per-run token and the host's own Origin, so neither another local user's page nor a
 * DNS-rebinding page can reach the workspace.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { ipcRequestSchemas, type IpcOperation, type IpcResult } from '../../shared/ipc.ts';
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM, MAX_WIRE_FRAME_BYTES, decodeFrame, encodeFrame, type WireEvent } from '../../shared/wire.ts';
import { Workspace } from '../storage/index.ts';
import { createIpcHandlers, type IpcCaller, type IpcHandlers } from '../services/handlers.ts';
import { chromiumPdfPrinter, findChromium } from '../services/chromiumPdf.ts';
import { MemoryCredentialVault } from '../services/credentials.ts';
import { createSyncServices } from '../services/syncServices.ts';
import { ensureFirstRun } from '../services/firstRun.ts';
import { contentSecurityPolicy } from '../services/csp.ts';
import { resolveStaticFile } from '../services/staticFiles.ts';

/** How to start the web host. */
export interface WebHostOptions {
  /** The workspace folder (created if missing). */
  workspaceDir: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Loopback only: the bridge must never be reachable from the network. */
  host?: '127.0.0.1';
  /** The built web app (dist-web/). */
  staticDir: string;
  /** The secret the page must present; a fresh random one per run unless given. */
  token?: string;
  /** Reported by getAppInfo. */
  version?: string;
  /** The folder holding `sample/zero-draft.json`; defaults to the project's resources/. */
  resourcesDir?: string;
  /** Where problems are reported; defaults to console.error. */
  log?: (message: string) => void;
  /** The Chromium that prints PDF exports; defaults to findChromium() (PENHOLDER_CHROMIUM, /usr/bin/chromium); null refuses PDF. */
  chromiumPath?: string | null;
}

/** A running web host. */
export interface WebHost {
  /** The page to open, token included. */
  url: string;
  /** `http://127.0.0.1:PORT`: the only Origin the bridge accepts. */
  origin: string;
  token: string;
  port: number;
  /** Disconnects every client, stops listening, stops a hosted session and closes the workspace. */
  close(): Promise<void>;
}

/** Starts the host; resolves once it is listening and the workspace is open. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? ((message: string) => console.error(message));
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (token.length < 16) throw new Error('The web host token must be at least 16 characters.');

  const workspace = Workspace.open(options.workspaceDir);
  for (const problem of workspace.problems) {
    log(`[penholder] workspace problem: ${problem.message} (${problem.file} was moved to ${problem.movedTo})`);
  }
  try {
    ensureFirstRun(workspace, { ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}), log });
  } catch (error) {
    log(`[penholder] first run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The web build serves tests and local use: sign-ins live in this process's memory only and end with it.
  const sync = createSyncServices({
    workspace,
    vault: new MemoryCredentialVault('The web version keeps sign-ins in memory only: you will have to sign in again after it restarts.'),
    log,
  });
  // PDF exports are printed by a headless Chromium started for each print, when this machine has one.
  const chromiumPath = options.chromiumPath === undefined ? findChromium() : options.chromiumPath;
  const handlers = createIpcHandlers({
    workspace,
    sync,
    shell: 'web',
    version: options.version ?? '0.0.0-dev',
    // The host only vets the link; the page opens it itself, since this process has no window of its own.
    openExternal: async () => {},
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
    log,
    ...(chromiumPath ? { printPdf: chromiumPdfPrinter(chromiumPath) } : {}),
  });

  let origin = '';
  let hostHeader = '';
  let csp = '';
  const server = createServer((req, res) => serveStatic(req, res, options.staticDir, hostHeader, csp));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_FRAME_BYTES, perMessageDeflate: false });
  wss.on('connection', (socket) => serveBridge(socket, handlers, log));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req, { origin, hostHeader, token });
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
  } catch (error) {
    await sync.close();
    workspace.close();
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The web host has no TCP address.');
  const port = address.port;
  hostHeader = `${host}:${port}`;
  origin = `http://${hostHeader}`;
  csp = contentSecurityPolicy({ connectSrc: [`ws://${hostHeader}`] });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      // The hosted session writes into the workspace folder: stop it before the workspace closes.
      await sync.close();
      workspace.close();
    })();
    return closing;
  };

  const url = new URL('/', origin);
  url.searchParams.set(BRIDGE_TOKEN_PARAM, token);
  return { url: url.href, origin, token, port, close };
}

/** Why an upgrade is refused, as an HTTP status line, or null to accept it. */
function checkUpgrade(req: IncomingMessage, expected: { origin: string; hostHeader: string; token: string }): string | null {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://placeholder');
  } catch {
    return '400 Bad Request';
  }
  if (url.pathname !== BRIDGE_PATH) return '404 Not Found';
  if (req.headers.host !== expected.hostHeader) return '421 Misdirected Request';
  if (req.headers.origin !== expected.origin) return '403 Forbidden';
  if (!tokensMatch(url.searchParams.get(BRIDGE_TOKEN_PARAM), expected.token)) return '401 Unauthorized';
  return null;
}

/** Compares in constant time; hashing first makes the comparison independent of the presented length too. */
function tokensMatch(presented: string | null, token: string): boolean {
  if (presented === null) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * Answers one client's frames, one at a time and in order, so appends reach the log in the order sent; calls that
 * wait on a sync server run beside that queue.
 */
function serveBridge(socket: WebSocket, handlers: IpcHandlers, log: (message: string) => void): void {
  let queue: Promise<void> = Promise.resolve();
  // ws reports protocol violations (oversized frames: 1009, bad UTF-8: 1007) here and closes the socket itself.
  socket.on('error', () => {});
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      socket.close(1008, 'Penholder accepts JSON text frames only');
      return;
    }
    let frame: unknown;
    try {
      frame = decodeFrame(rawDataToString(data));
    } catch {
      socket.close(1008, 'Malformed frame: invalid JSON or $bytes');
      return;
    }
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      socket.close(1008, 'Malformed frame: expected an object');
      return;
    }
    const { id, op, request } = frame as { id?: unknown; op?: unknown; request?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      socket.close(1008, 'Malformed frame: missing id');
      return;
    }
    // Events a call raises (an export's progress) go to the socket that made it.
    const caller: IpcCaller = {
      emit: (event, payload) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(encodeFrame({ event, payload } as WireEvent));
      },
    };
    const answer = async (): Promise<void> => {
      const result: IpcResult<unknown> = isOperation(op)
        ? await handlers[op](request, caller)
        : { ok: false, error: { code: 'invalid-request', message: `Unknown operation ${JSON.stringify(String(op)).slice(0, 80)}.` } };
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeFrame({ id, result }));
    };
    const reportFailure = (error: unknown): void => {
      // Handlers never throw; this is the transport failing. Keep the chain alive for the next frame.
      log(`[penholder] web bridge: could not answer a call: ${error instanceof Error ? error.message : String(error)}`);
    };
    if (isOperation(op) && NETWORK_OPERATIONS.has(op)) {
      // A call that waits on a sync server (up to its timeout) must not hold back the saves queued behind it.
      answer().catch(reportFailure);
      return;
    }
    queue = queue.then(answer).catch(reportFailure);
  });
}

/** Operations that may wait on a sync server; they are answered as they finish, outside the ordered queue. */
const NETWORK_OPERATIONS: ReadonlySet<IpcOperation> = new Set<IpcOperation>([
  'addServer',
  'signIn',
  'getAccessToken',
  'listRemoteDocuments',
  'publishDocument',
  'startHosting',
  'stopHosting',
  // Parsing a Word file in its worker may take seconds; saves of the open document must not wait behind it.
  'importDocx',
  'readDocxChanges',
  // An export reads what is already saved (the page waits for "Saved" first) and may take seconds for a long text.
  'exportDocument',
]);

function isOperation(op: unknown): op is IpcOperation {
  return typeof op === 'string' && Object.hasOwn(ipcRequestSchemas, op);
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Serves one file of the built app, with the CSP on pages and no way out of the static folder. */
function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string, hostHeader: string, csp: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The page URL carries the token: never leak it to another site.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  if (req.headers.host !== hostHeader) {
    sendText(res, 421, `Open this service as http://${hostHeader}/ (the address Penholder printed).`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'Method not allowed.');
    return;
  }
  const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  const file = resolveStaticFile(staticDir, rawPath);
  if (!file) {
    sendText(res, 404, 'Not found.');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.size));
  if (file.contentType.startsWith('text/html')) {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Cache-Control', 'no-store');
  } else {
    res.setHeader('Cache-Control', 'no-cache');
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}
