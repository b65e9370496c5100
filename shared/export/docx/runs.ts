/**
 * Inline content as Word runs. A paragraph's content is first cut into pieces (text with its marks, line breaks,
 * footnotes), each tagged equal, insert or delete; {@link WordWriter} then writes them as plain runs, as formatted
 * runs (insertions bold-underlined, deletions struck through: the compilation) or as tracked changes (w:ins /
 * w:del with author and date: the comparison), and writes the paragraphs that hold them. Footnotes become real
 * Word footnotes, links become hyperlinks only for safe hrefs, and text is cleaned of the characters XML cannot
 * hold. The writer keeps what the package around the body must declare: footnotes, links and lists.
 */
import { Mark, type Fragment, type Node as ProseMirrorNode } from 'prosemirror-model';
import { isSafeHref } from '../../schema/marks/link.ts';
import { pidBookmarkName } from './bookmarks.ts';
import {
  BREAK,
  bookmarkEnd,
  bookmarkStart,
  FOOTNOTE_REF,
  footnote,
  footnoteReference,
  hyperlink,
  linkTarget,
  paragraph,
  run,
  runProperties,
  TAB,
  text as wordText,
  tracked,
  type Change,
  type ChangeKind,
  type ParagraphProperties,
  type RunFormat,
} from './wordml.ts';
import { xmlCharacters, type Xml } from './xml.ts';

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

/** Text made safe for a w:t: characters XML cannot carry dropped, carriage returns and newlines read as spaces. */
export function cleanText(text: string): string {
  return xmlCharacters(text).replace(/\r\n?|\n/g, ' ');
}

/** The content of a run for cleaned text: texts (deleted texts inside a deletion), each tab as a real w:tab. */
function textContent(clean: string, deleted: boolean): Xml[] {
  if (!clean.includes('\t')) return [wordText(clean, deleted)];
  const out: Xml[] = [];
  clean.split('\t').forEach((part, index) => {
    if (index > 0) out.push(TAB);
    if (part) out.push(wordText(part, deleted));
  });
  return out;
}

