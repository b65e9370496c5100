/**
 * The ProseMirror editor of one document bound to its `text` Y.Doc, and the little state the React chrome
 * reads from it (toolbar, outline, footnotes, counts), published through a subscribe/snapshot pair.
 */
import { EditorState, NodeSelection, Selection, TextSelection, type Command, type Transaction } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands, selectAll, toggleMark } from 'prosemirror-commands';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { ellipsis, inputRules, smartQuotes } from 'prosemirror-inputrules';
import { columnResizing, goToNextCell, isInTable, tableEditing } from 'prosemirror-tables';
import { redo, undo, yCursorPlugin, yUndoPlugin, yUndoPluginKey, ySyncPlugin, ySyncPluginKey } from 'y-prosemirror';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { assignMissingPids, newPid, pidPlugin } from '../../shared/model/pids.ts';
import { analyzeDocument } from '../../shared/model/analyze.ts';
import {
  activeBlockKind,
  findBlockByPid,
  insertBlockBefore,
  insertFootnote,
  insertTable,
  isInList,
  isMarkActive,
  leaveTitle,
  liftBulletItem,
  liftLetteredItem,
  setBlockKind,
  sinkBulletItem,
  sinkLetteredItem,
  splitItem,
  splitParagraph,
  toggleList,
  type BlockKind,
} from './commands.ts';
import { numberingPlugin, renumber } from './numberingPlugin.ts';
import { currentBaseline, revisionsArray } from '../../shared/model/revisions/index.ts';
import { caretBlockPlugin } from './caretBlock.ts';
import { buildOutline, collectFootnotes, currentEntryIndex, type FootnoteEntry, type OutlineEntry } from './outline.ts';
import { FootnoteView } from './footnoteView.ts';
import { HeaderView } from './headerView.ts';
import { cleanPastedHtml, preparePastedSlice } from './paste.ts';
import { buildRemoteCursor, remoteSelectionAttrs } from './remoteCursors.ts';
import { negotiationDecorationsPlugin, referenceOf } from '../negotiation/decorations.ts';
import { pidsTouchedBy } from '../negotiation/lockGuard.ts';
import type { NegotiationSession } from '../negotiation/negotiationSession.ts';

