/**
 * The default {@link SyncStore}: main/storage's Workspace in the server's data folder, one SQLite file per
 * negotiated document in `<dataDir>/docs` (WAL, synchronous=FULL), whose Y.Docs `text`, `chair` and `d/<CODE>`
 * are the server's `<id>/text`, `<id>/chair` and `<id>/d/<CODE>`. Titles live in the Workspace.
 *
 * The Workspace mints its own file ids, so `<dataDir>/documents.sqlite` maps each published document id to the
 * Workspace id holding it.
 *
 * Group commit: `append` does not commit on its own. Updates of one Y.Doc that arrive while a commit is pending
 * (everything the event loop reads from the sockets in one turn) wait in a queue, and one `setImmediate` later the
 * whole queue is committed in ONE transaction (one fsync). Each append's promise settles only after the
 * transaction holding its update has committed, so "stored before acknowledged" holds; a batch that fails to
 * commit (full disk) rejects every update in it. The queue keeps arrival order, and Hocuspocus hands a
 * connection's next message over only after its previous one settled, so each connection's order is kept.
 *
 * Compaction (merging a Y.Doc's rows into one) blocks the event loop for about 30 ms on a 200-paragraph text,
 * nearly whatever the row count up to 2,000: so the store compacts a Y.Doc with more than
 * {@link SERVER_COMPACT_IDLE_ROWS} rows once nobody has written to it for {@link COMPACT_IDLE_MS}, and the Workspace
 * itself compacts only past {@link SERVER_COMPACT_MAX_ROWS} (a Y.Doc written to without a pause).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { documentIdSchema, documentTitleSchema } from '../../shared/ipc.ts';
import { parseSyncDocName } from '../../shared/sync.ts';
import { EMPTY_STATE, StorageError, Workspace } from '../storage/index.ts';
import type { WorkspaceOptions } from '../storage/index.ts';
import type { SyncStore } from './api.ts';

/** One update waiting for the group commit that stores it. */
interface PendingAppend {
  readonly update: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The updates of one Y.Doc waiting for the next group commit. */
interface AppendQueue {
  readonly workspaceId: string;
  readonly local: string;
  readonly pending: PendingAppend[];
}

/** Rows of one Y.Doc above which the store compacts it once writing pauses. */
export const SERVER_COMPACT_IDLE_ROWS = 500;

/** Rows of one Y.Doc above which it is compacted right away, pause or not (loading 2,000 rows takes about 20 ms). */
export const SERVER_COMPACT_MAX_ROWS = 2000;

/** How long a Y.Doc must go without a write before it is compacted (ms). */
export const COMPACT_IDLE_MS = 1000;

/** Document files a server keeps open at once (three file descriptors each: the file, its WAL and shared memory). */
export const SERVER_MAX_OPEN_FILES = 128;

/** A SyncStore over a Workspace in `<dataDir>`; its methods finish their disk work before they resolve. */
export class SqliteSyncStore implements SyncStore {
  readonly #dataDir: string;
  readonly #options: WorkspaceOptions;
  readonly #index: Database.Database;
  #workspace: Workspace;
  /** Workspace ids the folder was rescanned for, so a damaged (moved aside) file does not cause a rescan every time. */
  readonly #rescanned = new Set<string>();
  readonly #selectWorkspaceId: Database.Statement<[string], string>;
  /** Published document id -> Workspace id; a published id is never unpublished, so a found mapping stays true. */
  readonly #workspaceIds = new Map<string, string>();
  /** Per Y.Doc name, the updates waiting for the next group commit (in arrival order). */
  readonly #queues = new Map<string, AppendQueue>();
  #flushScheduled = false;
  /** Per Y.Doc name with rows to tidy: the last commit (performance.now()) and the timer waiting for a pause. */
  readonly #idle = new Map<string, { lastWrite: number; timer: NodeJS.Timeout }>();
  #closed = false;

  private constructor(dataDir: string, options: WorkspaceOptions, index: Database.Database) {
    this.#dataDir = dataDir;
    this.#options = options;
    this.#index = index;
    this.#selectWorkspaceId = index.prepare<[string], string>('SELECT workspace_id FROM documents WHERE id = ?').pluck();
    this.#workspace = Workspace.open(dataDir, options);
  }

  /**
   * Opens (creating if needed) the store in `dataDir`. A server keeps up to {@link SERVER_MAX_OPEN_FILES} document
   * files open (the desktop's default of 16 makes every append reopen a file once more documents are busy).
   */
  static open(dataDir: string, options: WorkspaceOptions = {}): SqliteSyncStore {
    options = { maxOpenFiles: SERVER_MAX_OPEN_FILES, compactThreshold: SERVER_COMPACT_MAX_ROWS, ...options };
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const index = new Database(path.join(dataDir, 'documents.sqlite'));
    try {
      index.pragma('journal_mode = WAL');
      index.pragma('synchronous = FULL');
      index.pragma('busy_timeout = 5000');
      index.exec(`CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      ) STRICT`);
      return new SqliteSyncStore(dataDir, options, index);
    } catch (error) {
      index.close();
      throw error;
    }
  }

