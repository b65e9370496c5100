/**
 * Helpers for the sync server's tests: a real server on 127.0.0.1 port 0 in a temporary data folder, accounts,
 * sign-in over HTTP, Hocuspocus providers over `ws`, and a raw WebSocket client that speaks the protocol byte
 * by byte (to send what a modified client could).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import type { Role } from '../../shared/sync.ts';
import type { Account, RunningSyncServer, SyncLogEntry, SyncServerOptions } from './api.ts';
import { startSyncServer } from './index.ts';
import { MESSAGE } from './messages.ts';
import type { SignIn } from './tokens.ts';

/** The password every test account gets. */
export const TEST_PASSWORD = 'correct horse battery';

/** A running test server, its data folder and everything it logged. */
export interface TestServer {
  readonly server: RunningSyncServer;
  readonly dataDir: string;
  readonly logs: SyncLogEntry[];
  /** The WebSocket URL with the current schema version, as a client opens it. */
  readonly wsUrl: string;
  /** Closes the server and every client opened through {@link TestServer.provider} / {@link TestServer.raw}, then deletes the folder. */
  close(): Promise<void>;
  /** Adds an account with {@link TEST_PASSWORD}. */
  account(name: string, role: Role, options?: { delegation?: string; documents?: string[] }): Account;
  /** Signs in over HTTP. */
  signIn(name: string, password?: string): Promise<SignIn>;
  /** Opens a provider on one Y.Doc (its own socket unless `socket` is given). */
  provider(options: ProviderOptions): TestProvider;
  /** Opens a raw WebSocket to the server. */
  raw(url?: string): Promise<RawClient>;
}

/** Options of {@link TestServer.provider}. */
export interface ProviderOptions {
  readonly name: string;
  readonly token: string;
  readonly document?: Y.Doc;
  /** Awareness to use; null (the default here) sends none, as a client must for a Y.Doc it may only read. */
  readonly awareness?: Awareness | null;
  /** Share the socket of another provider. */
  readonly socket?: HocuspocusProviderWebsocket;
  /** URL of the socket (default: with the current schema version). */
  readonly url?: string;
}

/** A provider with what it received. */
export interface TestProvider {
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly doc: Y.Doc;
  readonly stateless: string[];
  readonly authFailures: string[];
  readonly closes: Array<{ code: number; reason: string }>;
  /** Resolves once authenticated and synced; rejects on an authentication failure. */
  synced(): Promise<void>;
  destroy(): void;
}

/**
 * `ws` as the provider's WebSocket, with an 'error' listener always attached: the provider removes its own
 * listeners before closing a socket that is still connecting, and `ws` would then throw the close as an
 * unhandled 'error'.
 */
export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}

/** Starts a server in a fresh temporary folder, collecting log entries. */
export async function startTestServer(options: Partial<SyncServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-server-'));
  const logs: SyncLogEntry[] = [];
  const server = await startSyncServer({
    ...options,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    log: (entry) => {
      logs.push(entry);
      options.log?.(entry);
    },
  });
  const providers: TestProvider[] = [];
  const raws: RawClient[] = [];
  const wsUrl = `${server.url}/?schema=${SCHEMA_VERSION}`;
  return {
    server,
    dataDir,
    logs,
    wsUrl,
    async close() {
      for (const provider of providers) provider.destroy();
      for (const raw of raws) raw.close();
      await server.close();
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    account(name, role, extra = {}) {
      return server.accounts.add({ name, password: TEST_PASSWORD, role, delegation: extra.delegation ?? null, documents: extra.documents ?? ['*'] });
    },
    async signIn(name, password = TEST_PASSWORD) {
      const response = await fetch(`${server.httpUrl}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, password }),
      });
      if (response.status !== 200) throw new Error(`sign-in of ${name} failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as SignIn;
    },
    provider(providerOptions) {
      const provider = openProvider({ url: wsUrl, ...providerOptions });
      providers.push(provider);
      return provider;
    },
    async raw(url = wsUrl) {
      const raw = await RawClient.open(url);
      raws.push(raw);
      return raw;
    },
  };
}

/** Opens a Hocuspocus provider in Node (`ws` as the WebSocket). */
export function openProvider(options: ProviderOptions & { url: string }): TestProvider {
  const socket = options.socket ?? new HocuspocusProviderWebsocket({ url: options.url, WebSocketPolyfill: NodeWebSocket });
  const doc = options.document ?? new Y.Doc();
  const stateless: string[] = [];
  const authFailures: string[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: options.name,
    token: options.token,
    document: doc,
    awareness: options.awareness ?? null,
    onStateless: ({ payload }) => stateless.push(payload),
    onAuthenticationFailed: ({ reason }) => authFailures.push(reason),
  });
  socket.on('close', ({ event }: { event: { code: number; reason: string } }) => closes.push({ code: event.code, reason: event.reason }));
  provider.attach();
  return {
    provider,
    socket,
    doc,
    stateless,
    authFailures,
    closes,
    synced: () =>
      new Promise<void>((resolve, reject) => {
        if (provider.isSynced) return resolve();
        provider.on('synced', () => resolve());
        provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`authentication failed: ${reason}`)));
      }),
    destroy() {
      provider.destroy();
      if (!options.socket) socket.destroy();
    },
  };
}

