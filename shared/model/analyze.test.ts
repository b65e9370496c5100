import { describe, expect, it } from 'vitest';
import { b, body, bi, br, doc, fn, h1, h2, header, i, li, ll, np, p, table, td, th, title, tr, ul } from '../schema/test-builder.ts';
import { Fragment, Slice } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { analyzeDocument } from './analyze.ts';

const report = () =>
  doc(
    header(title({ pid: 't' }, 'Draft report')),
    p({ pid: 'note' }, 'Circulated by the Chair.', fn('Title note.')),
    h1({ pid: 'hA' }, 'Introduction'),
    np({ pid: 'n1' }, 'The Group met.', fn('See A/78/265, para. 23.')),
    np({ pid: 'n2' }, 'States recalled:'),
    ll(
      li(p({ pid: 's1' }, 'first point')),
      li(p({ pid: 's2' }, 'second point'), ll(li(p({ pid: 's2i' }, 'deep one')), li(p({ pid: 's2ii' }, 'deep two')))),
      li(p({ pid: 's3' }, 'third point')),
    ),
    h2({ pid: 'h1' }, 'Background'),
    h2({ pid: 'h2' }, 'Mandate', fn('Resolution 75/240.')),
    h1({ pid: 'hB' }, 'Threats'),
    h2({ pid: 'hB1' }, 'Existing'),
    np({ pid: 'n3' }, 'Threats persist.'),
    ul(bi(p({ pid: 'b1' }, 'a bullet'))),
    table(tr(th(p({ pid: 'c1' }, 'Date')), th(p({ pid: 'c2' }, 'Item'))), tr(td(p({ pid: 'c3' }, '1 June', fn('Tentative.'))), td(p({ pid: 'c4' }, 'Opening')))),
    ll(li(p({ pid: 's4' }, 'after table'))),
  );

