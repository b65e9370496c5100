/**
 * Durable saving of one Y.Doc: every local update is queued and handed to main strictly in order, and the
 * save state says "saved" only when main has confirmed every queued update is on disk. UI-independent so it
 * can be tested on Node with a fake append function.
 */
import * as Y from 'yjs';
import { MAX_UPDATE_BYTES } from '../../shared/ipc.ts';

/** The Y.Doc transaction origin of updates that came from storage: they are already on disk, never re-sent. */
export const STORAGE_ORIGIN = 'storage';

/** Where the queue stands, for the status bar. */
export type SaveState =
  | { status: 'saved' }
  | { status: 'saving'; pendingUpdates: number }
  | {
      status: 'failed';
      /** Why the last write failed, for a person. */
      message: string;
      /** How many writes of the oldest pending update have failed in a row. */
      attempts: number;
      /** Whether a retry is being written right now. */
      retrying: boolean;
      /** Milliseconds from the failure until the next automatic retry. */
      nextRetryMs: number;
      pendingUpdates: number;
    };

/** Cancels a scheduled callback. */
export type CancelTimer = () => void;

/** How the queue is wired to storage and to the clock. */
export interface UpdateQueueOptions {
  /** Writes one update durably; resolves only once it is on disk, rejects with a readable Error otherwise. */
  append: (update: Uint8Array) => Promise<unknown>;
  /** Pauses between automatic retries after consecutive failures; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** Pending updates are merged into one write up to this many bytes. */
  maxBatchBytes?: number;
  /** Schedules a retry; tests pass a manual clock. */
  schedule?: (callback: () => void, ms: number) => CancelTimer;
}

/** Backoff that reaches a calm pace quickly: a full disk or a locked file rarely clears in a second. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 15000, 30000];

const defaultSchedule = (callback: () => void, ms: number): CancelTimer => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

/**
 * An ordered, lossless queue of Y.Doc updates on their way to disk: one write in flight at a time, failures
 * keep the update at the head of the queue and are retried with backoff (or at once on demand).
 */
export class UpdateQueue {
  #pending: Uint8Array[] = [];
  #inFlight = false;
  #failure: { message: string; attempts: number; nextRetryMs: number } | null = null;
  #cancelRetry: CancelTimer | null = null;
  #waiters: (() => void)[] = [];
  #state: SaveState = { status: 'saved' };
  readonly #append: UpdateQueueOptions['append'];
  readonly #retryDelaysMs: readonly number[];
  readonly #maxBatchBytes: number;
  readonly #schedule: NonNullable<UpdateQueueOptions['schedule']>;
  #listeners = new Set<(state: SaveState) => void>();

