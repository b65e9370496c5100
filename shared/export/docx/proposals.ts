/**
 * One proposal as a compilation prints it, in three paragraphs under the paragraph it is on: who proposed it (with
 * co-sponsors), what kind and where it stands; the proposed change (insertions bold-underlined, deletions struck
 * through, in the words around it when it still fits the text); then support and objection, the decision or
 * withdrawal, the rationale and agreed language, and when and by whom it was tabled. The wording follows the
 * negotiation panes (renderer/negotiation/labels.ts), which shared code cannot import.
 */
import type { Fragment, Node as ProseMirrorNode } from 'prosemirror-model';
import { CHAIR_CODE, type ProposalView } from '../../model/negotiation/index.ts';
import { DECISION_LABELS, describeKind, STATUS_LABELS } from '../../model/negotiation/labels.ts';
import { cleanText, textPieces, type Op, type Piece, type TextPiece, type WordWriter } from './runs.ts';
import { STYLE } from './style.ts';
import type { Xml } from './xml.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An ISO timestamp as a UN document dates things ("3 March 2026"), in UTC so every machine prints the same. */
export function printedDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] as string} ${date.getUTCFullYear()}`;
}

/** How many characters of the paragraph a compilation shows on each side of a proposed change. */
const CONTEXT = 90;

/** Text shortened to `max` characters at a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}\u2026`;
}

/** The text pieces of a slice of a paragraph, footnotes left out and line breaks read as spaces. */
function sliceText(fragment: Fragment): TextPiece[] {
  const pieces: TextPiece[] = [];
  fragment.forEach((child) => {
    if (child.isText) pieces.push({ kind: 'text', op: 'equal', text: child.text ?? '', marks: child.marks.filter((mark) => mark.type.name !== 'link') });
    else if (child.type.name === 'hard_break') pieces.push({ kind: 'text', op: 'equal', text: ' ', marks: [] });
  });
  return pieces;
}

/** The last (`side` 'before') or first ('after') `max` characters of pieces, cut at a word, with an ellipsis. */
function contextPieces(pieces: TextPiece[], side: 'before' | 'after'): TextPiece[] {
  const total = pieces.reduce((sum, piece) => sum + piece.text.length, 0);
  if (total <= CONTEXT) return pieces;
  const out: TextPiece[] = [];
  let left = CONTEXT;
  const ordered = side === 'before' ? [...pieces].reverse() : pieces;
  for (const piece of ordered) {
    if (left <= 0) break;
    if (piece.text.length <= left) {
      out.push(piece);
      left -= piece.text.length;
      continue;
    }
    let text = side === 'before' ? piece.text.slice(piece.text.length - left) : piece.text.slice(0, left);
    // Cut at a word boundary, so the context never starts or ends in the middle of a word.
    const space = side === 'before' ? text.indexOf(' ') : text.lastIndexOf(' ');
    if (space >= 0) text = side === 'before' ? text.slice(space + 1) : text.slice(0, space);
    out.push({ ...piece, text });
    left = 0;
  }
  if (side === 'before') {
    out.reverse();
    out.unshift({ kind: 'text', op: 'equal', text: '\u2026 ', marks: [] });
  } else out.push({ kind: 'text', op: 'equal', text: ' \u2026', marks: [] });
  return out;
}

/** The plain text of a slice as the negotiation quotes it (footnotes as `[^text]`, breaks as newlines). */
function sliceWording(fragment: Fragment): string {
  let text = '';
  fragment.forEach((child) => {
    if (child.isText) text += child.text ?? '';
    else if (child.type.name === 'hard_break') text += '\n';
    else if (child.type.name === 'footnote') text += `[^${child.textContent}]`;
    else text += '\ufffc';
  });
  return text;
}

/**
 * The change of a pending replacement in the words around it, when its span still reads its quote in `node`:
 * the words before, the quote struck through, the new words bold-underlined, the words after.
 */
