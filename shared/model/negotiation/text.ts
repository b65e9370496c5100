/**
 * Reading `D/text` as y-prosemirror lays it out: every ProseMirror node is a Y.XmlElement named after its type with
 * its attrs as attributes, and each run of text inside a textblock is a Y.XmlText whose formatting attributes are
 * the marks. Offsets inside a paragraph are ProseMirror offsets (position minus the paragraph's content start), so
 * the renderer can pass `pos - (paragraphPos + 1)` straight in.
 */
import type { Node as ProseMirrorNode, Schema } from 'prosemirror-model';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { schema as penholderSchema } from '../../schema/index.ts';
import { TEXT_FRAGMENT } from '../ydocs.ts';
import type { RelativePositionJson } from './types.ts';

/** The fragment y-prosemirror binds in `D/text`. */
export function textFragment(textDoc: Y.Doc): Y.XmlFragment {
  return textDoc.getXmlFragment(TEXT_FRAGMENT);
}

/** The text of a `D/text` Y.Doc as a ProseMirror document, read the way the editor reads it. */
export function textDocument(textDoc: Y.Doc, schema: Schema = penholderSchema): ProseMirrorNode {
  return yXmlFragmentToProseMirrorRootNode(textFragment(textDoc), schema);
}

/** Inline nodes without content: one position in ProseMirror, one character in a wording. */
const INLINE_LEAVES: ReadonlyMap<string, string> = new Map([['hard_break', '\n']]);

/** The node type y-prosemirror names the header block, before which nothing of the body goes. */
const HEADER = 'header';

/** Lettered sub-paragraphs belong to the numbered paragraph before them, so they travel and go with it. */
const ATTACHED_AFTER = 'lettered_list';

/** A child of an element or fragment in the Y tree of `D/text`. */
type YChild = Y.XmlElement | Y.XmlText | Y.XmlHook;

/** The pid of an element, or null when it carries none. */
export function pidOfElement(element: Y.XmlElement): string | null {
  const pid = element.getAttribute('pid') as unknown;
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** Where every pid sits in `D/text`, in document order; built in one walk that never enters a textblock. */
export interface PidIndex {
  /** Pids in document order, each once (the first element holding it). */
  readonly order: readonly string[];
  /** The element holding each pid (the first in document order when a concurrent move left two). */
  readonly elements: ReadonlyMap<string, Y.XmlElement>;
}

/** Walks `D/text` once and indexes its pid-carrying elements. */
export function indexParagraphs(fragment: Y.XmlFragment): PidIndex {
  const order: string[] = [];
  const elements = new Map<string, Y.XmlElement>();
  const walk = (parent: Y.XmlFragment): void => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      const pid = pidOfElement(child);
      if (pid === null) walk(child);
      else if (!elements.has(pid)) {
        elements.set(pid, child);
        order.push(pid);
      }
    }
  };
  walk(fragment);
  return { order, elements };
}

/** The element holding `pid`, or null; a whole-document walk, so prefer a PidIndex when looking up many. */
export function findParagraph(textDoc: Y.Doc, pid: string): Y.XmlElement | null {
  return indexParagraphs(textFragment(textDoc)).elements.get(pid) ?? null;
}

/** The plain text of a Y.XmlText run (embeds read as U+FFFC). */
function runText(run: Y.XmlText): string {
  let text = '';
  for (const op of run.toDelta() as Array<{ insert: unknown }>) text += typeof op.insert === 'string' ? op.insert : '\uFFFC';
  return text;
}

/** The ProseMirror size of an inline child: characters of a run, 1 for a leaf, content + 2 for a footnote. */
function inlineSize(child: YChild): number {
  if (child instanceof Y.XmlText) return child.length;
  if (child instanceof Y.XmlElement) {
    if (INLINE_LEAVES.has(child.nodeName)) return 1;
    let size = 2;
    for (const inner of child.toArray()) size += inlineSize(inner);
    return size;
  }
  return 1;
}

