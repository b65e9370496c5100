/**
 * Presence, authored by the server because awareness can be forged: for each negotiated document D the server
 * knows who is signed in to any of D's Y.Docs and sends every connection of `D/text` a stateless message
 * `{"type":"presence","users":[{name, role, delegation, connections}]}` whenever that list changes, and once to
 * each new `D/text` connection. `connections` counts the user's sockets (one per running client) on D.
 *
 * The list is this process's view; with several servers behind Redis each server reports its own clients.
 *
 * Broadcasts are coalesced: a change schedules one send per document, at most one every
 * {@link PRESENCE_INTERVAL_MS}, of the list as it is then. Without this, N clients connecting one after another
 * each change the list and each get every later list: O(N^2) messages (300 clients: 45,000). A new `D/text`
 * connection gets the list once, in the next send: with everyone when the list changed, alone when it did not.
 */
import type { Connection, Extension, connectedPayload } from '@hocuspocus/server';
import { parseSyncDocName } from '../../shared/sync.ts';
import type { Role } from '../../shared/sync.ts';
import type { SyncContext } from './context.ts';

/** Least time between two presence sends on one document (ms): a burst of connects and leaves becomes one send. */
export const PRESENCE_INTERVAL_MS = 250;

/** One signed-in user in a presence message. */
export interface PresentUser {
  readonly name: string;
  readonly role: Role;
  readonly delegation: string | null;
  readonly connections: number;
}

/** The stateless message the server sends on `D/text`. */
export interface PresenceMessage {
  readonly type: 'presence';
  readonly users: PresentUser[];
}

/** A document's next presence send: when it is due, and the new `D/text` connections still owed the list. */
interface PendingSend {
  timer: NodeJS.Timeout | null;
  readonly newcomers: Set<Connection<SyncContext>>;
}

interface Present {
  readonly name: string;
  readonly role: Role;
  readonly delegation: string | null;
  readonly socketId: string;
}

/** The presence extension (see the module comment). */
export class PresenceExtension implements Extension {
  readonly extensionName = 'penholder-presence';
  /** Per document id: each live Y.Doc connection and whose it is. */
  readonly #present = new Map<string, Map<Connection<SyncContext>, Present>>();
  /** Per document id: the last list sent, to send only changes. */
  readonly #lastSent = new Map<string, string>();
  /** `D/text` connections, per document id, to send the list to. */
  readonly #textConnections = new Map<string, Set<Connection<SyncContext>>>();
  /** Per document id: the scheduled send, if any. */
  readonly #pending = new Map<string, PendingSend>();
  /** Per document id: when the list was last sent (performance.now()), to space sends out. */
  readonly #sentAt = new Map<string, number>();
  readonly #intervalMs: number;

  /** `intervalMs` spaces the sends of one document (default {@link PRESENCE_INTERVAL_MS}). */
  constructor(options: { intervalMs?: number } = {}) {
    this.#intervalMs = Math.max(0, options.intervalMs ?? PRESENCE_INTERVAL_MS);
  }

  async connected({ context, documentName, connection }: connectedPayload<SyncContext>): Promise<void> {
    const doc = parseSyncDocName(documentName);
    const principal = context.principal;
    // A connection that closed before this hook ran would never be removed: leave it out.
    if (!doc || !principal || !connection.document.hasConnection(connection)) return;
    let present = this.#present.get(doc.documentId);
    if (!present) this.#present.set(doc.documentId, (present = new Map()));
    present.set(connection, { name: principal.name, role: principal.role, delegation: principal.delegation, socketId: context.socket.id });
    connection.onClose(() => this.#leave(doc.documentId, connection));
    if (doc.local === 'text') {
      let texts = this.#textConnections.get(doc.documentId);
      if (!texts) this.#textConnections.set(doc.documentId, (texts = new Set()));
      texts.add(connection);
    }
    this.#schedule(doc.documentId, doc.local === 'text' ? connection : null);
  }

  /** Stops the scheduled sends (the server is shutting down). */
  async onDestroy(): Promise<void> {
    for (const pending of this.#pending.values()) if (pending.timer) clearTimeout(pending.timer);
    this.#pending.clear();
  }

  /** The users present on a document now (for tests and the HTTP API). */
  users(documentId: string): PresentUser[] {
    const byName = new Map<string, { user: Present; sockets: Set<string> }>();
    for (const present of this.#present.get(documentId)?.values() ?? []) {
      const entry = byName.get(present.name);
      if (entry) entry.sockets.add(present.socketId);
      else byName.set(present.name, { user: present, sockets: new Set([present.socketId]) });
    }
    return [...byName.values()]
      .map(({ user, sockets }) => ({ name: user.name, role: user.role, delegation: user.delegation, connections: sockets.size }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #leave(documentId: string, connection: Connection<SyncContext>): void {
    this.#present.get(documentId)?.delete(connection);
    this.#textConnections.get(documentId)?.delete(connection);
    this.#pending.get(documentId)?.newcomers.delete(connection);
    if ((this.#present.get(documentId)?.size ?? 0) > 0) {
      this.#schedule(documentId, null);
      return;
    }
    // Nobody left to tell (every D/text connection is also present).
    const pending = this.#pending.get(documentId);
    if (pending?.timer) clearTimeout(pending.timer);
    this.#pending.delete(documentId);
    this.#present.delete(documentId);
    this.#textConnections.delete(documentId);
    this.#lastSent.delete(documentId);
    this.#sentAt.delete(documentId);
  }

  /** Schedules the document's next send (if none is scheduled), owing the list to `newcomer` if given. */
  #schedule(documentId: string, newcomer: Connection<SyncContext> | null): void {
    let pending = this.#pending.get(documentId);
    if (!pending) this.#pending.set(documentId, (pending = { timer: null, newcomers: new Set() }));
    if (newcomer) pending.newcomers.add(newcomer);
    if (pending.timer) return;
    const last = this.#sentAt.get(documentId);
    const wait = last === undefined ? 0 : Math.max(0, last + this.#intervalMs - performance.now());
    pending.timer = setTimeout(() => this.#send(documentId), wait);
    pending.timer.unref();
  }

  /** Sends the list as it is now: to every `D/text` connection if it changed, else only to the newcomers. */
  #send(documentId: string): void {
    const pending = this.#pending.get(documentId);
    this.#pending.delete(documentId);
    this.#sentAt.set(documentId, performance.now());
    const texts = this.#textConnections.get(documentId);
    if (!texts) return;
    const message = this.#message(documentId);
    if (this.#lastSent.get(documentId) !== message) {
      this.#lastSent.set(documentId, message);
      for (const connection of texts) connection.sendStateless(message);
      return;
    }
    for (const connection of pending?.newcomers ?? []) if (texts.has(connection)) connection.sendStateless(message);
  }

  #message(documentId: string): string {
    const message: PresenceMessage = { type: 'presence', users: this.users(documentId) };
    return JSON.stringify(message);
  }
}
