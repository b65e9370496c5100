/**
 * The UN header block in Word: the masthead ("United Nations", the symbol large on the right, a rule), the organ
 * row ("General Assembly", then Distr., date and Original on the right, a heavy rule), the session and agenda
 * lines (the first session line bold) and the title. Each field arrives as pieces, so the comparison can show a
 * changed date or symbol as a tracked change and the clean text as plain runs.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { diffWords, type WordDiff } from '../../compare/words.ts';
import { headerField, headerLines } from '../labels.ts';
import { STYLE, SIZE, TEXT_WIDTH } from './style.ts';
import type { ChangeStyle, Op, ParagraphOptions, Piece, WordWriter } from './runs.ts';
import { table, type Border, type RunFormat, type TableCellSpec } from './wordml.ts';
import type { Xml } from './xml.ts';

/** The header fields as pieces, ready to print. */
export interface HeaderContent {
  readonly symbol: readonly Piece[];
  readonly distribution: readonly Piece[];
  readonly date: readonly Piece[];
  readonly originalLanguage: readonly Piece[];
  /** The session lines, separated by line breaks. */
  readonly session: readonly Piece[];
  /** The agenda lines, separated by line breaks. */
  readonly agenda: readonly Piece[];
}

/** The printed text of each field of a header node (defaults filled in, multi-line fields joined by newlines). */
export function headerTexts(header: ProseMirrorNode | null): Record<keyof HeaderContent, string> {
  const attrs = header?.attrs ?? {};
  return {
    symbol: headerField(attrs['symbol']),
    distribution: headerField(attrs['distribution']) || 'General',
    date: headerField(attrs['date']),
    originalLanguage: headerField(attrs['originalLanguage']) || 'English',
    session: headerLines(attrs['session']).join('\n'),
    agenda: headerLines(attrs['agenda']).join('\n'),
  };
}

/** Pieces of a text whose newlines are line breaks. */
function linePieces(text: string, op: Op): Piece[] {
  const pieces: Piece[] = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) pieces.push({ kind: 'break', op });
    if (line) pieces.push({ kind: 'text', op, text: line, marks: [] });
  });
  return pieces;
}

/** Pieces of a word diff, newlines as line breaks. */
function diffPieces(runs: readonly WordDiff[]): Piece[] {
  return runs.flatMap((run) => linePieces(run.text, run.op));
}

/** The header of one version, every field unchanged. */
export function plainHeader(header: ProseMirrorNode | null): HeaderContent {
  const texts = headerTexts(header);
  return {
    symbol: linePieces(texts.symbol, 'equal'),
    distribution: linePieces(texts.distribution, 'equal'),
    date: linePieces(texts.date, 'equal'),
    originalLanguage: linePieces(texts.originalLanguage, 'equal'),
    session: linePieces(texts.session, 'equal'),
    agenda: linePieces(texts.agenda, 'equal'),
  };
}

/** The header of a comparison: each field's word differences from `before` to `after`. */
export function comparedHeader(before: ProseMirrorNode | null, after: ProseMirrorNode | null): HeaderContent {
  const old = headerTexts(before);
  const now = headerTexts(after);
  const field = (name: keyof HeaderContent): Piece[] => diffPieces(diffWords(old[name], now[name]));
  return {
    symbol: field('symbol'),
    distribution: field('distribution'),
    date: field('date'),
    originalLanguage: field('originalLanguage'),
    session: field('session'),
    agenda: field('agenda'),
  };
}

const NONE: Border = { style: 'none', size: 0, color: 'FFFFFF' };

/** A cell of the masthead: no borders but the rule below it, no side padding. */
function mastheadCell(paragraphs: Xml[], columnSpan: number, rule: number, align: 'top' | 'bottom'): TableCellSpec {
  return {
    paragraphs,
    columnSpan,
    rowSpan: 1,
    verticalAlign: align,
    margins: { left: 0, right: 0, top: 0, bottom: 80 },
    borders: { top: NONE, left: NONE, right: NONE, bottom: { style: 'single', size: rule, color: '000000' } },
  };
}

