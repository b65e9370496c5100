import { describe, expect, it } from 'vitest';
import { diffTokens, diffWords, sideText, tokenize } from './words.ts';
import { seededRandom } from '../../tests/helpers/random.ts';

describe('tokenize', () => {
  it('cuts words, whitespace runs and punctuation, keeping the exact text', () => {
    const text = 'The Group,  recalling A/78/265 — États\u00a0membres; "well-being".';
    const tokens = tokenize(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens.slice(0, 5)).toEqual(['The', ' ', 'Group', ',', '  ']);
    expect(tokens).toContain('États');
    expect(tokens).toContain('265');
    expect(tokens).toContain('\u00a0');
  });

  it('keeps a character outside the basic plane whole', () => {
    expect(tokenize('a 😀 b')).toEqual(['a', ' ', '😀', ' ', 'b']);
  });

  it('gives no tokens for the empty text', () => {
    expect(tokenize('')).toEqual([]);
  });
});

describe('diffWords', () => {
  it('reports a replaced word as delete then insert', () => {
    expect(diffWords('The Group met today.', 'The Group met yesterday.')).toEqual([
      { op: 'equal', text: 'The Group met ' },
      { op: 'delete', text: 'today' },
      { op: 'insert', text: 'yesterday' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('folds a lone kept space between two changes into one replacement', () => {
    expect(diffWords('a quick brown fox', 'a slow red fox')).toEqual([
      { op: 'equal', text: 'a ' },
      { op: 'delete', text: 'quick brown' },
      { op: 'insert', text: 'slow red' },
      { op: 'equal', text: ' fox' },
    ]);
  });

  it('reports pure insertions and deletions', () => {
    expect(diffWords('States agreed.', 'States strongly agreed.')).toEqual([
      { op: 'equal', text: 'States ' },
      { op: 'insert', text: 'strongly ' },
      { op: 'equal', text: 'agreed.' },
    ]);
    expect(diffWords('abc', '')).toEqual([{ op: 'delete', text: 'abc' }]);
    expect(diffWords('', '')).toEqual([]);
  });

  it('flags equal tokens whose formatting signature differs', () => {
    const runs = diffTokens(
      { tokens: ['a', ' ', 'b', ' ', 'c'], formats: ['', '', '', '', ''] },
      { tokens: ['a', ' ', 'b', ' ', 'c'], formats: ['', '', 'bold', '', ''] },
    );
    expect(runs).toEqual([
      { op: 'equal', text: 'a ' },
      { op: 'equal', text: 'b', format: true },
      { op: 'equal', text: ' c' },
    ]);
  });

  it('rebuilds both sides exactly for 300 random word sequences (seeded)', () => {
    const random = seededRandom(7);
    const vocabulary = ['the', 'Group', 'States', 'recalled', 'agreed', ',', '.', ';', ' ', '  ', '\n', 'États', '⟦', '⟧', 'A/78/265', '(a)'];
    const sentence = (): string =>
      Array.from({ length: Math.floor(random() * 40) }, () => vocabulary[Math.floor(random() * vocabulary.length)] as string)
        .map((word, index) => (index > 0 && random() < 0.7 ? ` ${word}` : word))
        .join('');
    for (let round = 0; round < 300; round += 1) {
      const before = sentence();
      const after = random() < 0.5 ? sentence() : before.replace(/\b\w+\b/gu, (w) => (random() < 0.15 ? 'changed' : w));
      const runs = diffWords(before, after);
      expect(sideText(runs, 'before'), `round ${round}`).toBe(before);
      expect(sideText(runs, 'after'), `round ${round}`).toBe(after);
      for (const run of runs) expect(run.text).not.toBe('');
      for (let k = 1; k < runs.length; k += 1) {
        const previous = runs[k - 1];
        const current = runs[k];
        // Runs are merged: never two neighbours with the same operation and format flag.
        expect(previous?.op === current?.op && previous?.format === current?.format).toBe(false);
      }
    }
  });
});
