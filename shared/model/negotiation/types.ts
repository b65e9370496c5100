/**
 * The stored shapes of a negotiation (see notes/negotiation-spec.md): proposals, positions and withdrawals in each
 * delegation's `D/d/<code>`, decisions, proposals from the floor, paragraph statuses and the log in `D/chair`.
 * Every value is plain JSON, validated with zod wherever it crosses an edge (a writer's input, a read from a Y.Doc
 * another client wrote).
 */
import { z } from 'zod';
import { DELEGATION_CODE } from '../../sync.ts';

/** Top-level Y.Map in `D/d/<code>`: proposalId -> Proposal. */
export const PROPOSALS = 'proposals';
/** Top-level Y.Map in `D/d/<code>`: proposalId -> Position (this delegation's position on someone else's proposal). */
export const POSITIONS = 'positions';
/** Top-level Y.Map in `D/d/<code>`: proposalId -> Withdrawal (own proposals only). */
export const WITHDRAWALS = 'withdrawals';
/** Top-level Y.Map in `D/chair`: proposalId -> Decision. */
export const DECISIONS = 'decisions';
/** Top-level Y.Map in `D/chair`: proposalId -> Proposal recorded from the floor, or a Chair's compromise. */
export const FLOOR = 'floor';
/** Top-level Y.Map in `D/chair`: pid -> ParagraphStatus. */
export const STATUSES = 'statuses';
/** Top-level Y.Array in `D/chair`: append-only LogEntry history of status changes and decisions. */
export const LOG = 'log';
/**
 * Top-level Y.Map in `D/chair` (an addition to the spec): `${code}:${proposalId}` -> FloorPosition, a position a
 * delegation stated in the room and the chair's team recorded for it (the offline, one-laptop negotiation).
 */
export const FLOOR_POSITIONS = 'floorPositions';
/** Top-level Y.Map in `D/chair` (an addition to the spec): proposalId -> FloorWithdrawal recorded from the floor. */
export const FLOOR_WITHDRAWALS = 'floorWithdrawals';

/** The author code of a Chair's compromise proposal; reserved, never a delegation. */
export const CHAIR_CODE = 'CHAIR';

/** Longest reason, rationale or comment accepted, in characters: these are notes, not documents. */
export const MAX_NOTE_LENGTH = 4000;
/** Longest replacement or paragraph text accepted, in characters. */
export const MAX_TEXT_LENGTH = 20000;
/** Longest decision reason: the spec asks for a short one. */
export const MAX_REASON_LENGTH = 1000;

/** A person's name as recorded in `by`, `author.name` and `recordedBy`. */
export const PersonName = z.string().trim().min(1, 'a person name is required').max(200);

/** A delegation or group code (ISO 3166-1 alpha-3 or a group code), or CHAIR for the Chair's compromises. */
export const DelegationCode = z.string().regex(DELEGATION_CODE, 'a delegation code is 2-16 capital letters, digits, - or _');

/** An ISO 8601 timestamp as Date.toISOString writes it. */
export const Timestamp = z.iso.datetime();

/** A paragraph id (see shared/model/pids.ts). */
export const Pid = z.string().min(1, 'a pid is required').max(100);

/** A Yjs ID in JSON form. */
const YId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });

/** A Yjs relative position into `D/text` as Y.relativePositionToJSON writes it (with plain-object IDs). */
export const RelativePositionJson = z
  .object({ type: YId.optional(), tname: z.string().optional(), item: YId.optional(), assoc: z.number().int().optional() })
  .refine((rp) => rp.type !== undefined || rp.tname !== undefined || rp.item !== undefined, {
    message: 'a relative position names an item or a type',
  });

/** A relative position into `D/text`. */
export type RelativePositionJson = z.infer<typeof RelativePositionJson>;

/** What a proposal asks for. Insert and delete of words are replace with an empty quote or an empty text. */
export const PROPOSAL_KINDS = ['replace', 'new-paragraph', 'delete-paragraph', 'move-paragraph', 'comment'] as const;

/** One kind of proposal. */
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** Whether a kind works on a span of words (replace, or a comment on a span). */
export function isSpanKind(kind: ProposalKind): boolean {
  return kind === 'replace' || kind === 'comment';
}

/** Who tabled a proposal: the delegation (or group, or CHAIR) and the person speaking for it. */
export const Author = z.object({ code: DelegationCode, name: PersonName });

