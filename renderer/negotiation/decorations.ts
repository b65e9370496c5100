/**
 * Proposals drawn in the text like tracked changes, in each delegation's colour: words proposed for deletion struck
 * through, proposed words inserted and underlined, paragraphs proposed for deletion struck whole, proposed new
 * paragraphs as ghost paragraphs ("12 bis (proposed)"), moves and comments marked, paragraph statuses (brackets,
 * alternatives, agreed ad ref) and a badge with each paragraph's count.
 *
 * The cost of a keystroke must not grow with the document or with the proposals elsewhere (a report of 2,500
 * blocks and 5,000 proposals). y-prosemirror replaces the whole document on every remote change, so one mapped
 * DecorationSet would be rebuilt each time, and ProseMirror looks a top-level child's decorations up by scanning
 * every child of a plain set. So decorations are painted per paragraph, from the live index's cached view of that
 * paragraph, cached by pid with the paragraph node they were painted for, and handed to ProseMirror through a
 * decoration source whose `forChild` is a map look-up: a paragraph whose node and proposals are unchanged costs
 * one comparison. A local keystroke maps the typed-in paragraph's paint at once (the index sees the change only
 * after y-prosemirror has written it to Yjs) and the index's update then repaints it from Yjs.
 *
 * A pending move is marked at both ends: a chip at the paragraph to move, and a marker where accepting would put it
 * (after the destination's lettered sub-paragraphs), drawn in the paragraph it would follow. Which paragraph that is
 * depends on the block structure, so it is worked out again only when the numbering changes or a move is tabled,
 * never on a keystroke inside a paragraph.
 *
 * Paragraphs are painted when they come near the screen: top-level blocks are `content-visibility: auto`, and the
 * browser says when each starts being rendered (`contentvisibilityautostatechange`), so opening a report with
 * thousands of proposals resolves the anchors of those on screen only, and the rest as they are scrolled to.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type DecorationAttrs, type EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';
import { insertedParagraphLabel, INSERTION_SUFFIXES } from '../../shared/model/numbering.ts';
import type { ParagraphView, ProposalView } from '../../shared/model/negotiation/index.ts';
import { codeOfProposalId, floorMap, lookupProposal, proposalsMap } from '../../shared/model/negotiation/store.ts';
import { findBlockByPid } from '../editor/commands.ts';
import { numberingPluginKey } from '../editor/numberingPlugin.ts';
import { delegationColor } from './colors.ts';
import { passesFilters, type NegotiationFilters, type NegotiationSession } from './negotiationSession.ts';

/** One inline range or widget of a paragraph, in offsets from the paragraph's content start. */
type PaintItem =
  | { readonly type: 'inline'; readonly from: number; readonly to: number; readonly attrs: DecorationAttrs; readonly key: string }
  | {
      readonly type: 'widget';
      readonly pos: number;
      readonly side: number;
      readonly key: string;
      readonly render: (view: EditorView) => HTMLElement;
      /** Events the widget handles itself (a clickable marker), kept from ProseMirror. */
      readonly stopEvent?: (event: Event) => boolean;
    };

/** What one paragraph shows. */
interface Paint {
  readonly items: readonly PaintItem[];
  /** Whether it names other paragraphs by number (ghosts, moves): a renumbering repaints it. */
  readonly usesLabels: boolean;
}

/** Nothing drawn: a paragraph not yet near the screen. */
const NOTHING: Paint = { items: [], usesLabels: false };

/** Whether the browser tells when a `content-visibility: auto` block starts being rendered (not in jsdom). */
function canPaintLazily(): boolean {
  return typeof window !== 'undefined' && 'ContentVisibilityAutoStateChangeEvent' in window;
}

interface PaintEntry {
  /** The paragraph node it was painted (or mapped) for. */
  node: ProseMirrorNode;
  /** The pid's data version and the global version it was painted at. */
  version: number;
  global: number;
  labels: number;
  paint: Paint;
  /** The set for the paragraph as a top-level child, made on first use. */
  set: DecorationSet | null;
}

/** What the plugin passes in a transaction's meta. */
interface RefreshMeta {
  /** Pids whose proposals or status changed. */
  readonly pids?: ReadonlySet<string>;
  /** Everything changed (filters). */
  readonly all?: boolean;
}

/**
 * While someone types in a paragraph with proposals, its mapped paint is right, so repainting it from Yjs (which
 * also redraws the whole view) waits for a pause in the typing.
 */
const TYPING_PAUSE_MS = 150;

/** The key of the negotiation decorations plugin. */
export const negotiationDecorationsKey = new PluginKey<NegotiationDecorationSource>('penholder-negotiation-decorations');

