/**
 * The two ways a comparison is shown, as data for the renderer and the exporters: the inline redline (one column,
 * deletions struck through and insertions underlined) and side by side (the earlier text left, the later right).
 */
import type { Comparison, ComparisonEntry } from './compare.ts';
import type { WordDiff } from './words.ts';

/** One row of the side-by-side view: the paragraph's runs on each side, absent where it does not exist. */
export interface SideBySideRow {
  entry: ComparisonEntry;
  /** Equal and delete runs (what was): undefined for an added paragraph. */
  left?: WordDiff[];
  /** Equal and insert runs (what is): undefined for a deleted paragraph. */
  right?: WordDiff[];
}

/** The side-by-side rows of a comparison, one per entry, in its order. */
export function sideBySide(comparison: Comparison): SideBySideRow[] {
  return comparison.entries.map((entry) => {
    const row: SideBySideRow = { entry };
    if (entry.before) row.left = entry.words.filter((run) => run.op !== 'insert');
    if (entry.after) row.right = entry.words.filter((run) => run.op !== 'delete');
    return row;
  });
}

/** The entries an inline redline shows when unchanged paragraphs are hidden ("changes only"). */
export function changedEntries(comparison: Comparison): ComparisonEntry[] {
  return comparison.entries.filter((entry) => entry.kind !== 'unchanged');
}
