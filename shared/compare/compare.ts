/**
 * Compares two versions of a document (two revisions, or a revision and the current text): paragraphs are
 * matched by pid, then word differences are computed inside each matched paragraph whose text changed.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { documentBlocks, blockTokens, type ComparedBlock } from './blocks.ts';
import { diffSequences } from './myers.ts';
import { diffTokens, tokenize, type WordDiff } from './words.ts';

/** How a paragraph fared between the two versions. */
export type EntryKind = 'unchanged' | 'changed' | 'added' | 'deleted' | 'moved';

/** One side of an entry: the paragraph as it reads in that version. */
export interface ComparisonSide {
  text: string;
  /** The computed number or label ("23", "23 bis", "A.", "23 (a)"), when the block has one. */
  number?: string;
  /** The node type name ('title', 'heading', 'paragraph', 'numbered_paragraph'). */
  type: string;
  /** The heading level, for headings. */
  level?: number;
  /** The block's position among that version's blocks, 0-based (lets a view say where a moved paragraph was). */
  index: number;
}

/** What changed in a paragraph present in both versions. */
export interface ParagraphChanges {
  /** The words differ. */
  text: boolean;
  /** Some equal text gained or lost bold, italic, underline or a link. */
  format: boolean;
  /** The block type or heading level changed (a paragraph became a numbered paragraph, a section a subsection). */
  style: boolean;
}

/** One paragraph of the comparison, in the order of the later version, deleted ones where they stood. */
export interface ComparisonEntry {
  /** 'moved' wins over 'changed' when both hold; `changed` and `moved` carry both facts. */
  kind: EntryKind;
  pid: string | null;
  /** The paragraph is in both versions but its place among the others changed. */
  moved: boolean;
  /** The paragraph is in both versions and its text, formatting or type changed. */
  changed: boolean;
  before?: ComparisonSide;
  after?: ComparisonSide;
  /** For paragraphs in both versions. */
  changes?: ParagraphChanges;
  /**
   * The word runs of the redline: equal + delete rebuild `before.text`, equal + insert rebuild `after.text`. An
   * added paragraph is one insert run, a deleted one one delete run, an unchanged one one equal run.
   */
  words: WordDiff[];
}

/** The counts shown above a comparison. */
export interface ComparisonSummary {
  /** Paragraphs in both versions whose text, formatting or type changed (moved or not). */
  changed: number;
  added: number;
  deleted: number;
  /** Paragraphs in both versions that changed place (changed or not). */
  moved: number;
  /** Paragraphs in both versions, neither changed nor moved. */
  unchanged: number;
}

/** The result of {@link compareDocuments}. */
export interface Comparison {
  entries: ComparisonEntry[];
  summary: ComparisonSummary;
}

/** Options of {@link compareDocuments}. */
export interface CompareOptions {
  /**
   * The pid -> number map `before` is numbered against (the revision before it); without one `before` is numbered
   * 1..N. `after` is always numbered against `before`, so paragraphs added since read "7 bis", "7 ter".
   */
  baseline?: ReadonlyMap<string, number>;
}

/** Below this share of common words two pid-less paragraphs are not taken for versions of one another. */
const SIMILARITY_THRESHOLD = 0.5;
/** How far ahead among the inserted paragraphs of one change a deleted pid-less paragraph looks for its match. */
const SIMILARITY_WINDOW = 20;

function sideOf(block: ComparedBlock): ComparisonSide {
  const side: ComparisonSide = { text: block.text, type: block.type, index: block.index };
  if (block.number !== undefined) side.number = block.number;
  if (block.level !== undefined) side.level = block.level;
  return side;
}

/** The pid -> integer number map of `before`, for numbering `after` against it. */
function baselineOf(blocks: readonly ComparedBlock[]): Map<string, number> {
  const baseline = new Map<string, number>();
  for (const block of blocks) {
    if (block.type !== 'numbered_paragraph' || block.pid === null || block.number === undefined) continue;
    const value = Number(block.number);
    if (Number.isSafeInteger(value)) baseline.set(block.pid, value);
  }
  return baseline;
}

