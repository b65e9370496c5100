/**
 * Keeps the Y.Docs of one open shared document in step with its sync server: one HocuspocusProvider per Y.Doc
 * (`D/text`, `D/chair`, and every delegation's `D/d/<CODE>`: the account's own writable, the others read-only, added
 * as the server announces them) over the server's one socket, the presence list the server sends, the awareness that
 * carries the chair's team's cursors, and the connection line of the status bar.
 *
 * Local changes keep going to the local log (the session's queues); remote changes arrive with the provider as
 * their origin, so the provider does not send them back, and they are appended to the local log like any change.
 */
import { HocuspocusProvider } from '@hocuspocus/provider';
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { RemoteAccount } from '../../shared/ipc.ts';
import { TEXT_YDOC, ydocName } from '../../shared/model/ydocs.ts';
import { STORAGE_ORIGIN } from '../editor/persistence.ts';
import { colorForUser } from './colors.ts';
import { reduceConnection, sameView, type ConnectionView } from './connectionState.ts';
import { parsePresence, type PresentUser } from './presence.ts';
import { releaseConnection, type ServerConnection } from './serverConnection.ts';
import { parseYDocList } from './ydocList.ts';

/** One Y.Doc of the document to keep in step. */
export interface BoundYDoc {
  /** `text`, `chair` or `d/<CODE>`. */
  local: string;
  ydoc: Y.Doc;
  /** Whether the account may write it (shared/sync.ts mayWrite). */
  writable: boolean;
}

/** What the window shows about the shared document. */
export interface RemoteSnapshot {
  connection: ConnectionView;
  /** Everyone signed in on the document, as the server last said; empty while offline. */
  presence: readonly PresentUser[];
  /** The text has completed at least one exchange with the server since the document was opened. */
  textSynced: boolean;
}

/** The user field every chair's-team cursor carries in awareness (y-prosemirror reads `name` and `color`). */
export interface CursorUser {
  name: string;
  color: string;
}

interface Bound {
  local: string;
  writable: boolean;
  provider: HocuspocusProvider;
  /** Local changes since the server last confirmed having everything. */
  pending: number;
  detach: () => void;
}

/** The live link between one open document and its server. */
export class RemoteBinding {
  readonly documentId: string;
  readonly account: RemoteAccount;
  /** Awareness of `D/text`: remote cursors arrive here; the local cursor is shared only by the chair's team. */
  readonly awareness: Awareness;
  readonly #connection: ServerConnection;
  readonly #bound: Bound[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribeConnection: () => void;
  #presence: readonly PresentUser[] = [];
  #textSynced = false;
  #textSyncedWaiters: (() => void)[] = [];
  #snapshot: RemoteSnapshot;
  #destroyed = false;
  /** The Y.Doc names the server last listed, replayed to late subscribers. */
  #ydocs: readonly string[] | null = null;
  readonly #ydocListeners = new Set<(names: readonly string[]) => void>();

  constructor(options: { connection: ServerConnection; documentId: string; account: RemoteAccount; docs: readonly BoundYDoc[] }) {
    this.documentId = options.documentId;
    this.account = options.account;
    this.#connection = options.connection;
    const text = options.docs.find((d) => d.local === TEXT_YDOC);
    if (!text) throw new Error('A shared document needs its text.');
    this.awareness = new Awareness(text.ydoc);
    // Set before any provider listens: a read-only account must never send an awareness frame (the server closes for it).
    if (text.writable) this.awareness.setLocalStateField('user', { name: options.account.name, color: colorForUser(options.account.name) } satisfies CursorUser);
    else this.awareness.setLocalState(null);
    this.#snapshot = this.#compute();
    this.#unsubscribeConnection = this.#connection.subscribe(() => this.#onConnectionChange());
    for (const doc of options.docs) this.#bind(doc, doc === text);
    this.#publish();
  }

  /** Subscribes to snapshot changes (for React's useSyncExternalStore). */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The latest snapshot; a new object only when something changed. */
  getSnapshot = (): RemoteSnapshot => this.#snapshot;

