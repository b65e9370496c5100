/**
 * The words the negotiation panes use for kinds, statuses, decisions and positions, in one place so the cards, the
 * compilation, the activity log and the filters say the same thing.
 */
import { DECISION_LABELS, KIND_LABELS, PARAGRAPH_STATUS_LABELS, type ActivityEntry, type StoredStatus } from '../../shared/model/negotiation/index.ts';

export {
  DECISION_LABELS,
  KIND_LABELS,
  PARAGRAPH_STATUS_LABELS,
  POSITION_LABELS,
  STATUS_LABELS,
  describeKind,
} from '../../shared/model/negotiation/index.ts';
import type { ProposalFate } from '../../shared/model/revisions/index.ts';

/** The statuses the chair sets, in menu order. */
export const SETTABLE_STATUSES: readonly StoredStatus[] = ['open', 'bracketed', 'alternatives', 'agreed'];

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
