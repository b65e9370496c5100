/**
 * The ProseMirror schema of a UN document, built from one list of node and mark files. The renderer, the main
 * process, the sync server and the tests all import this one `schema` (see ../../shared/DESIGN.md).
 */
import { Schema } from 'prosemirror-model';
import { doc } from './nodes/doc.ts';
import { header } from './nodes/header.ts';
import { title } from './nodes/title.ts';
import { paragraph } from './nodes/paragraph.ts';
import { numbered_paragraph } from './nodes/numbered_paragraph.ts';
import { heading } from './nodes/heading.ts';
import { lettered_list } from './nodes/lettered_list.ts';
import { lettered_item } from './nodes/lettered_item.ts';
import { bullet_list } from './nodes/bullet_list.ts';
import { list_item } from './nodes/list_item.ts';
import { table, table_row, table_cell, table_header } from './nodes/table.ts';
import { footnote } from './nodes/footnote.ts';
import { hard_break } from './nodes/hard_break.ts';
import { text } from './nodes/text.ts';
import { link } from './marks/link.ts';
import { bold } from './marks/bold.ts';
import { italic } from './marks/italic.ts';
import { underline } from './marks/underline.ts';

/**
 * Every node, in schema order. Order matters: `paragraph` is the first block, so it is the default block
 * (what Enter at the end of a block and loose pasted text become), and parse rules of equal priority are tried
 * in this order.
 */
export const nodes = {
  doc,
  header,
  title,
  paragraph,
  numbered_paragraph,
  heading,
  lettered_list,
  lettered_item,
  bullet_list,
  list_item,
  table,
  table_row,
  table_cell,
  table_header,
  footnote,
  hard_break,
  text,
};

/** Every mark, in schema order; `link` comes first so a link wraps the bold or italic text inside it. */
export const marks = { link, bold, italic, underline };

/** The name of a node type of the schema. */
export type NodeName = keyof typeof nodes;

/** The name of a mark type of the schema. */
export type MarkName = keyof typeof marks;

/** The node type names, for code that switches on `node.type.name`. */
export const NODE_NAMES: readonly NodeName[] = Object.keys(nodes) as NodeName[];

/** The mark type names. */
export const MARK_NAMES: readonly MarkName[] = Object.keys(marks) as MarkName[];

/** The one schema of a Penholder document. */
export const schema: Schema<NodeName, MarkName> = new Schema<NodeName, MarkName>({ nodes, marks });

export { SCHEMA_VERSION } from './version.ts';
export { isSafeHref } from './marks/link.ts';
