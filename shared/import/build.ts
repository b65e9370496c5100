/**
 * Turns the Word model (paragraphs of pieces, tables, notes) into a Penholder document: headings, numbered
 * paragraphs (Word auto-numbering or typed "12." / "12 bis."), lettered sub-paragraphs, bullet lists, footnotes,
 * tables, the masthead in the header node; and, beside it, each paragraph's tracked changes.
 */
import { INSERTION_SUFFIXES } from '../model/numbering.ts';
import { newPid } from '../model/pids.ts';
import type { HeaderField } from '../schema/nodes/header.ts';
import type { InlineFormat, WordBlock, WordCell, WordParagraph, WordTable } from './content.ts';
import { recognizeMasthead, mastheadLines, type MastheadCandidate } from './masthead.ts';
import { ListCounters, counterLabel, type NumberingDefinitions } from './numbering.ts';
import type { ReportBuilder } from './report.ts';
import type { StyleSheet } from './styles.ts';
import {
  groupParagraphs,
  leadingOriginalText,
  stripOriginalPrefix,
  stripTrailingBlanks,
  trackedWording,
  unitWording,
  type LogicalParagraph,
  type TrackedParagraph,
  type WordingUnit,
} from './tracked.ts';

/** ProseMirror JSON as the import writes it. */
export interface NodeJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJSON[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** What the assembler reads. */
export interface BuildInput {
  body: readonly WordBlock[];
  footnotes: ReadonlyMap<string, WordBlock[]>;
  endnotes: ReadonlyMap<string, WordBlock[]>;
  styles: StyleSheet;
  numbering: NumberingDefinitions;
  report: ReportBuilder;
  /**
   * The masthead lines of the first page's header (UN templates put the masthead there), read before the body's
   * own; and the symbol the running header prints, for a document that gives it nowhere else.
   */
  pageHeader?: { firstPage: readonly MastheadCandidate[]; runningSymbol: string | null };
}

/** What the assembler produces. */
export interface BuiltDocument {
  doc: NodeJSON;
  /** The title text ('' when the document has none). */
  title: string;
  tracked: TrackedParagraph[];
  /** How many of the first-page header's candidates the masthead took (their lines are kept in the header node). */
  firstPageHeaderUsed: number;
}

const SUFFIXES = INSERTION_SUFFIXES.join('|');
/** A typed paragraph number: "12." or "12 bis." followed by a tab or spaces. */
const TYPED_NUMBER = new RegExp(`^\\s*(\\d{1,4})(?:[ \\u00a0]*(${SUFFIXES}))?\\.\\s+(?=\\S)`, 'i');
/** A typed sub-paragraph label: "(a)", "(bb)", "(iv)". */
const TYPED_LETTER = /^\s*\(([a-z]{1,3}|[ivxlcdm]{1,7})\)\s+(?=\S)/;
/** A typed bullet: a bullet sign and a blank, or a dash and a tab. */
const TYPED_BULLET = /^\s*(?:[\u2022\u25aa\u25cf\u25e6\u2043\u00b7]\s+|[-\u2013\u2014]\t\s*)(?=\S)/;
/** A typed heading label the house format computes itself: "A.", "IV.", "2.", "2.1." followed by blanks. */
const TYPED_HEADING_LABEL = /^\s*(?:[A-Z]{1,2}|[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*)\.\s+(?=\S)/;
const VALID_ROMAN = /^(?=[ivxlcdm])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;

/** The role a paragraph takes in the document. */
type Role = 'numbered' | 'heading' | 'paragraph' | 'lettered' | 'bullet';

/** A body paragraph ready to become a node, or a table, or a wholly inserted paragraph (tracked only). */
type BodyItem =
  | {
      kind: 'block';
      role: Role;
      /** Heading level (1, 2), lettered depth (1, 2) or bullet nesting (0..). */
      level: number;
      units: WordingUnit[];
      titleStyle: boolean;
      /** Whether the paragraph style is bold (then the whole paragraph reads bold). */
      styleBold: boolean;
      tracked: TrackedParagraph;
    }
  | { kind: 'table'; node: NodeJSON; lines: string[]; tracked: TrackedParagraph[]; cells: number }
  | { kind: 'inserted'; tracked: TrackedParagraph };

/** Replaces control characters one for one with spaces (tabs, stray newlines), so offsets stay put. */
function normalizeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

function marksOf(format: InlineFormat): NodeJSON['marks'] {
  const marks: NonNullable<NodeJSON['marks']> = [];
  if (format.href !== null) marks.push({ type: 'link', attrs: { href: format.href, title: null } });
  if (format.bold) marks.push({ type: 'bold' });
  if (format.italic) marks.push({ type: 'italic' });
  if (format.underline) marks.push({ type: 'underline' });
  return marks.length > 0 ? marks : undefined;
}

function sameMarks(a: NodeJSON['marks'], b: NodeJSON['marks']): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((mark, index) => {
    const other = b[index] as NonNullable<NodeJSON['marks']>[number];
    return mark.type === other.type && mark.attrs?.['href'] === other.attrs?.['href'];
  });
}

/** Appends a text node, merging it into the previous one when the marks are the same. */
function pushText(out: NodeJSON[], text: string, marks: NodeJSON['marks']): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.type === 'text' && sameMarks(last.marks, marks)) last.text = (last.text as string) + text;
  else out.push(marks ? { type: 'text', text, marks } : { type: 'text', text });
}

