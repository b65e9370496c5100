/**
 * The margin beside the page: the proposal cards of each paragraph, grouped by paragraph and set level with it
 * (pushed down when the groups above need the room). Only the paragraphs on screen, and a screen above and below,
 * have their cards rendered, so a report with thousands of proposals scrolls and types as fast as one with none.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { EditorView } from 'prosemirror-view';
import type { ProposalView } from '../../../shared/model/negotiation/index.ts';
import type { EditorController } from '../../editor/editorController.ts';
import { referenceOf } from '../../negotiation/decorations.ts';
import { PARAGRAPH_STATUS_LABELS } from '../../negotiation/labels.ts';
import { passesFilters, type NegotiationSession } from '../../negotiation/negotiationSession.ts';
import { ProposalCard, type CardActions } from './ProposalCard.tsx';

/** A paragraph on screen that has proposals or a status, and where it stands on the page. */
interface Slot {
  readonly pid: string;
  /** Its top, in pixels from the page's top. */
  readonly top: number;
}

/** The margin's props. */
export interface MarginCardsProps {
  negotiation: NegotiationSession;
  controller: EditorController | null;
  /** The scrolling element around the page. */
  scroller: HTMLElement | null;
  /** The page element the positions are measured from. */
  page: HTMLElement | null;
  actions: CardActions;
  mergeSelection: ReadonlySet<string>;
  /** Opens the status dialog for a paragraph (chair). */
  onStatus: (pid: string) => void;
}

/**
 * The paragraphs with proposals on screen (and a screen above and below), with their tops relative to `page`.
 * Top-level blocks are in document order, so a binary search over their offsets finds the first one on screen; no
 * position look-up in the document (ProseMirror's posAtCoords costs a layout of everything around the point).
 */
function visibleSlots(view: EditorView, scroller: HTMLElement, page: HTMLElement, active: ReadonlySet<string>): Slot[] {
  const blocks = view.dom.children;
  if (blocks.length === 0 || active.size === 0) return [];
  const box = scroller.getBoundingClientRect();
  const pageTop = page.getBoundingClientRect().top;
  const from = box.top - box.height - pageTop;
  const to = box.bottom + box.height - pageTop;
  const topOf = (element: Element) => element.getBoundingClientRect().top - pageTop;
  let low = 0;
  let high = blocks.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    const element = blocks[middle] as Element;
    if (topOf(element) + element.getBoundingClientRect().height < from) low = middle + 1;
    else high = middle;
  }
  const slots: Slot[] = [];
  for (let index = low; index < blocks.length; index += 1) {
    const element = blocks[index] as HTMLElement;
    const top = topOf(element);
    if (top > to) break;
    const pid = element.getAttribute('data-pid');
    if (pid !== null) {
      if (active.has(pid)) slots.push({ pid, top });
      continue;
    }
    // A list, a table or the header: the paragraphs inside it.
    for (const inner of element.querySelectorAll<HTMLElement>('[data-pid]')) {
      const innerPid = inner.getAttribute('data-pid');
      if (innerPid !== null && active.has(innerPid)) slots.push({ pid: innerPid, top: topOf(inner) });
    }
  }
  return slots;
}

function sameSlots(a: readonly Slot[], b: readonly Slot[]): boolean {
  return a.length === b.length && a.every((slot, i) => slot.pid === b[i]?.pid && Math.abs(slot.top - (b[i]?.top ?? 0)) < 1);
}

