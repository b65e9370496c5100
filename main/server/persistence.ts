/**
 * Persistence: Y.Docs are loaded from the {@link SyncStore}, and every accepted update is stored before it is
 * applied, broadcast or acknowledged.
 *
 * Where "store before acknowledge" happens, and why there: Hocuspocus handles a client's messages one at a time
 * per connection (Connection.processMessages) and awaits `beforeHandleMessage` before MessageReceiver applies
 * the update; applying emits the Y.Doc's 'update' (whose handler broadcasts it and schedules the debounced
 * onStoreDocument) and only then sends the SyncStatus ack. So this extension appends the update in
 * `beforeHandleMessage` and awaits the store: for SQLite the append is synchronous and committed with
 * synchronous=FULL, for PostgreSQL it resolves on commit. If the append fails (full disk, store down) the hook
 * throws: the update is not applied to the server's Y.Doc, not broadcast, not acknowledged, and the socket is
 * closed with {@link STORE_FAILED}; the client keeps the change and sends it again when it reconnects.
 * Storing in the Y.Doc's 'update' handler instead would come after the update is already in memory and queued
 * for other clients, so a failed store could not be undone, and an async store could not hold the ack back.
 *
 * Hocuspocus's debounced onStoreDocument is not used for persistence: nothing is left for it to save. Updates
 * that reach a Y.Doc by another path (a direct connection, an extension) are appended from its 'update' handler;
 * updates relayed by Redis were stored by the server that accepted them.
 */
import type { Connection, Extension, afterLoadDocumentPayload, beforeHandleMessagePayload, onLoadDocumentPayload } from '@hocuspocus/server';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { StorageError } from '../storage/index.ts';
import type { SyncStore } from './api.ts';
import { refusal } from './context.ts';
import type { CloseReason, SyncContext } from './context.ts';
import { describeError } from './logging.ts';
import type { SyncLog } from './logging.ts';
import { readClientMessage, updateChangesDoc } from './messages.ts';

/**
 * The close code when the server could not store a change (after HTTP 507, Insufficient Storage): the client
 * reconnects and sends the change again, as after any outage.
 */
export const STORE_FAILED: CloseReason = SYNC_CLOSE.storeFailed;

/** Thrown into Hocuspocus when a Y.Doc cannot be read from the store (the client sees it as the refusal reason). */
export const LOAD_FAILED: CloseReason = SYNC_CLOSE.loadFailed;

/** Options of {@link PersistenceExtension}. */
export interface PersistenceOptions {
  readonly store: SyncStore;
  readonly log: SyncLog;
}

/** The persistence extension (see the module comment). */
export class PersistenceExtension implements Extension {
  readonly extensionName = 'penholder-persistence';
  readonly priority = 100;
  readonly #store: SyncStore;
  readonly #log: SyncLog;
  /** Connections whose message in flight was judged to change nothing, so it was not stored. */
  readonly #notStored = new WeakSet<Connection>();

  constructor(options: PersistenceOptions) {
    this.#store = options.store;
    this.#log = options.log;
  }

  async onLoadDocument({ documentName }: onLoadDocumentPayload<SyncContext>): Promise<Uint8Array> {
    try {
      return await this.#store.load(documentName);
    } catch (error) {
      this.#log.error('store.error', { op: 'load', doc: documentName, error: describeError(error) });
      throw refusal(LOAD_FAILED);
    }
  }

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload<SyncContext>): Promise<void> {
    document.on('update', (update: Uint8Array, origin: unknown) => {
      const source = originSource(origin);
      if (source === 'redis') return;
      if (source === 'connection') {
        const connection = (origin as { connection: Connection }).connection;
        if (!this.#notStored.has(connection)) return;
        // The redundancy check said "nothing new" but Yjs found something: store it now rather than lose it.
        this.#log.warn('store.late-append', { doc: documentName, bytes: update.byteLength });
      }
      this.#store.append(documentName, update).catch((error: unknown) => {
        this.#log.error('store.error', { op: 'append', doc: documentName, bytes: update.byteLength, source, error: describeError(error) });
      });
    });
  }

  async beforeHandleMessage(payload: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    const { connection, context, document, documentName } = payload;
    // Read-only connections never get here with a change: the auth extension (priority 200) refused it.
    if (connection.readOnly || context.mayWrite !== true) return;
    const message = readClientMessage(payload.update);
    if (message.kind !== 'sync-step2' && message.kind !== 'update') return;
    if (!updateChangesDoc(document, message.update)) {
      this.#notStored.add(connection);
      return;
    }
    this.#notStored.delete(connection);
    try {
      await this.#store.append(documentName, message.update);
    } catch (error) {
      // The store refuses an update it cannot apply on top of what it holds: the client's bytes are at fault.
      const reason = error instanceof StorageError && error.code === 'invalid' ? SYNC_CLOSE.malformed : STORE_FAILED;
      this.#log.error('store.error', {
        op: 'append',
        doc: documentName,
        bytes: message.update.byteLength,
        name: context.principal?.name,
        code: reason.code,
        error: describeError(error),
        socket: context.socket.id,
      });
      context.socket.close(reason);
      throw refusal(reason);
    }
  }
}

function originSource(origin: unknown): string | null {
  if (typeof origin === 'object' && origin !== null && 'source' in origin && typeof origin.source === 'string') return origin.source;
  return null;
}
