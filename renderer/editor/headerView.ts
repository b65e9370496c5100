/**
 * The header block of a UN document as a form laid out like the printed page: the organ and the symbol on
 * top, distribution, date and original language on the right, then session and agenda lines, and the title
 * as editable text. A field edit is one attribute change of the header node, so it is saved and undone like text.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import type { EditorView, NodeView } from 'prosemirror-view';
import { yUndoPluginKey } from 'y-prosemirror';

/** The header attributes edited as fields, with the label a screen reader announces. */
export const HEADER_FIELDS = [
  { attr: 'symbol', label: 'Document symbol', placeholder: 'A/AC.000/2025/L.1', multiline: false },
  { attr: 'distribution', label: 'Distribution', placeholder: 'General', multiline: false },
  { attr: 'date', label: 'Date', placeholder: '1 January 2025', multiline: false },
  { attr: 'originalLanguage', label: 'Original language', placeholder: 'English', multiline: false },
  { attr: 'session', label: 'Body and session', placeholder: 'Open-ended working group on …\nFirst substantive session\nNew York, …', multiline: true },
  { attr: 'agenda', label: 'Agenda item', placeholder: 'Item 5 of the provisional agenda', multiline: true },
] as const;

type HeaderAttr = (typeof HEADER_FIELDS)[number]['attr'];

/** The principal organ printed beside the UN emblem, read from the symbol's first element ("A/…"). */
export function organForSymbol(symbol: string): string {
  const series = symbol.trim().split('/')[0]?.toUpperCase() ?? '';
  switch (series) {
    case 'A':
      return 'General Assembly';
    case 'S':
      return 'Security Council';
    case 'E':
      return 'Economic and Social Council';
    case 'UNEP':
      return 'United Nations Environment Programme';
    default:
      return '';
  }
}

/** The NodeView of the `header` node. */
export class HeaderView implements NodeView {
  dom: HTMLElement;
  contentDOM: HTMLElement;
  #node: ProseMirrorNode;
  readonly #view: EditorView;
  readonly #getPos: () => number | undefined;
  readonly #fields = new Map<HeaderAttr, HTMLInputElement | HTMLTextAreaElement>();
  readonly #organ: HTMLElement;
  readonly #chrome: HTMLElement[] = [];

