/**
 * The words for kinds, statuses, decisions and positions, in one place so the panes, the compilation and every
 * export say the same thing.
 */
import type { ProposalStatus } from './decisions.ts';
import type { DecisionKind, DisplayedStatus, PositionKind, ProposalKind } from './types.ts';

/** What a kind of proposal asks for, as a short label. */
export const KIND_LABELS: Readonly<Record<ProposalKind, string>> = {
  replace: 'Change words',
  'new-paragraph': 'New paragraph',
  'delete-paragraph': 'Delete paragraph',
  'move-paragraph': 'Move paragraph',
  comment: 'Comment',
};

/** Where a proposal stands, as a label. */
export const STATUS_LABELS: Readonly<Record<ProposalStatus, string>> = {
  pending: 'Pending',
  accepted: 'Accepted',
  'accepted-as-modified': 'Accepted as modified',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  merged: 'Merged',
};

/** What the chair decided, in the past tense. */
export const DECISION_LABELS: Readonly<Record<DecisionKind, string>> = {
  accepted: 'Accepted',
  'accepted-as-modified': 'Accepted as modified',
  rejected: 'Rejected',
  merged: 'Merged into a Chair\u2019s compromise',
};

/** A paragraph's status as shown. */
export const PARAGRAPH_STATUS_LABELS: Readonly<Record<DisplayedStatus, string>> = {
  open: 'Open',
  'under negotiation': 'Under negotiation',
  bracketed: 'Bracketed',
  alternatives: 'Alternatives',
  agreed: 'Agreed ad ref',
};

/** A position, as a verb phrase for lists ("Supported by"). */
export const POSITION_LABELS: Readonly<Record<PositionKind, string>> = {
  support: 'Supported by',
  oppose: 'Opposed by',
  cosponsor: 'Co-sponsored by',
};

/** A kind of proposal with the word for a replacement that inserts or deletes only ("Insert words"). */
export function describeKind(kind: ProposalKind, quote: string, text: string): string {
  if (kind !== 'replace') return KIND_LABELS[kind];
  if (quote === '') return 'Insert words';
  if (text === '') return 'Delete words';
  return 'Replace words';
}
