/**
 * One document's SQLite file: a `meta` table of facts about it and an append-only `updates` log of Yjs updates
 * per Y.Doc, in WAL mode with synchronous=FULL so a returned append is on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { RemoteLink } from '../../shared/ipc.ts';
import { StorageError } from './errors.ts';
import { fsyncDir, SQLITE_SIDE_SUFFIXES } from './files.ts';

/** Largest WAL kept after a checkpoint (bytes); beyond it SQLite truncates the file. */
export const WAL_SIZE_LIMIT_BYTES = 1024 * 1024;

/** The extension of a document file in `<workspace>/docs/`. */
export const DOCUMENT_FILE_EXTENSION = '.penholder';

/** Format version of the document file this build writes (meta.schemaVersion); a newer file is left untouched. */
export const DOCUMENT_FORMAT_VERSION = 1;

/** `PRAGMA application_id` of a document file ("PENH"), so an unrelated SQLite database is not taken for one. */
export const DOCUMENT_APPLICATION_ID = 0x50454e48;

/** The facts about a document kept in its `meta` table. */
export interface DocumentMeta {
  title: string;
  createdAt: number;
  modifiedAt: number;
  trashedAt: number | null;
  schemaVersion: number;
  /** The sync-server document this one mirrors; null (or absent in files written before it existed) for a local one. */
  remote?: RemoteLink | null;
}

/** One Y.Doc's initial content for a new document file. */
export interface InitialUpdate {
  ydoc: string;
  update: Uint8Array;
}

/** What a look at a file on disk found: a usable document, a damaged file, or one this build must not touch. */
export type Inspection =
  | { kind: 'ok'; meta: DocumentMeta }
  | { kind: 'damaged'; reason: string }
  | { kind: 'unusable'; reason: string };

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) STRICT;
  CREATE TABLE updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ydoc TEXT NOT NULL,
    data BLOB NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX updates_by_ydoc ON updates (ydoc, seq);