function isValidLetterLabel(label: string): boolean {
  return /^([a-z])\1*$/.test(label) || VALID_ROMAN.test(label);
}

/** The letter label that follows `label` at depth 1: "h" -> "i", "z" -> "aa". */
function nextLetter(label: string): string {
  const char = label.charCodeAt(0);
  return char === 122 ? 'a'.repeat(label.length + 1) : String.fromCharCode(char + 1).repeat(label.length);
}

/** Assembles the document; see the module comment. */
export class DocumentBuilder {
  readonly #input: BuildInput;
  readonly #report: ReportBuilder;
  readonly #pids = new Set<string>();
  readonly #notes = new Map<string, { nodes: NodeJSON[]; wording: string }>();
  readonly #counters = new ListCounters();
  /** The number of the last numbered paragraph ("12"), for lettered labels ("12 (a)"); reset by headings. */
  #lastNumber: string | null = null;
  /** The numId of the last auto-numbered paragraph, whose deeper levels are its sub-paragraphs. */
  #lastNumberedList: string | null = null;
  /** The open lettered run: its list and first level, and the last depth-1 label. */
  #lettered: { numId: string | null; base: number; lastLabel: string | null } | null = null;
  #bulletBase: number | null = null;

  constructor(input: BuildInput) {
    this.#input = input;
    this.#report = input.report;
  }

  #pid(): string {
    let pid = newPid();
    while (this.#pids.has(pid)) pid = newPid();
    this.#pids.add(pid);
    return pid;
  }

  /** A note's content (text with marks) and wording, from its original text. */
  #note(key: string): { nodes: NodeJSON[]; wording: string } {
    const cached = this.#notes.get(key);
    if (cached) return cached;
    const endnote = key.startsWith('e:');
    const blocks = (endnote ? this.#input.endnotes : this.#input.footnotes).get(key.slice(2));
    if (!blocks) this.#report.lost('note references whose note is missing from the file');
    const nodes: NodeJSON[] = [];
    const paragraphs: WordParagraph[] = [];
    const collect = (list: readonly WordBlock[]): void => {
      for (const block of list) {
        if (block.kind === 'paragraph') paragraphs.push(block);
        else for (const row of block.rows) for (const cell of row.cells) collect(cell.blocks);
      }
    };
    collect(blocks ?? []);
    paragraphs.forEach((paragraph, at) => {
      if (at > 0) pushText(nodes, ' ', undefined);
      for (const piece of paragraph.pieces) {
        if (piece.change?.kind === 'insert') continue;
        if (piece.kind === 'text') pushText(nodes, normalizeText(piece.text), marksOf(piece.format));
        else if (piece.kind === 'break') pushText(nodes, ' ', undefined);
      }
    });
    // Trim the blanks Word puts after the note's own number (a tab) and at its end.
    while (nodes.length > 0) {
      const first = nodes[0] as NodeJSON;
      first.text = (first.text as string).replace(/^\s+/, '');
      if (first.text !== '') break;
      nodes.shift();
    }
    while (nodes.length > 0) {
      const last = nodes[nodes.length - 1] as NodeJSON;
      last.text = (last.text as string).replace(/\s+$/, '');
      if (last.text !== '') break;
      nodes.pop();
    }
    const wording = `[^${nodes.map((node) => node.text as string).join('')}]`;
    const note = { nodes, wording };
    this.#notes.set(key, note);
    if (endnote) this.#report.count('endnotesAsFootnotes');
    return note;
  }

