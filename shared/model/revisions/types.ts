/**
 * The stored shape of a revision (see notes/negotiation-spec.md): an immutable entry appended to the Y.Array
 * `revisions` in `D/chair`, holding the whole text as it stood when the chair cut it and the numbering in force.
 */
import { z } from 'zod';
import { MAX_NOTE_LENGTH, PersonName, Pid, Timestamp } from '../negotiation/types.ts';

/** Top-level Y.Array in `D/chair`: RevisionEntry values in the order they were cut. */
export const REVISIONS = 'revisions';

/** The label of the first revision. */
export const ZERO_DRAFT = 'Zero draft';

/** The label of the last revision, the text as adopted. */
export const FINAL = 'Final';

/** Longest revision label: the same limit as a proposal's `revision`, which copies it. */
export const MAX_LABEL_LENGTH = 200;

/** A revision label: 'Zero draft', 'Rev.N', 'Final' or whatever else the chair calls it. */
export const RevisionLabel = z.string().trim().min(1, 'a revision label is required').max(MAX_LABEL_LENGTH);

/** A calendar date, YYYY-MM-DD: the date printed on the revision, not when it was cut. */
export const RevisionDate = z.iso.date();

/**
 * How a revision's state may be stored: 'deflate-raw' is DEFLATE without a header (RFC 1951, fflate's deflateSync),
 * the name CompressionStream gives it. Absent means plain, as the first revisions were written.
 */
export const REVISION_STATE_ENCODINGS = ['deflate-raw'] as const;

/** One state encoding. */
export type RevisionStateEncoding = (typeof REVISION_STATE_ENCODINGS)[number];

/**
 * Largest text state a revision may hold once decoded, 32 MiB (a 100-page text is about 0.65 MB): it bounds what
 * opening a revision may allocate, so a hostile entry that inflates without end is refused rather than obeyed.
 */
export const MAX_REVISION_STATE_BYTES = 32 * 1024 * 1024;

/** Longest stored state in base64 characters: the decoded bound, plus DEFLATE's overhead on incompressible bytes. */
export const MAX_REVISION_STATE_CHARS = Math.ceil((MAX_REVISION_STATE_BYTES + 64 * 1024) / 3) * 4;

/**
 * A revision as stored. `state` is base64 of Y.encodeStateAsUpdate(D/text) at the cut, deflated when `encoding` is
 * 'deflate-raw' (every revision cut now; entries without `encoding` are plain and still open). A full encoded state
 * is self-contained: it opens without the live doc and survives garbage collection of deleted text, which a
 * Y.snapshot would not (a snapshot only points into the live doc's history and needs it kept with gc off). The
 * price is size, and `D/chair` holds every revision's state and travels as one sync message (refused over
 * DEFAULT_MAX_MESSAGE_BYTES, 2 MiB): deflated, a 100-page text's 640 KB state takes about 74 KB (8.7 to 1), and
 * one with a long editing history about a sixth of its size, so many more revisions fit.
 * `numbers` is pid -> paragraph number, 1..N in document order at the cut, the baseline for bis/ter afterwards.
 */
export const RevisionEntry = z.object({
  id: z.string().min(1).max(120),
  label: RevisionLabel,
  date: RevisionDate,
  note: z.string().max(MAX_NOTE_LENGTH),
  by: PersonName,
  at: Timestamp,
  state: z.base64().min(1, 'a revision holds the text').max(MAX_REVISION_STATE_CHARS, 'the revision\u2019s text is too large'),
  encoding: z.enum(REVISION_STATE_ENCODINGS).optional(),
  numbers: z.record(Pid, z.number().int().positive()),
});

/** A revision entry as stored in `D/chair`. */
export type RevisionEntry = z.infer<typeof RevisionEntry>;

/** The reasons a revision action refuses, so a UI can pick its message. */
export const REVISION_ERROR_CODES = ['invalid', 'duplicate-label', 'unreadable'] as const;

/** One refusal reason. */
export type RevisionErrorCode = (typeof REVISION_ERROR_CODES)[number];

/** A refused revision action: nothing was written. */
export class RevisionError extends Error {
  /** Why it was refused. */
  readonly code: RevisionErrorCode;

  constructor(code: RevisionErrorCode, message: string) {
    super(message);
    this.name = 'RevisionError';
    this.code = code;
  }
}
