/**
 * Tracked changes, read the way nothing gets silently accepted: the imported text is the ORIGINAL (insertions left
 * out, deletions kept), and each paragraph also says what the author wants instead. Word records a paragraph's
 * end (its mark) as inserted or deleted too, so Word paragraphs are first regrouped into the paragraphs of the
 * original text, with wholly inserted paragraphs set apart.
 */
import type { Change, InlineFormat, Piece, WordParagraph } from './content.ts';
import type { ReportBuilder } from './report.ts';

/** One paragraph of the Word file as the delegation received it and as they want it. */
export interface TrackedParagraph {
  /** Position of its (first) w:p among the document's paragraphs, 0-based. */
  index: number;
  /** Its number as the delegation saw it: typed or Word's auto number ("12", "12 bis", "12 (a)"), else null. */
  number: string | null;
  /** The wording as received (the imported text), in the form of paragraphWording: footnotes `[^text]`, breaks "\n". */
  original: string;
  /** The wording the author wants. */
  proposed: string;
  /** Each tracked insertion or deletion, `offset` counted in `original`. */
  changes: { kind: 'insert' | 'delete'; author: string; date: string | null; text: string; offset: number }[];
  /** Whether the whole paragraph is a tracked insertion or deletion. */
  wholeParagraph: 'inserted' | 'deleted' | null;
  /**
   * The pid of the paragraph Penholder exported it as (its hidden "_ph_" bookmark), or null: a file Penholder did
   * not write, a paragraph the delegation added, or a bookmark that did not survive.
   */
  pid: string | null;
}

/** A paragraph of the original text, made of one or more Word paragraphs. */
export interface LogicalParagraph {
  /** The Word paragraph whose style and numbering it takes. */
  props: WordParagraph;
  pieces: Piece[];
  /** Set when the whole paragraph is a tracked insertion: it is not part of the imported text. */
  inserted: boolean;
  /** The pid its Word paragraphs were bookmarked with (null for a wholly inserted paragraph). */
  pid: string | null;
}

function isInserted(piece: Piece): boolean {
  return piece.change?.kind === 'insert';
}

function hasOriginal(paragraph: WordParagraph): boolean {
  return paragraph.pieces.some((piece) => !isInserted(piece) && (piece.kind !== 'text' || piece.text !== ''));
}

function hasInserted(paragraph: WordParagraph): boolean {
  return paragraph.pieces.some((piece) => isInserted(piece) && (piece.kind !== 'text' || piece.text.trim() !== ''));
}

/**
 * Regroups a run of consecutive Word paragraphs (one container: the body between tables, or a cell) into the
 * paragraphs of the original text. A paragraph whose mark was inserted was, originally, one with the next; a
 * member made only of inserted content is a wholly inserted paragraph of its own. A split of original text (Enter
 * pressed inside a paragraph) is proposed as changes to the one original paragraph, and reported.
 */
export function groupParagraphs(paragraphs: readonly WordParagraph[], report: ReportBuilder): LogicalParagraph[] {
  const out: LogicalParagraph[] = [];
  let group: WordParagraph[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const members = group;
    group = [];
    const withOriginal = members.map(hasOriginal);
    const first = withOriginal.indexOf(true);
    const last = withOriginal.lastIndexOf(true);
    // The original paragraph is the one the pid names: its own parts' bookmark first, else one that Enter pressed at
    // its start carried into the new paragraph before it. What the author added has no pid of its own.
    const named = (list: readonly WordParagraph[]): string | null => list.find((member) => member.pid !== null)?.pid ?? null;
    const own = first < 0 ? null : (named(members.slice(first, last + 1)) ?? named(members));
    members.forEach((member, at) => {
      if ((first < 0 || at < first || at > last) && hasInserted(member)) out.push({ props: member, pieces: member.pieces, inserted: true, pid: null });
      else if (at === first) {
        const pieces: Piece[] = [];
        for (let k = first; k <= last; k += 1) {
          if (k > first) {
            // The proposed text joins the split parts with a space; the original has none (the mark was inserted).
            const change = (members[k - 1] as WordParagraph).markChange;
            pieces.push({ kind: 'text', text: ' ', format: PLAIN, change });
          }
          pieces.push(...(members[k] as WordParagraph).pieces);
        }
        if (last > first) report.lost('paragraph splits proposed in Word (proposed as changes to the one original paragraph)');
        out.push({ props: member, pieces, inserted: false, pid: own });
      }
    });
  };
  paragraphs.forEach((paragraph, at) => {
    group.push(paragraph);
    if (paragraph.markChange?.kind !== 'insert') flush();
    const next = paragraphs[at + 1];
    if (paragraph.markChange?.kind === 'delete' && next && hasOriginal(paragraph) && paragraph.pieces.some((p) => p.change === null) && next.pieces.some((p) => p.change === null)) {
      report.lost('paragraph merges proposed in Word (not proposed)');
    }
  });
  flush();
  return out;
}