  /** The Workspace underneath (tests use its disk-full hook). */
  get workspace(): Workspace {
    return this.#workspace;
  }

  /** The Workspace id holding a published document, or null. */
  workspaceIdOf(documentId: string): string | null {
    const known = this.#workspaceIds.get(documentId);
    if (known !== undefined) return known;
    const row = this.#selectWorkspaceId.get(documentId);
    if (typeof row !== 'string') return null;
    this.#workspaceIds.set(documentId, row);
    return row;
  }

  async load(docName: string): Promise<Uint8Array> {
    const { documentId, local } = parse(docName);
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId === null) return EMPTY_STATE.slice();
    // Updates still waiting for their group commit are part of this Y.Doc: commit them before reading.
    this.#flush(docName);
    return this.#withWorkspace(workspaceId, (workspace) => workspace.load(workspaceId, local).state);
  }

  /** Resolves once the update is committed with synchronous=FULL, in a group commit (see the module comment). */
  async append(docName: string, update: Uint8Array): Promise<void> {
    const { documentId, local } = parse(docName);
    this.#checkOpen();
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId === null) throw new StorageError('not-found', `The document ${documentId} is not published on this server.`);
    return new Promise<void>((resolve, reject) => {
      let queue = this.#queues.get(docName);
      if (!queue) this.#queues.set(docName, (queue = { workspaceId, local, pending: [] }));
      queue.pending.push({ update, resolve, reject });
      this.#scheduleFlush();
    });
  }

  async listDocuments(): Promise<Array<{ id: string; title: string; updatedAt: string }>> {
    this.#checkOpen();
    const rows = this.#index.prepare('SELECT id, workspace_id FROM documents').all() as Array<{ id: string; workspace_id: string }>;
    const documents: Array<{ id: string; title: string; updatedAt: string }> = [];
    for (const row of rows) {
      try {
        const summary = this.#withWorkspace(row.workspace_id, (workspace) => workspace.get(row.workspace_id));
        documents.push({ id: row.id, title: summary.title, updatedAt: new Date(summary.modifiedAt).toISOString() });
      } catch (error) {
        // A file moved aside as damaged is listed in the Workspace's problems; the others are still served.
        if (!(error instanceof StorageError) || error.code !== 'not-found') throw error;
      }
    }
    return documents.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : 1));
  }

  async hasDocument(id: string): Promise<boolean> {
    this.#checkOpen();
    const workspaceId = this.workspaceIdOf(id);
    if (workspaceId === null) return false;
    try {
      this.#withWorkspace(workspaceId, (workspace) => workspace.get(workspaceId));
      return true;
    } catch (error) {
      // As in listDocuments: a file moved aside as damaged is not served.
      if (error instanceof StorageError && error.code === 'not-found') return false;
      throw error;
    }
  }

  async putDocument(id: string, title: string): Promise<void> {
    this.#checkOpen();
    const documentId = checkDocumentId(id);
    const checkedTitle = checkTitle(title);
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId !== null) {
      const current = this.#withWorkspace(workspaceId, (workspace) => workspace.get(workspaceId));
      if (current.title !== checkedTitle) this.#withWorkspace(workspaceId, (workspace) => workspace.rename(workspaceId, checkedTitle));
      return;
    }
    const created = this.#workspace.create(checkedTitle);
    try {
      this.#index.prepare('INSERT INTO documents (id, workspace_id, created_at) VALUES (?, ?, ?)').run(documentId, created.id, new Date().toISOString());
    } catch (error) {
      // Another process published the same id a moment ago: its file wins; ours, never referenced, goes.
      this.#workspace.trash(created.id);
      this.#workspace.purge(created.id);
      if (this.workspaceIdOf(documentId) !== null) return;
      throw error;
    }
  }

  async listYDocs(documentId: string): Promise<string[]> {
    this.#checkOpen();
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId === null) return [];
    for (const docName of [...this.#queues.keys()]) if (docName.startsWith(`${documentId}/`)) this.#flush(docName);
    return this.#withWorkspace(workspaceId, (workspace) => workspace.ydocs(workspaceId)).sort();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // What was accepted before the close is committed, not dropped.
    this.#flushAll();
    for (const { timer } of this.#idle.values()) clearTimeout(timer);
    this.#idle.clear();
    this.#closed = true;
    this.#workspace.close();
    this.#index.close();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // setImmediate runs after the event loop has read every socket that was ready: all updates that arrived in this
    // turn (and all that arrived while the previous commit blocked the loop) go into one transaction.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flushAll();
    });
  }

  #flushAll(): void {
    for (const docName of [...this.#queues.keys()]) this.#flush(docName);
  }

  /** Commits one Y.Doc's waiting updates in one transaction and settles their promises. */
  #flush(docName: string): void {
    const queue = this.#queues.get(docName);
    if (!queue) return;
    this.#queues.delete(docName);
    const { workspaceId, local, pending } = queue;
    try {
      this.#withWorkspace(workspaceId, (workspace) => workspace.appendMany(workspaceId, local, pending.map((p) => p.update)));
    } catch (error) {
      // One client's update that cannot be applied must not cost the others theirs: nothing was stored, so store
      // them one by one and refuse only the bad one. Any other failure (full disk) refuses the whole batch.
      if (pending.length > 1 && error instanceof StorageError && error.code === 'invalid') {
        for (const one of pending) this.#commitOne(workspaceId, local, one);
        return;
      }
      for (const one of pending) one.reject(error);
      return;
    }
    for (const one of pending) one.resolve();
    try {
      this.#compactWhenIdle(docName, workspaceId, local);
    } catch {
      // Counting rows failed (the file went bad since the commit): the next append reports that, not this tidying.
    }
  }

  /** Notes a write to a Y.Doc and, if it has rows to merge, compacts it once no write came for COMPACT_IDLE_MS. */
  #compactWhenIdle(docName: string, workspaceId: string, local: string): void {
    const idle = this.#idle.get(docName);
    if (idle) {
      idle.lastWrite = performance.now();
      return;
    }
    if (this.#workspace.rowCount(workspaceId, local) <= SERVER_COMPACT_IDLE_ROWS) return;
    const check = (): void => {
      const entry = this.#idle.get(docName);
      if (!entry || this.#closed) return;
      const quietFor = performance.now() - entry.lastWrite;
      if (quietFor < COMPACT_IDLE_MS || this.#queues.has(docName)) {
        entry.timer = setTimeout(check, Math.max(1, COMPACT_IDLE_MS - quietFor));
        entry.timer.unref();
        return;
      }
      this.#idle.delete(docName);
      try {
        // The Workspace may have compacted meanwhile (past SERVER_COMPACT_MAX_ROWS).
        if (this.#workspace.rowCount(workspaceId, local) <= SERVER_COMPACT_IDLE_ROWS) return;
        this.#withWorkspace(workspaceId, (workspace) => workspace.compact(workspaceId, local));
      } catch {
        // Compaction only tidies: every row is already committed; after a failure (full disk) the next pause tries again.
      }
    };
    const timer = setTimeout(check, COMPACT_IDLE_MS);
    timer.unref();
    this.#idle.set(docName, { lastWrite: performance.now(), timer });
  }

  #commitOne(workspaceId: string, local: string, one: PendingAppend): void {
    try {
      this.#withWorkspace(workspaceId, (workspace) => workspace.appendMany(workspaceId, local, [one.update]));
    } catch (error) {
      one.reject(error);
      return;
    }
    one.resolve();
  }

  /**
   * Runs `operation` on the Workspace; when the Workspace does not know the file (another process, the CLI,
   * published it after this one opened the folder), reopens the folder once per file and tries again.
   */
  #withWorkspace<T>(workspaceId: string, operation: (workspace: Workspace) => T): T {
    this.#checkOpen();
    try {
      return operation(this.#workspace);
    } catch (error) {
      if (!(error instanceof StorageError) || error.code !== 'not-found' || this.#rescanned.has(workspaceId)) throw error;
      this.#rescanned.add(workspaceId);
      this.#workspace.close();
      this.#workspace = Workspace.open(this.#dataDir, this.#options);
      return operation(this.#workspace);
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError('storage', 'The document store is closed.');
  }
}

function parse(docName: string): { documentId: string; local: string } {
  const parsed = parseSyncDocName(docName);
  if (!parsed) throw new StorageError('invalid', 'A Y.Doc name is <document id>/text, /chair or /d/<CODE>.');
  return parsed;
}

function checkDocumentId(id: unknown): string {
  const parsed = documentIdSchema.safeParse(id);
  if (!parsed.success) throw new StorageError('invalid', 'A document id is 3 to 64 lowercase letters, digits or dashes.');
  return parsed.data;
}

function checkTitle(title: unknown): string {
  const parsed = documentTitleSchema.safeParse(title);
  if (!parsed.success) throw new StorageError('invalid', `The title cannot be used: ${parsed.error.issues[0]?.message ?? 'it is not text'}.`);
  return parsed.data;
}
