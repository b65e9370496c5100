/**
 * The PostgreSQL store for scale-out: several sync server processes share one database, every accepted update is
 * committed before it is acknowledged, and a Y.Doc's rows are merged (compacted) in one transaction.
 *
 * Tables (created if missing, in the first schema of the connection's search_path):
 *   documents (id, title, updated_at)              the published negotiated documents
 *   updates   (seq, doc_name, data, created_at)    an append-only log of Yjs updates per Y.Doc
 */
import pg from 'pg';
import { documentIdSchema, documentTitleSchema } from '../../shared/ipc.ts';
import { parseSyncDocName } from '../../shared/sync.ts';
import { checkUpdate, mergeRows, squashRows, StorageError } from '../storage/index.ts';
import type { SyncLogEntry, SyncStore } from './api.ts';

/** Rows a Y.Doc may have (as this process counts them) before they are merged into one. */
export const DEFAULT_POSTGRES_COMPACT_THRESHOLD = 500;

/** Options of {@link createPostgresStore}; all optional. */
export interface PostgresStoreOptions {
  /** Rows of one Y.Doc that trigger a compaction; default {@link DEFAULT_POSTGRES_COMPACT_THRESHOLD}. */
  readonly compactThreshold?: number;
  /** Largest number of pooled connections; default 10. */
  readonly maxConnections?: number;
  /** Where background failures (a failed compaction, a dropped idle connection) are reported; default stderr. */
  readonly log?: (entry: SyncLogEntry) => void;
}

/** A PostgreSQL-backed {@link SyncStore} plus what tests and operators need to look at its rows. */
export interface PostgresSyncStore extends SyncStore {
  /** Merges a Y.Doc's rows into one row now, in one transaction; returns the row counts before and after. */
  compact(docName: string): Promise<{ rowsBefore: number; rowsAfter: number }>;
  /** The number of stored rows of one Y.Doc. */
  rowCount(docName: string): Promise<number>;
  /** Resolves when every compaction started in the background so far has finished. */
  idle(): Promise<void>;
}

