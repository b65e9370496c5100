/**
 * A workspace: a folder holding one SQLite file per document in `docs/`, workspace settings in
 * `settings.json`, and `damaged/`, where files that could not be read are moved (never overwritten, never deleted).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { documentTitleSchema, MAX_TITLE_LENGTH, MAX_UPDATE_BYTES } from '../../shared/ipc.ts';
import type { DocumentSummary, RemoteLink, StorageProblem } from '../../shared/ipc.ts';
import { DocumentFile, DOCUMENT_FILE_EXTENSION, DOCUMENT_FORMAT_VERSION, removeWithSideFiles } from './document-file.ts';
import type { DocumentMeta, InitialUpdate } from './document-file.ts';
import { isCorruption, StorageError, toStorageError } from './errors.ts';
import { fsyncDir, moveAside, sizeOrZero } from './files.ts';
import { checkDocumentId, checkYDocName, isDocumentId, mintDocumentId } from './ids.ts';
import { WorkspaceSettings } from './settings.ts';

/** Rows of one Y.Doc above which an append merges them into one (about a minute of steady typing). */
export const DEFAULT_COMPACT_THRESHOLD = 500;

/** How many document files stay open at once; older ones are closed (and checkpointed) first. */
export const DEFAULT_MAX_OPEN_FILES = 16;

/** Tuning for a workspace; the defaults suit the app, tests and benchmarks change them. */
export interface WorkspaceOptions {
  /** Rows of one Y.Doc above which `append` compacts it; Infinity turns automatic compaction off. */
  compactThreshold?: number;
  /** Document files kept open at once. */
  maxOpenFiles?: number;
}

/** An open workspace folder; all methods are synchronous and throw {@link StorageError}. */
export class Workspace {
  /** The absolute path of the workspace folder. */
  readonly dir: string;
  /** Files found damaged (at open, or later when a document turned out to be damaged), each moved aside. */
  readonly problems: StorageProblem[] = [];
  readonly #docsDir: string;
  readonly #damagedDir: string;
  readonly #settings: WorkspaceSettings;
  readonly #compactThreshold: number;
  readonly #maxOpenFiles: number;
  readonly #documents = new Map<string, DocumentMeta>();
  /** Open files, least recently used first. */
  readonly #openFiles = new Map<string, DocumentFile>();
  /** After a failed automatic compaction, the row count at which to try again (so a full disk is not retried on every keystroke). */
  readonly #compactRetryAt = new Map<string, number>();
  #closed = false;

