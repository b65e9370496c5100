/**
 * Editing commands of a UN document that the keymap, the toolbar and the menu share: block types that keep
 * the paragraph's pid, Enter that opens a new numbered paragraph, lettered lists at most two deep, footnotes
 * and tables.
 */
import type { Attrs, Node as ProseMirrorNode, NodeType, ResolvedPos, Schema } from 'prosemirror-model';
import { Fragment } from 'prosemirror-model';
import { NodeSelection, TextSelection, type Command, type EditorState } from 'prosemirror-state';
import { findWrapping } from 'prosemirror-transform';
import { splitBlockAs } from 'prosemirror-commands';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';

/** Lettered sub-paragraphs go (a) then (i): a third level does not exist in the house style. */
export const MAX_LETTERED_DEPTH = 2;

/** The block kinds the toolbar offers. */
export type BlockKind = 'numbered_paragraph' | 'paragraph' | 'heading1' | 'heading2';

function nodeType(schema: Schema, name: string): NodeType {
  const type = schema.nodes[name];
  if (!type) throw new Error(`The schema has no node type ${name}.`);
  return type;
}

/** The node type and attrs of a block kind; `pid` is filled in per node so the paragraph keeps its identity. */
function blockTarget(schema: Schema, kind: BlockKind): { type: NodeType; attrs: Attrs } {
  switch (kind) {
    case 'heading1':
      return { type: nodeType(schema, 'heading'), attrs: { level: 1 } };
    case 'heading2':
      return { type: nodeType(schema, 'heading'), attrs: { level: 2 } };
    default:
      return { type: nodeType(schema, kind), attrs: {} };
  }
}

/** Which block kind the selection's textblock is, if it is one of the toolbar's. */
export function activeBlockKind(state: EditorState): BlockKind | null {
  const parent = state.selection.$from.parent;
  switch (parent.type.name) {
    case 'numbered_paragraph':
      return 'numbered_paragraph';
    case 'paragraph':
      return 'paragraph';
    case 'heading':
      return parent.attrs.level === 2 ? 'heading2' : 'heading1';
    default:
      return null;
  }
}

/**
 * Turns the selected textblocks into a block kind, keeping each one's pid so proposals and statuses attached
 * to it stay attached. Inside list items and table cells only `paragraph` is allowed, and the schema refuses
 * the others there, so this command is simply not applicable.
 */
