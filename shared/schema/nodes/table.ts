import { tableNodes } from 'prosemirror-tables';
import type { NodeSpec } from 'prosemirror-model';

// prosemirror-tables finds its nodes by these names and table roles, so the four specs come from one call.
const specs = tableNodes({ tableGroup: 'block', cellContent: 'paragraph+', cellAttributes: {} });

/** A table (a programme of work, a list of dates); a block in the body. */
export const table: NodeSpec = specs.table;

/** One table row. */
export const table_row: NodeSpec = specs.table_row;

/** A body cell, holding paragraphs. */
export const table_cell: NodeSpec = specs.table_cell;

/** A header cell (the header row of a programme of work), holding paragraphs. */
export const table_header: NodeSpec = specs.table_header;
