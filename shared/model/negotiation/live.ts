/**
 * A live index of the negotiation for the editor's decorations and panes. It observes the docs and keeps proposals
 * indexed by pid, positions by proposal and merges by compromise; a paragraph's view is built on demand and cached
 * until something it depends on changes. A keystroke in a paragraph invalidates that paragraph only, and its
 * proposals' anchors are resolved again only when its view is asked for: the cost of typing does not grow with the
 * document or with the proposals elsewhere. Adding or removing paragraphs re-indexes the pids (one cheap walk).
 */
import * as Y from 'yjs';
import { paragraphView, proposalView, readNegotiation, type NegotiationSource, type NegotiationView, type ParagraphView, type ProposalView } from './view.ts';
import {
  decisionsMap,
  floorMap,
  floorPositionsMap,
  floorWithdrawalsMap,
  positionsMap,
  proposalsMap,
  readDecision,
  readFloorPosition,
  readOwnPosition,
  readStoredProposal,
  statusesMap,
  withdrawalsMap,
  type PositionRecord,
  type StoredProposal,
} from './store.ts';
import { indexParagraphs, pidOfElement, textFragment, type PidIndex } from './text.ts';

/** What changed: the pids whose paragraph view is stale. */
export interface NegotiationChange {
  readonly pids: ReadonlySet<string>;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** The live, incrementally maintained view of one document's negotiation. */
export class NegotiationIndex {
  readonly #text: Y.Doc;
  readonly #chair: Y.Doc;
  readonly #delegations = new Map<string, Y.Doc>();
  #pids: PidIndex | null = null;
  /** Proposals by id from the delegations' own docs and from the floor; the own doc wins (see store.ts). */
  readonly #own = new Map<string, StoredProposal>();
  readonly #floor = new Map<string, StoredProposal>();
  readonly #effective = new Map<string, StoredProposal>();
  readonly #byPid = new Map<string, Set<string>>();
  /** Moves by target pid: a target's disappearance makes them overtaken. */
  readonly #byAfterPid = new Map<string, Set<string>>();
  readonly #ownPositions = new Map<string, Map<string, PositionRecord>>();
  readonly #floorPositions = new Map<string, Map<string, PositionRecord>>();
  readonly #mergedInto = new Map<string, Set<string>>();
  readonly #compromiseOf = new Map<string, string>();
  readonly #views = new Map<string, ParagraphView>();
  readonly #dirty = new Set<string>();
  readonly #listeners = new Set<(change: NegotiationChange) => void>();
  readonly #detach = new Map<string, () => void>();
  readonly #source: NegotiationSource;
  #textDetach: (() => void) | null = null;
  #chairDetach: (() => void) | null = null;

