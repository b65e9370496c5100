/**
 * One open document: its Y.Docs loaded from storage and the queues that write every change back. A session
 * outlives its editor view until everything is on disk, so switching documents never drops an edit.
 *
 * Every document loads `chair` and every delegation's `d/<CODE>` stored in its local log beside `text`, so a
 * negotiation (proposals, positions, decisions, statuses) opens complete and offline; a local document is a whole
 * negotiation run on one laptop. A shared document (one that mirrors a document on a sync server) also loads, for a
 * delegation, its own `d/<CODE>`, binds all of them to the server (renderer/collab/remoteBinding.ts) and loads and
 * binds every delegation doc the server announces later. Changes from the server are appended to the local log
 * like local ones.
 */
import * as Y from 'yjs';
import type { RemoteAccount, RemoteLink, RemoteServer } from '../../shared/ipc.ts';
import { CHAIR_YDOC, TEXT_FRAGMENT, TEXT_YDOC, delegationYDoc } from '../../shared/model/ydocs.ts';
import { ydocLocalNameSchema } from '../../shared/ipc.ts';
import { mayWrite } from '../../shared/sync.ts';
import type { MainApi } from '../bridge.ts';
import { RemoteBinding } from '../collab/remoteBinding.ts';
import { connectionFor } from '../collab/serverConnection.ts';
import { SaveGroup, UpdateQueue, applyStoredState, persistYDoc, type SaveSource, type SaveState } from './persistence.ts';

const sessions = new Set<DocumentSession>();
const registryListeners = new Set<() => void>();

function registryChanged(): void {
  for (const listener of registryListeners) listener();
}

/** Where a shared document lives and who is signed in to it (null account: signed out, the text is read-only). */
export interface SharedOrigin {
  server: RemoteServer;
  link: RemoteLink;
}

/** What the editor needs to know about the document's sharing, as one object that changes as a whole. */
export interface SharingState {
  /** The server and document, for a shared document; null for a purely local one. */
  origin: SharedOrigin | null;
  /** The live link to the server; null when local or signed out. */
  binding: RemoteBinding | null;
  /** Whether this window may change the text (always for a local document; mayWrite for a shared one). */
  textWritable: boolean;
  /** False while a shared document that was never downloaded waits for the server's copy of its text. */
  textReady: boolean;
}

interface LoadedYDoc {
  local: string;
  ydoc: Y.Doc;
  queue: UpdateQueue;
  detach: () => void;
  /** How many updates the local log held when the doc was loaded. */
  storedUpdates: number;
}

async function loadYDoc(api: MainApi, id: string, local: string): Promise<LoadedYDoc> {
  const { state, updateCount } = await api.loadYDoc({ id, ydoc: local });
  const ydoc = new Y.Doc();
  applyStoredState(ydoc, state);
  const queue = new UpdateQueue({ append: (update) => api.appendUpdate({ id, ydoc: local, update: new Uint8Array(update) }) });
  return { local, ydoc, queue, detach: persistYDoc(ydoc, queue), storedUpdates: updateCount };
}

/** The Y.Docs a shared document mirrors for an account: text and chair for all, plus a delegation's own doc. */
export function mirroredYDocs(account: RemoteAccount | null): string[] {
  const names = [TEXT_YDOC, CHAIR_YDOC];
  if (account?.role === 'delegation' && account.delegation) names.push(delegationYDoc(account.delegation));
  return names;
}

/** The delegation code of a local Y.Doc name `d/<CODE>`, or null for `text` and `chair`. */
export function delegationOfYDoc(local: string): string | null {
  return local.startsWith('d/') ? local.slice(2) : null;
}

/** Whether a name from outside (the server's list, storage) is a Y.Doc name this build can load. */
function isYDocName(local: unknown): local is string {
  return ydocLocalNameSchema.safeParse(local).success;
}

/** An open (or still saving) document. */
export class DocumentSession {
  readonly id: string;
  /** The `text` Y.Doc, bound to the editor. */
  readonly ydoc: Y.Doc;
  /** The save state of all the document's Y.Docs together. */
  queue: SaveSource;
  readonly #api: MainApi;
  readonly #docs = new Map<string, LoadedYDoc>();
  #closing = false;
  #disposed = false;
  #sharing: SharingState;
  #unsubscribeQueue: () => void;
  readonly #sharingListeners = new Set<() => void>();
  readonly #ydocListeners = new Set<() => void>();
  /** Names being loaded right now, so two announcements of the same doc load it once. */
  readonly #loading = new Map<string, Promise<LoadedYDoc>>();

