/**
 * The negotiation's dialogs: tabling a proposal (or recording one from the floor), deciding on one, withdrawing
 * it, recording a position from the floor, merging proposals into a Chair's compromise, and setting a paragraph's
 * status. Every refusal of the model (a locked paragraph, an empty replacement, an unknown delegation) is shown in
 * the dialog, next to what was typed, which is kept.
 */
import { useId, useMemo, useState } from 'react';
import type { PositionKind, ProposalDraft, ProposalKind, ProposalView, StoredStatus } from '../../../shared/model/negotiation/index.ts';
import { CHAIR_CODE, PROPOSAL_KINDS } from '../../../shared/model/negotiation/index.ts';
import { describeError } from '../../bridge.ts';
import { delegationColor } from '../../negotiation/colors.ts';
import { ghostLabel } from '../../negotiation/decorations.ts';
import { KIND_LABELS, PARAGRAPH_STATUS_LABELS, SETTABLE_STATUSES } from '../../negotiation/labels.ts';
import type { FloorSpeaker, NegotiationSession } from '../../negotiation/negotiationSession.ts';
import type { SelectedSpan } from '../../negotiation/selection.ts';
import { FormDialog } from '../FormDialog.tsx';

/** The codes a person typed ("BRA, deu; ZAF") as codes. */
export function parseCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((code) => code.trim().toUpperCase())
        .filter((code) => code !== ''),
    ),
  ];
}

/** The datalist of every delegation, observer and group, for the code fields. */
function ParticipantList({ id, negotiation }: { id: string; negotiation: NegotiationSession }) {
  const registry = negotiation.registry;
  const options = useMemo(
    () => [
      ...registry.memberStates.map((p) => ({ code: p.code, name: p.name })),
      ...registry.observers.map((p) => ({ code: p.code, name: p.name })),
      ...registry.groups.map((p) => ({ code: p.code, name: p.name })),
    ],
    [registry],
  );
  return (
    <datalist id={id}>
      {options.map((option) => (
        <option key={`${option.code}-${option.name}`} value={option.code}>
          {option.name}
        </option>
      ))}
    </datalist>
  );
}

/** The chair's team's "on behalf of" fields: the delegation that spoke, and optionally the delegate's name. */
function FloorFields({
  negotiation,
  code,
  speaker,
  onCode,
  onSpeaker,
  listId,
}: {
  negotiation: NegotiationSession;
  code: string;
  speaker: string;
  onCode: (code: string) => void;
  onSpeaker: (name: string) => void;
  listId: string;
}) {
  const known = code.trim() === '' ? null : negotiation.registry.nameOf(code.trim().toUpperCase());
  return (
    <div className="field-row">
      <label className="field narrow">
        <span>On behalf of</span>
        <input
          value={code}
          onChange={(event) => onCode(event.target.value)}
          list={listId}
          placeholder="FRA"
          autoComplete="off"
          spellCheck={false}
          data-testid="floor-code"
          aria-describedby={`${listId}-name`}
        />
      </label>
      <label className="field">
        <span>Delegate who spoke (optional)</span>
        <input value={speaker} onChange={(event) => onSpeaker(event.target.value)} data-testid="floor-speaker" />
      </label>
      <span id={`${listId}-name`} className="floor-name muted" aria-live="polite">
        {known ?? (code.trim() ? 'Unknown code' : '')}
      </span>
    </div>
  );
}

