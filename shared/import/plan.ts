/**
 * Plans the proposals a returned Word file makes: each tracked paragraph is matched to a paragraph of the current
 * text (by the pid its export bookmarked it with when that paragraph is still there, else by its number when the
 * wording agrees, else by word similarity), and each contiguous run of insertions and deletions becomes one replace
 * proposal; wholly inserted and deleted paragraphs become new-paragraph and delete-paragraph proposals. Nothing is
 * recorded here: the import wiring shows the plans for review first.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { diffWords, type WordDiff } from '../compare/words.ts';
import { analyzeDocument } from '../model/analyze.ts';
import type { TrackedParagraph } from './tracked.ts';

/** One proposal to record, once a person has reviewed it. */
export interface ProposalPlan {
  kind: 'replace' | 'new-paragraph' | 'delete-paragraph';
  /** The paragraph it is about; for new-paragraph, the paragraph it goes after. */
  pid: string;
  /**
   * Offsets in that paragraph as proposals store spans (ProposalDraft.span: ProseMirror offsets from the paragraph's
   * content start). They equal character offsets into paragraphWording except after a footnote, which counts as its
   * text length + 2 here and reads `[^text]` (+3) in the wording; a span never cuts into a footnote. 0/0 for
   * new-paragraph; the whole paragraph for delete-paragraph.
   */
  from: number;
  to: number;
  /** The words replaced, as the delegation received them (the whole paragraph for delete-paragraph). */
  quote: string;
  /** The replacement ('' deletes), or the new paragraph's text. */
  text: string;
  author: string;
  date: string | null;
  /**
   * How the paragraph was found: 'id' when the Word paragraph carried the pid bookmark Penholder's export gave it
   * (the same paragraph, whatever its number or wording now), else by its number or by its wording.
   */
  matchedBy: 'id' | 'number' | 'text';
  /** The current number of the paragraph `pid` ("12", "12 bis", "12 (a)"), or null when it has none. */
  paragraphNumber: string | null;
}

/**
 * A tracked paragraph the planner could not place. Whole (it matches no paragraph: `reason` is absent and the
 * caller says why from its number), or in part: a paragraph matched by its pid whose current wording no longer
 * holds the words one of its changes needs. That part comes back with only that change region's `changes` and a
 * `reason` to show.
 */
export type UnmatchedTrackedParagraph = TrackedParagraph & { reason?: string };

/** A numbered paragraph is matched by its number only when at least half its words agree (Dice coefficient). */
export const NUMBER_MATCH_THRESHOLD = 0.5;
/** Otherwise the most similar paragraph is taken when at least 60% of the words agree (Dice coefficient). */
export const TEXT_MATCH_THRESHOLD = 0.6;
/** How far back an inserted paragraph looks for a matched paragraph to go after. */
const ANCHOR_LOOKBACK = 3;

/** A paragraph of the current text. */
interface CurrentParagraph {
  pid: string;
  wording: string;
  /** Wording and ProseMirror extents of each inline child; footnotes are atomic. */
  segments: { w0: number; w1: number; p0: number; p1: number; atomic: boolean }[];
  size: number;
  number: string | null;
  words: Map<string, number> | null;
  order: number;
}

/** The lower-cased words of a text, counted. */
function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  return sum;
}

/** The Dice coefficient of two word multisets: 1 for the same words, 0 for none in common. */
export function wordSimilarity(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const size = total(a) + total(b);
  if (size === 0) return 1;
  let common = 0;
  for (const [word, n] of a) common += Math.min(n, b.get(word) ?? 0);
  return (2 * common) / size;
}

