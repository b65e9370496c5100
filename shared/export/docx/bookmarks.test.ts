import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { newPid } from '../../model/pids.ts';
import { schema } from '../../schema/index.ts';
import { b, body, fn, np, p } from '../../schema/test-builder.ts';
import { MAX_BOOKMARK_NAME_LENGTH, PID_BOOKMARK_PREFIX, pidBookmarkName, pidFromBookmarkName } from './bookmarks.ts';
import { cleanDocx } from './clean.ts';
import { comparisonDocx } from './comparison.ts';
import { compilationDocx } from './compilation.ts';
import { WordWriter } from './runs.ts';
import { revisedSample, sampleNegotiation } from './test-fixtures.ts';
import { all, documentTexts, parseXml, part, textOf, unzipDocx, type XmlElement } from './test-xml.ts';

/** Word's rule for a bookmark name: letters, digits and "_", at most 40 characters. */
const WORD_NAME = /^[A-Za-z0-9_]{1,40}$/;

describe('pid bookmark names', () => {
  it('writes the pids Penholder makes as they are, after the hidden prefix', () => {
    for (let i = 0; i < 50; i += 1) {
      const pid = newPid();
      const name = pidBookmarkName(pid);
      expect(name).toBe(`_ph_${pid}`);
      expect(name).toMatch(WORD_NAME);
      expect(pidFromBookmarkName(name as string)).toBe(pid);
    }
  });

  it('escapes every other character reversibly: hyphens, "_", capitals (Word ignores case), accents, astral characters', () => {
    const cases: Array<[string, string]> = [
      ['zd-p03-b1', '_ph_zd_2dp03_2db1'],
      ['a_b', '_ph_a_5fb'],
      ['Ab', '_ph__41b'],
      ['é', '_ph__e9'],
      ['п', '_ph__u043f'],
      ['x\u{1F600}', '_ph_x_ud83d_ude00'],
      [' ', '_ph__20'],
    ];
    for (const [pid, name] of cases) {
      expect(pidBookmarkName(pid)).toBe(name);
      expect(name).toMatch(WORD_NAME);
      expect(pidFromBookmarkName(name)).toBe(pid);
    }
    // Two pids that differ only in case get names that differ in more than case.
    expect(pidBookmarkName('ab')?.toLowerCase()).not.toBe(pidBookmarkName('AB')?.toLowerCase());
  });

  it('leaves out a pid whose name would pass 40 characters, and an empty one', () => {
    const fits = 'a'.repeat(MAX_BOOKMARK_NAME_LENGTH - PID_BOOKMARK_PREFIX.length);
    expect(pidBookmarkName(fits)).toHaveLength(MAX_BOOKMARK_NAME_LENGTH);
    expect(pidBookmarkName(`${fits}a`)).toBeNull();
    // Escapes count: 12 hyphens take 36 characters.
    expect(pidBookmarkName('-'.repeat(12))).toHaveLength(40);
    expect(pidBookmarkName('-'.repeat(13))).toBeNull();
    expect(pidBookmarkName('')).toBeNull();
  });

  it('reads only its own canonical names: other bookmarks and altered names are not pids', () => {
    for (const name of [
      '_GoBack',
      '_Toc123456',
      'ph_abc',
      '_PH_abc',
      '_ph_',
      '_ph_ABC',
      '_ph_ab_',
      '_ph_ab_2',
      '_ph_ab_zz',
      '_ph_ab_61', // an escaped plain letter
      '_ph__u00e9', // four digits for a code that takes two
      '_ph__uzzzz',
      `_ph_${'a'.repeat(40)}`,
    ]) {
      expect(pidFromBookmarkName(name), name).toBeNull();
    }
  });
});

/** The bookmarks of written XML: [kind, id, name] in order. */
function bookmarks(root: XmlElement): Array<[string, string, string?]> {
  const out: Array<[string, string, string?]> = [];
  const walk = (element: XmlElement): void => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      if (child.name === 'w:bookmarkStart') out.push(['start', child.attrs['w:id'] as string, child.attrs['w:name']]);
      else if (child.name === 'w:bookmarkEnd') out.push(['end', child.attrs['w:id'] as string]);
      else walk(child);
    }
  };
  walk(root);
  return out;
}

