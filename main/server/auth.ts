/**
 * Authentication and authorization: who a connection is (its access token), which Y.Docs it may open (its
 * account's grants, documents published on this server) and which it may only read (shared/sync mayWrite).
 *
 * Read-only is enforced on the raw message in `beforeHandleMessage`, which Hocuspocus awaits before it applies
 * anything: a SyncStep2 or Update that would change the Y.Doc, any awareness update and any stateless message
 * from a connection that may not write the Y.Doc are refused (never applied, stored or broadcast) and the socket is
 * closed with 4403, because a well-behaved client never sends them. A SyncStep2 the Y.Doc already contains (what
 * a read-only provider answers on connect) passes and Hocuspocus treats it as the no-op it is.
 */
import type { Extension, beforeHandleMessagePayload, connectedPayload, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import { mayWrite, parseSyncDocName, SYNC_CLOSE } from '../../shared/sync.ts';
import type { SyncStore } from './api.ts';
import { hasGrant } from './accounts.ts';
import type { SqliteAccountStore } from './accounts.ts';
import { refusal } from './context.ts';
import type { CloseReason, SignedInPrincipal, SocketHandle, SyncContext } from './context.ts';
import type { SyncLog } from './logging.ts';
import { readClientMessage, updateChangesDoc } from './messages.ts';
import { TokenError } from './tokens.ts';
import type { TokenService } from './tokens.ts';

/** How often the server looks for accounts disabled by another process (the CLI). */
const DISABLED_POLL_MS = 2000;

/** Options of {@link AuthExtension}. */
export interface AuthOptions {
  readonly accounts: SqliteAccountStore;
  readonly tokens: TokenService;
  readonly store: SyncStore;
  readonly log: SyncLog;
}

/** The authentication and authorization extension (see the module comment). */
export class AuthExtension implements Extension {
  readonly extensionName = 'penholder-auth';
  /** Before persistence, so a refused write never reaches the store. */
  readonly priority = 200;
  readonly #options: AuthOptions;
  /** Open sockets per account name, to close them when the account is disabled. */
  readonly #sockets = new Map<string, Set<SocketHandle>>();
  readonly #unsubscribe: () => void;
  readonly #poll: NodeJS.Timeout;

  constructor(options: AuthOptions) {
    this.#options = options;
    this.#unsubscribe = options.accounts.onDisabled((name) => this.#closeAccount(name));
    this.#poll = setInterval(() => this.#checkDisabledElsewhere(), DISABLED_POLL_MS);
    this.#poll.unref();
  }

  async onAuthenticate(payload: onAuthenticatePayload<SyncContext>): Promise<Partial<SyncContext>> {
    const { documentName, context, connectionConfig } = payload;
    const socket = context.socket;
    let principal: SignedInPrincipal;
    try {
      principal = await this.#options.tokens.verify(payload.token);
    } catch (error) {
      throw this.#refuse(SYNC_CLOSE.unauthenticated, documentName, socket, null, error instanceof TokenError ? error.message : 'token check failed');
    }
    const account = this.#options.accounts.get(principal.name);
    if (!account) throw this.#refuse(SYNC_CLOSE.unauthenticated, documentName, socket, principal, 'the account no longer exists');
    if (account.disabled) throw this.#refuse(SYNC_CLOSE.disabled, documentName, socket, principal, 'the account is disabled');
    // The account as stored now, not as the token remembers it.
    const current: SignedInPrincipal = { name: account.name, role: account.role, delegation: account.delegation };
    const doc = parseSyncDocName(documentName);
    if (!doc) throw this.#refuse(SYNC_CLOSE.forbidden, documentName, socket, current, 'not a Penholder Y.Doc name');
    if (!hasGrant(account, doc.documentId)) throw this.#refuse(SYNC_CLOSE.forbidden, documentName, socket, current, 'no grant for this document');
    if (!(await this.#options.store.hasDocument(doc.documentId))) {
      throw this.#refuse(SYNC_CLOSE.forbidden, documentName, socket, current, 'the document is not published on this server');
    }
    const writable = mayWrite(current, doc.local);
    connectionConfig.readOnly = !writable;
    this.#options.log.info('auth.ok', {
      doc: documentName,
      name: current.name,
      role: current.role,
      delegation: current.delegation,
      readOnly: !writable,
      socket: socket.id,
    });
    return { principal: current, doc, mayWrite: writable };
  }

  /** A provider sends a new token when its old one is about to expire: it must still be valid and the same account. */
  async onTokenSync(payload: onTokenSyncPayload<SyncContext>): Promise<void> {
    const { context, documentName } = payload;
    try {
      const principal = await this.#options.tokens.verify(payload.token);
      if (principal.name !== context.principal?.name) throw new TokenError('the token names another account');
    } catch (error) {
      const reason = this.#refuse(SYNC_CLOSE.unauthenticated, documentName, context.socket, context.principal ?? null, (error as Error).message);
      context.socket.close(reason);
      throw reason;
    }
  }

  async connected({ context }: connectedPayload<SyncContext>): Promise<void> {
    const name = context.principal?.name;
    if (name === undefined) return;
    let sockets = this.#sockets.get(name);
    if (!sockets) this.#sockets.set(name, (sockets = new Set()));
    for (const socket of sockets) if (socket.closed) sockets.delete(socket);
    sockets.add(context.socket);
  }

  async beforeHandleMessage(payload: beforeHandleMessagePayload<SyncContext>): Promise<void> {
    const { context, connection, document, documentName } = payload;
    if (context.mayWrite === true && !connection.readOnly) return;
    const message = readClientMessage(payload.update);
    let refused: string | null = null;
    if ((message.kind === 'sync-step2' || message.kind === 'update') && updateChangesDoc(document, message.update)) {
      refused = 'a change to a Y.Doc this account may only read';
    } else if (message.kind === 'awareness') {
      refused = 'awareness on a Y.Doc this account may only read';
    } else if (message.kind === 'stateless') {
      refused = 'a stateless message on a Y.Doc this account may only read';
    }
    if (refused === null) return;
    this.#options.log.warn('message.refused', {
      doc: documentName,
      name: context.principal?.name,
      role: context.principal?.role,
      kind: message.kind,
      code: SYNC_CLOSE.forbidden.code,
      why: refused,
      socket: context.socket.id,
    });
    context.socket.close(SYNC_CLOSE.forbidden);
    // Thrown so Hocuspocus skips the message: nothing is applied, stored, broadcast or acknowledged.
    throw refusal(SYNC_CLOSE.forbidden);
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.#poll);
    this.#unsubscribe();
  }

  #refuse(reason: CloseReason, doc: string, socket: SocketHandle, principal: SignedInPrincipal | null, why: string): CloseReason {
    this.#options.log.warn('auth.refused', {
      doc,
      name: principal?.name,
      role: principal?.role,
      delegation: principal?.delegation,
      code: reason.code,
      why,
      socket: socket.id,
    });
    return refusal(reason);
  }

  #closeAccount(name: string): void {
    const sockets = this.#sockets.get(name);
    if (!sockets) return;
    this.#sockets.delete(name);
    let closed = 0;
    for (const socket of sockets) {
      if (socket.closed) continue;
      socket.close(SYNC_CLOSE.disabled);
      closed += 1;
    }
    if (closed > 0) this.#options.log.info('account.disconnected', { name, sockets: closed, code: SYNC_CLOSE.disabled.code });
  }

  #checkDisabledElsewhere(): void {
    try {
      if (!this.#options.accounts.changedElsewhere()) return;
      for (const name of [...this.#sockets.keys()]) {
        const account = this.#options.accounts.get(name);
        if (!account || account.disabled) this.#closeAccount(name);
      }
    } catch (error) {
      this.#options.log.error('account.check-failed', { error: (error as Error).message });
    }
  }
}
