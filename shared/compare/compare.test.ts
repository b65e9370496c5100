import { describe, expect, it } from 'vitest';
import type { Node } from 'prosemirror-model';
import { b, body, fn, h1, li, ll, np, p, table, td, tr } from '../schema/test-builder.ts';
import { compareDocuments, longestIncreasingSubsequence, type Comparison } from './compare.ts';
import { FOOTNOTE_CLOSE, FOOTNOTE_OPEN } from './blocks.ts';
import { changedEntries, sideBySide } from './views.ts';
import { sideText } from './words.ts';
import { seededRandom } from '../../tests/helpers/random.ts';

/** The body paragraphs n1..n5 of a small report, numbered 1..5. */
function report(texts: Record<string, string> = {}, order = ['n1', 'n2', 'n3', 'n4', 'n5']): Node {
  const defaults: Record<string, string> = {
    n1: 'The Group met in New York.',
    n2: 'States recalled resolution 78/265.',
    n3: 'The Chair presented the draft.',
    n4: 'Delegations exchanged views.',
    n5: 'The report was adopted.',
  };
  return body(...order.map((pid) => np({ pid }, texts[pid] ?? defaults[pid] ?? `Paragraph ${pid}.`)));
}

/** Each entry as "kind:pid", for compact assertions of order and kind. */
const shape = (comparison: Comparison): string[] => comparison.entries.map((entry) => `${entry.kind}:${entry.pid ?? '-'}`);

/** Asserts that every entry's runs rebuild its two texts exactly. */
function expectRuns(comparison: Comparison): void {
  for (const entry of comparison.entries) {
    if (entry.before) expect(sideText(entry.words, 'before')).toBe(entry.before.text);
    if (entry.after) expect(sideText(entry.words, 'after')).toBe(entry.after.text);
  }
}

