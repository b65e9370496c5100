/**
 * Validated reads of what other clients wrote. A value that fails its schema, or claims an author its doc cannot
 * speak for, is left out of every view and reported as a StoredProblem, so one bad entry never hides the rest.
 */
import type * as Y from 'yjs';
import {
  DECISIONS,
  Decision,
  FLOOR,
  FLOOR_POSITIONS,
  FLOOR_WITHDRAWALS,
  FloorPosition,
  FloorWithdrawal,
  LOG,
  LogEntry,
  type PositionKind,
  POSITIONS,
  Position,
  PROPOSALS,
  Proposal,
  STATUSES,
  ParagraphStatus,
  WITHDRAWALS,
  Withdrawal,
} from './types.ts';

/** Where a proposal is stored: its delegation's own doc, or the chair's floor map. */
export type ProposalSource = 'delegation' | 'floor';

/** A proposal read from a doc, with where it came from. */
export interface StoredProposal {
  readonly proposal: Proposal;
  readonly source: ProposalSource;
}

/** A stored value left out of the views because it is malformed or mis-attributed. */
export interface StoredProblem {
  /** `chair` or `d/<code>`. */
  readonly doc: string;
  /** The map or array it sits in. */
  readonly container: string;
  /** Its key (or index, for the log). */
  readonly key: string;
  readonly message: string;
}

/** The Y.Map of proposals in a delegation's doc. */
export function proposalsMap(delegationDoc: Y.Doc): Y.Map<unknown> {
  return delegationDoc.getMap<unknown>(PROPOSALS);
}

/** The Y.Map of positions in a delegation's doc. */
export function positionsMap(delegationDoc: Y.Doc): Y.Map<unknown> {
  return delegationDoc.getMap<unknown>(POSITIONS);
}

/** The Y.Map of withdrawals in a delegation's doc. */
export function withdrawalsMap(delegationDoc: Y.Doc): Y.Map<unknown> {
  return delegationDoc.getMap<unknown>(WITHDRAWALS);
}

/** The Y.Map of decisions in `D/chair`. */
export function decisionsMap(chairDoc: Y.Doc): Y.Map<unknown> {
  return chairDoc.getMap<unknown>(DECISIONS);
}

/** The Y.Map of floor proposals and compromises in `D/chair`. */
export function floorMap(chairDoc: Y.Doc): Y.Map<unknown> {
  return chairDoc.getMap<unknown>(FLOOR);
}

/** The Y.Map of paragraph statuses in `D/chair`. */
export function statusesMap(chairDoc: Y.Doc): Y.Map<unknown> {
  return chairDoc.getMap<unknown>(STATUSES);
}

/** The Y.Map of positions recorded from the floor in `D/chair`. */
export function floorPositionsMap(chairDoc: Y.Doc): Y.Map<unknown> {
  return chairDoc.getMap<unknown>(FLOOR_POSITIONS);
}

/** The Y.Map of withdrawals recorded from the floor in `D/chair`. */
export function floorWithdrawalsMap(chairDoc: Y.Doc): Y.Map<unknown> {
  return chairDoc.getMap<unknown>(FLOOR_WITHDRAWALS);
}

/** The append-only log in `D/chair`. */
export function logArray(chairDoc: Y.Doc): Y.Array<unknown> {
  return chairDoc.getArray<unknown>(LOG);
}

/** The key of a floor position: one per delegation and proposal. */
export function floorPositionKey(code: string, proposalId: string): string {
  return `${code}:${proposalId}`;
}

/**
 * The author code a proposal id starts with: ids are `${code}-${base36 time}-${random}` and the two last parts
 * never hold a dash, while a code may.
 */
export function codeOfProposalId(id: string): string | null {
  const last = id.lastIndexOf('-');
  if (last <= 0) return null;
  const middle = id.lastIndexOf('-', last - 1);
  return middle <= 0 ? null : id.slice(0, middle);
}

/** Collects problems, or drops them when the caller has no use for them. */
export type ProblemSink = ((problem: StoredProblem) => void) | null;

function report(sink: ProblemSink, doc: string, container: string, key: string, message: string): void {
  if (sink) sink({ doc, container, key, message });
}

function firstIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/**
 * A proposal stored under `key` in a delegation's doc (`code` given) or in the floor map (`code` null), when it is
 * well formed and attributed as its place allows: in `D/d/<code>` the author is that delegation and nobody recorded
 * it for them; on the floor someone of the chair's team recorded it.
 */
export function readStoredProposal(value: unknown, key: string, code: string | null, sink: ProblemSink): Proposal | null {
  const doc = code === null ? 'chair' : `d/${code}`;
  const container = code === null ? FLOOR : PROPOSALS;
  const parsed = Proposal.safeParse(value);
  if (!parsed.success) {
    report(sink, doc, container, key, firstIssue(parsed.error));
    return null;
  }
  const proposal = parsed.data;
  if (proposal.id !== key) report(sink, doc, container, key, `stored under ${key} but its id is ${proposal.id}`);
  else if (code !== null && proposal.author.code !== code) {
    report(sink, doc, container, key, `${doc} holds a proposal attributed to ${proposal.author.code}`);
  } else if (code !== null && proposal.recordedBy !== null) {
    report(sink, doc, container, key, 'a delegation\u2019s own proposal is not recorded by anyone else');
  } else if (code === null && proposal.recordedBy === null) {
    report(sink, doc, container, key, 'a proposal from the floor names who recorded it');
  } else return proposal;
  return null;
}

