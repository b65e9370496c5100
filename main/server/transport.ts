/**
 * The node wiring of the sync server: one HTTP server for the HTTP API and the WebSocket (`ws`), feeding
 * Hocuspocus as its own `Server` class does (handleConnection, the onRequest/onUpgrade/onListen/onDestroy hooks),
 * with two additions Hocuspocus's crossws wiring has no place for:
 *  - frame guards: extensions implementing {@link SocketGuard} see every frame before Hocuspocus does, so an
 *    oversized, malformed or over-budget message closes the socket with its own code (4413, 4400, 4429) even
 *    before the client has authenticated;
 *  - keep-alive: a connection-level Ping every few seconds, answered by the provider's Pong, which is consumed
 *    here (Hocuspocus 4.7 does not parse it) and keeps an idle reader (an observer who writes nothing, so sends
 *    no awareness) from being timed out by either side.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Extension, Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { CloseReason, SocketHandle, SyncContext } from './context.ts';
import type { SyncLog } from './logging.ts';
import { MESSAGE } from './messages.ts';

/** Checks every frame of one socket; the first refusal closes the socket with the returned code. */
export interface FrameGuard {
  /** Null lets the frame through; a close reason ends the socket. `binary` is false for a text frame. */
  inspect(frame: Uint8Array, binary: boolean): CloseReason | null;
}

/** An extension that guards sockets at the transport, before Hocuspocus reads their frames. */
export interface SocketGuard {
  guardSocket(socket: SocketHandle): FrameGuard;
  /** The largest frame this guard wants to see (so `ws` does not refuse it first with 1009). */
  readonly maxFrameBytes?: number;
}

/** Options of {@link listenTransport}. */
export interface TransportOptions {
  readonly hocuspocus: Hocuspocus<SyncContext>;
  readonly host: string;
  readonly port: number;
  readonly log: SyncLog;
  /** Interval of the connection-level Ping; default 15 s (the provider reconnects after 30 s of silence). */
  readonly pingIntervalMs?: number;
}

/** A listening transport. */
export interface Transport {
  readonly port: number;
  /** Closes every socket, waits for Hocuspocus to unload its documents, runs onDestroy and stops listening. */
  close(): Promise<void>;
}

/** The largest frame `ws` accepts when no guard says how large a frame it wants to see. */
const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

/** How long {@link Transport.close} waits for documents to unload before going on. */
const UNLOAD_WAIT_MS = 5000;

/** The close code of a server shutting down (the client reconnects to the next server). */
const GOING_AWAY: CloseReason = { code: 1001, reason: 'The server is shutting down' };

/** True when an extension implements {@link SocketGuard}. */
export function isSocketGuard(extension: Extension): extension is Extension & SocketGuard {
  return typeof (extension as Partial<SocketGuard>).guardSocket === 'function';
}