describe('compareDocuments', () => {
  it('reports every paragraph of identical documents unchanged', () => {
    const result = compareDocuments(report(), report());
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:n1', 'unchanged:n2', 'unchanged:n3', 'unchanged:n4', 'unchanged:n5']);
    expect(result.summary).toEqual({ changed: 0, added: 0, deleted: 0, moved: 0, unchanged: 6 });
    expect(result.entries[2]?.after).toEqual({ text: 'States recalled resolution 78/265.', number: '2', type: 'numbered_paragraph', index: 2 });
    expectRuns(result);
  });

  it('reports a replaced word as one changed paragraph with delete and insert runs', () => {
    const result = compareDocuments(report(), report({ n3: 'The Chair presented the revised draft.' }));
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:n1', 'unchanged:n2', 'changed:n3', 'unchanged:n4', 'unchanged:n5']);
    const entry = result.entries[3];
    expect(entry?.words).toEqual([
      { op: 'equal', text: 'The Chair presented the ' },
      { op: 'insert', text: 'revised ' },
      { op: 'equal', text: 'draft.' },
    ]);
    expect(entry?.changes).toEqual({ text: true, format: false, style: false });
    expect(result.summary).toEqual({ changed: 1, added: 0, deleted: 0, moved: 0, unchanged: 5 });

    const replaced = compareDocuments(report(), report({ n4: 'Delegations shared views.' })).entries[4];
    expect(replaced?.words).toEqual([
      { op: 'equal', text: 'Delegations ' },
      { op: 'delete', text: 'exchanged' },
      { op: 'insert', text: 'shared' },
      { op: 'equal', text: ' views.' },
    ]);
    expect(sideText(replaced?.words ?? [], 'before')).toBe('Delegations exchanged views.');
    expect(sideText(replaced?.words ?? [], 'after')).toBe('Delegations shared views.');
  });

  it('reports an added paragraph in place, numbered bis against the earlier version', () => {
    const after = body(
      np({ pid: 'n1' }, 'The Group met in New York.'),
      np({ pid: 'new' }, 'It elected its Chair.'),
      np({ pid: 'n2' }, 'States recalled resolution 78/265.'),
      np({ pid: 'n3' }, 'The Chair presented the draft.'),
      np({ pid: 'n4' }, 'Delegations exchanged views.'),
      np({ pid: 'n5' }, 'The report was adopted.'),
    );
    const result = compareDocuments(report(), after);
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:n1', 'added:new', 'unchanged:n2', 'unchanged:n3', 'unchanged:n4', 'unchanged:n5']);
    expect(result.entries[2]?.after?.number).toBe('1 bis');
    expect(result.entries[2]?.words).toEqual([{ op: 'insert', text: 'It elected its Chair.' }]);
    expect(result.entries[3]?.after?.number).toBe('2');
    expect(result.summary.added).toBe(1);
  });

  it('reports a deleted paragraph where it stood', () => {
    const result = compareDocuments(report(), report({}, ['n1', 'n2', 'n4', 'n5']));
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:n1', 'unchanged:n2', 'deleted:n3', 'unchanged:n4', 'unchanged:n5']);
    expect(result.entries[3]?.before?.number).toBe('3');
    expect(result.entries[3]?.after).toBeUndefined();
    expect(result.entries[3]?.words).toEqual([{ op: 'delete', text: 'The Chair presented the draft.' }]);
    expect(result.summary).toEqual({ changed: 0, added: 0, deleted: 1, moved: 0, unchanged: 5 });
  });

  it('reports only the moved paragraph as moved, not everything after it', () => {
    const down = compareDocuments(report(), report({}, ['n2', 'n3', 'n4', 'n1', 'n5']));
    expect(shape(down)).toEqual(['unchanged:title', 'unchanged:n2', 'unchanged:n3', 'unchanged:n4', 'moved:n1', 'unchanged:n5']);
    expect(down.summary).toEqual({ changed: 0, added: 0, deleted: 0, moved: 1, unchanged: 5 });
    const moved = down.entries[4];
    expect(moved?.before?.index).toBe(1);
    expect(moved?.after?.index).toBe(4);
    // Numbers follow the earlier version: a moved paragraph keeps its number until a clean renumbering.
    expect(moved?.after?.number).toBe('1');

    const up = compareDocuments(report(), report({}, ['n5', 'n1', 'n2', 'n3', 'n4']));
    expect(shape(up)).toEqual(['unchanged:title', 'moved:n5', 'unchanged:n1', 'unchanged:n2', 'unchanged:n3', 'unchanged:n4']);
  });

  it('carries both facts for a paragraph moved and changed', () => {
    const result = compareDocuments(report(), report({ n1: 'The Group met in Geneva.' }, ['n2', 'n3', 'n4', 'n5', 'n1']));
    const entry = result.entries.find((candidate) => candidate.pid === 'n1');
    expect(entry?.kind).toBe('moved');
    expect(entry?.moved).toBe(true);
    expect(entry?.changed).toBe(true);
    expect(entry?.words).toEqual([
      { op: 'equal', text: 'The Group met in ' },
      { op: 'delete', text: 'New York' },
      { op: 'insert', text: 'Geneva' },
      { op: 'equal', text: '.' },
    ]);
    expect(result.summary).toEqual({ changed: 1, added: 0, deleted: 0, moved: 1, unchanged: 5 });
  });

  it('handles a mix of additions, deletions, moves and changes', () => {
    const after = body(
      np({ pid: 'n4' }, 'Delegations exchanged views.'),
      np({ pid: 'n1' }, 'The Group met in New York.'),
      np({ pid: 'x' }, 'New text.'),
      np({ pid: 'n3' }, 'The Chair presented the text.'),
    );
    const result = compareDocuments(report(), after);
    expect(shape(result)).toEqual(['unchanged:title', 'moved:n4', 'unchanged:n1', 'added:x', 'deleted:n2', 'changed:n3', 'deleted:n5']);
    expect(result.summary).toEqual({ changed: 1, added: 1, deleted: 2, moved: 1, unchanged: 2 });
    expectRuns(result);
    expect(changedEntries(result).map((entry) => entry.pid)).toEqual(['n4', 'x', 'n2', 'n3', 'n5']);
    const rows = sideBySide(result);
    expect(rows[3]?.left).toBeUndefined();
    expect(rows[4]?.right).toBeUndefined();
    expect(rows[5]?.left).toEqual([
      { op: 'equal', text: 'The Chair presented the ' },
      { op: 'delete', text: 'draft' },
      { op: 'equal', text: '.' },
    ]);
    expect(rows[5]?.right?.map((run) => run.text).join('')).toBe('The Chair presented the text.');
  });

  it('matches blocks without pids by identical text in order, then by shared words', () => {
    const before = body(p('Intro line.'), p('The meeting opened at 10 a.m. sharp.'), p('To be removed entirely.'), p('Closing.'));
    const after = body(p('Intro line.'), p('The meeting opened at 11 a.m. sharp.'), p('Something else altogether here.'), p('Closing.'));
    const result = compareDocuments(before, after);
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:-', 'changed:-', 'added:-', 'deleted:-', 'unchanged:-']);
    expect(result.entries[2]?.words).toEqual([
      { op: 'equal', text: 'The meeting opened at ' },
      { op: 'delete', text: '10' },
      { op: 'insert', text: '11' },
      { op: 'equal', text: ' a.m. sharp.' },
    ]);
    expectRuns(result);
  });

  it('treats a repeated pid as no pid rather than matching twice', () => {
    const before = body(np({ pid: 'a' }, 'One.'), np({ pid: 'a' }, 'Two.'));
    const result = compareDocuments(before, before);
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:a', 'unchanged:-']);
  });

  it('compares footnote text as part of its paragraph, between markers', () => {
    const before = body(np({ pid: 'n1' }, 'The Group met.', fn('See A/78/265, para. 23.')));
    const after = body(np({ pid: 'n1' }, 'The Group met.', fn('See A/78/265, para. 24.')));
    const entry = compareDocuments(before, after).entries[1];
    expect(entry?.before?.text).toBe(`The Group met.${FOOTNOTE_OPEN}See A/78/265, para. 23.${FOOTNOTE_CLOSE}`);
    expect(entry?.words).toEqual([
      { op: 'equal', text: `The Group met.${FOOTNOTE_OPEN}See A/78/265, para. ` },
      { op: 'delete', text: '23' },
      { op: 'insert', text: '24' },
      { op: 'equal', text: `.${FOOTNOTE_CLOSE}` },
    ]);

    const added = compareDocuments(body(np({ pid: 'n1' }, 'The Group met.')), after).entries[1];
    expect(added?.words).toEqual([
      { op: 'equal', text: 'The Group met.' },
      { op: 'insert', text: `${FOOTNOTE_OPEN}See A/78/265, para. 24.${FOOTNOTE_CLOSE}` },
    ]);
  });

  it('flags a formatting change on equal text', () => {
    const before = body(np({ pid: 'n1' }, 'States must act now.'));
    const after = body(np({ pid: 'n1' }, 'States ', b('must'), ' act now.'));
    const result = compareDocuments(before, after);
    const entry = result.entries[1];
    expect(entry?.kind).toBe('changed');
    expect(entry?.changes).toEqual({ text: false, format: true, style: false });
    expect(entry?.words).toEqual([
      { op: 'equal', text: 'States ' },
      { op: 'equal', text: 'must', format: true },
      { op: 'equal', text: ' act now.' },
    ]);
    expect(result.summary.changed).toBe(1);
  });

  it('reports a change of block type as a change with equal words', () => {
    const result = compareDocuments(body(p({ pid: 'a' }, 'Text.')), body(np({ pid: 'a' }, 'Text.')));
    expect(result.entries[1]?.kind).toBe('changed');
    expect(result.entries[1]?.changes).toEqual({ text: false, format: false, style: true });
    expect(result.entries[1]?.words).toEqual([{ op: 'equal', text: 'Text.' }]);
  });

  it('compares the paragraphs inside lettered lists and tables, with their labels', () => {
    const make = (point: string, cell: string): Node =>
      body(
        h1({ pid: 'h' }, 'Conclusions'),
        np({ pid: 'n1' }, 'States agreed:'),
        ll(li(p({ pid: 's1' }, point)), li(p({ pid: 's2' }, 'to meet again'))),
        table(tr(td(p({ pid: 'c1' }, cell)))),
      );
    const result = compareDocuments(make('to cooperate', 'March'), make('to cooperate closely', 'April'));
    expect(shape(result)).toEqual(['unchanged:title', 'unchanged:h', 'unchanged:n1', 'changed:s1', 'unchanged:s2', 'changed:c1']);
    expect(result.entries[1]?.after?.number).toBe('A.');
    expect(result.entries[3]?.after?.number).toBe('1 (a)');
    expect(result.entries[4]?.before?.number).toBe('1 (b)');
    expect(result.entries[5]?.words).toEqual([{ op: 'delete', text: 'March' }, { op: 'insert', text: 'April' }]);
  });

  it('numbers the earlier version against a given baseline', () => {
    const result = compareDocuments(report({}, ['n1', 'n2']), report({}, ['n1', 'n2']), { baseline: new Map([['n1', 7]]) });
    expect(result.entries.map((entry) => entry.before?.number ?? '')).toEqual(['', '7', '7 bis']);
    expect(result.entries.map((entry) => entry.after?.number ?? '')).toEqual(['', '7', '7 bis']);
  });
});

