/**
 * The negotiation as a reader sees it: every proposal with its derived status, overtaken check and positions, and
 * every paragraph with its counts and displayed status. The same two functions build one proposal's and one
 * paragraph's view for the whole-document snapshot ({@link readNegotiation}) and for the live index
 * (./live.ts), so the two cannot drift apart.
 */
import type * as Y from 'yjs';
import { buildActivity, type ActivityEntry } from './activity.ts';
import { proposalStatus, PROPOSAL_STATUSES, type ProposalStatus } from './decisions.ts';
import { checkAgainstText } from './overtaken.ts';
import { tallyPositions, type PositionTally } from './positions.ts';
import { displayedStatus } from './statuses.ts';
import {
  decisionsMap,
  floorMap,
  floorPositionsMap,
  positionsMap,
  proposalsMap,
  readDecision,
  readFloorPosition,
  readOwnPosition,
  readStatus,
  readStoredProposal,
  readWithdrawal,
  statusesMap,
  type PositionRecord,
  type ProblemSink,
  type ProposalSource,
  type StoredProblem,
  type StoredProposal,
  type WithdrawalRecord,
} from './store.ts';
import { indexParagraphs, textFragment } from './text.ts';
import {
  PROPOSAL_KINDS,
  type Decision,
  type DisplayedStatus,
  type ParagraphStatus,
  type Proposal,
  type ProposalKind,
  type StoredStatus,
} from './types.ts';

/** What the view functions need to know about the docs; the snapshot and the live index both provide it. */
export interface NegotiationSource {
  readonly text: Y.Doc;
  readonly chair: Y.Doc;
  readonly delegations: ReadonlyMap<string, Y.Doc>;
  /** The element holding a pid in `D/text`, or null. */
  paragraph(pid: string): Y.XmlElement | null;
  /** The ids of the proposals against a pid. */
  proposalIdsAt(pid: string): Iterable<string>;
  /** A proposal by id. */
  stored(id: string): StoredProposal | undefined;
  /** The positions delegations set in their own docs on a proposal. */
  ownPositions(id: string): Iterable<PositionRecord>;
  /** The positions recorded from the floor on a proposal. */
  floorPositions(id: string): Iterable<PositionRecord>;
  /** The ids of the proposals merged into a compromise. */
  mergedInto(compromiseId: string): readonly string[];
  /** Where malformed stored values are reported, if anywhere. */
  readonly sink: ProblemSink;
}

/** One proposal as shown. */
export interface ProposalView {
  readonly id: string;
  readonly proposal: Proposal;
  readonly source: ProposalSource;
  readonly status: ProposalStatus;
  readonly decision: Decision | null;
  readonly withdrawal: WithdrawalRecord | null;
  /** Pending, and the text no longer reads as quoted or it cannot be placed: shown with old and new wording. */
  readonly overtaken: boolean;
  /** Pending, and its paragraph is gone. */
  readonly orphaned: boolean;
  /** A pending move whose target paragraph is gone. */
  readonly targetGone: boolean;
  /** Pending, and its paragraph is agreed ad ref (locked). */
  readonly lockedTarget: boolean;
  /** The words it was made against and what stands there now (null when that cannot be found). */
  readonly wording: { readonly quoted: string; readonly current: string | null };
  /** The span's current offsets in its paragraph, for decorations; null for paragraph kinds or lost anchors. */
  readonly span: { readonly from: number; readonly to: number } | null;
  readonly positions: PositionTally;
  /** The compromise it was merged into. */
  readonly compromiseId: string | null;
  /** For a Chair's compromise: the proposals merged into it, sorted. */
  readonly mergedFrom: readonly string[];
}

/** Counts of proposals against one paragraph. */
export interface ParagraphCounts {
  readonly total: number;
  /** Pending proposals, comments included. */
  readonly pending: number;
  readonly byStatus: Readonly<Record<ProposalStatus, number>>;
  readonly byKind: Readonly<Record<ProposalKind, number>>;
}

/** One paragraph as shown in the negotiation. */
export interface ParagraphView {
  readonly pid: string;
  /** Whether the pid is still in the text (a deleted paragraph keeps its proposals, orphaned). */
  readonly exists: boolean;
  /** The stored status record, or null when the chair never set one. */
  readonly stored: ParagraphStatus | null;
  readonly status: StoredStatus;
  /** The stored status, or 'under negotiation' when open with pending proposals (comments do not count). */
  readonly displayed: DisplayedStatus;
  readonly locked: boolean;
  readonly counts: ParagraphCounts;
  /** Its proposals, oldest first. */
  readonly proposals: readonly ProposalView[];
}

