/**
 * The compilation as a Word document: the text with the paragraph numbers in force (bis, ter typed, since Word
 * numbering cannot say them), and under every paragraph each proposal on it (./proposals.ts), changes first and
 * then comments, each oldest first. Proposals on table cells follow the table; proposals whose paragraph is no
 * longer in the text close the document, so nothing recorded is ever left out.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { analyzeDocument } from '../../model/analyze.ts';
import type { NegotiationView, ParagraphView, ProposalView } from '../../model/negotiation/index.ts';
import { exportLabels } from '../labels.ts';
import { AFTER_TABLE, BodyWriter, pidOf, type WrittenBlock } from './body.ts';
import { documentParts, documentTitle } from './clean.ts';
import { headerBlock, headerTexts, plainHeader } from './header.ts';
import { Progress, type DocxExportOptions } from './options.ts';
import { roleParagraph } from './paragraphs.ts';
import { PARAGRAPH_STATUS_LABELS } from '../../model/negotiation/labels.ts';
import { clip, proposalParagraphs, type ProposalNaming } from './proposals.ts';
import { inlinePieces, textPieces, WordWriter } from './runs.ts';
import { packDocument, STYLE } from './style.ts';
import type { Xml } from './xml.ts';

/** Options of {@link compilationDocx}. */
export interface CompilationDocxOptions extends DocxExportOptions {
  /** The paragraph numbers in force, pid -> "7" or "7 bis" (numbersInForce); without it paragraphs read 1..N. */
  numbers?: ReadonlyMap<string, string>;
  /** A delegation's or group's name from its code; without it the code is printed. */
  participantName?: (code: string) => string;
}

/**
 * How each paragraph is cited, by pid: numbered paragraphs by their number in force, headings by their letter,
 * sub-paragraphs as "12 (a)" (the renderer's numbering plugin cites them the same way).
 */
export function paragraphReferences(doc: ProseMirrorNode, numbers?: ReadonlyMap<string, string>): Map<string, string> {
  const analysis = analyzeDocument(doc);
  const references = new Map<string, string>();
  for (const paragraph of analysis.paragraphs) {
    if (paragraph.pid) references.set(paragraph.pid, numbers?.get(paragraph.pid) ?? paragraph.number);
  }
  for (const heading of analysis.headings) if (heading.pid) references.set(heading.pid, heading.label);
  for (const sub of analysis.subparagraphs) {
    if (!sub.pid) continue;
    const owner = sub.ownerPid ? references.get(sub.ownerPid) : undefined;
    references.set(sub.pid, owner ? `${owner} ${sub.label}` : sub.label);
  }
  return references;
}

/** Changes before comments, each group oldest first (the view lists them oldest first already). */
function ordered(proposals: readonly ProposalView[]): ProposalView[] {
  return [...proposals.filter((view) => view.proposal.kind !== 'comment'), ...proposals.filter((view) => view.proposal.kind === 'comment')];
}

/**
 * Every paragraph (numbers in force: bis/ter) with its proposals under it: delegation (+ co-sponsors), kind,
 * insertions bold-underlined, deletions struck through, support/objection, status (decision), comments.
 */
