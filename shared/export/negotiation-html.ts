/**
 * The two negotiation exports that are read rather than edited, as standalone HTML pages in the house style (and so
 * as PDF, printed from them): the compilation (every paragraph with the proposals made on it) and the inline redline
 * of a comparison (deletions struck through, insertions underlined). Every text is escaped; the pages carry no
 * script and a Content-Security-Policy that forbids any.
 */
import type { Comparison, ComparisonEntry, WordDiff } from '../compare/index.ts';
import { FOOTNOTE_CLOSE, FOOTNOTE_OPEN, LINE_BREAK, type ComparedBlock } from '../compare/index.ts';
import type { NegotiationView, ParagraphView, ProposalView } from '../model/negotiation/index.ts';
import { DECISION_LABELS, describeKind, PARAGRAPH_STATUS_LABELS, STATUS_LABELS } from '../model/negotiation/labels.ts';
import { escapeHtml } from './escape.ts';
import { standalonePage } from './html.ts';

/** Times New Roman 12 pt on A4, hanging numbers: the same page as the clean HTML export. */
const STYLE = `
@page { size: A4; margin: 2.5cm 2.2cm; }
body { margin: 0; background: #fff; color: #000; font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.25; }
main { box-sizing: border-box; max-width: 21cm; margin: 0 auto; padding: 2cm 2.2cm; }
.un-masthead { width: 100%; border-collapse: collapse; }
.un-masthead td { padding: 0 0 4pt; border-bottom: 1.5pt solid #000; vertical-align: bottom; }
.un-org { font-size: 10pt; }
.un-symbol { text-align: right; font-size: 16pt; font-weight: bold; }
h1 { font-size: 14pt; font-weight: bold; margin: 14pt 0 4pt; }
.subtitle { margin: 0 0 14pt; }
.summary { margin: 0 0 14pt; font-style: italic; }
.block { margin: 0 0 8pt; padding-left: 1.5cm; text-indent: -1.5cm; text-align: justify; page-break-inside: avoid; }
.block.heading { font-weight: bold; margin-top: 14pt; }
.number { display: inline-block; width: 1.5cm; text-indent: 0; }
.kind { font-size: 10pt; font-style: italic; margin-left: 6pt; }
ins { text-decoration: underline; font-weight: bold; }
del { text-decoration: line-through; }
.fn { font-size: 10pt; }
.status { font-size: 10pt; font-style: italic; }
.proposals { list-style: none; margin: 0 0 10pt 1.5cm; padding: 0; }
.proposal { margin: 0 0 6pt; padding: 3pt 0 3pt 8pt; border-left: 1.5pt solid #777; page-break-inside: avoid; }
.proposal p { margin: 0 0 2pt; }
.who { font-weight: bold; }
.meta { font-size: 10pt; }
.gone { margin-top: 18pt; }
`;

/** A complete page around `body`. */
function page(title: string, body: string): string {
  return standalonePage(title, STYLE, `${body}\n`);
}

/** The masthead, a bold title line and a line saying what this page is. */
function masthead(symbol: string, title: string, subtitle: string): string {
  return [
    '<table class="un-masthead"><tr>',
    '<td class="un-org">United Nations</td>',
    `<td class="un-symbol">${escapeHtml(symbol)}</td>`,
    '</tr></table>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">${escapeHtml(subtitle)}</p>`,
  ].join('\n');
}

/**
 * Text as compared or quoted, escaped, with footnote text (between the comparison's markers) shown small in
 * brackets and line breaks kept.
 */
function textHtml(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const open = rest.indexOf(FOOTNOTE_OPEN);
    if (open < 0) break;
    const close = rest.indexOf(FOOTNOTE_CLOSE, open + 1);
    if (close < 0) break;
    out += lines(rest.slice(0, open));
    out += `<span class="fn">[${lines(rest.slice(open + 1, close))}]</span>`;
    rest = rest.slice(close + 1);
  }
  // A marker cut in two by a word run (an opening here, its closing in the next run) prints as a bracket.
  return out + lines(rest.replaceAll(FOOTNOTE_OPEN, '[').replaceAll(FOOTNOTE_CLOSE, ']'));
}

function lines(text: string): string {
  return escapeHtml(text).replaceAll(LINE_BREAK, '<br>');
}