/** What the toolbar shows as active or available. */
export interface ToolbarState {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  block: BlockKind | null;
  letteredList: boolean;
  bulletList: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** Whether block-level tools apply (not in the header's title). */
  inBody: boolean;
  inTable: boolean;
}

/** Everything the chrome around the page reads from the editor. */
export interface EditorSnapshot {
  toolbar: ToolbarState;
  outline: readonly OutlineEntry[];
  footnotes: readonly FootnoteEntry[];
  words: number;
  paragraphs: number;
  /** Index into `outline` of the entry holding the caret, or -1. */
  currentOutlineIndex: number;
}

/** Actions the toolbar and the menu can run. */
export type EditorAction =
  | 'bold'
  | 'italic'
  | 'underline'
  | BlockKind
  | 'lettered_list'
  | 'bullet_list'
  | 'footnote'
  | 'table'
  | 'undo'
  | 'redo'
  | 'select-all';

/** How the editor reaches the outside world. */
export interface EditorOptions {
  /** Opens a link in the system browser (main refuses unsafe schemes). */
  openLink: (href: string) => void;
  /** Milliseconds of quiet before the outline and counts are recomputed. */
  analysisDelayMs?: number;
  /**
   * The text may only be read (a delegation, the secretariat or an observer on a shared document, or signed out):
   * nothing typed, pasted, dropped or repaired reaches the Y.Doc; changes from the server still show.
   */
  readOnly?: boolean;
  /** Awareness of the shared text: the chair's team's cursors and selections are drawn from it. */
  awareness?: Awareness | null;
  /**
   * The negotiation of this document: its proposals are drawn in the text, paragraphs agreed ad ref refuse edits,
   * and for the chair's team undo takes back typing and decisions in the order they were made.
   */
  negotiation?: NegotiationSession | null;
  /** Told why an edit was refused (a paragraph agreed ad ref), for a person. */
  onRefused?: (message: string) => void;
}

/** A refused edit is said at most this often, so holding a key down does not stack messages. */
const REFUSAL_NOTICE_MS = 2500;

/** Nodes y-prosemirror's undo must not delete while they still hold someone's text. */
const PROTECTED_NODES = new Set(['paragraph', 'numbered_paragraph', 'heading', 'title']);

function markCommand(name: string): Command {
  const type = schema.marks[name];
  return type ? toggleMark(type) : () => false;
}

const yUndoCommand: Command = (state) => undo(state);
const yRedoCommand: Command = (state) => redo(state);

/** The editor's keymap: Word's shortcuts, Enter that makes numbered paragraphs, Tab for levels. */
function editorKeymap(undoCommand: Command, redoCommand: Command): Record<string, Command> {
  return {
    'Mod-z': undoCommand,
    'Shift-Mod-z': redoCommand,
    'Mod-y': redoCommand,
    'Mod-b': markCommand('bold'),
    'Mod-i': markCommand('italic'),
    'Mod-u': markCommand('underline'),
    Enter: chainCommands(leaveTitle, splitItem, insertBlockBefore, splitParagraph),
    Tab: chainCommands(sinkLetteredItem, sinkBulletItem, goToNextCell(1)),
    'Shift-Tab': chainCommands(liftLetteredItem, liftBulletItem, goToNextCell(-1)),
    'Mod-Alt-1': setBlockKind('heading1'),
    'Mod-Alt-2': setBlockKind('heading2'),
    'Mod-Alt-0': setBlockKind('numbered_paragraph'),
    'Mod-Alt-9': setBlockKind('paragraph'),
  };
}

function sameToolbar(a: ToolbarState, b: ToolbarState): boolean {
  return (Object.keys(a) as (keyof ToolbarState)[]).every((k) => a[k] === b[k]);
}

/** The editor of one document; create it on a mount element, destroy it when the document closes. */
export class EditorController {
  readonly view: EditorView;
  #snapshot: EditorSnapshot;
  #listeners = new Set<() => void>();
  /** Where each outline entry starts, mapped through every edit so the highlight stays right between analyses. */
  #outlineStarts: number[] = [];
  #analysisTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #analysisDelayMs: number;
  readonly #options: EditorOptions;
  readonly #undoCommand: Command;
  readonly #redoCommand: Command;
  /** Whether the text may only be read (see EditorOptions.readOnly). */
  readonly readOnly: boolean;
  /** The negotiation drawn in this editor, if any. */
  readonly negotiation: NegotiationSession | null;
  #lastRefusal = 0;
  readonly #cleanup: Array<() => void> = [];