  private constructor(api: MainApi, id: string, text: LoadedYDoc) {
    this.#api = api;
    this.id = id;
    this.ydoc = text.ydoc;
    this.#docs.set(TEXT_YDOC, text);
    this.queue = new SaveGroup([text.queue]);
    this.#unsubscribeQueue = this.queue.subscribe(registryChanged);
    this.#sharing = { origin: null, binding: null, textWritable: true, textReady: true };
    sessions.add(this);
    registryChanged();
  }

  /**
   * Loads the document's text from storage and starts saving local changes; a shared document is then bound to
   * its server. A session of the same document that is still saving in the background is taken back instead,
   * since storage does not yet hold all of its edits.
   */
  static async open(api: MainApi, id: string, origin: SharedOrigin | null = null): Promise<DocumentSession> {
    for (const existing of sessions) {
      if (existing.id === id) {
        existing.#closing = false;
        registryChanged();
        await existing.share(origin);
        return existing;
      }
    }
    const text = await loadYDoc(api, id, TEXT_YDOC);
    const session = new DocumentSession(api, id, text);
    try {
      // The chair's doc always (an empty one is written on the first decision), and every delegation doc stored.
      const stored = (await api.listYDocs({ id })).filter(isYDocName);
      await session.#ensureYDocs([CHAIR_YDOC, ...stored]);
      await session.share(origin);
    } catch (error) {
      await session.#dispose();
      throw error;
    }
    return session;
  }

  /** Whether the editor has let go of this session and it only finishes saving. */
  get closing(): boolean {
    return this.#closing;
  }

  /** The document's sharing state (a new object whenever it changes). */
  get sharing(): SharingState {
    return this.#sharing;
  }

  /** Subscribes to changes of {@link sharing}; returns the unsubscribe. */
  subscribeSharing = (listener: () => void): (() => void) => {
    this.#sharingListeners.add(listener);
    return () => this.#sharingListeners.delete(listener);
  };

  /** Reads {@link sharing} (for React's useSyncExternalStore). */
  getSharing = (): SharingState => this.#sharing;

  /** The `chair` Y.Doc (statuses, decisions, proposals from the floor). */
  get chairYDoc(): Y.Doc {
    const chair = this.#docs.get(CHAIR_YDOC);
    if (!chair) throw new Error('The chair\u2019s document is not loaded.');
    return chair.ydoc;
  }

  /** Every delegation doc loaded so far, by code (the map grows as docs are found; see {@link subscribeYDocs}). */
  delegationYDocs(): Map<string, Y.Doc> {
    const docs = new Map<string, Y.Doc>();
    for (const [local, doc] of this.#docs) {
      const code = delegationOfYDoc(local);
      if (code !== null) docs.set(code, doc.ydoc);
    }
    return docs;
  }

  /** Subscribes to new Y.Docs being loaded (a delegation doc appeared); returns the unsubscribe. */
  subscribeYDocs = (listener: () => void): (() => void) => {
    this.#ydocListeners.add(listener);
    return () => this.#ydocListeners.delete(listener);
  };