/** Dice similarity of the word multisets of two texts: 1 for the same words, 0 for none in common. */
function similarity(a: string, b: string): number {
  const words = (text: string): string[] => tokenize(text).filter((token) => !/^\s+$/u.test(token));
  const left = words(a);
  const right = words(b);
  if (left.length + right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const word of left) counts.set(word, (counts.get(word) ?? 0) + 1);
  let common = 0;
  for (const word of right) {
    const count = counts.get(word) ?? 0;
    if (count > 0) {
      common += 1;
      counts.set(word, count - 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}

/**
 * Pairs blocks without a pid: identical ones by a Myers diff over their texts (so order is respected), then, inside
 * each stretch of differences, a deleted block with the first inserted one that shares enough words.
 */
function matchWithoutPids(
  before: readonly ComparedBlock[],
  after: readonly ComparedBlock[],
  pairs: Map<number, number>,
): void {
  const ids = new Map<string, number>();
  const key = (block: ComparedBlock): number => {
    const text = `${block.type}:${block.level ?? ''}:${block.text}`;
    let id = ids.get(text);
    if (id === undefined) {
      id = ids.size;
      ids.set(text, id);
    }
    return id;
  };
  const edits = diffSequences(before.map(key), after.map(key));
  let i = 0;
  let j = 0;
  let deleted: ComparedBlock[] = [];
  let inserted: ComparedBlock[] = [];
  const pairSimilar = (): void => {
    let from = 0;
    for (const old of deleted) {
      const end = Math.min(inserted.length, from + SIMILARITY_WINDOW);
      for (let candidate = from; candidate < end; candidate += 1) {
        const block = inserted[candidate] as ComparedBlock;
        if (similarity(old.text, block.text) >= SIMILARITY_THRESHOLD) {
          pairs.set(block.index, old.index);
          from = candidate + 1;
          break;
        }
      }
    }
    deleted = [];
    inserted = [];
  };
  for (const edit of edits) {
    if (edit.op === 'equal') {
      pairSimilar();
      for (let c = 0; c < edit.count; c += 1) {
        pairs.set((after[j + c] as ComparedBlock).index, (before[i + c] as ComparedBlock).index);
      }
      i += edit.count;
      j += edit.count;
    } else if (edit.op === 'delete') {
      deleted.push(...before.slice(i, i + edit.count));
      i += edit.count;
    } else {
      inserted.push(...after.slice(j, j + edit.count));
      j += edit.count;
    }
  }
  pairSimilar();
}

/**
 * The positions (into `values`) of one longest strictly increasing subsequence, by patience sorting in
 * O(n log n): the matched paragraphs that kept their relative order, so everything else is the fewest moves.
 */
export function longestIncreasingSubsequence(values: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[l] = position of the smallest tail of an increasing run of length l + 1
  const previous = new Int32Array(values.length).fill(-1);
  values.forEach((value, position) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((values[tails[mid] as number] as number) < value) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[position] = tails[low - 1] as number;
    tails[low] = position;
  });
  const kept = new Set<number>();
  let position = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
  while (position >= 0) {
    kept.add(position);
    position = previous[position] as number;
  }
  return kept;
}

/** Compares one matched paragraph; the word diff runs only when something differs, so equal ones cost a string compare. */
function compareMatched(old: ComparedBlock, now: ComparedBlock): Pick<ComparisonEntry, 'changes' | 'words' | 'changed'> {
  const style = old.type !== now.type || old.level !== now.level;
  if (old.text === now.text && old.node.content.eq(now.node.content)) {
    const words: WordDiff[] = old.text === '' ? [] : [{ op: 'equal', text: old.text }];
    return { changed: style, changes: { text: false, format: false, style }, words };
  }
  const words = diffTokens(blockTokens(old.node), blockTokens(now.node));
  const text = old.text !== now.text;
  const format = words.some((run) => run.format === true);
  return { changed: text || format || style, changes: { text, format, style }, words };
}

/**
 * Compares two documents of the shared schema. Every textblock is a paragraph of the comparison; those with the
 * same pid are the same paragraph, blocks without a pid are paired by identical text in order and then by shared
 * words. Paragraphs whose relative order changed are reported moved, the fewest such (a longest increasing
 * subsequence of the matched paragraphs stays in place). Cost: linear in the blocks plus word diffs of the
 * paragraphs whose text differs.
 */
export function compareDocuments(before: ProseMirrorNode, after: ProseMirrorNode, options: CompareOptions = {}): Comparison {
  const oldBlocks = documentBlocks(before, options.baseline);
  const newBlocks = documentBlocks(after, baselineOf(oldBlocks));

  // pairs: index in `after` -> index in `before`.
  const pairs = new Map<number, number>();
  const oldByPid = new Map<string, number>();
  for (const block of oldBlocks) if (block.pid !== null) oldByPid.set(block.pid, block.index);
  for (const block of newBlocks) {
    const old = block.pid === null ? undefined : oldByPid.get(block.pid);
    if (old !== undefined) pairs.set(block.index, old);
  }
  matchWithoutPids(
    oldBlocks.filter((block) => block.pid === null),
    newBlocks.filter((block) => block.pid === null),
    pairs,
  );

  const matchedAfter = newBlocks.filter((block) => pairs.has(block.index)).map((block) => block.index);
  const kept = longestIncreasingSubsequence(matchedAfter.map((index) => pairs.get(index) as number));
  const moved = new Set<number>();
  matchedAfter.forEach((index, position) => {
    if (!kept.has(position)) moved.add(index);
  });
  const matchedBefore = new Set(pairs.values());
  const deleted = oldBlocks.filter((block) => !matchedBefore.has(block.index));

  const entries: ComparisonEntry[] = [];
  const summary: ComparisonSummary = { changed: 0, added: 0, deleted: 0, moved: 0, unchanged: 0 };
  let nextDeleted = 0;
  const emitDeletedBefore = (limit: number): void => {
    while (nextDeleted < deleted.length && (deleted[nextDeleted] as ComparedBlock).index < limit) {
      const block = deleted[nextDeleted] as ComparedBlock;
      entries.push({
        kind: 'deleted',
        pid: block.pid,
        moved: false,
        changed: false,
        before: sideOf(block),
        words: block.text === '' ? [] : [{ op: 'delete', text: block.text }],
      });
      summary.deleted += 1;
      nextDeleted += 1;
    }
  };

  for (const block of newBlocks) {
    const oldIndex = pairs.get(block.index);
    if (oldIndex === undefined) {
      entries.push({
        kind: 'added',
        pid: block.pid,
        moved: false,
        changed: false,
        after: sideOf(block),
        words: block.text === '' ? [] : [{ op: 'insert', text: block.text }],
      });
      summary.added += 1;
      continue;
    }
    const isMoved = moved.has(block.index);
    // A deleted paragraph stands before the first paragraph that stayed in place after it.
    if (!isMoved) emitDeletedBefore(oldIndex);
    const old = oldBlocks[oldIndex] as ComparedBlock;
    const result = compareMatched(old, block);
    entries.push({
      kind: isMoved ? 'moved' : result.changed ? 'changed' : 'unchanged',
      pid: block.pid ?? old.pid,
      moved: isMoved,
      changed: result.changed,
      before: sideOf(old),
      after: sideOf(block),
      ...(result.changes ? { changes: result.changes } : {}),
      words: result.words,
    });
    if (result.changed) summary.changed += 1;
    if (isMoved) summary.moved += 1;
    if (!isMoved && !result.changed) summary.unchanged += 1;
  }
  emitDeletedBefore(Number.POSITIVE_INFINITY);
  return { entries, summary };
}