const PLAIN: InlineFormat = { bold: false, italic: false, underline: false, href: null };

/** One unit of a paragraph's wording: a run of text, a line break ("\n") or a footnote (`[^text]`). */
export type WordingUnit =
  | { kind: 'text'; text: string; format: InlineFormat; change: Change | null }
  | { kind: 'break'; change: Change | null }
  | { kind: 'note'; wording: string; noteKey: string; change: Change | null };

/** The wording a unit contributes. */
export function unitWording(unit: WordingUnit): string {
  return unit.kind === 'text' ? unit.text : unit.kind === 'break' ? '\n' : unit.wording;
}

/** The text at the start of the original wording, up to the first break or footnote (for typed numbers). */
export function leadingOriginalText(units: readonly WordingUnit[], max = 60): string {
  let text = '';
  for (const unit of units) {
    if (unit.change?.kind === 'insert') continue;
    if (unit.kind !== 'text') break;
    text += unit.text;
    if (text.length >= max) break;
  }
  return text;
}

/**
 * Removes the first `length` characters of the original wording (a typed number, leading blanks). Insertions
 * inside that prefix go with it: they change the number, which Penholder computes.
 */
export function stripOriginalPrefix(units: readonly WordingUnit[], length: number): WordingUnit[] {
  const out: WordingUnit[] = [];
  let remaining = length;
  for (const unit of units) {
    if (remaining <= 0) {
      out.push(unit);
      continue;
    }
    if (unit.change?.kind === 'insert') continue;
    if (unit.kind !== 'text') {
      remaining = 0;
      out.push(unit);
      continue;
    }
    if (unit.text.length <= remaining) remaining -= unit.text.length;
    else {
      out.push({ ...unit, text: unit.text.slice(remaining) });
      remaining = 0;
    }
  }
  return out;
}

/**
 * Removes the unchanged blanks at the end of a paragraph (the newline of an HTML source, a trailing tab). Only blanks
 * after every change go, so no change's offset moves.
 */
export function stripTrailingBlanks(units: readonly WordingUnit[]): WordingUnit[] {
  const out = [...units];
  while (out.length > 0) {
    const last = out[out.length - 1] as WordingUnit;
    if (last.kind !== 'text' || last.change !== null) break;
    const text = last.text.replace(/\s+$/, '');
    if (text === last.text) break;
    if (text === '') out.pop();
    else {
      out[out.length - 1] = { ...last, text };
      break;
    }
  }
  return out;
}

/** The original and proposed wording of a paragraph and its changes, offsets in the original. */
export function trackedWording(units: readonly WordingUnit[]): Pick<TrackedParagraph, 'original' | 'proposed' | 'changes'> {
  let original = '';
  let proposed = '';
  const changes: TrackedParagraph['changes'] = [];
  for (const unit of units) {
    const wording = unitWording(unit);
    if (wording === '') continue;
    const change = unit.change;
    if (change === null) {
      original += wording;
      proposed += wording;
      continue;
    }
    const offset = original.length;
    const last = changes[changes.length - 1];
    const contiguous = last && last.kind === change.kind && last.author === change.author && last.date === change.date;
    if (change.kind === 'insert') {
      proposed += wording;
      if (contiguous && last.offset === offset) last.text += wording;
      else changes.push({ kind: 'insert', author: change.author, date: change.date, text: wording, offset });
    } else {
      original += wording;
      if (contiguous && last.offset + last.text.length === offset) last.text += wording;
      else changes.push({ kind: 'delete', author: change.author, date: change.date, text: wording, offset });
    }
  }
  return { original, proposed, changes };
}
