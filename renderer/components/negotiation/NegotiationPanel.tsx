/**
 * The negotiation around the page: the bar of proposal actions, filters and views under the sharing line, the
 * margin cards beside the page, the compilation and activity views over it, and the dialogs. Everything is reachable
 * by keyboard: Alt+Shift+R/N/D/M/C propose (change words, new paragraph, delete, move, comment), Alt+Shift+S sets the
 * paragraph's status, Alt+Shift+P goes to the paragraph's cards, Alt+Shift+L and Alt+Shift+A open the compilation
 * and the activity log, Escape goes back to the text.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import {
  PROPOSAL_KINDS,
  PROPOSAL_STATUSES,
  type PositionKind,
  type ProposalKind,
  type ProposalStatus,
  type ProposalView,
} from '../../../shared/model/negotiation/index.ts';
import type { EditorController } from '../../editor/editorController.ts';
import { delegationColor } from '../../negotiation/colors.ts';
import { referenceOf } from '../../negotiation/decorations.ts';
import { KIND_LABELS, STATUS_LABELS } from '../../negotiation/labels.ts';
import { NO_FILTERS, type NegotiationFilters, type NegotiationSession } from '../../negotiation/negotiationSession.ts';
import { paragraphChoices, selectedSpan, type SelectedSpan } from '../../negotiation/selection.ts';
import { describeError } from '../../bridge.ts';
import { MarginCards } from './MarginCards.tsx';
import { DecisionDialog, FloorPositionDialog, MergeDialog, ProposeDialog, StatusDialog, WithdrawDialog } from './NegotiationDialogs.tsx';
import type { CardActions } from './ProposalCard.tsx';
import { ActivityView, CompilationView } from './NegotiationViews.tsx';
import { RevisionsView } from './RevisionsView.tsx';

/** Which view of the document is shown. */
export type NegotiationMode = 'text' | 'compilation' | 'activity' | 'revisions';

type Dialog =
  | { kind: 'propose'; span: SelectedSpan; proposal: ProposalKind }
  | { kind: 'decide'; view: ProposalView; decision: 'accepted' | 'accepted-as-modified' | 'rejected' }
  | { kind: 'withdraw'; view: ProposalView }
  | { kind: 'floor-position'; view: ProposalView }
  | { kind: 'merge'; views: ProposalView[] }
  | { kind: 'status'; pid: string }
  | null;

const KIND_SHORTCUTS: Readonly<Record<ProposalKind, string>> = {
  replace: 'R',
  'new-paragraph': 'N',
  'delete-paragraph': 'D',
  'move-paragraph': 'M',
  comment: 'C',
};

const VIEW_LABELS: Readonly<Record<NegotiationMode, string>> = {
  text: 'Text',
  compilation: 'Compilation',
  activity: 'Activity',
  revisions: 'Revisions',
};

const VIEW_TITLES: Readonly<Record<NegotiationMode, string>> = {
  text: 'The text',
  compilation: 'Compilation (Alt+Shift+L)',
  activity: 'Activity log (Alt+Shift+A)',
  revisions: 'Revisions: cut, open and compare',
};

const KIND_BUTTONS: Readonly<Record<ProposalKind, string>> = {
  replace: 'Change words',
  'new-paragraph': 'New ¶',
  'delete-paragraph': 'Delete ¶',
  'move-paragraph': 'Move ¶',
  comment: 'Comment',
};

/** What the panel gives the editor area to place. */
export interface NegotiationPanelParts {
  bar: ReactNode;
  /** On a document on this computer only: who holds the pen ("Recording as"), for the sharing line beside its place. */
  person: ReactNode;
  margin: ReactNode;
  overlay: ReactNode;
  dialogs: ReactNode;
  mode: NegotiationMode;
}

