/**
 * The sync protocol's shared rules (../shared/DESIGN.md): Y.Doc names on the server, who may write which Y.Doc,
 * and the close codes a client turns into a message. Used by main/server, the desktop client and the tests.
 */

/** Roles an account can hold on a sync server. */
export const roles = ['chair', 'delegation', 'secretariat', 'observer'] as const;

/** The role of an account: the chair's team, one delegation (or group), the secretariat, or an observer. */
export type Role = (typeof roles)[number];

/** Who a connection speaks for: its role and, for a delegation, its code (ISO 3166-1 alpha-3 or a group code). */
export interface Principal {
  readonly role: Role;
  readonly delegation: string | null;
}

/** A delegation or group code: 2 to 16 capital letters, digits, dashes or underscores (as in `D/d/<code>`). */
export const DELEGATION_CODE = /^[A-Z0-9_-]{2,16}$/;

/** A server-side Y.Doc name split into the negotiated document's id and the local name inside it. */
export interface SyncDocName {
  readonly documentId: string;
  /** `text`, `chair` or `d/<code>`. */
  readonly local: string;
  /** The delegation whose doc this is, for `d/<code>`; null otherwise. */
  readonly delegation: string | null;
}

const NAME = /^([a-z0-9][a-z0-9-]{2,63})\/(text|chair|d\/([A-Z0-9_-]{2,16}))$/;

/** Parses `<documentId>/text`, `<documentId>/chair` or `<documentId>/d/<CODE>`; null for anything else. */
export function parseSyncDocName(name: string): SyncDocName | null {
  const match = NAME.exec(name);
  if (!match) return null;
  return { documentId: match[1] as string, local: match[2] as string, delegation: match[3] ?? null };
}

/**
 * Whether `principal` may write the Y.Doc `local` of a document it may open: the chair's team writes `text` and
 * `chair`; a delegation writes only `d/<its own code>`; the secretariat and observers write nothing.
 */
export function mayWrite(principal: Principal, local: string): boolean {
  if (principal.role === 'chair') return local === 'text' || local === 'chair';
  if (principal.role === 'delegation') return principal.delegation !== null && local === `d/${principal.delegation}`;
  return false;
}

/** WebSocket close codes the server uses, each with the sentence a client shows. */
export const SYNC_CLOSE = {
  /** No valid token, or an expired one: sign in again. */
  unauthenticated: { code: 4401, reason: 'Sign-in required or expired' },
  /** The account may not open this document, or tried to write where it may only read. */
  forbidden: { code: 4403, reason: 'Not permitted for this account' },
  /** A message larger than the server's limit. */
  messageTooLarge: { code: 4413, reason: 'Message too large' },
  /** More messages or bytes per second than the connection's budget. */
  overBudget: { code: 4429, reason: 'Too many messages' },
  /** A message the server cannot decode. */
  malformed: { code: 4400, reason: 'Malformed message' },
  /** The client's document schema is older than the server's: the user must update Penholder. */
  upgradeRequired: { code: 4426, reason: 'Please update Penholder: this server needs a newer version' },
  /** The account was disabled by the secretariat. */
  disabled: { code: 4423, reason: 'Account disabled' },
  /** The server could not store a change (e.g. its disk is full); the client keeps it and sends it again. */
  storeFailed: { code: 4507, reason: 'The server could not save the change (its disk may be full); it will be sent again' },
  /** The server could not read a document from its store. */
  loadFailed: { code: 4500, reason: 'The server could not read this document; try again later' },
} as const;

/** The close reason whose code is `code`, or null for a code the server does not use. */
export function syncCloseByCode(code: number): (typeof SYNC_CLOSE)[keyof typeof SYNC_CLOSE] | null {
  for (const entry of Object.values(SYNC_CLOSE)) if (entry.code === code) return entry;
  return null;
}

/** The query parameter on the WebSocket URL that carries the client's SCHEMA_VERSION. */
export const SCHEMA_VERSION_PARAM = 'schema';

/** Default largest message the server accepts: 2 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** Hocuspocus message types: the second field of every frame (the wire values of @hocuspocus/server's MessageType). */
export const HOCUSPOCUS_MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  syncReply: 4,
  stateless: 5,
  broadcastStateless: 6,
  close: 7,
  syncStatus: 8,
  ping: 9,
  pong: 10,
} as const;

/** Sub-types of a sync message (y-protocols/sync). */
export const SYNC_STEP = { step1: 0, step2: 1, update: 2 } as const;