/** How a paragraph is cited in the text's own numbering ("12", "A.", "12 (a)"), or null. */
export function referenceOf(state: EditorState, pid: string): string | null {
  return numberingPluginKey.getState(state)?.references.get(pid) ?? null;
}

/**
 * The label of the `nth` paragraph proposed after `anchor` (1-based, in the order drawn): "12" -> "12 bis", then
 * "12 ter"; "12 bis" -> "12 ter". Several new paragraphs after one paragraph (a Word file's run of them) read as the
 * sequence they would make, not all as "12 bis".
 */
export function ghostLabel(anchor: string | null, nth = 1): string {
  if (anchor === null) return 'New paragraph';
  const plain = /^(\d+)$/.exec(anchor);
  if (plain) return insertedParagraphLabel(Number(plain[1]), nth);
  const suffixed = /^(\d+) ([a-z]+)$/.exec(anchor);
  if (suffixed) {
    const at = INSERTION_SUFFIXES.indexOf(suffixed[2] as string);
    if (at >= 0) return insertedParagraphLabel(Number(suffixed[1]), at + 1 + nth);
  }
  return nth === 1 ? `${anchor} bis` : `${anchor} bis (${nth})`;
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function shortText(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Everything the painter needs to know beyond the paragraph's view. */
interface PaintContext {
  readonly session: NegotiationSession;
  readonly filters: NegotiationFilters;
  readonly reference: (pid: string) => string | null;
}

/** Whether a proposal is drawn in the text: pending, passing the filters, its delegation's colour not hidden. */
function drawn(context: PaintContext, view: ProposalView): boolean {
  const code = view.proposal.author.code;
  return (
    view.status === 'pending' &&
    passesFilters(context.filters, code, view.proposal.kind, view.status) &&
    !context.filters.hidden.includes(code)
  );
}

/** Paints one paragraph from its view; offsets are clamped to the node, which may lag the index by a keystroke. */
export function paintParagraph(context: PaintContext, view: ParagraphView, node: ProseMirrorNode): Paint {
  const size = node.content.size;
  const clamp = (offset: number) => Math.max(0, Math.min(offset, size));
  const items: PaintItem[] = [];
  let usesLabels = false;
  const pending = view.counts.pending;
  if (view.counts.total > 0) {
    const label = `${view.counts.total} proposal${view.counts.total === 1 ? '' : 's'}, ${pending} pending`;
    items.push({
      type: 'widget',
      pos: 0,
      side: -30,
      key: `badge:${view.pid}:${pending}:${view.counts.total}`,
      render: () => {
        const badge = element('span', `ph-neg-badge${pending === 0 ? ' is-settled' : ''}`, String(pending > 0 ? pending : view.counts.total));
        badge.setAttribute('data-badge-pid', view.pid);
        badge.setAttribute('title', label);
        badge.setAttribute('aria-label', label);
        return badge;
      },
    });
  }
  switch (view.displayed) {
    case 'bracketed':
      items.push({ type: 'widget', pos: 0, side: -20, key: 'bracket-open', render: () => element('span', 'ph-bracket', '[') });
      items.push({ type: 'widget', pos: size, side: 20, key: 'bracket-close', render: () => element('span', 'ph-bracket', ']') });
      break;
    case 'alternatives':
      items.push({ type: 'widget', pos: 0, side: -20, key: 'alt', render: () => element('span', 'ph-status-chip is-alternatives', 'Alt 1') });
      break;
    case 'agreed':
      items.push({
        type: 'widget',
        pos: 0,
        side: -20,
        key: 'agreed',
        render: () => {
          const chip = element('span', 'ph-status-chip is-agreed', 'Agreed ad ref');
          chip.setAttribute('title', 'Agreed ad referendum: locked until the Chair reopens it');
          return chip;
        },
      });
      if (size > 0) items.push({ type: 'inline', from: 0, to: size, attrs: { class: 'ph-locked' }, key: 'locked' });
      break;
    default:
      break;
  }
  let alternative = 1;
  let newParagraphs = 0;
  view.proposals.forEach((proposalView, index) => {
    if (!drawn(context, proposalView)) return;
    const { proposal } = proposalView;
    const code = proposal.author.code;
    const color = delegationColor(code);
    const style = `--prop-color: ${color}`;
    const who = `${context.session.nameOf(code)} (${code})`;
    const overtaken = proposalView.overtaken ? ' is-overtaken' : '';
    const base = { 'data-proposal': proposal.id, 'data-code': code, style };
    switch (proposal.kind) {
      case 'replace': {
        const span = proposalView.span;
        if (span === null) return;
        const from = clamp(span.from);
        const to = clamp(span.to);
        if (from < to) {
          items.push({
            type: 'inline',
            from,
            to,
            attrs: { ...base, class: `ph-prop ph-prop-del${overtaken}`, title: `${who} proposes to ${proposal.text ? 'replace' : 'delete'} these words` },
            key: `${proposal.id}:del`,
          });
        }
        // The text changed under it: its words (what stands there now) are marked, but its wording is not drawn
        // as if it still applied there; the card shows the old and the new wording.
        if (proposal.text !== '' && !proposalView.overtaken) {
          const alt = view.displayed === 'alternatives' ? ` (Alt ${(alternative += 1)})` : '';
          items.push({
            type: 'widget',
            pos: to,
            side: 1 + index,
            key: `${proposal.id}:ins`,
            render: () => {
              const ins = element('ins', `ph-prop ph-prop-ins${overtaken}`, proposal.text);
              ins.setAttribute('data-proposal', proposal.id);
              ins.setAttribute('data-code', code);
              ins.setAttribute('style', style);
              ins.setAttribute('title', `${who} proposes to insert these words${alt}`);
              return ins;
            },
          });
        }
        return;
      }
      case 'comment': {
        const span = proposalView.span;
        if (span === null) return;
        const from = clamp(span.from);
        const to = clamp(span.to);
        if (from < to) {
          items.push({ type: 'inline', from, to, attrs: { ...base, class: 'ph-prop ph-prop-comment', title: `${who} comments: ${shortText(proposal.text)}` }, key: `${proposal.id}:comment` });
        }
        return;
      }
      case 'delete-paragraph':
        if (size > 0) {
          items.push({ type: 'inline', from: 0, to: size, attrs: { ...base, class: 'ph-prop ph-prop-delpara', title: `${who} proposes to delete this paragraph` }, key: `${proposal.id}:delpara` });
        }
        return;
      case 'move-paragraph': {
        usesLabels = true;
        const target = proposal.afterPid === null ? 'the top' : `after ${context.reference(proposal.afterPid) ?? 'a paragraph no longer in the text'}`;
        items.push({
          type: 'widget',
          pos: 0,
          side: -10 + index / 1000,
          key: `${proposal.id}:move:${target}`,
          render: () => {
            const chip = element('span', 'ph-prop ph-prop-move', `⇅ ${code}: move to ${target}`);
            chip.setAttribute('data-proposal', proposal.id);
            chip.setAttribute('data-code', code);
            chip.setAttribute('style', style);
            return chip;
          },
        });
        return;
      }
      case 'new-paragraph': {
        usesLabels = true;
        const label = `${ghostLabel(context.reference(proposal.pid), (newParagraphs += 1))} (proposed)`;
        const alt = view.displayed === 'alternatives' ? ` · Alt ${(alternative += 1)}` : '';
        items.push({
          type: 'widget',
          pos: size,
          side: 100 + index,
          key: `${proposal.id}:ghost:${label}${alt}`,
          render: () => {
            const ghost = element('span', 'ph-ghost-paragraph');
            ghost.setAttribute('data-proposal', proposal.id);
            ghost.setAttribute('data-code', code);
            ghost.setAttribute('style', style);
            ghost.setAttribute('role', 'note');
            ghost.append(element('span', 'ph-ghost-label', label), element('span', 'ph-ghost-text', proposal.text), element('span', 'ph-ghost-by', `${code}${alt}`));
            return ghost;
          },
        });
        return;
      }
    }
  });
  return { items, usesLabels };
}

/** A pending move as the painter files it: the paragraph to move and the one it should follow (null: the top). */
interface MoveRecord {
  readonly sourcePid: string;
  readonly afterPid: string | null;
}

/** A move's destination marker, drawn in the paragraph the moved one would follow (at its end), or at the start of the first body paragraph when there is no header to follow. */
interface Arrival {
  readonly id: string;
  readonly at: 'end' | 'start';
}

/** Scrolls to a paragraph and puts the caret at its start (where a moved paragraph's marker points). */
function goToParagraph(view: EditorView, pid: string): boolean {
  const found = findBlockByPid(view.state.doc, pid);
  if (!found) return false;
  const { state } = view;
  if (found.node.isTextblock) view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, found.pos + 1)).setMeta('addToHistory', false));
  const dom = view.nodeDOM(found.pos);
  if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center' });
  return true;
}

