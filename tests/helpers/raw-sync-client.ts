/**
 * A raw WebSocket client that speaks the Hocuspocus wire protocol itself (no @hocuspocus/provider), so adversarial
 * tests can send exactly the bytes a modified client would: forbidden writes, forged awareness, garbage.
 *
 * Every frame is `varString(documentName)` then `varUint(messageType)` then the type's body (lib0 encoding):
 *   Sync (0) / SyncReply (4): varUint(step: 0 = step 1, 1 = step 2, 2 = update), varUint8Array(state vector | update)
 *   Awareness (1):            varUint8Array(y-protocols awareness update)
 *   Auth (2):                 client: varUint(0 = token), varString(token), varString(provider version);
 *                             server: varUint(0 = token request) | varUint(1), varString(reason) | varUint(2),
 *                             varString('readonly' | 'read-write')
 *   QueryAwareness (3):       no body
 *   Stateless (5):            varString(payload)
 *   Close (7):                client: no body; server: varString(reason) (one document's connection closed)
 *   SyncStatus (8):           varUint(1 = applied, 0 = refused), server to client only
 * (Read from @hocuspocus/server src/OutgoingMessage.ts, MessageReceiver.ts, ClientConnection.ts and
 * @hocuspocus/common src/auth.ts, version 4.7.0.)
 */
import { ConnectionTimeout, Forbidden, MessageTooBig, ResetConnection, Unauthorized } from '@hocuspocus/common';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { HOCUSPOCUS_MESSAGE, SCHEMA_VERSION_PARAM, SYNC_CLOSE, SYNC_STEP } from '../../shared/sync.ts';

/** Hocuspocus message types (the second field of every frame). */
export const MESSAGE_TYPE = HOCUSPOCUS_MESSAGE;

export { SYNC_STEP };

/** Sub-types of an Auth message (@hocuspocus/common). */
export const AUTH_TYPE = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

/** The provider version a raw client announces in its Auth message (what @hocuspocus/provider 4.7.0 sends). */
export const RAW_PROVIDER_VERSION = '4.7.0';

/** One decoded frame, in either direction. */
export type WireMessage =
  | { readonly doc: string; readonly kind: 'sync-step1'; readonly stateVector: Uint8Array; readonly reply: boolean }
  | { readonly doc: string; readonly kind: 'sync-step2'; readonly update: Uint8Array; readonly reply: boolean }
  | { readonly doc: string; readonly kind: 'sync-update'; readonly update: Uint8Array; readonly reply: boolean }
  | { readonly doc: string; readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly doc: string; readonly kind: 'auth-token'; readonly token: string | null; readonly version: string | null }
  | { readonly doc: string; readonly kind: 'auth-denied'; readonly reason: string }
  | { readonly doc: string; readonly kind: 'auth-authenticated'; readonly scope: string }
  | { readonly doc: string; readonly kind: 'query-awareness' }
  | { readonly doc: string; readonly kind: 'stateless'; readonly payload: string }
  | { readonly doc: string; readonly kind: 'broadcast-stateless'; readonly payload: string }
  | { readonly doc: string; readonly kind: 'close'; readonly reason: string | null }
  | { readonly doc: string; readonly kind: 'sync-status'; readonly applied: boolean }
  | { readonly doc: string; readonly kind: 'ping' | 'pong' };

/** Which side sent a frame: the Auth and Close bodies differ by direction. */
export type WireDirection = 'to-server' | 'to-client';

/** Any frame: a document name, a type number, and the body `body` writes (none when it is left out). */
export function encodeFrame(doc: string, type: number, body?: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, doc);
  encoding.writeVarUint(encoder, type);
  body?.(encoder);
  return encoding.toUint8Array(encoder);
}

/** An Auth message carrying the access token, as the provider sends it first on every document. */
export function encodeAuth(doc: string, token: string, version: string | null = RAW_PROVIDER_VERSION): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.auth, (encoder) => {
    encoding.writeVarUint(encoder, AUTH_TYPE.token);
    encoding.writeVarString(encoder, token);
    if (version !== null) encoding.writeVarString(encoder, version);
  });
}

