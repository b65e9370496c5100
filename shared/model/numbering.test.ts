import { describe, expect, it } from 'vitest';
import {
  INSERTION_SUFFIXES,
  insertedParagraphLabel,
  paragraphNumberList,
  paragraphNumbers,
  romanNumeral,
  sectionLetter,
  subparagraphLabel,
} from './numbering.ts';
import { seededRandom } from '../../tests/helpers/random.ts';

/** A baseline numbering 1..N of the given pids, as a clean revision records it. */
function baselineOf(pids: readonly string[]): Map<string, number> {
  return new Map(pids.map((pid, index) => [pid, index + 1]));
}

/** The labels of `pids` in order, for compact assertions. */
function labels(pids: readonly string[], baseline?: ReadonlyMap<string, number>): string[] {
  const numbers = paragraphNumbers(pids, baseline);
  return pids.map((pid) => numbers.get(pid) ?? '?');
}

describe('paragraphNumbers without a baseline', () => {
  it('numbers 1..N in order', () => {
    expect(labels(['a', 'b', 'c'])).toEqual(['1', '2', '3']);
  });

  it('returns an empty map for no paragraphs', () => {
    expect(paragraphNumbers([]).size).toBe(0);
  });

  it('renumbers after a reorder', () => {
    expect(labels(['c', 'a', 'b'])).toEqual(['1', '2', '3']);
  });
});

