/**
 * Turning what a user asks for (a ProposalDraft: a kind, a paragraph, offsets, words) into a stored Proposal, with
 * every refusal the spec lists: unknown delegations, unknown or locked paragraphs, empty replacements. Shared by the
 * delegations' writer and the chair's floor recording, so both refuse alike.
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import { isLocked } from './statuses.ts';
import {
  blockGroup,
  indexParagraphs,
  insertionIndexAfter,
  isBodyBlock,
  isTopLevelOffset,
  paragraphSize,
  paragraphWording,
  spanPositions,
  spanWording,
  textFragment,
} from './text.ts';
import {
  CHAIR_CODE,
  DelegationCode,
  MAX_NOTE_LENGTH,
  MAX_TEXT_LENGTH,
  NegotiationError,
  PROPOSAL_KINDS,
  Pid,
  Proposal,
  parseOrRefuse,
  type Author,
  type RelativePositionJson,
} from './types.ts';

/** The Y.Docs of one negotiated document D as a client holds them. */
export interface NegotiationDocs {
  /** `D/text`. */
  readonly text: Y.Doc;
  /** `D/chair`. */
  readonly chair: Y.Doc;
  /** code -> `D/d/<code>`, for every delegation whose doc this client holds. */
  readonly delegations: ReadonlyMap<string, Y.Doc>;
}

/** What a writer needs to know besides the docs. */
export interface WriterOptions {
  /** The signed-in person, recorded as author name or `by`. */
  readonly person: string;
  /** Whether a code names a delegation or group of the registry (plugged in by the participant registry). */
  readonly isKnownCode: (code: string) => boolean;
  /** The clock (tests pin it). */
  readonly now?: () => Date;
  /** The random part of new proposal ids (tests make it reproducible). */
  readonly randomId?: () => string;
}

/** What a user asks for; the writer fills in quote, anchors, author and time. */
export const ProposalDraft = z.object({
  kind: z.enum(PROPOSAL_KINDS),
  pid: Pid,
  /** ProseMirror offsets inside the paragraph (position minus the paragraph's content start); replace and comment. */
  span: z
    .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
    .refine((span) => span.from <= span.to, { message: 'a span starts before it ends' })
    .nullish(),
  /** Replacement ('' deletes), new paragraph text, or the comment. */
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  /** Move target: placed after this pid; null = to the top of the body. */
  afterPid: Pid.nullish(),
  rationale: z.string().max(MAX_NOTE_LENGTH).optional(),
  agreedLanguage: z.string().max(MAX_NOTE_LENGTH).nullish(),
  cosponsors: z.array(DelegationCode).optional(),
  revision: z.string().max(200).nullish(),
});

/** What a user asks for. */
export type ProposalDraft = z.input<typeof ProposalDraft>;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Eight random base-36 characters (about 2.8e12 values), unbiased. */
export function randomIdPart(): string {
  let out = '';
  const bytes = new Uint8Array(16);
  while (out.length < 8) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte >= 252) continue;
      out += ID_ALPHABET[byte % 36];
      if (out.length === 8) break;
    }
  }
  return out;
}

/** A fresh proposal id: `${code}-${base36 time}-${random}`; the code prefix lets a reader find its doc. */
export function newProposalId(code: string, now: Date, random: () => string = randomIdPart): string {
  const part = random();
  if (!/^[a-z0-9]+$/.test(part)) throw new Error('the random part of a proposal id is lower-case base 36');
  return `${code}-${now.getTime().toString(36)}-${part}`;
}

/** The current time as stored. */
export function isoNow(options: { now?: () => Date }): string {
  return (options.now ? options.now() : new Date()).toISOString();
}

/** Refuses a code the registry does not know. */
export function requireKnownCode(code: string, isKnownCode: (code: string) => boolean, role = 'delegation'): void {
  if (!DelegationCode.safeParse(code).success || code === CHAIR_CODE || !isKnownCode(code)) {
    throw new NegotiationError('unknown-delegation', `${code} is not a known ${role} code`);
  }
}

/** Who is tabling and who (if anyone) records it for them. */
export interface ProposalAuthorship {
  readonly author: Author;
  readonly recordedBy: string | null;
}

/**
 * Builds a proposal from a draft against the current text, or refuses with a NegotiationError. Nothing is written.
 */
