/**
 * Computed numbering of a UN document: paragraph numbers (with bis, ter ... against the last revision), section
 * letters and sub-paragraph labels. Numbers are never stored; statuses and proposals refer to pids.
 */

/**
 * Latin multiplicative suffixes for paragraphs inserted after a numbered one: index 0 is the first insertion
 * ("23 bis"), index 18 the nineteenth ("23 vicies").
 */
export const INSERTION_SUFFIXES: readonly string[] = [
  'bis',
  'ter',
  'quater',
  'quinquies',
  'sexies',
  'septies',
  'octies',
  'novies',
  'decies',
  'undecies',
  'duodecies',
  'terdecies',
  'quaterdecies',
  'quindecies',
  'sexdecies',
  'septdecies',
  'octodecies',
  'novodecies',
  'vicies',
];

/**
 * The label of the `nth` paragraph (1-based) inserted after the paragraph numbered `anchor`: "7 bis", "7 ter" ...
 * Past "vicies" (the 19th insertion) Latin stops helping anyone, so the label becomes the anchor followed by
 * the multiplier in parentheses: the 20th insertion after 7 is "7 (21)", read "the 21st paragraph 7".
 */
export function insertedParagraphLabel(anchor: number, nth: number): string {
  if (!Number.isInteger(nth) || nth < 1) throw new RangeError(`insertion index must be a positive integer, got ${nth}`);
  const suffix = INSERTION_SUFFIXES[nth - 1];
  return suffix === undefined ? `${anchor} (${nth + 1})` : `${anchor} ${suffix}`;
}

/**
 * The number label of each numbered paragraph, in document order. `pids` are the numbered paragraphs' pids in
 * document order (null for a paragraph that has none yet, which counts as new).
 *
 * Without a baseline the paragraphs are numbered 1..N. With a baseline (pid -> number in the last revision), a
 * paragraph of the baseline keeps its number wherever it now stands; a paragraph added since takes the number
 * of the nearest baseline paragraph before it plus bis, ter ... (see {@link insertedParagraphLabel}); one added
 * before every baseline paragraph is numbered after a notional paragraph 0 ("0 bis"), so that the numbers of
 * the baseline stay untouched; a baseline paragraph deleted since simply vanishes and its number is not reused.
 */
export function paragraphNumberList(
  pids: readonly (string | null)[],
  baseline?: ReadonlyMap<string, number>,
): string[] {
  if (!baseline) return pids.map((_pid, index) => String(index + 1));
  const labels: string[] = [];
  let anchor = 0;
  let inserted = 0;
  for (const pid of pids) {
    const kept = pid === null ? undefined : baseline.get(pid);
    if (kept !== undefined) {
      anchor = kept;
      inserted = 0;
      labels.push(String(kept));
    } else {
      inserted += 1;
      labels.push(insertedParagraphLabel(anchor, inserted));
    }
  }
  return labels;
}

/**
 * The number label of each numbered paragraph, keyed by pid (the rules are those of {@link paragraphNumberList}).
 * Pids are expected to be unique, as the pid plugin keeps them.
 */
export function paragraphNumbers(
  pids: readonly string[],
  baseline?: ReadonlyMap<string, number>,
): Map<string, string> {
  const labels = paragraphNumberList(pids, baseline);
  const numbers = new Map<string, string>();
  pids.forEach((pid, index) => numbers.set(pid, labels[index] as string));
  return numbers;
}

function checkIndex(index0: number): void {
  if (!Number.isSafeInteger(index0) || index0 < 0) throw new RangeError(`index must be a non-negative integer, got ${index0}`);
}

/** The letter of the section at zero-based `index0`: A..Z, then AA, AB ... AZ, BA ... (as spreadsheet columns). */
export function sectionLetter(index0: number): string {
  checkIndex(index0);
  let n = index0 + 1;
  let letters = '';
  while (n > 0) {
    const digit = (n - 1) % 26;
    letters = String.fromCharCode(65 + digit) + letters;
    n = (n - 1 - digit) / 26;
  }
  return letters;
}

const ROMAN: readonly (readonly [number, string])[] = [
  [1000, 'm'],
  [900, 'cm'],
  [500, 'd'],
  [400, 'cd'],
  [100, 'c'],
  [90, 'xc'],
  [50, 'l'],
  [40, 'xl'],
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
];

/** A positive integer in lower-case roman numerals (1 -> "i", 4 -> "iv", 1990 -> "mcmxc"). */
export function romanNumeral(value: number): string {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`roman numerals need a positive integer, got ${value}`);
  let rest = value;
  let out = '';
  for (const [amount, symbol] of ROMAN) {
    while (rest >= amount) {
      out += symbol;
      rest -= amount;
    }
  }
  return out;
}

/**
 * The label of a lettered sub-paragraph. Depth 1: "(a)" .. "(z)", then "(aa)", "(bb)" .. "(zz)", "(aaa)" ...,
 * the doubled letters UN resolutions use after (z). Depth 2: "(i)", "(ii)", "(iii)", "(iv)" ...
 */
export function subparagraphLabel(depth: 1 | 2, index0: number): string {
  checkIndex(index0);
  if (depth === 2) return `(${romanNumeral(index0 + 1)})`;
  const letter = String.fromCharCode(97 + (index0 % 26));
  return `(${letter.repeat(Math.floor(index0 / 26) + 1)})`;
}