describe('paragraphNumbers against a baseline', () => {
  const base = baselineOf(['p1', 'p2', 'p3', 'p4', 'p5']);

  it('keeps every baseline number when nothing changed', () => {
    expect(labels(['p1', 'p2', 'p3', 'p4', 'p5'], base)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('numbers one inserted paragraph bis after its neighbour', () => {
    expect(labels(['p1', 'p2', 'n1', 'p3', 'p4', 'p5'], base)).toEqual(['1', '2', '2 bis', '3', '4', '5']);
  });

  it('numbers a run of insertions bis, ter, quater, quinquies ...', () => {
    const added = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
    expect(labels(['p1', 'p2', 'p3', ...added, 'p4', 'p5'], base)).toEqual([
      '1',
      '2',
      '3',
      '3 bis',
      '3 ter',
      '3 quater',
      '3 quinquies',
      '3 sexies',
      '3 septies',
      '3 octies',
      '3 novies',
      '3 decies',
      '4',
      '5',
    ]);
  });

  it('restarts the suffixes after each baseline paragraph', () => {
    expect(labels(['p1', 'n1', 'n2', 'p2', 'n3', 'p3', 'p4', 'p5', 'n4'], base)).toEqual([
      '1',
      '1 bis',
      '1 ter',
      '2',
      '2 bis',
      '3',
      '4',
      '5',
      '5 bis',
    ]);
  });

  it('numbers a paragraph added before every baseline paragraph 0 bis', () => {
    expect(labels(['n1', 'n2', 'p1', 'p2'], base)).toEqual(['0 bis', '0 ter', '1', '2']);
  });

  it('lets a deleted paragraph vanish without reusing its number', () => {
    expect(labels(['p1', 'p2', 'p4', 'p5'], base)).toEqual(['1', '2', '4', '5']);
  });

  it('numbers an insertion where a paragraph was deleted after the nearest surviving one', () => {
    expect(labels(['p1', 'p2', 'n1', 'p4', 'p5'], base)).toEqual(['1', '2', '2 bis', '4', '5']);
  });

  it('keeps the numbers of reordered baseline paragraphs and anchors insertions on the moved one', () => {
    expect(labels(['p1', 'p4', 'n1', 'p2', 'p3', 'p5'], base)).toEqual(['1', '4', '4 bis', '2', '3', '5']);
  });

  it('treats every paragraph as new against an empty baseline', () => {
    expect(labels(['a', 'b'], new Map())).toEqual(['0 bis', '0 ter']);
  });

  it('continues past decies with undecies ... vicies, then falls back to the multiplier', () => {
    const added = Array.from({ length: 21 }, (_, i) => `n${i}`);
    const result = labels(['p1', ...added], base);
    expect(result[10]).toBe('1 undecies');
    expect(result[19]).toBe('1 vicies');
    expect(result[20]).toBe('1 (21)');
    expect(result[21]).toBe('1 (22)');
  });

  it('counts a paragraph without a pid as new', () => {
    expect(paragraphNumberList(['p1', null, 'p2'], base)).toEqual(['1', '1 bis', '2']);
    expect(paragraphNumberList([null, null])).toEqual(['1', '2']);
  });
});

describe('insertedParagraphLabel', () => {
  it('has nineteen Latin suffixes from bis to vicies', () => {
    expect(INSERTION_SUFFIXES).toHaveLength(19);
    expect(insertedParagraphLabel(23, 1)).toBe('23 bis');
    expect(insertedParagraphLabel(23, 2)).toBe('23 ter');
    expect(insertedParagraphLabel(23, 3)).toBe('23 quater');
  });

  it('rejects a non-positive insertion index', () => {
    expect(() => insertedParagraphLabel(1, 0)).toThrow(RangeError);
  });
});

describe('paragraphNumbers, property-style', () => {
  it('keeps baseline numbers, gives unique labels and anchors insertions on the preceding baseline paragraph', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const next = seededRandom(seed);
      const size = 1 + Math.floor(next() * 30);
      const original = Array.from({ length: size }, (_, i) => `p${i}`);
      const base = baselineOf(original);
      // Random edits: deletions, insertions and moves.
      const current = [...original];
      let fresh = 0;
      const edits = Math.floor(next() * 25);
      for (let e = 0; e < edits; e += 1) {
        const roll = next();
        const at = Math.floor(next() * (current.length + 1));
        if (roll < 0.3 && current.length > 0) current.splice(Math.min(at, current.length - 1), 1);
        else if (roll < 0.8) current.splice(at, 0, `new${fresh++}`);
        else if (current.length > 1) {
          const [moved] = current.splice(Math.min(at, current.length - 1), 1);
          current.splice(Math.floor(next() * (current.length + 1)), 0, moved as string);
        }
      }
      const numbers = paragraphNumbers(current, base);
      const all = current.map((pid) => numbers.get(pid) as string);
      expect(new Set(all).size, `seed ${seed}: labels are unique`).toBe(current.length);
      let anchor = 0;
      let run = 0;
      current.forEach((pid) => {
        const label = numbers.get(pid) as string;
        const kept = base.get(pid);
        if (kept !== undefined) {
          expect(label, `seed ${seed}`).toBe(String(kept));
          anchor = kept;
          run = 0;
        } else {
          run += 1;
          expect(label, `seed ${seed}`).toBe(insertedParagraphLabel(anchor, run));
          expect(label.startsWith(`${anchor} `), `seed ${seed}`).toBe(true);
        }
      });
      // Without a baseline the same list is always 1..N.
      expect(current.map((pid) => paragraphNumbers(current).get(pid))).toEqual(current.map((_p, i) => String(i + 1)));
    }
  });
});

describe('sectionLetter', () => {
  it('letters A..Z, then AA, AB ...', () => {
    expect(sectionLetter(0)).toBe('A');
    expect(sectionLetter(1)).toBe('B');
    expect(sectionLetter(25)).toBe('Z');
    expect(sectionLetter(26)).toBe('AA');
    expect(sectionLetter(27)).toBe('AB');
    expect(sectionLetter(51)).toBe('AZ');
    expect(sectionLetter(52)).toBe('BA');
    expect(sectionLetter(701)).toBe('ZZ');
    expect(sectionLetter(702)).toBe('AAA');
  });

  it('gives every index a distinct letter', () => {
    const letters = Array.from({ length: 2000 }, (_, i) => sectionLetter(i));
    expect(new Set(letters).size).toBe(2000);
  });

  it('rejects negative and fractional indexes', () => {
    expect(() => sectionLetter(-1)).toThrow(RangeError);
    expect(() => sectionLetter(1.5)).toThrow(RangeError);
  });
});

describe('subparagraphLabel', () => {
  it('letters depth 1 (a)..(z), then doubles the letters', () => {
    expect(subparagraphLabel(1, 0)).toBe('(a)');
    expect(subparagraphLabel(1, 1)).toBe('(b)');
    expect(subparagraphLabel(1, 25)).toBe('(z)');
    expect(subparagraphLabel(1, 26)).toBe('(aa)');
    expect(subparagraphLabel(1, 27)).toBe('(bb)');
    expect(subparagraphLabel(1, 52)).toBe('(aaa)');
  });

  it('numbers depth 2 in lower-case roman', () => {
    const expected = ['(i)', '(ii)', '(iii)', '(iv)', '(v)', '(vi)', '(vii)', '(viii)', '(ix)', '(x)', '(xi)'];
    expect(expected.map((_label, i) => subparagraphLabel(2, i))).toEqual(expected);
    expect(subparagraphLabel(2, 38)).toBe('(xxxix)');
    expect(subparagraphLabel(2, 48)).toBe('(xlix)');
  });

  it('rejects a negative index', () => {
    expect(() => subparagraphLabel(1, -1)).toThrow(RangeError);
  });
});

describe('romanNumeral', () => {
  it('writes subtractive forms', () => {
    expect(romanNumeral(4)).toBe('iv');
    expect(romanNumeral(9)).toBe('ix');
    expect(romanNumeral(14)).toBe('xiv');
    expect(romanNumeral(40)).toBe('xl');
    expect(romanNumeral(90)).toBe('xc');
    expect(romanNumeral(400)).toBe('cd');
    expect(romanNumeral(1990)).toBe('mcmxc');
    expect(romanNumeral(2024)).toBe('mmxxiv');
  });

  it('rejects zero', () => {
    expect(() => romanNumeral(0)).toThrow(RangeError);
  });
});
