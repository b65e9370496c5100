/**
 * The WordprocessingML elements the Word exports write for their body and footnotes: paragraphs, runs, tracked
 * insertions and deletions, hyperlinks, footnote references and tables, each exactly as the `docx` library writes
 * the same element (the package parts around them, styles, numbering, headers, still come from `docx`: ./style.ts).
 * Pure functions from typed properties to {@link Xml}; every text and attribute goes through ./xml.ts.
 */
import { element, EMPTY_XML, textElement, type Attributes, type Xml } from './xml.ts';

/** Who made a tracked change and when, with its id (unique in the document and its footnotes). */
export interface Change {
  readonly id: number;
  readonly author: string;
  /** ISO 8601. */
  readonly date: string;
}

/** Whether a tracked change inserts or deletes. */
export type ChangeKind = 'insert' | 'delete';

/** Run formatting: a character style and direct formatting. */
export interface RunFormat {
  readonly style?: string;
  readonly bold?: boolean;
  readonly italics?: boolean;
  /** A single line through the text. */
  readonly strike?: boolean;
  /** Hex RGB ("7F7F7F"). */
  readonly color?: string;
  /** Half-points. */
  readonly size?: number;
  /** A single underline. */
  readonly underline?: boolean;
}

/** A paragraph's left indent and how far its first line hangs out of it, in twips. */
export interface Indent {
  readonly left: number;
  readonly hanging?: number;
}

/** Horizontal alignment of a paragraph. */
export type Alignment = 'left' | 'right' | 'center' | 'both';

/** Paragraph properties. */
export interface ParagraphProperties {
  readonly style?: string;
  readonly keepNext?: boolean;
  /** The Word list the paragraph is numbered in (its w:num id) and its level. */
  readonly numbering?: { readonly numId: number; readonly level: number };
  /** Space before the paragraph, in twips. */
  readonly spacing?: { readonly before?: number };
  readonly indent?: Indent;
  readonly alignment?: Alignment;
  /** The paragraph mark tracked as inserted or deleted (a whole paragraph added or removed). */
  readonly mark?: { readonly kind: ChangeKind; readonly change: Change };
  /** A tracked change of the paragraph's properties, with the style and indent it had before. */
  readonly former?: { readonly change: Change; readonly style?: string; readonly indent?: Indent };
}

/** One border line. */
export interface Border {
  readonly style: 'single' | 'none';
  /** Eighths of a point. */
  readonly size: number;
  readonly color: string;
}

/** The borders of a table. */
export interface TableBorders {
  readonly top: Border;
  readonly left: Border;
  readonly bottom: Border;
  readonly right: Border;
  readonly insideHorizontal: Border;
  readonly insideVertical: Border;
}

