/**
 * The status of a proposal, derived from the chair's decision and the author's withdrawal: a decision stands over a
 * withdrawal that crossed it (the chair acted on the text), so the text and the record never disagree.
 */
import type { WithdrawalRecord } from './store.ts';
import type { Decision, DecisionKind } from './types.ts';

/** Where a proposal stands. */
export const PROPOSAL_STATUSES = ['pending', 'accepted', 'accepted-as-modified', 'rejected', 'withdrawn', 'merged'] as const;

/** One proposal status. */
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A proposal's status from its decision and withdrawal. */
export function proposalStatus(decision: Decision | null, withdrawal: WithdrawalRecord | null): ProposalStatus {
  if (decision) return decision.kind satisfies DecisionKind;
  if (withdrawal) return 'withdrawn';
  return 'pending';
}

/** Whether a status still awaits the chair (only pending proposals can be decided, withdrawn or supported). */
export function isOpenStatus(status: ProposalStatus): boolean {
  return status === 'pending';
}