  constructor(mount: HTMLElement, ydoc: Y.Doc, options: EditorOptions) {
    this.#options = options;
    this.readOnly = options.readOnly === true;
    this.negotiation = options.negotiation ?? null;
    this.#analysisDelayMs = options.analysisDelayMs ?? 200;
    const history = this.readOnly ? null : (this.negotiation?.history ?? null);
    // With a negotiation, undo follows the order of typing and decisions; without, it is y-prosemirror's alone.
    const undoCommand: Command = history ? () => history.undo() : yUndoCommand;
    const redoCommand: Command = history ? () => history.redo() : yRedoCommand;
    this.#undoCommand = undoCommand;
    this.#redoCommand = redoCommand;
    const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
    const readOnly = this.readOnly;
    const state = EditorState.create({
      schema,
      plugins: [
        ySyncPlugin(fragment),
        yUndoPlugin({ protectedNodes: PROTECTED_NODES }),
        // Remote changes and undo arrive from Yjs: their pids are the writer's business, never rewritten here.
        pidPlugin({ skip: (tr: Transaction) => tr.getMeta(ySyncPluginKey) !== undefined }),
        numberingPlugin({ baseline: () => (this.negotiation ? currentBaseline(this.negotiation.chair) : undefined) }),
        caretBlockPlugin(),
        inputRules({ rules: [...smartQuotes, ellipsis] }),
        keymap(editorKeymap(undoCommand, redoCommand)),
        keymap(baseKeymap),
        dropCursor({ color: '#1a5fb4', width: 2 }),
        gapCursor(),
        columnResizing(),
        tableEditing(),
        ...(options.awareness ? [yCursorPlugin(options.awareness, { cursorBuilder: buildRemoteCursor, selectionBuilder: remoteSelectionAttrs })] : []),
        ...(this.negotiation ? [negotiationDecorationsPlugin(this.negotiation)] : []),
      ],
    });
    // y-prosemirror dispatches its first render while the view is still being constructed, before
    // `this.view` is assigned, so the dispatch works on the view it is called on.
    const dispatch = (view: EditorView, tr: Transaction) => this.#dispatch(view, tr);
    this.view = new EditorView(mount, {
      state,
      editable: () => !readOnly,
      dispatchTransaction(tr) {
        // ProseMirror calls this with the view as `this` (EditorView.dispatch uses .call).
        dispatch(this as unknown as EditorView, tr);
      },
      nodeViews: {
        header: (node, view, getPos) => new HeaderView(node, view, getPos),
        footnote: (node, view, getPos) => new FootnoteView(node, view, getPos),
      },
      attributes: {
        'aria-label': readOnly ? 'Document text (read-only)' : 'Document text',
        'aria-multiline': 'true',
        'aria-readonly': readOnly ? 'true' : 'false',
        role: 'textbox',
        spellcheck: readOnly ? 'false' : 'true',
        'data-testid': 'editor',
      },
      transformPastedHTML: (html) => cleanPastedHtml(html),
      transformPasted: (slice, view) => preparePastedSlice(slice, view.state.selection.$from, newPid),
      handleDOMEvents: {
        click: (_view, event) => this.#onClick(event),
        auxclick: (_view, event) => this.#onClick(event),
      },
    });
    this.#snapshot = { toolbar: this.#toolbarState(), outline: [], footnotes: [], words: 0, paragraphs: 0, currentOutlineIndex: -1 };
    const undoManager = yUndoPluginKey.getState(this.view.state)?.undoManager;
    if (history && undoManager) {
      this.#cleanup.push(
        history.attachEditor(undoManager, {
          canUndo: () => undoManager.undoStack.length > 0,
          canRedo: () => undoManager.redoStack.length > 0,
          undo: () => undo(this.view.state),
          redo: () => redo(this.view.state),
        }),
      );
      // A decision taken or undone changes what the toolbar's undo and redo can do.
      this.#cleanup.push(history.subscribe(() => this.#refreshToolbar()));
    }
    this.view.dom.addEventListener('penholder-history', this.#onHistoryEvent);
    // A revision cut here or by another member of the chair's team changes the numbering in force.
    if (this.negotiation) {
      const revisions = revisionsArray(this.negotiation.chair);
      const onRevisions = () => {
        renumber(this.view);
        this.#analyze();
      };
      revisions.observe(onRevisions);
      this.#cleanup.push(() => revisions.unobserve(onRevisions));
    }
    // A document written by an older build or another tool may lack pids: repair once, outside the undo history.
    // A reader never repairs: the text is the chair's team's to write, and the server would refuse the change.
    const repair = readOnly ? null : assignMissingPids(this.view.state);
    if (repair) this.view.dispatch(repair);
    this.#analyze();
  }

  /** Subscribes to snapshot changes (for React's useSyncExternalStore). */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The latest snapshot; a new object only when something changed. */
  getSnapshot = (): EditorSnapshot => this.#snapshot;

  #publish(next: EditorSnapshot): void {
    this.#snapshot = next;
    for (const listener of this.#listeners) listener();
  }

