/**
 * One undo for the chair's team across typing and negotiation actions. Typing is undone by the editor's own
 * Y.UndoManager (y-prosemirror); accepting a proposal changes `D/text` and `D/chair` together and is undone by the
 * model's NegotiationUndo. This keeps the order of the two kinds of step, so Ctrl+Z takes back the latest one,
 * whichever it was: right after an accept, one undo takes back the text change and the decision together.
 */
import type * as Y from 'yjs';

/** Something that can undo and redo its own steps. */
export interface UndoSide {
  canUndo(): boolean;
  canRedo(): boolean;
  /** Undoes its latest step; false when it had none. */
  undo(): boolean;
  redo(): boolean;
}

type Kind = 'editor' | 'negotiation';

/** Orders the editor's and the negotiation's undo steps. */
export class UndoCoordinator {
  readonly #negotiation: UndoSide;
  #editor: UndoSide | null = null;
  readonly #undoOrder: Kind[] = [];
  readonly #redoOrder: Kind[] = [];
  /** True while this coordinator itself undoes or redoes, so the steps that moves are not taken for new ones. */
  #running = false;
  readonly #listeners = new Set<() => void>();

  constructor(negotiation: UndoSide) {
    this.#negotiation = negotiation;
  }

  /**
   * Follows an editor's undo manager: each new step it records (not one merged into the last within its capture
   * time) counts as an editor step. A new editor starts with an empty history, so older editor steps are dropped.
   */
  attachEditor(manager: Y.UndoManager, side: UndoSide): () => void {
    this.#editor = side;
    this.#drop('editor');
    const onAdded = (event: { type: 'undo' | 'redo' }) => {
      if (this.#running || event.type !== 'undo') return;
      this.#undoOrder.push('editor');
      this.#redoOrder.length = 0;
      this.#changed();
    };
    manager.on('stack-item-added', onAdded);
    return () => {
      manager.off('stack-item-added', onAdded);
      if (this.#editor === side) {
        this.#editor = null;
        this.#drop('editor');
      }
    };
  }

  /** Records that a negotiation action just made a step (call after it succeeded). */
  recordNegotiation(): void {
    if (!this.#negotiation.canUndo()) return;
    this.#undoOrder.push('negotiation');
    this.#redoOrder.length = 0;
    this.#changed();
  }

  /** Whether anything can be undone. */
  canUndo(): boolean {
    return this.#negotiation.canUndo() || (this.#editor?.canUndo() ?? false);
  }

  /** Whether anything can be redone: only what this coordinator undid, and nothing new done since. */
  canRedo(): boolean {
    return this.#redoOrder.some((kind) => this.#side(kind)?.canRedo() ?? false);
  }

  /** Undoes the latest step of either kind; false when there was none. */
  undo(): boolean {
    return this.#step('undo');
  }

  /** Redoes the latest undone step of either kind. */
  redo(): boolean {
    return this.#step('redo');
  }

  /** Subscribes to changes of what can be undone; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #side(kind: Kind): UndoSide | null {
    return kind === 'editor' ? this.#editor : this.#negotiation;
  }

  #step(direction: 'undo' | 'redo'): boolean {
    const from = direction === 'undo' ? this.#undoOrder : this.#redoOrder;
    const to = direction === 'undo' ? this.#redoOrder : this.#undoOrder;
    const can = (side: UndoSide | null) => !!side && (direction === 'undo' ? side.canUndo() : side.canRedo());
    // The recorded order first; a side whose steps were dropped meanwhile is skipped. Unrecorded undo steps (typed
    // before this coordinator existed) come last, the editor's first; redo is only ever of what was undone here.
    let kind: Kind | undefined;
    while ((kind = from.pop()) !== undefined) if (can(this.#side(kind))) break;
    if (kind === undefined && direction === 'undo') kind = can(this.#editor) ? 'editor' : can(this.#negotiation) ? 'negotiation' : undefined;
    const side = kind === undefined ? null : this.#side(kind);
    if (kind === undefined || !side) return false;
    this.#running = true;
    let done: boolean;
    try {
      done = direction === 'undo' ? side.undo() : side.redo();
    } finally {
      this.#running = false;
    }
    if (done) to.push(kind);
    this.#changed();
    return done;
  }

  #drop(kind: Kind): void {
    for (const order of [this.#undoOrder, this.#redoOrder]) {
      for (let i = order.length - 1; i >= 0; i -= 1) if (order[i] === kind) order.splice(i, 1);
    }
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
