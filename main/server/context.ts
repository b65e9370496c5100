/**
 * What the sync server's extensions share about one connection, carried in Hocuspocus's per-connection context.
 * One WebSocket multiplexes several Y.Docs; Hocuspocus gives each (socket, Y.Doc) pair its own context, all
 * starting from the same {@link SyncContext.socket}.
 */
import type { Principal, SyncDocName } from '../../shared/sync.ts';

/** A WebSocket close code and the sentence the client shows. */
export interface CloseReason {
  readonly code: number;
  readonly reason: string;
}

/** The account a connection speaks for: its name, role and delegation. */
export type SignedInPrincipal = Principal & { readonly name: string };

/** The WebSocket under one or more Y.Doc connections, as extensions may see and close it. */
export interface SocketHandle {
  /** A random id, the same for every Y.Doc on this socket (presence counts connections by it). */
  readonly id: string;
  /** The peer's address, for logs. */
  readonly remoteAddress: string | null;
  /** True once the socket is closing or closed. */
  readonly closed: boolean;
  /** Closes the whole socket (every Y.Doc on it) with a code the client turns into a message. */
  close(reason: CloseReason): void;
}

/** The context of one Y.Doc connection: its socket and, once authenticated, who it is and what it may do. */
export interface SyncContext {
  readonly socket: SocketHandle;
  /** Set by the authentication extension. */
  readonly principal?: SignedInPrincipal;
  /** The parsed Y.Doc name; set by the authentication extension. */
  readonly doc?: SyncDocName;
  /** Whether this connection may change its Y.Doc (and send awareness and stateless messages on it). */
  readonly mayWrite?: boolean;
}

/**
 * An error a hook throws to refuse something: Hocuspocus reads `code` and `reason` from it (a plain object, not an
 * Error, so Hocuspocus does not print it as a failure of the server).
 */
export function refusal(reason: CloseReason): CloseReason {
  return { code: reason.code, reason: reason.reason };
}
