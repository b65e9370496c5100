/**
 * Importing a delegation's returned Word file with tracked changes into the open document: choose the delegation
 * (the chair's team records on its behalf; a delegation's own code is fixed) and the file, then review one row per
 * planned proposal (paragraph, the words struck and the new words bold-underlined as on the margin cards, Word
 * author and date, how it was matched; untick to skip) and the paragraphs that matched nothing, and record the
 * ticked ones in one action. Nothing is written before that button; cancelling writes nothing.
 */
import { useId, useMemo, useState } from 'react';
import { describeError, type MainApi } from '../../bridge.ts';
import { delegationColor } from '../../negotiation/colors.ts';
import type { NegotiationSession } from '../../negotiation/negotiationSession.ts';
import { FormDialog } from '../FormDialog.tsx';
import {
  PartialRecordError,
  formatWordDate,
  recordPlannedProposals,
  reviewTrackedChanges,
  type PlannedProposal,
  type ProposalReview,
  type UnmatchedParagraph,
} from './proposalPlans.ts';
import './import.css';

/** The dialog's props. */
export interface ImportProposalsDialogProps {
  api: Pick<MainApi, 'chooseWordFile' | 'readDocxChanges'>;
  negotiation: NegotiationSession;
  onClose: () => void;
  /** Called once proposals are recorded, with a sentence for the person and the paragraphs they are on, in order. */
  onDone: (message: string, pids: readonly string[]) => void;
}

type Phase =
  | { readonly kind: 'choose' }
  | { readonly kind: 'reading'; readonly fileName: string }
  | { readonly kind: 'review'; readonly fileName: string; readonly code: string; readonly review: ProposalReview };

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** How the review says a plan was matched to its paragraph. */
const MATCHED_BY: Record<PlannedProposal['plan']['matchedBy'], string> = {
  id: 'same paragraph as exported',
  number: 'matched by number',
  text: 'matched by text',
};

/** "2 matched by paragraph id, 1 by paragraph number, 1 by text", leaving out a kind that matched none. */
function matchedSummary(byId: number, byNumber: number, byText: number): string {
  const parts: string[] = [];
  if (byId > 0) parts.push(`${byId} matched by paragraph id`);
  if (byNumber > 0) parts.push(parts.length === 0 ? `${byNumber} matched by paragraph number` : `${byNumber} by paragraph number`);
  if (byText > 0) parts.push(parts.length === 0 ? `${byText} matched by text` : `${byText} by text`);
  return parts.join(', ');
}

function PlanWording({ item, follows }: { item: PlannedProposal; follows: boolean }) {
  const { plan } = item;
  switch (plan.kind) {
    case 'replace':
      return (
        <p className="import-plan-wording" data-testid="import-plan-wording">
          {item.context && <span className="import-context">{item.context.before}</span>}
          {item.quote !== '' && <del>{item.quote}</del>}
          {plan.text !== '' && <ins>{plan.text}</ins>}
          {item.context && <span className="import-context">{item.context.after}</span>}
        </p>
      );
    case 'new-paragraph':
      return (
        <p className="import-plan-wording" data-testid="import-plan-wording">
          <span className="import-plan-kind">
            {follows ? 'New paragraph after the one above:' : item.reference ? 'New paragraph after it:' : 'New paragraph at the top of the text:'}
          </span>
          <ins>{plan.text}</ins>
        </p>
      );
    case 'delete-paragraph':
      return (
        <p className="import-plan-wording" data-testid="import-plan-wording" title={item.quote}>
          <span className="import-plan-kind">Delete the paragraph:</span>
          <del>{clip(item.quote, 240)}</del>
        </p>
      );
  }
}

