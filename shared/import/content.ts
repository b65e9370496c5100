/**
 * Reads WordprocessingML block content (the body of word/document.xml, or each note of footnotes.xml) into a
 * small model: paragraphs made of pieces (text with formatting, line breaks, note references), each piece tagged
 * with the tracked change it belongs to, and tables. Everything the schema cannot hold is skipped whole and
 * counted in the report.
 */
import { pidFromBookmarkName } from '../export/docx/bookmarks.ts';
import { isSafeHref } from '../schema/marks/link.ts';
import { DocxImportError } from './errors.ts';
import type { Relationship } from './package.ts';
import type { ReportBuilder } from './report.ts';
import { onOff, readRunProperty, type NumberingRef, type RunFormat, type StyleSheet } from './styles.ts';
import type { XmlAttrs, XmlSink } from './xml.ts';

/** Word's page-numbering fields: the house format numbers its pages itself, so losing them loses nothing. */
const PAGE_NUMBER_FIELDS: ReadonlySet<string> = new Set(['PAGE', 'NUMPAGES', 'SECTIONPAGES']);

/** The report entry for page-numbering fields (left out of what page headers and footers are said to lose). */
export const PAGE_NUMBERS_NOT_KEPT = 'page number fields (the number shown was kept as text; Penholder numbers pages itself)';

/** A tracked change as Word records it. */
export interface Change {
  kind: 'insert' | 'delete';
  author: string;
  /** ISO date as written, or null when the file gives none. */
  date: string | null;
}

/** The marks of a text piece; `href` is set only for a safe link. */
export interface InlineFormat {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  href: string | null;
}

/** One piece of a paragraph's content. */
export type Piece =
  | { kind: 'text'; text: string; format: InlineFormat; change: Change | null }
  | { kind: 'break'; change: Change | null }
  | { kind: 'note'; id: string; endnote: boolean; change: Change | null };

/** One w:p. */
export interface WordParagraph {
  kind: 'paragraph';
  /** Position among the part's paragraphs, in document order (0-based). */
  index: number;
  styleId: string | null;
  /** Direct numbering (numId "0" switches a style's numbering off), or null to take the style's. */
  numbering: NumberingRef | null;
  /** Direct outline level, or null to take the style's. */
  outline: number | null;
  pieces: Piece[];
  /** A tracked insertion or deletion of the paragraph mark (the paragraph's end). */
  markChange: Change | null;
  /**
   * The pid Penholder's export named it with (a hidden "_ph_" bookmark starting in it, or just before it outside
   * any paragraph), or null: none, or the same pid claimed by two paragraphs of the file, which says nothing sure.
   */
  pid: string | null;
}

/** One w:tbl. */
export interface WordTable {
  kind: 'table';
  rows: WordRow[];
}

/** One w:tr. */
export interface WordRow {
  header: boolean;
  /** Grid columns left empty before the first cell (w:gridBefore). */
  gridBefore: number;
  cells: WordCell[];
}

/** One w:tc. */
export interface WordCell {
  /** Grid columns spanned (w:gridSpan). */
  span: number;
  /** Vertical merge: the first cell of a merged column ('restart') or a continuation below it. */
  vMerge: 'restart' | 'continue' | null;
  blocks: WordBlock[];
}

/** A block of Word content. */
export type WordBlock = WordParagraph | WordTable;

/** The page headers and footers one section (w:sectPr) of the body refers to. */
export interface WordSection {
  /** Relationship ids of its headers by type ("first", "default", "even"). */
  headers: Map<string, string>;
  /** Relationship ids of its footers by type. */
  footers: Map<string, string>;
  /** Whether its first page has its own header and footer (w:titlePg). */
  titlePage: boolean;
}

/** What the reader needs from the rest of the import. */
export interface ContentContext {
  styles: StyleSheet;
  rels: ReadonlyMap<string, Relationship>;
  report: ReportBuilder;
  /** Refuses the file when paragraphs and cells together pass this many. */
  maxBlocks: number;
}