describe('WordWriter paragraphs with a pid', () => {
  it('puts the bookmark right after the paragraph properties, around the runs, with ids shared with tracked changes', () => {
    const word = new WordWriter({ author: 'Chair', date: '2026-07-01T09:00:00Z' });
    const first = word.paragraph({ style: 'UNBody', pid: 'zd-p01' }, word.runs([{ kind: 'text', op: 'insert', text: 'New words', marks: [] }], { changes: 'tracked' }));
    const element = parseXml(`<w:body xmlns:w="w">${first}</w:body>`);
    const paragraph = all(element, 'w:p')[0] as XmlElement;
    expect(paragraph.children.map((child) => (typeof child === 'string' ? '#text' : child.name))).toEqual(['w:pPr', 'w:bookmarkStart', 'w:ins', 'w:bookmarkEnd']);
    // The change took id 1, the bookmark 2: one counter, so no annotation id is used twice.
    expect(all(element, 'w:ins')[0]?.attrs['w:id']).toBe('1');
    expect(bookmarks(element)).toEqual([
      ['start', '2', '_ph_zd_2dp01'],
      ['end', '2'],
    ]);
  });

  it('writes a pid once (a moved paragraph is met twice), and nothing for a pid it cannot name or none', () => {
    const word = new WordWriter();
    const xml = [
      word.paragraph({ pid: 'a1' }, []),
      word.paragraph({ pid: 'a1' }, []),
      word.paragraph({ pid: 'x'.repeat(37) }, []),
      word.paragraph({ pid: null }, []),
      word.paragraph({}, []),
      word.paragraph({ pid: 'b2' }, []),
    ].join('');
    const element = parseXml(`<w:body xmlns:w="w">${xml}</w:body>`);
    expect(bookmarks(element)).toEqual([
      ['start', '1', '_ph_a1'],
      ['end', '1'],
      ['start', '2', '_ph_b2'],
      ['end', '2'],
    ]);
  });

  it('ends the bookmark before the first footnote reference, where the runs already break', async () => {
    const doc = body(np({ pid: 'n1' }, 'Agreed ', b('text'), fn('A note.'), ' and more.'), p({ pid: 'u1' }, 'Plain.'));
    const document = part(unzipDocx(await cleanDocx(doc)), 'word/document.xml');
    const layout = (paragraph: XmlElement) =>
      paragraph.children.flatMap((one) => {
        if (typeof one === 'string') return [];
        if (one.name !== 'w:r') return [one.name];
        return [all(one, 'w:footnoteReference').length > 0 ? 'note' : 'w:r'];
      });
    const [numbered, plain] = all(document, 'w:p').filter((paragraph) => all(paragraph, 'w:bookmarkStart').length > 0 && !textOf(paragraph).startsWith('Title'));
    expect(layout(numbered as XmlElement)).toEqual(['w:pPr', 'w:bookmarkStart', 'w:r', 'w:r', 'w:bookmarkEnd', 'note', 'w:r']);
    expect(layout(plain as XmlElement)).toEqual(['w:pPr', 'w:bookmarkStart', 'w:r', 'w:bookmarkEnd']);
  });
});

/** The pid each paragraph of document.xml is bookmarked with (null for none), and every annotation id used. */
function bookmarkedParagraphs(bytes: Uint8Array): { pids: Array<{ pid: string | null; text: string }>; ids: string[] } {
  const document = part(unzipDocx(bytes), 'word/document.xml');
  const pids = all(document, 'w:p').map((paragraph) => {
    const starts = all(paragraph, 'w:bookmarkStart');
    expect(starts.length).toBeLessThanOrEqual(1);
    const name = starts[0]?.attrs['w:name'];
    return { pid: name === undefined ? null : pidFromBookmarkName(name), text: textOf(paragraph, 'accept') };
  });
  const ids = [...all(document, 'w:bookmarkStart'), ...all(document, 'w:ins'), ...all(document, 'w:del'), ...all(document, 'w:pPrChange'), ...all(document, 'w:rPrChange')]
    .map((element) => element.attrs['w:id'])
    .filter((id): id is string => id !== undefined);
  // Every start has its end, by id.
  const ends = new Set(all(document, 'w:bookmarkEnd').map((end) => end.attrs['w:id']));
  for (const start of all(document, 'w:bookmarkStart')) expect(ends.has(start.attrs['w:id'])).toBe(true);
  return { pids, ids };
}

/** Every pid of a document's textblocks, in order. */
function textblockPids(doc: ProseMirrorNode): string[] {
  const out: string[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    if (typeof node.attrs['pid'] === 'string') out.push(node.attrs['pid']);
    return false;
  });
  return out;
}

const zeroDraftJson = JSON.parse(readFileSync(new URL('../../../resources/sample/zero-draft.json', import.meta.url), 'utf8')) as unknown;
const zeroDraft = schema.nodeFromJSON(zeroDraftJson);

describe('pid bookmarks in the exports', () => {
  it('clean text: every textblock with a pid (title, headings, numbered, lettered, bullets, table cells), once each', async () => {
    const { pids, ids } = bookmarkedParagraphs(await cleanDocx(zeroDraft));
    const written = pids.flatMap((entry) => (entry.pid === null ? [] : [entry.pid]));
    expect(written).toEqual(textblockPids(zeroDraft));
    expect(new Set(ids).size).toBe(ids.length);
    // The paragraph bookmarked with a pid is that paragraph: it reads that textblock's text.
    const texts = documentTexts(zeroDraft);
    expect(pids.filter((entry) => entry.pid !== null).map((entry) => entry.text)).toEqual(texts);
  });

  it('compilation: the text\'s paragraphs only, never the proposal blocks under them', async () => {
    const sample = sampleNegotiation(zeroDraft);
    const { pids, ids } = bookmarkedParagraphs(await compilationDocx(sample.doc, sample.negotiation, { participantName: sample.name }));
    expect(pids.flatMap((entry) => (entry.pid === null ? [] : [entry.pid]))).toEqual(textblockPids(sample.doc));
    expect(new Set(ids).size).toBe(ids.length);
    const proposal = pids.find((entry) => entry.text.includes('Tabled on'));
    expect(proposal?.pid).toBeNull();
  });

  it('comparison: each pid once, where `after` has it (a moved paragraph at its new place), ids unique with the changes', async () => {
    const after = revisedSample(zeroDraftJson);
    const { pids, ids } = bookmarkedParagraphs(await comparisonDocx(zeroDraft, after, { author: 'Chair', date: '2026-07-01T09:00:00Z', beforeLabel: 'Zero draft', afterLabel: 'Rev.1' }));
    const written = pids.flatMap((entry) => (entry.pid === null ? [] : [entry.pid]));
    expect(new Set(written).size).toBe(written.length);
    expect(new Set(ids).size).toBe(ids.length);
    // Every pid of `after`, the deleted paragraph's too.
    expect(new Set(written)).toEqual(new Set([...textblockPids(after), 'zd-p06']));
    // zd-p13 moved after zd-p08: bookmarked right after it, not where it stood.
    expect(written[written.indexOf('zd-p08') + 1]).toBe('zd-p13');
    const deleted = pids.find((entry) => entry.pid === 'zd-p06');
    expect(deleted?.text).toBe('');
  });
});
