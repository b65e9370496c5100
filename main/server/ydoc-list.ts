/**
 * Which Y.Docs a negotiated document D has, so every client can open every delegation's `D/d/<CODE>` (read-only
 * for all but that delegation) without guessing codes: on each new `D/text` connection the server sends a
 * stateless message `{"type":"ydocs","ydocs":["chair","d/FRA","text"]}` (the store's names plus the docs connected
 * here), and sends it again to every `D/text` connection when a Y.Doc of D appears that the list did not have
 * (a delegation opening the document for the first time creates its doc; only the account that may write a doc
 * makes it appear, so made-up names opened by a reader are never announced).
 *
 * The list is this process's view plus the store; with several servers behind Redis a doc first opened through
 * another process is announced to this one's clients when they next connect.
 */
import type { Connection, Extension, connectedPayload } from '@hocuspocus/server';
import { mayWrite, parseSyncDocName } from '../../shared/sync.ts';
import type { SyncStore } from './api.ts';
import type { SyncContext } from './context.ts';
import { describeError } from './logging.ts';
import type { SyncLog } from './logging.ts';

/** The stateless message the server sends on `D/text`. */
export interface YDocListMessage {
  readonly type: 'ydocs';
  /** Local names, sorted: `text`, `chair` and `d/<CODE>` for each delegation doc. */
  readonly ydocs: string[];
}

/** Options of {@link YDocListExtension}. */
export interface YDocListOptions {
  readonly store: SyncStore;
  readonly log: SyncLog;
}

/** The Y.Doc list extension (see the module comment). */
export class YDocListExtension implements Extension {
  readonly extensionName = 'penholder-ydoc-list';
  readonly #options: YDocListOptions;
  /** Per document id: the local names known to exist. */
  readonly #known = new Map<string, Set<string>>();
  /** Per document id: its live `D/text` connections, to tell them about new docs. */
  readonly #texts = new Map<string, Set<Connection<SyncContext>>>();

  constructor(options: YDocListOptions) {
    this.#options = options;
  }

  async connected({ context, documentName, connection }: connectedPayload<SyncContext>): Promise<void> {
    const doc = parseSyncDocName(documentName);
    if (!doc || !context.principal) return;
    const known = this.#knownOf(doc.documentId);
    // Only the delegation itself makes its doc appear: anyone may open (read) any name, and a reader opening
    // made-up codes must not make every client open empty docs.
    const announces = mayWrite(context.principal, doc.local) && !known.has(doc.local);
    if (announces) known.add(doc.local);
    if (doc.local === 'text') {
      // The store may hold docs another process (or an earlier run) created: read it for each new reader.
      try {
        for (const local of await this.#options.store.listYDocs(doc.documentId)) known.add(local);
      } catch (error) {
        this.#options.log.warn('ydocs.list-failed', { doc: documentName, error: describeError(error) });
      }
      // A connection that closed while the store answered never gets the list.
      if (!connection.document.hasConnection(connection)) return;
      let texts = this.#texts.get(doc.documentId);
      if (!texts) this.#texts.set(doc.documentId, (texts = new Set()));
      texts.add(connection);
      connection.onClose(() => this.#leave(doc.documentId, connection));
      connection.sendStateless(this.#message(doc.documentId));
    }
    if (announces) this.#publish(doc.documentId);
  }

  /** The local names known for a document now (for tests). */
  ydocs(documentId: string): string[] {
    return [...this.#knownOf(documentId)].sort();
  }

  #knownOf(documentId: string): Set<string> {
    let known = this.#known.get(documentId);
    if (!known) this.#known.set(documentId, (known = new Set(['text', 'chair'])));
    return known;
  }

  #message(documentId: string): string {
    const message: YDocListMessage = { type: 'ydocs', ydocs: this.ydocs(documentId) };
    return JSON.stringify(message);
  }

  #publish(documentId: string): void {
    const message = this.#message(documentId);
    for (const connection of this.#texts.get(documentId) ?? []) connection.sendStateless(message);
  }

  #leave(documentId: string, connection: Connection<SyncContext>): void {
    const texts = this.#texts.get(documentId);
    texts?.delete(connection);
    if (texts && texts.size === 0) this.#texts.delete(documentId);
  }
}
