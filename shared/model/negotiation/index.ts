/**
 * The negotiation model: proposals as data in each delegation's Y.Doc, the chair's decisions and statuses in
 * `D/chair`, and the reader that derives what everyone sees. Import from here.
 */
export * from './types.ts';
export { ProposalDraft, newProposalId, type NegotiationDocs, type WriterOptions, type ProposalAuthorship } from './proposals.ts';
export { DelegationNegotiator } from './delegation.ts';
export { ChairNegotiator, type ChairOptions } from './chair.ts';
export { NegotiationUndo } from './undo.ts';
export { planApplication, type ApplyOptions } from './apply.ts';
export { checkAgainstText, type TextCheck, type ParagraphLookup } from './overtaken.ts';
export { isLocked, lockedPids, lockedPidsTouched, displayedStatus } from './statuses.ts';
export { PROPOSAL_STATUSES, proposalStatus, type ProposalStatus } from './decisions.ts';
export { DECISION_LABELS, KIND_LABELS, PARAGRAPH_STATUS_LABELS, POSITION_LABELS, STATUS_LABELS, describeKind } from './labels.ts';
export { tallyPositions, type PositionEntry, type PositionTally } from './positions.ts';
export {
  readNegotiation,
  paragraphView,
  proposalView,
  compareProposals,
  type NegotiationSource,
  type NegotiationView,
  type ParagraphView,
  type ParagraphCounts,
  type ProposalView,
} from './view.ts';
export {
  ACTIVITY_KINDS,
  filterActivity,
  proposalHistory,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityKind,
  type DecisionActivity,
  type PositionActivity,
  type ProposalActivity,
  type StatusActivity,
  type WithdrawalActivity,
} from './activity.ts';
export { NegotiationIndex, type NegotiationChange } from './live.ts';
export {
  codeOfProposalId,
  lookupProposal,
  type PositionRecord,
  type ProposalSource,
  type StoredProblem,
  type StoredProposal,
  type WithdrawalRecord,
} from './store.ts';
export {
  textFragment,
  textDocument,
  indexParagraphs,
  findParagraph,
  paragraphWording,
  spanWording,
  paragraphSize,
  spanPositions,
  resolveSpan,
  type PidIndex,
} from './text.ts';
