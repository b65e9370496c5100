/**
 * A real sync client: a Y.Doc behind the provider each server is meant for (HocuspocusProvider for our server and plain
 * Hocuspocus, y-websocket's WebsocketProvider for the plain y-websocket server).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Wire } from './wire.ts';

/** Where a client connects: host, port, the query our server needs, and the Y.Doc name. */
export interface SyncTarget {
  readonly wire: Wire;
  readonly host: string;
  readonly port: number;
  /** Query string with its `?` (e.g. `?schema=1`), or ''. Hocuspocus only; y-websocket puts the doc in the path. */
  readonly query: string;
  readonly docName: string;
}

/** The HTTP path a WebSocket upgrade for `target` requests. */
export function upgradePath(target: SyncTarget): string {
  return target.wire === 'hocuspocus' ? `/${target.query}` : `/${target.docName}`;
}

/** A connected real client. */
export interface RealClient {
  /** Resolves when the first sync with the server is done; rejects when the server refuses the client. */
  readonly synced: Promise<void>;
  destroy(): void;
}

/** Connects `doc` (and `awareness`, whose local state decides whether the client publishes presence) to `target`. */
export function openRealClient(
  target: SyncTarget,
  options: { doc: Y.Doc; awareness: Awareness; token: string; WebSocketClass?: typeof WebSocket },
): RealClient {
  const WebSocketClass = options.WebSocketClass ?? WebSocket;
  if (target.wire === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({
      url: `ws://${target.host}:${target.port}/${target.query}`,
      WebSocketPolyfill: WebSocketClass,
      autoConnect: false,
      maxAttempts: 1,
    });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: target.docName,
      document: options.doc,
      awareness: options.awareness,
      token: options.token,
    });
    const synced = new Promise<void>((resolve, reject) => {
      provider.on('synced', () => resolve());
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`Sign-in refused: ${reason}`)));
      socket.on('close', ({ event }: { event: { code: number; reason: string } }) =>
        reject(new Error(`Connection closed before sync: ${event.code} ${event.reason}`)),
      );
    });
    provider.attach();
    socket.connect().catch(() => undefined);
    return {
      synced,
      destroy() {
        provider.destroy();
        socket.destroy();
      },
    };
  }
  const provider = new WebsocketProvider(`ws://${target.host}:${target.port}`, target.docName, options.doc, {
    awareness: options.awareness,
    WebSocketPolyfill: WebSocketClass,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve, reject) => {
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
    provider.on('connection-close', (event: CloseEvent | null) => reject(new Error(`Connection closed before sync: ${event?.code ?? 'unknown'}`)));
  });
  return {
    synced,
    destroy() {
      provider.destroy();
    },
  };
}