/** The markers of the pending moves that would land in this paragraph ("⇅ FRA proposes to move ¶5 here"). */
export function paintArrivals(context: PaintContext, arrivals: readonly Arrival[], size: number): PaintItem[] {
  const items: PaintItem[] = [];
  arrivals.forEach((arrival, index) => {
    const view = context.session.index.proposalView(arrival.id);
    if (!view || view.proposal.kind !== 'move-paragraph' || !drawn(context, view)) return;
    const { proposal } = view;
    const code = proposal.author.code;
    const source = context.reference(proposal.pid);
    const what = source === null ? 'a paragraph no longer in the text' : `¶${source}`;
    const label = `⇅ ${code} proposes to move ${what} here`;
    const where = proposal.afterPid === null ? 'to the top of the text' : `after ${context.reference(proposal.afterPid) ?? 'this paragraph'}`;
    const title = `${context.session.nameOf(code)} (${code}) proposes to move ${source === null ? 'a paragraph no longer in the text' : `paragraph ${source}`} ${where}`;
    const reachable = source !== null;
    items.push({
      type: 'widget',
      pos: arrival.at === 'end' ? size : 0,
      side: arrival.at === 'end' ? 200 + index : -1000 + index,
      key: `${proposal.id}:arrival:${label}:${where}`,
      render: (editor) => {
        const marker = element('span', `ph-prop ph-move-arrival${reachable ? '' : ' is-orphaned'}`, label);
        marker.setAttribute('data-proposal', proposal.id);
        marker.setAttribute('data-code', code);
        marker.setAttribute('data-move-source-pid', proposal.pid);
        marker.setAttribute('style', `--prop-color: ${delegationColor(code)}`);
        marker.setAttribute('title', title);
        if (!reachable) return marker;
        marker.setAttribute('role', 'button');
        marker.setAttribute('tabindex', '0');
        marker.setAttribute('aria-label', `${title}: go to paragraph ${source}`);
        const go = (event: Event) => {
          event.preventDefault();
          goToParagraph(editor, proposal.pid);
        };
        marker.addEventListener('click', go);
        marker.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') go(event);
        });
        return marker;
      },
      // The marker is a button: ProseMirror neither moves the caret nor reads the keys pressed on it.
      stopEvent: (event) => event.type === 'click' || event.type === 'mousedown' || event.type === 'keydown' || event.type === 'keypress',
    });
  });
  return items;
}

