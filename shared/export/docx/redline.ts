/**
 * A changed paragraph's word diff (shared/compare) turned back into pieces with their formatting: each run of
 * the diff is cut where the marks change on either side, equal text whose marks changed keeps its former marks
 * (a tracked formatting change), and the footnote markers of the compared text become real footnotes whose own
 * text carries the changes inside it. When the diff does not line up with the footnotes of both versions (a
 * footnote's end matched to another's), the paragraph is written as all of `before` deleted and all of `after`
 * inserted: less precise, never wrong.
 */
import type { Mark, Node as ProseMirrorNode } from 'prosemirror-model';
import { FOOTNOTE_CLOSE, FOOTNOTE_OPEN } from '../../compare/blocks.ts';
import type { WordDiff } from '../../compare/words.ts';
import { inlinePieces, type BreakPiece, type Op, type Piece, type TextPiece } from './runs.ts';

/** What a stretch of a block's compared text is. */
type AtomKind = 'text' | 'open' | 'close' | 'break' | 'other';

/** A stretch of a block's compared text (blockText) with one kind and one set of marks. */
interface Atom {
  readonly start: number;
  readonly end: number;
  readonly kind: AtomKind;
  readonly marks: readonly Mark[];
}

const NO_MARKS: readonly Mark[] = [];

/** The atoms of a textblock, laid out exactly as shared/compare/blocks.ts writes its compared text. */
function atomsOf(block: ProseMirrorNode): Atom[] {
  const atoms: Atom[] = [];
  let at = 0;
  const add = (kind: AtomKind, length: number, marks: readonly Mark[]): void => {
    if (length === 0) return;
    atoms.push({ start: at, end: at + length, kind, marks });
    at += length;
  };
  block.forEach((child) => {
    if (child.isText) add('text', (child.text ?? '').length, child.marks);
    else if (child.type.name === 'footnote') {
      add('open', FOOTNOTE_OPEN.length, NO_MARKS);
      child.forEach((inner) => {
        if (inner.isText) add('text', (inner.text ?? '').length, inner.marks);
      });
      add('close', FOOTNOTE_CLOSE.length, NO_MARKS);
    } else if (child.type.name === 'hard_break') add('break', 1, NO_MARKS);
    else add('other', 1, NO_MARKS);
  });
  return atoms;
}

/** Walks a side's atoms by offset. */
class AtomCursor {
  readonly #atoms: Atom[];
  #index = 0;
  offset = 0;

  constructor(atoms: Atom[]) {
    this.#atoms = atoms;
  }

  /** The atom at the current offset, or null past the end. */
  get atom(): Atom | null {
    while (this.#index < this.#atoms.length && (this.#atoms[this.#index] as Atom).end <= this.offset) this.#index += 1;
    return this.#atoms[this.#index] ?? null;
  }

  /** How many characters remain in the current atom. */
  get left(): number {
    const atom = this.atom;
    return atom === null ? 0 : atom.end - this.offset;
  }
}

/** One token of the diff with its side(s)' kind and marks. */
interface Token {
  readonly op: Op;
  readonly kind: AtomKind;
  readonly text: string;
  readonly marks: readonly Mark[];
  readonly formerMarks?: readonly Mark[];
}

/** Thrown inside this module when the diff cannot be laid over the two versions. */
class Misaligned extends Error {}

/** Cuts the diff runs into tokens of one atom kind and one set of marks on each side they belong to. */
function tokens(runs: readonly WordDiff[], before: ProseMirrorNode, after: ProseMirrorNode): Token[] {
  const old = new AtomCursor(atomsOf(before));
  const now = new AtomCursor(atomsOf(after));
  const out: Token[] = [];
  for (const run of runs) {
    let rest = run.text;
    while (rest.length > 0) {
      const a = run.op === 'insert' ? null : old.atom;
      const b = run.op === 'delete' ? null : now.atom;
      if ((run.op !== 'insert' && a === null) || (run.op !== 'delete' && b === null)) throw new Misaligned('the diff runs past the text');
      let take = rest.length;
      if (a) take = Math.min(take, old.left);
      if (b) take = Math.min(take, now.left);
      const text = rest.slice(0, take);
      rest = rest.slice(take);
      if (a) old.offset += take;
      if (b) now.offset += take;
      if (run.op === 'equal') {
        const x = a as Atom;
        const y = b as Atom;
        if (x.kind !== y.kind) throw new Misaligned('equal text of different kinds');
        const same = x.marks.length === y.marks.length && x.marks.every((mark, index) => mark.eq(y.marks[index] as Mark));
        out.push(same ? { op: 'equal', kind: y.kind, text, marks: y.marks } : { op: 'equal', kind: y.kind, text, marks: y.marks, formerMarks: x.marks });
      } else {
        const atom = (a ?? b) as Atom;
        out.push({ op: run.op, kind: atom.kind, text, marks: atom.marks });
      }
    }
  }
  return out;
}

/** Folds the tokens into pieces, footnote markers into footnotes; throws Misaligned when they do not pair up. */
function fold(list: readonly Token[]): Piece[] {
  const pieces: Piece[] = [];
  let footnote: { op: Op; content: (TextPiece | BreakPiece)[] } | null = null;
  for (const token of list) {
    switch (token.kind) {
      case 'open':
        if (footnote !== null) throw new Misaligned('a footnote inside a footnote');
        footnote = { op: token.op, content: [] };
        break;
      case 'close':
        if (footnote === null || footnote.op !== token.op) throw new Misaligned('a footnote closed on another side');
        pieces.push({ kind: 'footnote', op: footnote.op, content: footnote.content });
        footnote = null;
        break;
      case 'break':
        if (footnote !== null) throw new Misaligned('a line break inside a footnote');
        for (let i = 0; i < token.text.length; i += 1) pieces.push({ kind: 'break', op: token.op });
        break;
      case 'other':
        // An inline node the comparison does not know: it has no text to track.
        break;
      case 'text': {
        const piece: TextPiece = token.formerMarks
          ? { kind: 'text', op: token.op, text: token.text, marks: token.marks, formerMarks: token.formerMarks }
          : { kind: 'text', op: token.op, text: token.text, marks: token.marks };
        if (footnote === null) pieces.push(piece);
        else {
          // Inside a footnote both versions have, anything goes; inside an added or removed one, only its own side.
          if (footnote.op !== 'equal' && token.op !== footnote.op) throw new Misaligned('a footnote changed on the other side');
          footnote.content.push(piece);
        }
        break;
      }
    }
  }
  if (footnote !== null) throw new Misaligned('a footnote left open');
  return pieces;
}

/** The pieces of a paragraph present in both versions: its word diff laid over both, or all-deleted + all-inserted. */
export function redlinePieces(runs: readonly WordDiff[], before: ProseMirrorNode, after: ProseMirrorNode): Piece[] {
  if (runs.every((run) => run.op === 'equal' && run.format !== true) && before.content.eq(after.content)) return inlinePieces(after);
  try {
    return fold(tokens(runs, before, after));
  } catch (error) {
    if (!(error instanceof Misaligned)) throw error;
    return [...inlinePieces(before, 'delete'), ...inlinePieces(after, 'insert')];
  }
}