/**
 * The masthead and the organ row as one borderless table (two tables in a row would fuse into one in Word): a
 * 1.5 pt rule under "United Nations" and the symbol, a 3 pt rule under the organ and the distribution block.
 * Three grid columns let the first row split 45/55 and the second 60/40, as the printed documents do.
 */
function masthead(symbol: Xml[], organ: Xml[], distribution: Xml[], unitedNations: Xml[]): Xml {
  const grid = [Math.round(TEXT_WIDTH * 0.45), Math.round(TEXT_WIDTH * 0.15)];
  grid.push(TEXT_WIDTH - (grid[0] as number) - (grid[1] as number));
  return table({
    width: TEXT_WIDTH,
    columnWidths: grid,
    borders: { top: NONE, left: NONE, right: NONE, bottom: NONE, insideHorizontal: NONE, insideVertical: NONE },
    rows: [
      { cells: [mastheadCell(unitedNations, 1, 12, 'bottom'), mastheadCell(symbol, 2, 12, 'bottom')] },
      { cells: [mastheadCell(organ, 2, 24, 'bottom'), mastheadCell(distribution, 1, 24, 'top')] },
    ],
  });
}

/**
 * Which pieces of a multi-line field stand on its first line, which prints bold: a piece belongs to the first
 * line of the version it is in (equal pieces to both).
 */
function onFirstLine(pieces: readonly Piece[]): boolean[] {
  let beforeLine = 0;
  let afterLine = 0;
  return pieces.map((piece) => {
    if (piece.kind === 'break') {
      if (piece.op !== 'insert') beforeLine += 1;
      if (piece.op !== 'delete') afterLine += 1;
      return false;
    }
    return (piece.op === 'delete' ? beforeLine : afterLine) === 0;
  });
}

/** Text the house style prints the same in every version. */
function fixed(text: string): Piece[] {
  return [{ kind: 'text', op: 'equal', text, marks: [] }];
}

/** Options of {@link headerBlock}. */
export interface HeaderBlockOptions {
  /** The title paragraph(s), built by the caller (the title is a textblock like any other). */
  readonly title: readonly Xml[];
  /** How changed fields are written. */
  readonly changes: ChangeStyle;
}

/** The whole header block: masthead, organ row, session and agenda lines, title. */
export function headerBlock(content: HeaderContent, word: WordWriter, options: HeaderBlockOptions): Xml[] {
  const { changes } = options;
  const write = (pieces: readonly Piece[], base: RunFormat = {}) => word.runs(pieces, { changes, base });
  const line = (content: readonly Xml[], extra: ParagraphOptions = {}): Xml => word.paragraph({ style: STYLE.masthead, ...extra }, content);
  const small = { size: SIZE.small };
  // Written in this order (the distribution block first), which numbers a comparison's tracked changes.
  const distribution = [
    line([...write(fixed('Distr.: '), small), ...write(content.distribution, small)], { spacing: { before: 80 } }),
    line(write(content.date, small)),
    line([]),
    line([...write(fixed('Original: '), small), ...write(content.originalLanguage, small)]),
  ];
  const out: Xml[] = [
    masthead(
      [line(write(content.symbol, { size: SIZE.symbol, bold: true }), { alignment: 'right' })],
      [line(write(fixed('General Assembly'), { size: SIZE.organ, bold: true }))],
      distribution,
      [line(write(fixed('United Nations')))],
    ),
  ];
  if (content.session.length > 0) {
    const first = onFirstLine(content.session);
    const children = content.session.flatMap((piece, index) => write([piece], first[index] ? { bold: true } : {}));
    out.push(word.paragraph({ style: STYLE.session, spacing: { before: 240 } }, children));
  }
  if (content.agenda.length > 0) out.push(word.paragraph({ style: STYLE.session, spacing: { before: 200 } }, write(content.agenda)));
  out.push(...options.title);
  return out;
}
