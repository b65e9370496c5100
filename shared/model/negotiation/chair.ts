/**
 * The chair's writer. It holds `D/text` and `D/chair` and writes only there: decisions (accepting applies the
 * proposal to the text and records the decision in one user action), proposals and positions recorded from the
 * floor on a delegation's behalf, the Chair's compromises, and paragraph statuses. Delegations' docs are only read.
 */
import { planApplication } from './apply.ts';
import { isOpenStatus, proposalStatus } from './decisions.ts';
import { buildProposal, isoNow, requireKnownCode, type NegotiationDocs, type ProposalDraft, type WriterOptions } from './proposals.ts';
import {
  decisionsMap,
  floorMap,
  floorPositionKey,
  floorPositionsMap,
  floorWithdrawalsMap,
  logArray,
  lookupProposal,
  readDecision,
  readStatus,
  readWithdrawal,
  statusesMap,
  type StoredProposal,
} from './store.ts';
import { indexParagraphs, textFragment } from './text.ts';
import type { NegotiationUndo } from './undo.ts';
import { compareProposals } from './view.ts';
import {
  CHAIR_CODE,
  Decision,
  FloorPosition,
  FloorWithdrawal,
  LogEntry,
  NegotiationError,
  POSITION_KINDS,
  ParagraphStatus,
  PersonName,
  Reason,
  STORED_STATUSES,
  parseOrRefuse,
  type DecisionKind,
  type PositionKind,
  type Proposal,
  type StoredStatus,
} from './types.ts';

/** What the chair's writer needs besides the docs. */
export interface ChairOptions extends WriterOptions {
  /** Joint undo of text and chair doc; without it actions are written with the writer as origin, untracked. */
  readonly undo?: NegotiationUndo;
  /** Fresh pids for paragraphs that accepting creates (tests make them reproducible). */
  readonly newPid?: () => string;
}

/** Writes decisions, floor records, compromises and statuses into `D/chair`, and accepted proposals into `D/text`. */
export class ChairNegotiator {
  readonly #docs: NegotiationDocs;
  readonly #options: ChairOptions;
  /** Whether a pid is agreed ad ref now (read at each call, so statuses synced meanwhile count). */
  readonly #isLockedPid = (pid: string): boolean => readStatus(this.#docs.chair, pid)?.status === 'agreed';

  constructor(docs: NegotiationDocs, options: ChairOptions) {
    parseOrRefuse(PersonName, options.person, 'The person\u2019s name');
    this.#docs = docs;
    this.#options = options;
  }