/** Starts the HTTP server and the WebSocket endpoint on `host:port` (0 picks a free port). */
export async function listenTransport(options: TransportOptions): Promise<Transport> {
  const { hocuspocus, log } = options;
  const guards = hocuspocus.configuration.extensions.filter(isSocketGuard);
  // Frames beyond every guard's interest are refused by `ws` itself (1009) without being buffered whole.
  const wanted = guards.map((guard) => guard.maxFrameBytes ?? 0).filter((bytes) => bytes > 0);
  const maxPayload = wanted.length > 0 ? Math.max(...wanted) : DEFAULT_MAX_PAYLOAD;
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const sockets = new Map<WebSocket, SocketHandle>();
  const server = http.createServer((request, response) => void answerRequest(hocuspocus, log, request, response));

  server.on('upgrade', (request: http.IncomingMessage, stream: Duplex, head: Buffer) => {
    void (async () => {
      try {
        await hocuspocus.hooks('onUpgrade', { request, socket: stream, head, instance: hocuspocus });
      } catch (error) {
        // Hocuspocus's convention: an empty rejection means a hook answered the upgrade itself.
        if (error) {
          log.error('socket.upgrade-failed', { error: String((error as { message?: unknown }).message ?? error) });
          stream.destroy();
        }
        return;
      }
      wss.handleUpgrade(request, stream, head, (ws) => accept(ws, request));
    })();
  });

  const accept = (ws: WebSocket, request: http.IncomingMessage): void => {
    // Closing the socket also ends its Hocuspocus connections at once, not only when the peer answers the close
    // handshake (which a misbehaving peer may never do).
    let onClosing = (_reason: CloseReason): void => {};
    const handle = socketHandle(ws, request, log, (reason) => onClosing(reason));
    sockets.set(ws, handle);
    const frameGuards = guards.map((guard) => guard.guardSocket(handle));
    const adapter: WebSocketLike = {
      get readyState() {
        return ws.readyState;
      },
      send(data) {
        if (ws.readyState === ws.OPEN) ws.send(data as Uint8Array);
      },
      close(code, reason) {
        handle.close({ code: code ?? 1000, reason: reason ?? '' });
      },
    };
    const client = hocuspocus.handleConnection(adapter, toFetchRequest(request, options.host), { socket: handle });
    let ended = false;
    const end = (reason: CloseReason): void => {
      if (ended) return;
      ended = true;
      client.handleClose(reason);
    };
    onClosing = end;
    log.info('socket.open', { socket: handle.id, remote: handle.remoteAddress });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (handle.closed) return;
      // A copy of exactly the frame: `ws` may hand out views into larger pooled buffers.
      const frame = new Uint8Array(toBuffer(data));
      for (const guard of frameGuards) {
        const refused = guard.inspect(frame, isBinary);
        if (refused) {
          handle.close(refused);
          return;
        }
      }
      if (frame.length === 1 && frame[0] === MESSAGE.pong) {
        client.lastMessageReceivedAt = Date.now();
        return;
      }
      client.handleMessage(frame);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      sockets.delete(ws);
      log.info('socket.closed', { socket: handle.id, code, reason: reason.toString('utf8').slice(0, 200) });
      end({ code, reason: reason.toString('utf8') });
    });
    ws.on('error', (error: Error) => {
      log.warn('socket.error', { socket: handle.id, error: error.message });
    });
  };

  const pingInterval = setInterval(() => {
    const ping = new Uint8Array([MESSAGE.ping]);
    for (const ws of sockets.keys()) if (ws.readyState === ws.OPEN) ws.send(ping);
  }, options.pingIntervalMs ?? 15_000);
  pingInterval.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  await hocuspocus.hooks('onListen', { instance: hocuspocus, configuration: hocuspocus.configuration, port });

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    clearInterval(pingInterval);
    server.close();
    for (const handle of sockets.values()) handle.close(GOING_AWAY);
    await waitForUnload(hocuspocus, UNLOAD_WAIT_MS);
    await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
    for (const ws of sockets.keys()) ws.terminate();
    wss.close();
    server.closeAllConnections();
  };
  return {
    port,
    close: () => (closing ??= close()),
  };
}

/** Runs the onRequest hooks; a request no hook answered gets a JSON 404. */
async function answerRequest(hocuspocus: Hocuspocus<SyncContext>, log: SyncLog, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  try {
    await hocuspocus.hooks('onRequest', { request, response, instance: hocuspocus });
  } catch (error) {
    // An empty rejection: a hook answered.
    if (!error) return;
    log.error('http.failed', { method: request.method, path: (request.url ?? '').split('?')[0], error: String((error as { message?: unknown }).message ?? error) });
    if (!response.headersSent) {
      response.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'The server failed to answer; the error is in its log.' } }));
    } else {
      response.destroy();
    }
    return;
  }
  if (!response.headersSent) {
    response.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error: { code: 'not-found', message: 'There is nothing at this address.' } }));
  }
}

function socketHandle(ws: WebSocket, request: http.IncomingMessage, log: SyncLog, onClosing: (reason: CloseReason) => void): SocketHandle {
  const id = randomUUID();
  let closed = false;
  return {
    id,
    remoteAddress: request.socket.remoteAddress ?? null,
    get closed() {
      return closed || ws.readyState === ws.CLOSING || ws.readyState === ws.CLOSED;
    },
    close(reason: CloseReason) {
      if (closed) return;
      closed = true;
      if (reason.code >= 4000) log.info('socket.closing', { socket: id, code: reason.code, reason: reason.reason });
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(reason.code, truncateReason(reason.reason));
      onClosing(reason);
    },
  };
}

/** A close reason is at most 123 bytes of UTF-8 (RFC 6455). */
function truncateReason(reason: string): string {
  let result = reason;
  while (Buffer.byteLength(result, 'utf8') > 123) result = result.slice(0, -1);
  return result;
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/** The upgrade request as the fetch `Request` Hocuspocus reads its URL parameters and headers from. */
function toFetchRequest(request: http.IncomingMessage, host: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const authority = request.headers.host ?? host;
  let url = 'http://localhost/';
  for (const base of [`http://${authority}`, 'http://localhost']) {
    try {
      url = new URL(request.url ?? '/', base).href;
      break;
    } catch {
      // A Host header or path that is not a URL: try the next base; parameters are then simply absent.
    }
  }
  return new Request(url, { headers });
}

async function waitForUnload(hocuspocus: Hocuspocus<SyncContext>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (hocuspocus.getDocumentsCount() > 0 || hocuspocus.loadingDocuments.size > 0) {
    if (Date.now() > deadline) return;
    hocuspocus.flushPendingStores();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
