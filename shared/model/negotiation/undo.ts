/**
 * Undo for the chair's negotiation actions. Accepting a proposal edits `D/text` and records the decision in
 * `D/chair`: two Y.Docs, so two Y.UndoManagers, tied here so that one undo takes back both and one redo redoes both.
 * Only transactions run through {@link NegotiationUndo.transact} are tracked (the editor's own typing has its own
 * undo), and each action is exactly one stack item per doc (no capture window merges two actions).
 */
import * as Y from 'yjs';
import { FLOOR, FLOOR_POSITIONS, FLOOR_WITHDRAWALS, DECISIONS, LOG, STATUSES } from './types.ts';
import { textFragment } from './text.ts';

/** Which docs an action changed, so undo and redo touch exactly those. */
interface Step {
  readonly text: boolean;
  readonly chair: boolean;
}

/**
 * Pops exactly the top stack item of a manager (Y.UndoManager would skip an item that no longer changes anything
 * and take the next one, which belongs to an earlier action) and says whether the opposite stack grew.
 */
function popOne(manager: Y.UndoManager, direction: 'undo' | 'redo'): boolean {
  const stack = direction === 'undo' ? manager.undoStack : manager.redoStack;
  const opposite = direction === 'undo' ? manager.redoStack : manager.undoStack;
  if (stack.length === 0) return false;
  const rest = stack.splice(0, stack.length - 1);
  const before = opposite.length;
  try {
    if (direction === 'undo') manager.undo();
    else manager.redo();
  } finally {
    stack.unshift(...rest);
  }
  return opposite.length > before;
}

/** Joint undo and redo of the chair's negotiation actions across `D/text` and `D/chair`. */
export class NegotiationUndo {
  /** The transaction origin of tracked actions. */
  readonly origin: object = {};
  readonly #text: Y.Doc;
  readonly #chair: Y.Doc;
  readonly #textManager: Y.UndoManager;
  readonly #chairManager: Y.UndoManager;
  readonly #undo: Step[] = [];
  readonly #redo: Step[] = [];

  constructor(textDoc: Y.Doc, chairDoc: Y.Doc) {
    this.#text = textDoc;
    this.#chair = chairDoc;
    const options = () => ({ trackedOrigins: new Set<unknown>([this.origin]), captureTimeout: 0 });
    this.#textManager = new Y.UndoManager(textFragment(textDoc), options());
    const scope = [DECISIONS, FLOOR, STATUSES, FLOOR_POSITIONS, FLOOR_WITHDRAWALS].map((name) => chairDoc.getMap<unknown>(name));
    this.#chairManager = new Y.UndoManager([...scope, chairDoc.getArray<unknown>(LOG)], options());
  }

  /** Runs one user action: its changes to both docs become one undo step. */
  transact(action: () => void): void {
    const textBefore = this.#textManager.undoStack.length;
    const chairBefore = this.#chairManager.undoStack.length;
    this.#text.transact(() => this.#chair.transact(action, this.origin), this.origin);
    const step = {
      text: this.#textManager.undoStack.length > textBefore,
      chair: this.#chairManager.undoStack.length > chairBefore,
    };
    if (step.text || step.chair) {
      this.#undo.push(step);
      this.#redo.length = 0;
    }
  }

  /** Whether there is an action to undo. */
  canUndo(): boolean {
    return this.#undo.length > 0;
  }

  /** Whether there is an undone action to redo. */
  canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Undoes the last action in both docs; false when there was none. */
  undo(): boolean {
    const step = this.#undo.pop();
    if (!step) return false;
    const redo = {
      text: step.text && popOne(this.#textManager, 'undo'),
      chair: step.chair && popOne(this.#chairManager, 'undo'),
    };
    if (redo.text || redo.chair) this.#redo.push(redo);
    return true;
  }

  /** Redoes the last undone action in both docs; false when there was none. */
  redo(): boolean {
    const step = this.#redo.pop();
    if (!step) return false;
    const undo = {
      text: step.text && popOne(this.#textManager, 'redo'),
      chair: step.chair && popOne(this.#chairManager, 'redo'),
    };
    if (undo.text || undo.chair) this.#undo.push(undo);
    return true;
  }

  /** Forgets the history (after loading a revision, say). */
  clear(): void {
    this.#textManager.clear();
    this.#chairManager.clear();
    this.#undo.length = 0;
    this.#redo.length = 0;
  }

  /** Stops tracking and releases the undo managers. */
  destroy(): void {
    this.#textManager.destroy();
    this.#chairManager.destroy();
    this.#undo.length = 0;
    this.#redo.length = 0;
  }
}