function runsHtml(runs: readonly WordDiff[]): string {
  return runs
    .map((run) => (run.op === 'insert' ? `<ins>${textHtml(run.text)}</ins>` : run.op === 'delete' ? `<del>${textHtml(run.text)}</del>` : textHtml(run.text)))
    .join('');
}

/** Options of {@link redlineHtml}. */
export interface RedlineHtmlOptions {
  /** The document symbol, for the masthead. */
  symbol: string;
  /** The document's title. */
  title: string;
  /** What the two sides are called ("Zero draft", "Current text"). */
  beforeLabel: string;
  afterLabel: string;
}

const KIND_NOTES: Readonly<Record<ComparisonEntry['kind'], string>> = {
  unchanged: '',
  changed: '',
  added: 'added',
  deleted: 'deleted',
  moved: 'moved',
};

/** A numbered paragraph's number prints with its full stop ("7 bis."), as in the clean text; labels have their own. */
function printedNumber(number: string | undefined, type: string | undefined): string {
  if (!number) return '';
  return type === 'numbered_paragraph' ? `${number}.` : number;
}

function entryNumber(entry: ComparisonEntry): string {
  const after = entry.after?.number;
  const before = entry.before?.number;
  if (after && before && after !== before) return `${before} → ${printedNumber(after, entry.after?.type)}`;
  return entry.after ? printedNumber(after, entry.after.type) : printedNumber(before, entry.before?.type);
}

/**
 * The inline redline of a comparison as a page: every paragraph of the later version in order (deleted ones where
 * they stood), deleted words struck through and inserted ones underlined in bold, with the counts above.
 */
export function redlineHtml(comparison: Comparison, options: RedlineHtmlOptions): string {
  const { summary } = comparison;
  const counts = `${summary.changed} changed, ${summary.added} added, ${summary.deleted} deleted, ${summary.moved} moved`;
  const body: string[] = [
    masthead(options.symbol, options.title, `Comparison of ${options.beforeLabel} with ${options.afterLabel}`),
    `<p class="summary">${escapeHtml(counts)}. Deleted text is struck through; inserted text is in bold and underlined.</p>`,
  ];
  for (const entry of comparison.entries) {
    const side = entry.after ?? entry.before;
    // The title is in the masthead already.
    if (side?.type === 'title') continue;
    const heading = side?.type === 'heading' ? ' heading' : '';
    const note = KIND_NOTES[entry.kind];
    body.push(
      `<p class="block${heading}" data-kind="${entry.kind}"><span class="number">${escapeHtml(entryNumber(entry))}</span>${runsHtml(entry.words)}${
        note ? `<span class="kind">(${note})</span>` : ''
      }</p>`,
    );
  }
  return page(`${options.symbol} ${options.beforeLabel} – ${options.afterLabel}`.trim(), body.join('\n'));
}

/** Options of {@link compilationHtml}. */
export interface CompilationHtmlOptions {
  symbol: string;
  title: string;
  /** The date the compilation stands at, as printed ("2026-07-08"). */
  asOf: string;
  /** The delegation's display name for a code ("France"); the code when unknown. */
  participantName: (code: string) => string;
}

/** What the proposal asks, with deletions struck through and insertions bold-underlined. */
function proposalWording(view: ProposalView, numberOf: (pid: string) => string): string {
  const { kind, quote, text, afterPid } = view.proposal;
  switch (kind) {
    case 'replace':
      return [quote ? `<del>${textHtml(quote)}</del>` : '', text ? `<ins>${textHtml(text)}</ins>` : ''].filter(Boolean).join(' ');
    case 'new-paragraph':
      return `<ins>${textHtml(text)}</ins>`;
    case 'delete-paragraph':
      return `<del>${textHtml(quote)}</del>`;
    case 'move-paragraph':
      return afterPid ? `Move after paragraph ${escapeHtml(numberOf(afterPid) || 'no longer in the text')}` : 'Move to the start';
    case 'comment':
      return `<em>${textHtml(text)}</em>`;
  }
}