export function buildProposal(
  docs: Pick<NegotiationDocs, 'text' | 'chair'>,
  draftInput: ProposalDraft,
  authorship: ProposalAuthorship,
  options: WriterOptions,
): Proposal {
  const draft = parseOrRefuse(ProposalDraft, draftInput, 'The proposal');
  const { author } = authorship;
  if (author.code !== CHAIR_CODE) requireKnownCode(author.code, options.isKnownCode);
  const cosponsors = draft.cosponsors ?? [];
  for (const code of cosponsors) requireKnownCode(code, options.isKnownCode, 'co-sponsor');
  if (cosponsors.includes(author.code)) throw new NegotiationError('invalid', 'A delegation cannot co-sponsor its own proposal.');
  if (new Set(cosponsors).size !== cosponsors.length) throw new NegotiationError('invalid', 'A co-sponsor is listed twice.');

  const fragment = textFragment(docs.text);
  const index = indexParagraphs(fragment);
  const paragraph = index.elements.get(draft.pid);
  if (!paragraph) throw new NegotiationError('unknown-paragraph', `Paragraph ${draft.pid} is not in the text.`);
  if (isLocked(docs.chair, draft.pid)) {
    throw new NegotiationError('locked', 'This paragraph is agreed ad ref and locked: the Chair must reopen it before proposals can be made.');
  }

  let from: RelativePositionJson | null = null;
  let to: RelativePositionJson | null = null;
  let quote = paragraphWording(paragraph);
  const text = draft.text ?? '';
  let afterPid: string | null = null;
  const withSpan = (span: { from: number; to: number }): void => {
    const size = paragraphSize(paragraph);
    if (span.to > size) throw new NegotiationError('invalid', `The span ends at ${span.to}, past the paragraph's end (${size}).`);
    if (!isTopLevelOffset(paragraph, span.from) || !isTopLevelOffset(paragraph, span.to)) {
      throw new NegotiationError('invalid', 'A span starts and ends in the paragraph\u2019s own text, not inside a footnote.');
    }
    ({ from, to } = spanPositions(paragraph, span.from, span.to));
    quote = spanWording(paragraph, span.from, span.to);
  };

  switch (draft.kind) {
    case 'replace':
      if (!draft.span) throw new NegotiationError('invalid', 'A replacement needs the words it replaces (a span; from = to inserts).');
      withSpan(draft.span);
      if (quote === '' && text === '') {
        throw new NegotiationError('empty-replacement', 'The proposal inserts nothing: give the words to insert, or select the words to delete.');
      }
      if (quote === text) throw new NegotiationError('invalid', 'The replacement reads exactly as the text it replaces.');
      break;
    case 'comment':
      if (text.trim() === '') throw new NegotiationError('invalid', 'A comment needs its text.');
      if (draft.span) withSpan(draft.span);
      break;
    case 'new-paragraph':
      if (text.trim() === '') throw new NegotiationError('empty-replacement', 'A new paragraph needs its text.');
      break;
    case 'delete-paragraph':
      if (!isBodyBlock(fragment, paragraph)) {
        throw new NegotiationError('not-applicable', 'Only a paragraph of the body (not the title, a sub-paragraph or a table cell) can be deleted whole.');
      }
      break;
    case 'move-paragraph': {
      if (!isBodyBlock(fragment, paragraph)) {
        throw new NegotiationError('not-applicable', 'Only a paragraph of the body (not the title, a sub-paragraph or a table cell) can be moved.');
      }
      if (draft.afterPid === undefined) throw new NegotiationError('invalid', 'A move says where the paragraph goes (afterPid; null for the top).');
      afterPid = draft.afterPid;
      const target = afterPid === null ? null : (index.elements.get(afterPid) ?? null);
      if (afterPid !== null && target === null) throw new NegotiationError('unknown-paragraph', `Paragraph ${afterPid} is not in the text.`);
      const group = blockGroup(fragment, paragraph) as { start: number; length: number };
      const destination = insertionIndexAfter(fragment, target);
      if (destination > group.start && destination < group.start + group.length) {
        throw new NegotiationError('invalid', 'A paragraph cannot be moved after one of its own sub-paragraphs.');
      }
      if (destination === group.start || destination === group.start + group.length) {
        throw new NegotiationError('invalid', 'The paragraph already stands there.');
      }
      break;
    }
  }

  const now = options.now ? options.now() : new Date();
  const proposal = {
    id: newProposalId(author.code, now, options.randomId),
    kind: draft.kind,
    pid: draft.pid,
    from,
    to,
    quote,
    text,
    afterPid,
    rationale: draft.rationale ?? '',
    agreedLanguage: draft.agreedLanguage ?? null,
    cosponsors: [...cosponsors],
    author,
    recordedBy: authorship.recordedBy,
    createdAt: now.toISOString(),
    revision: draft.revision ?? null,
  };
  return parseOrRefuse(Proposal, proposal, 'The proposal');
}
