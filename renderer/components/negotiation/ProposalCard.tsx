/**
 * One proposal as a card: who proposed what against which words, why, with whose support or objection, where it
 * stands (pending, decided with the reason, withdrawn), whether the text has changed under it (old and new wording,
 * never re-applied silently), and the actions this person may take on it, all reachable by keyboard.
 */
import { memo, useMemo, useState, useSyncExternalStore } from 'react';
import type { PositionKind, Proposal, ProposalView } from '../../../shared/model/negotiation/index.ts';
import type { ProposalFate } from '../../../shared/model/revisions/index.ts';
import { CHAIR_CODE, filterActivity, findParagraph, paragraphWording } from '../../../shared/model/negotiation/index.ts';
import { delegationColor } from '../../negotiation/colors.ts';
import { DECISION_LABELS, describeActivity, describeFate, describeKind, formatTime, POSITION_LABELS, STATUS_LABELS } from '../../negotiation/labels.ts';
import type { NegotiationSession } from '../../negotiation/negotiationSession.ts';

/** What a card can ask the window to do. */
export interface CardActions {
  /** Opens the decision dialog (chair). */
  decide(view: ProposalView, kind: 'accepted' | 'accepted-as-modified' | 'rejected'): void;
  /** Opens the withdrawal dialog (own proposal, or the chair from the floor). */
  withdraw(view: ProposalView): void;
  /** Sets or clears this delegation's position (the chair's team: opens the floor dialog). */
  position(view: ProposalView, kind: PositionKind | null): void;
  /** Shows the words in the text. */
  jump(view: ProposalView): void;
  /** Selects or unselects the card for a merge (chair). */
  toggleMerge(view: ProposalView): void;
}

/** The card's props. */
export interface ProposalCardProps {
  negotiation: NegotiationSession;
  view: ProposalView;
  /** How a paragraph is cited ("12"), or null (not numbered, or no longer in the text). */
  referenceOf: (pid: string) => string | null;
  actions: CardActions;
  selectedForMerge: boolean;
  /** Shorter, for the compilation. */
  compact?: boolean;
}

function Codes({ negotiation, codes }: { negotiation: NegotiationSession; codes: readonly string[] }) {
  return (
    <>
      {codes.map((code, index) => (
        <span key={code} title={negotiation.nameOf(code)}>
          {index > 0 ? ', ' : ''}
          <span className="card-code" style={{ color: delegationColor(code) }}>
            {code}
          </span>
        </span>
      ))}
    </>
  );
}

function Wording({ view }: { view: ProposalView }) {
  const { proposal } = view;
  switch (proposal.kind) {
    case 'replace':
      return (
        <p className="card-wording">
          {proposal.quote !== '' && <del>{proposal.quote}</del>}
          {proposal.quote !== '' && proposal.text !== '' && ' → '}
          {proposal.text !== '' && <ins>{proposal.text}</ins>}
        </p>
      );
    case 'new-paragraph':
      return (
        <p className="card-wording">
          <ins>{proposal.text}</ins>
        </p>
      );
    case 'delete-paragraph':
      return (
        <p className="card-wording" title={proposal.quote}>
          <del>{clip(proposal.quote, 160)}</del>
        </p>
      );
    case 'move-paragraph':
      return (
        <p className="card-wording muted" title={proposal.quote}>
          {clip(proposal.quote, 140)}
        </p>
      );
    case 'comment':
      return (
        <>
          {proposal.quote !== '' && proposal.from !== null && <p className="card-quote">“{proposal.quote}”</p>}
          <p className="card-wording card-comment">{proposal.text}</p>
        </>
      );
  }
}