/** The wording of an inline child: its text, a newline for a hard break, `[^note]` for a footnote. */
function childWording(child: YChild): string {
  if (child instanceof Y.XmlText) return runText(child);
  if (child instanceof Y.XmlElement) {
    const leaf = INLINE_LEAVES.get(child.nodeName);
    if (leaf !== undefined) return leaf;
    return `[^${child.toArray().map(childWording).join('')}]`;
  }
  return '\uFFFC';
}

/** A paragraph's inline children with their ProseMirror start offsets and sizes. */
interface Layout {
  children: YChild[];
  starts: number[];
  sizes: number[];
  size: number;
}

function layoutOf(paragraph: Y.XmlElement): Layout {
  const children = paragraph.toArray();
  const starts: number[] = [];
  const sizes: number[] = [];
  let size = 0;
  for (const child of children) {
    starts.push(size);
    const childSize = inlineSize(child);
    sizes.push(childSize);
    size += childSize;
  }
  return { children, starts, sizes, size };
}

/** The content size of a paragraph in ProseMirror offsets. */
export function paragraphSize(paragraph: Y.XmlElement): number {
  return layoutOf(paragraph).size;
}

/** A paragraph's whole wording (see {@link spanWording} for how footnotes and breaks read). */
export function paragraphWording(paragraph: Y.XmlElement): string {
  return paragraph.toArray().map(childWording).join('');
}

/**
 * The wording between two offsets of a paragraph. Both must be at top level (not inside a footnote); a footnote
 * inside the span reads `[^its text]` and a hard break a newline, so an edit to either changes the wording.
 */
export function spanWording(paragraph: Y.XmlElement, from: number, to: number): string {
  const layout = layoutOf(paragraph);
  let wording = '';
  layout.children.forEach((child, index) => {
    const start = layout.starts[index] as number;
    const end = start + (layout.sizes[index] as number);
    if (end <= from || start >= to) return;
    if (child instanceof Y.XmlText) wording += runText(child).slice(Math.max(from, start) - start, Math.min(to, end) - start);
    else wording += childWording(child);
  });
  return wording;
}

/** Whether `offset` is a position between inline children or inside a text run, not inside a footnote. */
export function isTopLevelOffset(paragraph: Y.XmlElement, offset: number): boolean {
  const layout = layoutOf(paragraph);
  if (!Number.isInteger(offset) || offset < 0 || offset > layout.size) return false;
  return layout.children.every((child, index) => {
    if (child instanceof Y.XmlText) return true;
    const start = layout.starts[index] as number;
    return offset <= start || offset >= start + (layout.sizes[index] as number);
  });
}

/** A relative position in plain JSON, with plain-object IDs so a stored copy equals a received one. */
function toJson(rp: Y.RelativePosition): RelativePositionJson {
  const json: RelativePositionJson = {};
  if (rp.type) json.type = { client: rp.type.client, clock: rp.type.clock };
  if (rp.tname) json.tname = rp.tname;
  if (rp.item) json.item = { client: rp.item.client, clock: rp.item.clock };
  json.assoc = rp.assoc;
  return json;
}

/**
 * A relative position for a top-level offset of a paragraph. With `assoc >= 0` it sticks to what follows the
 * offset, with `assoc < 0` to what precedes it, so text typed at the offset falls after or before it.
 */
export function relativeAt(paragraph: Y.XmlElement, offset: number, assoc: number): RelativePositionJson {
  const layout = layoutOf(paragraph);
  const { children, starts, sizes } = layout;
  for (let index = 0; index < children.length; index += 1) {
    const child = children[index] as YChild;
    const start = starts[index] as number;
    const end = start + (sizes[index] as number);
    const holds = assoc >= 0 ? start <= offset && offset < end : start < offset && offset <= end;
    if (!holds) continue;
    if (child instanceof Y.XmlText) return toJson(Y.createRelativePositionFromTypeIndex(child, offset - start, assoc));
    // An inline node: stick to it as a child of the paragraph.
    return toJson(Y.createRelativePositionFromTypeIndex(paragraph, assoc >= 0 ? index : index + 1, assoc));
  }
  // An empty paragraph, or the very start (assoc < 0) or end (assoc >= 0): the paragraph's own start or end.
  if (assoc >= 0) {
    const last = children[children.length - 1];
    if (last instanceof Y.XmlText) return toJson(Y.createRelativePositionFromTypeIndex(last, last.length, assoc));
    return toJson(Y.createRelativePositionFromTypeIndex(paragraph, children.length, assoc));
  }
  const first = children[0];
  if (first instanceof Y.XmlText) return toJson(Y.createRelativePositionFromTypeIndex(first, 0, assoc));
  return toJson(Y.createRelativePositionFromTypeIndex(paragraph, 0, assoc));
}