/** One message the server sent, decoded as far as the tests need. */
export type ServerMessage =
  | { readonly kind: 'ping' }
  | { readonly kind: 'authenticated'; readonly docName: string; readonly scope: string }
  | { readonly kind: 'permission-denied'; readonly docName: string; readonly reason: string }
  | { readonly kind: 'sync'; readonly docName: string; readonly step: number; readonly payload: Uint8Array }
  | { readonly kind: 'sync-status'; readonly docName: string; readonly applied: boolean }
  | { readonly kind: 'stateless'; readonly docName: string; readonly payload: string }
  | { readonly kind: 'awareness'; readonly docName: string }
  | { readonly kind: 'close'; readonly docName: string; readonly reason: string }
  | { readonly kind: 'other'; readonly docName: string; readonly type: number };

/** A bare WebSocket speaking the Hocuspocus protocol by hand. */
export class RawClient {
  readonly ws: WebSocket;
  readonly received: ServerMessage[] = [];
  /** Resolves with the close code and reason when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  #listeners = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    ws.on('message', (data: Buffer) => {
      this.received.push(decodeServerMessage(new Uint8Array(data)));
      for (const listener of this.#listeners) listener();
    });
    ws.on('error', () => {});
  }

  /** Opens a socket and waits until it is open. */
  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** Authenticates one Y.Doc and resolves with the answer (authenticated or permission denied). */
  async authenticate(docName: string, token: string): Promise<ServerMessage> {
    const after = this.received.length;
    this.send(message(docName, MESSAGE.auth, (encoder) => {
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, token);
      encoding.writeVarString(encoder, 'test');
    }));
    return this.waitFor((m) => (m.kind === 'authenticated' || m.kind === 'permission-denied') && m.docName === docName, { after });
  }

  /** Sends SyncStep1 with `doc`'s state vector. */
  syncStep1(docName: string, doc: Y.Doc = new Y.Doc()): void {
    this.send(syncMessage(docName, 0, Y.encodeStateVector(doc)));
  }

  /** Sends a SyncStep2 carrying `update`. */
  syncStep2(docName: string, update: Uint8Array): void {
    this.send(syncMessage(docName, 1, update));
  }

  /** Sends a sync Update carrying `update`. */
  update(docName: string, update: Uint8Array): void {
    this.send(syncMessage(docName, 2, update));
  }

  /** Sends an awareness update (one client with a JSON state). */
  awareness(docName: string, clientId: number, state: unknown): void {
    this.send(message(docName, MESSAGE.awareness, (encoder) => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, clientId);
      encoding.writeVarUint(inner, 1);
      encoding.writeVarString(inner, JSON.stringify(state));
      encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    }));
  }

  /** Sends a stateless message. */
  stateless(docName: string, payload: string): void {
    this.send(message(docName, MESSAGE.stateless, (encoder) => encoding.writeVarString(encoder, payload)));
  }

  /** Resolves with the first message received (from index `after`, default all) matching `predicate`. */
  waitFor(predicate: (message: ServerMessage) => boolean, options: { after?: number; timeoutMs?: number } = {}): Promise<ServerMessage> {
    const { after = 0, timeoutMs = 10_000 } = options;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.slice(after).find(predicate);
        if (found) {
          this.#listeners.delete(listener);
          clearTimeout(timer);
          resolve(found);
          return true;
        }
        return false;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error('the expected message did not arrive'));
      }, timeoutMs);
      this.#listeners.add(listener);
      check();
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}

/** Encodes `<docName><type>...` with `write` filling in the rest. */
export function message(docName: string, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, docName);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Encodes a sync message (step 0, 1 or 2) carrying `payload`. */
export function syncMessage(docName: string, step: number, payload: Uint8Array): Uint8Array {
  return message(docName, MESSAGE.sync, (encoder) => {
    encoding.writeVarUint(encoder, step);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

function decodeServerMessage(bytes: Uint8Array): ServerMessage {
  if (bytes.length === 1 && bytes[0] === MESSAGE.ping) return { kind: 'ping' };
  const decoder = decoding.createDecoder(bytes);
  const docName = decoding.readVarString(decoder).split('\0')[0] as string;
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE.auth: {
      const authType = decoding.readVarUint(decoder);
      const text = decoding.readVarString(decoder);
      return authType === 2 ? { kind: 'authenticated', docName, scope: text } : { kind: 'permission-denied', docName, reason: text };
    }
    case MESSAGE.sync:
    case MESSAGE.syncReply: {
      const step = decoding.readVarUint(decoder);
      return { kind: 'sync', docName, step, payload: decoding.readVarUint8Array(decoder) };
    }
    case MESSAGE.syncStatus:
      return { kind: 'sync-status', docName, applied: decoding.readVarInt(decoder) === 1 };
    case MESSAGE.stateless:
      return { kind: 'stateless', docName, payload: decoding.readVarString(decoder) };
    case MESSAGE.awareness:
      return { kind: 'awareness', docName };
    case MESSAGE.close:
      return { kind: 'close', docName, reason: decoding.readVarString(decoder) };
    default:
      return { kind: 'other', docName, type };
  }
}

/** Waits until `condition` holds, checking every 10 ms; throws after `timeoutMs` with `what` in the message. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Types `text` into the Y.Doc's `prosemirror` fragment, one transaction per character, like a typist. */
export function typeInto(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment('prosemirror');
  let paragraph = fragment.get(0) as Y.XmlElement | undefined;
  if (!paragraph) {
    doc.transact(() => {
      paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      fragment.insert(0, [paragraph]);
    });
  }
  const content = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  for (const char of text) content.insert(content.length, char);
}

/** The text of the first paragraph typed with {@link typeInto}. */
export function typedText(doc: Y.Doc): string {
  const paragraph = doc.getXmlFragment('prosemirror').get(0) as Y.XmlElement | undefined;
  const content = paragraph?.get(0) as Y.XmlText | undefined;
  return content?.toString() ?? '';
}
