/**
 * The negotiation of one open document as this window takes part in it: the live index of proposals, positions,
 * decisions and statuses over `D/text`, `D/chair` and every `D/d/<CODE>` loaded, who is acting (a delegation, the
 * chair's team, or a reader), the actions that person may take, the filters the text and the panes share, and the
 * joint undo of the chair's team.
 *
 * A delegation writes only its own doc (DelegationNegotiator); the chair's team writes `D/text` and `D/chair`
 * (ChairNegotiator), and on one laptop without a server records proposals, positions and withdrawals "from the
 * floor" on a delegation's behalf.
 */
import { listRevisions, revisionsArray, RevisionFates, type RevisionEntry, type RevisionFateNote } from '../../shared/model/revisions/index.ts';
import type * as Y from 'yjs';
import {
  CHAIR_CODE,
  ChairNegotiator,
  DelegationNegotiator,
  NegotiationError,
  NegotiationIndex,
  NegotiationUndo,
  indexParagraphs,
  lockedPids,
  textFragment,
  type Decision,
  type NegotiationView,
  type ParagraphStatus,
  type ParagraphView,
  type PositionKind,
  type Proposal,
  type ProposalDraft,
  type ProposalKind,
  type ProposalStatus,
  type StoredStatus,
} from '../../shared/model/negotiation/index.ts';
import { bundledRegistry, type ParticipantRegistry } from '../../shared/model/participants.ts';
import { UndoCoordinator } from './undoCoordinator.ts';

/** What this window may do in the negotiation. */
export type NegotiationRole = 'chair' | 'delegation' | 'reader';

/** Who is acting here. */
export interface NegotiationIdentity {
  readonly role: NegotiationRole;
  /** The delegation or group this window speaks for (role 'delegation'); null otherwise. */
  readonly code: string | null;
  /** The person recorded as author, `by` or `recordedBy`. */
  readonly person: string;
  /** A document on this computer only: the chair's team records everything, from the floor. */
  readonly local: boolean;
}

/** Where the Y.Docs come from (renderer/editor/session.ts DocumentSession provides this). */
export interface NegotiationDocSource {
  /** `D/text`. */
  readonly ydoc: Y.Doc;
  /** `D/chair`. */
  readonly chairYDoc: Y.Doc;
  /** Every delegation doc loaded so far, by code. */
  delegationYDocs(): Map<string, Y.Doc>;
  /** Tells when more docs were loaded. */
  subscribeYDocs(listener: () => void): () => void;
}

/** What the text and the panes show: null means "all". */
export interface NegotiationFilters {
  readonly codes: readonly string[] | null;
  readonly kinds: readonly ProposalKind[] | null;
  readonly statuses: readonly ProposalStatus[] | null;
  /** Delegations whose marks are not drawn in the text (their cards still show). */
  readonly hidden: readonly string[];
}

/** No filter: everything shows. */
export const NO_FILTERS: NegotiationFilters = { codes: null, kinds: null, statuses: null, hidden: [] };

/** Whether a proposal by `code` of `kind` in `status` passes the filters (the hidden switch is the text's alone). */
export function passesFilters(filters: NegotiationFilters, code: string, kind: ProposalKind, status: ProposalStatus): boolean {
  return (
    (filters.codes === null || filters.codes.includes(code)) &&
    (filters.kinds === null || filters.kinds.includes(kind)) &&
    (filters.statuses === null || filters.statuses.includes(status))
  );
}

/** A change of the negotiation: the pids whose view changed, and a counter that grows with every change. */
export interface NegotiationUpdate {
  readonly pids: ReadonlySet<string>;
  readonly version: number;
}

/** On whose behalf the chair's team acts from the floor. */
export interface FloorSpeaker {
  /** The delegation's code. */
  readonly code: string;
  /** The delegate who spoke, when known. */
  readonly speaker?: string;
}

/** The refusal a reader gets for any action. */
function readOnlyRefusal(): NegotiationError {
  return new NegotiationError('invalid', 'You can read this negotiation but not take part in it: only delegations and the chair\u2019s team act here.');
}

