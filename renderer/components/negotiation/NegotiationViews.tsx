/**
 * The two whole-document views of the negotiation: the compilation (every paragraph with all the proposals under
 * it, as delegations read it in a reading) and the activity log (every proposal, position, withdrawal, decision and
 * status change with who and when, filterable). Both render a first screenful at once and the rest as it is
 * scrolled to, so opening them stays fast on a long report.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import {
  ACTIVITY_KINDS,
  CHAIR_CODE,
  PROPOSAL_STATUSES,
  filterActivity,
  type ActivityKind,
  type NegotiationView,
  type ParagraphView,
  type ProposalStatus,
  type ProposalView,
} from '../../../shared/model/negotiation/index.ts';
import { delegationColor } from '../../negotiation/colors.ts';
import { referenceOf } from '../../negotiation/decorations.ts';
import { describeActivity, describeKind, formatTime, PARAGRAPH_STATUS_LABELS, STATUS_LABELS } from '../../negotiation/labels.ts';
import { passesFilters, type NegotiationSession } from '../../negotiation/negotiationSession.ts';
import { ProposalCard, type CardActions } from './ProposalCard.tsx';

/** How many rows each step of incremental rendering adds. */
const PAGE = 60;

/** Renders `total` rows a page at a time: more when the sentinel at the end comes into view. */
function useIncremental(total: number, resetKey: unknown): { shown: number; sentinel: (element: HTMLElement | null) => void } {
  const [shown, setShown] = useState(PAGE);
  const observer = useRef<IntersectionObserver | null>(null);
  useEffect(() => setShown(PAGE), [resetKey]);
  const sentinel = useCallback(
    (element: HTMLElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element) return;
      observer.current = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setShown((count) => Math.min(total, count + PAGE));
      });
      observer.current.observe(element);
    },
    [total],
  );
  useEffect(() => () => observer.current?.disconnect(), []);
  return { shown: Math.min(shown, total), sentinel };
}

/** How often at most the whole negotiation is read again while a view that needs it is open. */
const SNAPSHOT_EVERY_MS = 1000;

/**
 * The whole negotiation (activity, orphaned proposals, totals), read when the view opens and then at most once a
 * second while changes arrive: reading it costs the whole document, and a busy session changes many times a second.
 */