/** Taken (transaction-scoped) while creating tables, so two processes starting at once do not race on DDL. */
const SCHEMA_LOCK = 0x50454e48;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    id text PRIMARY KEY,
    title text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS updates (
    seq bigserial PRIMARY KEY,
    doc_name text NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS updates_by_doc_name ON updates (doc_name, seq);
`;

/**
 * Opens a pool on `connectionString`, creates the tables if missing and returns the store; fails with a message
 * naming the server (never the password) when PostgreSQL cannot be reached.
 */
export async function createPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresSyncStore> {
  const where = describeConnection(connectionString);
  const compactThreshold = options.compactThreshold ?? DEFAULT_POSTGRES_COMPACT_THRESHOLD;
  if (!(compactThreshold >= 2)) throw new RangeError('compactThreshold must be at least 2 rows.');
  const log = options.log ?? logToStderr;
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10, application_name: 'penholder-sync' });
  // Without a listener, an idle connection dropped by the server (a restart, say) would crash the whole process.
  pool.on('error', (error) => log(entry('error', 'postgres-idle-connection-error', { message: error.message })));

  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StorageError('storage', `Cannot open the PostgreSQL store at ${where}: ${messageOf(error)}`, { cause: error });
  }
  return new PostgresStore(pool, compactThreshold, log);
}

class PostgresStore implements PostgresSyncStore {
  readonly #pool: pg.Pool;
  readonly #compactThreshold: number;
  readonly #log: (entry: SyncLogEntry) => void;
  /** Rows per Y.Doc as far as this process knows: counted at load, plus its own appends since. */
  readonly #rows = new Map<string, number>();
  readonly #compactions = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(pool: pg.Pool, compactThreshold: number, log: (entry: SyncLogEntry) => void) {
    this.#pool = pool;
    this.#compactThreshold = compactThreshold;
    this.#log = log;
  }

  async load(docName: string): Promise<Uint8Array> {
    this.#checkOpen();
    checkDocName(docName);
    const result = await this.#query<{ data: Buffer }>(
      `loading "${docName}"`,
      'SELECT data FROM updates WHERE doc_name = $1 ORDER BY seq',
      [docName],
    );
    const rows = result.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
    this.#rows.set(docName, rows.length);
    this.#maybeCompact(docName);
    try {
      return mergeRows(rows);
    } catch (error) {
      throw new StorageError('corrupt', `The stored updates of "${docName}" cannot be merged: ${messageOf(error)}`, { cause: error });
    }
  }

  async append(docName: string, update: Uint8Array): Promise<void> {
    this.#checkOpen();
    checkDocName(docName);
    let data: Uint8Array;
    try {
      data = checkUpdate(update);
    } catch (error) {
      throw new StorageError('invalid', `Refused an update for "${docName}": ${messageOf(error)}`, { cause: error });
    }
    const { documentId } = parseDocName(docName);
    // One statement is one transaction: when the promise resolves, the row and the document's updated_at are
    // committed (synchronous_commit is on by default), which is what lets the server acknowledge the update.
    // The row is written only for a published document, as in the SQLite store.
    const result = await this.#query(
      `saving an update of "${docName}"`,
      `WITH touched AS (UPDATE documents SET updated_at = now() WHERE id = $3 RETURNING id)
       INSERT INTO updates (doc_name, data) SELECT $1, $2 FROM touched`,
      [docName, Buffer.from(data.buffer, data.byteOffset, data.byteLength), documentId],
    );
    if (result.rowCount !== 1) throw new StorageError('not-found', `The document ${documentId} is not published on this server.`);
    this.#rows.set(docName, (this.#rows.get(docName) ?? 0) + 1);
    this.#maybeCompact(docName);
  }

  async listDocuments(): Promise<Array<{ id: string; title: string; updatedAt: string }>> {
    this.#checkOpen();
    const result = await this.#query<{ id: string; title: string; updated_at: Date }>(
      'listing documents',
      'SELECT id, title, updated_at FROM documents ORDER BY updated_at DESC, id',
      [],
    );
    return result.rows.map((row) => ({ id: row.id, title: row.title, updatedAt: row.updated_at.toISOString() }));
  }

  async hasDocument(id: string): Promise<boolean> {
    this.#checkOpen();
    const result = await this.#query('looking up a document', 'SELECT 1 FROM documents WHERE id = $1', [id]);
    return result.rowCount === 1;
  }

  async putDocument(id: string, title: string): Promise<void> {
    this.#checkOpen();
    const checkedId = documentIdSchema.safeParse(id);
    if (!checkedId.success) throw new StorageError('invalid', 'A document id is 3 to 64 lowercase letters, digits or dashes.');
    const checkedTitle = documentTitleSchema.safeParse(title);
    if (!checkedTitle.success) {
      throw new StorageError('invalid', `The title cannot be used: ${checkedTitle.error.issues[0]?.message ?? 'it is not text'}.`);
    }
    // Publishing again is harmless: a new title replaces the old one (and dates the document); the same title
    // changes nothing.
    await this.#query(
      `registering the document "${checkedId.data}"`,
      `INSERT INTO documents (id, title) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, updated_at = now() WHERE documents.title <> EXCLUDED.title`,
      [checkedId.data, checkedTitle.data],
    );
  }

  async listYDocs(documentId: string): Promise<string[]> {
    this.#checkOpen();
    const checkedId = documentIdSchema.safeParse(documentId);
    if (!checkedId.success) return [];
    // Ids hold only [a-z0-9-], none of them a LIKE wildcard.
    const result = await this.#query<{ doc_name: string }>(
      `listing the Y.Docs of "${checkedId.data}"`,
      'SELECT DISTINCT doc_name FROM updates WHERE doc_name LIKE $1',
      [`${checkedId.data}/%`],
    );
    return result.rows
      .map((row) => parseSyncDocName(row.doc_name))
      .flatMap((parsed) => (parsed && parsed.documentId === checkedId.data ? [parsed.local] : []))
      .sort();
  }

  async compact(docName: string): Promise<{ rowsBefore: number; rowsAfter: number }> {
    this.#checkOpen();
    checkDocName(docName);
    return this.#compact(docName);
  }

  async rowCount(docName: string): Promise<number> {
    this.#checkOpen();
    const result = await this.#query<{ count: string }>(
      `counting the rows of "${docName}"`,
      'SELECT count(*) AS count FROM updates WHERE doc_name = $1',
      [docName],
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  async idle(): Promise<void> {
    while (this.#compactions.size > 0) await Promise.allSettled([...this.#compactions.values()]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A compaction under way commits or rolls back as a whole; letting it finish keeps the log from reporting it.
    await Promise.allSettled([...this.#compactions.values()]);
    await this.#pool.end();
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError('storage', 'The PostgreSQL store is closed.');
  }

  async #query<Row extends pg.QueryResultRow>(doing: string, text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    try {
      return await this.#pool.query<Row>(text, values);
    } catch (error) {
      throw new StorageError('storage', `PostgreSQL failed while ${doing}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Starts a background compaction when this process has seen the Y.Doc grow past the threshold. */
  #maybeCompact(docName: string): void {
    if ((this.#rows.get(docName) ?? 0) <= this.#compactThreshold || this.#compactions.has(docName) || this.#closed) return;
    const running = this.#compact(docName)
      .catch((error: unknown) => this.#log(entry('error', 'postgres-compaction-failed', { docName, message: messageOf(error) })))
      .finally(() => this.#compactions.delete(docName));
    this.#compactions.set(docName, running);
  }

  /**
   * Merges the rows of one Y.Doc into one, in one transaction. Other processes may append meanwhile, so it deletes
   * exactly the rows it read (by seq), never "everything up to": a row committed late with a lower seq survives.
   * Row order does not matter to Yjs, so the merged row simply takes a new seq. Compactions of the same Y.Doc
   * from several processes wait for each other on an advisory lock, so the second finds the work done.
   */
  async #compact(docName: string): Promise<{ rowsBefore: number; rowsAfter: number }> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, docName]);
      const result = await client.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE doc_name = $1 ORDER BY seq',
        [docName],
      );
      const rowsBefore = result.rows.length;
      if (rowsBefore <= 1) {
        await client.query('COMMIT');
        this.#rows.set(docName, rowsBefore);
        return { rowsBefore, rowsAfter: rowsBefore };
      }
      const merged = squashRows(result.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength)));
      const deleted = await client.query('DELETE FROM updates WHERE seq = ANY($1::bigint[])', [result.rows.map((row) => row.seq)]);
      if (deleted.rowCount !== rowsBefore) {
        // Only another compaction deletes rows, and it holds the same lock: this cannot happen, so touch nothing.
        throw new Error(`expected to replace ${rowsBefore} rows but found ${String(deleted.rowCount)}`);
      }
      await client.query('INSERT INTO updates (doc_name, data) VALUES ($1, $2)', [docName, Buffer.from(merged)]);
      await client.query('COMMIT');
      this.#rows.set(docName, 1);
      return { rowsBefore, rowsAfter: 1 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new StorageError('storage', `Compacting "${docName}" failed and changed nothing: ${messageOf(error)}`, { cause: error });
    } finally {
      client.release();
    }
  }
}

/** Refuses a Y.Doc name that is not `<document id>/text`, `/chair` or `/d/<CODE>`. */
function checkDocName(docName: string): void {
  parseDocName(docName);
}

function parseDocName(docName: string): { documentId: string } {
  const parsed = typeof docName === 'string' ? parseSyncDocName(docName) : null;
  if (!parsed) throw new StorageError('invalid', 'A Y.Doc name is <document id>/text, /chair or /d/<CODE>.');
  return parsed;
}

/** `host:port/database` of a connection string, without user or password, for error messages. */
function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured address';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function entry(level: SyncLogEntry['level'], event: string, facts: Record<string, string | number>): SyncLogEntry {
  return { time: new Date().toISOString(), level, event, ...facts };
}

function logToStderr(logEntry: SyncLogEntry): void {
  process.stderr.write(`${JSON.stringify(logEntry)}\n`);
}
