/**
 * Cutting and reading revisions. A revision freezes the text (a full encoded Y state, deflated, opened read-only
 * later) and the numbering 1..N in force from then on; paragraphs added afterwards number bis, ter ... until the
 * next cut.
 */
import * as Y from 'yjs';
import { Inflate, deflateSync } from 'fflate';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { Node as ProseMirrorNode, Schema } from 'prosemirror-model';
import { analyzeDocument } from '../analyze.ts';
import { newPid } from '../pids.ts';
import { schema as penholderSchema } from '../../schema/index.ts';
import { textDocument } from '../negotiation/text.ts';
import { FINAL, MAX_REVISION_STATE_BYTES, REVISIONS, RevisionEntry, RevisionError, ZERO_DRAFT, type RevisionStateEncoding } from './types.ts';

/** What the chair gives when cutting a revision; everything but the docs and the person has a default. */
export interface CutRevisionOptions {
  /** `D/text`, read only. */
  readonly textDoc: Y.Doc;
  /** `D/chair`, where the entry is appended. */
  readonly chairDoc: Y.Doc;
  /** The person cutting it. */
  readonly by: string;
  /** Default: {@link nextRevisionLabel}. */
  readonly label?: string;
  /** YYYY-MM-DD; default: today (UTC) by `now`. */
  readonly date?: string;
  /** Default: ''. */
  readonly note?: string;
  /** The clock (tests pin it); default: the system clock. */
  readonly now?: () => Date;
  /** The entry id; default: a fresh random id. */
  readonly id?: string;
  /** The schema the text is read with (to find which paragraphs are numbered); default: Penholder's. */
  readonly schema?: Schema;
  /** Transaction origin for the append (an undo manager that should ignore it can filter on it). */
  readonly origin?: unknown;
}

/** The Y.Array of revisions in `D/chair`. */
export function revisionsArray(chairDoc: Y.Doc): Y.Array<unknown> {
  return chairDoc.getArray<unknown>(REVISIONS);
}

/** Labels compare without case and surrounding or repeated spaces, so "rev.1" and "Rev.1 " are one label. */
export function revisionLabelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The revisions cut so far, oldest first. An entry that does not validate (written by a broken or newer client) is
 * left out rather than shown as a text nobody can open; {@link revisionProblems} names such entries.
 */