/**
 * The relative positions of a span: a non-empty span sticks to its own first and last characters, so typing
 * right next to it leaves it alone; an insertion point sticks to its neighbours on both sides, so anything typed
 * exactly there falls inside it and shows the proposal overtaken.
 */
export function spanPositions(
  paragraph: Y.XmlElement,
  from: number,
  to: number,
): { from: RelativePositionJson; to: RelativePositionJson } {
  if (from === to) return { from: relativeAt(paragraph, from, -1), to: relativeAt(paragraph, to, 0) };
  return { from: relativeAt(paragraph, from, 0), to: relativeAt(paragraph, to, -1) };
}

/** Whether a type is still in the document: neither it nor any ancestor deleted. */
function isLive(type: Y.AbstractType<unknown>): boolean {
  let item = type._item;
  while (item !== null) {
    if (item.deleted) return false;
    item = (item.parent as Y.AbstractType<unknown>)._item;
  }
  return true;
}

/**
 * The offset in `paragraph` a relative position points at now, or null when it points elsewhere (another paragraph,
 * deleted content's parent, a type this replica has not received yet). Undone deletions are not followed, so every
 * replica resolves the same way.
 */
export function resolveOffset(textDoc: Y.Doc, paragraph: Y.XmlElement, position: RelativePositionJson): number | null {
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), textDoc, false);
  } catch {
    // An ID this replica holds only as garbage-collected struct: the content is gone.
    return null;
  }
  if (absolute === null) return null;
  const { type, index } = absolute;
  if (!isLive(type)) return null;
  const layout = layoutOf(paragraph);
  if (type === paragraph) {
    if (index > layout.children.length) return null;
    return index === layout.children.length ? layout.size : (layout.starts[index] as number);
  }
  if (type instanceof Y.XmlText && type.parent === paragraph) {
    const childIndex = layout.children.indexOf(type);
    if (childIndex < 0) return null;
    return (layout.starts[childIndex] as number) + Math.min(index, type.length);
  }
  return null;
}

/** Whether the character (or, for an end-of-run position, the run) a relative position sticks to is deleted. */
function anchorDeleted(textDoc: Y.Doc, position: RelativePositionJson): boolean {
  const id = position.item ?? position.type;
  if (id === undefined || Y.getState(textDoc.store, id.client) <= id.clock) return false;
  return Y.getItem(textDoc.store, Y.createID(id.client, id.clock)).deleted;
}

/**
 * Where a span reads now: its current offsets and wording, or null when either end no longer resolves into it.
 * When the span does not read `quote` because the very characters it stuck to were deleted (the chair undid an
 * accepted change, which restores the words as new characters, or moved the paragraph, which copies it) and the
 * quote occurs exactly once in the paragraph, the span is found again there.
 */
export function resolveSpan(
  textDoc: Y.Doc,
  paragraph: Y.XmlElement,
  from: RelativePositionJson,
  to: RelativePositionJson,
  quote?: string,
): { from: number; to: number; wording: string } | null {
  const start = resolveOffset(textDoc, paragraph, from);
  const end = resolveOffset(textDoc, paragraph, to);
  const resolved = start === null || end === null || start > end ? null : { from: start, to: end, wording: spanWording(paragraph, start, end) };
  if (quote === undefined || quote === '' || resolved?.wording === quote) return resolved;
  if (!anchorDeleted(textDoc, from) && !anchorDeleted(textDoc, to)) return resolved;
  const found = findUniqueQuote(paragraph, quote);
  return found ? { ...found, wording: quote } : resolved;
}