function PlanRow({ item, follows, ticked, onToggle }: { item: PlannedProposal; follows: boolean; ticked: boolean; onToggle: () => void }) {
  const { plan } = item;
  const blocked = item.draft === null;
  const date = formatWordDate(plan.date);
  const where = item.reference ? `paragraph ${item.reference}` : 'an unnumbered paragraph';
  return (
    <li
      className={`import-plan${ticked ? '' : ' is-skipped'}${blocked ? ' is-blocked' : ''}`}
      data-testid="import-plan"
      data-pid={plan.pid}
      data-reference={item.reference ?? ''}
      data-kind={plan.kind}
      data-ticked={ticked ? 'true' : 'false'}
    >
      <input type="checkbox" checked={ticked} disabled={blocked} onChange={onToggle} aria-label={`Record the proposal on ${where}`} data-testid="import-plan-tick" />
      <span className="import-plan-ref" data-testid="import-plan-ref">
        {item.reference ? `¶ ${item.reference}` : '¶'}
      </span>
      <div className="import-plan-body">
        <PlanWording item={item} follows={follows} />
        <div className="import-plan-meta" data-testid="import-plan-meta">
          {plan.author.trim() || 'Unknown author'}
          {date && ` · ${date}`}
          <span className="import-plan-match" data-matched-by={plan.matchedBy} data-testid="import-plan-match">
            {MATCHED_BY[plan.matchedBy]}
          </span>
        </div>
        {item.note && (
          <div className="import-plan-note" data-testid="import-plan-note">
            {item.note}
          </div>
        )}
        {item.problem && (
          <div className="import-plan-problem" data-testid="import-plan-problem">
            {item.problem}
          </div>
        )}
      </div>
    </li>
  );
}

function UnmatchedRow({ paragraph }: { paragraph: UnmatchedParagraph }) {
  const date = formatWordDate(paragraph.date);
  return (
    <li data-testid="import-unmatched-item">
      <span className="import-unmatched-text">
        {paragraph.number ? <strong>{paragraph.number} </strong> : null}
        {clip(paragraph.text, 300)}
      </span>
      <span className="import-unmatched-why">
        {paragraph.why}
        {paragraph.author && ` Tracked by ${paragraph.author}${date ? ` on ${date}` : ''}.`}
      </span>
    </li>
  );
}

/** Whether the plan at `index` is a new paragraph that Word put right after the new paragraph planned before it. */
function newParagraphFollows(proposals: readonly PlannedProposal[], index: number): boolean {
  const item = proposals[index];
  const previous = proposals[index - 1];
  return item?.plan.kind === 'new-paragraph' && previous?.plan.kind === 'new-paragraph' && previous.plan.pid === item.plan.pid;
}

