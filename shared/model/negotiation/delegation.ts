/**
 * The delegation's writer. It holds one delegation's `D/d/<code>` and writes nowhere else: the text and the chair's
 * doc are only read (to quote, to refuse locked paragraphs, to see decisions), which is the server's rule made the
 * shape of the code.
 */
import type * as Y from 'yjs';
import { isOpenStatus, proposalStatus } from './decisions.ts';
import { buildProposal, isoNow, requireKnownCode, type NegotiationDocs, type ProposalDraft, type WriterOptions } from './proposals.ts';
import { lookupProposal, positionsMap, proposalsMap, readDecision, readWithdrawal, withdrawalsMap, type StoredProposal } from './store.ts';
import {
  NegotiationError,
  Position,
  POSITION_KINDS,
  PersonName,
  Withdrawal,
  parseOrRefuse,
  type PositionKind,
  type Proposal,
} from './types.ts';

/** Writes one delegation's (or group's) proposals, positions and withdrawals into its own `D/d/<code>`. */
export class DelegationNegotiator {
  /** The delegation this writer speaks for. */
  readonly code: string;
  readonly #docs: NegotiationDocs;
  readonly #own: Y.Doc;
  readonly #options: WriterOptions;

  /** Binds the writer to `docs.delegations.get(code)`; refuses an unknown code or a doc the client does not hold. */
  constructor(code: string, docs: NegotiationDocs, options: WriterOptions) {
    requireKnownCode(code, options.isKnownCode);
    parseOrRefuse(PersonName, options.person, 'The person\u2019s name');
    const own = docs.delegations.get(code);
    if (!own) throw new NegotiationError('unknown-delegation', `This client does not hold the document of ${code}.`);
    this.code = code;
    this.#docs = docs;
    this.#own = own;
    this.#options = options;
  }

  #write(write: () => void): void {
    this.#own.transact(write, this);
  }

  /** Tables a proposal (any kind, comments included) against the current text. */
  propose(draft: ProposalDraft): Proposal {
    requireKnownCode(this.code, this.#options.isKnownCode);
    const proposal = buildProposal(this.#docs, draft, { author: { code: this.code, name: this.#options.person }, recordedBy: null }, this.#options);
    this.#write(() => proposalsMap(this.#own).set(proposal.id, proposal));
    return proposal;
  }

  /** Comments on a paragraph, or on a span of it. */
  comment(pid: string, text: string, span?: { from: number; to: number } | null): Proposal {
    return this.propose({ kind: 'comment', pid, text, span: span ?? null });
  }

  /** Finds a pending proposal or refuses. */
  #pending(proposalId: string): StoredProposal {
    const stored = lookupProposal(this.#docs.chair, this.#docs.delegations, proposalId);
    if (!stored) throw new NegotiationError('unknown-proposal', `There is no proposal ${proposalId}.`);
    const status = proposalStatus(
      readDecision(this.#docs.chair, proposalId),
      readWithdrawal(this.#docs.chair, this.#docs.delegations, stored.proposal),
    );
    if (!isOpenStatus(status)) {
      throw new NegotiationError(status === 'withdrawn' ? 'withdrawn' : 'already-decided', `Proposal ${proposalId} is already ${status}.`);
    }
    return stored;
  }

  /** Withdraws one of this delegation's own pending proposals (also one the chair recorded for it from the floor). */
  withdraw(proposalId: string, reason = ''): Withdrawal {
    requireKnownCode(this.code, this.#options.isKnownCode);
    const stored = this.#pending(proposalId);
    if (stored.proposal.author.code !== this.code) {
      throw new NegotiationError('not-own-proposal', `Only ${stored.proposal.author.code} can withdraw its proposal.`);
    }
    const withdrawal = parseOrRefuse(Withdrawal, { by: this.#options.person, at: isoNow(this.#options), reason }, 'The withdrawal');
    this.#write(() => withdrawalsMap(this.#own).set(proposalId, withdrawal));
    return withdrawal;
  }

  /** Sets this delegation's one position on someone else's pending proposal (replacing any earlier one). */
  setPosition(proposalId: string, kind: PositionKind): Position {
    requireKnownCode(this.code, this.#options.isKnownCode);
    if (!POSITION_KINDS.includes(kind)) throw new NegotiationError('invalid', `${String(kind)} is not a position.`);
    const stored = this.#pending(proposalId);
    if (stored.proposal.author.code === this.code) {
      throw new NegotiationError('own-proposal', 'A delegation does not support, oppose or co-sponsor its own proposal.');
    }
    const position = parseOrRefuse(Position, { proposalId, kind, by: this.#options.person, at: isoNow(this.#options) }, 'The position');
    this.#write(() => positionsMap(this.#own).set(proposalId, position));
    return position;
  }

  /** Supports someone else's proposal. */
  support(proposalId: string): Position {
    return this.setPosition(proposalId, 'support');
  }

  /** Opposes someone else's proposal. */
  oppose(proposalId: string): Position {
    return this.setPosition(proposalId, 'oppose');
  }

  /** Co-sponsors someone else's proposal. */
  cosponsor(proposalId: string): Position {
    return this.setPosition(proposalId, 'cosponsor');
  }

  /** Removes this delegation's position on a proposal; false when it held none. Always allowed. */
  clearPosition(proposalId: string): boolean {
    const positions = positionsMap(this.#own);
    if (!positions.has(proposalId)) return false;
    this.#write(() => positions.delete(proposalId));
    return true;
  }
}