/** Text shortened for a card. */
function clip(text: string, max = 220): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The state of the text under the proposal, when it is not as the proposal found it. */
function TextState({ negotiation, view, reference }: { negotiation: NegotiationSession; view: ProposalView; reference: string | null }) {
  if (view.orphaned) {
    return (
      <div className="card-flag is-problem" data-testid="card-orphaned" role="note">
        Paragraph {reference ?? ''} has been deleted from the text since this proposal was made. It is kept here; it can
        only be rejected or withdrawn.
      </div>
    );
  }
  if (view.targetGone) {
    return (
      <div className="card-flag is-problem" role="note">
        The paragraph it was to follow has been deleted since.
      </div>
    );
  }
  if (view.overtaken && view.status === 'pending') {
    // The words were replaced or deleted (the span collapsed, or its ends are gone): show the paragraph as it reads.
    const now = view.wording.current === null || view.wording.current === '' ? paragraphNow(negotiation, view.proposal.pid) : null;
    return (
      <div className="card-flag is-overtaken" data-testid="card-overtaken" role="note">
        <strong>The text has changed since this proposal was made.</strong> It will not be applied as it stands.
        <span className="card-then-now">
          <span>
            Then: <q>{view.wording.quoted || '(nothing: an insertion)'}</q>
          </span>
          {now === null ? (
            <span>
              Now: <q>{view.wording.current}</q>
            </span>
          ) : (
            <span>
              Now the words are gone; the paragraph reads: <q>{clip(now)}</q>
            </span>
          )}
        </span>
      </div>
    );
  }
  return null;
}

/**
 * A mark beside the fate for the eye (the words say it all; the mark and the colour of `.card-fate.is-<fate>` in
 * styles.css only help scanning a column).
 */
const FATE_MARKS: Readonly<Record<ProposalFate, string>> = {
  incorporated: '✓',
  'incorporated in part': '◐',
  'not incorporated': '✗',
  'paragraph removed': '–',
  'not applicable': '',
};

/**
 * The revision the proposal was made against and, once the next is cut, what became of it there. Judged by the
 * session once per pair of revisions; the card only looks it up, again only when a revision is cut.
 */
function RevisionLine({ negotiation, proposal }: { negotiation: NegotiationSession; proposal: Proposal }) {
  const revisionsVersion = useSyncExternalStore(negotiation.subscribeRevisions, negotiation.getRevisionsVersion);
  const note = useMemo(() => {
    void revisionsVersion;
    return negotiation.revisionNote(proposal);
  }, [negotiation, proposal, revisionsVersion]);
  if (note.madeAgainst === null && note.next === null) return null;
  const fateText = note.fate !== null && note.next !== null ? describeFate(note.fate, note.next) : null;
  const mark = note.fate !== null ? FATE_MARKS[note.fate] : null;
  return (
    <p className="card-meta card-revision" data-testid="card-revision">
      <span data-testid="card-made-against">{note.madeAgainst === null ? 'Made before the first revision' : `Made against ${note.madeAgainst}`}</span>
      {fateText !== null && mark !== null && (
        <>
          {' · '}
          <strong className={`card-fate is-${note.fate?.replace(/ /g, '-')}`} data-testid="card-fate" data-fate={note.fate}>
            <span aria-hidden="true">{mark}</span> {fateText}
          </strong>
        </>
      )}
      {note.problem !== null && (
        <>
          {' · '}
          <span data-testid="card-fate-problem" title={note.problem}>
            Fate in {note.next} unknown: that revision cannot be opened
          </span>
        </>
      )}
    </p>
  );
}

