/**
 * Writes the body of a document (every block after the header) as Word paragraphs and tables, in the house style:
 * the walk of shared/export/html.ts, with each textblock given its role (./paragraphs.ts). The clean text and the
 * compilation share it; the compilation hooks in after each textblock to add the proposals on it.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { TableMap } from 'prosemirror-tables';
import type { ExportLabels } from '../labels.ts';
import { roleParagraph, type Numbering, type Role } from './paragraphs.ts';
import { inlinePieces, type WordWriter } from './runs.ts';
import { HANG, STYLE, TEXT_WIDTH } from './style.ts';
import { table as tableXml, type Border, type CellMargins, type TableBorders, type TableCellSpec, type TableRowSpec } from './wordml.ts';
import type { Xml } from './xml.ts';

/** A textblock the body writer has written, with where it stands. */
export interface WrittenBlock {
  readonly node: ProseMirrorNode;
  /** The position before the node in the document. */
  readonly pos: number;
  readonly role: Role;
  /** The label printed before it ("12", "12 bis", "A.", "(a)"), or null. */
  readonly label: string | null;
}

/** Options of {@link BodyWriter}. */
export interface BodyWriterOptions {
  /** Word numbering (clean text) or typed labels (compilation). */
  readonly numbering: Numbering;
  /** The labels of headings, sub-paragraphs and (without `paragraphNumber`) numbered paragraphs. */
  readonly labels: ExportLabels;
  /** The number printed for a numbered paragraph (numbers in force, with bis/ter); defaults to the labels' 1..N. */
  readonly paragraphNumber?: (node: ProseMirrorNode, pos: number) => string;
  /** Called after each textblock outside tables, to add blocks after it. */
  readonly afterTextblock?: (block: WrittenBlock, out: Xml[]) => void;
  /** Called after each table with the textblocks of its cells, to add blocks after the table. */
  readonly afterTable?: (cells: readonly WrittenBlock[], out: Xml[]) => void;
}

/** Where a block stands: how deep in lettered and bullet lists, and which top-level lettered list. */
interface Context {
  readonly lettered: number;
  readonly bullets: number;
  readonly instance: number;
}

const RULE: Border = { style: 'single', size: 6, color: '000000' };

/** The borders of body tables: thin lines all round and between cells, as the HTML export draws them. */
export const TABLE_BORDERS: TableBorders = { top: RULE, bottom: RULE, left: RULE, right: RULE, insideHorizontal: RULE, insideVertical: RULE };

/** Cell padding of body tables (3 pt above and below, 5 pt at the sides). */
export const CELL_MARGINS: CellMargins = { top: 60, bottom: 60, left: 100, right: 100 };

/** The width a body table takes: the text column less the 1.5 cm indent it shares with body text. */
export const TABLE_WIDTH = TEXT_WIDTH - HANG;

/** The space kept above the first paragraph after a table (Word puts none). */
export const AFTER_TABLE = { spacing: { before: 160 } } as const;