/** The panel's inputs. */
export interface NegotiationPanelOptions {
  negotiation: NegotiationSession | null;
  controller: EditorController | null;
  scroller: HTMLElement | null;
  page: HTMLElement | null;
  notify: (message: string, tone?: 'error' | 'info') => void;
  /** For a local document: who holds the pen, and how to change it. */
  person: string;
  onPerson: (name: string) => void;
  /** Opens the Export dialog on versions: `from` null exports the clean text of `to`, else their comparison. */
  onExport?: (from: string | null, to: string) => void;
  /** Opens the review of proposals from a returned Word file; the bar offers it to whoever may propose. */
  onImportProposals?: () => void;
}

function FiltersMenu({ negotiation, onClose }: { negotiation: NegotiationSession; onClose: () => void }) {
  const filters = useSyncExternalStore(negotiation.subscribeFilters, negotiation.getFilters);
  const version = useSyncExternalStore(negotiation.subscribeVersion, negotiation.getVersion);
  const root = useRef<HTMLDivElement>(null);
  const codes = useMemo(() => {
    void version;
    const found = new Set<string>();
    for (const pid of negotiation.activePids()) for (const view of negotiation.paragraph(pid).proposals) found.add(view.proposal.author.code);
    return [...found].sort();
  }, [negotiation, version]);
  useEffect(() => {
    root.current?.querySelector<HTMLElement>('input')?.focus();
    const onDown = (event: MouseEvent) => {
      if (root.current && event.target instanceof Node && !root.current.contains(event.target) && !(event.target as Element).closest?.('[data-testid="filters-toggle"]')) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);
  const set = (change: Partial<NegotiationFilters>) => negotiation.setFilters({ ...filters, ...change });
  const toggle = <T extends string>(list: readonly T[] | null, all: readonly T[], value: T): readonly T[] | null => {
    const current = list ?? all;
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    return next.length === all.length ? null : next;
  };
  return (
    <div
      className="filters-menu"
      ref={root}
      role="dialog"
      aria-label="Filter proposals"
      data-testid="filters-menu"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <fieldset>
        <legend>Delegations</legend>
        {codes.length === 0 && <p className="muted">No proposals yet.</p>}
        {codes.map((code) => (
          <div key={code} className="filter-row">
            <label className="inline-check">
              <input
                type="checkbox"
                checked={filters.codes === null || filters.codes.includes(code)}
                onChange={() => set({ codes: toggle(filters.codes, codes, code) })}
                data-testid={`filter-code-${code}`}
              />
              <span className="card-code" style={{ color: delegationColor(code) }}>
                {code}
              </span>{' '}
              <span className="muted">{negotiation.nameOf(code)}</span>
            </label>
            <label className="inline-check hide-colour" title="Leave this delegation's changes out of the text (its cards still show)">
              <input
                type="checkbox"
                checked={filters.hidden.includes(code)}
                onChange={() => set({ hidden: filters.hidden.includes(code) ? filters.hidden.filter((c) => c !== code) : [...filters.hidden, code] })}
                data-testid={`filter-hide-${code}`}
              />
              hide in text
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Kinds</legend>
        {PROPOSAL_KINDS.map((kind) => (
          <label key={kind} className="inline-check">
            <input
              type="checkbox"
              checked={filters.kinds === null || filters.kinds.includes(kind)}
              onChange={() => set({ kinds: toggle(filters.kinds, PROPOSAL_KINDS, kind) })}
              data-testid={`filter-kind-${kind}`}
            />
            {KIND_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Status</legend>
        {PROPOSAL_STATUSES.map((status: ProposalStatus) => (
          <label key={status} className="inline-check">
            <input
              type="checkbox"
              checked={filters.statuses === null || filters.statuses.includes(status)}
              onChange={() => set({ statuses: toggle(filters.statuses, PROPOSAL_STATUSES, status) })}
              data-testid={`filter-status-${status}`}
            />
            {STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
      <div className="filters-actions">
        <button type="button" className="button small" onClick={() => negotiation.setFilters(NO_FILTERS)} data-testid="filters-reset">
          Show everything
        </button>
        <button type="button" className="button small" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

function filtersActive(filters: NegotiationFilters): boolean {
  return filters.codes !== null || filters.kinds !== null || filters.statuses !== null || filters.hidden.length > 0;
}

function roleLine(negotiation: NegotiationSession): string {
  const { identity } = negotiation;
  if (identity.role === 'delegation' && identity.code) return `Delegation of ${negotiation.nameOf(identity.code)} (${identity.code})`;
  if (identity.role === 'chair') return identity.local ? 'Chair’s team · recording from the floor' : 'Chair’s team';
  return 'Reading only';
}

/** Builds the negotiation's parts for the editor area. */
export function useNegotiationPanel(options: NegotiationPanelOptions): NegotiationPanelParts {
  const { negotiation, controller, scroller, page, notify } = options;
  const [mode, setMode] = useState<NegotiationMode>('text');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [merge, setMerge] = useState<ReadonlySet<string>>(new Set());
  // Not the negotiation's version: the editor area must not re-render on every change (a keystroke is one); the
  // margin, the views and the dialogs follow it themselves.
  const filters = useSyncExternalStore(negotiation?.subscribeFilters ?? noSubscribe, negotiation?.getFilters ?? noFilters);

  const done = useCallback(
    (message: string) => {
      setDialog(null);
      notify(message, 'info');
      controller?.focus();
    },
    [notify, controller],
  );

  const propose = useCallback(
    (kind: ProposalKind) => {
      if (!negotiation || !controller) return;
      if (!negotiation.canPropose) {
        notify('You can read this negotiation but not make proposals: only delegations and the chair’s team do.');
        return;
      }
      const selection = selectedSpan(controller.view);
      if (!selection.ok) {
        notify(selection.message);
        return;
      }
      setMode('text');
      setDialog({ kind: 'propose', span: selection.span, proposal: kind });
    },
    [negotiation, controller, notify],
  );

  const currentDoc = useCallback(() => controller?.view.state.doc ?? null, [controller]);

  const statusOfCaret = useCallback(() => {
    if (!negotiation?.isChair || !controller) return;
    const selection = selectedSpan(controller.view);
    if (!selection.ok) {
      notify(selection.message);
      return;
    }
    setDialog({ kind: 'status', pid: selection.span.pid });
  }, [negotiation, controller, notify]);

  const jumpTo = useCallback(
    (pid: string) => {
      setMode('text');
      requestAnimationFrame(() => {
        if (!controller?.jumpTo(pid)) notify('That paragraph is no longer in the text.');
      });
    },
    [controller, notify],
  );

  const focusCards = useCallback(() => {
    if (!controller) return;
    const selection = selectedSpan(controller.view);
    if (!selection.ok) return;
    const card = document.querySelector<HTMLElement>(`[data-testid="margin-group"][data-pid="${CSS.escape(selection.span.pid)}"] [data-testid="proposal-card"]`);
    if (card) card.focus();
    else notify('This paragraph has no proposals.', 'info');
  }, [controller, notify]);

  const actions = useMemo<CardActions>(
    () => ({
      decide: (view, decision) => setDialog({ kind: 'decide', view, decision }),
      withdraw: (view) => setDialog({ kind: 'withdraw', view }),
      position: (view, kind: PositionKind | null) => {
        if (!negotiation) return;
        if (negotiation.isChair) {
          setDialog({ kind: 'floor-position', view });
          return;
        }
        try {
          negotiation.setPosition(view.id, kind);
        } catch (error) {
          notify(`Your position was not recorded: ${describeError(error)}`);
        }
      },
      jump: (view) => jumpTo(view.proposal.pid),
      toggleMerge: (view) =>
        setMerge((selected) => {
          const next = new Set(selected);
          if (next.has(view.id)) next.delete(view.id);
          else next.add(view.id);
          return next;
        }),
    }),
    [negotiation, notify, jumpTo],
  );

  // Keyboard access to every action, from anywhere in the editor area.
  useEffect(() => {
    if (!negotiation) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && mode !== 'text' && !dialog) {
        setMode('text');
        controller?.focus();
        return;
      }
      if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
      const key = event.code.replace(/^Key/, '');
      const kind = (Object.keys(KIND_SHORTCUTS) as ProposalKind[]).find((k) => KIND_SHORTCUTS[k] === key);
      if (kind) propose(kind);
      else if (key === 'S') statusOfCaret();
      else if (key === 'P') focusCards();
      else if (key === 'L') setMode((m) => (m === 'compilation' ? 'text' : 'compilation'));
      else if (key === 'A') setMode((m) => (m === 'activity' ? 'text' : 'activity'));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [negotiation, controller, mode, dialog, propose, statusOfCaret, focusCards]);

  if (!negotiation) return { bar: null, person: null, margin: null, overlay: null, dialogs: null, mode: 'text' };

  const identity = negotiation.identity;
  const mergeViews = [...merge].flatMap((id) => {
    const view = negotiation.index.proposalView(id);
    return view && view.status === 'pending' ? [view] : [];
  });
  const reference = (pid: string) => (controller ? referenceOf(controller.view.state, pid) : null);

  const bar = (
    <div className="negotiation-bar" role="toolbar" aria-label="Negotiation" data-testid="negotiation-bar" data-role={identity.role}>
      {negotiation.canPropose && (
        <div className="tool-group" role="group" aria-label={identity.role === 'chair' ? 'Record a proposal from the floor' : 'Propose'}>
          <span className="negotiation-bar-label">{identity.role === 'chair' ? 'From the floor:' : 'Propose:'}</span>
          {PROPOSAL_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className="button small"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => propose(kind)}
              title={`${KIND_LABELS[kind]} (Alt+Shift+${KIND_SHORTCUTS[kind]})`}
              data-testid={`propose-${kind}`}
            >
              {KIND_BUTTONS[kind]}
            </button>
          ))}
          {options.onImportProposals && (
            <button
              type="button"
              className="button small"
              onMouseDown={(event) => event.preventDefault()}
              onClick={options.onImportProposals}
              title={
                identity.role === 'chair'
                  ? 'Record the tracked changes of a delegation’s returned Word file as its proposals, after a review'
                  : 'Table the tracked changes of your returned Word file as your proposals, after a review'
              }
              data-testid="propose-from-word"
            >
              {identity.role === 'chair' ? 'Record from Word…' : 'Propose from Word…'}
            </button>
          )}
        </div>
      )}
      {negotiation.isChair && (
        <div className="tool-group">
          <button type="button" className="button small" onMouseDown={(event) => event.preventDefault()} onClick={statusOfCaret} title="Paragraph status (Alt+Shift+S)" data-testid="paragraph-status-open">
            Status…
          </button>
          {merge.size > 0 && (
            <button type="button" className="button small" onClick={() => setDialog({ kind: 'merge', views: mergeViews })} data-testid="merge-open">
              Merge {merge.size}…
            </button>
          )}
        </div>
      )}
      <div className="tool-group filters-group">
        <button
          type="button"
          className={`button small${filtersActive(filters) ? ' is-active' : ''}`}
          aria-expanded={filtersOpen}
          aria-haspopup="dialog"
          onClick={() => setFiltersOpen((open) => !open)}
          data-testid="filters-toggle"
        >
          Filters{filtersActive(filters) ? ' (on)' : ''}
        </button>
        {filtersOpen && <FiltersMenu negotiation={negotiation} onClose={() => setFiltersOpen(false)} />}
      </div>
      <div className="tool-group view-switch" role="tablist" aria-label="View">
        {(['text', 'compilation', 'activity', 'revisions'] as const).map((one) => (
          <button
            key={one}
            type="button"
            role="tab"
            aria-selected={mode === one}
            className={`button small${mode === one ? ' is-active' : ''}`}
            onClick={() => setMode(one)}
            title={VIEW_TITLES[one]}
            data-testid={`view-${one}`}
          >
            {VIEW_LABELS[one]}
          </button>
        ))}
      </div>
      {!identity.local && (
        <>
          <span className="tool-spacer" />
          <span className="negotiation-role" data-testid="negotiation-role">
            {roleLine(negotiation)}
          </span>
        </>
      )}
    </div>
  );

  // On one laptop the sharing line has room for it; the bar of actions then fits on one line in a 1440 px window.
  const person = identity.local ? (
    <label className="person-field" title="The name recorded on decisions, on proposals recorded from the floor and on exported tracked changes">
      Recording as
      <input value={options.person} onChange={(event) => options.onPerson(event.target.value)} data-testid="person-name" size={14} />
    </label>
  ) : null;

  const margin =
    mode === 'text' ? (
      <MarginCards
        negotiation={negotiation}
        controller={controller}
        scroller={scroller}
        page={page}
        actions={actions}
        mergeSelection={merge}
        onStatus={(pid) => setDialog({ kind: 'status', pid })}
      />
    ) : null;

  const overlay =
    mode === 'compilation' ? (
      <CompilationView negotiation={negotiation} view={controller?.view ?? null} actions={actions} mergeSelection={merge} onClose={() => setMode('text')} />
    ) : mode === 'activity' ? (
      <ActivityView negotiation={negotiation} view={controller?.view ?? null} onJump={jumpTo} onClose={() => setMode('text')} />
    ) : mode === 'revisions' ? (
      <RevisionsView negotiation={negotiation} currentDoc={currentDoc} notify={notify} onExport={options.onExport} onClose={() => setMode('text')} />
    ) : null;

  const close = () => {
    setDialog(null);
    controller?.focus();
  };
  let dialogs: ReactNode = null;
  if (dialog?.kind === 'propose' && controller) {
    dialogs = (
      <ProposeDialog
        negotiation={negotiation}
        span={dialog.span}
        kind={dialog.proposal}
        choices={paragraphChoices(controller.view)}
        onClose={close}
        onDone={done}
      />
    );
  } else if (dialog?.kind === 'decide') {
    dialogs = <DecisionDialog negotiation={negotiation} view={dialog.view} kind={dialog.decision} reference={reference(dialog.view.proposal.pid)} onClose={close} onDone={done} />;
  } else if (dialog?.kind === 'withdraw') {
    dialogs = <WithdrawDialog negotiation={negotiation} view={dialog.view} onClose={close} onDone={done} />;
  } else if (dialog?.kind === 'floor-position') {
    dialogs = <FloorPositionDialog negotiation={negotiation} view={dialog.view} onClose={close} onDone={done} />;
  } else if (dialog?.kind === 'merge') {
    dialogs = (
      <MergeDialog
        negotiation={negotiation}
        views={dialog.views}
        paragraphText={(pid) => paragraphText(controller, pid)}
        onClose={close}
        onDone={(message) => {
          setMerge(new Set());
          done(message);
        }}
      />
    );
  } else if (dialog?.kind === 'status') {
    dialogs = <StatusDialog negotiation={negotiation} pid={dialog.pid} reference={reference(dialog.pid)} onClose={close} onDone={done} />;
  }
  return { bar, person, margin, overlay, dialogs, mode };
}

/** The text and content size of the paragraph with a pid, from the editor. */
function paragraphText(controller: EditorController | null, pid: string): { text: string; size: number } | null {
  if (!controller) return null;
  let found: { text: string; size: number } | null = null;
  controller.view.state.doc.descendants((node) => {
    if (found) return false;
    if (node.attrs['pid'] === pid) {
      found = { text: node.textContent, size: node.content.size };
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

const noSubscribe = () => () => {};
const noFilters = (): NegotiationFilters => NO_FILTERS;