  constructor(options: UpdateQueueOptions) {
    this.#append = options.append;
    this.#retryDelaysMs = options.retryDelaysMs && options.retryDelaysMs.length > 0 ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
    this.#maxBatchBytes = Math.min(options.maxBatchBytes ?? 4 * 1024 * 1024, MAX_UPDATE_BYTES);
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  /** The current save state. */
  get state(): SaveState {
    return this.#state;
  }

  /** True while some update is not yet confirmed on disk. */
  get hasUnsaved(): boolean {
    return this.#pending.length > 0;
  }

  /** Subscribes to save state changes; returns the unsubscribe. */
  subscribe = (listener: (state: SaveState) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Queues one update for writing after every update queued before it. */
  enqueue(update: Uint8Array): void {
    if (update.byteLength === 0) return;
    this.#pending.push(update);
    // While failing, new updates wait for the scheduled retry instead of hammering a broken disk.
    if (this.#failure === null) this.#pump();
    this.#publish();
  }

  /** Retries a failed write at once (the status bar's "Retry"). */
  retryNow(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#pump();
    this.#publish();
  }

  /** Resolves once every update queued so far (and since) is on disk. */
  whenSaved(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #pump(): void {
    if (this.#inFlight || this.#pending.length === 0) return;
    this.#coalesceHead();
    const head = this.#pending[0];
    if (!head) return;
    this.#inFlight = true;
    let written: Promise<unknown>;
    try {
      written = this.#append(head);
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(
      () => {
        this.#inFlight = false;
        // The head is still the update just written: only #coalesceHead rewrites the head, and not while in flight.
        this.#pending.shift();
        this.#failure = null;
        if (this.#pending.length === 0) {
          const waiters = this.#waiters;
          this.#waiters = [];
          for (const resolve of waiters) resolve();
        }
        this.#pump();
        this.#publish();
      },
      (error: unknown) => {
        this.#inFlight = false;
        const attempts = (this.#failure?.attempts ?? 0) + 1;
        const nextRetryMs = this.#retryDelaysMs[Math.min(attempts - 1, this.#retryDelaysMs.length - 1)] ?? 30000;
        this.#failure = { message: readableReason(error), attempts, nextRetryMs };
        this.#cancelRetry?.();
        this.#cancelRetry = this.#schedule(() => {
          this.#cancelRetry = null;
          this.#pump();
          this.#publish();
        }, nextRetryMs);
        this.#publish();
      },
    );
  }

  /** Merges the pending updates at the head into one write, bounded in size; order is kept because only the head is sent. */
  #coalesceHead(): void {
    let count = 0;
    let bytes = 0;
    for (const update of this.#pending) {
      if (count > 0 && bytes + update.byteLength > this.#maxBatchBytes) break;
      bytes += update.byteLength;
      count += 1;
    }
    if (count < 2) return;
    const merged = Y.mergeUpdates(this.#pending.slice(0, count));
    this.#pending.splice(0, count, merged);
  }

  #publish(): void {
    const next = this.#computeState();
    if (sameState(next, this.#state)) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }

  #computeState(): SaveState {
    if (this.#pending.length === 0) return { status: 'saved' };
    if (this.#failure) {
      return {
        status: 'failed',
        message: this.#failure.message,
        attempts: this.#failure.attempts,
        retrying: this.#inFlight,
        nextRetryMs: this.#failure.nextRetryMs,
        pendingUpdates: this.#pending.length,
      };
    }
    return { status: 'saving', pendingUpdates: this.#pending.length };
  }
}

function sameState(a: SaveState, b: SaveState): boolean {
  if (a.status !== b.status) return false;
  if (a.status === 'saved' || b.status === 'saved') return true;
  if (a.status === 'saving' && b.status === 'saving') return a.pendingUpdates === b.pendingUpdates;
  if (a.status === 'failed' && b.status === 'failed') {
    return a.message === b.message && a.attempts === b.attempts && a.retrying === b.retrying && a.pendingUpdates === b.pendingUpdates;
  }
  return false;
}

function readableReason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'the write did not complete';
}

/** Applies stored state to a Y.Doc with the storage origin, so the queue does not write it back. */
export function applyStoredState(ydoc: Y.Doc, state: Uint8Array): void {
  if (state.byteLength === 0) return;
  Y.applyUpdate(ydoc, state, STORAGE_ORIGIN);
}

/** Queues every update of the Y.Doc that did not come from storage; returns the detach function. */
export function persistYDoc(ydoc: Y.Doc, queue: UpdateQueue): () => void {
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === STORAGE_ORIGIN) return;
    queue.enqueue(update);
  };
  ydoc.on('update', onUpdate);
  return () => ydoc.off('update', onUpdate);
}

/** The status bar's words for a save state. */
export function describeSaveState(state: SaveState): string {
  switch (state.status) {
    case 'saved':
      return 'Saved';
    case 'saving':
      return 'Saving…';
    case 'failed':
      return `Not saved — ${state.message}`;
  }
}

/** What the status bar and the session read from saving, whether one Y.Doc's queue or a whole document's. */
export interface SaveSource {
  readonly state: SaveState;
  readonly hasUnsaved: boolean;
  subscribe(listener: (state: SaveState) => void): () => void;
  retryNow(): void;
  whenSaved(): Promise<void>;
}

/**
 * The save state of a document made of several Y.Docs (a shared document also mirrors `chair` and the
 * delegation's own doc): "Saved" only when every queue is on disk; a failure anywhere is the document's failure.
 */
export class SaveGroup implements SaveSource {
  readonly #queues: readonly UpdateQueue[];
  #state: SaveState;
  #listeners = new Set<(state: SaveState) => void>();

  constructor(queues: readonly UpdateQueue[]) {
    this.#queues = queues;
    this.#state = this.#compute();
    for (const queue of queues) queue.subscribe(() => this.#publish());
  }

  /** The worst state of the group: failed, else saving (pending summed), else saved. */
  get state(): SaveState {
    return this.#state;
  }

  /** True while any queue holds an update not yet on disk. */
  get hasUnsaved(): boolean {
    return this.#queues.some((q) => q.hasUnsaved);
  }

  /** Subscribes to changes of the combined state; returns the unsubscribe. */
  subscribe = (listener: (state: SaveState) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Retries every failing queue at once. */
  retryNow(): void {
    for (const queue of this.#queues) if (queue.state.status === 'failed') queue.retryNow();
  }

  /** Resolves once every queue of the group is on disk. */
  async whenSaved(): Promise<void> {
    while (this.hasUnsaved) await Promise.all(this.#queues.map((q) => q.whenSaved()));
  }

  #compute(): SaveState {
    const states = this.#queues.map((q) => q.state);
    const failed = states.find((s) => s.status === 'failed');
    const pendingUpdates = states.reduce((sum, s) => sum + (s.status === 'saved' ? 0 : s.pendingUpdates), 0);
    if (failed) return { ...failed, pendingUpdates };
    if (pendingUpdates > 0) return { status: 'saving', pendingUpdates };
    return { status: 'saved' };
  }

  #publish(): void {
    const next = this.#compute();
    if (sameState(next, this.#state)) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }
}
