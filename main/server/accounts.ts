/**
 * Accounts of a sync server in `<dataDir>/accounts.sqlite`: name, role, delegation, a scrypt password hash with a
 * per-account salt, grants per document ('*' = all), and the hashed refresh tokens of signed-in clients.
 * The secretariat's CLI and the running server open the same file (WAL lets them share it).
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { documentIdSchema } from '../../shared/ipc.ts';
import { DELEGATION_CODE, roles } from '../../shared/sync.ts';
import type { Role } from '../../shared/sync.ts';
import type { Account, AccountStore } from './api.ts';
import type { SignedInPrincipal } from './context.ts';

/** Why an account operation was refused: the CLI and the HTTP API branch on it, a person reads the message. */
export type AccountErrorCode = 'invalid' | 'not-found' | 'exists';

/** A refused account operation with a sentence for the secretariat. */
export class AccountError extends Error {
  readonly code: AccountErrorCode;

  constructor(code: AccountErrorCode, message: string) {
    super(message);
    this.name = 'AccountError';
    this.code = code;
  }
}

/** The grant that opens every document on the server. */
export const ALL_DOCUMENTS = '*';

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 8;

/** Longest password accepted (scrypt takes any length; this only bounds the work an attacker can ask for). */
export const MAX_PASSWORD_LENGTH = 1024;

/** Longest account name, in characters. */
export const MAX_NAME_LENGTH = 64;

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s per check on a laptop). Stored per account as log2(N), so
 * it can be raised later without invalidating existing passwords.
 */
