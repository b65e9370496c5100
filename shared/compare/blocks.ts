/**
 * The comparable units of a document: every textblock (title, headings, paragraphs, numbered paragraphs, and the
 * paragraphs inside lettered items, bullet items and table cells) in document order, with its pid, its computed
 * number and its text. Footnotes are compared as part of the paragraph that cites them, between markers.
 */
import type { Mark, Node as ProseMirrorNode } from 'prosemirror-model';
import { analyzeDocument } from '../model/analyze.ts';
import { tokenize, type TokenizedText } from './words.ts';

/** Opens a footnote's text inside a paragraph's compared text (U+27E6, not typed in UN documents). */
export const FOOTNOTE_OPEN = '\u27e6';
/** Closes a footnote's text inside a paragraph's compared text (U+27E7). */
export const FOOTNOTE_CLOSE = '\u27e7';
/** Stands for a hard line break inside a paragraph's compared text. */
export const LINE_BREAK = '\n';

/** One textblock of a document as the comparison sees it. */
export interface ComparedBlock {
  /** The block's pid; null when it has none (or repeats one already seen, which the pid plugin never allows). */
  pid: string | null;
  /** The node type name: 'title', 'heading', 'paragraph' or 'numbered_paragraph'. */
  type: string;
  /** The heading level, for headings. */
  level?: number;
  /** The computed label: "23" or "23 bis" for a numbered paragraph, "A." for a section, "23 (a)" for a sub-paragraph. */
  number?: string;
  /** The text, with footnotes between {@link FOOTNOTE_OPEN} and {@link FOOTNOTE_CLOSE} and line breaks as "\n". */
  text: string;
  /** Position among the document's blocks, 0-based. */
  index: number;
  /** The node itself, for the formatting comparison. */
  node: ProseMirrorNode;
}

/** A stretch of a block's text and the marks it carries, as a signature string. */
interface Piece {
  text: string;
  format: string;
}

/** Pieces per node: nodes are immutable, so comparing against the same revision again reuses them. */
const piecesOf = new WeakMap<ProseMirrorNode, Piece[]>();

/** The marks that matter to a reader, as a stable string ("bold italic link:https://..."). */
function formatOf(marks: readonly Mark[], prefix: string): string {
  let format = prefix;
  for (const mark of marks) {
    const name = mark.type.name;
    format += name === 'link' ? ` link:${String(mark.attrs['href'])}` : ` ${name}`;
  }
  return format;
}

function pieces(block: ProseMirrorNode): Piece[] {
  const cached = piecesOf.get(block);
  if (cached) return cached;
  const out: Piece[] = [];
  block.forEach((child) => {
    if (child.isText) out.push({ text: child.text as string, format: formatOf(child.marks, '') });
    else if (child.type.name === 'footnote') {
      out.push({ text: FOOTNOTE_OPEN, format: 'fn' });
      child.forEach((inner) => {
        if (inner.isText) out.push({ text: inner.text as string, format: formatOf(inner.marks, 'fn') });
      });
      out.push({ text: FOOTNOTE_CLOSE, format: 'fn' });
    } else if (child.type.name === 'hard_break') out.push({ text: LINE_BREAK, format: '' });
    else out.push({ text: '\ufffc', format: child.type.name }); // an inline node the comparison does not know
  });
  piecesOf.set(block, out);
  return out;
}

/** The compared text of a textblock. */
export function blockText(block: ProseMirrorNode): string {
  let text = '';
  for (const piece of pieces(block)) text += piece.text;
  return text;
}

/**
 * The tokens of a textblock with a formatting signature per token; a token that spans a mark boundary ("hel" +
 * bold "lo") gets the signatures of its parts with their lengths, so any change inside it shows.
 */
export function blockTokens(block: ProseMirrorNode): TokenizedText {
  const parts = pieces(block);
  const tokens = tokenize(parts.map((piece) => piece.text).join(''));
  const formats: string[] = [];
  let pieceIndex = 0;
  let pieceOffset = 0; // characters of the current piece already consumed
  for (const token of tokens) {
    let left = token.length;
    let format = '';
    while (left > 0) {
      const piece = parts[pieceIndex] as Piece;
      const take = Math.min(left, piece.text.length - pieceOffset);
      format += format === '' ? `${take}:${piece.format}` : `|${take}:${piece.format}`;
      left -= take;
      pieceOffset += take;
      if (pieceOffset === piece.text.length) {
        pieceIndex += 1;
        pieceOffset = 0;
      }
    }
    formats.push(format);
  }
  return { tokens, formats };
}

/**
 * The document's textblocks in order, numbered as analyzeDocument numbers them (with `baseline`, the pid ->
 * number map of the last revision, numbered paragraphs added since get bis, ter ...).
 */
export function documentBlocks(doc: ProseMirrorNode, baseline?: ReadonlyMap<string, number>): ComparedBlock[] {
  const analysis = analyzeDocument(doc, baseline);
  const numbers = new Map<number, string>();
  const paragraphNumber = new Map<string, string>();
  for (const paragraph of analysis.paragraphs) {
    numbers.set(paragraph.pos, paragraph.number);
    if (paragraph.pid) paragraphNumber.set(paragraph.pid, paragraph.number);
  }
  for (const heading of analysis.headings) numbers.set(heading.pos, heading.label);
  for (const sub of analysis.subparagraphs) {
    const owner = sub.ownerPid ? paragraphNumber.get(sub.ownerPid) : undefined;
    numbers.set(sub.pos, owner === undefined ? sub.label : `${owner} ${sub.label}`);
  }

  const blocks: ComparedBlock[] = [];
  const seen = new Set<string>();
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const raw = node.attrs['pid'];
    let pid = typeof raw === 'string' && raw !== '' ? raw : null;
    if (pid !== null && seen.has(pid)) pid = null;
    if (pid !== null) seen.add(pid);
    const block: ComparedBlock = { pid, type: node.type.name, text: blockText(node), index: blocks.length, node };
    const level = node.attrs['level'];
    if (typeof level === 'number') block.level = level;
    const number = numbers.get(pos);
    if (number !== undefined) block.number = number;
    blocks.push(block);
    return false;
  });
  return blocks;
}
