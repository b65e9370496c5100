/**
 * Presence, authored by the server because awareness can be forged: for each negotiated document D the server
 * knows who is signed in to any of D's Y.Docs and sends every connection of `D/text` a stateless message
 * `{"type":"presence","users":[{name, role, delegation, connections}]}` whenever that list changes, and once to
 * each new `D/text` connection. `connections` counts the user's sockets (one per running client) on D.
 *
 * The list is this process's view; with several servers behind Redis each server reports its own clients.
 */
import type { Connection, Extension, connectedPayload } from '@hocuspocus/server';
import { parseSyncDocName } from '../../shared/sync.ts';
import type { Role } from '../../shared/sync.ts';
import type { SyncContext } from './context.ts';

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
    const sentToAll = this.#publish(doc.documentId);
    if (doc.local === 'text' && !sentToAll) connection.sendStateless(this.#lastSent.get(doc.documentId) ?? this.#message(doc.documentId));
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
    this.#publish(documentId);
    if (this.#present.get(documentId)?.size === 0) {
      this.#present.delete(documentId);
      this.#textConnections.delete(documentId);
      this.#lastSent.delete(documentId);
    }
  }

  #message(documentId: string): string {
    const message: PresenceMessage = { type: 'presence', users: this.users(documentId) };
    return JSON.stringify(message);
  }

  /** Sends the list to every `D/text` connection if it changed; true when it was sent. */
  #publish(documentId: string): boolean {
    const message = this.#message(documentId);
    if (this.#lastSent.get(documentId) === message) return false;
    this.#lastSent.set(documentId, message);
    for (const connection of this.#textConnections.get(documentId) ?? []) connection.sendStateless(message);
    return true;
  }
}
