/**
 * A footnote in the text: a superscript number (from the numbering decorations) that opens a small editor for
 * the footnote's own text when selected. Edits in that editor become steps of the main document, so they are
 * saved, synchronised and undone like any other edit.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { EditorState, Selection, type Transaction } from 'prosemirror-state';
import { StepMap } from 'prosemirror-transform';
import { EditorView, type NodeView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, toggleMark } from 'prosemirror-commands';
import { redo, undo } from 'y-prosemirror';

const FROM_OUTER = 'penholder-footnote-from-outer';

/** The NodeView of an inline `footnote` node. */
export class FootnoteView implements NodeView {
  dom: HTMLElement;
  #node: ProseMirrorNode;
  readonly #outer: EditorView;
  readonly #getPos: () => number | undefined;
  #popup: HTMLElement | null = null;
  #inner: EditorView | null = null;

  constructor(node: ProseMirrorNode, outer: EditorView, getPos: () => number | undefined) {
    this.#node = node;
    this.#outer = outer;
    this.#getPos = getPos;
    this.dom = document.createElement('sup');
    this.dom.className = 'footnote-ref';
    this.dom.setAttribute('role', 'button');
    this.dom.setAttribute('aria-label', 'Footnote: select to edit its text');
    this.dom.title = node.textContent || 'Empty footnote';
  }

  /** Selected as a node: open the footnote's editor. */
  selectNode(): void {
    this.dom.classList.add('ProseMirror-selectednode');
    if (!this.#inner) this.#open();
  }

  /** Selection moved elsewhere: close the editor. */
  deselectNode(): void {
    this.dom.classList.remove('ProseMirror-selectednode');
    if (this.#inner) this.#close();
  }

  #open(): void {
    const popup = document.createElement('div');
    popup.className = 'footnote-editor';
    popup.setAttribute('role', 'dialog');
    popup.setAttribute('aria-label', 'Footnote text');
    const label = document.createElement('div');
    label.className = 'footnote-editor-label';
    label.textContent = 'Footnote';
    label.setAttribute('aria-hidden', 'true');
    popup.appendChild(label);
    // The popup lives on the page, outside the editor: blocks contain their paint (content-visibility), which
    // would clip it, and events in it must not reach the outer editor.
    const host = this.#outer.dom.closest<HTMLElement>('.page') ?? document.body;
    host.appendChild(popup);
    this.#popup = popup;
    this.#place();
    const schema = this.#outer.state.schema;
    const markKeys: Record<string, (state: EditorState, dispatch?: (tr: Transaction) => void) => boolean> = {};
    for (const [key, name] of [['Mod-b', 'bold'], ['Mod-i', 'italic'], ['Mod-u', 'underline']] as const) {
      const type = schema.marks[name];
      if (type) markKeys[key] = toggleMark(type);
    }
    const inner = new EditorView(popup, {
      // The footnote node itself is the inner document: its content is exactly the footnote's text.
      state: EditorState.create({
        doc: this.#node,
        plugins: [
          keymap({
            'Mod-z': () => undo(this.#outer.state),
            'Shift-Mod-z': () => redo(this.#outer.state),
            'Mod-y': () => redo(this.#outer.state),
            Escape: () => this.#returnToText(),
            Enter: () => this.#returnToText(),
            ...markKeys,
          }),
          keymap(baseKeymap),
        ],
      }),
      // A reader may open a footnote to read it, not to change it.
      editable: () => this.#outer.editable,
      dispatchTransaction: (tr) => this.#dispatchInner(tr),
      attributes: { 'aria-label': 'Footnote text', class: 'footnote-editor-text' },
    });
    this.#inner = inner;
    // A footnote just inserted is empty: put the caret in it so the person can type at once.
    if (this.#node.content.size === 0) requestAnimationFrame(() => this.#inner?.focus());
  }

  /** Puts the popup just under the footnote number, in the coordinates of the element that holds it. */
  #place(): void {
    const popup = this.#popup;
    const host = popup?.offsetParent;
    if (!popup || !(host instanceof HTMLElement)) return;
    const anchor = this.dom.getBoundingClientRect();
    const box = host.getBoundingClientRect();
    const width = popup.offsetWidth || 340;
    const left = Math.max(8, Math.min(anchor.left - box.left - 12, host.clientWidth - width - 8));
    popup.style.left = `${Math.round(left)}px`;
    popup.style.top = `${Math.round(anchor.bottom - box.top + 4)}px`;
  }

  #returnToText(): boolean {
    const pos = this.#getPos();
    this.#close();
    if (pos === undefined) return true;
    const { state } = this.#outer;
    const after = Math.min(pos + this.#node.nodeSize, state.doc.content.size);
    // Selection.near finds a caret position even when the footnote ends its paragraph.
    this.#outer.dispatch(state.tr.setSelection(Selection.near(state.doc.resolve(after))));
    this.#outer.focus();
    return true;
  }

  #close(): void {
    this.#inner?.destroy();
    this.#inner = null;
    this.#popup?.remove();
    this.#popup = null;
  }

  #dispatchInner(tr: Transaction): void {
    const inner = this.#inner;
    if (!inner) return;
    const { state, transactions } = inner.state.applyTransaction(tr);
    inner.updateState(state);
    if (tr.getMeta(FROM_OUTER)) return;
    const pos = this.#getPos();
    if (pos === undefined) return;
    const outerTr = this.#outer.state.tr;
    const offset = StepMap.offset(pos + 1);
    for (const transaction of transactions) {
      for (const step of transaction.steps) {
        const mapped = step.map(offset);
        if (mapped) outerTr.step(mapped);
      }
    }
    if (outerTr.docChanged) this.#outer.dispatch(outerTr);
  }

  /** The outer document changed: keep the inner editor in step (remote edits, undo). */
  update(node: ProseMirrorNode): boolean {
    if (!node.sameMarkup(this.#node)) return false;
    this.#node = node;
    this.dom.title = node.textContent || 'Empty footnote';
    const inner = this.#inner;
    if (inner) {
      const state = inner.state;
      const start = node.content.findDiffStart(state.doc.content);
      if (start !== null) {
        const diffEnd = node.content.findDiffEnd(state.doc.content);
        if (diffEnd) {
          let { a: endA, b: endB } = diffEnd;
          const overlap = start - Math.min(endA, endB);
          if (overlap > 0) {
            endA += overlap;
            endB += overlap;
          }
          inner.dispatch(state.tr.replace(start, endB, node.slice(start, endA)).setMeta(FROM_OUTER, true));
        }
      }
    }
    return true;
  }

  /** The outer editor never needs to re-read this view's DOM: the content is rendered by the inner editor. */
  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.#close();
  }
}