/** The import of proposals from a Word file, from choosing the file to recording them. */
export function ImportProposalsDialog({ api, negotiation, onClose, onDone }: ImportProposalsDialogProps) {
  const listId = useId();
  const own = negotiation.identity.role === 'delegation' ? negotiation.identity.code : null;
  const [code, setCode] = useState(own ?? '');
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [skipped, setSkipped] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const registry = negotiation.registry;
  const options = useMemo(
    () => [...registry.memberStates, ...registry.observers, ...registry.groups].map((p) => ({ code: p.code, name: p.name })),
    [registry],
  );

  const typed = code.trim().toUpperCase();
  const knownName = typed === '' ? null : registry.nameOf(typed);

  const chooseFile = async () => {
    setError(null);
    if (typed === '') {
      setError('Say on whose behalf the proposals are recorded: type the delegation’s code (FRA, G77…).');
      return;
    }
    if (!registry.isKnownCode(typed)) {
      setError(`${typed} is not a known delegation, observer or group code.`);
      return;
    }
    let file;
    try {
      file = await api.chooseWordFile({ purpose: 'proposals' });
    } catch (caught) {
      setError(describeError(caught));
      return;
    }
    if (!file) return;
    setPhase({ kind: 'reading', fileName: file.fileName });
    try {
      const { tracked } = await api.readDocxChanges(file);
      if (tracked.length === 0) {
        setPhase({ kind: 'choose' });
        setError(`“${file.fileName}” has no tracked changes, so there is nothing to propose. Was it saved with Track Changes on?`);
        return;
      }
      const review = reviewTrackedChanges(negotiation, tracked, { code: typed, fileName: file.fileName });
      setSkipped(new Set(review.proposals.filter((p) => p.draft === null).map((p) => p.key)));
      setPhase({ kind: 'review', fileName: file.fileName, code: typed, review });
    } catch (caught) {
      setPhase({ kind: 'choose' });
      setError(describeError(caught));
    }
  };

  const record = () => {
    if (phase.kind !== 'review') return;
    const chosen = phase.review.proposals.filter((p) => p.draft !== null && !skipped.has(p.key));
    if (chosen.length === 0) {
      setError('Tick at least one proposal to record, or cancel.');
      return;
    }
    try {
      const { recorded } = recordPlannedProposals(negotiation, chosen, { code: phase.code, fileName: phase.fileName });
      const name = negotiation.nameOf(phase.code);
      onDone(
        `Recorded ${recorded.length} proposal${recorded.length === 1 ? '' : 's'} by ${name} from “${phase.fileName}”.`,
        recorded.map((proposal) => proposal.pid),
      );
    } catch (caught) {
      if (caught instanceof PartialRecordError && caught.recorded.length > 0) {
        onDone(
          caught.message,
          caught.recorded.map((proposal) => proposal.pid),
        );
        return;
      }
      setError(describeError(caught));
    }
  };

  if (phase.kind === 'review') {
    const { review } = phase;
    const ready = review.proposals.filter((p) => p.draft !== null);
    const ticked = ready.filter((p) => !skipped.has(p.key)).length;
    const byId = review.proposals.filter((p) => p.plan.matchedBy === 'id').length;
    const byNumber = review.proposals.filter((p) => p.plan.matchedBy === 'number').length;
    const toggle = (key: string) =>
      setSkipped((current) => {
        const next = new Set(current);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      });
    return (
      <FormDialog
        title={`Proposals from “${phase.fileName}”`}
        submitLabel={`Record ${ticked} proposal${ticked === 1 ? '' : 's'}`}
        error={error}
        onSubmit={record}
        onClose={onClose}
        testId="import-proposals-dialog"
        wide
      >
        <p className="import-summary" data-testid="import-review-summary">
          For{' '}
          <strong style={{ color: delegationColor(phase.code) }}>
            {negotiation.nameOf(phase.code)} ({phase.code})
          </strong>
          : {review.proposals.length} proposal{review.proposals.length === 1 ? '' : 's'} planned from {review.changeCount} tracked change
          {review.changeCount === 1 ? '' : 's'}
          {review.proposals.length > 0 && ` (${matchedSummary(byId, byNumber, review.proposals.length - byId - byNumber)})`}
          {review.unmatched.length > 0 && `; ${review.unmatched.length} paragraph${review.unmatched.length === 1 ? '' : 's'} not matched`}. Untick what should
          not be recorded.
        </p>
        {review.proposals.length > 0 ? (
          <ul className="import-plans" data-testid="import-plans">
            {review.proposals.map((item, index) => (
              <PlanRow
                key={item.key}
                item={item}
                follows={newParagraphFollows(review.proposals, index)}
                ticked={item.draft !== null && !skipped.has(item.key)}
                onToggle={() => toggle(item.key)}
              />
            ))}
          </ul>
        ) : (
          <p className="muted">No tracked change matches a paragraph of the current text.</p>
        )}
        {review.unmatched.length > 0 && (
          <section className="import-section" aria-labelledby={`${listId}-unmatched`}>
            <h3 id={`${listId}-unmatched`}>Not matched ({review.unmatched.length})</h3>
            <ul className="import-unmatched" data-testid="import-unmatched">
              {review.unmatched.map((paragraph) => (
                <UnmatchedRow key={paragraph.key} paragraph={paragraph} />
              ))}
            </ul>
          </section>
        )}
      </FormDialog>
    );
  }

  return (
    <FormDialog
      title="Import proposals from Word"
      submitLabel="Choose Word file…"
      busy={phase.kind === 'reading'}
      busyLabel="Reading…"
      error={error}
      onSubmit={() => void chooseFile()}
      onClose={onClose}
      testId="import-proposals-dialog"
      wide
    >
      <div className="import-choose">
        <p className="import-lead">
          Each insertion and deletion tracked in the file becomes a proposal on the matching paragraph. You review them before anything is
          recorded.
        </p>
        {own ? (
          <p className="import-fixed-delegation" data-testid="import-delegation-fixed">
            Tabled by{' '}
            <strong style={{ color: delegationColor(own) }}>
              {negotiation.nameOf(own)} ({own})
            </strong>
          </p>
        ) : (
          <div className="field-row">
            <label className="field narrow">
              <span>On behalf of</span>
              <input
                value={code}
                onChange={(event) => {
                  setCode(event.target.value);
                  setError(null);
                }}
                list={listId}
                placeholder="FRA"
                autoComplete="off"
                spellCheck={false}
                disabled={phase.kind === 'reading'}
                data-testid="import-delegation"
              />
            </label>
            <span className="floor-name muted" aria-live="polite" data-testid="import-delegation-name">
              {knownName ?? (typed ? 'Unknown code' : '')}
            </span>
            <datalist id={listId}>
              {options.map((option) => (
                <option key={`${option.code}-${option.name}`} value={option.code}>
                  {option.name}
                </option>
              ))}
            </datalist>
          </div>
        )}
        {phase.kind === 'reading' && (
          <p className="import-busy" role="status" data-testid="import-reading">
            Reading “{phase.fileName}”…
          </p>
        )}
      </div>
    </FormDialog>
  );
}