/** Elements skipped whole, with what the report calls them ('' = skipped silently). */
const SKIPPED: ReadonlyMap<string, string> = new Map([
  ['w:drawing', 'images'],
  ['w:pict', 'images'],
  ['w:object', 'embedded objects (charts, spreadsheets)'],
  ['m:oMath', 'equations'],
  ['m:oMathPara', 'equations'],
  ['w:altChunk', 'embedded documents (altChunk)'],
  ['w:txbxContent', 'text boxes'],
  ['w:pPrChange', 'tracked formatting changes (not proposed)'],
  ['w:rPrChange', 'tracked formatting changes (not proposed)'],
  ['w:tblPrChange', 'tracked formatting changes (not proposed)'],
  ['w:tcPrChange', 'tracked formatting changes (not proposed)'],
  ['w:trPrChange', 'tracked formatting changes (not proposed)'],
  ['w:sectPrChange', ''],
  ['w:numberingChange', ''],
  ['mc:Choice', ''],
  ['w:sectPr', ''],
  ['w:tblPr', ''],
  ['w:tblGrid', ''],
  ['w:sdtPr', ''],
  ['w:sdtEndPr', ''],
  ['w:rt', ''],
  ['w:fldData', ''],
]);

const PLAIN: InlineFormat = { bold: false, italic: false, underline: false, href: null };

