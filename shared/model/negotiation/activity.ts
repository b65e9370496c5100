/**
 * The activity log: every proposal, position, withdrawal, decision and status change with who and when, oldest
 * first, filterable by delegation, kind and proposal status, and per proposal. Decisions and status changes come
 * from the append-only log in `D/chair`, so a decision undone and taken again shows its whole history.
 */
import { CHAIR_CODE, type DecisionKind, type PositionKind, type ProposalKind, type StoredStatus } from './types.ts';
import type { ProposalStatus } from './decisions.ts';
import { readLog, type ProblemSink } from './store.ts';
import type { NegotiationSource, ProposalView } from './view.ts';

/** The kinds of activity. */
export const ACTIVITY_KINDS = ['proposal', 'position', 'withdrawal', 'decision', 'status'] as const;

/** One kind of activity. */
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** What every activity entry says: what happened, when, who (and for whom), about what. */
interface ActivityBase {
  readonly kind: ActivityKind;
  readonly at: string;
  /** The person who acted (for a floor record, the delegate named, or the delegation code). */
  readonly by: string;
  /** The delegation that acted, or CHAIR for the chair's decisions and statuses. */
  readonly code: string;
  /** Who of the chair's team recorded it from the floor; null when the actor wrote it. */
  readonly recordedBy: string | null;
  readonly proposalId: string | null;
  readonly pid: string | null;
  /** The current status of the proposal concerned (null for status changes). */
  readonly proposalStatus: ProposalStatus | null;
}

/** A proposal was tabled (or recorded from the floor, or a compromise made). */
export interface ProposalActivity extends ActivityBase {
  readonly kind: 'proposal';
  readonly proposalKind: ProposalKind;
}

/** A delegation's current position on a proposal. */
export interface PositionActivity extends ActivityBase {
  readonly kind: 'position';
  readonly position: PositionKind;
}

/** A proposal was withdrawn by its author. */
export interface WithdrawalActivity extends ActivityBase {
  readonly kind: 'withdrawal';
  readonly reason: string;
}

/** The chair decided on a proposal. */
export interface DecisionActivity extends ActivityBase {
  readonly kind: 'decision';
  readonly decision: DecisionKind;
  readonly reason: string;
  readonly modifiedText: string | null;
  readonly compromiseId: string | null;
}

/** The chair set a paragraph's status. */
export interface StatusActivity extends ActivityBase {
  readonly kind: 'status';
  readonly status: StoredStatus;
  readonly previous: StoredStatus | null;
  readonly reason: string;
}

/** One entry of the activity log. */
export type ActivityEntry = ProposalActivity | PositionActivity | WithdrawalActivity | DecisionActivity | StatusActivity;

const RANK: Readonly<Record<ActivityKind, number>> = { proposal: 0, position: 1, withdrawal: 2, decision: 3, status: 4 };