const SCRYPT_LOG_N = 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const HASH_BYTES = 32;
const SALT_BYTES = 16;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    delegation TEXT,
    password_salt BLOB NOT NULL,
    password_hash BLOB NOT NULL,
    password_log_n INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS grants (
    name TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    PRIMARY KEY (name, document_id)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS refresh_tokens_by_name ON refresh_tokens(name);
`;

interface AccountRow {
  name: string;
  role: string;
  delegation: string | null;
  password_salt: Buffer;
  password_hash: Buffer;
  password_log_n: number;
  disabled: number;
  created_at: string;
}

/** A refresh token's row: whose it is and until when (ms since the epoch). */
export interface RefreshTokenRecord {
  readonly name: string;
  readonly expiresAt: number;
}

/** The {@link AccountStore} of a sync server, over SQLite (WAL, synchronous=FULL). */
export class SqliteAccountStore implements AccountStore {
  /** The path of the accounts file. */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #listeners = new Set<(name: string) => void>();
  #dataVersion: number;
  /** A salt and hash to spend the same time on when the name is unknown, so timing does not reveal which names exist. */
  readonly #decoy = { salt: randomBytes(SALT_BYTES), logN: SCRYPT_LOG_N };

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#dataVersion = this.#readDataVersion();
  }

  /** Opens (creating if needed) `<dataDir>/accounts.sqlite`. */
  static open(dataDir: string): SqliteAccountStore {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, 'accounts.sqlite');
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // The CLI and the server write the same file; wait for the other's transaction instead of failing.
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteAccountStore(file, db);
  }

  add(input: { name: string; password: string; role: Role; delegation?: string | null; documents?: readonly string[] }): Account {
    const { name, role, delegation, documents } = checkAccount(input);
    const password = checkPassword(input.password);
    const salt = randomBytes(SALT_BYTES);
    const hash = hashPassword(password, salt, SCRYPT_LOG_N);
    this.#db.transaction(() => {
      if (this.#row(name)) throw new AccountError('exists', `There is already an account named "${name}".`);
      this.#db
        .prepare('INSERT INTO accounts (name, role, delegation, password_salt, password_hash, password_log_n, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(name, role, delegation, salt, hash, SCRYPT_LOG_N, new Date().toISOString());
      const grant = this.#db.prepare('INSERT INTO grants (name, document_id) VALUES (?, ?)');
      for (const documentId of documents) grant.run(name, documentId);
    })();
    return this.#account(name);
  }

  list(): Account[] {
    const rows = this.#db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[];
    return rows.map((row) => this.#toAccount(row));
  }

  get(name: string): Account | null {
    if (typeof name !== 'string') return null;
    const row = this.#row(name);
    return row ? this.#toAccount(row) : null;
  }

  disable(name: string): Account {
    this.#db.transaction(() => {
      this.#existing(name);
      this.#db.prepare('UPDATE accounts SET disabled = 1 WHERE name = ?').run(name);
      this.revokeRefreshTokens(name);
    })();
    for (const listener of this.#listeners) listener(name);
    return this.#account(name);
  }

  enable(name: string): Account {
    this.#existing(name);
    this.#db.prepare('UPDATE accounts SET disabled = 0 WHERE name = ?').run(name);
    return this.#account(name);
  }

  resetPassword(name: string, password: string): Account {
    const checked = checkPassword(password);
    this.#existing(name);
    const salt = randomBytes(SALT_BYTES);
    const hash = hashPassword(checked, salt, SCRYPT_LOG_N);
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE accounts SET password_salt = ?, password_hash = ?, password_log_n = ? WHERE name = ?')
        .run(salt, hash, SCRYPT_LOG_N, name);
      // Whoever knew the old password may hold a refresh token: it dies with the password.
      this.revokeRefreshTokens(name);
    })();
    return this.#account(name);
  }

  grant(name: string, documentId: string): Account {
    const grant = checkGrant(documentId);
    this.#existing(name);
    this.#db.prepare('INSERT OR IGNORE INTO grants (name, document_id) VALUES (?, ?)').run(name, grant);
    return this.#account(name);
  }

  revoke(name: string, documentId: string): Account {
    const grant = checkGrant(documentId);
    this.#existing(name);
    this.#db.prepare('DELETE FROM grants WHERE name = ? AND document_id = ?').run(name, grant);
    return this.#account(name);
  }

  verify(name: string, password: string): SignedInPrincipal | null {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return null;
    const row = name.length <= MAX_NAME_LENGTH * 2 ? this.#row(name) : undefined;
    if (!row) {
      hashPassword(password, this.#decoy.salt, this.#decoy.logN);
      return null;
    }
    const hash = hashPassword(password, row.password_salt, row.password_log_n);
    const matches = hash.length === row.password_hash.length && timingSafeEqual(hash, row.password_hash);
    if (!matches || row.disabled !== 0) return null;
    return { name: row.name, role: row.role as Role, delegation: row.delegation };
  }

  /** Stores a refresh token by its hash (the token itself is never kept). */
  saveRefreshToken(tokenHash: string, name: string, expiresAt: number): void {
    this.#db.prepare('INSERT INTO refresh_tokens (token_hash, name, expires_at, created_at) VALUES (?, ?, ?, ?)').run(tokenHash, name, expiresAt, Date.now());
  }

  /** Removes and returns a refresh token's record (each token is used once: rotation), or null when unknown. */
  takeRefreshToken(tokenHash: string): RefreshTokenRecord | null {
    return this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT name, expires_at FROM refresh_tokens WHERE token_hash = ?').get(tokenHash) as
        | { name: string; expires_at: number }
        | undefined;
      if (!row) return null;
      this.#db.prepare('DELETE FROM refresh_tokens WHERE token_hash = ?').run(tokenHash);
      return { name: row.name, expiresAt: row.expires_at };
    })();
  }

  /** Revokes every refresh token of an account (disable, password reset). */
  revokeRefreshTokens(name: string): void {
    this.#db.prepare('DELETE FROM refresh_tokens WHERE name = ?').run(name);
  }

  /** Deletes refresh tokens that expired before `now`. */
  pruneRefreshTokens(now: number = Date.now()): number {
    return this.#db.prepare('DELETE FROM refresh_tokens WHERE expires_at < ?').run(now).changes;
  }

  /** Calls `listener` with the name of each account disabled through this store object; returns an unsubscribe function. */
  onDisabled(listener: (name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True when another process (the CLI) has written the file since the last call. */
  changedElsewhere(): boolean {
    const version = this.#readDataVersion();
    const changed = version !== this.#dataVersion;
    this.#dataVersion = version;
    return changed;
  }

  /** Closes the file. */
  close(): void {
    this.#listeners.clear();
    if (this.#db.open) this.#db.close();
  }

  #readDataVersion(): number {
    return this.#db.pragma('data_version', { simple: true }) as number;
  }

  #row(name: string): AccountRow | undefined {
    return this.#db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as AccountRow | undefined;
  }

  #existing(name: string): AccountRow {
    const row = typeof name === 'string' ? this.#row(name) : undefined;
    if (!row) throw new AccountError('not-found', `There is no account named "${String(name)}".`);
    return row;
  }

  #account(name: string): Account {
    return this.#toAccount(this.#existing(name));
  }

  #toAccount(row: AccountRow): Account {
    const documents = this.#db.prepare('SELECT document_id FROM grants WHERE name = ? ORDER BY document_id').pluck().all(row.name) as string[];
    return {
      name: row.name,
      role: row.role as Role,
      delegation: row.delegation,
      disabled: row.disabled !== 0,
      documents,
      createdAt: row.created_at,
    };
  }
}

/** True when `account` may open the negotiated document `documentId`. */
export function hasGrant(account: Account, documentId: string): boolean {
  return account.documents.includes(ALL_DOCUMENTS) || account.documents.includes(documentId);
}

/** The SHA-256 of a refresh token, as stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function hashPassword(password: string, salt: Uint8Array, logN: number): Buffer {
  const N = 2 ** logN;
  return scryptSync(password.normalize('NFC'), salt, HASH_BYTES, { N, r: SCRYPT_R, p: SCRYPT_P, maxmem: 256 * N * SCRYPT_R });
}

/**
 * Checks everything about a new account but its password (the CLI checks before it asks for one); throws
 * {@link AccountError}.
 */
export function checkAccount(input: { name: unknown; role: unknown; delegation?: unknown; documents?: readonly unknown[] }): {
  name: string;
  role: Role;
  delegation: string | null;
  documents: string[];
} {
  const name = checkName(input.name);
  const role = checkRole(input.role);
  const delegation = checkDelegation(role, input.delegation ?? null);
  const documents = [...new Set((input.documents ?? []).map(checkGrant))];
  return { name, role, delegation, documents };
}

/** Checks an account name: 1 to 64 characters, no control characters, no spaces at either end. */
export function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new AccountError('invalid', 'An account name is text.');
  const length = [...name].length;
  if (length < 1 || length > MAX_NAME_LENGTH) {
    throw new AccountError('invalid', `An account name is 1 to ${MAX_NAME_LENGTH} characters long.`);
  }
  if (/\p{Cc}/u.test(name)) throw new AccountError('invalid', 'An account name cannot contain control characters (tabs, line breaks...).');
  if (name.trim() !== name) throw new AccountError('invalid', 'An account name cannot start or end with a space.');
  return name;
}

function checkRole(role: unknown): Role {
  if (!roles.includes(role as Role)) throw new AccountError('invalid', `A role is one of: ${roles.join(', ')}.`);
  return role as Role;
}

function checkDelegation(role: Role, delegation: unknown): string | null {
  if (role === 'delegation') {
    if (typeof delegation !== 'string' || !DELEGATION_CODE.test(delegation)) {
      throw new AccountError(
        'invalid',
        'A delegation account needs its delegation code: 2 to 16 capital letters, digits, dashes or underscores (for example FRA or G77).',
      );
    }
    return delegation;
  }
  if (delegation !== null && delegation !== undefined) {
    throw new AccountError('invalid', `Only a delegation account has a delegation code; a ${role} account has none.`);
  }
  return null;
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string') throw new AccountError('invalid', 'A password is text.');
  if (password.length < MIN_PASSWORD_LENGTH) throw new AccountError('invalid', `A password is at least ${MIN_PASSWORD_LENGTH} characters long.`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new AccountError('invalid', `A password is at most ${MAX_PASSWORD_LENGTH} characters long.`);
  return password;
}

function checkGrant(documentId: unknown): string {
  if (documentId === ALL_DOCUMENTS) return ALL_DOCUMENTS;
  if (!documentIdSchema.safeParse(documentId).success) {
    throw new AccountError('invalid', `A document id is 3 to 64 lowercase letters, digits or dashes (or ${ALL_DOCUMENTS} for all documents).`);
  }
  return documentId as string;
}