/** The negotiation of one open document in this window. */
export class NegotiationSession {
  #identity: NegotiationIdentity;
  readonly registry: ParticipantRegistry;
  readonly index: NegotiationIndex;
  readonly text: Y.Doc;
  readonly chair: Y.Doc;
  /** The live map of delegation docs (grows as docs are found); the writers and the index read it. */
  readonly delegations = new Map<string, Y.Doc>();
  /** The chair's team's joint undo of typing and decisions; null for a delegation or a reader. */
  readonly history: UndoCoordinator | null;
  readonly #undo: NegotiationUndo | null;
  #locked: Set<string>;
  /** Pids with proposals or a stored status, in no particular order. */
  readonly #active = new Set<string>();
  #version = 0;
  #pendingPids: Set<string> | null = null;
  readonly #listeners = new Set<(update: NegotiationUpdate) => void>();
  #filters: NegotiationFilters = NO_FILTERS;
  readonly #filterListeners = new Set<() => void>();
  readonly #cleanup: Array<() => void> = [];
  #destroyed = false;
  #snapshot: { version: number; view: NegotiationView } | null = null;
  /** Each proposal's fate in the revision after the one it was made against, judged once per pair of revisions. */
  readonly #fates = new RevisionFates();
  #revisions: readonly RevisionEntry[] = [];
  #revisionsVersion = 0;
  readonly #revisionListeners = new Set<() => void>();
  /** The time of the last thing this window wrote, in ms. */
  #lastWrite = 0;