/** The author of a proposal. */
export type Author = z.infer<typeof Author>;

/**
 * A proposal, immutable once written. `from`/`to` locate a span in `D/text` (replace, comment on a span; null for
 * paragraph kinds and a comment on the whole paragraph); `quote` is what they spanned when it was made (for
 * delete- and move-paragraph the paragraph's whole text, for new-paragraph the anchor paragraph's text). `text` is
 * the replacement ('' deletes), the new paragraph's text, or the comment itself.
 */
export const Proposal = z
  .object({
    id: z.string().min(1).max(120),
    kind: z.enum(PROPOSAL_KINDS),
    pid: Pid,
    from: RelativePositionJson.nullable(),
    to: RelativePositionJson.nullable(),
    quote: z.string().max(MAX_TEXT_LENGTH),
    text: z.string().max(MAX_TEXT_LENGTH),
    afterPid: Pid.nullable(),
    rationale: z.string().max(MAX_NOTE_LENGTH),
    agreedLanguage: z.string().max(MAX_NOTE_LENGTH).nullable(),
    cosponsors: z.array(DelegationCode),
    author: Author,
    recordedBy: PersonName.nullable(),
    createdAt: Timestamp,
    revision: z.string().max(200).nullable(),
  })
  .superRefine((p, ctx) => {
    const problem = proposalShapeProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A proposal as stored. */
export type Proposal = z.infer<typeof Proposal>;

/** The rules zod alone cannot say: which fields each kind needs. Null when the proposal is well formed. */
function proposalShapeProblem(p: {
  id: string;
  kind: ProposalKind;
  pid: string;
  from: unknown;
  to: unknown;
  quote: string;
  text: string;
  afterPid: string | null;
  author: { code: string };
  cosponsors: string[];
}): string | null {
  if (!p.id.startsWith(`${p.author.code}-`)) return `proposal id ${p.id} does not start with its author's code ${p.author.code}`;
  if ((p.from === null) !== (p.to === null)) return 'a span needs both ends (from and to)';
  if (p.kind !== 'move-paragraph' && p.afterPid !== null) return 'only a move names a target paragraph (afterPid)';
  if (p.cosponsors.includes(p.author.code)) return 'the author cannot be its own co-sponsor';
  if (new Set(p.cosponsors).size !== p.cosponsors.length) return 'a co-sponsor is listed twice';
  switch (p.kind) {
    case 'replace':
      if (p.from === null) return 'a replacement needs a span (from and to)';
      if (p.quote === '' && p.text === '') return 'an empty replacement of nothing changes nothing: give the words to insert';
      if (p.quote === p.text) return 'the replacement reads exactly as the text it replaces';
      return null;
    case 'comment':
      if (p.text.trim() === '') return 'a comment needs its text';
      return null;
    case 'new-paragraph':
      if (p.from !== null) return 'a new paragraph takes no span';
      if (p.text.trim() === '') return 'a new paragraph needs its text';
      return null;
    case 'delete-paragraph':
      if (p.from !== null) return 'deleting a paragraph takes no span';
      return null;
    case 'move-paragraph':
      if (p.from !== null) return 'moving a paragraph takes no span';
      if (p.afterPid === p.pid) return 'a paragraph cannot be moved after itself';
      return null;
  }
}

/** A stance a delegation takes on someone else's proposal. */
export const POSITION_KINDS = ['support', 'oppose', 'cosponsor'] as const;

/** One kind of position. */
export type PositionKind = (typeof POSITION_KINDS)[number];

/** A delegation's current position on someone else's proposal, stored in its own doc under the proposal id. */
export const Position = z.object({
  proposalId: z.string().min(1).max(120),
  kind: z.enum(POSITION_KINDS),
  by: PersonName,
  at: Timestamp,
});

/** A position as stored in `D/d/<code>`. */
export type Position = z.infer<typeof Position>;

/** A position stated on the floor and recorded by the chair's team on the delegation's behalf. */
export const FloorPosition = Position.extend({ code: DelegationCode, recordedBy: PersonName });

/** A floor position as stored in `D/chair`. */
export type FloorPosition = z.infer<typeof FloorPosition>;

/** The withdrawal of a delegation's own proposal. */
export const Withdrawal = z.object({ by: PersonName, at: Timestamp, reason: z.string().max(MAX_NOTE_LENGTH) });

/** A withdrawal as stored in `D/d/<code>`. */
export type Withdrawal = z.infer<typeof Withdrawal>;

/** A withdrawal announced on the floor and recorded by the chair's team. */
export const FloorWithdrawal = Withdrawal.extend({ code: DelegationCode, recordedBy: PersonName });

/** A floor withdrawal as stored in `D/chair`. */
export type FloorWithdrawal = z.infer<typeof FloorWithdrawal>;

/** What the chair can decide. */
export const DECISION_KINDS = ['accepted', 'accepted-as-modified', 'rejected', 'merged'] as const;

/** One kind of decision. */
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** A decision reason: required and short. */
export const Reason = z.string().trim().min(1, 'a reason is required').max(MAX_REASON_LENGTH);

/** The chair's decision on a proposal. */
export const Decision = z
  .object({
    kind: z.enum(DECISION_KINDS),
    reason: Reason,
    by: PersonName,
    at: Timestamp,
    modifiedText: z.string().max(MAX_TEXT_LENGTH).optional(),
    compromiseId: z.string().min(1).max(120).optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.kind === 'accepted-as-modified') !== (d.modifiedText !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'modifiedText goes with accepted-as-modified, and only with it' });
    }
    if ((d.kind === 'merged') !== (d.compromiseId !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'compromiseId goes with merged, and only with it' });
    }
  });