export async function compilationDocx(doc: ProseMirrorNode, negotiation: NegotiationView, options: CompilationDocxOptions = {}): Promise<Uint8Array> {
  const { header, title, blocks } = documentParts(doc);
  const progress = new Progress(blocks.length + negotiation.proposals.length + 1, options.onProgress);
  const word = new WordWriter();
  const labels = exportLabels(doc);
  const references = paragraphReferences(doc, options.numbers);
  const naming: ProposalNaming = {
    reference: (pid) => references.get(pid) ?? null,
    name: (code) => options.participantName?.(code) ?? code,
  };
  const written = new Set<string>();

  /** The paragraph's status (when not open) and its proposals, after it. */
  const proposalsOf = (paragraph: ParagraphView, node: ProseMirrorNode | null, out: Xml[]): void => {
    written.add(paragraph.pid);
    // 'Under negotiation' only says it has pending proposals, which follow; stored statuses are news.
    if (paragraph.status !== 'open') {
      const reason = paragraph.stored?.reason.trim();
      const line = `Paragraph status: ${PARAGRAPH_STATUS_LABELS[paragraph.status]}${reason ? ` (${reason})` : ''}`;
      out.push(word.paragraph({ style: STYLE.proposalHead }, word.runs(textPieces(line), { base: { italics: true } })));
    }
    for (const view of ordered(paragraph.proposals)) {
      out.push(...proposalParagraphs(view, node, naming, word));
      progress.step();
    }
  };
  const after = (block: WrittenBlock, out: Xml[]): void => {
    const pid = pidOf(block.node);
    const paragraph = pid === null ? undefined : negotiation.byPid.get(pid);
    if (paragraph && !written.has(paragraph.pid)) proposalsOf(paragraph, block.node, out);
  };
  const body = new BodyWriter(word, {
    numbering: 'typed',
    labels,
    paragraphNumber: (node, pos) => `${options.numbers?.get(pidOf(node) ?? '') ?? labels.paragraph(pos)}.`,
    afterTextblock: after,
    afterTable: (cells, out) => {
      for (const cell of cells) {
        const pid = pidOf(cell.node);
        const paragraph = pid === null ? undefined : negotiation.byPid.get(pid);
        if (!paragraph || written.has(paragraph.pid) || (paragraph.proposals.length === 0 && paragraph.status === 'open')) continue;
        const text = clip(cell.node.textContent.replace(/\s+/g, ' ').trim(), 80);
        out.push(word.paragraph({ style: STYLE.body, keepNext: true, ...AFTER_TABLE }, word.runs(textPieces(`On the table cell \u201c${text}\u201d:`), { base: { italics: true } })));
        proposalsOf(paragraph, cell.node, out);
      }
    },
  });

  const titleChildren: Xml[] = [roleParagraph(word, { kind: 'title' }, 'typed', title ? word.runs(inlinePieces(title)) : [], null, { pid: title ? pidOf(title) : null })];
  const withProposals = negotiation.paragraphs.filter((paragraph) => paragraph.proposals.length > 0).length;
  const note =
    `Compilation of proposals: ${negotiation.proposals.length} proposal${negotiation.proposals.length === 1 ? '' : 's'} on ${withProposals} ` +
    `paragraph${withProposals === 1 ? '' : 's'}. Proposed insertions are in bold underlined type and proposed deletions struck through. ` +
    'Paragraph numbers are those in force: paragraphs added since the last revision are numbered bis, ter.';
  titleChildren.push(word.paragraph({ style: STYLE.note }, word.runs(textPieces(note))));
  const titlePid = title ? pidOf(title) : null;
  const titleView = titlePid === null ? undefined : negotiation.byPid.get(titlePid);
  if (titleView) proposalsOf(titleView, title, titleChildren);
  const children: Xml[] = headerBlock(plainHeader(header), word, { title: titleChildren, changes: 'formatted' });

  blocks.forEach(({ node, pos }, index) => {
    body.block(node, pos, children, blocks[index + 1]?.node ?? null);
    progress.step();
  });

  // Proposals whose paragraph is gone (or was not found in this text): listed last, never dropped.
  const rest = negotiation.paragraphs.filter((paragraph) => !written.has(paragraph.pid) && paragraph.proposals.length > 0);
  if (rest.length > 0) {
    children.push(word.paragraph({ style: STYLE.heading1 }, word.runs(textPieces('Proposals on paragraphs no longer in the text'))));
    for (const paragraph of rest) {
      const first = paragraph.proposals[0];
      const quote = first && first.proposal.kind !== 'new-paragraph' && first.proposal.kind !== 'move-paragraph' ? first.proposal.quote : '';
      const line = quote ? `A paragraph since deleted (the proposals quote \u201c${clip(quote, 160)}\u201d):` : 'A paragraph since deleted:';
      children.push(word.paragraph({ style: STYLE.body, keepNext: true }, word.runs(textPieces(line), { base: { italics: true } })));
      proposalsOf(paragraph, null, children);
    }
  }

  const bytes = await packDocument({
    title: documentTitle(title, header, options.title),
    symbol: headerTexts(header).symbol,
    body: children,
    word,
  });
  progress.finish();
  return bytes;
}
