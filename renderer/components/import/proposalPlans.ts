/**
 * From a returned Word file's tracked changes to proposals: plan them against the current text (shared/import matches
 * by the pid the export bookmarked, else by the numbers in force, else by wording, and gives spans in paragraph
 * offsets, exactly as a selection in the editor does), turn each plan into the ProposalDraft the negotiation takes,
 * check every draft the way recording will before anything is written, and record the ticked ones in one action for
 * one delegation.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
// plan.ts alone: the renderer needs the planner, not the .docx reader behind index.ts.
import { planTrackedProposals, type ProposalPlan, type UnmatchedTrackedParagraph } from '../../../shared/import/plan.ts';
import type { TrackedParagraph } from '../../../shared/import/index.ts';
import { analyzeDocument } from '../../../shared/model/analyze.ts';
import { buildProposal } from '../../../shared/model/negotiation/proposals.ts';
import { MAX_NOTE_LENGTH, PersonName, textDocument, type Proposal, type ProposalDraft } from '../../../shared/model/negotiation/index.ts';
import { currentBaseline } from '../../../shared/model/revisions/index.ts';
import type { NegotiationSession } from '../../negotiation/negotiationSession.ts';

/** For whom the proposals are recorded. */
export interface ImportAttribution {
  /** The delegation or group code. */
  readonly code: string;
  /** The Word file's name, quoted in each proposal's rationale so the record says where it came from. */
  readonly fileName: string;
}

/** One planned proposal as the review screen lists it. */
export interface PlannedProposal {
  /** Stable within one review, for React and the tests. */
  readonly key: string;
  readonly plan: ProposalPlan;
  /** How the paragraph is cited now ("3", "7 bis"), or null for one without a number. */
  readonly reference: string | null;
  /** A few words before and after a replaced span, so the change reads in its place. */
  readonly context: { readonly before: string; readonly after: string } | null;
  /** What recording it writes; null when it cannot be recorded. */
  readonly draft: ProposalDraft | null;
  /** Why it cannot be recorded (a locked paragraph, text that no longer reads as planned); null when it can. */
  readonly problem: string | null;
  /** The words recording would strike in the current text (for a paragraph kind, its whole wording). */
  readonly quote: string;
  /** Something the person should know before recording it (the current words differ from the Word file's). */
  readonly note: string | null;
}

/** A paragraph of the Word file with tracked changes that matches no paragraph of the current text. */
export interface UnmatchedParagraph {
  readonly key: string;
  /** The number it carried in the Word file, if any. */
  readonly number: string | null;
  /** Its text in the Word file, as the delegation wants it (or as it was, for a deleted paragraph). */
  readonly text: string;
  readonly why: string;
  readonly author: string | null;
  readonly date: string | null;
}

/** What the review screen shows. */
export interface ProposalReview {
  readonly proposals: readonly PlannedProposal[];
  readonly unmatched: readonly UnmatchedParagraph[];
  /** How many insertions and deletions the file tracked, in all. */
  readonly changeCount: number;
}

/** The current text as a ProseMirror document, read from `D/text` (what the model's writers check against). */
export function currentDocument(negotiation: Pick<NegotiationSession, 'text'>): ProseMirrorNode {
  return textDocument(negotiation.text);
}

/** pid -> the number in force of every numbered paragraph ("3", "7 bis" after a revision). */
export function numbersInForce(doc: ProseMirrorNode, baseline?: ReadonlyMap<string, number>): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const paragraph of analyzeDocument(doc, baseline).paragraphs) if (paragraph.pid) numbers.set(paragraph.pid, paragraph.number);
  return numbers;
}

/** The pid-carrying textblock with this pid, or null. */
function blockOf(doc: ProseMirrorNode, pid: string): ProseMirrorNode | null {
  let found: ProseMirrorNode | null = null;
  doc.descendants((node) => {
    if (found) return false;
    if (node.isTextblock) {
      if (node.attrs['pid'] === pid) found = node;
      return false;
    }
    return true;
  });
  return found;
}

