import { describe, expect, it } from 'vitest';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { importDocx } from './index.ts';
import { del, docxPackage, ins, run, type TestPackage } from '../../tests/fixtures/docx/package.ts';

const mark = (kind: 'ins' | 'del', id: number) => `<w:rPr><w:${kind} w:id="${id}" w:author="Delegation of Ruritania" w:date="2026-07-01T11:00:00Z"/></w:rPr>`;
const start = (id: number, name: string) => `<w:bookmarkStart w:id="${id}" w:name="${name}"/>`;
const end = (id: number) => `<w:bookmarkEnd w:id="${id}"/>`;

/** A paragraph as the export writes it: its text inside the bookmark naming `pid`, then `extra` (a change). */
function bookmarked(id: number, name: string, text: string, extra = '', properties = ''): string {
  return `<w:p>${properties ? `<w:pPr>${properties}</w:pPr>` : ''}${start(id, name)}${run(text)}${end(id)}${extra}</w:p>`;
}

function load(parts: TestPackage) {
  const imported = importDocx(docxPackage(parts));
  const node = ProseMirrorNode.fromJSON(schema, imported.doc);
  node.check();
  return { ...imported, node };
}

/** Every pid of an imported document. */
function pidsOf(node: ProseMirrorNode): string[] {
  const pids: string[] = [];
  node.descendants((child) => {
    if (typeof child.attrs['pid'] === 'string') pids.push(child.attrs['pid']);
    return true;
  });
  return pids;
}

describe('reading pid bookmarks', () => {
  it('gives each tracked paragraph the pid of the "_ph_" bookmark that starts in it, and ignores every other bookmark', () => {
    const { tracked } = load({
      body:
        bookmarked(1, '_ph_zd_2dp01', '1.\tThe group met in New York.', ins(' last year', undefined, undefined, 10)) +
        // Another program's bookmarks, and ours in an altered form: not pids.
        `<w:p>${start(2, '_GoBack')}${start(3, '_Toc12345')}${start(4, '_PH_ZD')}${run('2.\tStates should cooperate.')}${ins(' closely', undefined, undefined, 11)}${end(2)}${end(3)}${end(4)}</w:p>` +
        // A bookmark that starts at body level, before the paragraph (as some editors write it).
        `${start(5, '_ph_p3')}<w:p>${run('3.\tThe Chair will report.')}${ins(' soon', undefined, undefined, 12)}</w:p>${end(5)}`,
    });
    expect(tracked.map((entry) => [entry.number, entry.pid])).toEqual([
      ['1', 'zd-p01'],
      ['2', null],
      ['3', 'p3'],
    ]);
  });

  it('takes the first pid bookmark of a paragraph, and drops a pid two paragraphs claim (the file was altered)', () => {
    const { tracked } = load({
      body:
        `<w:p>${start(1, '_ph_first')}${start(2, '_ph_second')}${run('One.')}${ins(' more', undefined, undefined, 10)}${end(1)}${end(2)}</w:p>` +
        bookmarked(3, '_ph_twice', 'Two.', ins(' more', undefined, undefined, 11)) +
        bookmarked(4, '_ph_twice', 'Three.', ins(' more', undefined, undefined, 12)),
    });
    expect(tracked.map((entry) => [entry.original, entry.pid])).toEqual([
      ['One.', 'first'],
      ['Two.', null],
      ['Three.', null],
    ]);
  });

  it('keeps the pid on the original paragraph through a split, Enter at its end or at its start; added paragraphs have none', () => {
    const { tracked } = load({
      body:
        // Split with Enter in the middle: the bookmark starts in the first part.
        `<w:p><w:pPr>${mark('ins', 1)}</w:pPr>${start(2, '_ph_split')}${run('First half,')}</w:p><w:p>${run(' second half.')}${end(2)}${ins(' Added.', undefined, undefined, 3)}</w:p>` +
        // Enter at the end, then a new paragraph typed.
        `<w:p><w:pPr>${mark('ins', 4)}</w:pPr>${start(5, '_ph_atend')}${run('Kept paragraph.')}${end(5)}</w:p><w:p>${ins('A new paragraph after it.', undefined, undefined, 6)}</w:p>` +
        // Enter at the start: Word may leave the bookmark's start in the new paragraph before the original one.
        `<w:p><w:pPr>${mark('ins', 7)}</w:pPr>${start(8, '_ph_atstart')}${ins('A new paragraph before it.', undefined, undefined, 9)}</w:p><w:p>${run('The original text.')}${end(8)}${ins(' Indeed.', undefined, undefined, 10)}</w:p>`,
    });
    expect(tracked.map((entry) => [entry.original, entry.proposed, entry.wholeParagraph, entry.pid])).toEqual([
      ['First half, second half.', 'First half,  second half. Added.', null, 'split'],
      ['Kept paragraph.', 'Kept paragraph.', null, 'atend'],
      ['', 'A new paragraph after it.', 'inserted', null],
      ['', 'A new paragraph before it.', 'inserted', null],
      ['The original text.', 'The original text. Indeed.', null, 'atstart'],
    ]);
  });

  it('reads the pid of a wholly deleted paragraph and of table cells, and none from footnotes', () => {
    const { tracked } = load({
      body:
        `<w:p><w:pPr>${mark('del', 1)}</w:pPr>${start(2, '_ph_gone')}${del('This paragraph goes.', undefined, undefined, 3)}${end(2)}</w:p>` +
        `<w:tbl><w:tr><w:tc>${bookmarked(4, '_ph_cell', '10 a.m.', ins(' sharp', undefined, undefined, 5))}</w:tc></w:tr></w:tbl>` +
        `<w:p>${run('Last.')}<w:r><w:footnoteReference w:id="1"/></w:r>${ins(' Really.', undefined, undefined, 6)}</w:p>`,
      footnotes: `<w:footnote w:id="1"><w:p>${start(7, '_ph_note')}${run('A note.')}${end(7)}</w:p></w:footnote>`,
    });
    expect(tracked.map((entry) => [entry.wholeParagraph, entry.pid])).toEqual([
      ['deleted', 'gone'],
      [null, 'cell'],
      [null, null],
    ]);
  });

  it('gives a document imported as new fresh pids, whatever its bookmarks say', () => {
    const { node, tracked } = load({
      body: bookmarked(1, '_ph_p1', '1.\tFirst.') + bookmarked(2, '_ph_p2', '2.\tSecond.'),
    });
    expect(tracked).toEqual([]);
    const pids = pidsOf(node);
    expect(pids).toHaveLength(3);
    expect(pids).not.toContain('p1');
    expect(pids).not.toContain('p2');
  });
});