export function setBlockKind(kind: BlockKind): Command {
  return (state, dispatch) => {
    const { type, attrs } = blockTarget(state.schema, kind);
    const { from, to } = state.selection;
    let applicable = false;
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (applicable) return false;
      if (!node.isTextblock) return true;
      if (node.type.name === 'title') return false;
      const $pos = state.doc.resolve(pos);
      const index = $pos.index();
      if (node.hasMarkup(type, { ...node.attrs, ...attrs })) return false;
      applicable = $pos.parent.canReplaceWith(index, index + 1, type);
      return false;
    });
    if (!applicable) return false;
    if (dispatch) {
      const tr = state.tr;
      tr.setBlockType(from, to, type, (old) => ({ ...attrs, pid: old.attrs.pid ?? null }));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

function ancestorDepth($pos: ResolvedPos, name: string): number {
  for (let d = $pos.depth; d > 0; d--) if ($pos.node(d).type.name === name) return d;
  return -1;
}

function countAncestors($pos: ResolvedPos, name: string): number {
  let count = 0;
  for (let d = $pos.depth; d > 0; d--) if ($pos.node(d).type.name === name) count++;
  return count;
}

/** Whether the selection is inside a list of the given type. */
export function isInList(state: EditorState, listName: 'lettered_list' | 'bullet_list'): boolean {
  return ancestorDepth(state.selection.$from, listName) > 0;
}

/**
 * Wraps the selected top-level blocks in a list (lettered sub-paragraphs or bullets), or lifts them out when
 * the selection is already in such a list. List items hold unnumbered paragraphs, so numbered paragraphs and
 * headings become plain paragraphs, keeping their pids.
 */
export function toggleList(listName: 'lettered_list' | 'bullet_list'): Command {
  return (state, dispatch) => {
    const schema = state.schema;
    const listType = nodeType(schema, listName);
    const itemType = nodeType(schema, listName === 'lettered_list' ? 'lettered_item' : 'list_item');
    if (isInList(state, listName)) return liftListItem(itemType)(state, dispatch);
    const paragraph = nodeType(schema, 'paragraph');
    const { $from, $to } = state.selection;
    if ($from.depth < 1 || $from.node(1).type.name === 'header' || $from.node(1).type.name === 'table') return false;
    // Work on the top-level blocks the selection touches.
    const start = $from.before(1);
    const end = $to.after(1);
    const tr = state.tr;
    let convertible = true;
    state.doc.nodesBetween(start, end, (node) => {
      if (node.isTextblock && node.type !== paragraph && node.type.name !== 'numbered_paragraph' && node.type.name !== 'heading') convertible = false;
      return !node.isTextblock;
    });
    if (!convertible) return false;
    tr.setBlockType(start, end, paragraph, (old) => ({ pid: old.attrs.pid ?? null }));
    const $start = tr.doc.resolve(tr.mapping.map(start) + 1);
    const $end = tr.doc.resolve(tr.mapping.map(end) - 1);
    const range = $start.blockRange($end);
    if (!range) return false;
    const wrapping = findWrapping(range, listType);
    if (!wrapping) return false;
    if (dispatch) dispatch(tr.wrap(range, wrapping).scrollIntoView());
    return true;
  };
}

/** Tab in a lettered list: makes the item a sub-item ((a) -> (i)), never deeper than {@link MAX_LETTERED_DEPTH}. */
export const sinkLetteredItem: Command = (state, dispatch) => {
  const $from = state.selection.$from;
  if (ancestorDepth($from, 'lettered_item') < 0) return false;
  if (countAncestors($from, 'lettered_list') >= MAX_LETTERED_DEPTH) return true; // swallow Tab: no deeper level
  return sinkListItem(nodeType(state.schema, 'lettered_item'))(state, dispatch);
};

/** Shift-Tab in a lettered list: moves the item one level out. */
export const liftLetteredItem: Command = (state, dispatch) => {
  if (ancestorDepth(state.selection.$from, 'lettered_item') < 0) return false;
  return liftListItem(nodeType(state.schema, 'lettered_item'))(state, dispatch);
};

/** Tab in a bullet list: nests the item. */
export const sinkBulletItem: Command = (state, dispatch) => {
  if (ancestorDepth(state.selection.$from, 'list_item') < 0) return false;
  return sinkListItem(nodeType(state.schema, 'list_item'))(state, dispatch);
};

/** Shift-Tab in a bullet list: un-nests the item. */
export const liftBulletItem: Command = (state, dispatch) => {
  if (ancestorDepth(state.selection.$from, 'list_item') < 0) return false;
  return liftListItem(nodeType(state.schema, 'list_item'))(state, dispatch);
};

/** Enter inside a list item: a new item (its paragraph gets a fresh pid from the pid plugin). */
export const splitItem: Command = (state, dispatch) => {
  const $from = state.selection.$from;
  const itemName = ancestorDepth($from, 'lettered_item') > ancestorDepth($from, 'list_item') ? 'lettered_item' : 'list_item';
  if (ancestorDepth($from, itemName) < 0) return false;
  // Only when the textblock is the item's own paragraph, so Enter in a table inside an item stays a table split.
  if ($from.node(-1)?.type.name !== itemName) return false;
  return splitListItem(nodeType(state.schema, itemName))(state, dispatch);
};

/**
 * Enter at the very start of a non-empty paragraph: a new empty block of the same kind goes before it, so the
 * existing text keeps its pid (and with it its number, proposals and status), as a person expects.
 */
export const insertBlockBefore: Command = (state, dispatch) => {
  const { $from, empty } = state.selection;
  const parent = $from.parent;
  if (!empty || !parent.isTextblock || $from.parentOffset !== 0 || parent.content.size === 0) return false;
  if (parent.type.name === 'title') return false;
  const before = $from.before();
  const index = $from.index(-1);
  const grand = $from.node(-1);
  const fresh = parent.type.create({ ...parent.attrs, pid: null });
  if (!grand.canReplace(index, index, Fragment.from(fresh))) return false;
  if (dispatch) {
    const tr = state.tr.insert(before, fresh);
    // Keep the caret with the text, which now starts one block later.
    tr.setSelection(TextSelection.create(tr.doc, before + fresh.nodeSize + 1));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/**
 * Enter in a paragraph or heading: splits it; the new part is the same kind of block with a fresh pid, except
 * after a heading, where the next block is a numbered paragraph, as in every UN report.
 */
export const splitParagraph: Command = (state, dispatch) => {
  const parent = state.selection.$from.parent;
  if (!parent.isTextblock || parent.type.name === 'title') return false;
  const numbered = state.schema.nodes.numbered_paragraph;
  return splitBlockAs((node, atEnd) => {
    if (atEnd && node.type.name === 'heading' && numbered) return { type: numbered, attrs: { pid: null } };
    return { type: node.type, attrs: { ...node.attrs, pid: null } };
  })(state, dispatch);
};

/** Enter in the document title: goes to a new numbered paragraph right after the header block. */
export const leaveTitle: Command = (state, dispatch) => {
  const $from = state.selection.$from;
  if ($from.parent.type.name !== 'title' || $from.depth < 2) return false;
  const headerEnd = $from.after(1);
  const numbered = nodeType(state.schema, 'numbered_paragraph');
  if (dispatch) {
    const tr = state.tr;
    if (!state.selection.empty) tr.deleteSelection();
    const at = tr.mapping.map(headerEnd);
    const next = tr.doc.resolve(at).nodeAfter;
    if (next && next.isTextblock && next.content.size === 0) {
      tr.setSelection(TextSelection.create(tr.doc, at + 1));
    } else {
      tr.insert(at, numbered.create({ pid: null }));
      tr.setSelection(TextSelection.create(tr.doc, at + 1));
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Inserts an empty footnote at the caret and selects it, which opens its editor. */
export const insertFootnote: Command = (state, dispatch) => {
  const footnote = state.schema.nodes.footnote;
  if (!footnote) return false;
  const $from = state.selection.$from;
  // A footnote inside a footnote has no meaning; the title and headings refuse them through the schema.
  if ($from.parent.type === footnote || !$from.parent.inlineContent) return false;
  if (!$from.parent.canReplaceWith($from.index(), $from.index(), footnote)) return false;
  if (dispatch) {
    const created = footnote.create();
    const tr = state.tr.replaceSelectionWith(created, false);
    // The caret lands right after the inserted footnote.
    const pos = tr.selection.from - created.nodeSize;
    const node = tr.doc.nodeAt(pos);
    if (node && node.type === footnote) tr.setSelection(NodeSelection.create(tr.doc, pos));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Inserts a table (header row plus body rows) after the current top-level block. */
export function insertTable(rows = 3, columns = 3): Command {
  return (state, dispatch) => {
    const schema = state.schema;
    const table = schema.nodes.table;
    const row = schema.nodes.table_row;
    const cell = schema.nodes.table_cell;
    const header = schema.nodes.table_header;
    const paragraph = schema.nodes.paragraph;
    if (!table || !row || !cell || !header || !paragraph) return false;
    const $from = state.selection.$from;
    if ($from.depth < 1) return false;
    if ($from.node(1).type.name === 'header') return false;
    if (ancestorDepth($from, 'table') > 0) return false;
    if (dispatch) {
      const makeRow = (cellType: NodeType) =>
        row.create(null, Array.from({ length: columns }, () => cellType.create(null, paragraph.create({ pid: null }))));
      const tableNode = table.create(null, [makeRow(header), ...Array.from({ length: Math.max(1, rows - 1) }, () => makeRow(cell))]);
      const at = $from.after(1);
      const tr = state.tr.insert(at, tableNode);
      tr.setSelection(TextSelection.create(tr.doc, at + 4));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** The textblock with this pid and where it starts, or null when it is gone. */
export function findBlockByPid(doc: ProseMirrorNode, pid: string): { node: ProseMirrorNode; pos: number } | null {
  let found: { node: ProseMirrorNode; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.attrs.pid === pid) {
      found = { node, pos };
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

/** Whether the selected text carries the mark everywhere (or the caret would type with it). */
export function isMarkActive(state: EditorState, markName: string): boolean {
  const type = state.schema.marks[markName];
  if (!type) return false;
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks ?? $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}