/** The pending-or-not move a stored proposal is, read cheaply (the raw kind first) and validated only for moves. */
function storedMove(session: NegotiationSession, id: string): MoveRecord | null {
  const code = codeOfProposalId(id);
  const own = code === null ? undefined : session.delegations.get(code);
  const raw = (own ? proposalsMap(own).get(id) : undefined) ?? floorMap(session.chair).get(id);
  if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== 'move-paragraph') return null;
  const stored = lookupProposal(session.chair, session.delegations, id);
  if (!stored || stored.proposal.kind !== 'move-paragraph') return null;
  return { sourcePid: stored.proposal.pid, afterPid: stored.proposal.afterPid };
}

const HEADER_NODE = 'header';
/** Lettered sub-paragraphs travel with the paragraph before them: a move "after 12" lands after them. */
const ATTACHED_AFTER = 'lettered_list';

/**
 * Where each destination's marker goes: the pid of the paragraph drawn last in the destination's group (its own
 * block, or the last sub-paragraph of the lettered lists after it), by destination (null: the top of the body, after
 * the header). One walk over the top-level blocks; run when the structure changes, not on keystrokes.
 */
function arrivalHosts(
  doc: ProseMirrorNode,
  destinations: ReadonlySet<string | null>,
  innerOf: (node: ProseMirrorNode) => ReadonlyArray<{ pid: string }>,
): Map<string | null, { pid: string; at: 'end' | 'start' }> {
  const blocks: ProseMirrorNode[] = [];
  const blockOf = new Map<string, number>();
  doc.forEach((child) => {
    const index = blocks.length;
    blocks.push(child);
    const pid = pidOf(child);
    if (pid !== null) {
      if (destinations.has(pid)) blockOf.set(pid, index);
    } else if (!child.isLeaf) {
      for (const inner of innerOf(child)) if (destinations.has(inner.pid)) blockOf.set(inner.pid, index);
    }
  });
  const lastPid = (block: ProseMirrorNode) => pidOf(block) ?? innerOf(block).at(-1)?.pid ?? null;
  const hosts = new Map<string | null, { pid: string; at: 'end' | 'start' }>();
  for (const [pid, index] of blockOf) {
    let end = index + 1;
    while (blocks[end]?.type.name === ATTACHED_AFTER) end += 1;
    const host = lastPid(blocks[end - 1] as ProseMirrorNode);
    if (host !== null) hosts.set(pid, { pid: host, at: 'end' });
  }
  if (destinations.has(null) && blocks.length > 0) {
    const first = blocks[0] as ProseMirrorNode;
    const host = first.type.name === HEADER_NODE ? lastPid(first) : (pidOf(first) ?? innerOf(first)[0]?.pid ?? null);
    if (host !== null) hosts.set(null, { pid: host, at: first.type.name === HEADER_NODE ? 'end' : 'start' });
  }
  return hosts;
}