  /** Indexes the docs and starts observing them; call {@link destroy} when done. */
  constructor(textDoc: Y.Doc, chairDoc: Y.Doc, delegationDocs: ReadonlyMap<string, Y.Doc> = new Map()) {
    this.#text = textDoc;
    this.#chair = chairDoc;
    const pids = () => {
      if (this.#pids === null) this.#pids = indexParagraphs(textFragment(this.#text));
      return this.#pids;
    };
    this.#source = {
      text: textDoc,
      chair: chairDoc,
      delegations: this.#delegations,
      sink: null,
      paragraph: (pid) => pids().elements.get(pid) ?? null,
      proposalIdsAt: (pid) => this.#byPid.get(pid) ?? [],
      stored: (id) => this.#effective.get(id),
      ownPositions: (id) => this.#ownPositions.get(id)?.values() ?? [],
      floorPositions: (id) => this.#floorPositions.get(id)?.values() ?? [],
      mergedInto: (id) => [...(this.#mergedInto.get(id) ?? [])],
    };
    this.#observeText();
    this.#observeChair();
    for (const [code, doc] of delegationDocs) this.addDelegation(code, doc);
  }

  /** The view of one paragraph, cached until it changes. */
  paragraphView(pid: string): ParagraphView {
    let view = this.#views.get(pid);
    if (!view) {
      view = paragraphView(this.#source, pid);
      this.#views.set(pid, view);
    }
    return view;
  }

  /** The view of one proposal, or undefined when there is none. */
  proposalView(id: string): ProposalView | undefined {
    const stored = this.#effective.get(id);
    if (!stored) return undefined;
    return this.paragraphView(stored.proposal.pid).proposals.find((view) => view.id === id) ?? proposalView(this.#source, stored);
  }

  /** The ids of the proposals against a pid. */
  proposalIdsAt(pid: string): string[] {
    return [...(this.#byPid.get(pid) ?? [])];
  }

  /** The whole negotiation, read afresh (activity log, compilation): costs the whole document. */
  snapshot(): NegotiationView {
    return readNegotiation(this.#text, this.#chair, this.#delegations);
  }

  /** Calls `listener` with the stale pids after each change; returns the function that stops it. */
  onChange(listener: (change: NegotiationChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts following a delegation's doc (when the registry grows or the doc is opened). */
  addDelegation(code: string, doc: Y.Doc): void {
    this.removeDelegation(code);
    this.#delegations.set(code, doc);
    const proposals = proposalsMap(doc);
    const positions = positionsMap(doc);
    const withdrawals = withdrawalsMap(doc);
    const onProposals = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#setOwnProposal(code, key, proposals.get(key));
      this.#flush();
    };
    const onPositions = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#setOwnPosition(code, key, positions.get(key));
      this.#flush();
    };
    const onWithdrawals = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#touchProposal(key);
      this.#flush();
    };
    proposals.forEach((value, key) => this.#setOwnProposal(code, key, value));
    positions.forEach((value, key) => this.#setOwnPosition(code, key, value));
    withdrawals.forEach((_value, key) => this.#touchProposal(key));
    proposals.observe(onProposals);
    positions.observe(onPositions);
    withdrawals.observe(onWithdrawals);
    this.#detach.set(code, () => {
      proposals.unobserve(onProposals);
      positions.unobserve(onPositions);
      withdrawals.unobserve(onWithdrawals);
      proposals.forEach((_value, key) => this.#setOwnProposal(code, key, undefined));
      positions.forEach((_value, key) => this.#setOwnPosition(code, key, undefined));
      withdrawals.forEach((_value, key) => this.#touchProposal(key));
    });
    this.#flush();
  }

  /** Stops following a delegation's doc; its proposals and positions leave the views. */
  removeDelegation(code: string): void {
    const detach = this.#detach.get(code);
    if (!detach) return;
    detach();
    this.#detach.delete(code);
    this.#delegations.delete(code);
    this.#flush();
  }

  /** Stops observing every doc. */
  destroy(): void {
    for (const code of [...this.#detach.keys()]) this.removeDelegation(code);
    this.#chairDetach?.();
    this.#textDetach?.();
    this.#listeners.clear();
    this.#views.clear();
  }

  #markPid(pid: string | null | undefined): void {
    if (pid === null || pid === undefined) return;
    this.#views.delete(pid);
    this.#dirty.add(pid);
  }

  #touchProposal(id: string): void {
    this.#markPid(this.#effective.get(id)?.proposal.pid);
  }

  #flush(): void {
    if (this.#dirty.size === 0) return;
    const pids = new Set(this.#dirty);
    this.#dirty.clear();
    for (const listener of this.#listeners) listener({ pids });
  }

  /** Re-derives which copy of a proposal counts, and re-files it by pid. */
  #refresh(id: string): void {
    const before = this.#effective.get(id);
    const after = this.#own.get(id) ?? this.#floor.get(id);
    if (before === after) return;
    if (before) {
      removeFrom(this.#byPid, before.proposal.pid, id);
      if (before.proposal.afterPid !== null) removeFrom(this.#byAfterPid, before.proposal.afterPid, id);
      this.#markPid(before.proposal.pid);
    }
    if (after) {
      this.#effective.set(id, after);
      addTo(this.#byPid, after.proposal.pid, id);
      if (after.proposal.afterPid !== null) addTo(this.#byAfterPid, after.proposal.afterPid, id);
      this.#markPid(after.proposal.pid);
      // A compromise's view lists what was merged into it, and the merged proposals' views its id.
      for (const merged of this.#mergedInto.get(id) ?? []) this.#touchProposal(merged);
    } else this.#effective.delete(id);
  }

  #setOwnProposal(code: string, key: string, value: unknown): void {
    const proposal = value === undefined ? null : readStoredProposal(value, key, code, null);
    if (proposal) this.#own.set(key, { proposal, source: 'delegation' });
    else this.#own.delete(key);
    this.#refresh(key);
  }

  #setFloorProposal(key: string, value: unknown): void {
    const proposal = value === undefined ? null : readStoredProposal(value, key, null, null);
    if (proposal) this.#floor.set(key, { proposal, source: 'floor' });
    else this.#floor.delete(key);
    this.#refresh(key);
  }

  #setOwnPosition(code: string, key: string, value: unknown): void {
    const record = value === undefined ? null : readOwnPosition(code, key, value, null);
    let byCode = this.#ownPositions.get(key);
    if (record) {
      if (!byCode) this.#ownPositions.set(key, (byCode = new Map()));
      byCode.set(code, record);
    } else if (byCode) {
      byCode.delete(code);
      if (byCode.size === 0) this.#ownPositions.delete(key);
    }
    this.#touchProposal(key);
  }

  #setFloorPosition(key: string, value: unknown): void {
    // The key is `${code}:${proposalId}` and codes hold no colon, so a deleted entry is still found.
    const colon = key.indexOf(':');
    if (colon <= 0) return;
    const code = key.slice(0, colon);
    const proposalId = key.slice(colon + 1);
    const record = value === undefined ? null : readFloorPosition(key, value, null);
    let byCode = this.#floorPositions.get(proposalId);
    if (record) {
      if (!byCode) this.#floorPositions.set(proposalId, (byCode = new Map()));
      byCode.set(code, record);
    } else if (byCode) {
      byCode.delete(code);
      if (byCode.size === 0) this.#floorPositions.delete(proposalId);
    }
    this.#touchProposal(proposalId);
  }

  #setDecision(id: string): void {
    const before = this.#compromiseOf.get(id);
    const decision = readDecision(this.#chair, id);
    const after = decision?.kind === 'merged' ? decision.compromiseId : undefined;
    if (before !== undefined) {
      removeFrom(this.#mergedInto, before, id);
      this.#compromiseOf.delete(id);
      this.#touchProposal(before);
    }
    if (after !== undefined) {
      addTo(this.#mergedInto, after, id);
      this.#compromiseOf.set(id, after);
      this.#touchProposal(after);
    }
    this.#touchProposal(id);
  }

  #observeChair(): void {
    const floor = floorMap(this.#chair);
    const decisions = decisionsMap(this.#chair);
    const statuses = statusesMap(this.#chair);
    const floorPositions = floorPositionsMap(this.#chair);
    const floorWithdrawals = floorWithdrawalsMap(this.#chair);
    floor.forEach((value, key) => this.#setFloorProposal(key, value));
    decisions.forEach((_value, key) => this.#setDecision(key));
    floorPositions.forEach((value, key) => this.#setFloorPosition(key, value));
    const onFloor = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#setFloorProposal(key, floor.get(key));
      this.#flush();
    };
    const onDecisions = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#setDecision(key);
      this.#flush();
    };
    const onStatuses = (event: Y.YMapEvent<unknown>) => {
      // A status shows on the paragraph and on its proposals (lockedTarget); both live in that pid's view.
      for (const key of event.keysChanged) this.#markPid(key);
      this.#flush();
    };
    const onFloorPositions = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#setFloorPosition(key, floorPositions.get(key));
      this.#flush();
    };
    const onFloorWithdrawals = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) this.#touchProposal(key);
      this.#flush();
    };
    floor.observe(onFloor);
    decisions.observe(onDecisions);
    statuses.observe(onStatuses);
    floorPositions.observe(onFloorPositions);
    floorWithdrawals.observe(onFloorWithdrawals);
    this.#chairDetach = () => {
      floor.unobserve(onFloor);
      decisions.unobserve(onDecisions);
      statuses.unobserve(onStatuses);
      floorPositions.unobserve(onFloorPositions);
      floorWithdrawals.unobserve(onFloorWithdrawals);
    };
  }

  /** The pid of the paragraph a text change happened in, or null when it is a change of structure. */
  #paragraphOf(type: Y.AbstractType<unknown>): string | null {
    let current: Y.AbstractType<unknown> | null = type;
    while (current !== null) {
      if (current instanceof Y.XmlElement) {
        const pid = pidOfElement(current);
        if (pid !== null) return pid;
      }
      current = current.parent;
    }
    return null;
  }

  #observeText(): void {
    const fragment = textFragment(this.#text);
    const onText = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
      let structural = false;
      for (const event of events) {
        const target = event.target;
        // Attributes of a pid-carrying element (its pid itself) or children of a container: the structure changed.
        const attributes = target instanceof Y.XmlElement && event instanceof Y.YXmlEvent && event.attributesChanged.size > 0;
        const pid = attributes ? null : this.#paragraphOf(target);
        if (pid === null) structural = true;
        else this.#markPid(pid);
      }
      if (structural) this.#reindex();
      this.#flush();
    };
    fragment.observeDeep(onText);
    this.#textDetach = () => fragment.unobserveDeep(onText);
  }

  /** Re-indexes the pids after a change of structure and marks every pid whose element changed. */
  #reindex(): void {
    const before = this.#pids;
    this.#pids = indexParagraphs(textFragment(this.#text));
    const after = this.#pids;
    const changed = new Set<string>();
    if (before === null) {
      for (const pid of after.order) changed.add(pid);
    } else {
      for (const [pid, element] of before.elements) if (after.elements.get(pid) !== element) changed.add(pid);
      for (const [pid, element] of after.elements) if (before.elements.get(pid) !== element) changed.add(pid);
    }
    for (const pid of changed) {
      this.#markPid(pid);
      // Moves that target this pid are overtaken (or no longer) with it.
      for (const id of this.#byAfterPid.get(pid) ?? []) this.#touchProposal(id);
    }
  }
}