  private constructor(dir: string, options: WorkspaceOptions) {
    this.dir = dir;
    this.#docsDir = path.join(dir, 'docs');
    this.#damagedDir = path.join(dir, 'damaged');
    this.#compactThreshold = options.compactThreshold ?? DEFAULT_COMPACT_THRESHOLD;
    this.#maxOpenFiles = Math.max(1, options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES);
    try {
      fs.mkdirSync(this.#docsDir, { recursive: true });
    } catch (error) {
      throw toStorageError(error, `creating the workspace folder ${dir}`);
    }
    this.#settings = WorkspaceSettings.load(path.join(dir, 'settings.json'), this.#damagedDir, (p) => this.problems.push(p));
    this.#scan();
  }

  /**
   * Opens (creating if needed) the workspace at `dir` and checks every document file in it; a file that cannot be
   * read is moved aside and listed in {@link Workspace.problems}, never thrown.
   */
  static open(dir: string, options: WorkspaceOptions = {}): Workspace {
    return new Workspace(path.resolve(dir), options);
  }

  /** Live or trashed documents, most recently modified first. */
  list(options: { trashed: boolean }): DocumentSummary[] {
    this.#checkOpen();
    const summaries: DocumentSummary[] = [];
    for (const [id, meta] of this.#documents) {
      if ((meta.trashedAt !== null) === options.trashed) summaries.push(this.#summary(id, meta));
    }
    return summaries.sort((a, b) => b.modifiedAt - a.modifiedAt || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** One document's summary; throws StorageError('not-found') when there is no such document. */
  get(id: string): DocumentSummary {
    return this.#summary(id, this.#meta(id));
  }

  /**
   * Creates a document, optionally with initial content per Y.Doc and (for a sync-server mirror) its remote link,
   * and returns it once it is on disk.
   */
  create(title: string, initial: ReadonlyArray<{ ydoc: string; update: Uint8Array }> = [], options: { remote?: RemoteLink } = {}): DocumentSummary {
    this.#checkOpen();
    const checkedTitle = parseTitle(title);
    const updates: InitialUpdate[] = initial.map(({ ydoc, update }) => ({ ydoc: checkYDocName(ydoc), update: checkUpdate(update) }));
    checkInitialApplies(updates);
    const now = Date.now();
    let id = mintDocumentId(now);
    while (this.#documents.has(id) || fs.existsSync(this.#fileOf(id))) id = mintDocumentId(now);
    const meta: DocumentMeta = {
      title: checkedTitle,
      createdAt: now,
      modifiedAt: now,
      trashedAt: null,
      schemaVersion: DOCUMENT_FORMAT_VERSION,
      ...(options.remote ? { remote: { serverUrl: options.remote.serverUrl, documentId: options.remote.documentId } } : {}),
    };
    try {
      DocumentFile.create(this.#fileOf(id), meta, updates);
    } catch (error) {
      throw toStorageError(error, `creating the document "${checkedTitle}"`);
    }
    this.#documents.set(id, meta);
    return this.#summary(id, meta);
  }

  /** Gives a document a new title. */
  rename(id: string, title: string): DocumentSummary {
    const meta = this.#meta(id);
    const checkedTitle = parseTitle(title);
    const modifiedAt = Math.max(Date.now(), meta.modifiedAt);
    this.#withFile(id, 'renaming the document', (file) => file.writeMeta({ title: checkedTitle, modifiedAt }));
    meta.title = checkedTitle;
    meta.modifiedAt = modifiedAt;
    return this.#summary(id, meta);
  }

  /** Marks a document as the local mirror of a sync-server document (or, with null, as purely local again). */
  setRemote(id: string, remote: RemoteLink | null): DocumentSummary {
    const meta = this.#meta(id);
    const link = remote === null ? null : { serverUrl: remote.serverUrl, documentId: remote.documentId };
    this.#withFile(id, 'linking the document to its server', (file) => file.writeMeta({ remote: link }));
    meta.remote = link;
    return this.#summary(id, meta);
  }

  /** The local document (live or trashed) mirroring a server document, or null when there is none yet. */
  findRemote(remote: RemoteLink): DocumentSummary | null {
    this.#checkOpen();
    let found: DocumentSummary | null = null;
    for (const [id, meta] of this.#documents) {
      if (meta.remote?.serverUrl !== remote.serverUrl || meta.remote.documentId !== remote.documentId) continue;
      const summary = this.#summary(id, meta);
      // Prefer a live mirror over a trashed one; among equals, the most recently modified.
      if (found === null || (found.trashedAt !== null && summary.trashedAt === null) || ((found.trashedAt === null) === (summary.trashedAt === null) && summary.modifiedAt > found.modifiedAt)) {
        found = summary;
      }
    }
    return found;
  }

  /** Copies a document under a new id, each Y.Doc compacted to one row; the title defaults to "<title> (copy)". */
  duplicate(id: string, title?: string): DocumentSummary {
    const source = this.#meta(id);
    const initial = this.ydocs(id).map((ydoc) => ({ ydoc, update: this.load(id, ydoc).state }));
    return this.create(title ?? copyTitle(source.title), initial);
  }

  /** Moves a document to the trash; its content is untouched and {@link Workspace.restore} brings it back. */
  trash(id: string): DocumentSummary {
    const meta = this.#meta(id);
    if (meta.trashedAt !== null) return this.#summary(id, meta);
    const trashedAt = Date.now();
    this.#withFile(id, 'moving the document to the trash', (file) => file.writeMeta({ trashedAt }));
    meta.trashedAt = trashedAt;
    return this.#summary(id, meta);
  }

  /** Takes a document out of the trash. */
  restore(id: string): DocumentSummary {
    const meta = this.#meta(id);
    if (meta.trashedAt === null) return this.#summary(id, meta);
    this.#withFile(id, 'restoring the document', (file) => file.writeMeta({ trashedAt: null }));
    meta.trashedAt = null;
    return this.#summary(id, meta);
  }

  /** Deletes a trashed document for good: its file and SQLite side files. A live document is refused. */
  purge(id: string): void {
    const meta = this.#meta(id);
    if (meta.trashedAt === null) {
      throw new StorageError('invalid', 'Only a document in the trash can be deleted for good; move it to the trash first.');
    }
    this.#closeFile(id);
    try {
      // The database first: once it is gone the document is gone, and stray side files are harmless.
      removeWithSideFiles(this.#fileOf(id));
      fsyncDir(this.#docsDir);
    } catch (error) {
      throw toStorageError(error, 'deleting the document');
    }
    this.#documents.delete(id);
  }

  /** One Y.Doc of a document: all its stored updates merged into one, and how many rows they were. */
  load(id: string, ydoc: string): { state: Uint8Array; updateCount: number } {
    this.#meta(id);
    const name = checkYDocName(ydoc);
    return this.#withFile(id, 'reading the document', (file) => file.load(name));
  }

  /**
   * Stores one Yjs update of one Y.Doc; returns only once the row is committed with synchronous=FULL, so a
   * crash or power cut after this returns cannot lose it. May compact that Y.Doc afterwards.
   */
  append(id: string, ydoc: string, update: Uint8Array): { seq: number } {
    const meta = this.#meta(id);
    const name = checkYDocName(ydoc);
    const data = checkUpdate(update);
    const at = Math.max(Date.now(), meta.modifiedAt);
    const seq = this.#withFile(id, 'saving a change', (file) => file.append(name, data, at));
    meta.modifiedAt = at;
    this.#maybeCompact(id, name);
    return { seq };
  }

  /**
   * Stores several Yjs updates of one Y.Doc in ONE transaction (one fsync: a sync server's group commit); returns
   * their seqs, in order, only once all are committed with synchronous=FULL. All are checked before anything is
   * written: one bad update, or a failed commit (full disk), stores none of them and throws. May compact afterwards.
   */
  appendMany(id: string, ydoc: string, updates: ReadonlyArray<Uint8Array>): { seqs: number[] } {
    const meta = this.#meta(id);
    const name = checkYDocName(ydoc);
    if (!Array.isArray(updates)) throw new StorageError('invalid', 'Updates come as a list of byte arrays.');
    const data = updates.map((update: unknown) => checkUpdate(update));
    if (data.length === 0) return { seqs: [] };
    const at = Math.max(Date.now(), meta.modifiedAt);
    const seqs = this.#withFile(id, 'saving changes', (file) => file.appendMany(name, data, at));
    meta.modifiedAt = at;
    this.#maybeCompact(id, name);
    return { seqs };
  }

  /** How many rows one Y.Doc has stored (compaction makes them one); cheap after the first call. */
  rowCount(id: string, ydoc: string): number {
    this.#meta(id);
    const name = checkYDocName(ydoc);
    return this.#withFile(id, 'reading the document', (file) => file.rowCount(name));
  }

  /** Merges the rows of one Y.Doc (or of every Y.Doc) into one row each, in one transaction. */
  compact(id: string, ydoc?: string): { rowsBefore: number; rowsAfter: number } {
    this.#meta(id);
    const names = ydoc === undefined ? undefined : [checkYDocName(ydoc)];
    return this.#withFile(id, 'compacting the document', (file) => file.compact(names));
  }

  /** The names of the Y.Docs stored for a document. */
  ydocs(id: string): string[] {
    this.#meta(id);
    return this.#withFile(id, 'reading the document', (file) => file.ydocs());
  }

  /** A workspace setting, or null when unset. */
  getSetting(key: string): string | null {
    this.#checkOpen();
    return this.#settings.get(key);
  }

  /** Sets a workspace setting (null removes it); written to disk before returning. */
  setSetting(key: string, value: string | null): void {
    this.#checkOpen();
    this.#settings.set(key, value);
  }

  /**
   * Test hook: caps a document file at its current size plus `extraPages` pages (PRAGMA max_page_count), or lifts
   * the cap with null, to provoke SQLITE_FULL without filling a real disk.
   */
  limitDiskForTest(id: string, extraPages: number | null): void {
    this.#meta(id);
    this.#withFile(id, 'limiting the file size', (file) => file.limitPages(extraPages === null ? null : file.pageCount() + extraPages));
  }

  /** Closes every open document file (checkpointing its WAL); the workspace cannot be used afterwards. */
  close(): void {
    if (this.#closed) return;
    for (const id of [...this.#openFiles.keys()]) this.#closeFile(id);
    this.#closed = true;
  }

  #scan(): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.#docsDir, { withFileTypes: true });
    } catch (error) {
      throw toStorageError(error, `reading the folder ${this.#docsDir}`);
    }
    for (const entry of entries) {
      if (DocumentFile.isCreatingName(entry.name)) {
        // A create that never returned: nobody was told this document exists.
        fs.rmSync(path.join(this.#docsDir, entry.name), { force: true });
        continue;
      }
      if (!entry.name.endsWith(DOCUMENT_FILE_EXTENSION) || !entry.isFile()) continue;
      const id = entry.name.slice(0, -DOCUMENT_FILE_EXTENSION.length);
      // Files we did not name are not ours to judge or move.
      if (!isDocumentId(id)) continue;
      const file = this.#fileOf(id);
      const inspection = DocumentFile.inspect(file);
      if (inspection.kind === 'ok') this.#documents.set(id, inspection.meta);
      else if (inspection.kind === 'damaged') this.#quarantine(file, inspection.reason);
      else this.#reportUnusable(file, inspection.reason);
    }
  }

  /** Moves a damaged file aside and records the problem; returns the sentence that was recorded. */
  #quarantine(file: string, reason: string): string {
    const at = Date.now();
    const name = path.basename(file);
    let problem: StorageProblem;
    try {
      const movedTo = moveAside(file, this.#damagedDir, at);
      problem = {
        file,
        movedTo,
        message: `The document file ${name} could not be read (${reason}) and was moved to ${movedTo}; nothing was overwritten.`,
        at,
      };
    } catch (error) {
      problem = {
        file,
        movedTo: file,
        message: `The document file ${name} could not be read (${reason}) and could not be moved aside (${describe(error)}); it was left where it is.`,
        at,
      };
    }
    this.problems.push(problem);
    return problem.message;
  }

  #reportUnusable(file: string, reason: string): void {
    this.problems.push({
      file,
      movedTo: file,
      message: `The document file ${path.basename(file)} could not be opened (${reason}); it was left where it is and is not listed.`,
      at: Date.now(),
    });
  }

  /**
   * Runs `operation` on a document's open file, turning failures into StorageError. A failure that shows the
   * file is damaged closes it, moves it aside and drops the document from the list, so the next start is clean.
   */
  #withFile<T>(id: string, doing: string, operation: (file: DocumentFile) => T): T {
    let file: DocumentFile | undefined;
    try {
      file = this.#file(id);
      return operation(file);
    } catch (error) {
      if (!isCorruption(error)) throw toStorageError(error, doing);
      this.#closeFile(id);
      this.#documents.delete(id);
      const message = this.#quarantine(this.#fileOf(id), describe(error));
      throw new StorageError('corrupt', message, { cause: error });
    }
  }

  #file(id: string): DocumentFile {
    const cached = this.#openFiles.get(id);
    if (cached) {
      this.#openFiles.delete(id);
      this.#openFiles.set(id, cached);
      return cached;
    }
    for (const [oldest] of this.#openFiles) {
      if (this.#openFiles.size < this.#maxOpenFiles) break;
      this.#closeFile(oldest);
    }
    const file = DocumentFile.open(this.#fileOf(id));
    this.#openFiles.set(id, file);
    return file;
  }

  #closeFile(id: string): void {
    const file = this.#openFiles.get(id);
    this.#openFiles.delete(id);
    try {
      file?.close();
    } catch {
      // A failed checkpoint on close loses nothing: the WAL stays beside the file and is replayed on next open.
    }
  }

  #maybeCompact(id: string, ydoc: string): void {
    const file = this.#openFiles.get(id);
    if (!file) return;
    const rows = file.rowCount(ydoc);
    const key = `${id}/${ydoc}`;
    if (rows <= this.#compactThreshold || rows < (this.#compactRetryAt.get(key) ?? 0)) return;
    try {
      file.compact([ydoc]);
      this.#compactRetryAt.delete(key);
    } catch {
      // The append has already committed; compaction is only tidying, so a failure (full disk) waits for more rows.
      this.#compactRetryAt.set(key, rows + this.#compactThreshold);
    }
  }

  #meta(id: string): DocumentMeta {
    this.#checkOpen();
    const meta = this.#documents.get(checkDocumentId(id));
    if (!meta) throw new StorageError('not-found', 'That document does not exist (it may have been deleted).');
    return meta;
  }

  #summary(id: string, meta: DocumentMeta): DocumentSummary {
    const file = this.#fileOf(id);
    return {
      id,
      title: meta.title,
      createdAt: meta.createdAt,
      modifiedAt: meta.modifiedAt,
      sizeBytes: sizeOrZero(file) + sizeOrZero(`${file}-wal`),
      trashedAt: meta.trashedAt,
      remote: meta.remote ?? null,
    };
  }

  #fileOf(id: string): string {
    // checkDocumentId again: this is the one place a path is built from an id.
    return path.join(this.#docsDir, `${checkDocumentId(id)}${DOCUMENT_FILE_EXTENSION}`);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError('storage', 'The workspace is closed.');
  }
}

/**
 * Checks that `update` is bytes holding a Yjs (v1) update before it is stored: a row that cannot be decoded
 * would make every later load of its Y.Doc fail.
 */
export function checkUpdate(update: unknown): Uint8Array {
  if (!(update instanceof Uint8Array)) throw new StorageError('invalid', 'An update is bytes (Uint8Array).');
  if (update.byteLength === 0) throw new StorageError('invalid', 'An update cannot be empty.');
  if (update.byteLength > MAX_UPDATE_BYTES) {
    throw new StorageError('invalid', `An update is at most ${MAX_UPDATE_BYTES} bytes.`);
  }
  try {
    Y.decodeUpdate(update);
  } catch (error) {
    throw new StorageError('invalid', 'The change is not a readable Yjs update; it was not stored.', { cause: error });
  }
  return update;
}

/** Applies the initial content of a new document to scratch Y.Docs, so a document is never born unloadable. */
function checkInitialApplies(initial: ReadonlyArray<InitialUpdate>): void {
  const scratch = new Map<string, Y.Doc>();
  try {
    for (const { ydoc, update } of initial) {
      let doc = scratch.get(ydoc);
      if (!doc) scratch.set(ydoc, (doc = new Y.Doc({ gc: false })));
      Y.applyUpdate(doc, update);
    }
  } catch (error) {
    throw new StorageError('invalid', 'The initial content is not a usable Yjs document; nothing was created.', { cause: error });
  } finally {
    for (const doc of scratch.values()) doc.destroy();
  }
}

function parseTitle(title: string): string {
  const parsed = documentTitleSchema.safeParse(title);
  if (!parsed.success) throw new StorageError('invalid', parsed.error.issues[0]?.message ?? 'That title cannot be used.');
  return parsed.data;
}

function copyTitle(title: string): string {
  const suffix = ' (copy)';
  return `${title.slice(0, MAX_TITLE_LENGTH - suffix.length).trimEnd()}${suffix}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