function normalizeNumber(label: string): string {
  return label.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Every pid-carrying textblock of the current text with its wording, layout and number. */
function currentParagraphs(current: ProseMirrorNode, numbers?: ReadonlyMap<string, string>): CurrentParagraph[] {
  const analysis = analyzeDocument(current);
  const numberOf = new Map<string, string>();
  for (const info of analysis.paragraphs) if (info.pid !== '') numberOf.set(info.pid, numbers?.get(info.pid) ?? info.number);
  for (const info of analysis.subparagraphs) {
    if (info.pid === '') continue;
    const owner = info.ownerPid !== '' ? numberOf.get(info.ownerPid) : undefined;
    numberOf.set(info.pid, owner !== undefined ? `${owner} ${info.label}` : info.label);
  }
  const out: CurrentParagraph[] = [];
  current.descendants((node) => {
    if (!node.isTextblock) return true;
    const pid = node.attrs['pid'];
    if (typeof pid !== 'string' || pid === '') return false;
    let wording = '';
    let pm = 0;
    const segments: CurrentParagraph['segments'] = [];
    node.forEach((child) => {
      let text: string;
      let atomic = false;
      if (child.isText) text = child.text as string;
      else if (child.type.name === 'hard_break') text = '\n';
      else if (child.type.name === 'footnote') {
        text = `[^${child.textContent}]`;
        atomic = true;
      } else {
        text = '\uFFFC';
        atomic = true;
      }
      segments.push({ w0: wording.length, w1: wording.length + text.length, p0: pm, p1: pm + child.nodeSize, atomic });
      wording += text;
      pm += child.nodeSize;
    });
    out.push({ pid, wording, segments, size: node.content.size, number: numberOf.get(pid) ?? null, words: null, order: out.length });
    return false;
  });
  return out;
}

/** A wording offset as a ProseMirror offset; inside a footnote it moves to the footnote's start or end. */
function toProseMirror(paragraph: CurrentParagraph, offset: number, side: 'start' | 'end'): number {
  for (const segment of paragraph.segments) {
    if (offset < segment.w0 || offset > segment.w1) continue;
    if (!segment.atomic) return segment.p0 + (offset - segment.w0);
    if (offset === segment.w0) return segment.p0;
    if (offset === segment.w1) return segment.p1;
    return side === 'start' ? segment.p0 : segment.p1;
  }
  return paragraph.size;
}

/** Maps an offset in `before` to `after` through a word diff; inside changed words it goes to where they were. */
function mapOffset(before: string, after: string, offset: number): number {
  if (before === after) return offset;
  let a = 0;
  let b = 0;
  for (const run of diffWords(before, after)) {
    const length = run.text.length;
    if (run.op === 'equal') {
      if (offset <= a + length) return b + (offset - a);
      a += length;
      b += length;
    } else if (run.op === 'delete') {
      if (offset < a + length) return b;
      a += length;
    } else {
      if (offset === a) return b;
      b += length;
    }
  }
  return b;
}

/**
 * Where an offset of the Word file's wording stands in the current wording, found through an unchanged stretch of
 * the word diff (null when none holds it). `between`: only when the text on both sides of it is unchanged (inside
 * the stretch, or at the start or end of both wordings), which an insertion needs to have one sure place; without
 * it, the ends of a stretch count too (a span's ends, whose words are then checked).
 */
function placeOffset(runs: readonly WordDiff[], offset: number, before: string, after: string, between: boolean): number | null {
  let a = 0;
  let b = 0;
  for (const run of runs) {
    const length = run.text.length;
    if (run.op === 'equal') {
      if (offset >= a && offset <= a + length) {
        const leftSure = offset > a || (offset === 0 && b === 0);
        const rightSure = offset < a + length || (offset === before.length && b + length === after.length);
        if (!between || (leftSure && rightSure)) return b + (offset - a);
      }
      a += length;
      b += length;
    } else if (run.op === 'delete') a += length;
    else b += length;
  }
  // Both wordings empty at that point: the start of an empty paragraph.
  return between && before === '' && after === '' ? 0 : null;
}

/** The only place `quote` stands in `wording`, or null when it stands nowhere or in several places. */
function onlyOccurrence(wording: string, quote: string): number | null {
  const first = wording.indexOf(quote);
  if (first < 0 || wording.indexOf(quote, first + 1) >= 0) return null;
  return first;
}

/** A paragraph of the current text matched to a tracked paragraph, and how. */
interface Match {
  paragraph: CurrentParagraph;
  by: ProposalPlan['matchedBy'];
}

/** "paragraph 7 bis" or "the unnumbered paragraph", for the reasons below. */
function cited(paragraph: CurrentParagraph): string {
  return paragraph.number !== null ? `paragraph ${paragraph.number}` : 'the unnumbered paragraph';
}

/** Clipped for a sentence. */
function quoted(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `\u201c${flat.length > max ? `${flat.slice(0, max - 1)}\u2026` : flat}\u201d`;
}

/**
 * Where a change region of a paragraph matched by pid goes in the paragraph's current wording ([start, end] in
 * wording offsets), or why it cannot go anywhere. The words it replaces must read the same there: where the diff
 * maps them, else the one place they stand in the paragraph. An insertion needs unchanged text on both sides.
 */
function placeRegion(runs: readonly WordDiff[], original: string, paragraph: CurrentParagraph, region: ChangeRegion): [number, number] | string {
  const { wording } = paragraph;
  const quote = original.slice(region.from, region.to);
  if (quote === '') {
    const at = placeOffset(runs, region.from, original, wording, true);
    if (at !== null) return [at, at];
    return (
      `The words next to the insertion of ${quoted(region.text)} have been reworded in ${cited(paragraph)} of the current text since the file ` +
      'was exported, so there is no sure place for it.'
    );
  }
  const start = placeOffset(runs, region.from, original, wording, false);
  const end = placeOffset(runs, region.to, original, wording, false);
  if (start !== null && end !== null && wording.slice(start, end) === quote) return [start, end];
  const only = onlyOccurrence(wording, quote);
  if (only !== null) return [only, only + quote.length];
  if (wording.includes(quote)) {
    return (
      `The words ${quoted(quote)} that this change replaces no longer stand where the file had them in ${cited(paragraph)} of the current text ` +
      '(reworded since the file was exported), and they occur there more than once, so there is no sure place for it.'
    );
  }
  return `The words ${quoted(quote)} that this change replaces are no longer in ${cited(paragraph)} of the current text: it has been reworded since the file was exported.`;
}

/** A contiguous run of changes in one paragraph: offsets in the original, the words it puts in their place. */
interface ChangeRegion {
  from: number;
  to: number;
  text: string;
  author: string;
  date: string | null;
}

/** Groups a paragraph's changes into contiguous regions (each change starts where the previous one ended). */
export function changeRegions(paragraph: TrackedParagraph): ChangeRegion[] {
  const regions: ChangeRegion[] = [];
  for (const change of paragraph.changes) {
    const end = change.kind === 'delete' ? change.offset + change.text.length : change.offset;
    const last = regions[regions.length - 1];
    if (last && change.offset === last.to) {
      last.to = end;
      if (change.kind === 'insert') last.text += change.text;
    } else {
      regions.push({ from: change.offset, to: end, text: change.kind === 'insert' ? change.text : '', author: change.author, date: change.date });
    }
  }
  return regions;
}

/**
 * Matches tracked paragraphs to the current text and plans their proposals. `numbers` gives the paragraph numbers
 * in force (pid -> "12", "12 bis"); without it numbered paragraphs count 1..N. Tracked paragraphs with changes that
 * match no paragraph (or whose inserted paragraph has no matched paragraph before it) come back in `unmatched`.
 */
export function planTrackedProposals(
  tracked: readonly TrackedParagraph[],
  current: ProseMirrorNode,
  numbers?: ReadonlyMap<string, string>,
): { plans: ProposalPlan[]; unmatched: UnmatchedTrackedParagraph[] } {
  const paragraphs = currentParagraphs(current, numbers);
  const byNumber = new Map<string, CurrentParagraph[]>();
  const byWording = new Map<string, CurrentParagraph[]>();
  for (const paragraph of paragraphs) {
    if (paragraph.number !== null) {
      const key = normalizeNumber(paragraph.number);
      byNumber.set(key, [...(byNumber.get(key) ?? []), paragraph]);
    }
    byWording.set(paragraph.wording, [...(byWording.get(paragraph.wording) ?? []), paragraph]);
  }
  const wordsOf = (paragraph: CurrentParagraph): Map<string, number> => (paragraph.words ??= wordCounts(paragraph.wording));
  const byPid = new Map(paragraphs.map((paragraph) => [paragraph.pid, paragraph]));
  // Paragraphs a Word paragraph names by its pid are that paragraph's alone: a number or wording that points at one
  // of them from another Word paragraph is misleading (numbers shift when the chair adds a paragraph).
  const claimed = new Set<CurrentParagraph>();
  for (const entry of tracked) {
    const paragraph = entry.pid && entry.wholeParagraph !== 'inserted' ? byPid.get(entry.pid) : undefined;
    if (paragraph) claimed.add(paragraph);
  }
  const used = new Set<CurrentParagraph>();
  const matches = new Map<TrackedParagraph, Match | null>();

  const match = (entry: TrackedParagraph): Match | null => {
    if (matches.has(entry)) return matches.get(entry) ?? null;
    const byId = entry.pid ? byPid.get(entry.pid) : undefined;
    if (byId) {
      used.add(byId);
      const found: Match = { paragraph: byId, by: 'id' };
      matches.set(entry, found);
      return found;
    }
    const words = wordCounts(entry.original);
    let found: Match | null = null;
    if (entry.number !== null) {
      for (const candidate of byNumber.get(normalizeNumber(entry.number)) ?? []) {
        if (claimed.has(candidate)) continue;
        if (wordSimilarity(words, wordsOf(candidate)) >= NUMBER_MATCH_THRESHOLD) {
          found = { paragraph: candidate, by: 'number' };
          break;
        }
      }
    }
    if (!found) {
      const same = (byWording.get(entry.original) ?? []).filter((candidate) => !claimed.has(candidate));
      const exact = same.find((candidate) => !used.has(candidate)) ?? same[0];
      if (exact) found = { paragraph: exact, by: 'text' };
    }
    if (!found && entry.original.trim() !== '') {
      let best: CurrentParagraph | null = null;
      let bestScore = TEXT_MATCH_THRESHOLD;
      for (const candidate of paragraphs) {
        if (claimed.has(candidate)) continue;
        const score = wordSimilarity(words, wordsOf(candidate)) - (used.has(candidate) ? 0.001 : 0);
        if (score >= bestScore && (best === null || score > bestScore)) {
          best = candidate;
          bestScore = score;
        }
      }
      if (best) found = { paragraph: best, by: 'text' };
    }
    if (found) used.add(found.paragraph);
    matches.set(entry, found);
    return found;
  };

  const plans: ProposalPlan[] = [];
  const unmatched: UnmatchedTrackedParagraph[] = [];
  tracked.forEach((entry, at) => {
    if (entry.changes.length === 0 && entry.wholeParagraph === null) return;
    if (entry.wholeParagraph === 'inserted') {
      let anchor: Match | null = null;
      let looked = 0;
      for (let back = at - 1; back >= 0 && looked < ANCHOR_LOOKBACK && anchor === null; back -= 1) {
        const previous = tracked[back] as TrackedParagraph;
        if (previous.wholeParagraph === 'inserted') continue;
        looked += 1;
        anchor = match(previous);
      }
      // Inserted before every paragraph of the file: it goes at the top of the body, after the title.
      const title = current.firstChild?.firstChild;
      const titlePid = title?.type.name === 'title' ? title.attrs['pid'] : null;
      if (anchor === null && looked === 0 && typeof titlePid === 'string' && titlePid !== '') {
        const change = entry.changes[0];
        plans.push({ kind: 'new-paragraph', pid: titlePid, from: 0, to: 0, quote: '', text: entry.proposed, author: change?.author ?? '', date: change?.date ?? null, matchedBy: 'text', paragraphNumber: null });
        return;
      }
      if (anchor === null) {
        unmatched.push(entry);
        return;
      }
      const change = entry.changes[0];
      plans.push({
        kind: 'new-paragraph',
        pid: anchor.paragraph.pid,
        from: 0,
        to: 0,
        quote: '',
        text: entry.proposed,
        author: change?.author ?? '',
        date: change?.date ?? null,
        matchedBy: anchor.by,
        paragraphNumber: anchor.paragraph.number,
      });
      return;
    }
    const found = match(entry);
    if (!found) {
      unmatched.push(entry);
      return;
    }
    const { paragraph, by } = found;
    if (entry.wholeParagraph === 'deleted') {
      const change = entry.changes.find((c) => c.kind === 'delete') ?? entry.changes[0];
      plans.push({
        kind: 'delete-paragraph',
        pid: paragraph.pid,
        from: 0,
        to: paragraph.size,
        quote: entry.original,
        text: '',
        author: change?.author ?? '',
        date: change?.date ?? null,
        matchedBy: by,
        paragraphNumber: paragraph.number,
      });
      return;
    }
    // Matched by pid, the paragraph may since have been reworded at will: a change is planned only where the words
    // it needs still stand (below). Matched by number or wording, the text is close, and offsets map through the diff.
    const runs = by === 'id' && entry.original !== paragraph.wording ? diffWords(entry.original, paragraph.wording) : null;
    for (const region of changeRegions(entry)) {
      let start: number;
      let end: number;
      if (runs !== null) {
        const placed = placeRegion(runs, entry.original, paragraph, region);
        if (typeof placed === 'string') {
          unmatched.push({ ...entry, changes: entry.changes.filter((change) => change.offset >= region.from && change.offset <= region.to), reason: placed });
          continue;
        }
        [start, end] = placed;
      } else {
        start = mapOffset(entry.original, paragraph.wording, region.from);
        end = mapOffset(entry.original, paragraph.wording, region.to);
      }
      const from = toProseMirror(paragraph, start, 'start');
      const to = Math.max(from, toProseMirror(paragraph, end, 'end'));
      plans.push({
        kind: 'replace',
        pid: paragraph.pid,
        from,
        to,
        quote: entry.original.slice(region.from, region.to),
        text: region.text,
        author: region.author,
        date: region.date,
        matchedBy: by,
        paragraphNumber: paragraph.number,
      });
    }
  });
  return { plans, unmatched };
}
