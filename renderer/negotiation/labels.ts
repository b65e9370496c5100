/**
 * The words the negotiation panes use for kinds, statuses, decisions and positions, in one place so the cards, the
 * compilation, the activity log and the filters say the same thing.
 */
import type { ActivityEntry, DecisionKind, DisplayedStatus, PositionKind, ProposalKind, ProposalStatus, StoredStatus } from '../../shared/model/negotiation/index.ts';
import type { ProposalFate } from '../../shared/model/revisions/index.ts';

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
  merged: 'Merged into a Chair’s compromise',
};

/** A paragraph's status as shown. */
export const PARAGRAPH_STATUS_LABELS: Readonly<Record<DisplayedStatus, string>> = {
  open: 'Open',
  'under negotiation': 'Under negotiation',
  bracketed: 'Bracketed',
  alternatives: 'Alternatives',
  agreed: 'Agreed ad ref',
};

/** The statuses the chair sets, in menu order. */
export const SETTABLE_STATUSES: readonly StoredStatus[] = ['open', 'bracketed', 'alternatives', 'agreed'];

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

/** A time as a person reads it in a log: "26 Nov 2025, 14:05". */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** One sentence for an activity entry, without who and when (the log shows those beside it). */
export function describeActivity(entry: ActivityEntry): string {
  switch (entry.kind) {
    case 'proposal':
      return `tabled a proposal (${KIND_LABELS[entry.proposalKind].toLowerCase()})`;
    case 'position':
      return entry.position === 'support' ? 'supported the proposal' : entry.position === 'oppose' ? 'opposed the proposal' : 'joined as co-sponsor';
    case 'withdrawal':
      return `withdrew the proposal${entry.reason ? `: ${entry.reason}` : ''}`;
    case 'decision':
      return `${DECISION_LABELS[entry.decision].toLowerCase()}: ${entry.reason}`;
    case 'status':
      return `set the paragraph ${PARAGRAPH_STATUS_LABELS[entry.status].toLowerCase()}${entry.reason ? `: ${entry.reason}` : ''}`;
  }
}

/**
 * A proposal's fate in the next revision as a card says it ("Incorporated in part in Rev.2"), or null for a
 * comment, which asks for no change.
 */
export function describeFate(fate: ProposalFate, next: string): string | null {
  switch (fate) {
    case 'incorporated':
      return `Incorporated in ${next}`;
    case 'incorporated in part':
      return `Incorporated in part in ${next}`;
    case 'not incorporated':
      return `Not incorporated in ${next}`;
    case 'paragraph removed':
      return `Paragraph removed in ${next}`;
    case 'not applicable':
      return null;
  }
}