  #dispatch(view: EditorView, tr: Transaction): void {
    if (view.isDestroyed) return;
    // The last guard of a read-only text: a header field, a footnote, a paste or a drop can still try to change
    // the document; only changes coming from Yjs (the server's) are applied.
    if (this.readOnly && tr.docChanged && tr.getMeta(ySyncPluginKey) === undefined) return;
    if (tr.docChanged && tr.getMeta(ySyncPluginKey) === undefined && this.#refuseLocked(view, tr)) return;
    // Moving the caret elsewhere (a click, arrow keys) ends the current undo step, as in a word processor:
    // typing here and then there are two steps even when they come within the undo manager's capture time.
    if (tr.selectionSet && !tr.docChanged && tr.getMeta(ySyncPluginKey) === undefined) {
      yUndoPluginKey.getState(view.state)?.undoManager.stopCapturing();
    }
    view.updateState(view.state.apply(tr));
    // Until the constructor has finished there is no snapshot to update; it is computed right after.
    if (!this.view) return;
    if (tr.docChanged) {
      const starts = this.#outlineStarts;
      for (let i = 0; i < starts.length; i++) starts[i] = tr.mapping.map(starts[i] ?? 0);
      this.#scheduleAnalysis();
    }
    const toolbar = this.#toolbarState();
    const current = currentEntryIndex(this.#outlineStarts, this.view.state.selection.from);
    if (!sameToolbar(toolbar, this.#snapshot.toolbar) || current !== this.#snapshot.currentOutlineIndex) {
      this.#publish({ ...this.#snapshot, toolbar: sameToolbar(toolbar, this.#snapshot.toolbar) ? this.#snapshot.toolbar : toolbar, currentOutlineIndex: current });
    }
  }

  /**
   * Refuses a change to a paragraph agreed ad ref (locked until the Chair reopens it) and says so; true when
   * refused. Changes from Yjs (the server, decisions) are never refused here.
   */
  #refuseLocked(view: EditorView, tr: Transaction): boolean {
    const negotiation = this.negotiation;
    if (!negotiation || negotiation.lockedPids.size === 0) return false;
    const locked = [...pidsTouchedBy(tr)].filter((pid) => negotiation.isLocked(pid));
    if (locked.length === 0) return false;
    const now = Date.now();
    if (now - this.#lastRefusal > REFUSAL_NOTICE_MS) {
      this.#lastRefusal = now;
      const names = locked.map((pid) => {
        const reference = referenceOf(view.state, pid);
        return reference ? `Paragraph ${reference}` : 'This paragraph';
      });
      const subject = names.length === 1 ? `${names[0]} is` : `${names.join(' and ')} are`;
      this.#options.onRefused?.(`${subject} agreed ad ref and locked: nothing was changed. The Chair can reopen it, with a reason, to edit it again.`);
    }
    return true;
  }

  #refreshToolbar(): void {
    if (this.view.isDestroyed) return;
    const toolbar = this.#toolbarState();
    if (!sameToolbar(toolbar, this.#snapshot.toolbar)) this.#publish({ ...this.#snapshot, toolbar });
  }

  #toolbarState(): ToolbarState {
    const state = this.view.state;
    const undoManager = yUndoPluginKey.getState(state)?.undoManager;
    const history = this.readOnly ? null : (this.negotiation?.history ?? null);
    const $from = state.selection.$from;
    return {
      bold: isMarkActive(state, 'bold'),
      italic: isMarkActive(state, 'italic'),
      underline: isMarkActive(state, 'underline'),
      block: activeBlockKind(state),
      letteredList: isInList(state, 'lettered_list'),
      bulletList: isInList(state, 'bullet_list'),
      canUndo: history ? history.canUndo() : !!undoManager && undoManager.undoStack.length > 0,
      canRedo: history ? history.canRedo() : !!undoManager && undoManager.redoStack.length > 0,
      inBody: $from.depth >= 1 && $from.node(1).type.name !== 'header',
      inTable: isInTable(state),
    };
  }

  #scheduleAnalysis(): void {
    if (this.#analysisTimer !== null) clearTimeout(this.#analysisTimer);
    this.#analysisTimer = setTimeout(() => {
      this.#analysisTimer = null;
      this.#analyze();
    }, this.#analysisDelayMs);
  }

