/**
 * The revisions of the negotiated text: the list (label, date, note, who cut it), cutting the next one (the chair's
 * team), opening one read-only, and comparing any two, or one with the current text, as an inline redline or side
 * by side. A comparison with the current text follows it as it is edited.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { compareDocuments, changedEntries, sideBySide, type Comparison, type ComparisonEntry, type WordDiff } from '../../../shared/compare/index.ts';
import {
  cutRevision,
  listRevisions,
  nextRevisionLabel,
  revisionDocument,
  revisionsArray,
  type RevisionEntry,
} from '../../../shared/model/revisions/index.ts';
import { schema } from '../../../shared/schema/index.ts';
import { describeError } from '../../bridge.ts';
import { numberingPlugin } from '../../editor/numberingPlugin.ts';
import { HeaderView } from '../../editor/headerView.ts';
import { collectFootnotes, type FootnoteEntry } from '../../editor/outline.ts';
import { analyzeDocument } from '../../../shared/model/analyze.ts';
import type { NegotiationSession } from '../../negotiation/negotiationSession.ts';

/** The choice that stands for the text as it is now, in the compare pickers. */
const CURRENT = 'current';

/** The revisions view's props. */
export interface RevisionsViewProps {
  negotiation: NegotiationSession;
  /** The live text, for "compare with the current text". */
  currentDoc: () => ProseMirrorNode | null;
  notify: (message: string, tone?: 'error' | 'info') => void;
  /**
   * Opens the Export dialog preset to what is shown: the comparison of `from` with `to` (each a revision id or
   * 'current'), or with `from` null the clean text of revision `to`. Without it the views offer no export.
   */
  onExport?: (from: string | null, to: string) => void;
  onClose: () => void;
}

type Shown = { kind: 'list' } | { kind: 'open'; id: string } | { kind: 'compare'; before: string; after: string };

/** The revisions in `D/chair`, re-read whenever the array changes. */
function useRevisions(negotiation: NegotiationSession): RevisionEntry[] {
  const array = revisionsArray(negotiation.chair);
  const version = useSyncExternalStore(
    (listener) => {
      array.observe(listener);
      return () => array.unobserve(listener);
    },
    () => array.length,
  );
  return useMemo(() => {
    void version;
    return listRevisions(negotiation.chair);
  }, [negotiation, version]);
}