describe('analyzeDocument', () => {
  it('numbers numbered paragraphs 1..N with their pids and positions', () => {
    const d = report();
    const { paragraphs, counts } = analyzeDocument(d);
    expect(paragraphs.map((x) => [x.pid, x.number])).toEqual([
      ['n1', '1'],
      ['n2', '2'],
      ['n3', '3'],
    ]);
    for (const paragraph of paragraphs) expect(d.nodeAt(paragraph.pos)?.attrs['pid']).toBe(paragraph.pid);
    expect(counts.paragraphs).toBe(3);
  });

  it('letters sections and numbers subsections within each section', () => {
    const d = report();
    const { headings } = analyzeDocument(d);
    expect(headings.map((h) => [h.pid, h.level, h.label, h.text])).toEqual([
      ['hA', 1, 'A.', 'Introduction'],
      ['h1', 2, '1.', 'Background'],
      ['h2', 2, '2.', 'Mandate'],
      ['hB', 1, 'B.', 'Threats'],
      ['hB1', 2, '1.', 'Existing'],
    ]);
    for (const heading of headings) expect(d.nodeAt(heading.pos)?.attrs['pid']).toBe(heading.pid);
  });

  it('labels lettered sub-paragraphs (a), (b) and nested ones (i), (ii), with their owner paragraph', () => {
    const d = report();
    const { subparagraphs } = analyzeDocument(d);
    expect(subparagraphs.map((s) => [s.pid, s.label, s.depth, s.ownerPid])).toEqual([
      ['s1', '(a)', 1, 'n2'],
      ['s2', '(b)', 1, 'n2'],
      ['s2i', '(i)', 2, 'n2'],
      ['s2ii', '(ii)', 2, 'n2'],
      ['s3', '(c)', 1, 'n2'],
      ['s4', '(a)', 1, 'n3'],
    ]);
    for (const sub of subparagraphs) {
      const node = d.nodeAt(sub.pos);
      expect(node?.type.name).toBe('paragraph');
      expect(node?.attrs['pid']).toBe(sub.pid);
    }
  });

  it('numbers footnotes 1..N in document order, wherever they are', () => {
    const d = report();
    const { footnotes } = analyzeDocument(d);
    expect(footnotes.map((f) => f.number)).toEqual([1, 2, 3, 4]);
    expect(footnotes.map((f) => d.nodeAt(f.pos)?.textContent)).toEqual([
      'Title note.',
      'See A/78/265, para. 23.',
      'Resolution 75/240.',
      'Tentative.',
    ]);
  });

  it('keeps footnote text out of heading text', () => {
    const { headings } = analyzeDocument(report());
    expect(headings.find((h) => h.pid === 'h2')?.text).toBe('Mandate');
  });

  it('counts words of all text including footnotes, and every textblock', () => {
    const d = body(np({ pid: 'a' }, 'One two  three', fn('four five')), p({ pid: 'b' }, ' six\u00a0seven '));
    const { counts } = analyzeDocument(d);
    // "Title" + 3 + 2 (footnote) + 2 (non-breaking space separates).
    expect(counts.words).toBe(8);
    expect(counts.blocks).toBe(3);
    expect(counts.paragraphs).toBe(1);
  });

  it('counts a word split by a mark boundary once, and separates at line breaks and blocks', () => {
    const d = body(np({ pid: 'a' }, 'hel', b('lo'), ' wor', i('ld'), br(), 'next'), np({ pid: 'b' }, 'end'));
    expect(analyzeDocument(d).counts.words).toBe(1 + 3 + 1);
  });

  it('counts the reference report', () => {
    const { counts } = analyzeDocument(report());
    // title 2, note 4+2, Introduction 1, n1 3+4, n2 2, points 2+2+2+2+2, headings 1+1(+2 note)+1+1, n3 2,
    // bullet 2, table 1+1+2(+1 note)+1, after table 2.
    expect(counts.words).toBe(4 + 4 + 1 + 7 + 2 + 10 + 6 + 2 + 2 + 6 + 2);
    expect(counts.blocks).toBe(1 + 1 + 5 + 3 + 6 + 1 + 4);
  });

  it('gives the same result when a document is analysed again, and follows edits', () => {
    const d = report();
    const first = analyzeDocument(d);
    expect(analyzeDocument(d)).toEqual(first);
    // Replace the text of n3 ("Threats persist.") with three words: unchanged blocks come from the cache.
    const n3 = first.paragraphs.find((x) => x.pid === 'n3') as { pos: number };
    const size = d.nodeAt(n3.pos)?.content.size ?? 0;
    const edited = d.replace(n3.pos + 1, n3.pos + 1 + size, new Slice(Fragment.from(schema.text('one two three')), 0, 0));
    const again = analyzeDocument(edited);
    expect(again.counts.words).toBe(first.counts.words - 2 + 3);
    expect(again.footnotes.map((f) => f.number)).toEqual([1, 2, 3, 4]);
    for (const footnote of again.footnotes) expect(edited.nodeAt(footnote.pos)?.type.name).toBe('footnote');
  });

  it('numbers against a baseline with bis and ter', () => {
    const d = body(
      np({ pid: 'n1' }, 'a'),
      np({ pid: 'new1' }, 'b'),
      np({ pid: 'new2' }, 'c'),
      np({ pid: 'n3' }, 'd'),
    );
    const baseline = new Map([
      ['n1', 1],
      ['n2', 2],
      ['n3', 3],
    ]);
    expect(analyzeDocument(d, baseline).paragraphs.map((x) => x.number)).toEqual(['1', '1 bis', '1 ter', '3']);
  });

  it('numbers paragraphs without a pid and reports their pid as empty', () => {
    const d = body(np('no id'), np({ pid: 'x' }, 'with id'));
    const { paragraphs } = analyzeDocument(d, new Map([['x', 7]]));
    expect(paragraphs.map((x) => [x.pid, x.number])).toEqual([
      ['', '0 bis'],
      ['x', '7'],
    ]);
  });

  it('gives an empty document empty lists', () => {
    const analysis = analyzeDocument(body(p()));
    expect(analysis.paragraphs).toEqual([]);
    expect(analysis.headings).toEqual([]);
    expect(analysis.subparagraphs).toEqual([]);
    expect(analysis.footnotes).toEqual([]);
    expect(analysis.counts).toEqual({ words: 1, paragraphs: 0, blocks: 2 });
  });

  it('numbers a subsection before any section from 1', () => {
    const { headings } = analyzeDocument(body(h2({ pid: 'x' }, 'Preface'), h1({ pid: 'y' }, 'Main')));
    expect(headings.map((h) => h.label)).toEqual(['1.', 'A.']);
  });

  it('has no owner for a lettered list right after a heading', () => {
    const { subparagraphs } = analyzeDocument(body(np({ pid: 'n' }, 'x'), h1('H'), ll(li(p({ pid: 's' }, 'y')))));
    expect(subparagraphs[0]?.ownerPid).toBe('');
  });
});
