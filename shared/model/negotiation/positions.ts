/**
 * Tallies of support, objection and co-sponsorship on a proposal. A delegation holds one position per proposal;
 * what it set in its own doc wins over what the chair's team recorded for it from the floor, which wins over being
 * listed as co-sponsor by the author. A delegation's position on its own proposal counts for nothing.
 */
import type { PositionRecord } from './store.ts';
import type { PositionKind, Proposal } from './types.ts';

/** One delegation's position as shown. */
export interface PositionEntry extends PositionRecord {
  /** The author listed this delegation as co-sponsor when tabling the proposal. */
  readonly listedByAuthor: boolean;
}

/** Positions on one proposal: names per kind (sorted by code) and counts. */
export interface PositionTally {
  readonly support: readonly PositionEntry[];
  readonly oppose: readonly PositionEntry[];
  readonly cosponsor: readonly PositionEntry[];
  readonly counts: Readonly<Record<PositionKind, number>>;
}

/** Tallies the positions on a proposal from its delegations' own records and the floor records. */
export function tallyPositions(
  proposal: Proposal,
  own: Iterable<PositionRecord>,
  floor: Iterable<PositionRecord>,
): PositionTally {
  const byCode = new Map<string, PositionEntry>();
  for (const code of proposal.cosponsors) {
    byCode.set(code, {
      code,
      kind: 'cosponsor',
      by: proposal.author.name,
      at: proposal.createdAt,
      recordedBy: proposal.recordedBy,
      listedByAuthor: true,
    });
  }
  for (const record of floor) byCode.set(record.code, { ...record, listedByAuthor: false });
  for (const record of own) byCode.set(record.code, { ...record, listedByAuthor: false });
  byCode.delete(proposal.author.code);
  const entries = [...byCode.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const support = entries.filter((entry) => entry.kind === 'support');
  const oppose = entries.filter((entry) => entry.kind === 'oppose');
  const cosponsor = entries.filter((entry) => entry.kind === 'cosponsor');
  return {
    support,
    oppose,
    cosponsor,
    counts: { support: support.length, oppose: oppose.length, cosponsor: cosponsor.length },
  };
}