function todayLocal(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** What the view showed when it was last closed, per negotiation: going back to the text and returning keeps a comparison. */
const remembered = new WeakMap<NegotiationSession, { shown: Shown; before: string; after: string }>();

/** The whole revisions view, shown over the workspace. */
export function RevisionsView({ negotiation, currentDoc, notify, onExport, onClose }: RevisionsViewProps) {
  const revisions = useRevisions(negotiation);
  const memory = remembered.get(negotiation);
  const [shown, setShown] = useState<Shown>(memory?.shown ?? { kind: 'list' });
  const [cutting, setCutting] = useState(false);
  const latest = revisions.at(-1);
  const [before, setBefore] = useState<string>(memory?.before ?? '');
  const [after, setAfter] = useState<string>(memory?.after ?? CURRENT);
  const beforeChoice = before || latest?.id || '';
  useEffect(() => {
    remembered.set(negotiation, { shown, before, after });
  }, [negotiation, shown, before, after]);

  return (
    <section className="negotiation-view revisions" aria-label="Revisions" data-testid="revisions">
      <header className="negotiation-view-head">
        <h2>Revisions</h2>
        <span className="muted">{revisions.length === 0 ? 'No revision cut yet' : `${revisions.length} cut`}</span>
        <span className="collab-spacer" />
        {negotiation.isChair && (
          <button type="button" className="button small" onClick={() => setCutting(true)} data-testid="revision-cut-open">
            Cut revision…
          </button>
        )}
        <button type="button" className="button small" onClick={onClose} data-testid="revisions-close">
          Back to the text
        </button>
      </header>
      {cutting && (
        <CutRevisionForm
          negotiation={negotiation}
          revisions={revisions}
          onClose={() => setCutting(false)}
          onDone={(entry) => {
            setCutting(false);
            notify(`Revision \u201c${entry.label}\u201d cut.`, 'info');
          }}
        />
      )}
      {revisions.length > 0 && (
        <table className="revision-list" data-testid="revision-list">
          <thead>
            <tr>
              <th>Revision</th>
              <th>Date</th>
              <th>Note</th>
              <th>Cut by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {revisions.map((entry) => (
              <tr key={entry.id} data-testid="revision-row" data-label={entry.label}>
                <td className="revision-label">{entry.label}</td>
                <td>{entry.date}</td>
                <td>{entry.note || <span className="muted">—</span>}</td>
                <td>{entry.by}</td>
                <td>
                  <button type="button" className="button small" onClick={() => setShown({ kind: 'open', id: entry.id })} data-testid="revision-open">
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revisions.length > 0 && (
        <div className="revision-compare-pick" role="group" aria-label="Compare">
          <RevisionChoice label="Compare" revisions={revisions} value={beforeChoice} onChange={setBefore} testId="compare-before" />
          <RevisionChoice label="with" revisions={revisions} value={after} onChange={setAfter} testId="compare-after" />
          <button type="button" className="button small" onClick={() => setShown({ kind: 'compare', before: beforeChoice, after })} data-testid="compare-run">
            Compare
          </button>
        </div>
      )}
      {shown.kind === 'open' && (
        <OpenRevision entry={revisions.find((entry) => entry.id === shown.id) ?? null} onExport={onExport} onClose={() => setShown({ kind: 'list' })} />
      )}
      {shown.kind === 'compare' && (
        <CompareRevisions
          negotiation={negotiation}
          revisions={revisions}
          before={shown.before}
          after={shown.after}
          currentDoc={currentDoc}
          onExport={onExport}
          onClose={() => setShown({ kind: 'list' })}
        />
      )}
    </section>
  );
}

/** A picker of one side of a comparison: any revision, or the current text. */
function RevisionChoice(props: {
  label: string;
  revisions: readonly RevisionEntry[];
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)} data-testid={props.testId}>
        {props.revisions.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.label}
          </option>
        ))}
        <option value={CURRENT}>Current text</option>
      </select>
    </label>
  );
}

function CutRevisionForm({
  negotiation,
  revisions,
  onClose,
  onDone,
}: {
  negotiation: NegotiationSession;
  revisions: readonly RevisionEntry[];
  onClose: () => void;
  onDone: (entry: RevisionEntry) => void;
}) {
  const [label, setLabel] = useState(() => nextRevisionLabel(revisions));
  const [date, setDate] = useState(todayLocal);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    try {
      const entry = cutRevision({ textDoc: negotiation.text, chairDoc: negotiation.chair, by: negotiation.identity.person, label, date, note });
      onDone(entry);
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <form
      className="revision-cut"
      role="dialog"
      aria-label="Cut a revision"
      data-testid="revision-cut-dialog"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <label className="revision-label-field">
        Label <input value={label} onChange={(event) => setLabel(event.target.value)} data-testid="revision-label" autoFocus />
      </label>
      <label>
        Date <input type="date" value={date} onChange={(event) => setDate(event.target.value)} data-testid="revision-date" />
      </label>
      <label className="revision-note">
        Note <input value={note} onChange={(event) => setNote(event.target.value)} data-testid="revision-note" />
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="revision-cut-error">
          {error}
        </p>
      )}
      <span className="revision-cut-actions">
        <button type="submit" className="button small primary" data-testid="revision-cut-submit">
          Cut revision
        </button>
        <button type="button" className="button small" onClick={onClose}>
          Cancel
        </button>
      </span>
    </form>
  );
}

