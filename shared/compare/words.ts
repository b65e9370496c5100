/**
 * Word-level differences inside one paragraph: the text is cut into words, runs of whitespace and single
 * punctuation characters, the token sequences are compared with Myers' algorithm, and the result is a list of
 * runs whose texts rebuild each side exactly (equal + delete = before, equal + insert = after).
 */
import { diffSequences } from './myers.ts';

/** One run of a word diff; `format` marks equal text whose formatting (bold, italic, underline, link) changed. */
export interface WordDiff {
  op: 'equal' | 'insert' | 'delete';
  text: string;
  /** Only on 'equal' runs: the text is the same but its marks differ between the two sides. */
  format?: boolean;
}

/** A paragraph's text cut into tokens, with an optional formatting signature per token (same length). */
export interface TokenizedText {
  tokens: readonly string[];
  /** A string per token naming its marks; two equal tokens with different signatures are a format change. */
  formats?: readonly string[];
}

// A word is letters, digits and combining marks (so "Member", "78/265" is "78", "/", "265", "États" is one word);
// whitespace runs are one token; anything else is one code point, so punctuation and symbols stand alone.
const TOKEN = /[\p{L}\p{N}\p{M}_]+|\s+|[\s\S]/gu;

/** Cuts a text into word, whitespace and punctuation tokens; joining the tokens gives the text back exactly. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Whether a token is whitespace only (such a token between two changes is folded into them). */
function isSpace(token: string): boolean {
  return /^\s+$/u.test(token);
}

/** The word diff of two plain texts. */
export function diffWords(before: string, after: string): WordDiff[] {
  return diffTokens({ tokens: tokenize(before) }, { tokens: tokenize(after) });
}

/** One stretch of an edit script in token indices. */
interface Segment {
  equal: boolean;
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/**
 * The word diff of two tokenized texts. A lone whitespace token left equal between two changes is folded into
 * them, so "quick brown" -> "slow red" reads as one replacement rather than two around a kept space; the
 * deletions of a change come before its insertions.
 */
export function diffTokens(before: TokenizedText, after: TokenizedText): WordDiff[] {
  const ids = new Map<string, number>();
  const intern = (tokens: readonly string[]): Int32Array => {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, index) => {
      let id = ids.get(token);
      if (id === undefined) {
        id = ids.size;
        ids.set(token, id);
      }
      out[index] = id;
    });
    return out;
  };
  const a = before.tokens;
  const b = after.tokens;
  const edits = diffSequences(intern(a), intern(b));

  const segments: Segment[] = [];
  let i = 0;
  let j = 0;
  for (const edit of edits) {
    const a1 = edit.op === 'insert' ? i : i + edit.count;
    const b1 = edit.op === 'delete' ? j : j + edit.count;
    segments.push({ equal: edit.op === 'equal', a0: i, a1, b0: j, b1 });
    i = a1;
    j = b1;
  }
  segments.forEach((segment, index) => {
    if (!segment.equal || index === 0 || index === segments.length - 1) return;
    if (segment.a1 - segment.a0 !== 1 || !isSpace(a[segment.a0] as string)) return;
    if (!(segments[index - 1] as Segment).equal && !(segments[index + 1] as Segment).equal) segment.equal = false;
  });

  const runs: WordDiff[] = [];
  const emit = (op: WordDiff['op'], text: string, format = false): void => {
    if (text === '') return;
    const last = runs[runs.length - 1];
    if (last && last.op === op && (last.format ?? false) === format) last.text += text;
    else runs.push(format ? { op, text, format } : { op, text });
  };
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    emit('delete', deleted);
    emit('insert', inserted);
    deleted = '';
    inserted = '';
  };
  for (const segment of segments) {
    if (!segment.equal) {
      deleted += a.slice(segment.a0, segment.a1).join('');
      inserted += b.slice(segment.b0, segment.b1).join('');
      continue;
    }
    flush();
    for (let k = 0; k < segment.a1 - segment.a0; k += 1) {
      const format = before.formats !== undefined && after.formats !== undefined &&
        before.formats[segment.a0 + k] !== after.formats[segment.b0 + k];
      emit('equal', a[segment.a0 + k] as string, format);
    }
  }
  flush();
  return runs;
}

/** The text of one side of a word diff: 'before' joins equal and delete runs, 'after' equal and insert runs. */
export function sideText(runs: readonly WordDiff[], side: 'before' | 'after'): string {
  const skip = side === 'before' ? 'insert' : 'delete';
  let text = '';
  for (const run of runs) if (run.op !== skip) text += run.text;
  return text;
}