/** A decision as stored in `D/chair`. */
export type Decision = z.infer<typeof Decision>;

/** The statuses the chair stores; 'agreed' is agreed ad ref and locks the paragraph. */
export const STORED_STATUSES = ['open', 'bracketed', 'alternatives', 'agreed'] as const;

/** One stored paragraph status. */
export type StoredStatus = (typeof STORED_STATUSES)[number];

/** What a paragraph shows: the stored status, or 'under negotiation' (computed: open with pending proposals). */
export type DisplayedStatus = StoredStatus | 'under negotiation';

/** A paragraph's status as the chair set it. */
export const ParagraphStatus = z.object({
  status: z.enum(STORED_STATUSES),
  reason: z.string().max(MAX_REASON_LENGTH),
  by: PersonName,
  at: Timestamp,
});

/** A paragraph status as stored in `D/chair`. */
export type ParagraphStatus = z.infer<typeof ParagraphStatus>;

/** A status change in the log. */
export const StatusLogEntry = z.object({
  type: z.literal('status'),
  pid: Pid,
  status: z.enum(STORED_STATUSES),
  previous: z.enum(STORED_STATUSES).nullable(),
  reason: z.string().max(MAX_REASON_LENGTH),
  by: PersonName,
  at: Timestamp,
});

/** A decision in the log. */
export const DecisionLogEntry = z.object({
  type: z.literal('decision'),
  proposalId: z.string().min(1).max(120),
  pid: Pid,
  kind: z.enum(DECISION_KINDS),
  reason: Reason,
  by: PersonName,
  at: Timestamp,
  modifiedText: z.string().max(MAX_TEXT_LENGTH).optional(),
  compromiseId: z.string().min(1).max(120).optional(),
});

/** One entry of the append-only log in `D/chair`. */
export const LogEntry = z.discriminatedUnion('type', [StatusLogEntry, DecisionLogEntry]);

/** A log entry as stored. */
export type LogEntry = z.infer<typeof LogEntry>;

/** The reasons a writer refuses, so a UI can pick its message or its remedy. */
export const NEGOTIATION_ERROR_CODES = [
  'invalid',
  'unknown-delegation',
  'unknown-paragraph',
  'unknown-proposal',
  'locked',
  'empty-replacement',
  'own-proposal',
  'not-own-proposal',
  'withdrawn',
  'already-decided',
  'overtaken',
  'not-applicable',
  'reason-required',
] as const;

/** One refusal reason. */
export type NegotiationErrorCode = (typeof NEGOTIATION_ERROR_CODES)[number];

/** A refused negotiation action: nothing was written. */
export class NegotiationError extends Error {
  /** Why it was refused. */
  readonly code: NegotiationErrorCode;

  constructor(code: NegotiationErrorCode, message: string) {
    super(message);
    this.name = 'NegotiationError';
    this.code = code;
  }
}

/** Parses `value` with `schema`, turning a zod failure into an 'invalid' NegotiationError that names `what`. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return `${path}${issue.message}`;
  });
  throw new NegotiationError('invalid', `${what} is not valid: ${issues.join('; ')}`);
}