/** The proposal with this id, from its author's doc or the floor (the author's own doc first), or null. */
export function lookupProposal(
  chairDoc: Y.Doc,
  delegationDocs: ReadonlyMap<string, Y.Doc>,
  id: string,
): StoredProposal | null {
  const code = codeOfProposalId(id);
  if (code !== null) {
    const own = delegationDocs.get(code);
    if (own) {
      const proposal = readStoredProposal(proposalsMap(own).get(id), id, code, null);
      if (proposal) return { proposal, source: 'delegation' };
    }
  }
  const floor = floorMap(chairDoc).get(id);
  if (floor === undefined) return null;
  const proposal = readStoredProposal(floor, id, null, null);
  return proposal ? { proposal, source: 'floor' } : null;
}

/** The chair's decision on a proposal, or null (a malformed one counts as none and is reported). */
export function readDecision(chairDoc: Y.Doc, proposalId: string, sink: ProblemSink = null): Decision | null {
  const value = decisionsMap(chairDoc).get(proposalId);
  if (value === undefined) return null;
  const parsed = Decision.safeParse(value);
  if (parsed.success) return parsed.data;
  report(sink, 'chair', DECISIONS, proposalId, firstIssue(parsed.error));
  return null;
}

/** A withdrawal and who made it: the delegation itself, or the chair's team recording it from the floor. */
export interface WithdrawalRecord extends Withdrawal {
  readonly code: string;
  readonly recordedBy: string | null;
}

/**
 * The withdrawal of a proposal by its author: the author's own doc wins over a floor record (the delegation
 * speaks for itself); null when neither holds one.
 */
export function readWithdrawal(
  chairDoc: Y.Doc,
  delegationDocs: ReadonlyMap<string, Y.Doc>,
  proposal: Proposal,
  sink: ProblemSink = null,
): WithdrawalRecord | null {
  const code = proposal.author.code;
  const own = delegationDocs.get(code);
  if (own) {
    const value = withdrawalsMap(own).get(proposal.id);
    if (value !== undefined) {
      const parsed = Withdrawal.safeParse(value);
      if (parsed.success) return { ...parsed.data, code, recordedBy: null };
      report(sink, `d/${code}`, WITHDRAWALS, proposal.id, firstIssue(parsed.error));
    }
  }
  const floor = floorWithdrawalsMap(chairDoc).get(proposal.id);
  if (floor === undefined) return null;
  const parsed = FloorWithdrawal.safeParse(floor);
  if (!parsed.success) {
    report(sink, 'chair', FLOOR_WITHDRAWALS, proposal.id, firstIssue(parsed.error));
    return null;
  }
  if (parsed.data.code !== code) {
    report(sink, 'chair', FLOOR_WITHDRAWALS, proposal.id, `only ${code} can withdraw its proposal`);
    return null;
  }
  return parsed.data;
}

/** A delegation's position on a proposal, from its own doc or recorded from the floor. */
export interface PositionRecord {
  readonly code: string;
  readonly kind: PositionKind;
  readonly by: string;
  readonly at: string;
  /** Who of the chair's team recorded it from the floor; null when the delegation set it itself. */
  readonly recordedBy: string | null;
}

/** A delegation's position read from its own doc under `key`, or null (reported when malformed). */
export function readOwnPosition(code: string, key: string, value: unknown, sink: ProblemSink): PositionRecord | null {
  const parsed = Position.safeParse(value);
  if (!parsed.success) {
    report(sink, `d/${code}`, POSITIONS, key, firstIssue(parsed.error));
    return null;
  }
  if (parsed.data.proposalId !== key) {
    report(sink, `d/${code}`, POSITIONS, key, `stored under ${key} but about ${parsed.data.proposalId}`);
    return null;
  }
  const { kind, by, at } = parsed.data;
  return { code, kind, by, at, recordedBy: null };
}

/** A floor position read from `D/chair` under `key`, or null (reported when malformed). */
export function readFloorPosition(key: string, value: unknown, sink: ProblemSink): (PositionRecord & { proposalId: string }) | null {
  const parsed = FloorPosition.safeParse(value);
  if (!parsed.success) {
    report(sink, 'chair', FLOOR_POSITIONS, key, firstIssue(parsed.error));
    return null;
  }
  const { code, proposalId, kind, by, at, recordedBy } = parsed.data;
  if (key !== floorPositionKey(code, proposalId)) {
    report(sink, 'chair', FLOOR_POSITIONS, key, `stored under ${key} but for ${floorPositionKey(code, proposalId)}`);
    return null;
  }
  return { code, proposalId, kind, by, at, recordedBy };
}

/** A paragraph's stored status, or null when none is stored (or it is malformed, which is reported). */
export function readStatus(chairDoc: Y.Doc, pid: string, sink: ProblemSink = null): ParagraphStatus | null {
  const value = statusesMap(chairDoc).get(pid);
  if (value === undefined) return null;
  const parsed = ParagraphStatus.safeParse(value);
  if (parsed.success) return parsed.data;
  report(sink, 'chair', STATUSES, pid, firstIssue(parsed.error));
  return null;
}

/** Every well-formed log entry with its index in the array (the order every replica agrees on). */
export function readLog(chairDoc: Y.Doc, sink: ProblemSink = null): Array<{ index: number; entry: LogEntry }> {
  const entries: Array<{ index: number; entry: LogEntry }> = [];
  logArray(chairDoc).forEach((value, index) => {
    const parsed = LogEntry.safeParse(value);
    if (parsed.success) entries.push({ index, entry: parsed.data });
    else report(sink, 'chair', LOG, String(index), firstIssue(parsed.error));
  });
  return entries;
}