  /**
   * Loads Y.Docs not loaded yet (from the local log) and starts saving them; resolves when all are. The requests go
   * out together: a negotiation of 150 delegations has 150 docs, and one round trip each in turn would be felt.
   */
  async #ensureYDocs(names: readonly string[]): Promise<string[]> {
    const added: string[] = [];
    const loads = names
      .filter((local) => !this.#docs.has(local))
      .map(async (local) => {
        let loading = this.#loading.get(local);
        if (!loading) {
          loading = loadYDoc(this.#api, this.id, local);
          this.#loading.set(local, loading);
          // Forgotten once settled, so a later announcement of the same name can load it again if this one failed.
          loading.then(
            () => this.#loading.delete(local),
            () => this.#loading.delete(local),
          );
        }
        const doc = await loading;
        if (!this.#docs.has(local)) {
          this.#docs.set(local, doc);
          added.push(local);
        }
      });
    const results = await Promise.allSettled(loads);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (added.length > 0) {
      this.#regroupQueues();
      for (const listener of this.#ydocListeners) listener();
    }
    if (failed) throw failed.reason;
    return added;
  }

  /** The server announced D's Y.Docs: load the new ones from the local log and bind them read-only (or as ours). */
  async #onServerYDocs(binding: RemoteBinding, names: readonly string[]): Promise<void> {
    const wanted = names.filter((local) => isYDocName(local) && delegationOfYDoc(local) !== null);
    try {
      await this.#ensureYDocs(wanted);
    } catch (error) {
      console.warn('[penholder] a delegation\u2019s document could not be loaded', error);
      return;
    }
    if (this.#sharing.binding !== binding || this.#disposed) return;
    for (const local of wanted) {
      const doc = this.#docs.get(local);
      if (doc) binding.addDoc({ local, ydoc: doc.ydoc, writable: mayWrite(binding.account, local) });
    }
  }

  /**
   * Binds the document to its server as `origin.server.account` (or unbinds it: null origin, or signed out). Called
   * on open, after publishing, after signing in or out. Loads the extra Y.Docs the account mirrors first.
   */
  async share(origin: SharedOrigin | null): Promise<void> {
    const current = this.#sharing;
    const account = origin?.server.account ?? null;
    if (current.origin && origin && sameOrigin(current.origin, origin) && current.binding && account && sameAccount(current.binding.account, account)) {
      // Same server, same account: the live binding stays (reopening a document must not drop its connection).
      return;
    }
    current.binding?.destroy();
    if (!origin) {
      this.#setSharing({ origin: null, binding: null, textWritable: true, textReady: true });
      return;
    }
    await this.#ensureYDocs(mirroredYDocs(account));
    const textWritable = account !== null && mayWrite(account, TEXT_YDOC);
    // A mirror never downloaded is empty: the editor waits for the server, or it would write a blank page's
    // header and paragraph into the text, to be merged with the real one.
    const text = this.#docs.get(TEXT_YDOC);
    const neverDownloaded = (text?.storedUpdates ?? 0) === 0 && this.ydoc.getXmlFragment(TEXT_FRAGMENT).length === 0;
    if (!account) {
      this.#setSharing({ origin, binding: null, textWritable: false, textReady: !neverDownloaded });
      return;
    }
    const binding = new RemoteBinding({
      connection: connectionFor(origin.server, this.#api),
      documentId: origin.link.documentId,
      account,
      // Every doc this computer holds: others' delegation docs are read-only, and reading them is everyone's right.
      docs: [...this.#docs.values()].map((doc) => ({ local: doc.local, ydoc: doc.ydoc, writable: mayWrite(account, doc.local) })),
    });
    binding.onYDocs((names) => void this.#onServerYDocs(binding, names));
    this.#setSharing({ origin, binding, textWritable, textReady: !neverDownloaded });
    if (neverDownloaded) {
      void binding.whenTextSynced().then(() => {
        if (this.#sharing.binding === binding) this.#setSharing({ ...this.#sharing, textReady: true });
      });
    }
  }

  /** Lets go of the document once every change is on disk; until then it keeps retrying in the background. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    registryChanged();
    await this.queue.whenSaved();
    // Reopened while it was saving: it is the open document again.
    if (!this.#closing) return;
    await this.#dispose();
  }

  async #dispose(): Promise<void> {
    this.#disposed = true;
    this.#sharing.binding?.destroy();
    for (const doc of this.#docs.values()) {
      doc.detach();
      doc.ydoc.destroy();
    }
    this.#unsubscribeQueue();
    this.#sharingListeners.clear();
    this.#ydocListeners.clear();
    sessions.delete(this);
    registryChanged();
  }

  #regroupQueues(): void {
    this.#unsubscribeQueue();
    this.queue = new SaveGroup([...this.#docs.values()].map((d) => d.queue));
    this.#unsubscribeQueue = this.queue.subscribe(registryChanged);
    registryChanged();
  }

  #setSharing(next: SharingState): void {
    this.#sharing = next;
    for (const listener of this.#sharingListeners) listener();
  }
}

function sameOrigin(a: SharedOrigin, b: SharedOrigin): boolean {
  return a.server.url === b.server.url && a.server.wsUrl === b.server.wsUrl && a.link.documentId === b.link.documentId;
}

function sameAccount(a: RemoteAccount, b: RemoteAccount): boolean {
  return a.name === b.name && a.role === b.role && a.delegation === b.delegation;
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