/** The run formatting of a set of marks (links are handled as hyperlinks around the runs). */
export function markFormat(marks: readonly Mark[]): RunFormat {
  const format: { bold?: boolean; italics?: boolean; underline?: boolean; style?: string } = {};
  for (const mark of marks) {
    switch (mark.type.name) {
      case 'bold':
        format.bold = true;
        break;
      case 'italic':
        format.italics = true;
        break;
      case 'underline':
        format.underline = true;
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

/** Options of {@link WordWriter.runs}. */
export interface RunOptions {
  /** How non-equal pieces are written; 'formatted' by default. */
  changes?: ChangeStyle;
  /** Formatting added to every run (a grey withdrawn proposal, a bold label). */
  base?: RunFormat;
}

/** A Word list a paragraph is numbered in: a numbering definition, its level, and which list of it (from 0). */
export interface ListReference {
  readonly reference: string;
  readonly level: number;
  readonly instance?: number;
}

/**
 * Paragraph properties as the exporters give them: the list by its numbering definition, not yet by its id, and the
 * pid of the textblock the paragraph writes (it gets a hidden bookmark naming it: ./bookmarks.ts).
 */
export type ParagraphOptions = Omit<ParagraphProperties, 'numbering'> & { readonly list?: ListReference; readonly pid?: string | null };

/** A part of the package that runs are written into; a hyperlink is a relationship of the part it is in. */
export type PackagePart = 'document' | 'footnotes';

/** An external hyperlink's relationship, for the package writer to declare. */
export interface LinkRelationship {
  readonly part: PackagePart;
  /** The relationship's name; its id, as the XML cites it, is `rId` and the name (as the `docx` library writes it). */
  readonly name: string;
  readonly target: string;
}

/** A Word list (a w:num of a numbering definition) the document uses, with the id its paragraphs cite. */
export interface ListUse {
  readonly reference: string;
  readonly instance: number;
  readonly numId: number;
}

/**
 * The first list id a document's own lists get: the `docx` library keeps 1 for its default bullets and numbers
 * the lists after it in the order they are first used, which is the order {@link WordWriter} meets them.
 */
const FIRST_LIST_ID = 2;

/**
 * Writes one Word document's paragraphs and runs, and keeps what they refer to for the package: the footnotes (ids
 * from 1, in the order they are written), the tracked changes and pid bookmarks (ids from one counter, so unique
 * across the document and its footnotes, as Word requires of annotations), the external hyperlinks and the lists
 * paragraphs are numbered in.
 */
export class WordWriter {
  /** The footnotes part's footnotes, in id order. */
  readonly footnotes: Xml[] = [];
  /** The hyperlinks' relationships, in the order written. */
  readonly links: LinkRelationship[] = [];
  /** The lists used, in the order first used. */
  readonly lists: ListUse[] = [];
  readonly #revision: RevisionAuthor | null;
  readonly #listIds = new Map<string, number>();
  /** The pid bookmarks written: a name Word must find once only (a moved paragraph's pid is met twice). */
  readonly #bookmarks = new Set<string>();
  #footnoteCount = 0;
  /** Ids given to tracked changes and bookmarks. */
  #annotationCount = 0;
  /** The part being written: footnote text goes to the footnotes part. */
  #part: PackagePart = 'document';

  constructor(revision: RevisionAuthor | null = null) {
    this.#revision = revision;
  }

  /** The attributes of the next tracked change. */
  change(): Change {
    if (this.#revision === null) throw new Error('docx export: a tracked change needs an author and a date');
    this.#annotationCount += 1;
    return { id: this.#annotationCount, author: this.#revision.author, date: this.#revision.date };
  }

  /** The id of a list, given on first use. */
  #listId(reference: string, instance: number): number {
    const key = `${reference}-${instance}`;
    let numId = this.#listIds.get(key);
    if (numId === undefined) {
      numId = FIRST_LIST_ID + this.lists.length;
      this.#listIds.set(key, numId);
      this.lists.push({ reference, instance, numId });
    }
    return numId;
  }

  /** A paragraph with `content` (its runs), inside the hidden bookmark naming `options.pid` when given. */
  paragraph(options: ParagraphOptions, content: readonly Xml[]): Xml {
    const { list, pid, ...rest } = options;
    const marked = pid ? this.#bookmarked(pid, content) : content;
    if (list === undefined) return paragraph(rest, marked);
    return paragraph({ ...rest, numbering: { numId: this.#listId(list.reference, list.instance ?? 0), level: list.level } }, marked);
  }

  /**
   * `content` inside the bookmark naming `pid`. It spans the text rather than marking one point: Word keeps a
   * bookmark that spans text through edits inside it, and a split paragraph keeps its start in the first part (the
   * start is what the import reads). It ends before the first footnote reference, if any: LibreOffice (7.4) puts
   * the end of a bookmark that spans a footnote one character early, splitting the text there, which moves a glyph
   * by its kerning; ending at a run boundary it already has leaves its layout exactly as without the bookmark.
   * A pid that cannot be named, or whose bookmark is already written, leaves the content as it is.
   */
  #bookmarked(pid: string, content: readonly Xml[]): readonly Xml[] {
    const name = pidBookmarkName(pid);
    if (name === null || this.#bookmarks.has(name)) return content;
    this.#bookmarks.add(name);
    this.#annotationCount += 1;
    const id = this.#annotationCount;
    const note = content.findIndex((xml) => xml.includes('<w:footnoteReference '));
    const end = note < 0 ? content.length : note;
    return [bookmarkStart(id, name), ...content.slice(0, end), bookmarkEnd(id), ...content.slice(end)];
  }

  /** The relationship id for a hyperlink to `target` in the part being written. */
  #link(target: string): string {
    const name = `Link${this.links.length + 1}`;
    this.links.push({ part: this.#part, name, target });
    return `rId${name}`;
  }

  /** The runs of `pieces`, links grouped into hyperlinks; a line break rides on the run of the text after it. */
  runs(pieces: readonly Piece[], options: RunOptions = {}): Xml[] {
    const out: Xml[] = [];
    let link: string | null = null;
    let linked: Xml[] = [];
    const flush = (): void => {
      if (link !== null && linked.length > 0) {
        const { target, anchor } = linkTarget(link);
        out.push(hyperlink(this.#link(target), anchor, linked));
      }
      link = null;
      linked = [];
    };
    let breaks = 0;
    let breakOp: Op = 'equal';
    const flushBreaks = (): void => {
      if (breaks === 0) return;
      flush();
      out.push(this.#run({ kind: 'break', op: breakOp }, options, breaks) as Xml);
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
      const written = this.#run(piece, options, carry);
      if (written === null) {
        if (carry > 0) {
          flush();
          out.push(this.#run({ kind: 'break', op: breakOp }, options, carry) as Xml);
        }
        continue;
      }
      if (href !== null) {
        link = href;
        linked.push(written);
      } else out.push(written);
    }
    flush();
    flushBreaks();
    return out;
  }

  /** One run; `breaks` line breaks come before its text. */
  #run(piece: Piece, options: RunOptions, breaks = 0): Xml | null {
    const changes = options.changes ?? 'formatted';
    const base = options.base ?? {};
    if (piece.kind === 'footnote') return this.#footnoteReference(piece, changes, base);
    const clean = piece.kind === 'text' ? cleanText(piece.text) : '';
    if (piece.kind === 'text' && clean === '') return null;
    const format: RunFormat = piece.kind === 'text' && piece.marks.length > 0 ? { ...base, ...markFormat(piece.marks) } : base;
    const trackedKind: ChangeKind | null = changes === 'tracked' && piece.op !== 'equal' ? piece.op : null;
    const content: Xml[] = [];
    for (let i = piece.kind === 'text' ? breaks : Math.max(1, breaks); i > 0; i -= 1) content.push(BREAK);
    if (piece.kind === 'text') content.push(...textContent(clean, trackedKind === 'delete'));
    if (piece.op === 'equal') {
      if (piece.kind === 'text' && piece.formerMarks !== undefined && changes === 'tracked') {
        // The words stayed, their formatting changed: a tracked formatting change (w:rPrChange).
        return run(runProperties(format, { change: this.change(), format: markFormat(piece.formerMarks) }), content);
      }
      return run(runProperties(format), content);
    }
    if (trackedKind !== null) return tracked(trackedKind, this.change(), [run(runProperties(format), content)]);
    return run(runProperties({ ...format, ...changeFormat(piece.op) }), content);
  }

  #footnoteReference(piece: FootnotePiece, changes: ChangeStyle, base: RunFormat): Xml {
    this.#footnoteCount += 1;
    const id = this.#footnoteCount;
    // The footnote's text belongs to the footnotes part (its links are that part's relationships).
    const part = this.#part;
    this.#part = 'footnotes';
    const content = this.runs(piece.content, { changes });
    this.#part = part;
    // The note's own number first, then a tab that puts the text at the hanging indent.
    const number = run(runProperties({ style: 'FootnoteReference' }), [FOOTNOTE_REF]);
    this.footnotes.push(footnote(id, [paragraph({ style: 'FootnoteText' }, [number, run(runProperties({}), [TAB]), ...content])]));
    if (piece.op === 'equal' || changes === 'formatted') return run(runProperties({ style: 'FootnoteReference' }), [footnoteReference(id)]);
    const reference = run(runProperties({ style: 'FootnoteReference', ...pick(base) }), [footnoteReference(id)]);
    return tracked(piece.op, this.change(), [reference]);
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
  if (op === 'insert') return { bold: true, underline: true };
  if (op === 'delete') return { strike: true };
  return {};
}
