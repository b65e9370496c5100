import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../shared/model/analyze.ts';
import { bodyText, buildOutline, collectFootnotes, currentEntryIndex, firstWords } from './outline.ts';
import { doc, fn, h, np, posOf } from './testDocs.ts';

const root = doc(
  h(1, 'h-a', 'Introduction'),
  np('p1', 'The open-ended working group was established pursuant to resolution 79/402', fn('See A/80/123.')),
  h(2, 'h-a1', 'Mandate'),
  np('p2', 'States agreed.'),
  h(1, 'h-b', 'Threats'),
  np('p3', ''),
);

describe('firstWords', () => {
  it('keeps short text whole and cuts long text at a word with an ellipsis', () => {
    expect(firstWords('  States   agreed. ')).toBe('States agreed.');
    expect(firstWords('one two three four five six seven eight nine ten', 8)).toBe('one two three four five six seven eight…');
    expect(firstWords('Supercalifragilistic', 8, 10)).toBe('Supercalif…');
  });
});

describe('buildOutline', () => {
  it('lists headings with their letters and numbered paragraphs with their first words, in order', () => {
    const outline = buildOutline(root, analyzeDocument(root));
    expect(outline.map((e) => [e.kind, e.level, e.label, e.text, e.pid])).toEqual([
      ['heading', 1, 'A.', 'Introduction', 'h-a'],
      ['paragraph', 3, '1', 'The open-ended working group was established pursuant to…', 'p1'],
      ['heading', 2, '1.', 'Mandate', 'h-a1'],
      ['paragraph', 3, '2', 'States agreed.', 'p2'],
      ['heading', 1, 'B.', 'Threats', 'h-b'],
      ['paragraph', 3, '3', '(empty)', 'p3'],
    ]);
  });

  it('leaves footnote text out of a paragraph’s words', () => {
    const para = root.child(2);
    expect(bodyText(para)).not.toContain('A/80/123');
  });
});

describe('collectFootnotes', () => {
  it('numbers footnotes and carries their text', () => {
    expect(collectFootnotes(root, analyzeDocument(root)).map((f) => [f.number, f.text])).toEqual([['1', 'See A/80/123.']]);
  });
});

describe('currentEntryIndex', () => {
  const outline = buildOutline(root, analyzeDocument(root)).map((e) => e.pos);
  it('finds the entry holding a position', () => {
    expect(currentEntryIndex(outline, 0)).toBe(-1);
    expect(currentEntryIndex(outline, posOf(root, 'Introduction'))).toBe(0);
    expect(currentEntryIndex(outline, posOf(root, 'resolution'))).toBe(1);
    expect(currentEntryIndex(outline, posOf(root, 'agreed'))).toBe(3);
    expect(currentEntryIndex(outline, root.content.size)).toBe(5);
  });
  it('is -1 for an empty outline', () => {
    expect(currentEntryIndex([], 10)).toBe(-1);
  });
});