describe('longestIncreasingSubsequence', () => {
  it('keeps the longest run in order', () => {
    expect([...longestIncreasingSubsequence([1, 2, 3, 0, 4])].sort()).toEqual([0, 1, 2, 4]);
    expect(longestIncreasingSubsequence([]).size).toBe(0);
    expect(longestIncreasingSubsequence([5, 4, 3, 2, 1]).size).toBe(1);
  });
});

describe('compareDocuments on a 100-page document', () => {
  it('finds exactly the 5 % of changed paragraphs among 2,500 blocks (prints the time)', () => {
    const random = seededRandom(42);
    const words = ['the', 'Group', 'recalled', 'States', 'resolution', 'development', 'sustainable', 'agreed', 'Member', 'report', 'international', 'cooperation'];
    const sentence = (): string =>
      Array.from({ length: 30 + Math.floor(random() * 40) }, () => words[Math.floor(random() * words.length)] as string).join(' ') + '.';
    const texts = Array.from({ length: 2500 }, sentence);
    const changedIndexes = new Set<number>();
    while (changedIndexes.size < 125) changedIndexes.add(Math.floor(random() * 2500));
    const build = (edit: boolean): Node =>
      body(
        ...texts.map((text, index) => {
          const pid = `p${index}`;
          const content = edit && changedIndexes.has(index) ? text.replace(/^(\S+) (\S+)/u, '$1 amended $2') : text;
          return index % 50 === 0 ? h1({ pid }, content) : np({ pid }, content);
        }),
      );
    const before = build(false);
    const after = build(true);
    const start = performance.now();
    const result = compareDocuments(before, after);
    const elapsed = performance.now() - start;
    const again = performance.now();
    compareDocuments(before, after);
    const warm = performance.now() - again;
    console.log(`compareDocuments: 2,501 blocks, 125 changed: ${elapsed.toFixed(1)} ms cold, ${warm.toFixed(1)} ms warm`);
    expect(result.summary).toEqual({ changed: 125, added: 0, deleted: 0, moved: 0, unchanged: 2376 });
    const changedPids = result.entries.filter((entry) => entry.changed).map((entry) => entry.pid);
    expect(changedPids).toEqual([...changedIndexes].sort((x, y) => x - y).map((index) => `p${index}`));
    for (const entry of result.entries.filter((candidate) => candidate.changed)) {
      expect(entry.words.filter((run) => run.op !== 'equal')).toEqual([{ op: 'insert', text: 'amended ' }]);
    }
    expectRuns(result);
  });
});