/** Maps a paint through a local edit: `map` turns an old offset into the new one (null when it left the paragraph). */
function mapPaint(paint: Paint, map: (offset: number, assoc: number) => number | null, size: number): Paint {
  const items: PaintItem[] = [];
  for (const item of paint.items) {
    if (item.type === 'inline') {
      const from = map(item.from, 1);
      const to = map(item.to, -1);
      if (from === null || to === null || from >= to) continue;
      items.push({ ...item, from, to: Math.min(to, size) });
    } else {
      const pos = map(item.pos, item.side < 0 ? -1 : 1);
      if (pos === null) continue;
      items.push({ ...item, pos: Math.min(pos, size) });
    }
  }
  return { items, usesLabels: paint.usesLabels };
}

/** The decorations of a paint, shifted by `offset` (where the paragraph's content starts in the set's node). */
function decorationsOf(paint: Paint, offset: number): Decoration[] {
  return paint.items.map((item) =>
    item.type === 'inline'
      ? Decoration.inline(item.from + offset, item.to + offset, item.attrs, { key: item.key })
      : Decoration.widget(item.pos + offset, item.render, {
          side: item.side,
          key: item.key,
          ignoreSelection: true,
          marks: [],
          ...(item.stopEvent ? { stopEvent: item.stopEvent } : {}),
        }),
  );
}