  /** The wording units of a paragraph (raw text: tabs are still there for the typed-number tests). */
  #units(pieces: LogicalParagraph['pieces']): WordingUnit[] {
    return pieces.map((piece): WordingUnit => {
      if (piece.kind === 'text') return piece;
      if (piece.kind === 'break') return piece;
      const key = `${piece.endnote ? 'e' : 'f'}:${piece.id}`;
      return { kind: 'note', wording: this.#note(key).wording, noteKey: key, change: piece.change };
    });
  }

  /** Inline content of the original text of units; `titleMode` keeps text only. */
  #inline(units: readonly WordingUnit[], options: { dropBold: boolean }): NodeJSON[] {
    const out: NodeJSON[] = [];
    for (const unit of units) {
      if (unit.change?.kind === 'insert') continue;
      if (unit.kind === 'text') {
        const format = options.dropBold && unit.format.bold ? { ...unit.format, bold: false } : unit.format;
        pushText(out, normalizeText(unit.text), marksOf(format));
      } else if (unit.kind === 'break') out.push({ type: 'hard_break' });
      else {
        const nodes = this.#note(unit.noteKey).nodes.map((node) => ({ ...node }));
        out.push(nodes.length > 0 ? { type: 'footnote', content: nodes } : { type: 'footnote' });
        this.#report.count('footnotes');
      }
    }
    return out;
  }

  /** Units normalized one for one (tabs to spaces) once the typed-number tests are done. */
  #normalized(units: readonly WordingUnit[]): WordingUnit[] {
    return units.map((unit) => (unit.kind === 'text' ? { ...unit, text: normalizeText(unit.text) } : unit));
  }

  /** Whether every non-blank original character is bold. */
  #allBold(units: readonly WordingUnit[]): boolean {
    let any = false;
    for (const unit of units) {
      if (unit.change?.kind === 'insert' || unit.kind !== 'text' || unit.text.trim() === '') continue;
      if (!unit.format.bold) return false;
      any = true;
    }
    return any;
  }

  /** A tracked paragraph for a wholly inserted paragraph, its typed number (if any) taken off. */
  #insertedParagraph(logical: LogicalParagraph): TrackedParagraph | null {
    const units = this.#units(logical.pieces).filter((unit) => unit.change?.kind === 'insert');
    let proposed = units.map(unitWording).join('');
    const typed = TYPED_NUMBER.exec(proposed);
    const number = typed ? `${typed[1]}${typed[2] ? ` ${(typed[2] as string).toLowerCase()}` : ''}` : null;
    proposed = normalizeText(proposed.slice(typed ? typed[0].length : (/^\s*/.exec(proposed) as RegExpExecArray)[0].length));
    if (proposed.trim() === '') return null;
    const change = units[0]?.change ?? { kind: 'insert' as const, author: 'Unknown author', date: null };
    return {
      index: logical.props.index,
      number,
      original: '',
      proposed,
      changes: [{ kind: 'insert', author: change.author, date: change.date, text: proposed, offset: 0 }],
      wholeParagraph: 'inserted',
      pid: null,
    };
  }

  /**
   * A tracked paragraph from stripped units (null when it is empty in both versions). `pid` is the exported pid it
   * carried; a paragraph with no original text is the author's addition and has none.
   */
  #tracked(index: number, number: string | null, units: readonly WordingUnit[], pid: string | null): TrackedParagraph | null {
    const wording = trackedWording(this.#normalized(units));
    if (wording.original.trim() === '' && wording.proposed.trim() === '') return null;
    let whole: TrackedParagraph['wholeParagraph'] = null;
    if (wording.original.trim() === '') whole = 'inserted';
    else if (wording.changes.length > 0 && wording.proposed.trim() === '') whole = 'deleted';
    return { index, number, ...wording, wholeParagraph: whole, pid: whole === 'inserted' ? null : pid };
  }

  /** Classifies a body paragraph (style, Word numbering, typed labels) and advances Word's counters. */
  #bodyItem(logical: LogicalParagraph): BodyItem | null {
    if (logical.inserted) {
      const tracked = this.#insertedParagraph(logical);
      return tracked ? { kind: 'inserted', tracked } : null;
    }
    const props = logical.props;
    const style = this.#input.styles.paragraph(props.styleId);
    const outline = props.outline ?? style.outline;
    const ref = props.numbering ?? style.numbering;
    const level = ref && ref.numId !== '' ? this.#input.numbering.level(ref.numId, ref.ilvl) : null;
    const counter = level && ref ? this.#counters.next(this.#input.numbering.counterKey(ref.numId), ref.ilvl, level.start) : null;
    let units = this.#units(logical.pieces);
    // A blank paragraph (Word's spacing) is left out before it can end a list or reset the sub-paragraph letters.
    if (units.every((unit) => unit.kind === 'text' && unit.text.trim() === '')) return null;
    const leading = leadingOriginalText(units);
    let role: Role = 'paragraph';
    let itemLevel = 0;
    let number: string | null = null;
    let prefix = (/^\s*/.exec(leading) as RegExpExecArray)[0].length;

    if (outline !== null) {
      role = 'heading';
      itemLevel = outline === 0 ? 1 : 2;
      if (outline > 1) this.#report.lost('heading levels below the second (imported as subsections)');
      const label = TYPED_HEADING_LABEL.exec(leading);
      if (label) prefix = label[0].length;
    } else if (level && ref && counter !== null && level.kind !== 'none') {
      if (level.kind === 'bullet') {
        role = 'bullet';
        if (this.#bulletBase === null) this.#bulletBase = ref.ilvl;
        itemLevel = Math.max(0, ref.ilvl - this.#bulletBase);
      } else if (level.kind === 'numbered' && ref.ilvl === 0) {
        role = 'numbered';
        number = counterLabel(level.format, counter);
        this.#lastNumberedList = ref.numId;
      } else {
        role = 'lettered';
        const label = counterLabel(level.format, counter).toLowerCase();
        if (ref.numId === this.#lastNumberedList) itemLevel = ref.ilvl >= 2 ? 2 : 1;
        else {
          if (!this.#lettered || this.#lettered.numId !== ref.numId) this.#lettered = { numId: ref.numId, base: ref.ilvl, lastLabel: null };
          itemLevel = ref.ilvl > this.#lettered.base ? 2 : 1;
        }
        number = this.#lastNumber !== null ? `${this.#lastNumber} (${label})` : `(${label})`;
      }
    } else {
      const typedNumber = TYPED_NUMBER.exec(leading);
      const typedLetter = TYPED_LETTER.exec(leading);
      const typedBullet = TYPED_BULLET.exec(leading);
      if (typedNumber) {
        role = 'numbered';
        number = `${typedNumber[1]}${typedNumber[2] ? ` ${(typedNumber[2] as string).toLowerCase()}` : ''}`;
        prefix = typedNumber[0].length;
        this.#lastNumberedList = null;
      } else if (typedLetter && isValidLetterLabel(typedLetter[1] as string)) {
        role = 'lettered';
        const label = typedLetter[1] as string;
        prefix = typedLetter[0].length;
        // "(i)" is roman under "(a)", but the ninth letter after "(h)": it is a letter when it is the next one.
        let open = this.#lettered?.numId === null ? this.#lettered : null;
        itemLevel = open && VALID_ROMAN.test(label) && label !== (open.lastLabel === null ? 'a' : nextLetter(open.lastLabel)) ? 2 : 1;
        if (!open) {
          open = { numId: null, base: 0, lastLabel: null };
          this.#lettered = open;
        }
        if (itemLevel === 1) open.lastLabel = label;
        number = this.#lastNumber !== null ? `${this.#lastNumber} (${label})` : `(${label})`;
      } else if (typedBullet) {
        role = 'bullet';
        prefix = typedBullet[0].length;
        itemLevel = 0;
      }
    }
    if (role !== 'lettered') this.#lettered = null;
    if (role !== 'bullet') this.#bulletBase = null;
    if (role === 'numbered') this.#lastNumber = number;
    if (role === 'heading') {
      this.#lastNumber = null;
      this.#lastNumberedList = null;
    }

    units = stripTrailingBlanks(stripOriginalPrefix(units, prefix));
    const tracked = this.#tracked(props.index, number, units, logical.pid);
    if (!tracked) return null;
    if (tracked.wholeParagraph === 'inserted') return { kind: 'inserted', tracked };
    return { kind: 'block', role, level: itemLevel, units, titleStyle: style.title, styleBold: style.bold, tracked };
  }

  /**
   * The paragraphs of a cell (nested tables flattened into it), with their tracked paragraphs. In a header cell,
   * bold on the whole paragraph is the header row's look (the house style prints header cells bold), not a mark.
   */
  #cellContent(cell: WordCell, tracked: TrackedParagraph[], header: boolean): NodeJSON[] {
    const out: NodeJSON[] = [];
    const visit = (blocks: readonly WordBlock[]): void => {
      const run: WordParagraph[] = [];
      const flush = (): void => {
        for (const logical of groupParagraphs(run.splice(0), this.#report)) {
          if (logical.inserted) {
            const inserted = this.#insertedParagraph(logical);
            if (inserted) tracked.push(inserted);
            continue;
          }
          const props = logical.props;
          const style = this.#input.styles.paragraph(props.styleId);
          const ref = props.numbering ?? style.numbering;
          if ((props.outline ?? style.outline) !== null || (ref && ref.numId !== '0' && this.#input.numbering.level(ref.numId, ref.ilvl))) {
            this.#report.lost('headings and list numbering inside table cells (kept as plain paragraphs)');
          }
          let units = this.#units(logical.pieces);
          units = stripTrailingBlanks(stripOriginalPrefix(units, (/^\s*/.exec(leadingOriginalText(units)) as RegExpExecArray)[0].length));
          const entry = this.#tracked(props.index, null, units, logical.pid);
          if (!entry) continue;
          tracked.push(entry);
          if (entry.wholeParagraph === 'inserted') continue;
          const content = this.#inline(this.#normalized(units), { dropBold: header && this.#allBold(units) });
          out.push(content.length > 0 ? { type: 'paragraph', attrs: { pid: this.#pid() }, content } : { type: 'paragraph', attrs: { pid: this.#pid() } });
        }
      };
      for (const block of blocks) {
        if (block.kind === 'paragraph') run.push(block);
        else {
          flush();
          this.#report.lost('tables inside tables (their cells were flattened into the outer cell)');
          for (const row of block.rows) for (const inner of row.cells) visit(inner.blocks);
        }
      }
      flush();
    };
    visit(cell.blocks);
    if (out.length === 0) out.push({ type: 'paragraph', attrs: { pid: this.#pid() } });
    return out;
  }

  /** A table: grid spans as colspan, vertical merges as rowspan, short rows padded so the grid is rectangular. */
  #table(table: WordTable): BodyItem | null {
    const tracked: TrackedParagraph[] = [];
    const rows = table.rows.filter((row) => row.cells.length > 0);
    if (rows.length === 0) return null;
    // Grid column of each cell; a continuation cell is covered by the restart cell above it.
    const columns = rows.map((row) => {
      let column = row.gridBefore;
      return row.cells.map((cell) => {
        const at = column;
        column += cell.span;
        return at;
      });
    });
    const width = Math.max(...rows.map((row) => row.gridBefore + row.cells.reduce((sum, cell) => sum + cell.span, 0)));
    const covered = new Set<WordCell>();
    const rowspans = new Map<WordCell, number>();
    const extra = new Map<WordCell, WordCell[]>();
    rows.forEach((row, r) => {
      row.cells.forEach((cell, c) => {
        if (cell.vMerge !== 'restart') return;
        const column = (columns[r] as number[])[c] as number;
        let span = 1;
        for (let below = r + 1; below < rows.length; below += 1) {
          const index = (columns[below] as number[]).indexOf(column);
          const next = index < 0 ? undefined : (rows[below] as (typeof rows)[number]).cells[index];
          if (!next || next.vMerge !== 'continue') break;
          covered.add(next);
          if (next.blocks.length > 0) extra.set(cell, [...(extra.get(cell) ?? []), next]);
          span += 1;
        }
        rowspans.set(cell, span);
      });
    });
    const lines: string[] = [];
    let cellCount = 0;
    const rowNodes: NodeJSON[] = rows.map((row) => {
      const cellType = row.header ? 'table_header' : 'table_cell';
      const cells: NodeJSON[] = [];
      const empty = (colspan: number): NodeJSON => ({
        type: cellType,
        attrs: { colspan, rowspan: 1, colwidth: null },
        content: [{ type: 'paragraph', attrs: { pid: this.#pid() } }],
      });
      if (row.gridBefore > 0) cells.push(empty(row.gridBefore));
      let used = row.gridBefore;
      for (const cell of row.cells) {
        used += cell.span;
        if (covered.has(cell)) continue;
        const content = this.#cellContent(cell, tracked, row.header);
        for (const more of extra.get(cell) ?? []) {
          const moreContent = this.#cellContent(more, tracked, row.header);
          if (moreContent.some((node) => (node.content ?? []).length > 0)) content.push(...moreContent);
        }
        for (const paragraph of content) {
          lines.push(...mastheadLines((paragraph.content ?? []).map((node) => (node.type === 'hard_break' ? '\n' : node.type === 'text' ? (node.text as string) : '')).join('')));
        }
        cells.push({ type: cellType, attrs: { colspan: cell.span, rowspan: rowspans.get(cell) ?? 1, colwidth: null }, content });
        cellCount += 1;
      }
      if (used < width) cells.push(empty(width - used));
      return { type: 'table_row', content: cells };
    });
    return { kind: 'table', node: { type: 'table', content: rowNodes }, lines, tracked, cells: cellCount };
  }

  /** The body items in document order. */
  #items(): BodyItem[] {
    const items: BodyItem[] = [];
    const run: WordParagraph[] = [];
    const flush = (): void => {
      for (const logical of groupParagraphs(run.splice(0), this.#report)) {
        const item = this.#bodyItem(logical);
        if (item) items.push(item);
      }
    };
    for (const block of this.#input.body) {
      if (block.kind === 'paragraph') run.push(block);
      else {
        flush();
        this.#lettered = null;
        this.#bulletBase = null;
        const item = this.#table(block);
        if (item) items.push(item);
      }
    }
    flush();
    return items;
  }

  /** Builds the document. */
  build(): BuiltDocument {
    const items = this.#items();
    // The masthead test reads the leading plain paragraphs and tables.
    const leading: { item: BodyItem; at: number }[] = [];
    for (let at = 0; at < items.length && leading.length < 25; at += 1) {
      const item = items[at] as BodyItem;
      if (item.kind === 'inserted') continue;
      if (item.kind === 'block' && item.role !== 'paragraph') break;
      leading.push({ item, at });
    }
    const candidates: MastheadCandidate[] = leading.map(({ item }) =>
      item.kind === 'table'
        ? { lines: item.lines, allBold: false, titleStyle: false, table: true }
        : item.kind === 'block'
          ? {
              lines: mastheadLines(item.units.filter((unit) => unit.change?.kind !== 'insert').map(unitWording).join('')),
              allBold: item.styleBold || this.#allBold(item.units),
              titleStyle: item.titleStyle,
              table: false,
            }
          : { lines: [], allBold: false, titleStyle: false, table: false },
    );
    const fromPage = this.#input.pageHeader?.firstPage ?? [];
    const pageMasthead = fromPage.length > 0 ? recognizeMasthead(fromPage) : null;
    let masthead = recognizeMasthead(candidates);
    let firstPageHeaderUsed = 0;
    let headerAttrs: Partial<Record<HeaderField, string>> = {};
    if (masthead) {
      // The body's own masthead decides where the text starts; the page header only fills what it leaves blank.
      headerAttrs = { ...(pageMasthead?.fields ?? {}), ...masthead.fields };
      if (pageMasthead) firstPageHeaderUsed = pageMasthead.consumed;
    } else if (pageMasthead) {
      // The masthead begins in the page header and runs on into the body (session, agenda, the bold title), so the
      // two are read as one: header candidates first, which can never be the title.
      const joined = recognizeMasthead([...fromPage, ...candidates]);
      if (joined) {
        firstPageHeaderUsed = Math.min(fromPage.length, joined.consumed);
        headerAttrs = joined.fields;
        masthead = {
          fields: joined.fields,
          title: joined.title === null ? null : joined.title - fromPage.length,
          consumed: Math.max(0, joined.consumed - fromPage.length),
        };
      }
    }
    const running = this.#input.pageHeader?.runningSymbol ?? null;
    if ((headerAttrs.symbol ?? '') === '' && running !== null) headerAttrs = { ...headerAttrs, symbol: running };
    let titleItem: number | null = null;
    let bodyFrom = 0;
    if (Object.keys(headerAttrs).length > 0) this.#report.count('mastheadFields', Object.keys(headerAttrs).length);
    if (masthead) {
      if (masthead.title !== null) titleItem = (leading[masthead.title] as { at: number }).at;
      bodyFrom = masthead.consumed > 0 ? (leading[masthead.consumed - 1] as { at: number }).at + 1 : 0;
      for (let at = 0; at < bodyFrom; at += 1) {
        const item = items[at] as BodyItem;
        if (at !== titleItem && item.kind === 'block' && item.tracked.changes.length > 0) this.#report.lost('tracked changes in the masthead (not proposed)');
      }
    } else {
      const first = leading.slice(0, 3).find(({ item }) => item.kind === 'block' && item.titleStyle);
      if (first) titleItem = first.at;
    }

    const tracked: TrackedParagraph[] = [];
    let titleContent: NodeJSON[] = [];
    let titleText = '';
    if (titleItem !== null) {
      const item = items[titleItem] as Extract<BodyItem, { kind: 'block' }>;
      // The title holds text only: breaks read as spaces, footnotes are not kept there.
      const units = item.units.flatMap((unit): WordingUnit[] => {
        if (unit.kind === 'break') return [{ kind: 'text', text: ' ', format: { bold: false, italic: false, underline: false, href: null }, change: unit.change }];
        if (unit.kind === 'note') {
          if (unit.change?.kind !== 'insert') this.#report.lost('footnotes in the title');
          return [];
        }
        return [unit];
      });
      titleContent = this.#inline(this.#normalized(units), { dropBold: this.#allBold(units) });
      titleText = titleContent.map((node) => node.text ?? '').join('').trim();
      const entry = this.#tracked(item.tracked.index, null, units, item.tracked.pid);
      if (entry) tracked.push(entry);
    }

    const body: NodeJSON[] = [];
    let lettered: NodeJSON | null = null;
    let bullets: NodeJSON[] = [];
    const closeLists = (): void => {
      lettered = null;
      bullets = [];
    };
    items.forEach((item, at) => {
      if (at === titleItem) return;
      if (at < bodyFrom) return;
      if (item.kind === 'inserted') {
        tracked.push(item.tracked);
        return;
      }
      if (item.kind === 'table') {
        closeLists();
        tracked.push(...item.tracked);
        body.push(item.node);
        this.#report.count('tables');
        this.#report.count('tableCells', item.cells);
        return;
      }
      tracked.push(item.tracked);
      const units = this.#normalized(item.units);
      const paragraph = (type: string, attrs: Record<string, unknown> = {}): NodeJSON => {
        const content = this.#inline(units, { dropBold: type === 'heading' && this.#allBold(units) });
        return content.length > 0 ? { type, attrs: { pid: this.#pid(), ...attrs }, content } : { type, attrs: { pid: this.#pid(), ...attrs } };
      };
      switch (item.role) {
        case 'numbered':
          closeLists();
          body.push(paragraph('numbered_paragraph'));
          this.#report.count('numberedParagraphs');
          break;
        case 'heading':
          closeLists();
          body.push(paragraph('heading', { level: item.level }));
          this.#report.count('headings');
          break;
        case 'paragraph':
          closeLists();
          body.push(paragraph('paragraph'));
          this.#report.count('paragraphs');
          break;
        case 'lettered': {
          bullets = [];
          const entry: NodeJSON = { type: 'lettered_item', content: [paragraph('paragraph')] };
          if (!lettered) {
            lettered = { type: 'lettered_list', content: [] };
            body.push(lettered);
          }
          const items = lettered.content as NodeJSON[];
          const parent = items[items.length - 1];
          if (item.level >= 2 && parent) {
            const children = parent.content as NodeJSON[];
            const nested = children[1] ?? { type: 'lettered_list', content: [] };
            if (children.length < 2) children.push(nested);
            (nested.content as NodeJSON[]).push(entry);
          } else items.push(entry);
          this.#report.count('subparagraphs');
          break;
        }
        case 'bullet': {
          lettered = null;
          const entry: NodeJSON = { type: 'list_item', content: [paragraph('paragraph')] };
          if (bullets.length === 0) {
            const list: NodeJSON = { type: 'bullet_list', content: [] };
            body.push(list);
            bullets.push(list);
          }
          let depth = Math.min(item.level, bullets.length);
          if (depth === bullets.length) {
            const parentList = bullets[depth - 1] as NodeJSON;
            const parent = (parentList.content as NodeJSON[])[(parentList.content as NodeJSON[]).length - 1];
            if (parent) {
              const children = parent.content as NodeJSON[];
              const nested = children[1] ?? { type: 'bullet_list', content: [] };
              if (children.length < 2) children.push(nested);
              bullets.push(nested);
            } else depth -= 1;
          }
          bullets.length = depth + 1;
          ((bullets[depth] as NodeJSON).content as NodeJSON[]).push(entry);
          this.#report.count('bulletItems');
          break;
        }
      }
    });
    if (body.length === 0) body.push({ type: 'paragraph', attrs: { pid: this.#pid() } });
    this.#report.count('trackedParagraphs', tracked.filter((entry) => entry.changes.length > 0).length);
    const kept = keepForPlanning(tracked);
    this.#report.count('links', countLinks(titleContent) + body.reduce((sum, node) => sum + countLinks([node]), 0));

    const header: NodeJSON = {
      type: 'header',
      attrs: { ...headerAttrs },
      content: [titleContent.length > 0 ? { type: 'title', attrs: { pid: this.#pid() }, content: titleContent } : { type: 'title', attrs: { pid: this.#pid() } }],
    };
    return { doc: { type: 'doc', content: [header, ...body] }, title: titleText, tracked: kept, firstPageHeaderUsed };
  }
}

/** How many unchanged paragraphs before a wholly inserted one are kept, so it can be placed after one of them. */
export const ANCHOR_PARAGRAPHS = 3;

/**
 * The tracked paragraphs worth planning: those with changes, and before each wholly inserted paragraph the few
 * unchanged paragraphs that say where it goes. A file without tracked changes thus carries no tracked paragraphs.
 */
function keepForPlanning(all: readonly TrackedParagraph[]): TrackedParagraph[] {
  const keep = new Set<TrackedParagraph>();
  all.forEach((entry, at) => {
    if (entry.changes.length === 0 && entry.wholeParagraph === null) return;
    keep.add(entry);
    if (entry.wholeParagraph !== 'inserted') return;
    let anchors = 0;
    for (let back = at - 1; back >= 0 && anchors < ANCHOR_PARAGRAPHS; back -= 1) {
      const previous = all[back] as TrackedParagraph;
      if (previous.wholeParagraph === 'inserted') continue;
      keep.add(previous);
      anchors += 1;
    }
  });
  return all.filter((entry) => keep.has(entry));
}

/** How many runs of linked text a node list holds (adjacent nodes with the same href count once). */
function countLinks(nodes: readonly NodeJSON[]): number {
  let count = 0;
  let previous: string | null = null;
  const visit = (list: readonly NodeJSON[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        const href = node.marks?.find((mark) => mark.type === 'link')?.attrs?.['href'];
        const current = typeof href === 'string' ? href : null;
        if (current !== null && current !== previous) count += 1;
        previous = current;
      } else {
        previous = null;
        if (node.content) visit(node.content);
        previous = null;
      }
    }
  };
  visit(nodes);
  return count;
}