function inContext(view: ProposalView, node: ProseMirrorNode | null): Piece[] | null {
  const span = view.span;
  if (node === null || span === null || view.status !== 'pending' || view.overtaken) return null;
  const size = node.content.size;
  if (!(Number.isInteger(span.from) && Number.isInteger(span.to) && span.from >= 0 && span.from <= span.to && span.to <= size)) return null;
  let quoted: Fragment;
  try {
    quoted = node.content.cut(span.from, span.to);
  } catch {
    return null;
  }
  if (sliceWording(quoted) !== view.proposal.quote) return null;
  return [
    ...contextPieces(sliceText(node.content.cut(0, span.from)), 'before'),
    ...sliceText(quoted).map((piece): TextPiece => ({ ...piece, op: 'delete' })),
    ...textPieces(view.proposal.text, 'insert'),
    ...contextPieces(sliceText(node.content.cut(span.to)), 'after'),
  ];
}

/** Pieces of a quoted text: quotation marks around it. */
function quoted(text: string, op: Op): Piece[] {
  return [...textPieces('\u201c'), ...textPieces(text, op), ...textPieces('\u201d')];
}

/** The proposed change as pieces: insertions and deletions tagged, for the compilation's formatting. */
function changePieces(view: ProposalView, node: ProseMirrorNode | null): Piece[] {
  const { proposal } = view;
  switch (proposal.kind) {
    case 'replace': {
      const context = inContext(view, node);
      if (context) return context;
      const out: Piece[] = [];
      if (proposal.quote !== '') out.push(...textPieces(proposal.quote, 'delete'));
      if (proposal.quote !== '' && proposal.text !== '') out.push(...textPieces(' \u2192 '));
      if (proposal.text !== '') out.push(...textPieces(proposal.text, 'insert'));
      return out;
    }
    case 'new-paragraph':
      return textPieces(proposal.text, 'insert');
    case 'delete-paragraph':
      return textPieces(clip(proposal.quote, 600), 'delete');
    case 'move-paragraph':
      return quoted(clip(proposal.quote, 300), 'equal');
    case 'comment':
      return proposal.quote !== '' && proposal.from !== null
        ? [...textPieces('On '), ...quoted(clip(proposal.quote, 200), 'equal'), ...textPieces(': '), ...textPieces(proposal.text)]
        : textPieces(proposal.text);
  }
}

/** How the compilation names things: paragraphs by reference, delegations by name. */
export interface ProposalNaming {
  /** How a paragraph is cited ("12", "12 bis", "12 (a)", "A."), or null. */
  reference(pid: string): string | null;
  /** A delegation's or group's name. */
  name(code: string): string;
}

/** "France (FRA)", or the code alone when no name is known; the Chair for a compromise. */
function attribution(code: string, naming: ProposalNaming): string {
  if (code === CHAIR_CODE) return 'Chair\u2019s compromise';
  const name = naming.name(code).trim();
  return name && name !== code ? `${name} (${code})` : code;
}

/** A list of delegations as printed ("Brazil (BRA), Chile (CHL)"). */
function names(codes: readonly string[], naming: ProposalNaming): string {
  return codes.map((code) => attribution(code, naming)).join(', ');
}

/** One stretch of the heading line and whether it prints bold. */
interface HeadPart {
  readonly piece: Piece;
  readonly bold: boolean;
}

/** The heading line: author, kind and place, status; co-sponsors on a second line. */
function headParts(view: ProposalView, naming: ProposalNaming): HeadPart[] {
  const { proposal } = view;
  const text = (value: string, bold = false): HeadPart => ({ piece: { kind: 'text', op: 'equal', text: value, marks: [] }, bold });
  let kind = describeKind(proposal.kind, proposal.quote, proposal.text);
  if (proposal.kind === 'move-paragraph') {
    kind += proposal.afterPid === null ? ' to the top' : ` to follow paragraph ${naming.reference(proposal.afterPid) ?? '(no longer in the text)'}`;
  } else if (proposal.kind === 'new-paragraph') {
    const anchor = naming.reference(proposal.pid);
    if (anchor) kind += ` to follow paragraph ${anchor}`;
  }
  const flags = [STATUS_LABELS[view.status]];
  if (view.overtaken) flags.push('Overtaken');
  if (view.orphaned) flags.push('Paragraph deleted');
  const parts = [text(attribution(proposal.author.code, naming), true), text(` \u2014 ${kind} `), text(`[${flags.join(', ')}]`, true)];
  const cosponsors = view.positions.cosponsor.map((entry) => entry.code);
  if (cosponsors.length > 0) {
    parts.push({ piece: { kind: 'break', op: 'equal' }, bold: false }, text(`Co-sponsored by: ${names(cosponsors, naming)}`));
  }
  return parts;
}

