/**
 * What became of a proposal in the next revision, read from that revision's text alone (never from decisions):
 * the chair may have taken a proposal in without deciding it, or decided it and then rewritten the paragraph.
 */
import type * as Y from 'yjs';
import type { Node as ProseMirrorNode, Schema } from 'prosemirror-model';
import type { Proposal } from '../negotiation/types.ts';
import { listRevisions, revisionDocument, revisionLabelKey } from './store.ts';
import { RevisionError, type RevisionEntry } from './types.ts';

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

/** One pid-carrying textblock of a revision, as fates read it. */
interface Block {
  readonly pid: string;
  readonly wording: string;
  readonly topLevel: boolean;
  /** Its word pairs counted, filled the first time a new paragraph is looked for in it. */
  pairs?: Map<string, number>;
}

/**
 * A revision's text read once for judging fates: its blocks in order, where each pid stands, and its body blocks
 * (so judging many proposals against one revision costs a look-up each, not a walk of the document each).
 */
interface PreparedText {
  readonly blocks: readonly Block[];
  /** pid -> position in `blocks` (the first block with it). */
  readonly at: ReadonlyMap<string, number>;
  /** The top-level blocks in order (the body; the title sits inside the header). */
  readonly topLevel: readonly Block[];
  /** pid -> position in `topLevel`. */
  readonly topAt: ReadonlyMap<string, number>;
}

/** The pid-carrying textblocks of a document in order, with their wording. */
function prepare(doc: ProseMirrorNode): PreparedText {
  const blocks: Block[] = [];
  doc.descendants((node, _pos, parent) => {
    const pid = node.attrs['pid'];
    if (typeof pid === 'string' && pid !== '' && node.isTextblock) {
      blocks.push({ pid, wording: blockWording(node), topLevel: parent === doc });
    }
    return !node.inlineContent;
  });
  const at = new Map<string, number>();
  blocks.forEach((block, index) => {
    if (!at.has(block.pid)) at.set(block.pid, index);
  });
  const topLevel = blocks.filter((block) => block.topLevel);
  const topAt = new Map<string, number>();
  topLevel.forEach((block, index) => {
    if (!topAt.has(block.pid)) topAt.set(block.pid, index);
  });
  return { blocks, at, topLevel, topAt };
}

