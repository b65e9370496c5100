/**
 * The default {@link SyncStore}: main/storage's Workspace in the server's data folder, one SQLite file per
 * negotiated document in `<dataDir>/docs` (WAL, synchronous=FULL), whose Y.Docs `text`, `chair` and `d/<CODE>`
 * are the server's `<id>/text`, `<id>/chair` and `<id>/d/<CODE>`. Titles live in the Workspace.
 *
 * The Workspace mints its own file ids, so `<dataDir>/documents.sqlite` maps each published document id to the
 * Workspace id holding it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { documentIdSchema, documentTitleSchema } from '../../shared/ipc.ts';
import { parseSyncDocName } from '../../shared/sync.ts';
import { StorageError, Workspace } from '../storage/index.ts';
import type { WorkspaceOptions } from '../storage/index.ts';
import type { SyncStore } from './api.ts';

const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

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
  #closed = false;

  private constructor(dataDir: string, options: WorkspaceOptions, index: Database.Database) {
    this.#dataDir = dataDir;
    this.#options = options;
    this.#index = index;
    this.#workspace = Workspace.open(dataDir, options);
  }

  /**
   * Opens (creating if needed) the store in `dataDir`. A server keeps up to {@link SERVER_MAX_OPEN_FILES} document
   * files open (the desktop's default of 16 makes every append reopen a file once more documents are busy).
   */
  static open(dataDir: string, options: WorkspaceOptions = {}): SqliteSyncStore {
    options = { maxOpenFiles: SERVER_MAX_OPEN_FILES, ...options };
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
    const row = this.#index.prepare('SELECT workspace_id FROM documents WHERE id = ?').pluck().get(documentId);
    return typeof row === 'string' ? row : null;
  }

  async load(docName: string): Promise<Uint8Array> {
    const { documentId, local } = parse(docName);
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId === null) return EMPTY_STATE.slice();
    return this.#withWorkspace(workspaceId, (workspace) => workspace.load(workspaceId, local).state);
  }

  async append(docName: string, update: Uint8Array): Promise<void> {
    const { documentId, local } = parse(docName);
    const workspaceId = this.workspaceIdOf(documentId);
    if (workspaceId === null) throw new StorageError('not-found', `The document ${documentId} is not published on this server.`);
    // Workspace.append commits with synchronous=FULL before it returns; it is synchronous, so it is on disk before
    // this promise even exists.
    this.#withWorkspace(workspaceId, (workspace) => workspace.append(workspaceId, local, update));
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#workspace.close();
    this.#index.close();
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