/** A Sync message of any step (a SYNC_STEP value, or another number for malformed-input tests) carrying `payload`. */
export function encodeSync(doc: string, step: number, payload: Uint8Array): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.sync, (encoder) => {
    encoding.writeVarUint(encoder, step);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

/** Sync step 1: "here is my state vector, send me what I lack". */
export function encodeSyncStep1(doc: string, stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Uint8Array {
  return encodeSync(doc, SYNC_STEP.step1, stateVector);
}

/** Sync step 2: "here is what you lack" (a Yjs update). */
export function encodeSyncStep2(doc: string, update: Uint8Array): Uint8Array {
  return encodeSync(doc, SYNC_STEP.step2, update);
}

/** A Sync update: one local change (a Yjs update). */
export function encodeSyncUpdate(doc: string, update: Uint8Array): Uint8Array {
  return encodeSync(doc, SYNC_STEP.update, update);
}

/** An Awareness message carrying a y-protocols awareness update. */
export function encodeAwareness(doc: string, awarenessUpdate: Uint8Array): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessUpdate));
}

/** A QueryAwareness message ("send me everyone's awareness"). */
export function encodeQueryAwareness(doc: string): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.queryAwareness);
}

/** A Stateless message: an application payload the server's onStateless hook sees. */
export function encodeStateless(doc: string, payload: string): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.stateless, (encoder) => encoding.writeVarString(encoder, payload));
}

/** A Close message: the client leaves one document but keeps the socket. */
export function encodeClose(doc: string): Uint8Array {
  return encodeFrame(doc, MESSAGE_TYPE.close);
}

/** Any frame: a document name, a type number and raw body bytes (for malformed-input tests). */
export function encodeRawFrame(doc: string, type: number, body: Uint8Array = new Uint8Array()): Uint8Array {
  return encodeFrame(doc, type, (encoder) => encoding.writeUint8Array(encoder, body));
}

/** An awareness update announcing one client's state (as y-protocols encodes it). */
export function awarenessUpdateFor(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** The states inside an awareness update, or null when it cannot be decoded. */
export function decodeAwarenessStates(update: Uint8Array): Array<{ clientId: number; clock: number; state: unknown }> | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const states: Array<{ clientId: number; clock: number; state: unknown }> = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      states.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) as unknown });
    }
    return states;
  } catch {
    return null;
  }
}

/**
 * Decodes one frame strictly: throws on truncation, unknown types or sub-types, and on trailing bytes the
 * protocol does not define (the provider-version string after an Auth token is the one optional field).
 */
