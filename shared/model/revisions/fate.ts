/**
 * What became of a proposal in the next revision, read from that revision's text alone (never from decisions):
 * the chair may have taken a proposal in without deciding it, or decided it and then rewritten the paragraph.
 */
import type * as Y from 'yjs';
import type { Node as ProseMirrorNode, Schema } from 'prosemirror-model';
import type { Proposal } from '../negotiation/types.ts';
import { listRevisions, revisionDocument } from './store.ts';
import type { RevisionEntry } from './types.ts';

/** The fates a proposal can meet in the next revision; 'not applicable' is a comment's, which asks for no change. */
export const PROPOSAL_FATES = ['incorporated', 'incorporated in part', 'not incorporated', 'paragraph removed', 'not applicable'] as const;

/** One fate. */
export type ProposalFate = (typeof PROPOSAL_FATES)[number];

/** Share of a new paragraph's word pairs that must be found for it to count as taken in whole. */
const WHOLE = 0.8;
/** Share below which a new paragraph counts as not taken at all (a few shared pairs are coincidence). */
const SOME = 0.3;

/** The wording of a textblock as proposals quote it: text, a newline per hard break, `[^note]` per footnote. */
export function blockWording(block: ProseMirrorNode): string {
  let wording = '';
  block.forEach((child) => {
    if (child.isText) wording += child.text ?? '';
    else if (child.type.name === 'hard_break') wording += '\n';
    else if (child.type.name === 'footnote') wording += `[^${child.textContent}]`;
    else wording += '\uFFFC';
  });
  return wording;
}

/** The pid-carrying textblocks of a document in order, with their wording. */
function blocksOf(doc: ProseMirrorNode): Array<{ pid: string; wording: string; topLevel: boolean }> {
  const blocks: Array<{ pid: string; wording: string; topLevel: boolean }> = [];
  doc.descendants((node, _pos, parent) => {
    const pid = node.attrs['pid'];
    if (typeof pid === 'string' && pid !== '' && node.isTextblock) {
      blocks.push({ pid, wording: blockWording(node), topLevel: parent === doc });
    }
    return !node.inlineContent;
  });
  return blocks;
}

/** Lower-case words (letters and digits), the unit of "some of it was taken". */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function counts(list: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of list) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

/** Adjacent word pairs (a single word stands alone), so shared "the" and "of" do not look like shared text. */
function pairs(list: readonly string[]): string[] {
  if (list.length < 2) return [...list];
  return list.slice(1).map((word, index) => `${list[index]} ${word}`);
}

/** The share of `text`'s word pairs found in `candidate`, each pair used once. */
function recall(text: string, candidate: string): number {
  const wanted = pairs(words(text));
  if (wanted.length === 0) return 0;
  const available = counts(pairs(words(candidate)));
  let found = 0;
  for (const pair of wanted) {
    const left = available.get(pair) ?? 0;
    if (left > 0) {
      found += 1;
      available.set(pair, left - 1);
    }
  }
  return found / wanted.length;
}

function replaceFate(proposal: Proposal, wording: string, baseWording: string | null): ProposalFate {
  const { quote, text } = proposal;
  const textPresent = text === '' || wording.includes(text);
  // The replacement may contain the quote ("shall" -> "shall not"): look for the quote outside it.
  const outside = text === '' ? wording : wording.split(text).join('\u0000');
  const quoteGone = quote === '' || !outside.includes(quote);
  if (textPresent && quoteGone) return 'incorporated';
  // Word by word: the words it adds and the words it removes, each counted once per difference.
  const quoteCounts = counts(words(quote));
  const textCounts = counts(words(text));
  const now = counts(words(wording));
  const before = baseWording === null ? null : counts(words(baseWording));
  let hits = 0;
  for (const [word, n] of textCounts) {
    if (n <= (quoteCounts.get(word) ?? 0)) continue;
    // With the text it was made against, an added word counts only if there are more of it than there were.
    const added = before === null ? (now.get(word) ?? 0) > 0 : (now.get(word) ?? 0) > (before.get(word) ?? 0);
    if (added) hits += 1;
  }
  for (const [word, n] of quoteCounts) {
    if (n <= (textCounts.get(word) ?? 0)) continue;
    const removed = before === null ? !now.has(word) : (now.get(word) ?? 0) < (before.get(word) ?? 0);
    if (removed) hits += 1;
  }
  return hits > 0 ? 'incorporated in part' : 'not incorporated';
}