function pidOf(node: ProseMirrorNode): string | null {
  const pid = node.attrs['pid'] as unknown;
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** The pid-carrying blocks inside a block without one (lists, tables, the header), with their offsets. */
function innerParagraphs(node: ProseMirrorNode): Array<{ pid: string; pos: number; node: ProseMirrorNode }> {
  const found: Array<{ pid: string; pos: number; node: ProseMirrorNode }> = [];
  node.descendants((child, pos) => {
    const pid = pidOf(child);
    if (pid !== null) {
      found.push({ pid, pos, node: child });
      return false;
    }
    return !child.isTextblock;
  });
  return found;
}

/** The cache and bookkeeping behind the decoration source; lives as long as the editor view. */
class Painter {
  readonly session: NegotiationSession;
  readonly #entries = new Map<string, PaintEntry>();
  readonly #versions = new Map<string, number>();
  readonly #containers = new WeakMap<ProseMirrorNode, { key: string; stamp: number; set: DecorationSet }>();
  /** Grows with every touch, so a container's set is checked again only after something changed. */
  #stamp = 0;
  readonly #inner = new WeakMap<ProseMirrorNode, Array<{ pid: string; pos: number; node: ProseMirrorNode }>>();
  /** Grows when everything must be repainted (filters). */
  global = 0;
  /** Grows with every renumbering. */
  labels = 0;
  /** The state being drawn, for paragraph references. */
  state: EditorState | null = null;
  /** When each pid's paint was last mapped through a local edit. */
  readonly #mappedAt = new Map<string, number>();
  /** Paint only paragraphs the browser has rendered (see the module comment); false paints everything. */
  readonly #lazy: boolean;
  /** Pids whose blocks have been rendered at least once. */
  readonly #shown = new Set<string>();
  /** Every proposal id seen, with its move (null: not a move), so only new ids are looked up. */
  readonly #moveOf = new Map<string, MoveRecord | null>();
  /** Move ids by the pid of the paragraph to move. */
  readonly #movesBySource = new Map<string, Set<string>>();
  /** Whether the moves changed since the markers' places were worked out. */
  #movesChanged = true;
  /** The numbering version the markers' places were worked out at. */
  #hostsLabels = -1;
  /** The destination markers by the pid of the paragraph they are drawn in. */
  #arrivals = new Map<string, Arrival[]>();
  /** The paragraph each move's marker is drawn in, by move id. */
  #hostOf = new Map<string, string>();

  constructor(session: NegotiationSession, lazy: boolean) {
    this.session = session;
    this.#lazy = lazy;
    // The moves already tabled: a raw look at each stored proposal's kind, no anchors resolved.
    for (const pid of session.activePids()) this.#noteMoves(pid);
  }

  /** Whether a pid has anything to draw: proposals, a status, or another paragraph's move landing in it. */
  #hasPaint(pid: string, active: ReadonlySet<string>): boolean {
    return active.has(pid) || this.#arrivals.has(pid);
  }

  /** Files the moves against a pid afresh: new ids are looked up once, ids no longer there are dropped. */
  #noteMoves(pid: string): void {
    const ids = this.session.index.proposalIdsAt(pid);
    for (const id of ids) {
      if (this.#moveOf.has(id)) continue;
      const move = storedMove(this.session, id);
      this.#moveOf.set(id, move);
      if (move === null) continue;
      const bySource = this.#movesBySource.get(move.sourcePid);
      if (bySource) bySource.add(id);
      else this.#movesBySource.set(move.sourcePid, new Set([id]));
      this.#movesChanged = true;
    }
    const filed = this.#movesBySource.get(pid);
    if (!filed || filed.size === ids.length) return;
    const present = new Set(ids);
    for (const id of filed) {
      if (present.has(id)) continue;
      filed.delete(id);
      this.#moveOf.delete(id);
      this.#movesChanged = true;
    }
    if (filed.size === 0) this.#movesBySource.delete(pid);
  }

  /**
   * Works out again where the destination markers go, after a change of structure or of the moves; returns
   * whether any marker changed paragraph (those paragraphs are marked changed). Without moves it costs nothing.
   */
  syncArrivals(): boolean {
    const state = this.state;
    if (!state || (!this.#movesChanged && this.#hostsLabels === this.labels)) return false;
    this.#movesChanged = false;
    this.#hostsLabels = this.labels;
    const moves: Array<[string, MoveRecord]> = [];
    for (const ids of this.#movesBySource.values()) for (const id of ids) moves.push([id, this.#moveOf.get(id) as MoveRecord]);
    const arrivals = new Map<string, Arrival[]>();
    const hostOf = new Map<string, string>();
    if (moves.length > 0) {
      const hosts = arrivalHosts(state.doc, new Set(moves.map(([, move]) => move.afterPid)), (node) => this.#innerOf(node));
      // Oldest first, the order the cards list them in: ids of one delegation sort by time.
      moves.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [id, move] of moves) {
        const host = hosts.get(move.afterPid);
        if (!host) continue;
        hostOf.set(id, host.pid);
        const list = arrivals.get(host.pid);
        if (list) list.push({ id, at: host.at });
        else arrivals.set(host.pid, [{ id, at: host.at }]);
      }
    }
    const changed = new Set<string>();
    const signature = (list: readonly Arrival[] | undefined) => (list ?? []).map((arrival) => `${arrival.id}@${arrival.at}`).join(',');
    for (const pid of new Set([...this.#arrivals.keys(), ...arrivals.keys()])) {
      if (signature(this.#arrivals.get(pid)) !== signature(arrivals.get(pid))) changed.add(pid);
    }
    this.#arrivals = arrivals;
    this.#hostOf = hostOf;
    if (changed.size === 0) return false;
    this.#stamp += 1;
    for (const pid of changed) this.#versions.set(pid, this.version(pid) + 1);
    return true;
  }

  #innerOf(node: ProseMirrorNode): Array<{ pid: string; pos: number; node: ProseMirrorNode }> {
    let inner = this.#inner.get(node);
    if (!inner) {
      inner = innerParagraphs(node);
      this.#inner.set(node, inner);
    }
    return inner;
  }

  /** Marks pids as near the screen; returns those that have something to paint and were not shown before. */
  show(pids: Iterable<string>): Set<string> {
    const fresh = new Set<string>();
    const active = this.session.activePids();
    for (const pid of pids) {
      if (this.#shown.has(pid)) continue;
      this.#shown.add(pid);
      if (this.#hasPaint(pid, active)) fresh.add(pid);
    }
    return fresh;
  }

  version(pid: string): number {
    return this.#versions.get(pid) ?? 0;
  }

  /** Marks pids as changed; true when any of them is or was drawn (otherwise nothing needs redrawing). */
  touch(pids: ReadonlySet<string>): boolean {
    this.#stamp += 1;
    let drawnBefore = false;
    const active = this.session.activePids();
    for (const pid of pids) {
      this.#versions.set(pid, this.version(pid) + 1);
      if (this.#entries.has(pid) || this.#hasPaint(pid, active)) drawnBefore = true;
      this.#noteMoves(pid);
      // A move's status lives in its source paragraph's view: its marker elsewhere is repainted with it.
      for (const id of this.#movesBySource.get(pid) ?? []) {
        const host = this.#hostOf.get(id);
        if (host === undefined || pids.has(host)) continue;
        this.#versions.set(host, this.version(host) + 1);
        drawnBefore = true;
      }
    }
    return drawnBefore || this.#movesChanged;
  }

  /** The paint of a paragraph node, from the cache when neither it nor its proposals changed. */
  entry(pid: string, node: ProseMirrorNode): PaintEntry | null {
    const cached = this.#entries.get(pid);
    const version = this.version(pid);
    if (
      cached &&
      cached.node === node &&
      cached.version === version &&
      cached.global === this.global &&
      (!cached.paint.usesLabels || cached.labels === this.labels)
    ) {
      return cached;
    }
    if (!this.#hasPaint(pid, this.session.activePids())) {
      if (cached) this.#entries.delete(pid);
      return null;
    }
    const state = this.state;
    const context: PaintContext = {
      session: this.session,
      filters: this.session.filters,
      reference: (other) => (state ? referenceOf(state, other) : null),
    };
    const paint = this.#lazy && !this.#shown.has(pid) ? NOTHING : this.#paint(context, pid, node);
    const entry: PaintEntry = { node, version, global: this.global, labels: this.labels, paint, set: null };
    this.#entries.set(pid, entry);
    return entry;
  }

  /** A paragraph's own paint, and the markers of the moves that would land in it. */
  #paint(context: PaintContext, pid: string, node: ProseMirrorNode): Paint {
    const own = this.session.activePids().has(pid) ? paintParagraph(context, this.session.paragraph(pid), node) : NOTHING;
    const arrivals = this.#arrivals.get(pid);
    if (!arrivals) return own;
    return { items: [...own.items, ...paintArrivals(context, arrivals, node.content.size)], usesLabels: true };
  }

  /**
   * After a local edit, moves the paint of the paragraph typed in to its new node, mapped, so it stays right until
   * the index has seen the edit in Yjs and it is painted again from there.
   */
  mapLocalEdit(tr: Transaction): void {
    if (tr.steps.length !== 1) return;
    const stepMap = tr.mapping.maps[0];
    if (!stepMap) return;
    stepMap.forEach((oldStart, _oldEnd, newStart) => {
      const $old = tr.before.resolve(oldStart);
      const $new = tr.doc.resolve(newStart);
      if (!$old.parent.isTextblock || !$new.parent.isTextblock) return;
      const pid = pidOf($old.parent);
      if (pid === null || pidOf($new.parent) !== pid) return;
      const cached = this.#entries.get(pid);
      if (!cached || cached.node !== $old.parent || cached.version !== this.version(pid)) return;
      const oldContent = $old.start();
      const newContent = $new.start();
      const size = $new.parent.content.size;
      const map = (offset: number, assoc: number): number | null => {
        const mapped = tr.mapping.map(oldContent + offset, assoc) - newContent;
        return mapped < 0 || mapped > size ? null : mapped;
      };
      this.#entries.set(pid, { ...cached, node: $new.parent, paint: mapPaint(cached.paint, map, size), set: null });
      this.#mappedAt.set(pid, Date.now());
    });
  }

  /** Whether a pid's paint was mapped through a local edit a moment ago (the person is typing in it). */
  typedInRecently(pid: string): boolean {
    const at = this.#mappedAt.get(pid);
    return at !== undefined && Date.now() - at < TYPING_PAUSE_MS * 2;
  }

  /** The decorations of one top-level child, in offsets from its content start. */
  forChild(child: ProseMirrorNode): DecorationSet {
    if (child.isLeaf) return DecorationSet.empty;
    const pid = pidOf(child);
    if (pid !== null) {
      const entry = this.entry(pid, child);
      if (!entry || entry.paint.items.length === 0) return DecorationSet.empty;
      entry.set ??= DecorationSet.create(child, decorationsOf(entry.paint, 0));
      return entry.set;
    }
    const inner = this.#innerOf(child);
    const stamp = this.#stamp + this.global * 1e6 + this.labels * 1e9;
    const cached = this.#containers.get(child);
    if (cached && cached.stamp === stamp) return cached.set;
    const active = this.session.activePids();
    if (!inner.some((paragraph) => this.#hasPaint(paragraph.pid, active) || this.#entries.has(paragraph.pid))) return DecorationSet.empty;
    const key = `${this.global}:${this.labels}:${inner.map((paragraph) => `${paragraph.pid}=${this.version(paragraph.pid)}`).join(',')}`;
    if (cached && cached.key === key) {
      cached.stamp = stamp;
      return cached.set;
    }
    const decorations: Decoration[] = [];
    for (const paragraph of inner) {
      const entry = this.entry(paragraph.pid, paragraph.node);
      if (entry) decorations.push(...decorationsOf(entry.paint, paragraph.pos + 1));
    }
    const set = decorations.length > 0 ? DecorationSet.create(child, decorations) : DecorationSet.empty;
    this.#containers.set(child, { key, stamp, set });
    return set;
  }
}

type InternalDecorationSetConstructor = new (local: readonly Decoration[], children: readonly unknown[]) => DecorationSet;

/**
 * The decoration source handed to ProseMirror. It is a DecorationSet only so ProseMirror's grouping accepts it
 * (prosemirror-view 1.42 groups sources with `instanceof DecorationSet`); it holds no decorations of its own and
 * answers `forChild` from the painter's per-paragraph cache. A new source per change makes the view look again;
 * children whose sets did not change compare equal at once.
 */
export class NegotiationDecorationSource extends (DecorationSet as unknown as InternalDecorationSetConstructor) {
  readonly #painter: Painter;

  constructor(painter: Painter) {
    super([], []);
    this.#painter = painter;
  }

  /** The painter (for the plugin). */
  get painter(): Painter {
    return this.#painter;
  }

  override forChild(_offset: number, child: ProseMirrorNode): DecorationSet {
    return this.#painter.forChild(child);
  }

  override find(): Decoration[] {
    return [];
  }

  override map(): DecorationSet {
    return this;
  }

  override forEachSet(f: (set: DecorationSet) => void): void {
    f(this);
  }

  /** ProseMirror compares sources to decide whether to look at the children again. */
  eq(other: unknown): boolean {
    return other === this;
  }

  /** No decorations between top-level blocks. */
  locals(): readonly Decoration[] {
    return [];
  }

  /** No decorations between top-level blocks. */
  localsInner(): readonly Decoration[] {
    return [];
  }
}

/** Whether a transaction came from Yjs (a remote change, undo): the document was rebuilt, nothing maps. */
function fromYjs(tr: Transaction): boolean {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

/** The plugin that draws the negotiation in the text. */
export function negotiationDecorationsPlugin(session: NegotiationSession, options: { lazy?: boolean } = {}): Plugin<NegotiationDecorationSource> {
  const lazy = options.lazy ?? canPaintLazily();
  const painter = new Painter(session, lazy);
  return new Plugin<NegotiationDecorationSource>({
    key: negotiationDecorationsKey,
    state: {
      init: (_config, state) => {
        painter.state = state;
        painter.labels = numberingPluginKey.getState(state)?.structureVersion ?? 0;
        painter.syncArrivals();
        return new NegotiationDecorationSource(painter);
      },
      apply: (tr, source, _old, state) => {
        painter.state = state;
        const meta = tr.getMeta(negotiationDecorationsKey) as RefreshMeta | undefined;
        let changed = false;
        if (meta?.all) {
          painter.global += 1;
          changed = true;
        }
        if (meta?.pids && meta.pids.size > 0) changed = true;
        const labels = numberingPluginKey.getState(state)?.structureVersion ?? 0;
        if (labels !== painter.labels) {
          painter.labels = labels;
          changed = true;
        }
        if (tr.docChanged) {
          if (!fromYjs(tr)) painter.mapLocalEdit(tr);
          changed = true;
        }
        if (painter.syncArrivals()) changed = true;
        return changed ? new NegotiationDecorationSource(painter) : source;
      },
    },
    props: {
      decorations: (state) => negotiationDecorationsKey.getState(state) ?? null,
    },
    view: (view: EditorView) => {
      const refresh = (meta: RefreshMeta) => {
        if (view.isDestroyed) return;
        view.dispatch(view.state.tr.setMeta(negotiationDecorationsKey, meta).setMeta('addToHistory', false));
      };
      let waiting = new Set<string>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const flush = () => {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        const pids = waiting;
        waiting = new Set();
        if (pids.size > 0 && painter.touch(pids)) refresh({ pids });
      };
      const stopUpdates = session.subscribe(({ pids }) => {
        for (const pid of pids) waiting.add(pid);
        const typing = [...pids].every((pid) => painter.typedInRecently(pid));
        if (!typing) {
          flush();
          return;
        }
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(flush, TYPING_PAUSE_MS);
      });
      const stopFilters = session.subscribeFilters(() => refresh({ all: true }));
      // Blocks coming near the screen: paint the paragraphs in them, in one transaction per burst.
      let appearing = new Set<string>();
      let queued = false;
      const onRendered = (event: Event) => {
        if ((event as Event & { skipped?: boolean }).skipped !== false || !(event.target instanceof HTMLElement)) return;
        const block = event.target;
        const pids: string[] = [];
        const own = block.getAttribute('data-pid');
        if (own !== null) pids.push(own);
        else for (const inner of block.querySelectorAll('[data-pid]')) pids.push(inner.getAttribute('data-pid') ?? '');
        for (const pid of painter.show(pids)) appearing.add(pid);
        if (appearing.size === 0 || queued) return;
        queued = true;
        queueMicrotask(() => {
          queued = false;
          const pids = appearing;
          appearing = new Set();
          painter.touch(pids);
          refresh({ pids });
        });
      };
      if (lazy) view.dom.addEventListener('contentvisibilityautostatechange', onRendered, true);
      return {
        destroy: () => {
          if (timer !== null) clearTimeout(timer);
          view.dom.removeEventListener('contentvisibilityautostatechange', onRendered, true);
          stopUpdates();
          stopFilters();
        },
      };
    },
  });
}
