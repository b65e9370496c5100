/**
 * Generates a negotiation at the scale of a real reading: a 100-page document (tests/helpers/generate-document.ts)
 * and thousands of proposals tabled by 150 delegations through the real DelegationNegotiator, each into its own
 * `D/d/<code>` Y.Doc, plus the positions delegations take on each other's proposals.
 *
 * Deterministic for a seed (a pinned clock and counting ids), so figures from different runs compare.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc } from 'y-prosemirror';
import { schema } from '../../../shared/schema/index.ts';
import { bundledRegistry } from '../../../shared/model/participants.ts';
import { CHAIR_YDOC, TEXT_FRAGMENT, TEXT_YDOC, delegationYDoc } from '../../../shared/model/ydocs.ts';
import { DelegationNegotiator, type NegotiationDocs, type Proposal, type ProposalDraft } from '../../../shared/model/negotiation/index.ts';
import { generateDocument, type GeneratedDocument, type NodeJSON } from '../../helpers/generate-document.ts';
import { seededRandom } from '../../helpers/random.ts';

/** Options of {@link generateNegotiation}. */
export interface NegotiationScale {
  /** Textblocks of the document (about 25 a page). */
  readonly blocks: number;
  /** Proposals tabled in all. */
  readonly proposals: number;
  /** Delegations tabling them (member States of the bundled registry, in its order). */
  readonly delegations: number;
  /** Positions (support, oppose, co-sponsor) delegations take on others' proposals. */
  readonly positions: number;
  readonly seed?: number;
}

/** A paragraph of the generated document a delegation can propose against. */
export interface TargetParagraph {
  readonly pid: string;
  readonly type: string;
  /** The paragraph's own text before any footnote: its offsets are ProseMirror offsets inside the paragraph. */
  readonly text: string;
  /** A top-level numbered paragraph (deletable, can have a new paragraph after it). */
  readonly body: boolean;
}

/** The generated negotiation, its Y.Docs and what it took to make. */
export interface GeneratedNegotiation {
  readonly document: GeneratedDocument;
  readonly docs: NegotiationDocs & { readonly delegations: Map<string, Y.Doc> };
  /** The delegation codes, in the order they were taken from the registry. */
  readonly codes: readonly string[];
  readonly proposals: readonly Proposal[];
  readonly positions: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Pid of the paragraph that was given many proposals, in the middle of the document (where typing is measured). */
  readonly busyPid: string;
  /** Pid of a numbered paragraph near the top with proposals (shown on open). */
  readonly firstBusyPid: string;
  /** Every paragraph by pid. */
  readonly paragraphs: ReadonlyMap<string, TargetParagraph>;
  /** The stored updates, as a workspace or a sync server takes them: local name -> update. */
  readonly updates: ReadonlyArray<{ readonly ydoc: string; readonly update: Uint8Array }>;
  readonly timings: { readonly textMs: number; readonly proposeMs: number; readonly positionsMs: number; readonly encodeMs: number };
  readonly bytes: { readonly text: number; readonly delegations: number };
}

/** Words a delegation offers instead of the ones it would strike. */
const REPLACEMENTS = [
  'reaffirmed', 'stressed', 'took note of', 'underlined', 'welcomed with appreciation', 'the critical importance of',
  'on a voluntary and mutually agreed basis', 'in line with national legislation', 'consistent with international law',
  'as appropriate', 'all relevant stakeholders', 'the Member States concerned', 'further consultations',
];
const NEW_PARAGRAPHS = [
  'The Group further recognized the need for sustained and predictable funding for capacity-building.',
  'Member States underscored the importance of transparency and confidence-building measures.',
  'Delegations called for the full and effective participation of developing countries in the work of the Group.',
  'The Group agreed to continue its consideration of this matter at its next session.',
];
const COMMENTS = ['Which report is meant here?', 'We can support this with a reference to agreed language.', 'Please bracket.', 'Too prescriptive for us.', 'Flexible.'];
const RATIONALES = ['', '', 'Agreed language from A/78/265.', 'Closer to the mandate.', 'Stronger.'];

/** Proposals against the contested paragraph where typing is measured, and against the second paragraph. */
const BUSY_PROPOSALS = 24;
const FIRST_BUSY_PROPOSALS = 8;

/** Every textblock of the generated JSON with its own leading text (footnotes are inline nodes after it). */
function collectParagraphs(json: NodeJSON): Map<string, TargetParagraph> {
  const found = new Map<string, TargetParagraph>();
  const walk = (node: NodeJSON, topLevel: boolean): void => {
    const pid = node.attrs?.pid;
    if (typeof pid === 'string' && pid !== '') {
      const first = node.content?.[0];
      found.set(pid, { pid, type: node.type, text: first?.type === 'text' ? (first.text ?? '') : '', body: topLevel && node.type === 'numbered_paragraph' });
      return;
    }
    for (const child of node.content ?? []) walk(child, node.type === 'doc');
  };
  walk(json, false);
  return found;
}

/** A span of one to three whole words of `text`, as paragraph offsets. */
function wordSpan(text: string, next: () => number): { from: number; to: number } | null {
  const words: Array<{ from: number; to: number }> = [];
  const pattern = /[A-Za-z][A-Za-z-]*/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) words.push({ from: match.index, to: match.index + match[0].length });
  if (words.length === 0) return null;
  const start = Math.floor(next() * words.length);
  const end = Math.min(words.length - 1, start + Math.floor(next() * 3));
  return { from: (words[start] as { from: number }).from, to: (words[end] as { to: number }).to };
}