function History({ negotiation, view }: { negotiation: NegotiationSession; view: ProposalView }) {
  const entries = filterActivity(negotiation.snapshot().activity, { proposalId: view.id });
  const compromise = negotiation.snapshot().activity.filter((entry) => entry.kind === 'decision' && entry.compromiseId === view.id);
  const all = [...entries, ...compromise.filter((entry) => !entries.includes(entry))];
  return (
    <ol className="card-history" data-testid="card-history">
      {all.map((entry, index) => (
        <li key={`${entry.at}-${index}`}>
          <time dateTime={entry.at}>{formatTime(entry.at)}</time> <strong>{entry.code === CHAIR_CODE ? entry.by : `${entry.code} (${entry.by})`}</strong>{' '}
          {describeActivity(entry)}
          {entry.recordedBy ? <span className="muted"> — recorded from the floor by {entry.recordedBy}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** One proposal card. */
export const ProposalCard = memo(function ProposalCard({ negotiation, view, referenceOf, actions, selectedForMerge, compact = false }: ProposalCardProps) {
  // Secondary actions and the proposal's whole history, on demand: the margin stays compact.
  const [showMore, setShowMore] = useState(false);
  const { proposal, status } = view;
  const reference = referenceOf(proposal.pid);
  const code = proposal.author.code;
  const color = delegationColor(code);
  const identity = negotiation.identity;
  const pending = status === 'pending';
  const own = identity.role === 'delegation' && identity.code === code;
  const ownPosition = identity.role === 'delegation' && identity.code !== null ? positionOf(view, identity.code) : null;
  const canTakePosition = pending && identity.role === 'delegation' && !own && code !== CHAIR_CODE;
  const kindLabel = describeKind(proposal.kind, proposal.quote, proposal.text);
  const label = `${kindLabel} by ${negotiation.nameOf(code)}${reference ? `, paragraph ${reference}` : ''}, ${STATUS_LABELS[status]}`;
  return (
    <article
      className={`proposal-card status-${status}${compact ? ' compact' : ''}${selectedForMerge ? ' is-selected' : ''}`}
      style={{ ['--prop-color' as string]: color }}
      data-testid="proposal-card"
      data-proposal={proposal.id}
      data-code={code}
      data-status={status}
      data-kind={proposal.kind}
      aria-label={label}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget) return;
        if (event.key === 'Enter') actions.jump(view);
      }}
    >
      <header className="card-head">
        <span className="card-author">
          <span className="card-code" style={{ color }}>
            {code === CHAIR_CODE ? 'Chair' : code}
          </span>{' '}
          <span className="card-name">{code === CHAIR_CODE ? 'compromise' : negotiation.nameOf(code)}</span>
        </span>
        <span className={`card-status is-${status}`} data-testid="card-status">
          {STATUS_LABELS[status]}
        </span>
      </header>
      <div className="card-kind">
        {kindLabel}
        {reference ? ` · ¶ ${reference}` : ''}
        {proposal.kind === 'move-paragraph'
          ? proposal.afterPid === null
            ? ' → to the top'
            : ` → after ¶ ${referenceOf(proposal.afterPid) ?? '(a paragraph no longer in the text)'}`
          : ''}
      </div>
      <Wording view={view} />
      <TextState negotiation={negotiation} view={view} reference={reference} />
      {view.lockedTarget && pending && (
        <div className="card-flag is-locked" role="note">
          The paragraph is agreed ad ref: nothing can be applied to it until the Chair reopens it.
        </div>
      )}
      {!compact && proposal.rationale && <p className="card-rationale">{proposal.rationale}</p>}
      {proposal.agreedLanguage && (
        <p className="card-agreed" data-testid="card-agreed-language">
          Agreed language: <cite>{proposal.agreedLanguage}</cite>
        </p>
      )}
      <p className="card-meta">
        {proposal.author.name !== code && <>by {proposal.author.name} · </>}
        <time dateTime={proposal.createdAt}>{formatTime(proposal.createdAt)}</time>
        {proposal.recordedBy && code !== CHAIR_CODE && (
          <span className="card-floor" data-testid="card-floor">
            {' '}
            · recorded from the floor by {proposal.recordedBy}
          </span>
        )}
      </p>
      <RevisionLine negotiation={negotiation} proposal={proposal} />
      {(view.positions.counts.support > 0 || view.positions.counts.oppose > 0 || view.positions.counts.cosponsor > 0) && (
        <ul className="card-positions" data-testid="card-positions">
          {(['cosponsor', 'support', 'oppose'] as const).map((kind) =>
            view.positions[kind].length > 0 ? (
              <li key={kind} className={`position-${kind}`} data-position={kind} data-count={view.positions.counts[kind]}>
                {POSITION_LABELS[kind]} <Codes negotiation={negotiation} codes={view.positions[kind].map((entry) => entry.code)} /> ({view.positions.counts[kind]})
              </li>
            ) : null,
          )}
        </ul>
      )}
      {view.decision && (
        <p className="card-decision" data-testid="card-decision">
          <strong>{DECISION_LABELS[view.decision.kind]}</strong> by {view.decision.by}: {view.decision.reason}
          {view.decision.modifiedText !== undefined && (
            <>
              {' '}
              — as <ins>{view.decision.modifiedText}</ins>
            </>
          )}
        </p>
      )}
      {view.withdrawal && (
        <p className="card-decision" data-testid="card-withdrawal">
          <strong>Withdrawn</strong> by {view.withdrawal.by}
          {view.withdrawal.recordedBy ? ` (recorded by ${view.withdrawal.recordedBy})` : ''}
          {view.withdrawal.reason ? `: ${view.withdrawal.reason}` : ''}
        </p>
      )}
      {view.mergedFrom.length > 0 && <p className="card-meta">Compromise merging {view.mergedFrom.length} proposal{view.mergedFrom.length === 1 ? '' : 's'}.</p>}
      <div className="card-actions">
        {canTakePosition &&
          (['support', 'oppose', 'cosponsor'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className={`button small position-button${ownPosition === kind ? ' is-active' : ''}`}
              aria-pressed={ownPosition === kind}
              onClick={() => actions.position(view, ownPosition === kind ? null : kind)}
              data-testid={`card-${kind}`}
            >
              {kind === 'support' ? 'Support' : kind === 'oppose' ? 'Oppose' : 'Co-sponsor'}
            </button>
          ))}
        {pending && own && (
          <button type="button" className="button small" onClick={() => actions.withdraw(view)} data-testid="card-withdraw">
            Withdraw
          </button>
        )}
        {pending && identity.role === 'chair' && (
          <>
            <button type="button" className="button small primary" onClick={() => actions.decide(view, 'accepted')} data-testid="card-accept">
              Accept
            </button>
            {proposal.kind !== 'comment' && (
              <button type="button" className="button small" onClick={() => actions.decide(view, 'accepted-as-modified')} title="Accept as modified" data-testid="card-modify">
                As modified…
              </button>
            )}
            <button type="button" className="button small" onClick={() => actions.decide(view, 'rejected')} data-testid="card-reject">
              Reject
            </button>
            <label className="card-merge" title="Select for a merge into a Chair’s compromise">
              <input type="checkbox" checked={selectedForMerge} onChange={() => actions.toggleMerge(view)} data-testid="card-merge" /> Merge
            </label>
          </>
        )}
        <button
          type="button"
          className="link-button small card-more"
          aria-expanded={showMore}
          onClick={() => setShowMore((v) => !v)}
          data-testid="card-more"
        >
          {showMore ? 'Less' : 'More'}
        </button>
      </div>
      {showMore && (
        <div className="card-actions card-more-actions">
          {!view.orphaned && (
            <button type="button" className="link-button small" onClick={() => actions.jump(view)} data-testid="card-show">
              Show in text
            </button>
          )}
          {pending && identity.role === 'chair' && code !== CHAIR_CODE && (
            <>
              <button type="button" className="link-button small" onClick={() => actions.position(view, 'support')} data-testid="card-floor-position">
                Record a position…
              </button>
              <button type="button" className="link-button small" onClick={() => actions.withdraw(view)} data-testid="card-floor-withdraw">
                Record its withdrawal…
              </button>
            </>
          )}
        </div>
      )}
      {showMore && <History negotiation={negotiation} view={view} />}
    </article>
  );
});

/** The paragraph's wording now, read from the text (a whole-document walk: only for the rare overtaken card). */
function paragraphNow(negotiation: NegotiationSession, pid: string): string {
  const paragraph = findParagraph(negotiation.text, pid);
  return paragraph ? paragraphWording(paragraph) : '';
}

/** The position a delegation holds on a proposal, or null. */
function positionOf(view: ProposalView, code: string): PositionKind | null {
  for (const kind of ['support', 'oppose', 'cosponsor'] as const) {
    if (view.positions[kind].some((entry) => entry.code === code && !entry.listedByAuthor)) return kind;
  }
  return null;
}