`;

const UPDATE_COLUMNS = ['seq', 'ydoc', 'data', 'at'];

/**
 * The Yjs encoding of a document with nothing in it, which is what an absent Y.Doc loads as (here and in the sync
 * server's stores). Hand out a copy (`EMPTY_STATE.slice()`): a Uint8Array can be written to.
 */
export const EMPTY_STATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc());

/** An open document file; every method throws the raw SQLite error, which the workspace interprets. */
export class DocumentFile {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #rowCounts = new Map<string, number>();
  /**
   * Per Y.Doc, a copy of the stored state that each new update is applied to before it is stored: an update that
   * decodes but cannot be integrated (a same-client origin ahead of its item, say) would otherwise be stored and
   * make the document unloadable. null means the stored state itself cannot be applied, so nothing can be checked.
   */
  readonly #mirrors = new Map<string, Y.Doc | null>();
  readonly #appendTx: (ydoc: string, data: Uint8Array, at: number) => number;
  readonly #appendManyTx: (ydoc: string, data: ReadonlyArray<Uint8Array>, at: number) => number[];
  readonly #selectData: Database.Statement<[string], Buffer>;
  readonly #selectRows: Database.Statement<[string], { seq: number; data: Buffer }>;
  readonly #countRows: Database.Statement<[string], number>;
  readonly #selectYDocs: Database.Statement<[], string>;
  readonly #setMeta: Database.Statement<[string, string | null]>;
  readonly #deleteUpTo: Database.Statement<[string, number]>;
  readonly #insertMerged: Database.Statement<[number, string, Uint8Array, number]>;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    const insert = db.prepare<[string, Uint8Array, number]>('INSERT INTO updates (ydoc, data, at) VALUES (?, ?, ?)');
    const touch = db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'modifiedAt'");
    this.#appendTx = db.transaction((ydoc: string, data: Uint8Array, at: number) => {
      const seq = Number(insert.run(ydoc, data, at).lastInsertRowid);
      touch.run(String(at));
      return seq;
    });
    this.#appendManyTx = db.transaction((ydoc: string, data: ReadonlyArray<Uint8Array>, at: number) => {
      const seqs = data.map((update) => Number(insert.run(ydoc, update, at).lastInsertRowid));
      touch.run(String(at));
      return seqs;
    });
    this.#selectData = db.prepare<[string], Buffer>('SELECT data FROM updates WHERE ydoc = ? ORDER BY seq').pluck();
    this.#selectRows = db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE ydoc = ? ORDER BY seq',
    );
    this.#countRows = db.prepare<[string], number>('SELECT count(*) FROM updates WHERE ydoc = ?').pluck();
    this.#selectYDocs = db.prepare<[], string>('SELECT DISTINCT ydoc FROM updates ORDER BY ydoc').pluck();
    this.#setMeta = db.prepare<[string, string | null]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.#deleteUpTo = db.prepare<[string, number]>('DELETE FROM updates WHERE ydoc = ? AND seq <= ?');
    this.#insertMerged = db.prepare<[number, string, Uint8Array, number]>(
      'INSERT INTO updates (seq, ydoc, data, at) VALUES (?, ?, ?, ?)',
    );
  }

  /**
   * Writes a complete new document file at `file`: it is built under a hidden temporary name and renamed into
   * place only once committed, so a crash never leaves a half-made document for the next start to trip over.
   */
  static create(file: string, meta: DocumentMeta, initial: ReadonlyArray<InitialUpdate>): void {
    const temp = creatingPath(file);
    removeWithSideFiles(temp);
    // Rollback-journal mode while building: the commit lands in the file itself, so renaming one file moves it all.
    const db = new Database(temp);
    try {
      db.pragma('synchronous = FULL');
      db.transaction(() => {
        db.pragma(`application_id = ${DOCUMENT_APPLICATION_ID}`);
        db.exec(SCHEMA);
        const setMeta = db.prepare<[string, string | null]>('INSERT INTO meta (key, value) VALUES (?, ?)');
        for (const [key, value] of metaEntries(meta)) setMeta.run(key, value);
        const insert = db.prepare<[string, Uint8Array, number]>('INSERT INTO updates (ydoc, data, at) VALUES (?, ?, ?)');
        for (const { ydoc, update } of initial) insert.run(ydoc, update, meta.createdAt);
      })();
      db.close();
      if (fs.existsSync(file)) throw new Error(`refusing to replace the existing file ${file}`);
      fs.renameSync(temp, file);
      fsyncDir(path.dirname(file));
    } catch (error) {
      if (db.open) db.close();
      removeWithSideFiles(temp);
      throw error;
    }
  }

  /** The temporary name a document file is built under (a leftover one is an unfinished create). */
  static isCreatingName(name: string): boolean {
    return name.startsWith('.') && /\.creating(-journal|-wal|-shm)?$/.test(name);
  }

  /** Opens a document file already known to be sound, switching it to WAL with synchronous=FULL. */
  static open(file: string): DocumentFile {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // After each checkpoint the WAL file is cut back to this size, so a document's size on disk follows its content
      // rather than the busiest moment of its history.
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      return new DocumentFile(file, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Looks at a file without writing to it: header, `PRAGMA quick_check`, tables and meta. Errors that say the
   * file is damaged become 'damaged'; any other failure (permissions, locks) becomes 'unusable', because
   * moving aside a sound document that merely could not be opened right now would hide it from its owner.
   */
  static inspect(file: string): Inspection {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (error) {
      return { kind: 'unusable', reason: describe(error) };
    }
    if (size === 0) return { kind: 'damaged', reason: 'the file is empty' };
    let db: Database.Database | undefined;
    try {
      // Read-only: a read-write connection would checkpoint the WAL into a possibly damaged file on close.
      db = new Database(file, { fileMustExist: true, readonly: true });
      if (db.pragma('application_id', { simple: true }) !== DOCUMENT_APPLICATION_ID) {
        return { kind: 'damaged', reason: 'it is not a Penholder document' };
      }
      const problems = db.pragma('quick_check(3)', { simple: false }) as Array<Record<string, unknown>>;
      const first = problems[0] ? Object.values(problems[0])[0] : undefined;
      if (first !== 'ok') return { kind: 'damaged', reason: `the integrity check failed: ${String(first)}` };
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      const meta = tables.includes('meta')
        ? parseMeta(db.prepare('SELECT key, value FROM meta').all() as Array<{ key: unknown; value: unknown }>)
        : null;
      if (!meta) return { kind: 'damaged', reason: 'its title and dates are missing' };
      // Before judging the tables: a newer format may lay them out differently, which is not damage.
      if (meta.schemaVersion > DOCUMENT_FORMAT_VERSION) {
        return { kind: 'unusable', reason: `it was written by a newer version of Penholder (format ${meta.schemaVersion})` };
      }
      const columns = db.prepare("SELECT name FROM pragma_table_info('updates') ORDER BY cid").pluck().all();
      if (columns.join() !== UPDATE_COLUMNS.join()) return { kind: 'damaged', reason: 'its table of changes is missing' };
      return { kind: 'ok', meta };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const damaged = typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|RANGE|FORMAT|SCHEMA)/.test(code);
      return { kind: damaged ? 'damaged' : 'unusable', reason: describe(error) };
    } finally {
      db?.close();
    }
  }

  /** Writes some meta fields in one transaction. */
  writeMeta(fields: Partial<Omit<DocumentMeta, 'schemaVersion'>>): void {
    this.#db.transaction(() => {
      for (const [key, value] of metaEntries(fields)) this.#setMeta.run(key, value);
    })();
  }

  /**
   * Appends one update and sets modifiedAt in the same transaction; returns its seq once committed. Throws
   * StorageError('invalid'), storing nothing, when the update cannot be applied on top of what is stored.
   */
  append(ydoc: string, data: Uint8Array, at: number): number {
    this.#applyToMirror(ydoc, data);
    let seq: number;
    try {
      seq = this.#appendTx(ydoc, data, at);
    } catch (error) {
      // The mirror is now ahead of the file; rebuild it from the file next time.
      this.#dropMirror(ydoc);
      throw error;
    }
    const count = this.#rowCounts.get(ydoc);
    if (count !== undefined) this.#rowCounts.set(ydoc, count + 1);
    return seq;
  }

  /**
   * Appends several updates of one Y.Doc and sets modifiedAt in ONE transaction (one fsync); returns their seqs,
   * in order, once committed. Every update is checked against the stored state first: if any cannot be applied it
   * throws StorageError('invalid') and stores none of them; if the commit fails none of them is stored either.
   */
  appendMany(ydoc: string, data: ReadonlyArray<Uint8Array>, at: number): number[] {
    if (data.length === 0) return [];
    this.#applyManyToMirror(ydoc, data);
    let seqs: number[];
    try {
      seqs = this.#appendManyTx(ydoc, data, at);
    } catch (error) {
      this.#dropMirror(ydoc);
      throw error;
    }
    const count = this.#rowCounts.get(ydoc);
    if (count !== undefined) this.#rowCounts.set(ydoc, count + data.length);
    return seqs;
  }

  /** The number of stored rows of one Y.Doc (counted once, then tracked). */
  rowCount(ydoc: string): number {
    let count = this.#rowCounts.get(ydoc);
    if (count === undefined) {
      count = this.#countRows.get(ydoc) ?? 0;
      this.#rowCounts.set(ydoc, count);
    }
    return count;
  }

  /** All rows of one Y.Doc merged into one update, and how many rows there were. */
  load(ydoc: string): { state: Uint8Array; updateCount: number } {
    const rows = this.#selectData.all(ydoc);
    this.#rowCounts.set(ydoc, rows.length);
    const [only] = rows;
    if (rows.length === 0 || only === undefined) return { state: EMPTY_STATE.slice(), updateCount: 0 };
    // A copy even for one row: a Buffer may be a view into a shared pool, which must not travel over IPC.
    const state = rows.length === 1 ? new Uint8Array(only) : mergeRows(rows);
    return { state, updateCount: rows.length };
  }

  /**
   * Merges the rows of the given Y.Docs (all when none is named) into one row each, in ONE transaction: a crash
   * leaves either the old rows or the merged ones. The merged row takes the seq of the last row it replaces,
   * so "a row with seq S holds every update of its Y.Doc up to S" stays true. Rows that cannot be applied make
   * it throw and change nothing.
   */
  compact(ydocs: ReadonlyArray<string> = this.ydocs()): { rowsBefore: number; rowsAfter: number } {
    let rowsBefore = 0;
    let rowsAfter = 0;
    this.#db
      .transaction(() => {
        for (const ydoc of ydocs) {
          const rows = this.#selectRows.all(ydoc);
          const last = rows.at(-1);
          rowsBefore += rows.length;
          if (rows.length <= 1 || last === undefined) {
            rowsAfter += rows.length;
            continue;
          }
          const merged = squashRows(rows.map((row) => row.data));
          this.#deleteUpTo.run(ydoc, last.seq);
          this.#insertMerged.run(last.seq, ydoc, merged, Date.now());
          rowsAfter += 1;
        }
      })
      .immediate();
    // Counts are only trusted once the transaction has committed.
    for (const ydoc of ydocs) this.#rowCounts.delete(ydoc);
    // Compaction freed most rows: move the WAL into the file and empty it. A busy reader only delays this; the
    // data is safe either way.
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    return { rowsBefore, rowsAfter };
  }

  /** The Y.Doc names that have at least one row. */
  ydocs(): string[] {
    return this.#selectYDocs.all();
  }

  /** Caps the file at `pages` pages (or lifts the cap with null) so tests can provoke SQLITE_FULL. */
  limitPages(pages: number | null): void {
    this.#db.pragma(`max_page_count = ${pages === null ? 0xfffffffe : Math.max(1, Math.floor(pages))}`);
  }

  /** The current number of pages in the database. */
  pageCount(): number {
    return this.#db.pragma('page_count', { simple: true }) as number;
  }

  #applyToMirror(ydoc: string, data: Uint8Array): void {
    let mirror = this.#mirrors.get(ydoc);
    if (mirror === undefined) {
      mirror = new Y.Doc({ gc: false });
      try {
        Y.applyUpdate(mirror, this.load(ydoc).state);
      } catch {
        // Stored before this check existed, or written by something else: refusing new typing would not repair it.
        mirror.destroy();
        mirror = null;
      }
      this.#mirrors.set(ydoc, mirror);
    }
    if (mirror === null) return;
    try {
      Y.applyUpdate(mirror, data);
    } catch (error) {
      // Yjs may have integrated part of the update before failing; the mirror is rebuilt from the file.
      this.#dropMirror(ydoc);
      throw new StorageError('invalid', 'The change cannot be applied to the stored document; it was not stored.', { cause: error });
    }
  }

  /** Checks a group of updates in order; the first that cannot be applied throws (and the mirror is rebuilt later). */
  #applyManyToMirror(ydoc: string, data: ReadonlyArray<Uint8Array>): void {
    for (const update of data) this.#applyToMirror(ydoc, update);
  }

  #dropMirror(ydoc: string): void {
    this.#mirrors.get(ydoc)?.destroy();
    this.#mirrors.delete(ydoc);
  }

  /** Closes the connection; the last close checkpoints the WAL into the file. */
  close(): void {
    for (const ydoc of [...this.#mirrors.keys()]) this.#dropMirror(ydoc);
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Y.mergeUpdates of many rows, merged in groups: the result is byte-identical to one flat call, which grows
 * faster than linearly (5,000 keystroke rows: about 600 ms flat, 50 ms in groups of 16).
 */
export function mergeRows(rows: ReadonlyArray<Uint8Array>): Uint8Array {
  let level: Uint8Array[] = [...rows];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MERGE_GROUP) next.push(Y.mergeUpdates(level.slice(i, i + MERGE_GROUP)));
    level = next;
  }
  return level[0] ?? EMPTY_STATE.slice();
}

const MERGE_GROUP = 16;

/**
 * The rows applied to a scratch Y.Doc (gc off, so deleted text and everything a relative position may point into
 * is kept) and encoded again: the same content as merging, but adjacent keystrokes become one item, about half
 * the bytes. Updates still waiting for a missing dependency are kept too (encodeStateAsUpdate includes them).
 */
export function squashRows(rows: ReadonlyArray<Uint8Array>): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  try {
    // One apply of the merged rows: applying row by row re-sorts waiting updates each time, quadratic when many wait.
    Y.applyUpdate(doc, mergeRows(rows));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** The hidden temporary path `create` builds a document file under. */
function creatingPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.creating`);
}