/** "2026-02-03T10:00:00Z" as "3 Feb 2026"; anything unreadable as it came. */
export function formatWordDate(date: string | null): string | null {
  if (date === null || date.trim() === '') return null;
  const time = Date.parse(date);
  if (Number.isNaN(time)) return date;
  return new Date(time).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The rationale recorded with an imported proposal: where it came from and who made the change in Word. */
export function importRationale(plan: Pick<ProposalPlan, 'author' | 'date'>, fileName: string): string {
  const author = plan.author.trim();
  const date = formatWordDate(plan.date);
  const by = author ? ` by ${author}` : '';
  const when = date ? ` on ${date}` : '';
  const rationale = `From the Word file “${fileName}”: tracked change${by}${when}.`;
  return rationale.length > MAX_NOTE_LENGTH ? `${rationale.slice(0, MAX_NOTE_LENGTH - 1)}…` : rationale;
}

/** The Word author as the name of the delegate who spoke, when it is a usable name. */
export function speakerOf(plan: Pick<ProposalPlan, 'author'>): string | undefined {
  const name = plan.author.replace(/\s+/g, ' ').trim();
  return PersonName.safeParse(name).success ? name : undefined;
}

/** The draft a plan records: its span is already in paragraph offsets, as a selection in the editor gives them. */
function draftOf(plan: ProposalPlan, fileName: string): ProposalDraft {
  const rationale = importRationale(plan, fileName);
  switch (plan.kind) {
    case 'replace':
      return { kind: 'replace', pid: plan.pid, span: { from: plan.from, to: plan.to }, text: plan.text, rationale };
    case 'new-paragraph':
      return { kind: 'new-paragraph', pid: plan.pid, text: plan.text, rationale };
    case 'delete-paragraph':
      return { kind: 'delete-paragraph', pid: plan.pid, rationale };
  }
}

/** A few words either side of a span of a paragraph, so the change reads in its place. */
function contextOf(block: ProseMirrorNode | null, plan: ProposalPlan): PlannedProposal['context'] {
  if (!block || plan.kind !== 'replace') return null;
  const size = block.content.size;
  if (plan.from < 0 || plan.to > size || plan.from > plan.to) return null;
  return {
    before: someWords(block.textBetween(0, plan.from, '\n'), 'end'),
    after: someWords(block.textBetween(plan.to, size, '\n'), 'start'),
  };
}

/** Up to `words` words of `text` at its end or its start, with an ellipsis where it was cut. */
function someWords(text: string, side: 'end' | 'start', words = 6): string {
  const tokens = text.match(/\S+\s*/g) ?? [];
  if (side === 'end') return (tokens.length > words ? '…' : '') + tokens.slice(-words).join('');
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  return tokens.length > words ? `${lead}${tokens.slice(0, words).join('').trimEnd()}…` : text;
}

/** How every paragraph of the text is cited now: its number in force, and "12 (a)" for a sub-paragraph. */
function citations(doc: ProseMirrorNode, numbers: ReadonlyMap<string, string>): Set<string> {
  const cited = new Set(numbers.values());
  for (const sub of analyzeDocument(doc).subparagraphs) {
    const owner = sub.ownerPid ? numbers.get(sub.ownerPid) : undefined;
    cited.add(owner ? `${owner} ${sub.label}` : sub.label);
  }
  return cited;
}

/** Why a paragraph of the Word file (or one of its changes) found no place in the current text. */
function unmatchedWhy(paragraph: UnmatchedTrackedParagraph, cited: ReadonlySet<string>): string {
  // The planner knows better when it matched the paragraph but not the words a change needs.
  if (paragraph.reason) return paragraph.reason;
  if (paragraph.wholeParagraph === 'inserted') return 'A new paragraph, but no paragraph before it matches the current text, so there is no place to put it.';
  const numbered = paragraph.number !== null && cited.has(paragraph.number);
  if (paragraph.number !== null && !numbered) return `There is no paragraph ${paragraph.number} in the current text, and no paragraph reads closely enough like it.`;
  if (paragraph.number !== null) return `Paragraph ${paragraph.number} of the current text reads too differently, and no other paragraph reads closely enough like it.`;
  return 'No paragraph of the current text reads closely enough like it.';
}

/**
 * Plans the tracked changes against the current text and checks each planned proposal exactly as recording it for
 * `attribution` would, writing nothing.
 */
export function reviewTrackedChanges(
  negotiation: NegotiationSession,
  tracked: readonly TrackedParagraph[],
  attribution: ImportAttribution,
): ProposalReview {
  const doc = currentDocument(negotiation);
  const numbers = numbersInForce(doc, currentBaseline(negotiation.chair));
  const { plans, unmatched } = planTrackedProposals(tracked, doc, numbers);
  const proposals = plans.map((plan, index): PlannedProposal => {
    const draft = draftOf(plan, attribution.fileName);
    const checked = checkDraft(negotiation, draft, attribution, plan);
    const problem = typeof checked === 'string' ? checked : null;
    // The words recording strikes are those of the current text; say so when the Word file had others there.
    const quote = typeof checked === 'string' ? plan.quote : checked.quote;
    const note = plan.kind === 'replace' && problem === null && quote !== plan.quote ? `The Word file had “${plan.quote}” here.` : null;
    return {
      key: `plan-${index}`,
      plan,
      reference: plan.paragraphNumber ?? numbers.get(plan.pid) ?? null,
      quote,
      context: contextOf(blockOf(doc, plan.pid), plan),
      draft: problem === null ? draft : null,
      problem,
      note,
    };
  });
  const cited = unmatched.length > 0 ? citations(doc, numbers) : new Set<string>();
  return {
    proposals,
    unmatched: unmatched.map((paragraph, index) => ({
      key: `unmatched-${index}`,
      number: paragraph.number,
      text: paragraph.wholeParagraph === 'deleted' ? paragraph.original : paragraph.proposed || paragraph.original,
      why: unmatchedWhy(paragraph, cited),
      author: paragraph.changes[0]?.author ?? null,
      date: paragraph.changes[0]?.date ?? null,
    })),
    changeCount: tracked.reduce((sum, paragraph) => sum + paragraph.changes.length, 0),
  };
}

/** The proposal recording would write, or why it would be refused: the model's own checks, run without writing. */
function checkDraft(negotiation: NegotiationSession, draft: ProposalDraft, attribution: ImportAttribution, plan: ProposalPlan): Proposal | string {
  const { identity } = negotiation;
  if (!negotiation.canPropose) return 'You can read this negotiation but not table proposals in it.';
  if (identity.role === 'delegation' && identity.code !== attribution.code) return `You can table proposals only for ${identity.code ?? 'your delegation'}.`;
  const author = identity.role === 'chair' ? { code: attribution.code, name: speakerOf(plan) ?? attribution.code } : { code: attribution.code, name: identity.person };
  try {
    return buildProposal(
      { text: negotiation.text, chair: negotiation.chair },
      draft,
      { author, recordedBy: identity.role === 'chair' ? identity.person : null },
      { person: identity.person, isKnownCode: (code) => negotiation.registry.isKnownCode(code) },
    );
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** What recording did. */
export interface RecordedImport {
  readonly recorded: readonly Proposal[];
}

/**
 * Records the chosen planned proposals for the delegation, after checking every one of them again against the
 * text as it is now: if any would be refused, none is recorded and the refusal names its paragraph.
 */
export function recordPlannedProposals(
  negotiation: NegotiationSession,
  chosen: readonly PlannedProposal[],
  attribution: ImportAttribution,
): RecordedImport {
  const ready: Array<{ item: PlannedProposal; draft: ProposalDraft }> = [];
  for (const item of chosen) {
    const checked = item.draft === null ? (item.problem ?? 'It cannot be recorded.') : checkDraft(negotiation, item.draft, attribution, item.plan);
    const problem = typeof checked === 'string' ? checked : null;
    if (problem !== null || item.draft === null) {
      throw new Error(`Nothing was recorded: the proposal on ${item.reference ? `paragraph ${item.reference}` : 'an unnumbered paragraph'} would be refused. ${problem ?? ''}`.trim());
    }
    ready.push({ item, draft: item.draft });
  }
  const recorded: Proposal[] = [];
  // One action: for the chair's team one undo step takes the whole file's proposals back.
  negotiation.batch(() => {
    for (const { item, draft } of ready) {
      try {
        recorded.push(
          negotiation.identity.role === 'chair'
            ? negotiation.propose(draft, { code: attribution.code, ...(speakerOf(item.plan) ? { speaker: speakerOf(item.plan) } : {}) })
            : negotiation.propose(draft),
        );
      } catch (error) {
        // Checked just above against the same text, so only a change arriving in between can get here: say exactly what stands.
        const reason = error instanceof Error ? error.message : String(error);
        throw new PartialRecordError(recorded, `${recorded.length} of ${ready.length} proposals were recorded before one was refused: ${reason}`);
      }
    }
  });
  return { recorded };
}

/** Recording stopped part-way: the proposals already recorded stay (each can be withdrawn or undone). */
export class PartialRecordError extends Error {
  /** What was recorded before the refusal. */
  readonly recorded: readonly Proposal[];

  constructor(recorded: readonly Proposal[], message: string) {
    super(message);
    this.name = 'PartialRecordError';
    this.recorded = recorded;
  }
}
