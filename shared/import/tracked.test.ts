import { describe, expect, it } from 'vitest';
import type { Change, Piece, WordParagraph } from './content.ts';
import { ReportBuilder } from './report.ts';
import { groupParagraphs, leadingOriginalText, stripOriginalPrefix, trackedWording, type WordingUnit } from './tracked.ts';

const plain = { bold: false, italic: false, underline: false, href: null };
const inserted: Change = { kind: 'insert', author: 'R', date: '2026-07-01T00:00:00Z' };
const deleted: Change = { kind: 'delete', author: 'R', date: '2026-07-01T00:00:00Z' };

function text(value: string, change: Change | null = null): Piece & WordingUnit {
  return { kind: 'text', text: value, format: plain, change };
}

function paragraph(index: number, pieces: Piece[], markChange: Change | null = null): WordParagraph {
  return { kind: 'paragraph', index, styleId: null, numbering: null, outline: null, pieces, markChange, pid: null };
}

describe('groupParagraphs', () => {
  it('keeps plain paragraphs one to one and drops empty ones', () => {
    const report = new ReportBuilder();
    const groups = groupParagraphs([paragraph(0, [text('One')]), paragraph(1, []), paragraph(2, [text('Two')])], report);
    expect(groups.map((group) => [group.props.index, group.inserted])).toEqual([
      [0, false],
      [2, false],
    ]);
  });

  it('sets apart a new paragraph typed after Enter at the end of another (inserted mark, inserted content)', () => {
    const groups = groupParagraphs([paragraph(0, [text('Old text.')], inserted), paragraph(1, [text('New text.', inserted)])], new ReportBuilder());
    expect(groups.map((group) => [group.props.index, group.inserted, group.pieces.length])).toEqual([
      [0, false, 1],
      [1, true, 1],
    ]);
  });

  it('joins a split of original text into one paragraph and reports the split', () => {
    const report = new ReportBuilder();
    const groups = groupParagraphs([paragraph(0, [text('First half')], inserted), paragraph(1, [text('second half.')])], report);
    expect(groups).toHaveLength(1);
    expect(trackedWording(groups[0]?.pieces as WordingUnit[])).toEqual({
      original: 'First halfsecond half.',
      proposed: 'First half second half.',
      changes: [{ kind: 'insert', author: 'R', date: '2026-07-01T00:00:00Z', text: ' ', offset: 10 }],
    });
    expect(report.build().notKept[0]?.what).toMatch(/^paragraph splits/);
  });

  it('reports a proposed merge of two paragraphs', () => {
    const report = new ReportBuilder();
    groupParagraphs([paragraph(0, [text('One')], deleted), paragraph(1, [text('two.')])], report);
    expect(report.build().notKept.map((entry) => entry.what)).toEqual(['paragraph merges proposed in Word (not proposed)']);
  });
});

describe('tracked wording', () => {
  it('keeps deletions in the original and insertions in the proposal, merging touching changes', () => {
    const units: WordingUnit[] = [text('Keep '), text('old', deleted), text(' words', deleted), text('new', inserted), text(' here.'), { kind: 'break', change: inserted }, { kind: 'note', wording: '[^N.]', noteKey: 'f:1', change: null }];
    expect(trackedWording(units)).toEqual({
      original: 'Keep old words here.[^N.]',
      proposed: 'Keep new here.\n[^N.]',
      changes: [
        { kind: 'delete', author: 'R', date: '2026-07-01T00:00:00Z', text: 'old words', offset: 5 },
        { kind: 'insert', author: 'R', date: '2026-07-01T00:00:00Z', text: 'new', offset: 14 },
        { kind: 'insert', author: 'R', date: '2026-07-01T00:00:00Z', text: '\n', offset: 20 },
      ],
    });
  });

  it('strips a typed prefix from the original, dropping insertions inside it', () => {
    const units: WordingUnit[] = [text('1', deleted), text('2', inserted), text('.\tText')];
    expect(leadingOriginalText(units)).toBe('1.\tText');
    const stripped = stripOriginalPrefix(units, 3);
    expect(trackedWording(stripped)).toEqual({ original: 'Text', proposed: 'Text', changes: [] });
  });
});