/** The props of the proposal dialog. */
export interface ProposeDialogProps {
  negotiation: NegotiationSession;
  span: SelectedSpan;
  kind: ProposalKind;
  /** Paragraphs a move can go after. */
  choices: ReadonlyArray<{ pid: string; reference: string | null; text: string }>;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** Tabling a proposal against one paragraph. */
export function ProposeDialog({ negotiation, span, kind: initialKind, choices, onClose, onDone }: ProposeDialogProps) {
  const listId = useId();
  const [kind, setKind] = useState<ProposalKind>(initialKind);
  const [text, setText] = useState(initialKind === 'replace' ? span.quote : '');
  const [rationale, setRationale] = useState('');
  const [agreedLanguage, setAgreedLanguage] = useState('');
  const [cosponsors, setCosponsors] = useState('');
  const [floorCode, setFloorCode] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [afterPid, setAfterPid] = useState<string>(() => choices.find((c) => c.pid !== span.pid)?.pid ?? '');
  const [error, setError] = useState<string | null>(null);
  const chair = negotiation.isChair;
  const where = span.reference ? `paragraph ${span.reference}` : 'this paragraph';
  const hasWords = span.from < span.to;

  const submit = () => {
    const base = {
      pid: span.pid,
      rationale: rationale.trim(),
      agreedLanguage: agreedLanguage.trim() === '' ? null : agreedLanguage.trim(),
      cosponsors: parseCodes(cosponsors),
    };
    let draft: ProposalDraft;
    switch (kind) {
      case 'replace':
        draft = { ...base, kind, span: { from: span.from, to: span.to }, text };
        break;
      case 'comment':
        draft = { ...base, kind, span: hasWords ? { from: span.from, to: span.to } : null, text };
        break;
      case 'new-paragraph':
        draft = { ...base, kind, text };
        break;
      case 'delete-paragraph':
        draft = { ...base, kind };
        break;
      case 'move-paragraph':
        draft = { ...base, kind, afterPid: afterPid === '' ? null : afterPid };
        break;
    }
    const floor: FloorSpeaker | undefined = chair ? { code: floorCode.trim().toUpperCase(), speaker } : undefined;
    try {
      if (chair && floor?.code === '') throw new Error('Say on whose behalf the proposal is recorded: type the delegation’s code (FRA, G77…).');
      const proposal = negotiation.propose(draft, floor);
      onDone(chair ? `Recorded ${proposal.author.code}’s proposal on ${where}.` : `Your proposal on ${where} is tabled.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <FormDialog
      title={chair ? `Record a proposal from the floor on ${where}` : `Propose on ${where}`}
      submitLabel={chair ? 'Record proposal' : 'Table proposal'}
      error={error}
      onSubmit={submit}
      onClose={onClose}
      testId="propose-dialog"
      wide
    >
      {negotiation.isLocked(span.pid) && (
        <p className="dialog-warning" data-testid="propose-locked" role="note">
          {where[0]?.toUpperCase()}
          {where.slice(1)} is agreed ad ref and locked: no proposal can be made on it until the Chair reopens it.
        </p>
      )}
      {chair && <FloorFields negotiation={negotiation} code={floorCode} speaker={speaker} onCode={setFloorCode} onSpeaker={setSpeaker} listId={listId} />}
      <fieldset className="choice-list kind-choice" role="radiogroup" aria-label="What is proposed">
        <legend>What is proposed</legend>
        {PROPOSAL_KINDS.map((option) => (
          <label key={option} className="choice inline">
            <input type="radio" name="proposal-kind" value={option} checked={kind === option} onChange={() => setKind(option)} data-testid={`kind-${option}`} />
            {option === 'replace' ? (hasWords ? 'Replace or delete the selected words' : 'Insert words at the caret') : KIND_LABELS[option]}
          </label>
        ))}
      </fieldset>
      {(kind === 'replace' || (kind === 'comment' && hasWords)) && (
        <blockquote className="dialog-quote" data-testid="proposal-quote">
          {hasWords ? span.quote : <span className="muted">Insertion point in {where}</span>}
        </blockquote>
      )}
      {(kind === 'delete-paragraph' || kind === 'move-paragraph') && (
        <blockquote className={`dialog-quote${kind === 'delete-paragraph' ? ' struck' : ''}`}>{span.paragraphText}</blockquote>
      )}
      {kind === 'replace' && (
        <label className="field">
          <span>{hasWords ? 'Proposed wording (leave empty to delete the words)' : 'Words to insert'}</span>
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={3} data-testid="proposal-text" />
        </label>
      )}
      {kind === 'new-paragraph' && (
        <label className="field">
          <span>Text of the new paragraph ({ghostLabel(span.reference)}, after {where})</span>
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={4} data-testid="proposal-text" />
        </label>
      )}
      {kind === 'comment' && (
        <label className="field">
          <span>Comment {hasWords ? 'on the selected words' : `on ${where}`}</span>
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={3} data-testid="proposal-text" />
        </label>
      )}
      {kind === 'move-paragraph' && (
        <label className="field">
          <span>Move it after</span>
          <select value={afterPid} onChange={(event) => setAfterPid(event.target.value)} data-testid="proposal-after">
            <option value="">The top of the document</option>
            {choices
              .filter((choice) => choice.pid !== span.pid)
              .map((choice) => (
                <option key={choice.pid} value={choice.pid}>
                  {choice.reference ? `¶ ${choice.reference}` : '¶'} — {choice.text.slice(0, 60)}
                </option>
              ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Rationale</span>
        <textarea value={rationale} onChange={(event) => setRationale(event.target.value)} rows={2} data-testid="proposal-rationale" />
      </label>
      <div className="field-row">
        <label className="field">
          <span>Agreed language (optional)</span>
          <input value={agreedLanguage} onChange={(event) => setAgreedLanguage(event.target.value)} placeholder="A/78/265, para. 23 (a)" data-testid="proposal-agreed" />
        </label>
        <label className="field">
          <span>Co-sponsors (codes)</span>
          <input
            value={cosponsors}
            onChange={(event) => setCosponsors(event.target.value)}
            list={`${listId}-cosponsors`}
            placeholder="BRA, ZAF"
            autoComplete="off"
            spellCheck={false}
            data-testid="proposal-cosponsors"
          />
        </label>
      </div>
      <ParticipantList id={listId} negotiation={negotiation} />
      <ParticipantList id={`${listId}-cosponsors`} negotiation={negotiation} />
    </FormDialog>
  );
}

/** The props of the decision dialog. */
export interface DecisionDialogProps {
  negotiation: NegotiationSession;
  view: ProposalView;
  kind: 'accepted' | 'accepted-as-modified' | 'rejected';
  reference: string | null;
  onClose: () => void;
  onDone: (message: string) => void;
}

const DECIDE_TITLES = { accepted: 'Accept', 'accepted-as-modified': 'Accept as modified', rejected: 'Reject' } as const;

/** The chair's decision on one proposal, with its reason (and the wording, accepted as modified). */
export function DecisionDialog({ negotiation, view, kind, reference, onClose, onDone }: DecisionDialogProps) {
  const { proposal } = view;
  const [reason, setReason] = useState('');
  const [modified, setModified] = useState(() => (proposal.kind === 'delete-paragraph' || proposal.kind === 'move-paragraph' ? (view.wording.current ?? proposal.quote) : proposal.text));
  const [error, setError] = useState<string | null>(null);
  const who = proposal.author.code === CHAIR_CODE ? 'the Chair’s compromise' : `${negotiation.nameOf(proposal.author.code)}’s proposal`;
  const submit = () => {
    try {
      if (kind === 'accepted') negotiation.accept(proposal.id, reason);
      else if (kind === 'rejected') negotiation.reject(proposal.id, reason);
      else negotiation.acceptAsModified(proposal.id, modified, reason);
      onDone(`${DECIDE_TITLES[kind] === 'Reject' ? 'Rejected' : 'Accepted'} ${who}${reference ? ` on paragraph ${reference}` : ''}.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <FormDialog title={`${DECIDE_TITLES[kind]} ${who}`} submitLabel={DECIDE_TITLES[kind]} error={error} onSubmit={submit} onClose={onClose} testId="decision-dialog" wide>
      {view.overtaken && (
        <p className="dialog-warning" role="note">
          The text has changed since this proposal was made (it quoted “{view.wording.quoted}”, the text now reads “{view.wording.current ?? '—'}”).{' '}
          {kind === 'accepted' ? 'It cannot be applied as it stands: accept it as modified, with the wording to use.' : ''}
        </p>
      )}
      {kind === 'accepted-as-modified' && (
        <label className="field">
          <span>Wording to use</span>
          <textarea value={modified} onChange={(event) => setModified(event.target.value)} rows={4} data-testid="decision-text" />
        </label>
      )}
      <label className="field">
        <span>Reason (kept with the decision)</span>
        <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={1000} data-testid="decision-reason" />
      </label>
    </FormDialog>
  );
}

/** Withdrawing a pending proposal: a delegation its own; the chair's team records the author's withdrawal. */
export function WithdrawDialog({ negotiation, view, onClose, onDone }: { negotiation: NegotiationSession; view: ProposalView; onClose: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const code = view.proposal.author.code;
  const submit = () => {
    try {
      negotiation.withdraw(view.id, reason.trim());
      onDone(negotiation.isChair ? `Recorded that ${code} withdrew its proposal.` : 'Your proposal is withdrawn.');
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <FormDialog
      title={negotiation.isChair ? `Record that ${negotiation.nameOf(code)} withdraws its proposal` : 'Withdraw your proposal'}
      submitLabel="Withdraw"
      error={error}
      onSubmit={submit}
      onClose={onClose}
      testId="withdraw-dialog"
    >
      <label className="field">
        <span>Reason (optional)</span>
        <input value={reason} onChange={(event) => setReason(event.target.value)} data-testid="withdraw-reason" />
      </label>
    </FormDialog>
  );
}

/** The chair's team records a position a delegation stated on the floor. */
export function FloorPositionDialog({
  negotiation,
  view,
  onClose,
  onDone,
}: {
  negotiation: NegotiationSession;
  view: ProposalView;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const listId = useId();
  const [code, setCode] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [kind, setKind] = useState<PositionKind | 'clear'>('support');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const delegation = code.trim().toUpperCase();
    try {
      if (delegation === '') throw new Error('Type the code of the delegation that stated the position.');
      negotiation.setPosition(view.id, kind === 'clear' ? null : kind, { code: delegation, speaker });
      onDone(kind === 'clear' ? `Cleared ${delegation}’s position.` : `Recorded ${delegation}’s position.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <FormDialog title="Record a position from the floor" submitLabel="Record" error={error} onSubmit={submit} onClose={onClose} testId="floor-position-dialog" wide>
      <FloorFields negotiation={negotiation} code={code} speaker={speaker} onCode={setCode} onSpeaker={setSpeaker} listId={listId} />
      <fieldset className="choice-list" aria-label="Position">
        <legend>Position</legend>
        {(['support', 'oppose', 'cosponsor', 'clear'] as const).map((option) => (
          <label key={option} className="choice inline">
            <input type="radio" name="floor-position" checked={kind === option} onChange={() => setKind(option)} data-testid={`floor-position-${option}`} />
            {option === 'support' ? 'Supports' : option === 'oppose' ? 'Opposes' : option === 'cosponsor' ? 'Joins as co-sponsor' : 'No position (clear)'}
          </label>
        ))}
      </fieldset>
      <ParticipantList id={listId} negotiation={negotiation} />
    </FormDialog>
  );
}

/**
 * The compromise a merge starts from: on one paragraph, a replacement of the words all the merged proposals
 * cover (or of the whole paragraph), or a new paragraph when they all propose one; null when they are on different
 * paragraphs.
 */
export function compromiseBase(
  views: readonly ProposalView[],
  paragraphText: (pid: string) => { text: string; size: number } | null,
): { draft: ProposalDraft; wording: string } | { problem: string } {
  const first = views[0];
  if (!first) return { problem: 'Select the proposals to merge on their cards first.' };
  const pid = first.proposal.pid;
  if (views.some((view) => view.proposal.pid !== pid)) return { problem: 'Merge proposals on one paragraph at a time: the selected ones are on different paragraphs.' };
  const paragraph = paragraphText(pid);
  if (paragraph === null) return { problem: 'The paragraph of these proposals is no longer in the text.' };
  const { text, size } = paragraph;
  if (views.every((view) => view.proposal.kind === 'new-paragraph')) {
    return { draft: { kind: 'new-paragraph', pid, text: first.proposal.text }, wording: first.proposal.text };
  }
  const spans = views.map((view) => view.span);
  if (spans.every((span) => span !== null)) {
    const from = Math.min(...spans.map((span) => span?.from ?? 0));
    const to = Math.max(...spans.map((span) => span?.to ?? 0));
    return { draft: { kind: 'replace', pid, span: { from, to }, text: '' }, wording: text.slice(from, to) };
  }
  return { draft: { kind: 'replace', pid, span: { from: 0, to: size }, text: '' }, wording: text };
}

/** Merging pending proposals into a Chair's compromise, with its wording and the reason. */
export function MergeDialog({
  negotiation,
  views,
  paragraphText,
  onClose,
  onDone,
}: {
  negotiation: NegotiationSession;
  views: readonly ProposalView[];
  paragraphText: (pid: string) => { text: string; size: number } | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const base = useMemo(() => compromiseBase(views, paragraphText), [views, paragraphText]);
  const [wording, setWording] = useState('draft' in base ? base.wording : '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>('problem' in base ? base.problem : null);
  const submit = () => {
    if (!('draft' in base)) return;
    try {
      negotiation.merge(
        views.map((view) => view.id),
        { ...base.draft, text: wording },
        reason,
      );
      onDone(`Merged ${views.length} proposals into a Chair’s compromise.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <FormDialog title="Merge into a Chair’s compromise" submitLabel="Merge" error={error} onSubmit={'draft' in base ? submit : undefined} onClose={onClose} testId="merge-dialog" wide>
      <ul className="merge-list">
        {views.map((view) => (
          <li key={view.id}>
            <span className="card-code" style={{ color: delegationColor(view.proposal.author.code) }}>
              {view.proposal.author.code}
            </span>{' '}
            {view.proposal.text || view.proposal.quote}
          </li>
        ))}
      </ul>
      {'draft' in base && (
        <label className="field">
          <span>{base.draft.kind === 'new-paragraph' ? 'Text of the compromise paragraph' : 'Compromise wording'}</span>
          <textarea value={wording} onChange={(event) => setWording(event.target.value)} rows={4} data-testid="merge-text" />
        </label>
      )}
      <label className="field">
        <span>Reason</span>
        <input value={reason} onChange={(event) => setReason(event.target.value)} data-testid="merge-reason" />
      </label>
    </FormDialog>
  );
}

/** Setting a paragraph's status (reopening one agreed ad ref needs a reason). */
export function StatusDialog({
  negotiation,
  pid,
  reference,
  onClose,
  onDone,
}: {
  negotiation: NegotiationSession;
  pid: string;
  reference: string | null;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const current = negotiation.paragraph(pid).status;
  const [status, setStatus] = useState<StoredStatus>(current === 'agreed' ? 'open' : current);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const where = reference ? `paragraph ${reference}` : 'this paragraph';
  const submit = () => {
    try {
      negotiation.setStatus(pid, status, reason.trim());
      onDone(`${where[0]?.toUpperCase() ?? ''}${where.slice(1)} is now ${PARAGRAPH_STATUS_LABELS[status].toLowerCase()}.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <FormDialog title={`Status of ${where}`} submitLabel="Set status" error={error} onSubmit={submit} onClose={onClose} testId="status-dialog">
      <p className="muted">Now: {PARAGRAPH_STATUS_LABELS[negotiation.paragraph(pid).displayed]}</p>
      <fieldset className="choice-list" aria-label="Status">
        <legend>Status</legend>
        {SETTABLE_STATUSES.map((option) => (
          <label key={option} className="choice inline">
            <input type="radio" name="paragraph-status" checked={status === option} onChange={() => setStatus(option)} data-testid={`status-${option}`} />
            {option === 'open' && current === 'agreed' ? 'Open (reopen)' : PARAGRAPH_STATUS_LABELS[option]}
            {option === 'agreed' && <span className="muted"> — locks the paragraph against edits and proposals</span>}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Reason{current === 'agreed' ? ' (required to reopen)' : ' (optional)'}</span>
        <input value={reason} onChange={(event) => setReason(event.target.value)} data-testid="status-reason" />
      </label>
    </FormDialog>
  );
}