function proposalHtml(view: ProposalView, options: CompilationHtmlOptions, numberOf: (pid: string) => string): string {
  const name = options.participantName;
  const { proposal, positions, decision } = view;
  const cosponsors = positions.cosponsor.map((entry) => name(entry.code));
  const who = `${escapeHtml(name(proposal.author.code))}${cosponsors.length ? ` (co-sponsored by ${escapeHtml(cosponsors.join(', '))})` : ''}`;
  const meta: string[] = [];
  if (positions.support.length) meta.push(`Supported by ${positions.support.map((entry) => name(entry.code)).join(', ')}.`);
  if (positions.oppose.length) meta.push(`Opposed by ${positions.oppose.map((entry) => name(entry.code)).join(', ')}.`);
  let status = `Status: ${view.status === 'merged' ? DECISION_LABELS.merged : STATUS_LABELS[view.status]}`;
  if (decision) status = `Status: ${DECISION_LABELS[decision.kind]} (${decision.reason})`;
  if (view.overtaken) status += ' · overtaken: the text no longer reads as quoted';
  meta.push(`${status}.`);
  if (proposal.revision) meta.push(`Made against ${proposal.revision}.`);
  const modified = decision?.modifiedText !== undefined ? `<p class="meta">As modified: <ins>${textHtml(decision.modifiedText)}</ins></p>` : '';
  const rationale = proposal.rationale ? `<p class="meta">Rationale: ${textHtml(proposal.rationale)}</p>` : '';
  return [
    `<li class="proposal" data-status="${escapeHtml(view.status)}">`,
    `<p><span class="who">${who}</span> · ${escapeHtml(describeKind(view.proposal.kind, view.proposal.quote, view.proposal.text))}</p>`,
    `<p>${proposalWording(view, numberOf)}</p>`,
    rationale,
    modified,
    `<p class="meta">${escapeHtml(meta.join(' '))}</p>`,
    '</li>',
  ]
    .filter(Boolean)
    .join('\n');
}

function paragraphStatus(paragraph: ParagraphView | undefined): string {
  if (!paragraph || paragraph.displayed === 'open') return '';
  return ` <span class="status">[${escapeHtml(PARAGRAPH_STATUS_LABELS[paragraph.displayed])}]</span>`;
}

/**
 * The compilation as a page: every paragraph of the current text with its number in force, then the proposals made
 * on it (delegation and co-sponsors, kind, wording, support and objection, status), then proposals on paragraphs
 * no longer in the text.
 */
export function compilationHtml(blocks: readonly ComparedBlock[], negotiation: NegotiationView, options: CompilationHtmlOptions): string {
  const numbers = new Map<string, string>();
  for (const block of blocks) if (block.pid !== null && block.number !== undefined) numbers.set(block.pid, block.number);
  const numberOf = (pid: string): string => numbers.get(pid) ?? '';
  const total = negotiation.proposals.length;
  const body: string[] = [
    masthead(options.symbol, options.title, `Compilation of proposals as at ${options.asOf}`),
    `<p class="summary">${total} ${total === 1 ? 'proposal' : 'proposals'}. Proposed deletions are struck through; proposed insertions are in bold and underlined.</p>`,
  ];
  const shown = new Set<string>();
  for (const block of blocks) {
    const paragraph = block.pid !== null ? negotiation.byPid.get(block.pid) : undefined;
    if (block.pid !== null) shown.add(block.pid);
    // The title is in the masthead; it is repeated only to carry proposals made on it.
    if (block.type === 'title' && !paragraph?.proposals.length) continue;
    const heading = block.type === 'heading' || block.type === 'title' ? ' heading' : '';
    const number = block.type === 'title' ? 'Title' : printedNumber(block.number, block.type);
    body.push(`<p class="block${heading}"><span class="number">${escapeHtml(number)}</span>${textHtml(block.text)}${paragraphStatus(paragraph)}</p>`);
    if (paragraph && paragraph.proposals.length > 0) {
      body.push('<ul class="proposals">', ...paragraph.proposals.map((view) => proposalHtml(view, options, numberOf)), '</ul>');
    }
  }
  const gone = negotiation.paragraphs.filter((paragraph) => !shown.has(paragraph.pid) && paragraph.proposals.length > 0);
  if (gone.length > 0) {
    body.push('<h2 class="gone">Proposals on paragraphs no longer in the text</h2>');
    for (const paragraph of gone) {
      body.push('<ul class="proposals">', ...paragraph.proposals.map((view) => proposalHtml(view, options, numberOf)), '</ul>');
    }
  }
  return page(`${options.symbol} compilation`.trim(), body.join('\n'));
}