function newParagraphFate(proposal: Proposal, next: ReturnType<typeof blocksOf>, basePids: ReadonlySet<string> | null): ProposalFate {
  const wanted = proposal.text.trim();
  const anchor = next.findIndex((block) => block.pid === proposal.pid);
  // After the anchor; when the anchor itself is gone, anywhere. Paragraphs that were already there do not count.
  const candidates = next.slice(anchor + 1).filter((block) => basePids === null || !basePids.has(block.pid));
  let best = 0;
  for (const block of candidates) {
    if (block.wording.includes(wanted)) return 'incorporated';
    best = Math.max(best, recall(wanted, block.wording));
  }
  if (best >= WHOLE) return 'incorporated';
  return best >= SOME ? 'incorporated in part' : 'not incorporated';
}

function moveFate(proposal: Proposal, next: ReturnType<typeof blocksOf>): ProposalFate {
  // Body blocks only: the title sits inside the header, so it is never top level and "to the top" means first.
  const topLevel = next.filter((block) => block.topLevel);
  const at = topLevel.findIndex((block) => block.pid === proposal.pid);
  if (at < 0) return 'paragraph removed';
  const previous = topLevel[at - 1];
  if (proposal.afterPid === null) return at === 0 ? 'incorporated' : 'not incorporated';
  return previous?.pid === proposal.afterPid ? 'incorporated' : 'not incorporated';
}

/**
 * What became of `proposal` in `nextRevisionDoc`, judged by the paragraph with its pid. A replacement is
 * incorporated when its text is there and the quoted words are gone, in part when some of its added words appear
 * or some removed words went; a new paragraph when a paragraph after the anchor holds (mostly) its text; a deletion
 * when the paragraph is gone; a move when the paragraph follows its target. `baseDoc`, the text the proposal was
 * made against, sharpens the word counts (words already there do not count as added) and excludes old paragraphs.
 */
export function proposalFate(proposal: Proposal, nextRevisionDoc: ProseMirrorNode, baseDoc?: ProseMirrorNode): ProposalFate {
  if (proposal.kind === 'comment') return 'not applicable';
  const next = blocksOf(nextRevisionDoc);
  const base = baseDoc ? blocksOf(baseDoc) : null;
  const paragraph = next.find((block) => block.pid === proposal.pid);
  switch (proposal.kind) {
    case 'delete-paragraph':
      return paragraph ? 'not incorporated' : 'incorporated';
    case 'new-paragraph':
      return newParagraphFate(proposal, next, base ? new Set(base.map((block) => block.pid)) : null);
    case 'move-paragraph':
      return moveFate(proposal, next);
    case 'replace': {
      if (!paragraph) return 'paragraph removed';
      const baseWording = base?.find((block) => block.pid === proposal.pid)?.wording ?? null;
      return replaceFate(proposal, paragraph.wording, baseWording);
    }
  }
}

/** A proposal's place in the revision history: the revision it was made against, the next one, and its fate there. */
export interface ProposalRevisionFate {
  /** The revision named by the proposal's `revision` label, or null (made before the zero draft, or label unknown). */
  readonly madeAgainst: RevisionEntry | null;
  /** The first revision cut after the proposal was made, or null while there is none. */
  readonly next: RevisionEntry | null;
  /** Its fate in `next`, or null while there is no next revision. */
  readonly fate: ProposalFate | null;
}

/**
 * Where `proposal` stands across the revisions in `chairDoc`: pass `revisions` (from listRevisions) and a
 * `documents` cache when judging many proposals, so each revision's text is decoded once.
 */
export function proposalRevisionFate(
  proposal: Proposal,
  chairDoc: Y.Doc,
  options: { revisions?: readonly RevisionEntry[]; documents?: Map<string, ProseMirrorNode>; schema?: Schema } = {},
): ProposalRevisionFate {
  const revisions = options.revisions ?? listRevisions(chairDoc);
  const documents = options.documents ?? new Map<string, ProseMirrorNode>();
  const open = (entry: RevisionEntry): ProseMirrorNode => {
    let doc = documents.get(entry.id);
    if (!doc) {
      doc = revisionDocument(entry, options.schema);
      documents.set(entry.id, doc);
    }
    return doc;
  };
  const madeAgainst = proposal.revision === null ? null : (revisions.find((entry) => entry.label === proposal.revision) ?? null);
  const made = Date.parse(proposal.createdAt);
  const next = revisions.find((entry) => Date.parse(entry.at) > made && entry !== madeAgainst) ?? null;
  if (!next) return { madeAgainst, next: null, fate: null };
  return { madeAgainst, next, fate: proposalFate(proposal, open(next), madeAgainst ? open(madeAgainst) : undefined) };
}