/** The pid of a textblock, or null when it has none (it then gets no bookmark and no proposals). */
export function pidOf(node: ProseMirrorNode): string | null {
  const pid = node.attrs['pid'];
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** Equal column widths for a table of `columns` columns. */
export function columnWidths(columns: number): number[] {
  const count = Math.max(1, columns);
  const width = Math.floor(TABLE_WIDTH / count);
  return Array.from({ length: count }, (_, index) => (index === count - 1 ? TABLE_WIDTH - width * (count - 1) : width));
}

/** A whole number above 1 from a cell's colspan/rowspan attribute, else 1. */
export function span(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 1 ? value : 1;
}

/** The number of grid columns of a table (spans and merged cells counted), at least 1. */
export function tableColumns(table: ProseMirrorNode): number {
  try {
    return Math.max(1, TableMap.get(table).width);
  } catch {
    // A malformed table (which the schema should never let through): the widest row decides.
    let widest = 1;
    table.forEach((row) => {
      let width = 0;
      row.forEach((cell) => {
        width += span(cell.attrs['colspan']);
      });
      widest = Math.max(widest, width);
    });
    return widest;
  }
}

/** Writes body blocks; one writer per export (it numbers the lettered lists for Word). */
export class BodyWriter {
  readonly #word: WordWriter;
  readonly #options: BodyWriterOptions;
  #instance = 0;
  /** The last block written was a table: the next paragraph keeps a line's distance from it. */
  #afterTable = false;

  constructor(word: WordWriter, options: BodyWriterOptions) {
    this.#word = word;
    this.#options = options;
  }

  /** Writes the top-level block `node` at `pos` into `out`; `next` is the block after it (null at the end). */
  block(node: ProseMirrorNode, pos: number, out: Xml[], next: ProseMirrorNode | null): void {
    this.#block(node, pos, out, { lettered: 0, bullets: 0, instance: 0 });
    // Two tables in a row would fuse into one in Word, and Word ends a document with a paragraph: an empty one
    // goes between them and after a final table, and nowhere else (an importer reading the file back sees no
    // paragraph that was not in the text).
    if (node.type.name === 'table' && (next === null || next.type.name === 'table')) out.push(this.#word.paragraph({ style: STYLE.tableText }, []));
  }

  /** The label of a textblock of `role` at `pos`, or null when it has none. */
  label(node: ProseMirrorNode, pos: number, role: Role): string | null {
    const { labels, paragraphNumber } = this.#options;
    switch (role.kind) {
      case 'numbered':
        return paragraphNumber ? paragraphNumber(node, pos) : `${labels.paragraph(pos)}.`;
      case 'heading':
        return labels.heading(pos);
      case 'lettered':
        return role.first ? labels.subparagraph(pos) : null;
      default:
        return null;
    }
  }

  /** A textblock as one Word paragraph. */
  paragraph(node: ProseMirrorNode, pos: number, role: Role): { paragraph: Xml; block: WrittenBlock } {
    const label = this.label(node, pos, role);
    const typed = this.#options.numbering === 'typed' ? label : null;
    const paragraph = roleParagraph(this.#word, role, this.#options.numbering, this.#word.runs(inlinePieces(node)), typed, {
      ...(this.#afterTable ? AFTER_TABLE : {}),
      pid: pidOf(node),
    });
    this.#afterTable = false;
    return { paragraph, block: { node, pos, role, label } };
  }

  #textblock(node: ProseMirrorNode, pos: number, role: Role, out: Xml[]): void {
    const { paragraph, block } = this.paragraph(node, pos, role);
    out.push(paragraph);
    this.#options.afterTextblock?.(block, out);
  }

  #block(node: ProseMirrorNode, pos: number, out: Xml[], context: Context): void {
    switch (node.type.name) {
      case 'numbered_paragraph':
        this.#textblock(node, pos, { kind: 'numbered' }, out);
        return;
      case 'heading':
        this.#textblock(node, pos, { kind: 'heading', level: node.attrs['level'] === 2 ? 2 : 1 }, out);
        return;
      case 'paragraph':
        this.#textblock(node, pos, { kind: 'body' }, out);
        return;
      case 'lettered_list':
        this.#letteredList(node, pos, out, context);
        return;
      case 'bullet_list':
        this.#bulletList(node, pos, out, context);
        return;
      case 'table':
        this.#table(node, pos, out);
        return;
      default:
        // A block type added to the schema later: keep its text rather than lose it.
        if (node.isTextblock) this.#textblock(node, pos, { kind: 'body' }, out);
        else node.forEach((child, offset) => this.#block(child, pos + 1 + offset, out, context));
    }
  }

  #letteredList(list: ProseMirrorNode, pos: number, out: Xml[], context: Context): void {
    const depth = context.lettered + 1;
    // Each top-level lettered list restarts at (a): a new instance of the numbering for Word.
    const instance = depth === 1 ? ++this.#instance : context.instance;
    const inner: Context = { ...context, lettered: depth, instance };
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (child.isTextblock) this.#textblock(child, childPos, { kind: 'lettered', depth, first: offset === 0, instance }, out);
        else this.#block(child, childPos, out, inner);
      });
    });
  }

  #bulletList(list: ProseMirrorNode, pos: number, out: Xml[], context: Context): void {
    const depth = context.bullets + 1;
    const inner: Context = { ...context, bullets: depth };
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (child.isTextblock) this.#textblock(child, childPos, { kind: 'bullet', depth, first: offset === 0 }, out);
        else this.#block(child, childPos, out, inner);
      });
    });
  }

  #table(node: ProseMirrorNode, pos: number, out: Xml[]): void {
    const cells: WrittenBlock[] = [];
    const rows: TableRowSpec[] = [];
    node.forEach((row, rowOffset) => {
      const rowPos = pos + 1 + rowOffset;
      const tableCells: TableCellSpec[] = [];
      let allHeaders = row.childCount > 0;
      row.forEach((cell, cellOffset) => {
        const cellPos = rowPos + 1 + cellOffset;
        const header = cell.type.name === 'table_header';
        if (!header) allHeaders = false;
        const paragraphs: Xml[] = [];
        cell.forEach((child, offset) => {
          const childPos = cellPos + 1 + offset;
          if (!child.isTextblock) return;
          const label = null;
          const runs = this.#word.runs(inlinePieces(child), header ? { base: { bold: true } } : {});
          paragraphs.push(roleParagraph(this.#word, { kind: 'cell' }, this.#options.numbering, runs, label, { pid: pidOf(child) }));
          cells.push({ node: child, pos: childPos, role: { kind: 'cell' }, label });
        });
        tableCells.push({
          paragraphs: paragraphs.length > 0 ? paragraphs : [this.#word.paragraph({}, [])],
          columnSpan: span(cell.attrs['colspan']),
          rowSpan: span(cell.attrs['rowspan']),
          margins: CELL_MARGINS,
        });
      });
      if (tableCells.length > 0) rows.push({ cells: tableCells, header: allHeaders && rowOffset === 0 });
    });
    if (rows.length === 0) return;
    this.#afterTable = true;
    out.push(tableXml({ rows, width: TABLE_WIDTH, indent: HANG, columnWidths: columnWidths(tableColumns(node)), borders: TABLE_BORDERS }));
    this.#options.afterTable?.(cells, out);
  }
}
