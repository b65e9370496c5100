/**
 * Recognizes the UN masthead at the top of a Word document (symbol, "Distr.: General", date, "Original: English",
 * session and agenda lines, then the bold title) so its parts fill the header node instead of becoming paragraphs.
 * A masthead needs a symbol near the top with a "Distr.", "Original:" or organ line beside it, or (symbol still
 * blank) two such lines at the very top; a document without one keeps the header's defaults.
 */
import type { HeaderField } from '../schema/nodes/header.ts';

/** One of the first blocks of a document, reduced to what the masthead test reads. */
export interface MastheadCandidate {
  /** Its text cut into lines at line breaks, tabs and wide spaces, trimmed, blanks dropped. */
  lines: string[];
  /** Whether every character of its text is bold (a UN title is). */
  allBold: boolean;
  /** Whether its paragraph style is the title style. */
  titleStyle: boolean;
  /** Tables hold the masthead in many UN templates; a table is never the title. */
  table: boolean;
}

/** What was recognized. */
export interface Masthead {
  fields: Partial<Record<HeaderField, string>>;
  /** The candidate that is the title, or null when none was recognized. */
  title: number | null;
  /** How many leading candidates the masthead (title included) takes. */
  consumed: number;
}

/** How far into a document the symbol is looked for, and how many blocks a masthead may span. */
const SYMBOL_WITHIN = 8;
const MASTHEAD_WITHIN = 25;

/** A UN document symbol: A/78/265, A/AC.292/2024/L.1, E/CN.6/2024/L.3, CCW/GGE.1/2023/2, A/HRC/55/L.1/Rev.1. */
const SYMBOL = /^[A-Z]{1,10}(?:\.\d+)?(?:\/[A-Za-z0-9][A-Za-z0-9.()-]*)+$/;
const DISTRIBUTION = /^distr\.?\s*:?\s*(.+)$/i;
const ORIGINAL = /^original\s*:\s*(.+)$/i;
const DATE = /^(?:\d{1,2}\s+\p{L}+\s+\d{4}|\p{L}+\s+\d{1,2},\s+\d{4})$/u;
const AGENDA = /^(?:agenda\s+items?|items?)\b/i;
/** Organ lines of the masthead, which the house format prints itself. */
const ORGANS: ReadonlySet<string> = new Set([
  'united nations',
  'nations unies',
  'general assembly',
  'security council',
  'economic and social council',
  'trusteeship council',
  'human rights council',
]);

/** Cuts a block's text into masthead lines. */
export function mastheadLines(text: string): string[] {
  return text
    .split(/\n|\t| {2,}/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

/** Whether a token is a UN document symbol. */
export function isDocumentSymbol(token: string): boolean {
  return SYMBOL.test(token) && /\d/.test(token) && token.includes('/');
}

/** The symbol in a line, if the line is a symbol or ends with one ("United Nations A/78/265"). */
function symbolIn(line: string): string | null {
  if (isDocumentSymbol(line)) return line;
  const last = line.split(' ').pop() ?? '';
  return isDocumentSymbol(last) ? last : null;
}

/** Whether a line is one of the fixed masthead lines (symbol, distribution, original, date, organ). */
function isMastheadLine(line: string): boolean {
  return symbolIn(line) !== null || DISTRIBUTION.test(line) || ORIGINAL.test(line) || DATE.test(line) || ORGANS.has(line.toLowerCase());
}

/** Recognizes a masthead among the first candidates, or returns null when there is no symbol near the top. */
export function recognizeMasthead(candidates: readonly MastheadCandidate[]): Masthead | null {
  const region = candidates.slice(0, MASTHEAD_WITHIN);
  let symbolAt = -1;
  let symbol = '';
  for (let index = 0; index < Math.min(region.length, SYMBOL_WITHIN) && symbolAt < 0; index += 1) {
    for (const line of (region[index] as MastheadCandidate).lines) {
      const found = symbolIn(line);
      if (found) {
        symbolAt = index;
        symbol = found;
        break;
      }
    }
  }
  const kinds = (candidate: MastheadCandidate): Set<string> => {
    const found = new Set<string>();
    for (const line of candidate.lines) {
      if (DISTRIBUTION.test(line)) found.add('distribution');
      else if (ORIGINAL.test(line)) found.add('original');
      else if (ORGANS.has(line.toLowerCase())) found.add('organ');
    }
    return found;
  };
  if (symbolAt >= 0) {
    // A symbol alone is not a masthead (a paragraph may cite "A/78/265"): a distribution, original-language or
    // organ line must stand near it too.
    if (!region.slice(0, SYMBOL_WITHIN + 2).some((candidate) => kinds(candidate).size > 0)) return null;
  } else {
    // A masthead whose symbol is still blank: two kinds of masthead line at the very top ("United Nations", "Distr.").
    const top = region.slice(0, 3);
    const seen = new Set(top.flatMap((candidate) => [...kinds(candidate)]));
    if (seen.size < 2) return null;
    symbolAt = top.findIndex((candidate) => kinds(candidate).size > 0);
  }

  // The title: a paragraph in the title style, or after the symbol the first wholly bold paragraph that is not a
  // fixed masthead line. Without one, the masthead ends with the last block holding a fixed masthead line.
  let title: number | null = null;
  let lastFixed = symbolAt;
  for (let index = 0; index < region.length; index += 1) {
    const candidate = region[index] as MastheadCandidate;
    const isTitle =
      !candidate.table && candidate.lines.length > 0 && (candidate.titleStyle || (index > symbolAt && candidate.allBold && !candidate.lines.some(isMastheadLine)));
    if (isTitle) {
      title = index;
      break;
    }
    if (candidate.lines.some(isMastheadLine)) lastFixed = index;
  }
  const end = title ?? lastFixed + 1;

  const fields: Partial<Record<HeaderField, string>> = symbol === '' ? {} : { symbol };
  const session: string[] = [];
  const agenda: string[] = [];
  for (let index = 0; index < end; index += 1) {
    for (const line of (region[index] as MastheadCandidate).lines) {
      const distribution = DISTRIBUTION.exec(line);
      const original = ORIGINAL.exec(line);
      if (symbolIn(line) !== null || ORGANS.has(line.toLowerCase())) continue; // printed by the house format itself
      if (distribution) fields.distribution = (distribution[1] as string).trim();
      else if (original) fields.originalLanguage = (original[1] as string).trim();
      else if (DATE.test(line) && fields.date === undefined) fields.date = line;
      else if (agenda.length > 0 || AGENDA.test(line)) agenda.push(line);
      else session.push(line);
    }
  }
  if (session.length > 0) fields.session = session.join('\n');
  if (agenda.length > 0) fields.agenda = agenda.join('\n');
  return { fields, title, consumed: title === null ? end : title + 1 };
}