  constructor(source: NegotiationDocSource, identity: NegotiationIdentity, registry: ParticipantRegistry = bundledRegistry()) {
    this.#identity = identity;
    this.registry = registry;
    this.text = source.ydoc;
    this.chair = source.chairYDoc;
    for (const [code, doc] of source.delegationYDocs()) this.delegations.set(code, doc);
    this.index = new NegotiationIndex(this.text, this.chair, this.delegations);
    this.#locked = lockedPids(this.chair);
    if (identity.role === 'chair') {
      this.#undo = new NegotiationUndo(this.text, this.chair);
      this.history = new UndoCoordinator(this.#undo);
    } else {
      this.#undo = null;
      this.history = null;
    }
    // Every paragraph that already has proposals or a status, found without reading their views.
    for (const pid of indexParagraphs(textFragment(this.text)).order) if (this.index.proposalIdsAt(pid).length > 0) this.#active.add(pid);
    this.chair.getMap<unknown>('statuses').forEach((_value, pid) => this.#active.add(pid));

    this.#cleanup.push(this.index.onChange(({ pids }) => this.#changed(pids)));
    const statuses = this.chair.getMap<unknown>('statuses');
    const onStatuses = () => {
      this.#locked = lockedPids(this.chair);
    };
    statuses.observe(onStatuses);
    this.#cleanup.push(() => statuses.unobserve(onStatuses));
    // Revisions are cut rarely and never change: the list is read again only when the array grows.
    const revisions = revisionsArray(this.chair);
    const onRevisions = () => {
      this.#readRevisions();
      this.#revisionsVersion += 1;
      for (const listener of this.#revisionListeners) listener();
    };
    this.#readRevisions();
    revisions.observe(onRevisions);
    this.#cleanup.push(() => revisions.unobserve(onRevisions));
    this.#cleanup.push(
      source.subscribeYDocs(() => {
        for (const [code, doc] of source.delegationYDocs()) {
          if (this.delegations.get(code) === doc) continue;
          this.delegations.set(code, doc);
          this.index.addDelegation(code, doc);
        }
      }),
    );
  }

  /** Who is acting here. */
  get identity(): NegotiationIdentity {
    return this.#identity;
  }

  /** Changes the person recorded on what this window writes (on one laptop, whoever holds the pen). */
  setPerson(person: string): void {
    this.#identity = { ...this.#identity, person };
  }

  /** The cached view of one paragraph (its proposals with status, positions and overtaken check). */
  paragraph(pid: string): ParagraphView {
    return this.index.paragraphView(pid);
  }

  /**
   * The whole negotiation read afresh (compilation, activity log, orphaned proposals), cached until the next change:
   * it costs the whole document, so only views that list everything ask for it.
   */
  snapshot(): NegotiationView {
    if (!this.#snapshot || this.#snapshot.version !== this.#version) this.#snapshot = { version: this.#version, view: this.index.snapshot() };
    return this.#snapshot.view;
  }

  /** The revisions cut so far, oldest first (re-read only when one is cut). */
  get revisions(): readonly RevisionEntry[] {
    return this.#revisions;
  }

  /**
   * What a card says about a proposal and the revisions: the one it was made against and its fate in the next.
   * Judged once per proposal and pair of revisions, never on a keystroke; a revision that cannot be opened gives a
   * note with a problem rather than an error.
   */
  revisionNote(proposal: Proposal): RevisionFateNote {
    return this.#fates.noteOf(proposal);
  }

  /** A counter that grows when a revision is cut (for React's useSyncExternalStore). */
  getRevisionsVersion = (): number => this.#revisionsVersion;

  /** Calls `listener` when a revision is cut (for React's useSyncExternalStore). */
  subscribeRevisions = (listener: () => void): (() => void) => {
    this.#revisionListeners.add(listener);
    return () => this.#revisionListeners.delete(listener);
  };

  #readRevisions(): void {
    this.#revisions = listRevisions(this.chair);
    this.#fates.setRevisions(this.#revisions);
  }

  /** Whether a paragraph is agreed ad ref (locked against edits and proposals). */
  isLocked(pid: string): boolean {
    return this.#locked.has(pid);
  }

  /** The locked pids now. */
  get lockedPids(): ReadonlySet<string> {
    return this.#locked;
  }

  /** Pids that have proposals or a stored status. */
  activePids(): ReadonlySet<string> {
    return this.#active;
  }

  /** A counter that grows with every change of the negotiation. */
  get version(): number {
    return this.#version;
  }

  /** Calls `listener` after each change (coalesced: one call per burst of Yjs events). */
  subscribe(listener: (update: NegotiationUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the version (for React's useSyncExternalStore). */
  getVersion = (): number => this.#version;

  /** Subscribes without the pids (for React's useSyncExternalStore). */
  subscribeVersion = (listener: () => void): (() => void) => this.subscribe(() => listener());

  /** The filters the text and the panes share. */
  get filters(): NegotiationFilters {
    return this.#filters;
  }

  /** Reads the filters (for React's useSyncExternalStore). */
  getFilters = (): NegotiationFilters => this.#filters;

  /** Subscribes to filter changes (for React's useSyncExternalStore). */
  subscribeFilters = (listener: () => void): (() => void) => {
    this.#filterListeners.add(listener);
    return () => this.#filterListeners.delete(listener);
  };

  /** Replaces the filters. */
  setFilters(filters: NegotiationFilters): void {
    if (filters === this.#filters) return;
    this.#filters = filters;
    for (const listener of this.#filterListeners) listener();
  }

  /** The display name of a delegation code ("France"), or the code itself when the registry does not know it. */
  nameOf(code: string): string {
    if (code === CHAIR_CODE) return 'Chair';
    return this.registry.nameOf(code) ?? code;
  }

  /** Whether this window can table proposals (a delegation, or the chair's team from the floor). */
  get canPropose(): boolean {
    return this.identity.role === 'delegation' || this.identity.role === 'chair';
  }

  /** Whether this window decides (the chair's team). */
  get isChair(): boolean {
    return this.identity.role === 'chair';
  }

  #docs() {
    return { text: this.text, chair: this.chair, delegations: this.delegations };
  }

  #options() {
    return { person: this.identity.person, isKnownCode: (code: string) => this.registry.isKnownCode(code), now: this.#clock };
  }

  /**
   * The time written on what this window records, strictly later than the last: proposals are listed oldest first,
   * so several recorded in one action (the new paragraphs of a Word file) keep the order they were recorded in
   * rather than one left to their random ids when they fall in the same millisecond.
   */
  readonly #clock = (): Date => {
    this.#lastWrite = Math.max(Date.now(), this.#lastWrite + 1);
    return new Date(this.#lastWrite);
  };

  #delegationWriter(): DelegationNegotiator {
    if (this.identity.role !== 'delegation' || this.identity.code === null) throw readOnlyRefusal();
    return new DelegationNegotiator(this.identity.code, this.#docs(), this.#options());
  }

  #chairWriter(): ChairNegotiator {
    if (this.identity.role !== 'chair' || !this.#undo) {
      throw new NegotiationError('invalid', 'Only the chair\u2019s team decides on proposals and sets paragraph statuses.');
    }
    return new ChairNegotiator(this.#docs(), { ...this.#options(), undo: this.#undo });
  }

  /** Runs one chair action and records its undo step (inside a batch, the batch records one step for all). */
  #chairAction<T>(action: (writer: ChairNegotiator) => T): T {
    const result = action(this.#chairWriter());
    if (this.#batching === 0) this.history?.recordNegotiation();
    return result;
  }

  /** How many batches are running (see {@link batch}). */
  #batching = 0;

  /**
   * Runs several actions as one user action: for the chair's team their changes become one undo step (recording a
   * Word file's tracked changes is one action, so one Undo takes it back). Changes made before an action throws stay,
   * in that one step.
   */
  batch<T>(action: () => T): T {
    if (!this.#undo) return action();
    const undo = this.#undo;
    // transact runs the action synchronously and rethrows what it throws, so the value is set when it returns.
    let value: T | undefined;
    this.#batching += 1;
    try {
      undo.transact(() => {
        value = action();
      });
    } finally {
      this.#batching -= 1;
      if (this.#batching === 0) this.history?.recordNegotiation();
    }
    return value as T;
  }

  /**
   * Tables a proposal: a delegation in its own name; the chair's team from the floor on behalf of `floor.code`,
   * marked as recorded by them.
   */
  propose(proposed: ProposalDraft, floor?: FloorSpeaker): Proposal {
    // Made against the revision in force, so its fate in the next revision can be judged against that text.
    const draft: ProposalDraft = proposed.revision === undefined ? { ...proposed, revision: this.#revisions.at(-1)?.label ?? null } : proposed;
    if (this.identity.role === 'delegation') return this.#delegationWriter().propose(draft);
    if (this.identity.role === 'chair') {
      if (!floor) throw new NegotiationError('unknown-delegation', 'Say on whose behalf the proposal is recorded: choose the delegation that made it.');
      return this.#chairAction((writer) => writer.recordFromFloor(floor.code, draft, floor.speaker?.trim() || undefined));
    }
    throw readOnlyRefusal();
  }

  /** Sets (or with null clears) a position on someone else's proposal; the chair's team records it from the floor. */
  setPosition(proposalId: string, kind: PositionKind | null, floor?: FloorSpeaker): void {
    if (this.identity.role === 'delegation') {
      const writer = this.#delegationWriter();
      if (kind === null) writer.clearPosition(proposalId);
      else writer.setPosition(proposalId, kind);
      return;
    }
    if (this.identity.role === 'chair') {
      if (!floor) throw new NegotiationError('unknown-delegation', 'Say which delegation stated this position.');
      this.#chairAction((writer) => writer.recordPositionFromFloor(floor.code, proposalId, kind, floor.speaker?.trim() || undefined));
      return;
    }
    throw readOnlyRefusal();
  }

  /** Withdraws a pending proposal: a delegation its own; the chair's team records its author's withdrawal. */
  withdraw(proposalId: string, reason: string): void {
    if (this.identity.role === 'delegation') {
      this.#delegationWriter().withdraw(proposalId, reason);
      return;
    }
    if (this.identity.role === 'chair') {
      this.#chairAction((writer) => writer.recordWithdrawalFromFloor(proposalId, reason));
      return;
    }
    throw readOnlyRefusal();
  }

  /** Accepts a proposal as made: the text changes and the decision is recorded in one undo step. */
  accept(proposalId: string, reason: string): Decision {
    return this.#chairAction((writer) => writer.accept(proposalId, reason));
  }

  /** Accepts a proposal with the chair's wording. */
  acceptAsModified(proposalId: string, modifiedText: string, reason: string): Decision {
    return this.#chairAction((writer) => writer.acceptAsModified(proposalId, modifiedText, reason));
  }

  /** Rejects a proposal. */
  reject(proposalId: string, reason: string): Decision {
    return this.#chairAction((writer) => writer.reject(proposalId, reason));
  }

  /** Merges pending proposals into a Chair's compromise. */
  merge(proposalIds: readonly string[], compromise: ProposalDraft, reason: string): Proposal {
    return this.#chairAction((writer) => writer.merge(proposalIds, compromise, reason).compromise);
  }

  /** Sets a paragraph's status (reopening an agreed one needs a reason). */
  setStatus(pid: string, status: StoredStatus, reason: string): ParagraphStatus {
    return this.#chairAction((writer) => writer.setStatus(pid, status, reason));
  }

  /** Stops following the docs. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const step of this.#cleanup) step();
    this.index.destroy();
    this.#undo?.destroy();
    this.#listeners.clear();
    this.#filterListeners.clear();
    this.#revisionListeners.clear();
  }

  #changed(pids: ReadonlySet<string>): void {
    if (this.#destroyed) return;
    const statuses = this.chair.getMap<unknown>('statuses');
    // Typing in a paragraph without proposals changes nothing anyone shows: no update, no re-render.
    let relevant = false;
    for (const pid of pids) {
      const was = this.#active.has(pid);
      const is = this.index.proposalIdsAt(pid).length > 0 || statuses.has(pid);
      if (is) this.#active.add(pid);
      else this.#active.delete(pid);
      if (was || is) relevant = true;
    }
    if (!relevant) return;
    // Yjs reports each type's events separately; one burst (a transaction, a sync) becomes one update.
    if (this.#pendingPids) {
      for (const pid of pids) this.#pendingPids.add(pid);
      return;
    }
    this.#pendingPids = new Set(pids);
    queueMicrotask(() => {
      const batch = this.#pendingPids ?? new Set<string>();
      this.#pendingPids = null;
      if (this.#destroyed) return;
      this.#version += 1;
      const update = { pids: batch, version: this.#version };
      for (const listener of this.#listeners) listener(update);
    });
  }
}