/** Deletes a file and its SQLite side files; missing files are fine. */
export function removeWithSideFiles(file: string): void {
  fs.rmSync(file, { force: true });
  for (const suffix of SQLITE_SIDE_SUFFIXES) fs.rmSync(file + suffix, { force: true });
}

function metaEntries(fields: Partial<DocumentMeta>): Array<[string, string | null]> {
  const entries: Array<[string, string | null]> = [];
  if (fields.title !== undefined) entries.push(['title', fields.title]);
  if (fields.createdAt !== undefined) entries.push(['createdAt', String(fields.createdAt)]);
  if (fields.modifiedAt !== undefined) entries.push(['modifiedAt', String(fields.modifiedAt)]);
  if (fields.trashedAt !== undefined) entries.push(['trashedAt', fields.trashedAt === null ? null : String(fields.trashedAt)]);
  if (fields.schemaVersion !== undefined) entries.push(['schemaVersion', String(fields.schemaVersion)]);
  if (fields.remote !== undefined) {
    entries.push(['remote', fields.remote === null ? null : JSON.stringify({ serverUrl: fields.remote.serverUrl, documentId: fields.remote.documentId })]);
  }
  return entries;
}

function parseMeta(rows: Array<{ key: unknown; value: unknown }>): DocumentMeta | null {
  const values = new Map(rows.map((row) => [row.key, row.value]));
  const title = values.get('title');
  const createdAt = toInteger(values.get('createdAt'));
  const modifiedAt = toInteger(values.get('modifiedAt'));
  const schemaVersion = toInteger(values.get('schemaVersion'));
  const trashedRaw = values.get('trashedAt');
  const trashedAt = trashedRaw === null || trashedRaw === undefined ? null : toInteger(trashedRaw);
  if (typeof title !== 'string' || title.length === 0) return null;
  if (createdAt === null || modifiedAt === null || schemaVersion === null) return null;
  if (trashedRaw !== null && trashedRaw !== undefined && trashedAt === null) return null;
  return { title, createdAt, modifiedAt, trashedAt, schemaVersion, remote: parseRemote(values.get('remote')) };
}

/**
 * The `remote` meta value; anything unreadable counts as "not a mirror" rather than damage, because the document's
 * content is intact and the link can be made again by opening or publishing it.
 */
function parseRemote(value: unknown): RemoteLink | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed === null || typeof parsed !== 'object') return null;
    const { serverUrl, documentId } = parsed as { serverUrl?: unknown; documentId?: unknown };
    if (typeof serverUrl !== 'string' || typeof documentId !== 'string' || serverUrl.length === 0 || documentId.length === 0) return null;
    return { serverUrl, documentId };
  } catch {
    return null;
  }
}

function toInteger(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) return null;
  return Number(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
