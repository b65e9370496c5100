import { describe, expect, it } from 'vitest';
import { checkEdits, diffSequences, type Edit } from './myers.ts';
import { seededRandom } from '../../tests/helpers/random.ts';

/** The length of a longest common subsequence, by dynamic programming (the reference for minimality). */
function lcsLength(a: readonly number[], b: readonly number[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const up = row[j] as number;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(up, row[j - 1] as number);
      diagonal = up;
    }
  }
  return row[b.length] as number;
}

const cost = (edits: readonly Edit[]): number =>
  edits.filter((edit) => edit.op !== 'equal').reduce((sum, edit) => sum + edit.count, 0);

describe('diffSequences', () => {
  it('returns one equal run for equal sequences', () => {
    expect(diffSequences([1, 2, 3], [1, 2, 3])).toEqual([{ op: 'equal', count: 3 }]);
  });

  it('handles empty sides', () => {
    expect(diffSequences([], [])).toEqual([]);
    expect(diffSequences([], [1, 2])).toEqual([{ op: 'insert', count: 2 }]);
    expect(diffSequences([1, 2], [])).toEqual([{ op: 'delete', count: 2 }]);
  });

  it('finds a replacement in the middle', () => {
    expect(diffSequences([1, 2, 3], [1, 4, 3])).toEqual([
      { op: 'equal', count: 1 },
      { op: 'delete', count: 1 },
      { op: 'insert', count: 1 },
      { op: 'equal', count: 1 },
    ]);
  });

  it('gives a valid and minimal script for 400 random pairs (seeded)', () => {
    const random = seededRandom(20261126);
    for (let round = 0; round < 400; round += 1) {
      const alphabet = 1 + Math.floor(random() * 6);
      const make = (): number[] => Array.from({ length: Math.floor(random() * 30) }, () => Math.floor(random() * alphabet));
      const a = make();
      const b = random() < 0.5 ? make() : a.map((x) => (random() < 0.2 ? Math.floor(random() * alphabet) : x));
      const edits = diffSequences(a, b);
      expect(checkEdits(a, b, edits), `round ${round}: ${JSON.stringify({ a, b })}`).toBe(true);
      expect(cost(edits), `round ${round}`).toBe(a.length + b.length - 2 * lcsLength(a, b));
    }
  });

  it('gives up on the middle beyond maxDifferences, still valid', () => {
    const a = [0, 1, 2, 3, 4, 9];
    const b = [0, 5, 6, 7, 8, 9];
    const edits = diffSequences(a, b, 2);
    expect(edits).toEqual([
      { op: 'equal', count: 1 },
      { op: 'delete', count: 4 },
      { op: 'insert', count: 4 },
      { op: 'equal', count: 1 },
    ]);
    expect(checkEdits(a, b, edits)).toBe(true);
  });

  it('checkEdits rejects a script that does not fit', () => {
    expect(checkEdits([1, 2], [1, 3], [{ op: 'equal', count: 2 }])).toBe(false);
  });
});