  /** Resolves once the text has had its first exchange with the server (at once if it already had). */
  whenTextSynced(): Promise<void> {
    if (this.#textSynced) return Promise.resolve();
    return new Promise((resolve) => this.#textSyncedWaiters.push(resolve));
  }

  /** Binds one more Y.Doc (a delegation doc the server announced); a doc already bound is left as it is. */
  addDoc(doc: BoundYDoc): void {
    if (this.#destroyed || this.#bound.some((bound) => bound.local === doc.local)) return;
    this.#bind(doc, false);
    this.#publish();
  }

  /** Calls `listener` with the server's list of the document's Y.Docs, now if one came, and on every new list. */
  onYDocs(listener: (names: readonly string[]) => void): () => void {
    this.#ydocListeners.add(listener);
    if (this.#ydocs) listener(this.#ydocs);
    return () => this.#ydocListeners.delete(listener);
  }

  /** Reconnects after the person signed in again. */
  reconnect(): void {
    this.#connection.reconnect();
  }

  /** Disconnects every provider; the Y.Docs stay with the session (and their changes on disk). */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#unsubscribeConnection();
    let last = false;
    for (const bound of this.#bound) {
      bound.detach();
      bound.provider.destroy();
      last = this.#connection.detach(bound.provider);
    }
    if (last) releaseConnection(this.#connection);
    this.#listeners.clear();
    this.#ydocListeners.clear();
    for (const resolve of this.#textSyncedWaiters) resolve();
    this.#textSyncedWaiters = [];
  }

  #bind(doc: BoundYDoc, isText: boolean): void {
    const provider = new HocuspocusProvider({
      name: ydocName(this.documentId, doc.local),
      document: doc.ydoc,
      // Awareness only on the text; on the other docs `null` keeps the provider from sending any awareness at all.
      awareness: isText ? this.awareness : null,
      token: this.#connection.token,
      websocketProvider: this.#connection.socket,
    });
    const bound: Bound = { local: doc.local, writable: doc.writable, provider, pending: 0, detach: () => {} };
    // Registered after the provider's own listener, so the provider has counted the change when this one runs.
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (!bound.writable || origin === provider || origin === STORAGE_ORIGIN) return;
      bound.pending += 1;
      this.#publish();
    };
    doc.ydoc.on('update', onUpdate);
    bound.detach = () => doc.ydoc.off('update', onUpdate);
    provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      // Zero means the server confirmed everything this doc sent, including what was typed while offline.
      if (number === 0 && bound.pending !== 0) {
        bound.pending = 0;
        this.#publish();
      }
    });
    provider.on('synced', () => {
      if (isText && !this.#textSynced) {
        this.#textSynced = true;
        for (const resolve of this.#textSyncedWaiters) resolve();
        this.#textSyncedWaiters = [];
      }
      this.#publish();
    });
    if (isText) {
      provider.on('stateless', ({ payload }: { payload: string }) => {
        const users = parsePresence(payload);
        if (users) {
          this.#presence = users;
          this.#publish();
          return;
        }
        const ydocs = parseYDocList(payload);
        if (ydocs) {
          this.#ydocs = ydocs;
          for (const listener of this.#ydocListeners) listener(ydocs);
        }
      });
    }
    this.#bound.push(bound);
    this.#connection.attach(provider, doc.writable);
  }

  #onConnectionChange(): void {
    // Who is present is only known while connected; an old list would claim people are here who may have left.
    if (this.#connection.facts.socket !== 'connected' && this.#presence.length > 0) this.#presence = [];
    this.#publish();
  }

  #compute(): RemoteSnapshot {
    const facts = this.#connection.facts;
    const connection = reduceConnection({
      socket: facts.socket,
      problem: facts.problem,
      lastCloseMessage: facts.lastCloseMessage,
      providers: this.#bound.map((b) => ({ synced: b.provider.isSynced, pendingChanges: b.pending })),
    });
    return { connection, presence: this.#presence, textSynced: this.#textSynced };
  }

  #publish(): void {
    if (this.#destroyed) return;
    const next = this.#compute();
    const previous = this.#snapshot;
    if (sameView(next.connection, previous.connection) && next.presence === previous.presence && next.textSynced === previous.textSynced) return;
    this.#snapshot = { ...next, connection: sameView(next.connection, previous.connection) ? previous.connection : next.connection };
    for (const listener of this.#listeners) listener();
  }
}
