/**
 * Inline content as Word runs. A paragraph's content is first cut into pieces (text with its marks, line breaks,
 * footnotes), each tagged equal, insert or delete; {@link RunWriter} then writes them as plain runs, as formatted
 * runs (insertions bold-underlined, deletions struck through: the compilation) or as tracked changes (w:ins /
 * w:del with author and date: the comparison). Footnotes become real Word footnotes, links become hyperlinks only
 * for safe hrefs, and text is cleaned of the characters XML cannot hold.
 */
import { Mark, type Fragment, type Node as ProseMirrorNode } from 'prosemirror-model';
import {
  DeletedTextRun,
  ExternalHyperlink,
  FootnoteReference,
  FootnoteReferenceRun,
  InsertedTextRun,
  Paragraph,
  Tab,
  TextRun,
  UnderlineType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import { isSafeHref } from '../../schema/marks/link.ts';

/** What happened to a piece between two versions (always 'equal' in a clean text). */
export type Op = 'equal' | 'insert' | 'delete';

/** A stretch of text and its marks. */
export interface TextPiece {
  readonly kind: 'text';
  readonly op: Op;
  readonly text: string;
  readonly marks: readonly Mark[];
  /** For equal text whose formatting changed: the marks it had before (written as a tracked formatting change). */
  readonly formerMarks?: readonly Mark[];
}

/** A hard line break. */
export interface BreakPiece {
  readonly kind: 'break';
  readonly op: Op;
}

/** A footnote: its reference in the text and its own content (whose pieces carry their own ops). */
export interface FootnotePiece {
  readonly kind: 'footnote';
  readonly op: Op;
  readonly content: readonly (TextPiece | BreakPiece)[];
}

/** One piece of a paragraph's inline content. */
export type Piece = TextPiece | BreakPiece | FootnotePiece;

/** The pieces of a textblock (or of a slice of its content), all tagged `op`. */
export function inlinePieces(node: ProseMirrorNode | Fragment, op: Op = 'equal'): Piece[] {
  const pieces: Piece[] = [];
  node.forEach((child) => {
    if (child.isText) pieces.push({ kind: 'text', op, text: child.text ?? '', marks: child.marks });
    else if (child.type.name === 'hard_break') pieces.push({ kind: 'break', op });
    else if (child.type.name === 'footnote') {
      const content: TextPiece[] = [];
      child.forEach((inner) => {
        if (inner.isText) content.push({ kind: 'text', op, text: inner.text ?? '', marks: inner.marks });
      });
      pieces.push({ kind: 'footnote', op, content });
    } else if (child.isInline) {
      // An inline node added to the schema later: keep its text rather than lose it.
      const text = child.textContent;
      if (text) pieces.push({ kind: 'text', op, text, marks: child.marks });
    }
  });
  return pieces;
}

/** Plain pieces of a string, for labels and notes. */
export function textPieces(text: string, op: Op = 'equal', marks: readonly Mark[] = []): TextPiece[] {
  return text === '' ? [] : [{ kind: 'text', op, text, marks }];
}

/** Characters XML 1.0 cannot carry (controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for a w:t: invalid characters dropped, carriage returns and newlines read as spaces. */
export function cleanText(text: string): string {
  return text.replace(NOT_XML, '').replace(/\r\n?|\n/g, ' ');
}

/** The children of a run for `text`: strings, with each tab as a real w:tab. */
function textChildren(text: string): (string | Tab)[] {
  const clean = cleanText(text);
  if (!clean.includes('\t')) return [clean];
  const out: (string | Tab)[] = [];
  clean.split('\t').forEach((part, index) => {
    if (index > 0) out.push(new Tab());
    if (part) out.push(part);
  });
  return out;
}

/** Run formatting of one run. */
type RunFormat = Omit<IRunOptions, 'children' | 'text' | 'break'>;

/** The run formatting of a set of marks (links are handled as hyperlinks around the runs). */
export function markFormat(marks: readonly Mark[]): RunFormat {
  const format: { bold?: boolean; italics?: boolean; underline?: { type: typeof UnderlineType.SINGLE }; style?: string } = {};
  for (const mark of marks) {
    switch (mark.type.name) {
      case 'bold':
        format.bold = true;
        break;
      case 'italic':
        format.italics = true;
        break;
      case 'underline':
        format.underline = { type: UnderlineType.SINGLE };
        break;
      case 'link':
        if (safeLink(mark) !== null) format.style = 'Hyperlink';
        break;
    }
  }
  return format;
}

/** The href of a link mark when it may become a hyperlink, else null (the text is kept, the link dropped). */
function safeLink(mark: Mark): string | null {
  const href = mark.attrs['href'];
  return typeof href === 'string' && isSafeHref(href) ? href.trim() : null;
}

/** The safe href among `marks`, if any. */
function linkOf(marks: readonly Mark[]): string | null {
  for (const mark of marks) if (mark.type.name === 'link') return safeLink(mark);
  return null;
}

/** Who made the tracked changes, and when (ISO 8601). */
export interface RevisionAuthor {
  readonly author: string;
  readonly date: string;
}

/**
 * How insertions and deletions are written: as formatting (bold-underlined and struck through, for reading) or as
 * tracked changes Word can accept or reject.
 */
export type ChangeStyle = 'formatted' | 'tracked';

/** Options of {@link RunWriter.runs}. */
export interface RunOptions {
  /** How non-equal pieces are written; 'formatted' by default. */
  changes?: ChangeStyle;
  /** Formatting added to every run (a grey withdrawn proposal, a bold label). */
  base?: RunFormat;
}

/**
 * Writes pieces as Word runs for one document: it numbers the footnotes (ids from 1, in the order they are
 * written) and the tracked changes (ids unique across the document and its footnotes, as Word requires).
 */
export class RunWriter {
  /** Footnote id -> content, for the document's footnotes part. */
  readonly footnotes: Record<string, { children: Paragraph[] }> = {};
  readonly #revision: RevisionAuthor | null;
  #footnoteCount = 0;
  #changeCount = 0;

  constructor(revision: RevisionAuthor | null = null) {
    this.#revision = revision;
  }

  /** The attributes of the next tracked change. */
  change(): { id: number; author: string; date: string } {
    if (this.#revision === null) throw new Error('docx export: a tracked change needs an author and a date');
    this.#changeCount += 1;
    return { id: this.#changeCount, author: this.#revision.author, date: this.#revision.date };
  }

  /** The runs of `pieces`, links grouped into hyperlinks; a line break rides on the run of the text after it. */
  runs(pieces: readonly Piece[], options: RunOptions = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    let link: string | null = null;
    let linked: ParagraphChild[] = [];
    const flush = (): void => {
      if (link !== null && linked.length > 0) out.push(new ExternalHyperlink({ link, children: linked }));
      link = null;
      linked = [];
    };
    let breaks = 0;
    let breakOp: Op = 'equal';
    const flushBreaks = (): void => {
      if (breaks === 0) return;
      flush();
      out.push(this.#run({ kind: 'break', op: breakOp }, options, breaks) as ParagraphChild);
      breaks = 0;
    };
    for (const piece of merged(pieces)) {
      if (piece.kind === 'break') {
        if (breaks > 0 && piece.op !== breakOp) flushBreaks();
        breakOp = piece.op;
        breaks += 1;
        continue;
      }
      const href = piece.kind === 'text' ? linkOf(piece.marks) : null;
      // Breaks go before the next run when it is plain text of the same change; otherwise they stand alone.
      const carry = breaks > 0 && piece.kind === 'text' && piece.op === breakOp && href === null && piece.formerMarks === undefined ? breaks : 0;
      if (carry === 0) flushBreaks();
      else breaks = 0;
      if (href !== link) flush();
      const run = this.#run(piece, options, carry);
      if (run === null) {
        if (carry > 0) {
          flush();
          out.push(this.#run({ kind: 'break', op: breakOp }, options, carry) as ParagraphChild);
        }
        continue;
      }
      if (href !== null) {
        link = href;
        linked.push(run);
      } else out.push(run);
    }
    flush();
    flushBreaks();
    return out;
  }

  /** One run; `breaks` line breaks come before its text. */
  #run(piece: Piece, options: RunOptions, breaks = 0): ParagraphChild | null {
    const changes = options.changes ?? 'formatted';
    const base = options.base ?? {};
    if (piece.kind === 'footnote') return this.#footnoteReference(piece, changes, base);
    const format: RunFormat = piece.kind === 'text' ? { ...base, ...markFormat(piece.marks) } : { ...base };
    const content: Pick<IRunOptions, 'children' | 'break'> =
      piece.kind === 'text' ? { children: textChildren(piece.text), ...(breaks > 0 ? { break: breaks } : {}) } : { break: Math.max(1, breaks) };
    if (piece.kind === 'text' && cleanText(piece.text) === '') return null;
    if (piece.op === 'equal') {
      if (piece.kind === 'text' && piece.formerMarks !== undefined && changes === 'tracked') {
        // The words stayed, their formatting changed: a tracked formatting change (w:rPrChange).
        return new TextRun({ ...format, ...content, revision: { ...this.change(), ...markFormat(piece.formerMarks) } });
      }
      return new TextRun({ ...format, ...content });
    }
    if (changes === 'tracked') {
      return piece.op === 'insert'
        ? new InsertedTextRun({ ...format, ...content, ...this.change() })
        : new DeletedTextRun({ ...format, ...content, ...this.change() });
    }
    return new TextRun({ ...format, ...content, ...changeFormat(piece.op) });
  }

  #footnoteReference(piece: FootnotePiece, changes: ChangeStyle, base: RunFormat): ParagraphChild {
    this.#footnoteCount += 1;
    const id = this.#footnoteCount;
    // The footnote's own number is added by docx before the first run; a tab puts the text at the hanging indent.
    this.footnotes[String(id)] = {
      children: [new Paragraph({ style: 'FootnoteText', children: [new TextRun({ children: [new Tab()] }), ...this.runs(piece.content, { changes })] })],
    };
    if (piece.op === 'equal' || changes === 'formatted') return new FootnoteReferenceRun(id);
    const reference = { style: 'FootnoteReference', children: [new FootnoteReference(id)], ...pick(base) };
    return piece.op === 'insert' ? new InsertedTextRun({ ...reference, ...this.change() }) : new DeletedTextRun({ ...reference, ...this.change() });
  }
}

/** Adjacent text pieces of one change and one set of marks joined, so Word gets one run where one will do. */
function merged(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (
      piece.kind === 'text' &&
      last?.kind === 'text' &&
      last.op === piece.op &&
      last.formerMarks === undefined &&
      piece.formerMarks === undefined &&
      Mark.sameSet(last.marks, piece.marks)
    ) {
      out[out.length - 1] = { ...last, text: last.text + piece.text };
    } else out.push(piece);
  }
  return out;
}

/** Nothing of the base formatting applies to a footnote number except its colour. */
function pick(base: RunFormat): RunFormat {
  return base.color === undefined ? {} : { color: base.color };
}

/** How an insertion or deletion reads in a compilation: insertions bold-underlined, deletions struck through. */
export function changeFormat(op: Op): RunFormat {
  if (op === 'insert') return { bold: true, underline: { type: UnderlineType.SINGLE } };
  if (op === 'delete') return { strike: true };
  return {};
}