/** The detail lines: positions, decision or withdrawal, warnings, rationale, agreed language, tabling. */
function detailLines(view: ProposalView, naming: ProposalNaming): string[] {
  const { proposal } = view;
  const lines: string[] = [];
  if (view.positions.support.length > 0) lines.push(`Supported by: ${names(view.positions.support.map((entry) => entry.code), naming)}`);
  if (view.positions.oppose.length > 0) lines.push(`Opposed by: ${names(view.positions.oppose.map((entry) => entry.code), naming)}`);
  if (view.decision) {
    const decision = view.decision;
    let line = `${DECISION_LABELS[decision.kind]} by ${decision.by} on ${printedDate(decision.at)}: ${decision.reason}`;
    if (decision.modifiedText !== undefined) line += ` \u2014 as: \u201c${decision.modifiedText}\u201d`;
    lines.push(line);
  } else if (view.withdrawal) {
    const withdrawal = view.withdrawal;
    const recorded = withdrawal.recordedBy ? ` (recorded from the floor by ${withdrawal.recordedBy})` : '';
    lines.push(`Withdrawn by ${withdrawal.by} on ${printedDate(withdrawal.at)}${recorded}${withdrawal.reason ? `: ${withdrawal.reason}` : ''}`);
  } else {
    lines.push('Status: pending');
  }
  if (view.orphaned) lines.push('The paragraph has been deleted from the text since this proposal was made.');
  else if (view.targetGone) lines.push('The paragraph it was to follow has been deleted since.');
  else if (view.overtaken) {
    const now = view.wording.current;
    lines.push(
      now === null || now === ''
        ? 'Overtaken: the text has changed since this proposal was made and the words are gone.'
        : `Overtaken: the text has changed since this proposal was made; it now reads \u201c${clip(now, 300)}\u201d.`,
    );
  }
  if (view.lockedTarget) lines.push('The paragraph is agreed ad ref: nothing can be applied to it until the Chair reopens it.');
  if (proposal.rationale.trim()) lines.push(`Rationale: ${proposal.rationale.trim()}`);
  if (proposal.agreedLanguage) lines.push(`Agreed language: ${proposal.agreedLanguage}`);
  if (view.mergedFrom.length > 0) lines.push(`Compromise merging ${view.mergedFrom.length} proposal${view.mergedFrom.length === 1 ? '' : 's'}.`);
  let tabled = `Tabled on ${printedDate(proposal.createdAt)}`;
  if (proposal.author.name && proposal.author.name !== proposal.author.code) tabled += ` by ${proposal.author.name}`;
  if (proposal.recordedBy && proposal.author.code !== CHAIR_CODE) tabled += `, recorded from the floor by ${proposal.recordedBy}`;
  if (proposal.revision) tabled += `, against ${proposal.revision}`;
  lines.push(`${tabled}.`);
  return lines;
}

/** Grey for proposals no longer in play (withdrawn), so the eye skips them but nothing is hidden. */
const WITHDRAWN_COLOR = '7F7F7F';

/** The paragraphs of one proposal. */
export function proposalParagraphs(view: ProposalView, node: ProseMirrorNode | null, naming: ProposalNaming, word: WordWriter): Xml[] {
  const base = view.status === 'withdrawn' ? { color: WITHDRAWN_COLOR } : {};
  const headRuns = headParts(view, naming).flatMap((part) => word.runs([part.piece], { base: part.bold ? { ...base, bold: true } : base }));
  const change = changePieces(view, node);
  const details: Piece[] = [];
  detailLines(view, naming).forEach((line, index) => {
    if (index > 0) details.push({ kind: 'break', op: 'equal' });
    details.push(...textPieces(cleanText(line)));
  });
  const out = [word.paragraph({ style: STYLE.proposalHead }, headRuns)];
  if (change.length > 0) out.push(word.paragraph({ style: STYLE.proposalText }, word.runs(change, { base })));
  out.push(word.paragraph({ style: STYLE.proposalMeta }, word.runs(details, { base })));
  return out;
}