export function listRevisions(chairDoc: Y.Doc): RevisionEntry[] {
  const entries: RevisionEntry[] = [];
  for (const value of revisionsArray(chairDoc).toArray()) {
    const parsed = RevisionEntry.safeParse(value);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}

/** One message per stored revision entry that does not validate, with its index in the array. */
export function revisionProblems(chairDoc: Y.Doc): string[] {
  const problems: string[] = [];
  revisionsArray(chairDoc)
    .toArray()
    .forEach((value, index) => {
      const parsed = RevisionEntry.safeParse(value);
      if (!parsed.success) problems.push(`revision #${index + 1}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    });
  return problems;
}

/** The revision with this id, or null. */
export function findRevision(chairDoc: Y.Doc, id: string): RevisionEntry | null {
  return listRevisions(chairDoc).find((entry) => entry.id === id) ?? null;
}

/** The last revision cut, or null before the zero draft. */
export function latestRevision(chairDoc: Y.Doc): RevisionEntry | null {
  return listRevisions(chairDoc).at(-1) ?? null;
}

/** The label new proposals record as the revision they are made against: the last one cut, or null before any. */
export function revisionLabelInForce(chairDoc: Y.Doc): string | null {
  return latestRevision(chairDoc)?.label ?? null;
}

const REV_N = /^rev\.\s*(\d+)$/i;

/**
 * The label the next cut takes by default: 'Zero draft' first, then Rev.1, Rev.2 ... one past the highest Rev.N
 * so far (custom labels and 'Final' do not count, so a custom revision in between does not skip a number).
 */
export function nextRevisionLabel(existing: readonly RevisionEntry[] | readonly string[]): string {
  const labels = existing.map((entry) => (typeof entry === 'string' ? entry : entry.label));
  if (labels.length === 0) return ZERO_DRAFT;
  let highest = 0;
  for (const label of labels) {
    const match = REV_N.exec(label.trim());
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `Rev.${highest + 1}`;
}

/** The numbering 1..N of the numbered paragraphs of `doc`, keyed by pid (a paragraph without a pid has none). */
export function sequentialNumbers(doc: ProseMirrorNode): Record<string, number> {
  const numbers: Record<string, number> = {};
  analyzeDocument(doc).paragraphs.forEach((paragraph, index) => {
    if (paragraph.pid !== '' && numbers[paragraph.pid] === undefined) numbers[paragraph.pid] = index + 1;
  });
  return numbers;
}

/**
 * Input handed to the inflater at a time: one slice of DEFLATE expands to at most about a thousand times its size,
 * so stopping between slices keeps a hostile state from allocating much past the limit.
 */
const INFLATE_SLICE_BYTES = 8 * 1024;

/** Raised inside the inflater's callback to stop it at the limit. */
class StateTooLarge extends Error {}

/**
 * Inflates a revision's deflated state, refusing (with an Error, never a partial result) data that is not DEFLATE,
 * is cut short, or would inflate past `maxBytes`; memory stays near `maxBytes` whatever the input claims.
 */
export function inflateRevisionState(compressed: Uint8Array, maxBytes: number = MAX_REVISION_STATE_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new StateTooLarge(`it inflates to more than ${maxBytes} bytes`);
    if (chunk.length > 0) chunks.push(chunk);
  });
  if (compressed.length === 0) throw new Error('it is empty');
  for (let at = 0; at < compressed.length; at += INFLATE_SLICE_BYTES) {
    const end = Math.min(compressed.length, at + INFLATE_SLICE_BYTES);
    // The last slice is marked final: a stream that has not ended by then is cut short, and fflate says so.
    inflater.push(compressed.subarray(at, end), end === compressed.length);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const state = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    state.set(chunk, offset);
    offset += chunk.length;
  }
  return state;
}

/** A text state as a revision stores it: deflated, then base64, with the encoding named. */
function storedState(state: Uint8Array): { state: string; encoding: RevisionStateEncoding } {
  const compressed = deflateSync(state, { level: 6 });
  // Read it back before anything is written: a revision that cannot be reopened must never be stored.
  const back = inflateRevisionState(compressed, state.length);
  if (back.length !== state.length || back.some((byte, index) => byte !== state[index])) {
    throw new RevisionError('invalid', 'The text could not be stored compressed: it did not read back the same.');
  }
  return { state: toBase64(compressed), encoding: 'deflate-raw' };
}

/**
 * The encoded `D/text` state a revision holds (inflated when stored deflated; a legacy entry's plain state as is).
 * Refuses a state that cannot be decoded, or would decode past MAX_REVISION_STATE_BYTES, with RevisionError
 * 'unreadable'.
 */
export function revisionState(entry: RevisionEntry): Uint8Array {
  const unreadable = (why: string) => new RevisionError('unreadable', `Revision \u201c${entry.label}\u201d does not hold a readable text: ${why}.`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(entry.state);
  } catch {
    throw unreadable('its state is not base64');
  }
  if (entry.encoding === undefined) {
    if (bytes.length > MAX_REVISION_STATE_BYTES) throw unreadable(`it is larger than ${MAX_REVISION_STATE_BYTES} bytes`);
    return bytes;
  }
  try {
    return inflateRevisionState(bytes);
  } catch (error) {
    throw unreadable(error instanceof StateTooLarge ? error.message : `its compressed state is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Decodes an encoded `D/text` state into a fresh Y.Doc and reads it as ProseMirror does. */
function documentFromState(state: Uint8Array, schema: Schema): ProseMirrorNode {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, state);
  return textDocument(copy, schema);
}

function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Cuts a revision: appends an immutable entry with the whole text and its numbering 1..N to `D/chair`. Refuses
 * (writing nothing) a label another revision already has, or anything that does not validate.
 */
export function cutRevision(options: CutRevisionOptions): RevisionEntry {
  const existing = listRevisions(options.chairDoc);
  const now = (options.now ?? (() => new Date()))();
  const label = options.label ?? nextRevisionLabel(existing);
  const clash = existing.find((entry) => revisionLabelKey(entry.label) === revisionLabelKey(label));
  if (clash) throw new RevisionError('duplicate-label', `There is already a revision labelled \u201c${clash.label}\u201d.`);
  const state = Y.encodeStateAsUpdate(options.textDoc);
  if (state.length > MAX_REVISION_STATE_BYTES) {
    const megabytes = (state.length / (1024 * 1024)).toFixed(1);
    throw new RevisionError('invalid', `The text is too large to keep as a revision (${megabytes} MiB; at most ${MAX_REVISION_STATE_BYTES / (1024 * 1024)} MiB).`);
  }
  const doc = documentFromState(state, options.schema ?? penholderSchema);
  const candidate = {
    id: options.id ?? `rev-${newPid()}`,
    label: label.trim().replace(/\s+/g, ' '),
    date: options.date ?? todayOf(now),
    note: options.note ?? '',
    by: options.by,
    at: now.toISOString(),
    ...storedState(state),
    numbers: sequentialNumbers(doc),
  };
  const parsed = RevisionEntry.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    throw new RevisionError('invalid', `The revision is not valid: ${issues.join('; ')}`);
  }
  if (existing.some((entry) => entry.id === parsed.data.id)) throw new RevisionError('invalid', `Revision id ${parsed.data.id} is taken.`);
  options.chairDoc.transact(() => revisionsArray(options.chairDoc).push([parsed.data]), options.origin);
  return parsed.data;
}

/** Whether this revision is the final text (its label is 'Final'). */
export function isFinal(entry: RevisionEntry): boolean {
  return revisionLabelKey(entry.label) === revisionLabelKey(FINAL);
}

/**
 * The text as it stood when the revision was cut, for read-only display and comparison. Decoded afresh each call
 * into a Y.Doc nobody else holds, so nothing done to the live text (or to the returned node) can reach it.
 */
export function revisionDocument(entry: RevisionEntry, schema: Schema = penholderSchema): ProseMirrorNode {
  const state = revisionState(entry);
  try {
    return documentFromState(state, schema);
  } catch (error) {
    throw new RevisionError('unreadable', `Revision \u201c${entry.label}\u201d cannot be opened: ${String(error)}`);
  }
}

/** The numbering baseline in force: the last revision's numbers (pid -> number), or undefined before any cut. */
export function currentBaseline(chairDoc: Y.Doc): ReadonlyMap<string, number> | undefined {
  const latest = latestRevision(chairDoc);
  return latest ? new Map(Object.entries(latest.numbers)) : undefined;
}

/**
 * The paragraph numbers the current text shows (pid -> "7", "7 bis"): paragraphs of the last revision keep its
 * numbers, paragraphs added since take bis, ter ...; before any revision they run 1..N.
 */
export function numbersInForce(doc: ProseMirrorNode, chairDoc: Y.Doc): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const paragraph of analyzeDocument(doc, currentBaseline(chairDoc)).paragraphs) {
    if (paragraph.pid !== '' && !numbers.has(paragraph.pid)) numbers.set(paragraph.pid, paragraph.number);
  }
  return numbers;
}
