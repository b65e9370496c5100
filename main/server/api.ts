/**
 * The contract of the sync server (main/server): what its factory takes and returns, its account store, and the
 * store and scale-out seams. Never imports 'electron': the server runs headless or inside the desktop app.
 */
import type { Principal, Role } from '../../shared/sync.ts';

/** One account on a sync server, as the secretariat's CLI lists it (never with its password hash). */
export interface Account {
  readonly name: string;
  readonly role: Role;
  /** The delegation or group code, for role 'delegation'; null otherwise. */
  readonly delegation: string | null;
  readonly disabled: boolean;
  /** Ids of the negotiated documents this account may open; '*' grants all. */
  readonly documents: readonly string[];
  readonly createdAt: string;
}

/** Accounts and grants, kept in the server's data folder; passwords hashed with scrypt (node:crypto). */
export interface AccountStore {
  add(input: { name: string; password: string; role: Role; delegation?: string | null; documents?: readonly string[] }): Account;
  list(): Account[];
  get(name: string): Account | null;
  disable(name: string): Account;
  enable(name: string): Account;
  resetPassword(name: string, password: string): Account;
  grant(name: string, documentId: string): Account;
  revoke(name: string, documentId: string): Account;
  /** The principal for a name and password, or null (wrong password, unknown or disabled account). */
  verify(name: string, password: string): (Principal & { name: string }) | null;
}

/** Where accepted updates are kept: every update is stored before it is acknowledged. */
export interface SyncStore {
  /** All stored updates of one Y.Doc merged into one (an empty Y.Doc's update when there is none). */
  load(docName: string): Promise<Uint8Array>;
  /** Appends one accepted update durably; resolves only when it is on disk (or committed in PostgreSQL). */
  append(docName: string, update: Uint8Array): Promise<void>;
  /** Negotiated documents known to the store: id and title. */
  listDocuments(): Promise<Array<{ id: string; title: string; updatedAt: string }>>;
  /** Whether `id` is published here (what listDocuments would list), without reading every document. */
  hasDocument(id: string): Promise<boolean>;
  /** Registers a document (publish): id and title; idempotent. */
  putDocument(id: string, title: string): Promise<void>;
  /** The local names (`text`, `chair`, `d/<CODE>`) of the Y.Docs stored for a document, sorted; [] when none. */
  listYDocs(documentId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Options of {@link startSyncServer}. */
export interface SyncServerOptions {
  /** Folder for accounts, the token signing key and (by default) the SQLite store. */
  readonly dataDir: string;
  /** Address to bind; default 127.0.0.1. Binding elsewhere is the user's explicit choice. */
  readonly host?: string;
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  /** The store: SQLite in dataDir (default) or PostgreSQL for scale-out. */
  readonly store?: { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly connectionString: string };
  /** Redis for scale-out: several server processes share documents through it. */
  readonly redis?: { readonly host: string; readonly port: number; readonly prefix?: string };
  /** Largest message accepted; default DEFAULT_MAX_MESSAGE_BYTES (2 MiB). */
  readonly maxMessageBytes?: number;
  /** Per-connection budget per second; over it the connection is closed with SYNC_CLOSE.overBudget. */
  readonly budget?: { readonly messagesPerSecond: number; readonly bytesPerSecond: number };
  /** Lifetime of an access token; default 900 s. Refresh tokens live 30 days. */
  readonly tokenTtlSeconds?: number;
  /** Structured log sink; default JSON lines on stderr. Entries never contain document text. */
  readonly log?: (entry: SyncLogEntry) => void;
  /** A name for this process in logs (scale-out). */
  readonly serverId?: string;
  /**
   * Reverse proxies (addresses or CIDR subnets, e.g. `10.0.0.5`, `10.0.0.0/8`, `::1`) whose X-Forwarded-For header
   * names the client. Without it the header is ignored: anyone could write one to escape the per-address throttle.
   */
  readonly trustedProxies?: readonly string[];
  /** How failed sign-ins are throttled (see main/server/throttle.ts); every field has a default. */
  readonly loginThrottle?: LoginThrottleOptions;
}

/**
 * Limits on failed sign-ins, per account name and per client address: a few free failures, then lockouts that
 * double from `firstLockoutMs` up to `maxLockoutMs`; a success or `forgetAfterMs` of quiet clears the counters.
 */
export interface LoginThrottleOptions {
  /** Failures of one account name answered 401 before the first lockout; default 5. */
  readonly freeFailuresPerAccount?: number;
  /** Failures from one address (all names) before the first lockout; default 20, as a venue's NAT is one address. */
  readonly freeFailuresPerAddress?: number;
  /** The first lockout; each further failure doubles it. Default 30 s. */
  readonly firstLockoutMs?: number;
  /** The longest lockout; default 15 min. */
  readonly maxLockoutMs?: number;
  /** Counters with no failure for this long (after their lockout) are forgotten; default 1 h. */
  readonly forgetAfterMs?: number;
  /** Most counters kept per table (account names, addresses); the least recently used go first. Default 100,000. */
  readonly maxEntries?: number;
  /** The clock, in ms since the epoch; default Date.now (tests pass their own so they never sleep). */
  readonly now?: () => number;
}

/** One structured log entry: an event name and small facts (ids, sizes, codes), never document content. */
export interface SyncLogEntry {
  readonly time: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly event: string;
  readonly [fact: string]: string | number | boolean | null | undefined;
}

/** A running sync server. */
export interface RunningSyncServer {
  /** ws://host:port/ — the WebSocket endpoint (Hocuspocus). */
  readonly url: string;
  /** http://host:port — the HTTP API (/api/login, /api/refresh, /api/documents, /api/info). */
  readonly httpUrl: string;
  readonly port: number;
  readonly accounts: AccountStore;
  readonly store: SyncStore;
  close(): Promise<void>;
}