/** A stepping clock from a fixed date, so ids and order are reproducible. */
function steppingClock(start: number): () => Date {
  let at = start;
  return () => new Date((at += 1000));
}

/** Builds the document and tables `scale.proposals` proposals from `scale.delegations` delegations. */
export function generateNegotiation(scale: NegotiationScale): GeneratedNegotiation {
  const next = seededRandom(scale.seed ?? 11);
  let started = performance.now();
  const document = generateDocument({ blocks: scale.blocks, charsPerBlock: 120, seed: 7 });
  const text = prosemirrorJSONToYDoc(schema, document.json, TEXT_FRAGMENT);
  const textMs = performance.now() - started;

  const paragraphs = collectParagraphs(document.json);
  const registry = bundledRegistry();
  const codes = registry.memberStates.slice(0, scale.delegations).map((state) => state.code);
  if (codes.length < scale.delegations) throw new Error(`The registry holds ${codes.length} member States; ${scale.delegations} asked for.`);
  const delegations = new Map(codes.map((code) => [code, new Y.Doc()]));
  const docs = { text, chair: new Y.Doc(), delegations };
  const clock = steppingClock(Date.UTC(2026, 5, 1, 9));
  let idCounter = 0;
  const negotiators = codes.map(
    (code) =>
      new DelegationNegotiator(code, docs, {
        person: `Delegate of ${code}`,
        isKnownCode: (c) => registry.isKnownCode(c),
        now: clock,
        randomId: () => (idCounter++).toString(36).padStart(6, '0'),
      }),
  );

  // Proposals go where delegations negotiate: numbered paragraphs and their sub-paragraphs (not the title, headings
  // or the table of meetings). One paragraph in the middle and one near the top draw many, as a contested one does.
  const candidates = [...paragraphs.values()].filter((p) => (p.type === 'numbered_paragraph' || p.type === 'paragraph') && p.text.length > 20);
  const bodies = candidates.filter((p) => p.body);
  const busy = bodies[Math.floor(bodies.length / 2)] as TargetParagraph;
  const firstBusy = bodies[1] as TargetParagraph;
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

  const proposals: Proposal[] = [];
  const byKind: Record<string, number> = {};
  started = performance.now();
  for (let i = 0; i < scale.proposals; i += 1) {
    const negotiator = negotiators[i % negotiators.length] as DelegationNegotiator;
    // A contested paragraph in the middle draws two dozen proposals, the second paragraph eight; the rest spread.
    const target = i < BUSY_PROPOSALS ? busy : i < BUSY_PROPOSALS + FIRST_BUSY_PROPOSALS ? firstBusy : pick(candidates);
    const roll = next();
    let draft: ProposalDraft;
    if (roll < 0.7 || !target.body) {
      const span = wordSpan(target.text, next) ?? { from: 0, to: 0 };
      if (roll < 0.05) draft = { kind: 'replace', pid: target.pid, span, text: '' };
      else if (roll < 0.1) draft = { kind: 'replace', pid: target.pid, span: { from: span.from, to: span.from }, text: `${pick(REPLACEMENTS)} ` };
      else if (roll >= 0.62 && roll < 0.7) draft = { kind: 'comment', pid: target.pid, span, text: pick(COMMENTS) };
      else draft = { kind: 'replace', pid: target.pid, span, text: pick(REPLACEMENTS) };
    } else if (roll < 0.82) draft = { kind: 'new-paragraph', pid: target.pid, text: pick(NEW_PARAGRAPHS) };
    else if (roll < 0.9) draft = { kind: 'delete-paragraph', pid: target.pid };
    else draft = { kind: 'comment', pid: target.pid, text: pick(COMMENTS) };
    const rationale = pick(RATIONALES);
    if (rationale !== '') draft = { ...draft, rationale };
    if (next() < 0.1) {
      const cosponsor = pick(codes);
      if (cosponsor !== negotiator.code) draft = { ...draft, cosponsors: [cosponsor] };
    }
    const proposal = negotiator.propose(draft);
    proposals.push(proposal);
    byKind[proposal.kind] = (byKind[proposal.kind] ?? 0) + 1;
  }
  const proposeMs = performance.now() - started;

  started = performance.now();
  let positions = 0;
  const kinds = ['support', 'support', 'oppose', 'cosponsor'] as const;
  for (let i = 0; i < scale.positions; i += 1) {
    const negotiator = negotiators[i % negotiators.length] as DelegationNegotiator;
    const proposal = pick(proposals);
    if (proposal.author.code === negotiator.code) continue;
    negotiator.setPosition(proposal.id, pick(kinds));
    positions += 1;
  }
  const positionsMs = performance.now() - started;

  started = performance.now();
  const textUpdate = Y.encodeStateAsUpdate(text);
  const updates = [
    { ydoc: TEXT_YDOC, update: textUpdate },
    { ydoc: CHAIR_YDOC, update: Y.encodeStateAsUpdate(docs.chair) },
    ...codes.map((code) => ({ ydoc: delegationYDoc(code), update: Y.encodeStateAsUpdate(delegations.get(code) as Y.Doc) })),
  ];
  const encodeMs = performance.now() - started;
  const delegationBytes = updates.slice(2).reduce((sum, { update }) => sum + update.byteLength, 0);

  return {
    document,
    docs,
    codes,
    proposals,
    positions,
    byKind,
    busyPid: busy.pid,
    firstBusyPid: firstBusy.pid,
    paragraphs,
    updates,
    timings: { textMs, proposeMs, positionsMs, encodeMs },
    bytes: { text: textUpdate.byteLength, delegations: delegationBytes },
  };
}
