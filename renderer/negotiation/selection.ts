/**
 * What a delegate points at when making a proposal: the words selected in one paragraph (or the caret's place in
 * it), read from the editor's selection, or straight from the browser's selection where the text is read-only and
 * the editor may not have taken the selection up.
 */
import type { Node as ProseMirrorNode, ResolvedPos } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { referenceOf } from './decorations.ts';

/** A span of one paragraph, in offsets from its content start (what the model's ProposalDraft takes). */
export interface SelectedSpan {
  readonly pid: string;
  readonly from: number;
  readonly to: number;
  /** The selected words as the page shows them. */
  readonly quote: string;
  /** The whole paragraph's text. */
  readonly paragraphText: string;
  /** How the paragraph is cited ("12", "12 (a)"), or null for one without a number. */
  readonly reference: string | null;
  /** Where the paragraph starts in the document (for scrolling to it). */
  readonly paragraphPos: number;
}

/** Why nothing can be proposed on the current selection, or the span. */
export type SelectionResult = { readonly ok: true; readonly span: SelectedSpan } | { readonly ok: false; readonly message: string };

function pidOf(node: ProseMirrorNode): string | null {
  const pid = node.attrs['pid'] as unknown;
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** The innermost pid-carrying textblock around a position, with its depth. */
function paragraphAt($pos: ResolvedPos): { node: ProseMirrorNode; depth: number; pid: string } | null {
  for (let depth = $pos.depth; depth >= 1; depth -= 1) {
    const node = $pos.node(depth);
    const pid = pidOf(node);
    if (pid !== null && node.isTextblock) return { node, depth, pid };
  }
  return null;
}

/** The document range of the browser's selection inside the editor, or null. */
function domRange(view: EditorView): { from: number; to: number } | null {
  const selection = view.dom.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!view.dom.contains(range.startContainer) || !view.dom.contains(range.endContainer)) return null;
  try {
    const a = view.posAtDOM(range.startContainer, range.startOffset);
    const b = view.posAtDOM(range.endContainer, range.endOffset);
    return { from: Math.min(a, b), to: Math.max(a, b) };
  } catch {
    return null;
  }
}

/**
 * The span the person selected: within one paragraph (a selection reaching into the next is cut at the first
 * paragraph's end). A caret gives an empty span (an insertion point).
 */
export function selectedSpan(view: EditorView): SelectionResult {
  const { state } = view;
  let { from, to } = state.selection;
  if (from === to) {
    const dom = domRange(view);
    if (dom && dom.from !== dom.to) ({ from, to } = dom);
  }
  const $from = state.doc.resolve(from);
  const paragraph = paragraphAt($from);
  if (!paragraph) {
    return { ok: false, message: 'Put the caret in a paragraph (or select words in it) first: proposals are made against one paragraph.' };
  }
  const start = $from.start(paragraph.depth);
  const end = start + paragraph.node.content.size;
  const spanFrom = Math.max(start, from);
  const spanTo = Math.min(end, Math.max(spanFrom, to));
  return {
    ok: true,
    span: {
      pid: paragraph.pid,
      from: spanFrom - start,
      to: spanTo - start,
      quote: state.doc.textBetween(spanFrom, spanTo, '\n', '\u00b6'),
      paragraphText: paragraph.node.textContent,
      reference: referenceOf(state, paragraph.pid),
      paragraphPos: start - 1,
    },
  };
}

/** Every paragraph of the text that has a pid, in order, with how it is cited and its text (for "move after"). */
export function paragraphChoices(view: EditorView): Array<{ pid: string; reference: string | null; text: string; topLevel: boolean }> {
  const choices: Array<{ pid: string; reference: string | null; text: string; topLevel: boolean }> = [];
  view.state.doc.forEach((node) => {
    const pid = pidOf(node);
    if (pid !== null && node.type.name !== 'title') choices.push({ pid, reference: referenceOf(view.state, pid), text: node.textContent, topLevel: true });
  });
  return choices;
}