/** The whole negotiation of a document. */
export interface NegotiationView {
  /** Paragraphs in text order, then pids no longer in the text that still have proposals or a status (sorted). */
  readonly paragraphs: readonly ParagraphView[];
  /** Every proposal, oldest first. */
  readonly proposals: readonly ProposalView[];
  readonly byId: ReadonlyMap<string, ProposalView>;
  readonly byPid: ReadonlyMap<string, ParagraphView>;
  /** Every proposal, position, withdrawal, decision and status change, oldest first. */
  readonly activity: readonly ActivityEntry[];
  /** Stored values left out because they are malformed or mis-attributed. */
  readonly problems: readonly StoredProblem[];
}

/** Oldest first; the id breaks ties, so every replica lists them alike. */
export function compareProposals(x: Proposal, y: Proposal): number {
  if (x.createdAt !== y.createdAt) return x.createdAt < y.createdAt ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** Builds one proposal's view. */
export function proposalView(source: NegotiationSource, stored: StoredProposal): ProposalView {
  const { proposal } = stored;
  const decision = readDecision(source.chair, proposal.id, source.sink);
  const withdrawal = readWithdrawal(source.chair, source.delegations, proposal, source.sink);
  const check = checkAgainstText(source.text, proposal, (pid) => source.paragraph(pid));
  const status = proposalStatus(decision, withdrawal);
  // The flags warn before a decision; once decided or withdrawn the text moved on by design (an accepted
  // replacement no longer reads its quote), so only the wording is kept.
  const pending = status === 'pending';
  return {
    id: proposal.id,
    proposal,
    source: stored.source,
    status,
    decision,
    withdrawal,
    overtaken: pending && check.overtaken,
    orphaned: pending && check.orphaned,
    targetGone: pending && check.targetGone,
    lockedTarget: pending && readStatus(source.chair, proposal.pid)?.status === 'agreed',
    wording: { quoted: proposal.quote, current: check.current },
    span: check.span,
    positions: tallyPositions(proposal, source.ownPositions(proposal.id), source.floorPositions(proposal.id)),
    compromiseId: decision?.kind === 'merged' ? (decision.compromiseId ?? null) : null,
    mergedFrom: [...source.mergedInto(proposal.id)].sort(),
  };
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Builds one paragraph's view from its proposals (costs the proposals against this pid, not the document). */
export function paragraphView(source: NegotiationSource, pid: string): ParagraphView {
  const proposals: ProposalView[] = [];
  for (const id of source.proposalIdsAt(pid)) {
    const stored = source.stored(id);
    if (stored) proposals.push(proposalView(source, stored));
  }
  proposals.sort((x, y) => compareProposals(x.proposal, y.proposal));
  const byStatus = zeroCounts(PROPOSAL_STATUSES);
  const byKind = zeroCounts(PROPOSAL_KINDS);
  let negotiating = 0;
  for (const view of proposals) {
    byStatus[view.status] += 1;
    byKind[view.proposal.kind] += 1;
    if (view.status === 'pending' && view.proposal.kind !== 'comment') negotiating += 1;
  }
  const stored = readStatus(source.chair, pid, source.sink);
  const status = stored?.status ?? 'open';
  return {
    pid,
    exists: source.paragraph(pid) !== null,
    stored,
    status,
    displayed: displayedStatus(status, negotiating),
    locked: status === 'agreed',
    counts: { total: proposals.length, pending: byStatus.pending, byStatus, byKind },
    proposals,
  };
}

/** A NegotiationSource built by reading every doc once: the snapshot behind {@link readNegotiation}. */
export function snapshotSource(
  textDoc: Y.Doc,
  chairDoc: Y.Doc,
  delegationDocs: ReadonlyMap<string, Y.Doc>,
  sink: ProblemSink = null,
): NegotiationSource & { readonly order: readonly string[]; readonly ids: readonly string[]; readonly statusPids: readonly string[] } {
  const index = indexParagraphs(textFragment(textDoc));
  const stored = new Map<string, StoredProposal>();
  const byPid = new Map<string, string[]>();
  const own = new Map<string, PositionRecord[]>();
  const floor = new Map<string, PositionRecord[]>();
  const merged = new Map<string, string[]>();
  const push = <V>(map: Map<string, V[]>, key: string, value: V): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  // Codes in a fixed order, so problems (and anything else order-sensitive) come out alike on every replica.
  const codes = [...delegationDocs.keys()].sort();
  for (const code of codes) {
    const doc = delegationDocs.get(code) as Y.Doc;
    proposalsMap(doc).forEach((value, key) => {
      const proposal = readStoredProposal(value, key, code, sink);
      if (proposal) stored.set(key, { proposal, source: 'delegation' });
    });
    positionsMap(doc).forEach((value, key) => {
      const record = readOwnPosition(code, key, value, sink);
      if (record) push(own, key, record);
    });
  }
  floorMap(chairDoc).forEach((value, key) => {
    const proposal = readStoredProposal(value, key, null, sink);
    if (!proposal) return;
    // The delegation's own doc speaks for it; a floor copy under the same id (practically never) gives way.
    if (stored.has(key)) sink?.({ doc: 'chair', container: 'floor', key, message: 'the same id is in its delegation\u2019s doc' });
    else stored.set(key, { proposal, source: 'floor' });
  });
  floorPositionsMap(chairDoc).forEach((value, key) => {
    const record = readFloorPosition(key, value, sink);
    if (record) push(floor, record.proposalId, record);
  });
  decisionsMap(chairDoc).forEach((_value, id) => {
    const decision = readDecision(chairDoc, id);
    if (decision?.kind === 'merged' && decision.compromiseId !== undefined) push(merged, decision.compromiseId, id);
  });
  const ids = [...stored.keys()].sort((x, y) => compareProposals((stored.get(x) as StoredProposal).proposal, (stored.get(y) as StoredProposal).proposal));
  for (const id of ids) push(byPid, (stored.get(id) as StoredProposal).proposal.pid, id);
  const statusPids: string[] = [];
  statusesMap(chairDoc).forEach((_value, pid) => statusPids.push(pid));
  return {
    text: textDoc,
    chair: chairDoc,
    delegations: delegationDocs,
    sink,
    order: index.order,
    ids,
    statusPids: statusPids.sort(),
    paragraph: (pid) => index.elements.get(pid) ?? null,
    proposalIdsAt: (pid) => byPid.get(pid) ?? [],
    stored: (id) => stored.get(id),
    ownPositions: (id) => own.get(id) ?? [],
    floorPositions: (id) => floor.get(id) ?? [],
    mergedInto: (id) => merged.get(id) ?? [],
  };
}

/**
 * Reads the whole negotiation of a document from its Y.Docs: `D/text`, `D/chair` and the delegations' docs this
 * client holds (code -> `D/d/<code>`). Deterministic: replicas holding the same updates read the same view.
 */
export function readNegotiation(
  textDoc: Y.Doc,
  chairDoc: Y.Doc,
  delegationDocs: ReadonlyMap<string, Y.Doc>,
): NegotiationView {
  const problems: StoredProblem[] = [];
  const seen = new Set<string>();
  const sink: ProblemSink = (problem) => {
    // A value read twice (a decision, for its proposal and for a compromise) is reported once.
    const key = `${problem.doc}\u0000${problem.container}\u0000${problem.key}\u0000${problem.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  const source = snapshotSource(textDoc, chairDoc, delegationDocs, sink);
  const pids = [...source.order];
  const inText = new Set(pids);
  const gone = new Set<string>();
  for (const id of source.ids) {
    const pid = (source.stored(id) as StoredProposal).proposal.pid;
    if (!inText.has(pid)) gone.add(pid);
  }
  for (const pid of source.statusPids) if (!inText.has(pid)) gone.add(pid);
  pids.push(...[...gone].sort());
  const paragraphs = pids.map((pid) => paragraphView(source, pid));
  const byPid = new Map(paragraphs.map((paragraph) => [paragraph.pid, paragraph]));
  const proposals = paragraphs.flatMap((paragraph) => paragraph.proposals).sort((x, y) => compareProposals(x.proposal, y.proposal));
  const byId = new Map(proposals.map((proposal) => [proposal.id, proposal]));
  const activity = buildActivity(source, proposals);
  const sortedProblems = problems.sort((x, y) => {
    const a = `${x.doc}\u0000${x.container}\u0000${x.key}\u0000${x.message}`;
    const b = `${y.doc}\u0000${y.container}\u0000${y.key}\u0000${y.message}`;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return { paragraphs, proposals, byId, byPid, activity, problems: sortedProblems };
}