/** Cell padding, in twips. */
export interface CellMargins {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** One cell as the caller gives it. */
export interface TableCellSpec {
  /** The cell's paragraphs (a cell must end with one: an empty one is added when it does not). */
  readonly paragraphs: readonly Xml[];
  readonly columnSpan: number;
  readonly rowSpan: number;
  readonly margins?: CellMargins;
  readonly borders?: { readonly top: Border; readonly left: Border; readonly bottom: Border; readonly right: Border };
  readonly verticalAlign?: 'top' | 'center' | 'bottom';
}

/** One row as the caller gives it. */
export interface TableRowSpec {
  readonly cells: readonly TableCellSpec[];
  /** Repeat the row at the top of each page (true), say explicitly that it does not (false), or say nothing. */
  readonly header?: boolean;
  /** The row tracked as inserted or deleted. */
  readonly change?: { readonly kind: ChangeKind; readonly change: Change };
}

/** A table as the caller gives it. */
export interface TableSpec {
  readonly rows: readonly TableRowSpec[];
  /** The table's width, in twips. */
  readonly width: number;
  /** The table's indent from the left margin, in twips. */
  readonly indent?: number;
  /** The width of each grid column, in twips. */
  readonly columnWidths: readonly number[];
  readonly borders: TableBorders;
}

/** A properties element (w:pPr, w:rPr ...), left out altogether when it has nothing to say. */
function optionalProperties(name: string, children: readonly Xml[]): Xml {
  return children.length === 0 ? EMPTY_XML : element(name, undefined, children);
}

function changeAttributes(change: Change): Attributes {
  return { 'w:id': change.id, 'w:author': change.author, 'w:date': change.date };
}

function value(name: string, val: string | number): Xml {
  return element(name, { 'w:val': val });
}

/** An on/off property: present for on, `w:val="false"` for an explicit off. */
function onOff(name: string, on: boolean): Xml {
  return on ? element(name) : element(name, { 'w:val': 'false' });
}

/** The w:rPr elements of a format, in the order the schema (and `docx`) gives them. */
function formatElements(format: RunFormat): Xml[] {
  const out: Xml[] = [];
  if (format.style) out.push(value('w:rStyle', format.style));
  if (format.bold !== undefined) out.push(onOff('w:b', format.bold), onOff('w:bCs', format.bold));
  if (format.italics !== undefined) out.push(onOff('w:i', format.italics), onOff('w:iCs', format.italics));
  if (format.strike !== undefined) out.push(onOff('w:strike', format.strike));
  if (format.color) out.push(value('w:color', format.color));
  if (format.size !== undefined) out.push(value('w:sz', format.size));
  if (format.size) out.push(value('w:szCs', format.size));
  if (format.underline) out.push(value('w:u', 'single'));
  return out;
}

/** Run properties: the format, and (a tracked formatting change) the format the run had before. */
export function runProperties(format: RunFormat, former?: { readonly change: Change; readonly format: RunFormat }): Xml {
  const children = formatElements(format);
  if (former) children.push(element('w:rPrChange', changeAttributes(former.change), optionalProperties('w:rPr', formatElements(former.format))));
  return optionalProperties('w:rPr', children);
}

/** A w:t (or, inside a deletion, a w:delText) holding `text`, spaces kept. */
export function text(value: string, deleted = false): Xml {
  return textElement(deleted ? 'w:delText' : 'w:t', { 'xml:space': 'preserve' }, value);
}

/** The start of bookmark `id` named `name` (a point in a paragraph, outside runs). */
export function bookmarkStart(id: number, name: string): Xml {
  return element('w:bookmarkStart', { 'w:id': id, 'w:name': name });
}

/** The end of bookmark `id`. */
export function bookmarkEnd(id: number): Xml {
  return element('w:bookmarkEnd', { 'w:id': id });
}

/** A tab character in a run. */
export const TAB = element('w:tab');

/** A line break in a run. */
export const BREAK = element('w:br');

/** The footnote number in a footnote's own text. */
export const FOOTNOTE_REF = element('w:footnoteRef');

/** The reference to footnote `id` in the text. */
export function footnoteReference(id: number): Xml {
  return element('w:footnoteReference', { 'w:id': id });
}

/** A run: its properties (when any), then its content (texts, tabs, breaks, a footnote reference). */
export function run(properties: Xml, content: readonly Xml[]): Xml {
  return element('w:r', undefined, properties === EMPTY_XML ? content : [properties, ...content]);
}

/** Runs tracked as inserted (w:ins) or deleted (w:del). */
export function tracked(kind: ChangeKind, change: Change, runs: readonly Xml[]): Xml {
  return element(kind === 'insert' ? 'w:ins' : 'w:del', changeAttributes(change), runs);
}

/** Runs linked to relationship `relationshipId` (an external target), at `anchor` within it when given. */
export function hyperlink(relationshipId: string, anchor: string | undefined, runs: readonly Xml[]): Xml {
  return element('w:hyperlink', { 'w:history': 1, 'w:anchor': anchor, 'r:id': relationshipId }, runs);
}

/** The longest fragment Word keeps as a hyperlink's anchor; a longer one stays in the target. */
const MAX_ANCHOR_LENGTH = 255;

/** An external link split as Word stores it: the target, and the fragment after '#' as the anchor. */
export function linkTarget(href: string): { target: string; anchor?: string } {
  const index = href.indexOf('#');
  const fragment = href.length - index - 1;
  return index > 0 && fragment > 0 && fragment <= MAX_ANCHOR_LENGTH ? { target: href.slice(0, index), anchor: href.slice(index + 1) } : { target: href };
}

function indentElement(indent: Indent): Xml {
  return element('w:ind', { 'w:left': indent.left, 'w:hanging': indent.hanging });
}

/** A paragraph: its properties, then its runs (an empty paragraph is `<w:p/>`). */
export function paragraph(options: ParagraphProperties, content: readonly Xml[]): Xml {
  const props: Xml[] = [];
  if (options.style) props.push(value('w:pStyle', options.style));
  if (options.keepNext !== undefined) props.push(onOff('w:keepNext', options.keepNext));
  if (options.numbering) {
    props.push(element('w:numPr', undefined, [value('w:ilvl', options.numbering.level), value('w:numId', options.numbering.numId)]));
  }
  if (options.spacing) props.push(element('w:spacing', { 'w:before': options.spacing.before }));
  if (options.indent) props.push(indentElement(options.indent));
  if (options.alignment) props.push(value('w:jc', options.alignment));
  if (options.mark) props.push(element('w:rPr', undefined, element(options.mark.kind === 'insert' ? 'w:ins' : 'w:del', changeAttributes(options.mark.change))));
  if (options.former) {
    const { change, style, indent } = options.former;
    const before: Xml[] = [];
    if (style) before.push(value('w:pStyle', style));
    if (indent) before.push(indentElement(indent));
    // The former properties are written even when empty: Word reads an empty w:pPr as "no direct formatting".
    const pPr = before.length > 0 ? element('w:pPr', undefined, before) : element('w:pPr');
    props.push(element('w:pPrChange', changeAttributes(change), pPr));
  }
  return element('w:p', undefined, props.length === 0 ? content : [optionalProperties('w:pPr', props), ...content]);
}

function borderElement(name: string, border: Border): Xml {
  return element(name, { 'w:val': border.style, 'w:color': border.color, 'w:sz': border.size });
}

function width(name: string, twips: number): Xml {
  return element(name, { 'w:type': 'dxa', 'w:w': twips });
}

/** A cell as written: the caller's, or one continuing a cell merged down from the row above. */
interface LaidCell {
  readonly spec: TableCellSpec;
  /** 'continue' for a cell that continues the merged cell above. */
  readonly merge: 'restart' | 'continue' | null;
  readonly rowSpan: number;
}

/** Places `cell` before the cell that covers grid column `column`, or last. */
function insertAtColumn(cells: LaidCell[], cell: LaidCell, column: number): void {
  let covered = 0;
  for (let index = 0; index < cells.length; index += 1) {
    covered += (cells[index] as LaidCell).spec.columnSpan || 1;
    if (covered > column) {
      cells.splice(index, 0, cell);
      return;
    }
  }
  cells.push(cell);
}

/** The rows with a continuing cell added below every cell merged down (Word wants one per row it covers). */
function layRows(rows: readonly TableRowSpec[]): LaidCell[][] {
  const laid = rows.map((row) => row.cells.map((spec): LaidCell => ({ spec, merge: spec.rowSpan > 1 ? 'restart' : null, rowSpan: spec.rowSpan })));
  laid.forEach((cells, rowIndex) => {
    if (rowIndex === laid.length - 1) return;
    let column = 0;
    for (const cell of [...cells]) {
      if (cell.rowSpan > 1) {
        const continued: TableCellSpec = { ...cell.spec, paragraphs: [paragraph({}, [])] };
        insertAtColumn(laid[rowIndex + 1] as LaidCell[], { spec: continued, merge: 'continue', rowSpan: cell.rowSpan - 1 }, column);
      }
      column += cell.spec.columnSpan || 1;
    }
  });
  return laid;
}

/** A table: properties, grid, then the rows (a row without cells is left out, as Word cannot show it). */
export function table(spec: TableSpec): Xml {
  const { borders } = spec;
  const tableProperties: Xml[] = [width('w:tblW', spec.width)];
  if (spec.indent !== undefined) tableProperties.push(width('w:tblInd', spec.indent));
  tableProperties.push(
    element('w:tblBorders', {}, [
      borderElement('w:top', borders.top),
      borderElement('w:left', borders.left),
      borderElement('w:bottom', borders.bottom),
      borderElement('w:right', borders.right),
      borderElement('w:insideH', borders.insideHorizontal),
      borderElement('w:insideV', borders.insideVertical),
    ]),
  );
  const out: Xml[] = [element('w:tblPr', {}, tableProperties), element('w:tblGrid', {}, spec.columnWidths.map((twips) => element('w:gridCol', { 'w:w': twips })))];
  // Cells take the width of the grid columns they span, stretched when the grid is narrower than the table.
  const total = spec.columnWidths.reduce((sum, twips) => sum + twips, 0);
  const scale = total > 0 && spec.width > total ? spec.width / total : 1;
  layRows(spec.rows).forEach((cells, rowIndex) => {
    if (cells.length === 0) return;
    const row = spec.rows[rowIndex] as TableRowSpec;
    const rowProperties: Xml[] = [];
    if (row.header !== undefined) rowProperties.push(row.header ? element('w:tblHeader') : value('w:tblHeader', 'off'));
    if (row.change) rowProperties.push(element(row.change.kind === 'insert' ? 'w:ins' : 'w:del', changeAttributes(row.change.change)));
    const written: Xml[] = [optionalProperties('w:trPr', rowProperties)];
    let column = 0;
    for (const cell of cells) {
      const span = cell.spec.columnSpan || 1;
      const spanned = spec.columnWidths.slice(column, column + span);
      const cellWidth = Math.round(spanned.reduce((sum, twips) => sum + twips, 0) * scale);
      column += span;
      written.push(tableCell(cell, spanned.length === span && cellWidth > 0 ? cellWidth : undefined));
    }
    out.push(element('w:tr', {}, written));
  });
  return element('w:tbl', {}, out);
}

function tableCell(cell: LaidCell, cellWidth: number | undefined): Xml {
  const { spec } = cell;
  const cellProperties: Xml[] = [];
  if (cellWidth !== undefined) cellProperties.push(width('w:tcW', cellWidth));
  if (spec.columnSpan) cellProperties.push(value('w:gridSpan', spec.columnSpan));
  if (cell.merge !== null) cellProperties.push(value('w:vMerge', cell.merge));
  if (spec.borders) {
    const { top, left, bottom, right } = spec.borders;
    cellProperties.push(element('w:tcBorders', {}, [borderElement('w:top', top), borderElement('w:left', left), borderElement('w:bottom', bottom), borderElement('w:right', right)]));
  }
  if (spec.margins) {
    const { top, left, bottom, right } = spec.margins;
    cellProperties.push(element('w:tcMar', {}, [width('w:top', top), width('w:left', left), width('w:bottom', bottom), width('w:right', right)]));
  }
  if (spec.verticalAlign) cellProperties.push(value('w:vAlign', spec.verticalAlign));
  const paragraphs = spec.paragraphs.length > 0 ? spec.paragraphs : [paragraph({}, [])];
  return element('w:tc', {}, [optionalProperties('w:tcPr', cellProperties), ...paragraphs]);
}

/** A footnote of the footnotes part: its id and its paragraphs. */
export function footnote(id: number, paragraphs: readonly Xml[]): Xml {
  return element('w:footnote', { 'w:id': id }, paragraphs);
}