/** A revision's text, drawn with the document schema in a view nobody can type into. */
function OpenRevision({
  entry,
  onExport,
  onClose,
}: {
  entry: RevisionEntry | null;
  onExport: RevisionsViewProps['onExport'];
  onClose: () => void;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [footnotes, setFootnotes] = useState<readonly FootnoteEntry[]>([]);
  useEffect(() => {
    if (!entry || !mount.current) return;
    let doc: ProseMirrorNode;
    try {
      doc = revisionDocument(entry, schema);
    } catch (cause) {
      setError(describeError(cause));
      return;
    }
    setError(null);
    setFootnotes(collectFootnotes(doc, analyzeDocument(doc)));
    const view = new EditorView(mount.current, {
      state: EditorState.create({ doc, plugins: [numberingPlugin()] }),
      editable: () => false,
      // Drawn as the page is in the editor (the UN header block, footnote numbers), with nothing to open or edit.
      nodeViews: {
        header: (node, outer, getPos) => new HeaderView(node, outer, getPos),
        footnote: (node) => readOnlyFootnote(node),
      },
      attributes: { 'aria-label': `${entry.label} (read-only)`, 'aria-readonly': 'true', 'data-testid': 'revision-text' },
    });
    return () => view.destroy();
  }, [entry]);
  if (!entry) return null;
  return (
    <div className="revision-open" data-testid="revision-reader">
      <div className="revision-banner">
        <strong data-testid="revision-reader-label">{entry.label} — read-only</strong>
        <span className="muted">
          {entry.date} · cut by {entry.by}
        </span>
        <span className="collab-spacer" />
        {onExport && (
          <button
            type="button"
            className="button small"
            onClick={() => onExport(null, entry.id)}
            title={`Export the clean text of ${entry.label} (Word, PDF, HTML or Markdown)`}
            data-testid="revision-reader-export"
          >
            Export…
          </button>
        )}
        <button type="button" className="button small" onClick={onClose} data-testid="revision-reader-close">
          Close
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : (
        <article className="page read-only revision-page">
          <div ref={mount} className="page-text" />
          {footnotes.length > 0 && (
            <section className="page-footnotes" aria-label="Footnotes" data-testid="revision-footnotes">
              <ol>
                {footnotes.map((footnote) => (
                  <li key={`${footnote.number}-${footnote.pos}`}>
                    <span className="footnote-entry is-static">
                      <sup className="footnote-entry-number">{footnote.number}</sup>
                      <span className="footnote-entry-text">{footnote.text}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </section>
          )}
        </article>
      )}
    </div>
  );
}

/** A footnote of a revision: its number (from the numbering decorations), its text listed at the foot of the page. */
function readOnlyFootnote(node: ProseMirrorNode): { dom: HTMLElement } {
  const dom = document.createElement('sup');
  dom.className = 'footnote-ref';
  dom.title = node.textContent || 'Empty footnote';
  dom.setAttribute('aria-label', `Footnote: ${node.textContent}`);
  return { dom };
}

function Runs({ runs }: { runs: readonly WordDiff[] }) {
  return (
    <>
      {runs.map((run, index) =>
        run.op === 'insert' ? (
          <ins key={index} className="redline-ins">
            {run.text}
          </ins>
        ) : run.op === 'delete' ? (
          <del key={index} className="redline-del">
            {run.text}
          </del>
        ) : (
          <span key={index}>{run.text}</span>
        ),
      )}
    </>
  );
}

const KIND_TAGS: Readonly<Record<ComparisonEntry['kind'], string>> = {
  unchanged: '',
  changed: 'changed',
  added: 'added',
  deleted: 'deleted',
  moved: 'moved',
};

function numberOf(entry: ComparisonEntry): string {
  const after = entry.after?.number;
  const before = entry.before?.number;
  if (after && before && after !== before) return `${before} → ${after}`;
  return after ?? before ?? '¶';
}

/** How long the current text must be still before a live comparison follows it. */
const LIVE_SETTLE_MS = 300;
/** The longest a live comparison waits during continuous typing: it follows at least this often. */
const LIVE_MAX_WAIT_MS = 2000;
/** For how long an update reads "just now". */
const JUST_NOW_MS = 60_000;

/** Where a live comparison stands: the edit count it has followed, whether edits wait, and when it last followed. */
interface LiveState {
  readonly version: number;
  readonly pending: boolean;
  readonly updatedAt: number | null;
}

/**
 * Follows edits to the current text while `live`: the version grows once the text has been still for
 * LIVE_SETTLE_MS (or every LIVE_MAX_WAIT_MS during continuous typing), so a comparison reruns then and not on
 * every keystroke. Remote edits count too: they reach `D/text` like local ones.
 */
function useLiveText(negotiation: NegotiationSession, live: boolean): LiveState {
  const [state, setState] = useState<LiveState>({ version: 0, pending: false, updatedAt: null });
  useEffect(() => {
    if (!live) return;
    let settle: ReturnType<typeof setTimeout> | null = null;
    let cap: ReturnType<typeof setTimeout> | null = null;
    const follow = () => {
      if (settle !== null) clearTimeout(settle);
      if (cap !== null) clearTimeout(cap);
      settle = null;
      cap = null;
      setState((previous) => ({ version: previous.version + 1, pending: false, updatedAt: Date.now() }));
    };
    const onUpdate = () => {
      if (settle === null && cap === null) setState((previous) => (previous.pending ? previous : { ...previous, pending: true }));
      if (settle !== null) clearTimeout(settle);
      settle = setTimeout(follow, LIVE_SETTLE_MS);
      if (cap === null) cap = setTimeout(follow, LIVE_MAX_WAIT_MS);
    };
    const text = negotiation.text;
    text.on('update', onUpdate);
    return () => {
      text.off('update', onUpdate);
      if (settle !== null) clearTimeout(settle);
      if (cap !== null) clearTimeout(cap);
    };
  }, [negotiation, live]);
  return state;
}

/** "Updated just now", then the time, re-rendered once when "just now" no longer holds. */
function LiveStatus({ live }: { live: LiveState }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (live.updatedAt === null) return;
    const timer = setTimeout(() => setTick((tick) => tick + 1), Math.max(0, live.updatedAt + JUST_NOW_MS - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [live.updatedAt]);
  let text: string;
  if (live.pending) text = 'Updating…';
  else if (live.updatedAt === null) text = 'Follows the current text as it is edited';
  else if (Date.now() - live.updatedAt < JUST_NOW_MS) text = 'Updated just now';
  else text = `Updated at ${new Date(live.updatedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
  return (
    <span className="muted" role="status" aria-live="polite" data-testid="compare-live" data-pending={live.pending}>
      {text}
    </span>
  );
}

/** The comparison of two versions: the counts, then an inline redline or two columns. */
function CompareRevisions({
  negotiation,
  revisions,
  before,
  after,
  currentDoc,
  onExport,
  onClose,
}: {
  negotiation: NegotiationSession;
  revisions: readonly RevisionEntry[];
  before: string;
  after: string;
  currentDoc: () => ProseMirrorNode | null;
  onExport: RevisionsViewProps['onExport'];
  onClose: () => void;
}) {
  const [layout, setLayout] = useState<'inline' | 'side'>('inline');
  const live = useLiveText(negotiation, before === CURRENT || after === CURRENT);
  // Each revision's text is decoded once while the comparison is open: following the current text re-reads only it.
  const opened = useRef(new Map<string, ProseMirrorNode>());
  const openRevision = useCallback((entry: RevisionEntry): ProseMirrorNode => {
    let doc = opened.current.get(entry.id);
    if (!doc) {
      doc = revisionDocument(entry, schema);
      opened.current.set(entry.id, doc);
    }
    return doc;
  }, []);
  const result = useMemo((): { comparison: Comparison; names: [string, string] } | { error: string } => {
    void live.version;
    try {
      const version = (id: string): { doc: ProseMirrorNode; name: string; baseline?: ReadonlyMap<string, number> } => {
        if (id === CURRENT) {
          const doc = currentDoc();
          if (!doc) throw new Error('The current text is not open.');
          const latest = revisions.at(-1);
          return { doc, name: 'Current text', ...(latest ? { baseline: new Map(Object.entries(latest.numbers)) } : {}) };
        }
        const index = revisions.findIndex((entry) => entry.id === id);
        const entry = revisions[index];
        if (!entry) throw new Error('That revision is no longer listed.');
        // A revision is numbered against the one before it, as it was printed.
        const previous = revisions[index - 1];
        return { doc: openRevision(entry), name: entry.label, ...(previous ? { baseline: new Map(Object.entries(previous.numbers)) } : {}) };
      };
      const from = version(before);
      const to = version(after);
      return { comparison: compareDocuments(from.doc, to.doc, from.baseline ? { baseline: from.baseline } : {}), names: [from.name, to.name] };
    } catch (cause) {
      return { error: describeError(cause) };
    }
  }, [revisions, before, after, currentDoc, openRevision, live.version]);

  if ('error' in result) {
    return (
      <p className="form-error" role="alert" data-testid="compare-error">
        {result.error}
      </p>
    );
  }
  const { comparison, names } = result;
  const { summary } = comparison;
  const entries = changedEntries(comparison);
  return (
    <div className="revision-compare" data-testid="compare-view" data-layout={layout}>
      <div className="revision-banner">
        <strong>
          {names[0]} → {names[1]}
        </strong>
        <span className="compare-summary" data-testid="compare-summary">
          {summary.changed} changed, {summary.added} added, {summary.deleted} deleted, {summary.moved} moved
        </span>
        {(before === CURRENT || after === CURRENT) && <LiveStatus live={live} />}
        <span className="collab-spacer" />
        <div className="view-switch" role="tablist" aria-label="Layout">
          <button type="button" role="tab" aria-selected={layout === 'inline'} className={`button small${layout === 'inline' ? ' is-active' : ''}`} onClick={() => setLayout('inline')} data-testid="compare-inline">
            Redline
          </button>
          <button type="button" role="tab" aria-selected={layout === 'side'} className={`button small${layout === 'side' ? ' is-active' : ''}`} onClick={() => setLayout('side')} data-testid="compare-side">
            Side by side
          </button>
        </div>
        {onExport && (
          <button
            type="button"
            className="button small"
            onClick={() => onExport(before, after)}
            title={`Export this comparison of ${names[0]} with ${names[1]} (Word with tracked changes, PDF or HTML)`}
            data-testid="compare-export"
          >
            Export…
          </button>
        )}
        <button type="button" className="button small" onClick={onClose} data-testid="compare-close">
          Close
        </button>
      </div>
      {entries.length === 0 && <p className="muted">No differences.</p>}
      {layout === 'inline' ? (
        <ol className="redline" data-testid="redline">
          {entries.map((entry, index) => (
            <li key={entry.pid ?? `i${index}`} className={`redline-row is-${entry.kind}`} data-testid="redline-row" data-kind={entry.kind}>
              <span className="redline-number">{numberOf(entry)}</span>
              <div className="redline-text">
                <Runs runs={entry.words} />
              </div>
              <span className="redline-kind">{KIND_TAGS[entry.kind]}</span>
            </li>
          ))}
        </ol>
      ) : (
        <table className="side-by-side" data-testid="side-by-side">
          <thead>
            <tr>
              <th>{names[0]}</th>
              <th>{names[1]}</th>
            </tr>
          </thead>
          <tbody>
            {sideBySide({ entries, summary }).map((row, index) => (
              <tr key={row.entry.pid ?? `i${index}`} className={`is-${row.entry.kind}`}>
                <td>
                  {row.left && (
                    <>
                      <span className="redline-number">{row.entry.before?.number ?? ''}</span> <Runs runs={row.left} />
                    </>
                  )}
                </td>
                <td>
                  {row.right && (
                    <>
                      <span className="redline-number">{row.entry.after?.number ?? ''}</span> <Runs runs={row.right} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
