/**
 * The comparison engine: paragraph-matched, word-level differences between two versions of a document, for the
 * redline and side-by-side views and the tracked-changes export.
 */
export {
  compareDocuments,
  longestIncreasingSubsequence,
  type CompareOptions,
  type Comparison,
  type ComparisonEntry,
  type ComparisonSide,
  type ComparisonSummary,
  type EntryKind,
  type ParagraphChanges,
} from './compare.ts';
export { FOOTNOTE_CLOSE, FOOTNOTE_OPEN, LINE_BREAK, blockText, documentBlocks, type ComparedBlock } from './blocks.ts';
export { diffTokens, diffWords, sideText, tokenize, type TokenizedText, type WordDiff } from './words.ts';
export { DEFAULT_MAX_DIFFERENCES, checkEdits, diffSequences, type Edit, type EditOp } from './myers.ts';
export { changedEntries, sideBySide, type SideBySideRow } from './views.ts';