function useSnapshot(negotiation: NegotiationSession): NegotiationView {
  const [snapshot, setSnapshot] = useState(() => negotiation.snapshot());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = Date.now();
    const read = () => {
      timer = null;
      last = Date.now();
      setSnapshot(negotiation.snapshot());
    };
    const stop = negotiation.subscribeVersion(() => {
      if (timer !== null) return;
      timer = setTimeout(read, Math.max(0, SNAPSHOT_EVERY_MS - (Date.now() - last)));
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [negotiation]);
  return snapshot;
}

function pidOf(node: ProseMirrorNode): string | null {
  const pid = node.attrs['pid'] as unknown;
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** A paragraph's text as the compilation prints it: footnotes left out (they would run into the sentence). */
function readingText(node: ProseMirrorNode): string {
  let text = '';
  node.descendants((child) => {
    if (child.type.name === 'footnote') return false;
    if (child.isText) text += child.text ?? '';
    else if (child.type.name === 'hard_break') text += ' ';
    return true;
  });
  return text;
}

/** One paragraph of the compilation. */
interface Row {
  readonly pid: string;
  readonly reference: string | null;
  readonly text: string;
  readonly exists: boolean;
}

/** The compilation's props. */
export interface CompilationViewProps {
  negotiation: NegotiationSession;
  view: EditorView | null;
  actions: CardActions;
  mergeSelection: ReadonlySet<string>;
  onClose: () => void;
}

/** Every paragraph with all the proposals under it. */
export function CompilationView({ negotiation, view, actions, mergeSelection, onClose }: CompilationViewProps) {
  const version = useSyncExternalStore(negotiation.subscribeVersion, negotiation.getVersion);
  const filters = useSyncExternalStore(negotiation.subscribeFilters, negotiation.getFilters);
  const [onlyWithProposals, setOnlyWithProposals] = useState(false);
  const snapshot = useSnapshot(negotiation);
  const doc = view?.state.doc ?? null;
  const rows = useMemo<Row[]>(() => {
    void version;
    if (!view || !doc) return [];
    const found: Row[] = [];
    const inText = new Set<string>();
    doc.descendants((node) => {
      const pid = pidOf(node);
      if (pid === null) return !node.isTextblock;
      inText.add(pid);
      if (node.type.name !== 'title') found.push({ pid, reference: referenceOf(view.state, pid), text: readingText(node), exists: true });
      return false;
    });
    // Proposals against paragraphs deleted since: kept, at the end, each card saying so.
    for (const paragraph of snapshot.paragraphs) {
      if (!inText.has(paragraph.pid) && paragraph.counts.total > 0) found.push({ pid: paragraph.pid, reference: null, text: '', exists: false });
    }
    return found;
  }, [view, doc, version, snapshot]);
  const active = negotiation.activePids();
  const visible = useMemo(() => (onlyWithProposals ? rows.filter((row) => active.has(row.pid) || !row.exists) : rows), [rows, onlyWithProposals, active]);
  const { shown, sentinel } = useIncremental(visible.length, `${onlyWithProposals}`);
  const references = useCallback((pid: string) => (view ? referenceOf(view.state, pid) : null), [view]);
  const total = snapshot.proposals.length;
  return (
    <section className="negotiation-view compilation" aria-label="Compilation" data-testid="compilation">
      <header className="negotiation-view-head">
        <h2>Compilation</h2>
        <span className="muted" data-testid="compilation-count" data-proposals={total}>
          {rows.length} paragraphs · {total} proposals
        </span>
        <label className="inline-check">
          <input type="checkbox" checked={onlyWithProposals} onChange={(event) => setOnlyWithProposals(event.target.checked)} data-testid="compilation-only" /> Only
          paragraphs with proposals
        </label>
        <span className="collab-spacer" />
        <button type="button" className="button small" onClick={onClose} data-testid="compilation-close">
          Back to the text
        </button>
      </header>
      <ol className="compilation-list">
        {visible.slice(0, shown).map((row) => {
          const paragraph: ParagraphView | null = active.has(row.pid) || !row.exists ? negotiation.paragraph(row.pid) : null;
          const proposals = (paragraph?.proposals ?? []).filter((p) => passesFilters(filters, p.proposal.author.code, p.proposal.kind, p.status));
          return (
            <li key={row.pid} className="compilation-row" data-testid="compilation-row" data-pid={row.pid}>
              <div className="compilation-paragraph">
                <span className="compilation-ref">{row.exists ? (row.reference ?? '¶') : '—'}</span>
                <div className="compilation-text">
                  {row.exists ? row.text || <span className="muted">(empty)</span> : <span className="card-flag is-problem">Paragraph deleted from the text</span>}
                </div>
                {paragraph && paragraph.displayed !== 'open' && (
                  <span className={`paragraph-status is-${paragraph.displayed.replace(' ', '-')}`}>{PARAGRAPH_STATUS_LABELS[paragraph.displayed]}</span>
                )}
              </div>
              {proposals.length > 0 && (
                <div className="compilation-proposals">
                  {proposals.map((proposal) => (
                    <ProposalCard
                      key={proposal.id}
                      negotiation={negotiation}
                      view={proposal}
                      referenceOf={references}
                      actions={actions}
                      selectedForMerge={mergeSelection.has(proposal.id)}
                      compact
                    />
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {shown < visible.length && (
        <p ref={sentinel} className="muted more-rows">
          Showing {shown} of {visible.length} paragraphs…
        </p>
      )}
    </section>
  );
}

/** "— DEU's proposal to delete the paragraph", after a position, withdrawal or decision in the log. */
function ProposalSubject({ view, negotiation }: { view: ProposalView | undefined; negotiation: NegotiationSession }) {
  if (!view) return null;
  const code = view.proposal.author.code;
  return (
    <span className="muted">
      {' '}
      — {code === CHAIR_CODE ? 'the Chair’s compromise' : `${negotiation.nameOf(code)}’s proposal`} ({describeKind(view.proposal.kind, view.proposal.quote, view.proposal.text).toLowerCase()})
    </span>
  );
}

/** The activity log's props. */
export interface ActivityViewProps {
  negotiation: NegotiationSession;
  view: EditorView | null;
  onJump: (pid: string) => void;
  onClose: () => void;
}

/** Every proposal, position, withdrawal, decision and status change, newest first, filterable. */
export function ActivityView({ negotiation, view, onJump, onClose }: ActivityViewProps) {
  const snapshot = useSnapshot(negotiation);
  const [code, setCode] = useState('');
  const [kinds, setKinds] = useState<readonly ActivityKind[]>(ACTIVITY_KINDS);
  const [status, setStatus] = useState<ProposalStatus | ''>('');
  const activity = snapshot.activity;
  const codes = useMemo(() => [...new Set(activity.map((entry) => entry.code))].sort(), [activity]);
  const byId = snapshot.byId;
  const entries = useMemo(
    () =>
      filterActivity(activity, {
        codes: code ? [code] : undefined,
        kinds,
        statuses: status ? [status] : undefined,
      }).reverse(),
    [activity, code, kinds, status],
  );
  const { shown, sentinel } = useIncremental(entries.length, `${code}|${kinds.join()}|${status}`);
  const toggleKind = (kind: ActivityKind) => setKinds((list) => (list.includes(kind) ? list.filter((k) => k !== kind) : [...list, kind]));
  return (
    <section className="negotiation-view activity" aria-label="Activity log" data-testid="activity-log">
      <header className="negotiation-view-head">
        <h2>Activity</h2>
        <span className="muted">{entries.length} entries</span>
        <span className="collab-spacer" />
        <button type="button" className="button small" onClick={onClose} data-testid="activity-close">
          Back to the text
        </button>
      </header>
      <div className="activity-filters" role="group" aria-label="Filter the activity">
        <label className="field narrow">
          <span>Delegation</span>
          <select value={code} onChange={(event) => setCode(event.target.value)} data-testid="activity-code">
            <option value="">All</option>
            {codes.map((one) => (
              <option key={one} value={one}>
                {one === CHAIR_CODE ? 'Chair' : `${one} — ${negotiation.nameOf(one)}`}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="choice-list inline-choices">
          <legend>What</legend>
          {ACTIVITY_KINDS.map((kind) => (
            <label key={kind} className="inline-check">
              <input type="checkbox" checked={kinds.includes(kind)} onChange={() => toggleKind(kind)} data-testid={`activity-kind-${kind}`} /> {kind}
            </label>
          ))}
        </fieldset>
        <label className="field narrow">
          <span>Proposal status</span>
          <select value={status} onChange={(event) => setStatus(event.target.value as ProposalStatus | '')} data-testid="activity-status">
            <option value="">Any</option>
            {PROPOSAL_STATUSES.map((one) => (
              <option key={one} value={one}>
                {STATUS_LABELS[one]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol className="activity-list">
        {entries.slice(0, shown).map((entry, index) => (
          <li key={`${entry.at}-${entry.kind}-${entry.proposalId ?? entry.pid}-${index}`} className="activity-entry" data-testid="activity-entry" data-kind={entry.kind}>
            <time dateTime={entry.at}>{formatTime(entry.at)}</time>
            <span className="activity-who">
              <span className="card-code" style={{ color: delegationColor(entry.code) }}>
                {entry.code === CHAIR_CODE ? 'Chair' : entry.code}
              </span>{' '}
              {entry.by !== entry.code ? entry.by : ''}
            </span>
            <span className="activity-what">
              {describeActivity(entry)}
              {entry.kind !== 'proposal' && entry.kind !== 'status' && entry.proposalId && <ProposalSubject view={byId.get(entry.proposalId)} negotiation={negotiation} />}
              {entry.recordedBy ? <span className="muted"> (recorded from the floor by {entry.recordedBy})</span> : null}
            </span>
            {entry.pid && (
              <button type="button" className="link-button small" onClick={() => entry.pid && onJump(entry.pid)}>
                ¶ {(view && referenceOf(view.state, entry.pid)) ?? 'show'}
              </button>
            )}
          </li>
        ))}
      </ol>
      {shown < entries.length && (
        <p ref={sentinel} className="muted more-rows">
          Showing {shown} of {entries.length}…
        </p>
      )}
    </section>
  );
}