/**
 * Where a quote occurs in the paragraph, when it occurs exactly once and the paragraph has no footnote (so wording
 * offsets are ProseMirror offsets): the fallback that lets the chair accept as modified a proposal whose anchors
 * were lost (its paragraph moved, say) but whose words still stand.
 */
export function findUniqueQuote(paragraph: Y.XmlElement, quote: string): { from: number; to: number } | null {
  if (quote === '') return null;
  const children = paragraph.toArray();
  const simple = children.every((child) => child instanceof Y.XmlText || (child instanceof Y.XmlElement && INLINE_LEAVES.has(child.nodeName)));
  if (!simple) return null;
  const wording = paragraphWording(paragraph);
  const at = wording.indexOf(quote);
  if (at < 0 || wording.indexOf(quote, at + 1) >= 0) return null;
  return { from: at, to: at + quote.length };
}

/** The top-level block holding an element (itself when it is one), or null when it is not in the fragment. */
export function topLevelBlock(fragment: Y.XmlFragment, element: Y.XmlElement): Y.XmlElement | null {
  let current: Y.XmlElement = element;
  while (current.parent !== fragment) {
    const parent = current.parent;
    if (!(parent instanceof Y.XmlElement)) return null;
    current = parent;
  }
  return current;
}

/** Whether an element is a block of the body at top level (a move or deletion can take it whole). */
export function isBodyBlock(fragment: Y.XmlFragment, element: Y.XmlElement): boolean {
  return element.parent === fragment && element.nodeName !== HEADER;
}

/**
 * A top-level body block and the lettered lists right after it (its sub-paragraphs), as indexes into the
 * fragment's children: what deleting or moving the paragraph takes along.
 */
export function blockGroup(fragment: Y.XmlFragment, block: Y.XmlElement): { start: number; length: number } | null {
  const children = fragment.toArray();
  const start = children.indexOf(block);
  if (start < 0) return null;
  let length = 1;
  while (true) {
    const next = children[start + length];
    if (!(next instanceof Y.XmlElement) || next.nodeName !== ATTACHED_AFTER) break;
    length += 1;
  }
  return { start, length };
}

/**
 * The index in the fragment where a block placed "after pid" goes: after the top-level block holding it and that
 * block's lettered sub-paragraphs; after the header for the title; null for `after` means the top of the body.
 */
export function insertionIndexAfter(fragment: Y.XmlFragment, after: Y.XmlElement | null): number {
  const children = fragment.toArray();
  if (after === null) return children[0] instanceof Y.XmlElement && children[0].nodeName === HEADER ? 1 : 0;
  const block = topLevelBlock(fragment, after);
  if (block === null) throw new Error('the anchor paragraph is not in the text');
  const group = blockGroup(fragment, block) as { start: number; length: number };
  return group.start + group.length;
}

/** How many body blocks the fragment holds (the schema needs at least one). */
export function bodyBlockCount(fragment: Y.XmlFragment): number {
  return fragment.toArray().filter((child) => child instanceof Y.XmlElement && child.nodeName !== HEADER).length;
}

/** The text runs and formatting at an offset: the marks of the character before or after it, as Yjs attributes. */
function attributesAt(paragraph: Y.XmlElement, offset: number, side: 'before' | 'after'): Record<string, unknown> {
  const layout = layoutOf(paragraph);
  const target = side === 'before' ? offset - 1 : offset;
  for (let index = 0; index < layout.children.length; index += 1) {
    const child = layout.children[index] as YChild;
    const start = layout.starts[index] as number;
    if (!(child instanceof Y.XmlText) || target < start || target >= start + (layout.sizes[index] as number)) continue;
    let at = start;
    for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (target < at + length) return { ...(op.attributes ?? {}) };
      at += length;
    }
  }
  return {};
}