function compareText(x: string | null, y: string | null): number {
  const a = x ?? '';
  const b = y ?? '';
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the activity log from the proposals' views and the chair's log, in an order every replica shares. */
export function buildActivity(source: NegotiationSource, proposals: readonly ProposalView[]): ActivityEntry[] {
  const entries: Array<{ entry: ActivityEntry; seq: number }> = [];
  const add = (entry: ActivityEntry, seq = 0): void => {
    entries.push({ entry, seq });
  };
  const byId = new Map(proposals.map((view) => [view.id, view]));
  for (const view of proposals) {
    const { proposal } = view;
    const about = { proposalId: proposal.id, pid: proposal.pid, proposalStatus: view.status };
    add({
      kind: 'proposal',
      at: proposal.createdAt,
      by: proposal.author.name,
      code: proposal.author.code,
      recordedBy: proposal.recordedBy,
      proposalKind: proposal.kind,
      ...about,
    });
    for (const record of [...source.ownPositions(proposal.id), ...source.floorPositions(proposal.id)]) {
      if (record.code === proposal.author.code) continue;
      add({ kind: 'position', at: record.at, by: record.by, code: record.code, recordedBy: record.recordedBy, position: record.kind, ...about });
    }
    if (view.withdrawal) {
      const { at, by, code, recordedBy, reason } = view.withdrawal;
      add({ kind: 'withdrawal', at, by, code, recordedBy, reason, ...about });
    }
  }
  const sink: ProblemSink = source.sink;
  const logged = new Set<string>();
  for (const { index, entry } of readLog(source.chair, sink)) {
    if (entry.type === 'status') {
      add(
        {
          kind: 'status',
          at: entry.at,
          by: entry.by,
          code: CHAIR_CODE,
          recordedBy: null,
          proposalId: null,
          pid: entry.pid,
          proposalStatus: null,
          status: entry.status,
          previous: entry.previous,
          reason: entry.reason,
        },
        index,
      );
    } else {
      logged.add(`${entry.proposalId}\u0000${entry.at}\u0000${entry.kind}`);
      add(
        {
          kind: 'decision',
          at: entry.at,
          by: entry.by,
          code: CHAIR_CODE,
          recordedBy: null,
          proposalId: entry.proposalId,
          pid: entry.pid,
          proposalStatus: byId.get(entry.proposalId)?.status ?? null,
          decision: entry.kind,
          reason: entry.reason,
          modifiedText: entry.modifiedText ?? null,
          compromiseId: entry.compromiseId ?? null,
        },
        index,
      );
    }
  }
  // A decision the log does not hold (written by a client that kept no log) still shows.
  for (const view of proposals) {
    const decision = view.decision;
    if (!decision || logged.has(`${view.id}\u0000${decision.at}\u0000${decision.kind}`)) continue;
    add({
      kind: 'decision',
      at: decision.at,
      by: decision.by,
      code: CHAIR_CODE,
      recordedBy: null,
      proposalId: view.id,
      pid: view.proposal.pid,
      proposalStatus: view.status,
      decision: decision.kind,
      reason: decision.reason,
      modifiedText: decision.modifiedText ?? null,
      compromiseId: decision.compromiseId ?? null,
    });
  }
  entries.sort(
    (x, y) =>
      compareText(x.entry.at, y.entry.at) ||
      RANK[x.entry.kind] - RANK[y.entry.kind] ||
      compareText(x.entry.proposalId, y.entry.proposalId) ||
      compareText(x.entry.code, y.entry.code) ||
      compareText(x.entry.pid, y.entry.pid) ||
      x.seq - y.seq,
  );
  return entries.map(({ entry }) => entry);
}

/** What to keep of the activity log; every given criterion must hold. */
export interface ActivityFilter {
  /** Entries by these delegations (CHAIR for the chair's decisions and statuses). */
  readonly codes?: readonly string[];
  readonly kinds?: readonly ActivityKind[];
  /** Entries about proposals now in these statuses (status changes have none and are left out). */
  readonly statuses?: readonly ProposalStatus[];
  readonly pid?: string;
  readonly proposalId?: string;
}

/** The entries that match a filter, in their order. */
export function filterActivity(entries: readonly ActivityEntry[], filter: ActivityFilter): ActivityEntry[] {
  const codes = filter.codes ? new Set(filter.codes) : null;
  const kinds = filter.kinds ? new Set(filter.kinds) : null;
  const statuses = filter.statuses ? new Set(filter.statuses) : null;
  return entries.filter(
    (entry) =>
      (codes === null || codes.has(entry.code)) &&
      (kinds === null || kinds.has(entry.kind)) &&
      (statuses === null || (entry.proposalStatus !== null && statuses.has(entry.proposalStatus))) &&
      (filter.pid === undefined || entry.pid === filter.pid) &&
      (filter.proposalId === undefined || entry.proposalId === filter.proposalId),
  );
}

/**
 * One proposal's history, oldest first: tabled, positions, withdrawal, decisions; for a Chair's compromise also
 * the decisions that merged proposals into it.
 */
export function proposalHistory(entries: readonly ActivityEntry[], proposalId: string): ActivityEntry[] {
  return entries.filter(
    (entry) => entry.proposalId === proposalId || (entry.kind === 'decision' && entry.compromiseId === proposalId),
  );
}