/** The target of a HYPERLINK field instruction (`HYPERLINK "https://..." \o "tip"`), or null for a local anchor. */
export function hyperlinkFieldTarget(instruction: string): { href: string | null; anchor: boolean } | null {
  const match = /^\s*HYPERLINK\b(.*)$/is.exec(instruction);
  if (!match) return null;
  const rest = match[1] as string;
  if (/\\l\b/.test(rest.replace(/"[^"]*"/g, ''))) return { href: null, anchor: true };
  const quoted = /"([^"]*)"/.exec(rest);
  const bare = /^\s*([^\s\\"]+)/.exec(rest);
  const href = quoted ? (quoted[1] as string) : bare ? (bare[1] as string) : null;
  return { href, anchor: false };
}

interface FieldState {
  instruction: string;
  phase: 'instruction' | 'result';
  /** The safe link the result is, if the field is a HYPERLINK. */
  href: string | null;
}

/**
 * A sink for document.xml (`notes` false) or footnotes/endnotes.xml (`notes` true: each w:footnote/w:endnote is
 * read into its own block list).
 */
export class ContentReader implements XmlSink {
  /** The body's blocks (document.xml). */
  readonly body: WordBlock[] = [];
  /** Each note's blocks by id (footnotes.xml, endnotes.xml). */
  readonly notes = new Map<string, WordBlock[]>();
  /** The body's sections in document order, the last one being the body's own w:sectPr (document.xml only). */
  readonly sections: WordSection[] = [];

  readonly #context: ContentContext;
  readonly #notes: boolean;
  readonly #stack: string[] = [];
  readonly #containers: WordBlock[][] = [];
  readonly #tables: WordTable[] = [];
  readonly #paragraphs: WordParagraph[] = [];
  readonly #changes: Change[] = [];
  /** Open hyperlinks: the safe href, or null for one kept as text. */
  readonly #links: (string | null)[] = [];
  readonly #fields: FieldState[] = [];
  #blocks = 0;
  #paragraphIndex = 0;
  /** A pid bookmark that started outside any paragraph: it belongs to the next paragraph. */
  #pendingPid: string | null = null;
  /** The paragraphs each pid bookmark was found in (body only). */
  readonly #pidHolders = new Map<string, WordParagraph[]>();
  /** Depth of the element being skipped whole (0: not skipping), its report label and what was seen inside. */
  #skip = { depth: 0, what: '', sample: '', textbox: false };
  /** The section whose w:sectPr is being skipped (its header and footer references are still read). */
  #section: WordSection | null = null;
  #run: { format: RunFormat; style: string | null; fieldChar: boolean } | null = null;
  #capture: 'text' | 'instruction' | null = null;
  #captured = '';

  constructor(context: ContentContext, notes: boolean) {
    this.#context = context;
    this.#notes = notes;
    if (!notes) this.#containers.push(this.body);
  }

  #parent(level = 1): string | undefined {
    return this.#stack[this.#stack.length - level];
  }

  #countBlock(): void {
    this.#blocks += 1;
    if (this.#blocks > this.#context.maxBlocks) {
      throw new DocxImportError(
        'too-complex',
        `This Word file has more than ${this.#context.maxBlocks} paragraphs and table cells, more than a negotiating text can hold; split it into several documents.`,
      );
    }
  }

  #changeFrom(attrs: XmlAttrs, kind: Change['kind']): Change {
    const date = attrs['w:date'];
    return { kind, author: (attrs['w:author'] ?? '').trim() || 'Unknown author', date: date && date.trim() !== '' ? date.trim() : null };
  }

  open(name: string, attrs: XmlAttrs): void {
    if (this.#skip.depth > 0) {
      // Only direct children of the section: a w:sectPrChange holds the section as it was before, not as it is.
      if (this.#section && this.#skip.depth === 1) this.#sectionProperty(this.#section, name, attrs);
      this.#skip.depth += 1;
      if (name === 'w:txbxContent') this.#skip.textbox = true;
      if (name === 'w:t' || name === 'm:t') this.#capture = 'text';
      this.#stack.push(name);
      return;
    }
    const skipped = SKIPPED.get(name);
    if (skipped !== undefined) {
      this.#skip = { depth: 1, what: skipped, sample: '', textbox: name === 'w:txbxContent' };
      this.#section = null;
      if (name === 'w:sectPr' && !this.#notes) {
        this.#section = { headers: new Map(), footers: new Map(), titlePage: false };
        this.sections.push(this.#section);
      }
      this.#stack.push(name);
      return;
    }
    const parent = this.#parent();
    this.#stack.push(name);
    switch (name) {
      case 'w:footnote':
      case 'w:endnote': {
        if (!this.#notes) break;
        const type = attrs['w:type'];
        const id = attrs['w:id'];
        if ((type !== undefined && type !== 'normal') || id === undefined) {
          this.#startSkip('');
          break;
        }
        const blocks: WordBlock[] = [];
        if (!this.notes.has(id)) this.notes.set(id, blocks);
        this.#containers.push(blocks);
        break;
      }
      case 'w:p': {
        this.#countBlock();
        const paragraph: WordParagraph = {
          kind: 'paragraph',
          index: this.#paragraphIndex,
          styleId: null,
          numbering: null,
          outline: null,
          pieces: [],
          markChange: null,
          pid: null,
        };
        this.#paragraphs.push(paragraph);
        this.#paragraphIndex += 1;
        if (this.#pendingPid !== null) {
          this.#claimPid(paragraph, this.#pendingPid);
          this.#pendingPid = null;
        }
        break;
      }
      case 'w:bookmarkStart': {
        // Only Penholder's own pid bookmarks, only in the body: every other bookmark is the author's business.
        if (this.#notes) break;
        const pid = pidFromBookmarkName(attrs['w:name'] ?? '');
        if (pid === null) break;
        const paragraph = this.#current;
        if (paragraph) this.#claimPid(paragraph, pid);
        else this.#pendingPid ??= pid;
        break;
      }
      case 'w:pStyle':
        if (parent === 'w:pPr' && this.#current) this.#current.styleId = attrs['w:val'] ?? null;
        break;
      case 'w:numId':
      case 'w:ilvl':
        if (parent === 'w:numPr' && this.#parent(3) === 'w:pPr' && this.#current) {
          const numbering = this.#current.numbering ?? { numId: '', ilvl: 0 };
          if (name === 'w:numId') numbering.numId = attrs['w:val'] ?? '';
          else numbering.ilvl = Math.min(8, Math.max(0, Number(attrs['w:val']) || 0));
          this.#current.numbering = numbering;
        }
        break;
      case 'w:outlineLvl':
        if (parent === 'w:pPr' && this.#current) {
          const level = Number(attrs['w:val']);
          this.#current.outline = Number.isInteger(level) && level >= 0 && level <= 8 ? level : null;
        }
        break;
      case 'w:ins':
      case 'w:del':
      case 'w:moveFrom':
      case 'w:moveTo': {
        const kind = name === 'w:ins' || name === 'w:moveTo' ? 'insert' : 'delete';
        if (parent === 'w:rPr' && this.#parent(3) === 'w:pPr') {
          if (this.#current) this.#current.markChange = this.#changeFrom(attrs, kind);
        } else if (parent === 'w:trPr') {
          this.#context.report.lost('tracked insertions or deletions of table rows (not proposed)');
        } else if (parent !== 'w:rPr' && parent !== 'w:numPr' && parent !== 'w:tcPr') {
          this.#changes.push(this.#changeFrom(attrs, kind));
          // Tracked changes inside notes are not proposals; the note keeps its original text.
          if (this.#notes) this.#context.report.lost('tracked changes inside footnotes (the original text was kept, not proposed)');
          else this.#context.report.count('trackedChanges');
        }
        break;
      }
      case 'w:cellIns':
      case 'w:cellDel':
        this.#context.report.lost('tracked insertions or deletions of table cells (not proposed)');
        break;
      case 'w:hyperlink':
        this.#links.push(this.#hyperlink(attrs));
        break;
      case 'w:fldSimple': {
        const field: FieldState = { instruction: attrs['w:instr'] ?? '', phase: 'result', href: null };
        field.href = this.#fieldResult(field.instruction);
        this.#fields.push(field);
        break;
      }
      case 'w:r':
        this.#run = { format: {}, style: null, fieldChar: false };
        break;
      case 'w:rStyle':
        if (parent === 'w:rPr' && this.#parent(3) === 'w:r' && this.#run) this.#run.style = attrs['w:val'] ?? null;
        break;
      case 'w:t':
      case 'w:delText':
        if (this.#run) {
          this.#capture = 'text';
          this.#captured = '';
        }
        break;
      case 'w:instrText':
      case 'w:delInstrText': {
        const field = this.#fields[this.#fields.length - 1];
        if (field && field.phase === 'instruction') {
          this.#capture = 'instruction';
          this.#captured = '';
        }
        break;
      }
      case 'w:fldChar':
        this.#fieldChar(attrs['w:fldCharType'] ?? '');
        break;
      case 'w:tab':
      case 'w:ptab':
        if (parent === 'w:r') this.#emitText('\t');
        break;
      case 'w:noBreakHyphen':
        this.#emitText('\u2011');
        break;
      case 'w:br':
      case 'w:cr': {
        const type = attrs['w:type'];
        if (name === 'w:br' && (type === 'page' || type === 'column')) this.#context.report.lost('page and column breaks');
        else this.#emitBreak();
        break;
      }
      case 'w:sym':
        this.#context.report.lost('symbols from special fonts (Symbol, Wingdings)', attrs['w:font']);
        break;
      case 'w:footnoteReference':
      case 'w:endnoteReference': {
        const id = attrs['w:id'];
        const paragraph = this.#current;
        if (id !== undefined && paragraph && !this.#notes && !this.#hiddenRun()) {
          paragraph.pieces.push({ kind: 'note', id, endnote: name === 'w:endnoteReference', change: this.#change });
        }
        break;
      }
      case 'w:commentReference':
        this.#context.report.lost('comments');
        break;
      case 'w:tbl': {
        if (this.#notes) this.#context.report.lost('tables inside footnotes (their text was kept)');
        const table: WordTable = { kind: 'table', rows: [] };
        this.#container?.push(table);
        this.#tables.push(table);
        break;
      }
      case 'w:tr': {
        const table = this.#tables[this.#tables.length - 1];
        table?.rows.push({ header: false, gridBefore: 0, cells: [] });
        break;
      }
      case 'w:tblHeader':
        if (parent === 'w:trPr' && onOff(attrs)) {
          const row = this.#row;
          if (row) row.header = true;
        }
        break;
      case 'w:gridBefore':
        if (parent === 'w:trPr') {
          const row = this.#row;
          if (row) row.gridBefore = Math.min(63, Math.max(0, Math.floor(Number(attrs['w:val'])) || 0));
        }
        break;
      case 'w:tc': {
        this.#countBlock();
        const cell: WordCell = { span: 1, vMerge: null, blocks: [] };
        const row = this.#row;
        if (row) row.cells.push(cell);
        this.#containers.push(cell.blocks);
        break;
      }
      case 'w:gridSpan':
        if (parent === 'w:tcPr') {
          const cell = this.#cell;
          if (cell) cell.span = clampSpan(attrs['w:val']);
        }
        break;
      case 'w:vMerge':
        if (parent === 'w:tcPr') {
          const cell = this.#cell;
          if (cell) cell.vMerge = attrs['w:val'] === 'restart' ? 'restart' : 'continue';
        }
        break;
      case 'w:hMerge':
        if (parent === 'w:tcPr') this.#context.report.lost('old-style horizontal cell merges');
        break;
      default:
        if (parent === 'w:rPr' && this.#parent(3) === 'w:r' && this.#run) readRunProperty(name, attrs, this.#run.format);
        break;
    }
  }

  close(name: string): void {
    this.#stack.pop();
    if (this.#skip.depth > 0) {
      if ((name === 'w:t' || name === 'm:t') && this.#capture === 'text') this.#capture = null;
      this.#skip.depth -= 1;
      if (this.#skip.depth === 0) {
        this.#section = null;
        const what = this.#skip.textbox ? 'text boxes' : this.#skip.what;
        if (what !== '') this.#context.report.lost(what, this.#skip.sample || undefined);
        this.#captured = '';
      }
      return;
    }
    switch (name) {
      case 'w:footnote':
      case 'w:endnote':
        if (this.#notes) this.#containers.pop();
        break;
      case 'w:p': {
        const paragraph = this.#paragraphs.pop();
        if (paragraph) this.#container?.push(paragraph);
        break;
      }
      case 'w:ins':
      case 'w:del':
      case 'w:moveFrom':
      case 'w:moveTo': {
        const parent = this.#parent();
        if (parent !== 'w:rPr' && parent !== 'w:trPr' && parent !== 'w:numPr' && parent !== 'w:tcPr') this.#changes.pop();
        break;
      }
      case 'w:hyperlink':
        this.#links.pop();
        break;
      case 'w:fldSimple':
        this.#fields.pop();
        break;
      case 'w:r':
        this.#run = null;
        break;
      case 'w:t':
      case 'w:delText':
        if (this.#capture === 'text') {
          this.#capture = null;
          this.#emitText(this.#captured);
          this.#captured = '';
        }
        break;
      case 'w:instrText':
      case 'w:delInstrText': {
        const field = this.#fields[this.#fields.length - 1];
        if (this.#capture === 'instruction' && field) field.instruction += this.#captured;
        this.#capture = null;
        this.#captured = '';
        break;
      }
      case 'w:tbl':
        this.#tables.pop();
        break;
      case 'w:tc':
        this.#containers.pop();
        break;
      default:
        break;
    }
  }

  text(text: string): void {
    if (this.#capture === null) return;
    if (this.#skip.depth > 0) {
      if (this.#skip.sample.length < 100) this.#skip.sample += text;
      return;
    }
    this.#captured += text;
  }

  /**
   * Closes what a damaged structure left open (none in a valid file), so no content is dropped, and drops a pid
   * that more than one paragraph claims (Word never writes two bookmarks of one name; such a file was altered).
   */
  finish(): void {
    while (this.#paragraphs.length > 0) {
      const paragraph = this.#paragraphs.pop() as WordParagraph;
      this.#container?.push(paragraph);
    }
    for (const holders of this.#pidHolders.values()) {
      if (holders.length > 1) for (const paragraph of holders) paragraph.pid = null;
    }
  }

  /** Reads one child of a w:sectPr: a header or footer reference, or the first-page switch. */
  #sectionProperty(section: WordSection, name: string, attrs: XmlAttrs): void {
    if (name === 'w:titlePg') section.titlePage = onOff(attrs);
    else if (name === 'w:headerReference' || name === 'w:footerReference') {
      const id = attrs['r:id'];
      const type = attrs['w:type'] ?? 'default';
      const references = name === 'w:headerReference' ? section.headers : section.footers;
      if (id !== undefined && !references.has(type)) references.set(type, id);
    }
  }

  /** Names `paragraph` with `pid`, unless a bookmark starting earlier in it already did. */
  #claimPid(paragraph: WordParagraph, pid: string): void {
    if (paragraph.pid !== null) return;
    paragraph.pid = pid;
    const holders = this.#pidHolders.get(pid);
    if (holders) holders.push(paragraph);
    else this.#pidHolders.set(pid, [paragraph]);
  }

  get #current(): WordParagraph | undefined {
    return this.#paragraphs[this.#paragraphs.length - 1];
  }

  get #container(): WordBlock[] | undefined {
    return this.#containers[this.#containers.length - 1];
  }

  get #row(): WordRow | undefined {
    const table = this.#tables[this.#tables.length - 1];
    return table?.rows[table.rows.length - 1];
  }

  get #cell(): WordCell | undefined {
    const row = this.#row;
    return row?.cells[row.cells.length - 1];
  }

  get #change(): Change | null {
    return this.#changes[this.#changes.length - 1] ?? null;
  }

  #startSkip(what: string): void {
    this.#skip = { depth: 1, what, sample: '', textbox: false };
    this.#section = null;
  }

  /** The safe href of a w:hyperlink, or null (text only) after reporting why. */
  #hyperlink(attrs: XmlAttrs): string | null {
    const id = attrs['r:id'];
    if (id === undefined) {
      if (attrs['w:anchor'] !== undefined) this.#context.report.lost('links to places inside the document (kept as plain text)', attrs['w:anchor']);
      return null;
    }
    const rel = this.#context.rels.get(id);
    if (!rel || !rel.external) {
      this.#context.report.lost('links with a missing or internal target (kept as plain text)', rel?.target);
      return null;
    }
    return this.#safeHref(rel.target);
  }

  #safeHref(href: string): string | null {
    if (isSafeHref(href)) return href.trim();
    this.#context.report.lost('unsafe links such as javascript:, data: or file: (kept as plain text)', href);
    return null;
  }

  /** The href a field's result links to (HYPERLINK fields), reporting other fields as kept as displayed text. */
  #fieldResult(instruction: string): string | null {
    const link = hyperlinkFieldTarget(instruction);
    if (link === null) {
      const type = (/^\s*(\w+)/.exec(instruction)?.[1] ?? '').toUpperCase();
      if (PAGE_NUMBER_FIELDS.has(type)) this.#context.report.lost(PAGE_NUMBERS_NOT_KEPT, type);
      else if (type !== '') this.#context.report.lost('fields such as cross-references or dates (the text they showed was kept)', type);
      return null;
    }
    if (link.anchor || link.href === null) {
      this.#context.report.lost('links to places inside the document (kept as plain text)');
      return null;
    }
    return this.#safeHref(link.href);
  }

  #fieldChar(type: string): void {
    if (type === 'begin') this.#fields.push({ instruction: '', phase: 'instruction', href: null });
    else if (type === 'separate') {
      const field = this.#fields[this.#fields.length - 1];
      if (field && field.phase === 'instruction') {
        field.phase = 'result';
        field.href = this.#fieldResult(field.instruction);
      }
    } else if (type === 'end') {
      const field = this.#fields.pop();
      // A field without a result (no separate) shows nothing; its instruction is not text.
      if (field && field.phase === 'instruction') this.#fieldResult(field.instruction);
    }
  }

  #hiddenRun(): boolean {
    const run = this.#run;
    if (!run) return false;
    const hidden = run.format.hidden ?? (run.style !== null ? this.#context.styles.character(run.style).hidden : undefined);
    return hidden === true;
  }

  /** The marks of the current run: direct formatting over its character style, inside the innermost link. */
  #format(text: string): InlineFormat {
    const run = this.#run;
    let href: string | null = null;
    for (let index = this.#fields.length - 1; index >= 0 && href === null; index -= 1) href = (this.#fields[index] as FieldState).href;
    for (let index = this.#links.length - 1; index >= 0 && href === null; index -= 1) href = this.#links[index] as string | null;
    if (!run) return href === null ? PLAIN : { ...PLAIN, href };
    const style: RunFormat = run.style !== null ? this.#context.styles.character(run.style) : {};
    const direct = run.format;
    const pick = (key: keyof RunFormat): boolean => direct[key] ?? style[key] ?? false;
    const report = this.#context.report;
    if (text.trim() !== '') {
      if (pick('strike')) report.lost('strikethrough (the text was kept)', text);
      if (pick('shifted')) report.lost('superscript and subscript (the text was kept)', text);
      if (pick('highlight')) report.lost('highlighting (the text was kept)', text);
    }
    const inLink = this.#links.length > 0 || this.#fields.some((field) => field.href !== null);
    return {
      bold: pick('bold'),
      italic: pick('italic'),
      // The Hyperlink character style underlines every link; only a direct underline is the author's.
      underline: inLink ? (direct.underline ?? false) : pick('underline'),
      href,
    };
  }

  #emitText(text: string): void {
    const paragraph = this.#current;
    if (!paragraph || text === '') return;
    const field = this.#fields[this.#fields.length - 1];
    if (field && field.phase === 'instruction') return;
    if (this.#hiddenRun()) {
      if (text.trim() !== '') this.#context.report.lost('hidden text (left out)', text);
      return;
    }
    const format = this.#format(text);
    const change = this.#change;
    const last = paragraph.pieces[paragraph.pieces.length - 1];
    if (last && last.kind === 'text' && last.change === change && sameFormat(last.format, format)) last.text += text;
    else paragraph.pieces.push({ kind: 'text', text, format, change });
  }

  #emitBreak(): void {
    const paragraph = this.#current;
    const field = this.#fields[this.#fields.length - 1];
    if (!paragraph || (field && field.phase === 'instruction') || this.#hiddenRun()) return;
    paragraph.pieces.push({ kind: 'break', change: this.#change });
  }
}

function sameFormat(a: InlineFormat, b: InlineFormat): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.href === b.href;
}

/** A span count from the file, kept between 1 and 63 (Word's column limit). */
function clampSpan(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 63) : 1;
}