  /** Recomputes outline, footnotes and counts; cheap enough after a pause, too slow for every keystroke. */
  #analyze(): void {
    if (this.view.isDestroyed) return;
    const doc = this.view.state.doc;
    // The outline shows the numbers the text shows: the numbering in force since the last revision.
    const analysis = analyzeDocument(doc, this.negotiation ? currentBaseline(this.negotiation.chair) : undefined);
    const outline = buildOutline(doc, analysis);
    this.#outlineStarts = outline.map((entry) => entry.pos);
    this.#publish({
      ...this.#snapshot,
      toolbar: this.#toolbarState(),
      outline,
      footnotes: collectFootnotes(doc, analysis),
      words: analysis.counts.words,
      paragraphs: analysis.counts.paragraphs,
      currentOutlineIndex: currentEntryIndex(this.#outlineStarts, this.view.state.selection.from),
    });
  }

  /** Runs a toolbar or menu action on the document and gives the editor focus back. */
  run(action: EditorAction): boolean {
    const command = this.#command(action);
    // A toolbar action is one undo step of its own, not merged with the typing around it.
    const undoManager = yUndoPluginKey.getState(this.view.state)?.undoManager;
    if (action !== 'undo' && action !== 'redo') undoManager?.stopCapturing();
    const done = command(this.view.state, (tr) => this.view.dispatch(tr), this.view);
    if (action !== 'undo' && action !== 'redo') undoManager?.stopCapturing();
    if (action !== 'footnote') this.view.focus();
    return done;
  }

  /** Whether an action applies where the selection is. */
  canRun(action: EditorAction): boolean {
    // A reader may select, not edit: every formatting tool is off.
    if (this.readOnly) return action === 'select-all';
    if (action === 'undo') return this.#snapshot.toolbar.canUndo;
    if (action === 'redo') return this.#snapshot.toolbar.canRedo;
    return this.#command(action)(this.view.state, undefined, this.view);
  }

  #command(action: EditorAction): Command {
    switch (action) {
      case 'bold':
      case 'italic':
      case 'underline':
        return markCommand(action);
      case 'numbered_paragraph':
      case 'paragraph':
      case 'heading1':
      case 'heading2':
        return setBlockKind(action);
      case 'lettered_list':
      case 'bullet_list':
        return toggleList(action);
      case 'footnote':
        return insertFootnote;
      case 'table':
        return insertTable(3, 3);
      case 'undo':
        return this.#undoCommand;
      case 'redo':
        return this.#redoCommand;
      case 'select-all':
        return selectAll;
    }
  }

  /** Puts the caret at the start of the block with this pid, scrolls it to the middle and focuses the text. */
  jumpTo(pid: string): boolean {
    const found = findBlockByPid(this.view.state.doc, pid);
    if (!found) return false;
    const { state } = this.view;
    const selection = found.node.isTextblock ? TextSelection.create(state.doc, found.pos + 1) : Selection.near(state.doc.resolve(found.pos + 1));
    this.view.dispatch(state.tr.setSelection(selection));
    this.view.focus();
    const dom = this.view.nodeDOM(found.pos);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center' });
    return true;
  }

  /** Selects the n-th footnote (1-based, in document order), which opens its editor. */
  openFootnote(index: number): boolean {
    const { state } = this.view;
    let seen = 0;
    let at = -1;
    state.doc.descendants((node, pos) => {
      if (at >= 0) return false;
      if (node.type.name === 'footnote') {
        seen++;
        if (seen === index) at = pos;
        return false;
      }
      return true;
    });
    if (at < 0) return false;
    this.view.focus();
    this.view.dispatch(state.tr.setSelection(NodeSelection.create(state.doc, at)));
    const dom = this.view.nodeDOM(at);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center' });
    return true;
  }

  /** Selects the whole document title and focuses it. */
  selectTitle(): void {
    const { state } = this.view;
    let range: { from: number; to: number } | null = null;
    state.doc.descendants((node, pos) => {
      if (range) return false;
      if (node.type.name === 'title') {
        range = { from: pos + 1, to: pos + 1 + node.content.size };
        return false;
      }
      return true;
    });
    if (range) {
      const { from, to } = range;
      this.view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
    }
    this.view.focus();
  }

  /** Focuses the text. */
  focus(): void {
    this.view.focus();
  }

  #onHistoryEvent = (event: Event): void => {
    const detail = (event as CustomEvent<string>).detail;
    if (detail === 'undo') this.#undoCommand(this.view.state);
    else if (detail === 'redo') this.#redoCommand(this.view.state);
  };

  /** Links never navigate the window: Ctrl/Cmd-click opens them in the system browser. */
  #onClick(event: MouseEvent): boolean {
    const target = event.target;
    if (!(target instanceof Element)) return false;
    const anchor = target.closest('a[href]');
    if (!anchor || !this.view.dom.contains(anchor)) return false;
    event.preventDefault();
    if (event.type === 'click' && (event.metaKey || event.ctrlKey)) {
      const href = anchor.getAttribute('href');
      if (href) this.#options.openLink(href);
      return true;
    }
    return false;
  }

  /** Tears the view down; the Y.Doc and its saving belong to the session and carry on. */
  destroy(): void {
    if (this.#analysisTimer !== null) clearTimeout(this.#analysisTimer);
    for (const step of this.#cleanup) step();
    this.view.dom.removeEventListener('penholder-history', this.#onHistoryEvent);
    this.#listeners.clear();
    this.view.destroy();
  }
}