describe('compareDocuments on random edits', () => {
  it('accounts for every paragraph once, in the later order, for 200 random edit sets (seeded)', () => {
    const random = seededRandom(1234);
    for (let round = 0; round < 200; round += 1) {
      const count = 1 + Math.floor(random() * 12);
      const oldPids = Array.from({ length: count }, (_, index) => `p${index}`);
      let newPids = oldPids.filter(() => random() > 0.2);
      for (let k = 0; k < 3; k += 1) {
        if (random() < 0.5 && newPids.length > 1) {
          const [pid] = newPids.splice(Math.floor(random() * newPids.length), 1);
          newPids.splice(Math.floor(random() * (newPids.length + 1)), 0, pid as string);
        }
      }
      newPids = newPids.flatMap((pid) => (random() < 0.15 ? [pid, `x${pid}`] : [pid]));
      if (newPids.length === 0) newPids = ['fresh']; // a document has at least one body block
      const textOf = (pid: string, edited: boolean): string => `Paragraph ${pid} says${edited ? ' something' : ''} this.`;
      const edited = new Set(newPids.filter(() => random() < 0.3));
      const before = body(...oldPids.map((pid) => np({ pid }, textOf(pid, false))));
      const after = body(...newPids.map((pid) => np({ pid }, textOf(pid, edited.has(pid)))));
      const result = compareDocuments(before, after);
      const label = `round ${round}: ${oldPids.join(',')} -> ${newPids.join(',')}`;

      expect(result.entries.filter((entry) => entry.after).map((entry) => entry.pid), label).toEqual(['title', ...newPids]);
      const beforeSeen = result.entries.filter((entry) => entry.before).map((entry) => entry.pid).sort();
      expect(beforeSeen, label).toEqual(['title', ...oldPids].sort());
      const kept = oldPids.filter((pid) => newPids.includes(pid));
      const keptOrder = newPids.filter((pid) => kept.includes(pid)).map((pid) => oldPids.indexOf(pid));
      expect(result.summary.moved, label).toBe(kept.length - longestIncreasingSubsequence(keptOrder).size);
      expect(result.summary.deleted, label).toBe(oldPids.length - kept.length);
      expect(result.summary.added, label).toBe(newPids.length - kept.length);
      expect(result.summary.changed, label).toBe(kept.filter((pid) => edited.has(pid)).length);
      // Paragraphs that stayed in place keep the earlier order, deleted ones included.
      const inPlace = result.entries.filter((entry) => entry.before && !entry.moved).map((entry) => entry.before?.index ?? -1);
      expect(inPlace, label).toEqual([...inPlace].sort((x, y) => x - y));
      expectRuns(result);
    }
  });

  it('gives up word by word on a long paragraph rewritten throughout, still rebuilding both texts', () => {
    const long = (prefix: string): string => Array.from({ length: 3000 }, (_, index) => `${prefix}${index}`).join(' ');
    const result = compareDocuments(body(np({ pid: 'a' }, long('w'))), body(np({ pid: 'a' }, long('v'))));
    expect(result.entries[1]?.kind).toBe('changed');
    expect(result.entries[1]?.words.map((run) => run.op)).toEqual(['delete', 'insert']);
    expectRuns(result);
  });
});