function Group({
  negotiation,
  view,
  pid,
  actions,
  mergeSelection,
  onStatus,
  version,
}: {
  negotiation: NegotiationSession;
  view: EditorView;
  pid: string;
  actions: CardActions;
  mergeSelection: ReadonlySet<string>;
  onStatus: (pid: string) => void;
  version: number;
}) {
  void version;
  const paragraph = negotiation.paragraph(pid);
  const filters = negotiation.filters;
  const shown = paragraph.proposals.filter((p: ProposalView) => passesFilters(filters, p.proposal.author.code, p.proposal.kind, p.status));
  const reference = referenceOf(view.state, pid);
  const references = useCallback((other: string) => referenceOf(view.state, other), [view]);
  const showStatus = paragraph.displayed !== 'open';
  if (shown.length === 0 && !showStatus) return null;
  return (
    <section className="margin-group" data-testid="margin-group" data-pid={pid} aria-label={`Paragraph ${reference ?? ''}: ${shown.length} proposals`}>
      <header className="margin-group-head">
        <span className="margin-group-ref">¶ {reference ?? '—'}</span>
        <span className={`paragraph-status is-${paragraph.displayed.replace(' ', '-')}`} data-testid="paragraph-status">
          {PARAGRAPH_STATUS_LABELS[paragraph.displayed]}
        </span>
        {negotiation.isChair && (
          <button type="button" className="link-button small" onClick={() => onStatus(pid)} data-testid="margin-status">
            Status…
          </button>
        )}
      </header>
      {paragraph.stored && paragraph.stored.reason && paragraph.status !== 'open' && <p className="margin-group-reason">{paragraph.stored.reason}</p>}
      {shown.map((proposal) => (
        <ProposalCard
          key={proposal.id}
          negotiation={negotiation}
          view={proposal}
          referenceOf={references}
          actions={actions}
          selectedForMerge={mergeSelection.has(proposal.id)}
        />
      ))}
    </section>
  );
}

/** A pause in a burst of changes (typing in a paragraph with proposals) after which the cards follow. */
const SETTLE_MS = 120;

/**
 * The negotiation's version, followed at once after a quiet moment and otherwise once per pause: the cards need not
 * re-render on every keystroke of someone typing in a paragraph with proposals.
 */
function useSettledVersion(negotiation: NegotiationSession): number {
  const [version, setVersion] = useState(negotiation.version);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const stop = negotiation.subscribeVersion(() => {
      const now = Date.now();
      const quiet = now - last > SETTLE_MS;
      last = now;
      if (timer !== null) clearTimeout(timer);
      if (quiet) setVersion(negotiation.version);
      else
        timer = setTimeout(() => {
          timer = null;
          setVersion(negotiation.version);
        }, SETTLE_MS);
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [negotiation]);
  return version;
}

/** The cards of the paragraphs on screen. */
export function MarginCards({ negotiation, controller, scroller, page, actions, mergeSelection, onStatus }: MarginCardsProps) {
  const version = useSettledVersion(negotiation);
  const filters = useSyncExternalStore(negotiation.subscribeFilters, negotiation.getFilters);
  const [slots, setSlots] = useState<readonly Slot[]>([]);
  const column = useRef<HTMLDivElement>(null);
  const frame = useRef<number | null>(null);

  const measure = useCallback(() => {
    frame.current = null;
    const view = controller?.view;
    if (!view || view.isDestroyed || !scroller || !page) return;
    const next = visibleSlots(view, scroller, page, negotiation.activePids());
    setSlots((previous) => (sameSlots(previous, next) ? previous : next));
  }, [controller, scroller, page, negotiation]);

  const schedule = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(measure);
  }, [measure]);

  useEffect(() => {
    schedule();
    if (!scroller) return;
    scroller.addEventListener('scroll', schedule, { passive: true });
    // The page grows or shrinks as lines wrap while typing: the cards follow their paragraphs.
    const resize = new ResizeObserver(schedule);
    resize.observe(scroller);
    if (page) resize.observe(page);
    const stopEditor = controller?.subscribe(schedule);
    return () => {
      scroller.removeEventListener('scroll', schedule);
      resize.disconnect();
      stopEditor?.();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [scroller, page, controller, schedule]);

  // The negotiation or the filters changed: paragraphs may have gained or lost proposals.
  useEffect(schedule, [version, filters, schedule]);

  // Each group level with its paragraph, or just below the group above when that one needs the room.
  useLayoutEffect(() => {
    const root = column.current;
    if (!root) return;
    let bottom = 0;
    for (const element of root.querySelectorAll<HTMLElement>(':scope > [data-slot-top]')) {
      const top = Number(element.dataset.slotTop ?? 0);
      const gap = Math.max(0, top - bottom);
      element.style.marginTop = `${gap}px`;
      bottom += gap + element.offsetHeight + 8;
    }
  });

  const view = controller?.view ?? null;
  return (
    <aside className="margin-cards" ref={column} aria-label="Proposals beside the text" data-testid="margin-cards">
      {view &&
        slots.map((slot) => (
          <div key={slot.pid} data-slot-top={slot.top} className="margin-slot">
            <Group negotiation={negotiation} view={view} pid={slot.pid} actions={actions} mergeSelection={mergeSelection} onStatus={onStatus} version={version} />
          </div>
        ))}
    </aside>
  );
}