export function decodeMessage(bytes: Uint8Array, direction: WireDirection): WireMessage {
  const decoder = decoding.createDecoder(bytes);
  const doc = decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  let message: WireMessage;
  switch (type) {
    case MESSAGE_TYPE.sync:
    case MESSAGE_TYPE.syncReply: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      const reply = type === MESSAGE_TYPE.syncReply;
      if (step === SYNC_STEP.step1) message = { doc, kind: 'sync-step1', stateVector: payload, reply };
      else if (step === SYNC_STEP.step2) message = { doc, kind: 'sync-step2', update: payload, reply };
      else if (step === SYNC_STEP.update) message = { doc, kind: 'sync-update', update: payload, reply };
      else throw new Error(`unknown sync step ${step}`);
      break;
    }
    case MESSAGE_TYPE.awareness:
      message = { doc, kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
      break;
    case MESSAGE_TYPE.auth: {
      const authType = decoding.readVarUint(decoder);
      if (authType === AUTH_TYPE.token) {
        if (direction === 'to-client') {
          message = { doc, kind: 'auth-token', token: null, version: null };
        } else {
          const token = decoding.readVarString(decoder);
          const version = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
          message = { doc, kind: 'auth-token', token, version };
        }
      } else if (authType === AUTH_TYPE.permissionDenied) {
        message = { doc, kind: 'auth-denied', reason: decoding.readVarString(decoder) };
      } else if (authType === AUTH_TYPE.authenticated) {
        message = { doc, kind: 'auth-authenticated', scope: decoding.readVarString(decoder) };
      } else {
        throw new Error(`unknown auth type ${authType}`);
      }
      break;
    }
    case MESSAGE_TYPE.queryAwareness:
      message = { doc, kind: 'query-awareness' };
      break;
    case MESSAGE_TYPE.stateless:
      message = { doc, kind: 'stateless', payload: decoding.readVarString(decoder) };
      break;
    case MESSAGE_TYPE.broadcastStateless:
      message = { doc, kind: 'broadcast-stateless', payload: decoding.readVarString(decoder) };
      break;
    case MESSAGE_TYPE.close:
      message = { doc, kind: 'close', reason: direction === 'to-client' ? decoding.readVarString(decoder) : null };
      break;
    case MESSAGE_TYPE.syncStatus:
      message = { doc, kind: 'sync-status', applied: decoding.readVarUint(decoder) === 1 };
      break;
    case MESSAGE_TYPE.ping:
      message = { doc, kind: 'ping' };
      break;
    case MESSAGE_TYPE.pong:
      message = { doc, kind: 'pong' };
      break;
    default:
      throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error(`${decoder.arr.length - decoder.pos} trailing bytes after ${message.kind}`);
  return message;
}

/** Close events a server may send: Penholder's own (SYNC_CLOSE) and Hocuspocus's standard ones. */
export const KNOWN_CLOSE_EVENTS: ReadonlyArray<{ readonly code: number; readonly reason: string; readonly source: 'penholder' | 'hocuspocus' }> = [
  ...Object.values(SYNC_CLOSE).map((event) => ({ ...event, source: 'penholder' as const })),
  ...[MessageTooBig, ResetConnection, Unauthorized, Forbidden, ConnectionTimeout].map((event) => ({ ...event, source: 'hocuspocus' as const })),
];

/**
 * The close code a per-document Close message stands for: the frame carries only the reason, so it is matched
 * against the known close events; null when the reason is not one of them.
 */
export function closeCodeForReason(reason: string | null): number | null {
  const known = KNOWN_CLOSE_EVENTS.find((event) => event.reason === reason);
  return known ? known.code : null;
}

/** The ws URL with the schema version parameter the server checks on connect (null leaves it out). */
export function syncSocketUrl(url: string, schemaVersion: number | string | null = SCHEMA_VERSION): string {
  const parsed = new URL(url);
  if (schemaVersion !== null) parsed.searchParams.set(SCHEMA_VERSION_PARAM, String(schemaVersion));
  return parsed.toString();
}

/** How a socket ended: the close code and reason the client saw (1006 when no close frame arrived). */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/** What happened to a request to open a document. */
export type OpenOutcome =
  | { readonly status: 'authenticated'; readonly scope: string }
  | { readonly status: 'denied'; readonly reason: string }
  | { readonly status: 'doc-closed'; readonly reason: string | null }
  | { readonly status: 'socket-closed'; readonly close: SocketClose }
  | { readonly status: 'timeout' };

/** How the server answered a write or a probe on one document. */
export type RefusalOutcome =
  | { readonly status: 'socket-closed'; readonly close: SocketClose }
  | { readonly status: 'doc-closed'; readonly reason: string | null }
  | { readonly status: 'denied'; readonly reason: string }
  | { readonly status: 'alive' }
  | { readonly status: 'timeout' };

/** Options of {@link RawSyncClient.connect}. */
export interface RawConnectOptions {
  /** The schema version to announce (a string for a malformed one); null omits the parameter. */
  readonly schemaVersion?: number | string | null;
  /** How long to wait for the socket to open. */
  readonly timeoutMs?: number;
  /** Initial {@link RawSyncClient.answerStep1}; default true. */
  readonly answerStep1?: boolean;
  /** Initial {@link RawSyncClient.answerPing}; default true. */
  readonly answerPing?: boolean;
}

/** One received frame with its arrival index. */
export interface ReceivedFrame {
  readonly index: number;
  readonly bytes: Uint8Array;
  /** The decoded frame, or null when the server sent something this decoder rejects. */
  readonly message: WireMessage | null;
}

/**
 * A raw protocol client on one socket: it logs every frame it receives, keeps a replica Y.Doc per document it
 * receives sync messages for, answers the server's sync step 1 like a provider (with what its replica has that
 * the server lacks), and lets a test send any bytes.
 */
export class RawSyncClient {
  /** Every frame received, in order. */
  readonly received: ReceivedFrame[] = [];
  /** Replicas of the documents this socket received sync content for. */
  readonly replicas = new Map<string, Y.Doc>();
  /** How the socket closed, once it has. */
  closeEvent: SocketClose | null = null;
  /** Frames sent so far (including ones the socket dropped because it was closing). */
  sent = 0;
  /** When false, the client does not answer the server's sync step 1 (a silent peer). */
  answerStep1 = true;
  /** When false, the client ignores the server's connection-level Ping (a dead peer). */
  answerPing = true;
  /** Connection-level Pings received (they are kept out of `received`). */
  pingsReceived = 0;
  /** The socket itself, for a test that must see a frame the moment it arrives or send a text frame. */
  readonly socket: WebSocket;

  private readonly listeners = new Set<() => void>();

  private constructor(socket: WebSocket, options: RawConnectOptions) {
    this.socket = socket;
    this.answerStep1 = options.answerStep1 ?? true;
    this.answerPing = options.answerPing ?? true;
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!isBinary) return;
      const bytes = toBytes(data);
      if (bytes.length === 1 && bytes[0] === MESSAGE_TYPE.ping) {
        // The server's connection-level keep-alive: answer like the provider does, and keep it out of the log.
        this.pingsReceived += 1;
        if (this.answerPing && this.open) this.socket.send(new Uint8Array([MESSAGE_TYPE.pong]), { binary: true });
        return;
      }
      let message: WireMessage | null;
      try {
        message = decodeMessage(bytes, 'to-client');
      } catch {
        message = null;
      }
      this.received.push({ index: this.received.length, bytes, message });
      if (message) this.apply(message);
      this.notify();
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closeEvent = { code, reason: reason.toString('utf8') };
      this.notify();
    });
    socket.on('error', () => {
      // A refused or reset socket also emits 'close', which is what tests look at.
    });
  }

  /** Opens a socket to the sync server's ws URL (the schema parameter is added). */
  static async connect(url: string, options: RawConnectOptions = {}): Promise<RawSyncClient> {
    const socket = new WebSocket(syncSocketUrl(url, options.schemaVersion === undefined ? SCHEMA_VERSION : options.schemaVersion), {
      maxPayload: 64 * 1024 * 1024,
    });
    const client = new RawSyncClient(socket, options);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket to ${url} did not open`)), options.timeoutMs ?? 10_000);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('close', () => {
        // Closed before or right after opening: closeEvent tells the test how.
        clearTimeout(timer);
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        clearTimeout(timer);
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
      });
    });
    return client;
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one frame; false when the socket is no longer open. */
  send(bytes: Uint8Array): boolean {
    this.sent += 1;
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(bytes, { binary: true });
    return true;
  }

  /** Sends the frames in order without waiting; returns how many went onto an open socket. */
  sendAll(frames: readonly Uint8Array[]): number {
    let written = 0;
    for (const bytes of frames) if (this.send(bytes)) written += 1;
    return written;
  }

  /** Resolves when every frame sent so far has been handed to the operating system. */
  async flush(): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.socket.readyState !== WebSocket.OPEN || this.socket.bufferedAmount === 0) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
  }

  /** The replica of `doc` (created empty when nothing was received for it yet). */
  replica(doc: string): Y.Doc {
    let replica = this.replicas.get(doc);
    if (!replica) {
      replica = new Y.Doc();
      this.replicas.set(doc, replica);
    }
    return replica;
  }

  /** The decoded frames received (from index `since`), of every document. */
  messages(since = 0): WireMessage[] {
    const out: WireMessage[] = [];
    for (let i = since; i < this.received.length; i++) {
      const message = (this.received[i] as ReceivedFrame).message;
      if (message) out.push(message);
    }
    return out;
  }

  /** Received frames of one document (from index `since`). */
  messagesFor(doc: string, since = 0): WireMessage[] {
    return this.messages(since).filter((message) => message.doc === doc);
  }

  /** Waits for the first received frame (from index `since`) matching `predicate`; null on close or timeout. */
  async waitFor(predicate: (message: WireMessage) => boolean, options: { since?: number; timeoutMs?: number } = {}): Promise<WireMessage | null> {
    return this.until(() => {
      const message = this.messages(options.since).find(predicate);
      if (message) return { value: message };
      if (this.closeEvent) return { value: null };
      return null;
    }, options.timeoutMs ?? 10_000, null);
  }

  /** Sends only the Auth message for `doc` (no sync: the test sends what it wants next) and waits for the verdict. */
  authenticate(doc: string, token: string, timeoutMs?: number): Promise<OpenOutcome> {
    return this.openDocument(doc, token, { startSync: false, timeoutMs });
  }

  /**
   * Authenticates on `doc` with an access token and waits for the verdict. Sync is started as the provider does
   * (sync step 1 right behind the token), unless `startSync` is false.
   */
  async openDocument(doc: string, token: string, options: { startSync?: boolean; timeoutMs?: number } = {}): Promise<OpenOutcome> {
    const since = this.received.length;
    this.send(encodeAuth(doc, token));
    if (options.startSync !== false) this.send(encodeSyncStep1(doc, Y.encodeStateVector(this.replica(doc))));
    return this.until<OpenOutcome>(() => {
      for (const message of this.messagesFor(doc, since)) {
        if (message.kind === 'auth-authenticated') return { value: { status: 'authenticated', scope: message.scope } };
        if (message.kind === 'auth-denied') return { value: { status: 'denied', reason: message.reason } };
        if (message.kind === 'close') return { value: { status: 'doc-closed', reason: message.reason } };
      }
      if (this.closeEvent) return { value: { status: 'socket-closed', close: this.closeEvent } };
      return null;
    }, options.timeoutMs ?? 10_000, { status: 'timeout' });
  }

  /** Sends sync step 1 for `doc` and waits for the server's step 2 (so the replica holds the server's state). */
  async syncDocument(doc: string, timeoutMs = 10_000): Promise<boolean> {
    const since = this.received.length;
    this.send(encodeSyncStep1(doc, Y.encodeStateVector(this.replica(doc))));
    const reply = await this.waitFor((message) => message.doc === doc && message.kind === 'sync-step2', { since, timeoutMs });
    return reply !== null;
  }

  /**
   * Sends `frames` for `doc`, then a sync step 1 as a probe, and reports what came first: a refusal (the socket
   * closed, the document's connection closed, permission denied) or the probe's answer ('alive': the server
   * processed everything before it, since it handles one document's messages in order).
   */
  async sendAndProbe(doc: string, frames: readonly Uint8Array[], timeoutMs = 10_000): Promise<RefusalOutcome> {
    const since = this.received.length;
    this.sendAll(frames);
    this.send(encodeSyncStep1(doc, Y.encodeStateVector(this.replica(doc))));
    return this.until<RefusalOutcome>(() => {
      for (const message of this.messagesFor(doc, since)) {
        if (message.kind === 'close') return { value: { status: 'doc-closed', reason: message.reason } };
        if (message.kind === 'auth-denied') return { value: { status: 'denied', reason: message.reason } };
        if (message.kind === 'sync-step2') return { value: { status: 'alive' } };
      }
      if (this.closeEvent) return { value: { status: 'socket-closed', close: this.closeEvent } };
      return null;
    }, timeoutMs, { status: 'timeout' });
  }

  /** Waits until the socket has closed (or `timeoutMs` passed) and returns how. */
  async waitClosed(timeoutMs = 10_000): Promise<SocketClose | null> {
    return this.until(() => (this.closeEvent ? { value: this.closeEvent } : null), timeoutMs, null);
  }

  /** Closes the socket normally and waits for the close handshake. */
  async close(): Promise<void> {
    if (this.closeEvent) return;
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    const closed = await this.waitClosed(5_000);
    if (!closed) this.socket.terminate();
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.socket.terminate();
  }

  private apply(message: WireMessage): void {
    if (message.kind === 'sync-step2' || message.kind === 'sync-update') {
      try {
        Y.applyUpdate(this.replica(message.doc), message.update, 'server');
      } catch {
        // A replica that cannot take the server's bytes is itself evidence; the frame stays in `received`.
      }
    } else if (message.kind === 'sync-step1' && this.answerStep1 && this.open) {
      const diff = Y.encodeStateAsUpdate(this.replica(message.doc), message.stateVector);
      this.send(encodeSyncStep2(message.doc, diff));
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private until<T>(check: () => { value: T } | null, timeoutMs: number, onTimeout: T): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first.value);
    return new Promise<T>((resolve) => {
      const listener = () => {
        const result = check();
        if (result) finish(result.value);
      };
      const timer = setTimeout(() => finish(onTimeout), timeoutMs);
      const finish = (value: T) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(value);
      };
      this.listeners.add(listener);
    });
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
