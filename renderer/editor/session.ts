/**
 * One open document: its `text` Y.Doc loaded from storage and the queue that writes every local change back.
 * A session outlives its editor view until everything is on disk, so switching documents never drops an edit.
 */
import * as Y from 'yjs';
import { TEXT_YDOC } from '../../shared/model/ydocs.ts';
import type { MainApi } from '../bridge.ts';
import { UpdateQueue, applyStoredState, persistYDoc, type SaveState } from './persistence.ts';

const sessions = new Set<DocumentSession>();
const registryListeners = new Set<() => void>();

function registryChanged(): void {
  for (const listener of registryListeners) listener();
}

/** An open (or still saving) document. */
export class DocumentSession {
  readonly id: string;
  readonly ydoc: Y.Doc;
  readonly queue: UpdateQueue;
  #detach: () => void;
  #closing = false;
  #unsubscribe: () => void;

  private constructor(id: string, ydoc: Y.Doc, queue: UpdateQueue) {
    this.id = id;
    this.ydoc = ydoc;
    this.queue = queue;
    this.#detach = persistYDoc(ydoc, queue);
    this.#unsubscribe = queue.subscribe(registryChanged);
    sessions.add(this);
    registryChanged();
  }

  /**
   * Loads the document's text from storage and starts saving local changes. A session of the same document that
   * is still saving in the background is taken back instead, since storage does not yet hold all of its edits.
   */
  static async open(api: MainApi, id: string): Promise<DocumentSession> {
    for (const existing of sessions) {
      if (existing.id === id) {
        existing.#closing = false;
        registryChanged();
        return existing;
      }
    }
    const { state } = await api.loadYDoc({ id, ydoc: TEXT_YDOC });
    const ydoc = new Y.Doc();
    applyStoredState(ydoc, state);
    const queue = new UpdateQueue({ append: (update) => api.appendUpdate({ id, ydoc: TEXT_YDOC, update: new Uint8Array(update) }) });
    return new DocumentSession(id, ydoc, queue);
  }

  /** Whether the editor has let go of this session and it only finishes saving. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Lets go of the document once every change is on disk; until then it keeps retrying in the background. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    registryChanged();
    await this.queue.whenSaved();
    // Reopened while it was saving: it is the open document again.
    if (!this.#closing) return;
    this.#detach();
    this.#unsubscribe();
    this.ydoc.destroy();
    sessions.delete(this);
    registryChanged();
  }
}

/** Sessions whose editor is closed but whose changes are not yet on disk. */
export function backgroundSessions(): DocumentSession[] {
  return [...sessions].filter((s) => s.closing && s.queue.hasUnsaved);
}

/** Whether any document has changes not yet on disk (the unload warning asks). */
export function hasUnsavedWork(): boolean {
  return [...sessions].some((s) => s.queue.hasUnsaved);
}

/** Retries every failing write now. */
export function retryAllSaves(): void {
  for (const session of sessions) if (session.queue.state.status === 'failed') session.queue.retryNow();
}

const ALL_SAVED: SaveState = { status: 'saved' };

/** The worst save state over the background sessions, for the status bar; the same object while unchanged. */
export function backgroundSaveState(): SaveState {
  const states = backgroundSessions().map((s) => s.queue.state);
  return states.find((s) => s.status === 'failed') ?? states.find((s) => s.status === 'saving') ?? ALL_SAVED;
}

/** Subscribes to any change of any session's save state; returns the unsubscribe. */
export function subscribeSessions(listener: () => void): () => void {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
}
