/**
 * One WebSocket per sync server, shared by every Y.Doc this window keeps in step with that server (Hocuspocus
 * multiplexes `<docId>/text`, `<docId>/chair` and `<docId>/d/<CODE>` on it). It gets its token from main
 * (which keeps the refresh token), turns the server's close codes into what the person is told, and never lets a
 * writing frame out on a Y.Doc the account may only read.
 */
import { HocuspocusProviderWebsocket, type HocuspocusProvider, type HocuspocusProviderWebsocketConfiguration } from '@hocuspocus/provider';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { IpcRequest, IpcResponse, RemoteServer } from '../../shared/ipc.ts';
import { closeVerdict } from './closeReasons.ts';
import type { ConnectionProblem, SocketStatus } from './connectionState.ts';
import { FRAME_TYPE, frameAllowed } from './frameGuard.ts';

/** The part of main's API a connection needs (renderer/bridge.ts MainApi has it; tests pass their own). */
export interface TokenApi {
  getAccessToken(request: IpcRequest<'getAccessToken'>): Promise<IpcResponse<'getAccessToken'>>;
}

/** The stable code of an error thrown by an operation (renderer/bridge.ts IpcCallError carries one). */
function errorCode(error: unknown): string | null {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

/** The connection-level facts every document of the server shares. */
export interface ServerFacts {
  socket: SocketStatus;
  problem: ConnectionProblem | null;
  lastCloseMessage: string | null;
}

/** Tuning, for tests; the defaults suit people. */
export interface ServerConnectionOptions {
  /** How often a quiet connection says it is alive (the server drops sockets silent for 60 s). */
  keepaliveMs?: number;
  /** 4401 closes in a row after which the person is asked to sign in again. */
  maxAuthRetries?: number;
}

/** A socket that refuses, at the last moment, every writing frame on the read-only Y.Docs it is told about. */
class GuardedSocket extends HocuspocusProviderWebsocket {
  readonly readOnlyDocuments = new Set<string>();

  constructor(configuration: HocuspocusProviderWebsocketConfiguration) {
    super(configuration);
  }

  override send(message: unknown): void {
    if (message instanceof Uint8Array && this.readOnlyDocuments.size > 0 && !frameAllowed(message, this.readOnlyDocuments)) {
      console.warn('[penholder] a change to a document this account may only read was kept on this computer, not sent');
      return;
    }
    super.send(message);
  }
}

/** A live connection to one server. */
export class ServerConnection {
  readonly serverUrl: string;
  readonly wsUrl: string;
  readonly #api: TokenApi;
  readonly #socket: GuardedSocket;
  readonly #providers = new Set<HocuspocusProvider>();
  readonly #listeners = new Set<() => void>();
  readonly #maxAuthRetries: number;
  #facts: ServerFacts = { socket: 'connecting', problem: null, lastCloseMessage: null };
  #authFailures = 0;
  /** The server refused the last token (4401): the next one must be a fresh one, not main's cached one. */
  #forceRefresh = false;
  #keepalive: ReturnType<typeof setInterval>;
  #destroyed = false;

  constructor(server: Pick<RemoteServer, 'url' | 'wsUrl'>, api: TokenApi, options: ServerConnectionOptions = {}) {
    this.serverUrl = server.url;
    this.wsUrl = server.wsUrl;
    this.#api = api;
    this.#maxAuthRetries = options.maxAuthRetries ?? 2;
    // Nothing connects until a provider is attached: the first attach opens the socket.
    this.#socket = new GuardedSocket({
      url: server.wsUrl,
      autoConnect: false,
      maxDelay: 8_000,
      onStatus: ({ status }) => this.#setFacts({ socket: status as SocketStatus }),
      onConnect: () => this.#setFacts({ lastCloseMessage: null }),
      // Given as configuration, this runs before the socket schedules its own reconnection, so a close that must
      // not be retried (4403, 4426…) can stop it in time.
      onClose: ({ event }) => this.#onClose(event?.code),
    });
    this.#keepalive = setInterval(() => this.#sayAlive(), options.keepaliveMs ?? 20_000);
  }

  /** The current facts. */
  get facts(): ServerFacts {
    return this.#facts;
  }

  /** Subscribes to fact changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The token every provider sends; main refreshes it when it is near expiry. */
  readonly token = async (): Promise<string> => {
    try {
      const forceRefresh = this.#forceRefresh;
      const session = await this.#api.getAccessToken(forceRefresh ? { serverUrl: this.serverUrl, forceRefresh } : { serverUrl: this.serverUrl });
      this.#forceRefresh = false;
      return session.accessToken;
    } catch (error) {
      if (errorCode(error) === 'signed-out') {
        this.#stop({ kind: 'signed-out', message: `${error instanceof Error ? error.message : 'You are signed out.'} Sign in again to keep this document in step with the server.` });
      } else {
        // Main could not renew the token (the server is unreachable from main): drop this socket and try later.
        this.#setFacts({ lastCloseMessage: error instanceof Error ? error.message : String(error) });
        this.#socket.webSocket?.close();
      }
      throw error;
    }
  };

  /**
   * Connects one Y.Doc's provider over this socket. `writable` is whether the account may write it
   * (shared/sync.ts mayWrite): for a read-only doc no writing frame ever leaves this computer.
   */
  attach(provider: HocuspocusProvider, writable: boolean): void {
    if (this.#destroyed) throw new Error('This server connection was closed.');
    if (!writable) this.#socket.readOnlyDocuments.add(provider.configuration.name);
    this.#providers.add(provider);
    provider.on('authenticationFailed', () => this.#onAuthenticationFailed());
    // Only an accepted token proves the sign-in works; a socket that opens and is then refused does not.
    provider.on('authenticated', () => {
      this.#authFailures = 0;
    });
    provider.attach();
    if (this.#facts.problem === null && !this.#socket.shouldConnect) void this.#socket.connect();
  }

  /** Lets one provider go; returns true when no provider is left (the caller may then close the connection). */
  detach(provider: HocuspocusProvider): boolean {
    this.#providers.delete(provider);
    this.#socket.readOnlyDocuments.delete(provider.configuration.name);
    return this.#providers.size === 0;
  }

  /** The shared socket, for the providers' configuration. */
  get socket(): HocuspocusProviderWebsocket {
    return this.#socket;
  }

  /** Clears a problem after the person signed in again, and connects. */
  reconnect(): void {
    if (this.#destroyed) return;
    this.#authFailures = 0;
    this.#setFacts({ problem: null, lastCloseMessage: null });
    void this.#socket.connect();
  }

  /** Closes the socket for good. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearInterval(this.#keepalive);
    this.#socket.destroy();
    this.#setFacts({ socket: 'disconnected' });
    this.#listeners.clear();
  }

  #onClose(code: number | undefined): void {
    if (this.#destroyed) return;
    const verdict = closeVerdict(code);
    if (verdict.kind === 'stop') {
      this.#stop({ kind: 'refused', message: verdict.message });
    } else if (verdict.kind === 'reauthenticate') {
      this.#onAuthenticationFailed();
    } else if (verdict.message) {
      this.#setFacts({ lastCloseMessage: verdict.message });
    }
  }

  /** A refused token: retry a couple of times (main may refresh it), then ask the person to sign in. */
  #onAuthenticationFailed(): void {
    if (this.#facts.problem) return;
    this.#authFailures += 1;
    if (this.#authFailures > this.#maxAuthRetries) {
      this.#stop({ kind: 'signed-out', message: 'Your sign-in to this server has expired. Please sign in again.' });
      return;
    }
    // Reconnecting makes every provider ask for a token again, and main refreshes it instead of answering from cache.
    this.#forceRefresh = true;
    this.#socket.webSocket?.close();
  }

  #stop(problem: ConnectionProblem): void {
    this.#setFacts({ problem });
    this.#socket.disconnect();
  }

  /**
   * Hocuspocus closes sockets silent for a minute, and the client closes sockets it hears nothing on for 30 s. A
   * sync step 1 (a question, never a write, so allowed on every doc) makes the server answer.
   */
  #sayAlive(): void {
    if (this.#facts.socket !== 'connected') return;
    const provider = this.#providers.values().next().value;
    if (!provider || !provider.isAuthenticated) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, provider.effectiveName);
    encoding.writeVarUint(encoder, FRAME_TYPE.sync);
    syncProtocol.writeSyncStep1(encoder, provider.document);
    this.#socket.send(encoding.toUint8Array(encoder));
  }

  #setFacts(change: Partial<ServerFacts>): void {
    const next = { ...this.#facts, ...change };
    if (next.socket === this.#facts.socket && next.problem === this.#facts.problem && next.lastCloseMessage === this.#facts.lastCloseMessage) return;
    this.#facts = next;
    for (const listener of this.#listeners) listener();
  }
}

const connections = new Map<string, ServerConnection>();

/** The connection to a server, opened on first use and shared by every document of that server. */
export function connectionFor(server: Pick<RemoteServer, 'url' | 'wsUrl'>, api: TokenApi): ServerConnection {
  const existing = connections.get(server.url);
  if (existing && existing.wsUrl === server.wsUrl) return existing;
  existing?.destroy();
  const created = new ServerConnection(server, api);
  connections.set(server.url, created);
  return created;
}

/** Closes the connection to a server once its last document let go of it. */
export function releaseConnection(connection: ServerConnection): void {
  if (connections.get(connection.serverUrl) === connection) connections.delete(connection.serverUrl);
  connection.destroy();
}

/** The open connection to a server, if any (after signing in again, to reconnect it). */
export function existingConnection(serverUrl: string): ServerConnection | null {
  return connections.get(serverUrl) ?? null;
}