  /** One user action over both docs: tracked by the joint undo when there is one. */
  #transact(action: () => void): void {
    const undo = this.#options.undo;
    if (undo) undo.transact(action);
    else this.#docs.text.transact(() => this.#docs.chair.transact(action, this), this);
  }

  #now(): string {
    return isoNow(this.#options);
  }

  #find(proposalId: string): StoredProposal {
    const stored = lookupProposal(this.#docs.chair, this.#docs.delegations, proposalId);
    if (!stored) throw new NegotiationError('unknown-proposal', `There is no proposal ${proposalId}.`);
    return stored;
  }

  /**
   * For a new paragraph: the wordings the chair already accepted from new-paragraph proposals on the same paragraph
   * made before this one (see ApplyOptions.earlierSiblings); empty for every other kind.
   */
  #earlierSiblings(proposal: Proposal): string[] {
    if (proposal.kind !== 'new-paragraph') return [];
    const wordings: string[] = [];
    for (const id of decisionsMap(this.#docs.chair).keys()) {
      if (id === proposal.id) continue;
      const decision = readDecision(this.#docs.chair, id);
      if (decision === null || (decision.kind !== 'accepted' && decision.kind !== 'accepted-as-modified')) continue;
      const earlier = lookupProposal(this.#docs.chair, this.#docs.delegations, id)?.proposal;
      if (!earlier || earlier.kind !== 'new-paragraph' || earlier.pid !== proposal.pid || compareProposals(earlier, proposal) >= 0) continue;
      wordings.push(decision.modifiedText ?? earlier.text);
    }
    return wordings;
  }

  /** Finds a proposal that still awaits a decision, or refuses. */
  #pending(proposalId: string): Proposal {
    const { proposal } = this.#find(proposalId);
    const status = proposalStatus(
      readDecision(this.#docs.chair, proposalId),
      readWithdrawal(this.#docs.chair, this.#docs.delegations, proposal),
    );
    if (!isOpenStatus(status)) {
      throw new NegotiationError(status === 'withdrawn' ? 'withdrawn' : 'already-decided', `Proposal ${proposalId} is already ${status}.`);
    }
    return proposal;
  }

  /** Records a proposal a delegation made on the floor; `speaker` is the delegate who spoke (default: the code). */
  recordFromFloor(code: string, draft: ProposalDraft, speaker?: string): Proposal {
    requireKnownCode(code, this.#options.isKnownCode);
    const author = { code, name: speaker ?? code };
    parseOrRefuse(PersonName, author.name, 'The speaker\u2019s name');
    const proposal = buildProposal(this.#docs, draft, { author, recordedBy: this.#options.person }, this.#options);
    this.#transact(() => floorMap(this.#docs.chair).set(proposal.id, proposal));
    return proposal;
  }

  /** Records a position a delegation stated on the floor, or clears the record with `null`. */
  recordPositionFromFloor(code: string, proposalId: string, kind: PositionKind | null, speaker?: string): FloorPosition | null {
    requireKnownCode(code, this.#options.isKnownCode);
    const key = floorPositionKey(code, proposalId);
    if (kind === null) {
      this.#transact(() => floorPositionsMap(this.#docs.chair).delete(key));
      return null;
    }
    if (!POSITION_KINDS.includes(kind)) throw new NegotiationError('invalid', `${String(kind)} is not a position.`);
    const proposal = this.#pending(proposalId);
    if (proposal.author.code === code) {
      throw new NegotiationError('own-proposal', 'A delegation does not support, oppose or co-sponsor its own proposal.');
    }
    const position = parseOrRefuse(
      FloorPosition,
      { proposalId, kind, by: speaker ?? code, at: this.#now(), code, recordedBy: this.#options.person },
      'The position',
    );
    this.#transact(() => floorPositionsMap(this.#docs.chair).set(key, position));
    return position;
  }

  /** Records that a delegation withdrew its pending proposal on the floor. */
  recordWithdrawalFromFloor(proposalId: string, reason = '', speaker?: string): FloorWithdrawal {
    const proposal = this.#pending(proposalId);
    const code = proposal.author.code;
    if (code === CHAIR_CODE) throw new NegotiationError('not-applicable', 'A Chair\u2019s compromise is rejected, not withdrawn.');
    const withdrawal = parseOrRefuse(
      FloorWithdrawal,
      { by: speaker ?? code, at: this.#now(), reason, code, recordedBy: this.#options.person },
      'The withdrawal',
    );
    this.#transact(() => floorWithdrawalsMap(this.#docs.chair).set(proposalId, withdrawal));
    return withdrawal;
  }

  #decision(kind: DecisionKind, reason: string, extra: { modifiedText?: string; compromiseId?: string } = {}): Decision {
    const checkedReason = parseOrRefuse(Reason, reason, 'The reason for the decision');
    return parseOrRefuse(Decision, { kind, reason: checkedReason, by: this.#options.person, at: this.#now(), ...extra }, 'The decision');
  }

  #record(proposal: Proposal, decision: Decision): void {
    decisionsMap(this.#docs.chair).set(proposal.id, decision);
    const entry = parseOrRefuse(LogEntry, { type: 'decision', proposalId: proposal.id, pid: proposal.pid, ...decision }, 'The log entry');
    logArray(this.#docs.chair).push([entry]);
  }

  #refuseLocked(proposal: Proposal): void {
    if (proposal.kind !== 'comment' && readStatus(this.#docs.chair, proposal.pid)?.status === 'agreed') {
      throw new NegotiationError('locked', `Paragraph ${proposal.pid} is agreed ad ref: reopen it before applying a proposal to it.`);
    }
  }

  /**
   * Accepts a proposal as made: applies it to `D/text` and records the decision, as one action. Refused when it is
   * overtaken (accept it as modified instead), its paragraph is locked, or it is no longer pending. A comment is
   * accepted without any change to the text.
   */
  accept(proposalId: string, reason: string): Decision {
    const proposal = this.#pending(proposalId);
    this.#refuseLocked(proposal);
    return this.#apply(proposal, this.#decision('accepted', reason));
  }

  /**
   * Accepts a proposal with the chair's wording: the span (or the new, deleted-then-kept, or moved paragraph) gets
   * `modifiedText`. Works on an overtaken proposal as long as its place can still be found.
   */
  acceptAsModified(proposalId: string, modifiedText: string, reason: string): Decision {
    const proposal = this.#pending(proposalId);
    this.#refuseLocked(proposal);
    return this.#apply(proposal, this.#decision('accepted-as-modified', reason, { modifiedText }), modifiedText);
  }

  /** Plans the proposal's edit (refusing before anything is written), then runs it and records the decision as one action. */
  #apply(proposal: Proposal, decision: Decision, modifiedText?: string): Decision {
    const edit = planApplication(this.#docs.text, proposal, {
      ...(modifiedText !== undefined ? { modifiedText } : {}),
      newPid: this.#options.newPid,
      isLockedPid: this.#isLockedPid,
      earlierSiblings: this.#earlierSiblings(proposal),
    });
    this.#transact(() => {
      edit();
      this.#record(proposal, decision);
    });
    return decision;
  }

  /** Rejects a pending proposal (the text is untouched). */
  reject(proposalId: string, reason: string): Decision {
    const proposal = this.#pending(proposalId);
    const decision = this.#decision('rejected', reason);
    this.#transact(() => this.#record(proposal, decision));
    return decision;
  }

  /**
   * Merges pending proposals into a Chair's compromise: the compromise is a new proposal by CHAIR (pending, to be
   * accepted later), and each merged proposal is decided 'merged' pointing at it, in one action.
   */
  merge(proposalIds: readonly string[], compromise: ProposalDraft, reason: string): { compromise: Proposal; decisions: Decision[] } {
    if (proposalIds.length === 0) throw new NegotiationError('invalid', 'Name the proposals to merge.');
    if (new Set(proposalIds).size !== proposalIds.length) throw new NegotiationError('invalid', 'A proposal is named twice.');
    const merged = proposalIds.map((id) => this.#pending(id));
    const made = buildProposal(
      this.#docs,
      compromise,
      { author: { code: CHAIR_CODE, name: this.#options.person }, recordedBy: this.#options.person },
      this.#options,
    );
    const decision = this.#decision('merged', reason, { compromiseId: made.id });
    this.#transact(() => {
      floorMap(this.#docs.chair).set(made.id, made);
      for (const proposal of merged) this.#record(proposal, decision);
    });
    return { compromise: made, decisions: merged.map(() => decision) };
  }

  /**
   * Sets a paragraph's status. Leaving 'agreed' (reopening) needs a reason; 'under negotiation' is computed and
   * cannot be set.
   */
  setStatus(pid: string, status: StoredStatus, reason = ''): ParagraphStatus {
    if (!STORED_STATUSES.includes(status)) throw new NegotiationError('invalid', `${String(status)} is not a status the chair sets.`);
    if (!indexParagraphs(textFragment(this.#docs.text)).elements.has(pid)) {
      throw new NegotiationError('unknown-paragraph', `Paragraph ${pid} is not in the text.`);
    }
    const previous = readStatus(this.#docs.chair, pid)?.status ?? null;
    if (previous === 'agreed' && status !== 'agreed' && reason.trim() === '') {
      throw new NegotiationError('reason-required', 'Reopening a paragraph agreed ad ref needs a reason.');
    }
    const record = parseOrRefuse(ParagraphStatus, { status, reason, by: this.#options.person, at: this.#now() }, 'The status');
    const entry = parseOrRefuse(LogEntry, { type: 'status', pid, previous, ...record }, 'The log entry');
    this.#transact(() => {
      statusesMap(this.#docs.chair).set(pid, record);
      logArray(this.#docs.chair).push([entry]);
    });
    return record;
  }

  /** Reopens a paragraph agreed ad ref (sets it 'open'), with the reason. */
  reopen(pid: string, reason: string): ParagraphStatus {
    if (reason.trim() === '') throw new NegotiationError('reason-required', 'Reopening a paragraph agreed ad ref needs a reason.');
    return this.setStatus(pid, 'open', reason);
  }
}