/** Marks that do not grow at their edges in the schema (`inclusive: false`), so inserted words never take them. */
const NON_INCLUSIVE_MARKS: ReadonlySet<string> = new Set(['link']);

/**
 * Replaces the content between two top-level offsets of a paragraph with plain text. The new words take the
 * formatting of the first word they replace, or for a pure insertion that of the character before (after, at the
 * start), links excepted. Runs inside the caller's transaction.
 */
export function replaceRange(paragraph: Y.XmlElement, from: number, to: number, text: string): void {
  const attributes =
    from < to
      ? attributesAt(paragraph, from, 'after')
      : from > 0
        ? attributesAt(paragraph, from, 'before')
        : attributesAt(paragraph, from, 'after');
  if (from === to) for (const mark of NON_INCLUSIVE_MARKS) delete attributes[mark];
  // Delete back to front, so the indexes still to visit do not move.
  const layout = layoutOf(paragraph);
  for (let index = layout.children.length - 1; index >= 0; index -= 1) {
    const child = layout.children[index] as YChild;
    const start = layout.starts[index] as number;
    const end = start + (layout.sizes[index] as number);
    if (end <= from || start >= to) continue;
    if (child instanceof Y.XmlText) {
      const cutFrom = Math.max(from, start) - start;
      child.delete(cutFrom, Math.min(to, end) - start - cutFrom);
    } else {
      paragraph.delete(index, 1);
    }
  }
  if (text === '') return;
  const after = layoutOf(paragraph);
  let insertAt = after.children.length;
  for (let index = 0; index < after.children.length; index += 1) {
    const child = after.children[index] as YChild;
    const start = after.starts[index] as number;
    const end = start + (after.sizes[index] as number);
    if (child instanceof Y.XmlText && start <= from && from <= end) {
      child.insert(from - start, text, attributes);
      return;
    }
    if (start >= from) {
      insertAt = index;
      break;
    }
  }
  // No run at the offset (an empty paragraph, or between two footnotes): a new run.
  const run = new Y.XmlText();
  paragraph.insert(insertAt, [run]);
  run.insert(0, text, attributes);
}

/** A new numbered paragraph holding `text`, placed after `after` (see {@link insertionIndexAfter}). */
export function insertParagraph(fragment: Y.XmlFragment, after: Y.XmlElement | null, pid: string, text: string): Y.XmlElement {
  const index = insertionIndexAfter(fragment, after);
  const paragraph = new Y.XmlElement('numbered_paragraph');
  fragment.insert(index, [paragraph]);
  paragraph.setAttribute('pid', pid);
  if (text !== '') {
    const run = new Y.XmlText();
    paragraph.insert(0, [run]);
    run.insert(0, text);
  }
  return paragraph;
}

/** Deletes a top-level body block and its lettered sub-paragraphs. */
export function deleteBlock(fragment: Y.XmlFragment, block: Y.XmlElement): void {
  const group = blockGroup(fragment, block);
  if (group === null) throw new Error('the paragraph is not a top-level block of the text');
  fragment.delete(group.start, group.length);
}

/**
 * Moves a top-level body block (with its lettered sub-paragraphs) after `after` (null: the top of the body):
 * Yjs has no move, so the copies (same pid, same content and marks) are inserted and the originals deleted, in the
 * caller's one transaction. Returns the moved block.
 */
export function moveBlock(fragment: Y.XmlFragment, block: Y.XmlElement, after: Y.XmlElement | null): Y.XmlElement {
  const group = blockGroup(fragment, block);
  if (group === null) throw new Error('the paragraph is not a top-level block of the text');
  const originals = fragment.toArray().slice(group.start, group.start + group.length) as Y.XmlElement[];
  const copies = originals.map((original) => original.clone());
  const index = insertionIndexAfter(fragment, after);
  fragment.insert(index, copies);
  // The originals stand where they stood, shifted when the copies went before them.
  const start = index <= group.start ? group.start + copies.length : group.start;
  fragment.delete(start, group.length);
  return copies[0] as Y.XmlElement;
}