  constructor(node: ProseMirrorNode, view: EditorView, getPos: () => number | undefined) {
    this.#node = node;
    this.#view = view;
    this.#getPos = getPos;
    const dom = document.createElement('header');
    dom.className = 'un-header';
    dom.setAttribute('data-testid', 'document-header');

    const top = this.#part('div', 'un-header-top');
    const un = document.createElement('div');
    un.className = 'un-header-un';
    un.textContent = 'United Nations';
    top.appendChild(un);
    top.appendChild(this.#field('symbol', 'un-header-symbol'));

    const middle = this.#part('div', 'un-header-middle');
    this.#organ = document.createElement('div');
    this.#organ.className = 'un-header-organ';
    middle.appendChild(this.#organ);
    const distr = document.createElement('div');
    distr.className = 'un-header-distr';
    distr.appendChild(this.#labelled('Distr.: ', this.#field('distribution')));
    distr.appendChild(this.#labelled('', this.#field('date')));
    distr.appendChild(this.#labelled('Original: ', this.#field('originalLanguage')));
    middle.appendChild(distr);

    const lines = this.#part('div', 'un-header-lines');
    lines.appendChild(this.#field('session', 'un-header-session'));
    lines.appendChild(this.#field('agenda', 'un-header-agenda'));

    dom.append(top, middle, lines);
    this.contentDOM = document.createElement('div');
    this.contentDOM.className = 'un-header-title';
    dom.appendChild(this.contentDOM);
    this.dom = dom;
    this.#sync(node);
  }

  #part(tag: string, className: string): HTMLElement {
    const el = document.createElement(tag);
    el.className = className;
    el.contentEditable = 'false';
    this.#chrome.push(el);
    return el;
  }

  #labelled(prefix: string, field: HTMLElement): HTMLElement {
    const line = document.createElement('div');
    line.className = 'un-header-line';
    if (prefix) {
      const span = document.createElement('span');
      span.textContent = prefix;
      span.setAttribute('aria-hidden', 'true');
      line.appendChild(span);
    }
    line.appendChild(field);
    return line;
  }

  #field(attr: HeaderAttr, className = ''): HTMLElement {
    const spec = HEADER_FIELDS.find((f) => f.attr === attr);
    if (!spec) throw new Error(`unknown header field ${attr}`);
    const input = spec.multiline ? document.createElement('textarea') : document.createElement('input');
    if (input instanceof HTMLInputElement) input.type = 'text';
    else input.rows = 1;
    input.className = `un-header-field ${className}`.trim();
    input.setAttribute('aria-label', spec.label);
    input.setAttribute('data-field', attr);
    input.placeholder = spec.placeholder;
    input.spellcheck = attr !== 'symbol';
    // A reader sees the header as text: the fields cannot be typed in (the editor drops the change anyway).
    input.readOnly = !this.#view.editable;
    // Editing a field is its own step in the undo history, apart from typing in the text just before.
    const stopCapturing = () => yUndoPluginKey.getState(this.#view.state)?.undoManager.stopCapturing();
    input.addEventListener('focus', stopCapturing);
    input.addEventListener('blur', stopCapturing);
    input.addEventListener('input', () => {
      this.#commit(attr, input.value);
      if (input instanceof HTMLTextAreaElement) fitRows(input);
    });
    input.addEventListener('keydown', (event: Event) => {
      if (!(event instanceof KeyboardEvent)) return;
      // Undo and redo belong to the document, not to the field, so one history covers both.
      const mod = event.metaKey || event.ctrlKey;
      if (mod && (event.key === 'z' || event.key === 'Z' || event.key === 'y')) {
        event.preventDefault();
        const redo = event.key === 'y' || event.shiftKey;
        this.#view.dom.dispatchEvent(new CustomEvent('penholder-history', { detail: redo ? 'redo' : 'undo' }));
      }
      if (event.key === 'Enter' && input instanceof HTMLInputElement) {
        event.preventDefault();
        this.#focusNext(input);
      }
    });
    this.#fields.set(attr, input);
    return input;
  }

  #focusNext(from: HTMLElement): void {
    const all = [...this.#fields.values()];
    const next = all[all.indexOf(from as HTMLInputElement) + 1];
    if (next) next.focus();
    else this.#view.focus();
  }

  #commit(attr: HeaderAttr, value: string): void {
    const pos = this.#getPos();
    if (pos === undefined || this.#node.attrs[attr] === value || !this.#view.editable) return;
    this.#view.dispatch(this.#view.state.tr.setNodeAttribute(pos, attr, value));
  }

  #sync(node: ProseMirrorNode): void {
    for (const [attr, input] of this.#fields) {
      const value = typeof node.attrs[attr] === 'string' ? (node.attrs[attr] as string) : '';
      if (input.value !== value) input.value = value;
      if (input instanceof HTMLTextAreaElement) fitRows(input);
    }
    // The title's placeholder shows through a class: a :has() rule would be re-checked on every keystroke.
    this.dom.classList.toggle('title-empty', node.textContent.length === 0);
    const organ = organForSymbol(typeof node.attrs.symbol === 'string' ? node.attrs.symbol : '');
    this.#organ.textContent = organ;
    this.#organ.hidden = !organ;
  }

  /** Remote edits, undo and redo change the attributes: show them. */
  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.#node.type) return false;
    this.#node = node;
    this.#sync(node);
    return true;
  }

  /** Keys and clicks in the fields are the fields' own; ProseMirror handles only the title. */
  stopEvent(event: Event): boolean {
    const target = event.target;
    return target instanceof Node && this.#chrome.some((el) => el.contains(target));
  }

  /** Only the title's DOM is ProseMirror's to read back. */
  ignoreMutation(mutation: MutationRecord | { type: 'selection'; target: Node }): boolean {
    if (mutation.type === 'selection') return !this.contentDOM.contains(mutation.target);
    return !this.contentDOM.contains(mutation.target);
  }
}

function fitRows(textarea: HTMLTextAreaElement): void {
  textarea.rows = Math.max(1, textarea.value.split('\n').length);
}