function blockAt(text: PreparedText, pid: string): Block | undefined {
  const index = text.at.get(pid);
  return index === undefined ? undefined : text.blocks[index];
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

function pairsOf(block: Block): Map<string, number> {
  if (!block.pairs) block.pairs = counts(pairs(words(block.wording)));
  return block.pairs;
}

/** The share of the `wanted` word pairs (counted, `total` in all) found in `block`, each pair used once. */
function recall(wanted: ReadonlyMap<string, number>, total: number, block: Block): number {
  if (total === 0) return 0;
  const available = pairsOf(block);
  let found = 0;
  for (const [pair, n] of wanted) found += Math.min(n, available.get(pair) ?? 0);
  return found / total;
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

function newParagraphFate(proposal: Proposal, next: PreparedText, base: PreparedText | null): ProposalFate {
  const wanted = proposal.text.trim();
  const wantedList = pairs(words(wanted));
  const wantedPairs = counts(wantedList);
  const anchor = next.at.get(proposal.pid) ?? -1;
  let best = 0;
  // After the anchor; when the anchor itself is gone, anywhere. Paragraphs that were already there do not count.
  for (let index = anchor + 1; index < next.blocks.length; index += 1) {
    const block = next.blocks[index] as Block;
    if (base !== null && base.at.has(block.pid)) continue;
    if (block.wording.includes(wanted)) return 'incorporated';
    best = Math.max(best, recall(wantedPairs, wantedList.length, block));
  }
  if (best >= WHOLE) return 'incorporated';
  return best >= SOME ? 'incorporated in part' : 'not incorporated';
}

function moveFate(proposal: Proposal, next: PreparedText): ProposalFate {
  // Body blocks only: the title sits inside the header, so it is never top level and "to the top" means first.
  const at = next.topAt.get(proposal.pid);
  if (at === undefined) return 'paragraph removed';
  const previous = next.topLevel[at - 1];
  if (proposal.afterPid === null) return at === 0 ? 'incorporated' : 'not incorporated';
  return previous?.pid === proposal.afterPid ? 'incorporated' : 'not incorporated';
}

/** The fate of `proposal` in the prepared text of the next revision, sharpened by the text it was made against. */
function judge(proposal: Proposal, next: PreparedText, base: PreparedText | null): ProposalFate {
  if (proposal.kind === 'comment') return 'not applicable';
  const paragraph = blockAt(next, proposal.pid);
  switch (proposal.kind) {
    case 'delete-paragraph':
      return paragraph ? 'not incorporated' : 'incorporated';
    case 'new-paragraph':
      return newParagraphFate(proposal, next, base);
    case 'move-paragraph':
      return moveFate(proposal, next);
    case 'replace': {
      if (!paragraph) return 'paragraph removed';
      const baseWording = base === null ? null : (blockAt(base, proposal.pid)?.wording ?? null);
      return replaceFate(proposal, paragraph.wording, baseWording);
    }
  }
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
  return judge(proposal, prepare(nextRevisionDoc), baseDoc ? prepare(baseDoc) : null);
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
 * The revision `proposal` was made against (the one whose label it records) and the next one: the first cut after
 * that one and after the proposal was made (a delegation working offline may table a proposal against Rev.1 after
 * Rev.2 was cut; Rev.2 never saw it). Null while there is none; `revisions` oldest first, as listRevisions gives them.
 */
export function revisionsAround(
  proposal: Proposal,
  revisions: readonly RevisionEntry[],
): { madeAgainst: RevisionEntry | null; next: RevisionEntry | null } {
  const key = proposal.revision === null ? null : revisionLabelKey(proposal.revision);
  const againstIndex = key === null ? -1 : revisions.findIndex((entry) => revisionLabelKey(entry.label) === key);
  const made = Date.parse(proposal.createdAt);
  const next = revisions.find((entry, index) => index > againstIndex && Date.parse(entry.at) > made) ?? null;
  return { madeAgainst: revisions[againstIndex] ?? null, next };
}

/**
 * Where `proposal` stands across the revisions in `chairDoc`: pass `revisions` (from listRevisions) and a
 * `documents` cache when judging many proposals, so each revision's text is decoded once (RevisionFates does that
 * and more for a window showing many cards). Throws RevisionError 'unreadable' when a revision cannot be opened.
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
  const { madeAgainst, next } = revisionsAround(proposal, revisions);
  if (!next) return { madeAgainst, next: null, fate: null };
  return { madeAgainst, next, fate: proposalFate(proposal, open(next), madeAgainst ? open(madeAgainst) : undefined) };
}

/** What a proposal card says about the revisions: the one it was made against and its fate in the next. */
export interface RevisionFateNote {
  /** The revision label the proposal records ('Rev.1'), or null when it was made before the zero draft. */
  readonly madeAgainst: string | null;
  /** The label of the next revision, or null while none has been cut since. */
  readonly next: string | null;
  /** Its fate in `next`, or null while there is none or when `next` cannot be opened. */
  readonly fate: ProposalFate | null;
  /** Why the fate could not be judged (the next revision's text cannot be opened), or null. */
  readonly problem: string | null;
}

/**
 * The fates of many proposals across one document's revisions, for a window showing their cards: each revision's
 * text is decoded and read once, and each proposal's fate is judged once per pair of revisions (the one it was made
 * against, the next) and kept, since revisions and proposals are both immutable: typing in the current text or
 * re-rendering a card costs a look-up. A revision that cannot be opened gives a note with a problem, never a throw.
 */
export class RevisionFates {
  readonly #schema: Schema | undefined;
  #revisions: readonly RevisionEntry[] = [];
  /** Revision id -> its prepared text, or why it cannot be opened. */
  readonly #texts = new Map<string, PreparedText | RevisionError>();
  /** "<made against id>\u0000<next id>" -> proposal id -> note. */
  readonly #pairs = new Map<string, Map<string, RevisionFateNote>>();

  constructor(options: { schema?: Schema } = {}) {
    this.#schema = options.schema;
  }

  /** The revisions judged against, oldest first. */
  get revisions(): readonly RevisionEntry[] {
    return this.#revisions;
  }

  /** Follows the revision list (from listRevisions); what was judged against revisions still listed is kept. */
  setRevisions(revisions: readonly RevisionEntry[]): void {
    this.#revisions = revisions;
    const ids = new Set(revisions.map((entry) => entry.id));
    for (const id of [...this.#texts.keys()]) if (!ids.has(id)) this.#texts.delete(id);
    for (const key of [...this.#pairs.keys()]) {
      const [against = '', next = ''] = key.split('\u0000');
      if ((against !== '' && !ids.has(against)) || !ids.has(next)) this.#pairs.delete(key);
    }
  }

  /** How many revision texts have been decoded and kept (for tests and the benchmark). */
  get decodedTexts(): number {
    return this.#texts.size;
  }

  /** The note for `proposal`: computed the first time for its pair of revisions, then read from the memo. */
  noteOf(proposal: Proposal): RevisionFateNote {
    const { madeAgainst, next } = revisionsAround(proposal, this.#revisions);
    if (!next) return { madeAgainst: proposal.revision, next: null, fate: null, problem: null };
    const key = `${madeAgainst?.id ?? ''}\u0000${next.id}`;
    let pair = this.#pairs.get(key);
    if (!pair) {
      pair = new Map();
      this.#pairs.set(key, pair);
    }
    const known = pair.get(proposal.id);
    if (known) return known;
    const nextText = this.#text(next);
    let note: RevisionFateNote;
    if (nextText instanceof RevisionError) {
      note = { madeAgainst: proposal.revision, next: next.label, fate: null, problem: nextText.message };
    } else {
      // Without the text it was made against the judgement is rougher, but still a judgement.
      const base = madeAgainst ? this.#text(madeAgainst) : null;
      const fate = judge(proposal, nextText, base instanceof RevisionError ? null : base);
      note = { madeAgainst: proposal.revision, next: next.label, fate, problem: null };
    }
    pair.set(proposal.id, note);
    return note;
  }

  #text(entry: RevisionEntry): PreparedText | RevisionError {
    let text = this.#texts.get(entry.id);
    if (text) return text;
    try {
      text = prepare(revisionDocument(entry, this.#schema));
    } catch (error) {
      text = error instanceof RevisionError ? error : new RevisionError('unreadable', `Revision \u201c${entry.label}\u201d cannot be opened: ${String(error)}`);
    }
    this.#texts.set(entry.id, text);
    return text;
  }
}
