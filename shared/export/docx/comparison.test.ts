import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Node } from 'prosemirror-model';
import { schema } from '../../schema/index.ts';
import { b, body, bi, br, doc, fn, h1, header, li, ll, np, p, table, td, th, title, tr, ul } from '../../schema/test-builder.ts';
import { comparisonDocx } from './comparison.ts';
import { REVISION_CHANGES, revisedSample } from './test-fixtures.ts';
import { all, ancestor, bodyTexts, child, documentTexts, part, readParagraphs, reconstruct, textOf, unzipDocx, type XmlElement } from './test-xml.ts';
import { seededRandom } from '../../../tests/helpers/random.ts';

const AUTHOR = 'Ambassador Rivera';
const DATE = '2026-07-03T10:00:00Z';
const OPTIONS = { author: AUTHOR, date: DATE, beforeLabel: 'Rev.1', afterLabel: 'Rev.2' };

async function exported(before: Node, after: Node) {
  const parts = unzipDocx(await comparisonDocx(before, after, OPTIONS));
  return { parts, document: part(parts, 'word/document.xml'), footnotes: part(parts, 'word/footnotes.xml') };
}

/** The tables of the body after the masthead (the header block is a table too). */
function bodyTables(document: XmlElement): XmlElement[] {
  return all(document, 'w:tbl').slice(1);
}

/** Every w:ins or w:del holding text, with its attributes and text. */
function changes(root: XmlElement, name: 'w:ins' | 'w:del') {
  return all(root, name)
    .filter((element) => element.parent?.name !== 'w:rPr' && element.parent?.name !== 'w:trPr')
    .map((element) => ({ author: element.attrs['w:author'], date: element.attrs['w:date'], text: textOf(element) }));
}

/** Asserts that Accept All reads `after` and Reject All reads `before`, paragraph for paragraph. */
async function expectRoundTrip(before: Node, after: Node): Promise<void> {
  const { document } = await exported(before, after);
  const paragraphs = readParagraphs(document);
  expect(bodyTexts(reconstruct(paragraphs, 'accept'))).toEqual(documentTexts(after));
  expect(bodyTexts(reconstruct(paragraphs, 'reject'))).toEqual(documentTexts(before));
}

const report = (texts: Record<string, string> = {}, order = ['n1', 'n2', 'n3', 'n4']): Node => {
  const defaults: Record<string, string> = {
    n1: 'The Group met in New York.',
    n2: 'States recalled resolution 78/265.',
    n3: 'The Chair presented the draft.',
    n4: 'Delegations exchanged views.',
  };
  return body(...order.map((pid) => np({ pid }, texts[pid] ?? defaults[pid] ?? `Paragraph ${pid}.`)));
};

describe('comparisonDocx', () => {
  it('tracks replaced words as w:del and w:ins with the author and date, the rest untouched', async () => {
    const { document, parts } = await exported(report(), report({ n3: 'The Chair presented the revised text.' }));
    expect(changes(document, 'w:del')).toEqual([{ author: AUTHOR, date: DATE, text: 'draft' }]);
    expect(changes(document, 'w:ins')).toEqual([{ author: AUTHOR, date: DATE, text: 'revised text' }]);
    const settings = part(parts, 'word/settings.xml');
    expect(all(settings, 'w:trackRevisions')).toHaveLength(1);
    // Typed numbers: the comparison carries bis/ter and deleted numbers, which Word numbering cannot say.
    const numbered = all(document, 'w:p').filter((paragraph) => child(child(paragraph, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] === 'UNNumbered');
    expect(numbered.map((paragraph) => textOf(paragraph, 'accept'))).toEqual([
      '1.\tThe Group met in New York.',
      '2.\tStates recalled resolution 78/265.',
      '3.\tThe Chair presented the revised text.',
      '4.\tDelegations exchanged views.',
    ]);
    expect(all(document, 'w:numPr').filter((numPr) => ancestor(numPr, 'w:p') && numbered.includes(ancestor(numPr, 'w:p') as XmlElement))).toEqual([]);
  });

  it('writes an added paragraph as a whole-paragraph insertion, numbered bis, its mark inserted', async () => {
    const after = body(np({ pid: 'n1' }, 'The Group met in New York.'), np({ pid: 'x' }, 'It elected its Chair.'), np({ pid: 'n2' }, 'States recalled resolution 78/265.'));
    const before = body(np({ pid: 'n1' }, 'The Group met in New York.'), np({ pid: 'n2' }, 'States recalled resolution 78/265.'));
    const { document } = await exported(before, after);
    const added = all(document, 'w:p').find((paragraph) => textOf(paragraph).includes('It elected')) as XmlElement;
    expect(textOf(added, 'accept')).toBe('1 bis.\tIt elected its Chair.');
    expect(textOf(added, 'reject')).toBe('');
    expect(child(child(child(added, 'w:pPr'), 'w:rPr'), 'w:ins')?.attrs).toMatchObject({ 'w:author': AUTHOR, 'w:date': DATE });
    await expectRoundTrip(before, after);
  });

  it('writes a deleted paragraph as a whole-paragraph deletion where it stood, its mark deleted', async () => {
    const before = report();
    const after = report({}, ['n1', 'n2', 'n4']);
    const { document } = await exported(before, after);
    const gone = all(document, 'w:p').find((paragraph) => textOf(paragraph).includes('The Chair presented')) as XmlElement;
    expect(textOf(gone, 'reject')).toBe('3.\tThe Chair presented the draft.');
    expect(textOf(gone, 'accept')).toBe('');
    expect(child(child(child(gone, 'w:pPr'), 'w:rPr'), 'w:del')?.attrs['w:author']).toBe(AUTHOR);
    await expectRoundTrip(before, after);
  });

  it('shows a moved paragraph deleted at its old place and inserted at its new one', async () => {
    const before = report();
    const after = report({}, ['n2', 'n3', 'n1', 'n4']);
    const { document } = await exported(before, after);
    const texts = all(document, 'w:p').map((paragraph) => ({ accept: textOf(paragraph, 'accept'), reject: textOf(paragraph, 'reject') }));
    const from = texts.findIndex((text) => text.reject.includes('met in New York') && text.accept === '');
    const to = texts.findIndex((text) => text.accept.includes('met in New York') && text.reject === '');
    expect(from).toBeGreaterThan(-1);
    expect(to).toBeGreaterThan(from);
    expect(texts.slice(from + 1, to).map((text) => text.accept)).toEqual(['2.\tStates recalled resolution 78/265.', '3.\tThe Chair presented the draft.']);
    await expectRoundTrip(before, after);
  });

  it('tracks a changed footnote inside footnotes.xml and added or removed footnotes with their references', async () => {
    const before = body(np({ pid: 'a' }, 'First.', fn('See A/78/265, para. 23.')), np({ pid: 'b' }, 'Second.', fn('Gone note.')), np({ pid: 'c' }, 'Third.'));
    const after = body(np({ pid: 'a' }, 'First.', fn('See A/78/265, para. 24.')), np({ pid: 'b' }, 'Second.'), np({ pid: 'c' }, 'Third.', fn('New note.')));
    const { document, footnotes } = await exported(before, after);
    const notes = all(footnotes, 'w:footnote').filter((note) => Number(note.attrs['w:id']) > 0);
    expect(notes.map((note) => [textOf(note, 'reject').trim(), textOf(note, 'accept').trim()])).toEqual([
      ['See A/78/265, para. 23.', 'See A/78/265, para. 24.'],
      ['Gone note.', ''],
      ['', 'New note.'],
    ]);
    expect(changes(footnotes, 'w:del').map((change) => change.text)).toEqual(['23', 'Gone note.']);
    expect(changes(footnotes, 'w:ins').map((change) => change.text)).toEqual(['24', 'New note.']);
    const references = all(document, 'w:footnoteReference').map((reference) => ({
      id: reference.attrs['w:id'],
      tracked: ancestor(reference, 'w:ins') ? 'ins' : ancestor(reference, 'w:del') ? 'del' : null,
    }));
    expect(references).toEqual([
      { id: '1', tracked: null },
      { id: '2', tracked: 'del' },
      { id: '3', tracked: 'ins' },
    ]);
    await expectRoundTrip(before, after);
  });

  it('tracks a formatting change as w:rPrChange without touching the words', async () => {
    const before = body(np({ pid: 'a' }, 'The Group met in New York.'));
    const after = body(np({ pid: 'a' }, 'The Group ', b('met'), ' in New York.'));
    const { document } = await exported(before, after);
    const change = all(document, 'w:rPrChange');
    expect(change).toHaveLength(1);
    const run = ancestor(change[0] as XmlElement, 'w:r') as XmlElement;
    expect(textOf(run)).toBe('met');
    expect(child(child(run, 'w:rPr'), 'w:b')).toBeDefined();
    expect(change[0]?.attrs['w:author']).toBe(AUTHOR);
    expect(changes(document, 'w:ins')).toEqual([]);
    await expectRoundTrip(before, after);
  });

  it('strikes the old number and inserts the new one when a label changes, and tracks header fields', async () => {
    const before = doc(header({ symbol: 'A/AC.1/L.1', date: '1 May 2026' }, title({ pid: 't' }, 'Report')), h1({ pid: 'h' }, 'Intro'), np({ pid: 'a' }, 'One.'));
    const after = doc(header({ symbol: 'A/AC.1/L.2', date: '9 May 2026' }, title({ pid: 't' }, 'Report')), h1({ pid: 'g' }, 'Scope'), h1({ pid: 'h' }, 'Intro'), np({ pid: 'a' }, 'One.'));
    const { document } = await exported(before, after);
    // The symbol's last token and the day changed; the old section lost its letter A. to the new one.
    expect(changes(document, 'w:del').map((change) => change.text)).toEqual(['1', '1', 'A.']);
    expect(changes(document, 'w:ins').map((change) => change.text)).toEqual(['2', '9', 'A.\tScope', 'B.']);
    await expectRoundTrip(before, after);
  });

  it('edits a table in place: changed cells, an added row and a deleted row as tracked row changes', async () => {
    const row = (pid: string, a: string, c: string) => tr(td(p({ pid: `${pid}a` }, a)), td(p({ pid: `${pid}b` }, c)));
    const before = body(np({ pid: 'n' }, 'Programme:'), table(tr(th(p({ pid: 'h1' }, 'Date')), th(p({ pid: 'h2' }, 'Item'))), row('r1', '1 June', 'Item 3'), row('r2', '2 June', 'Item 4')), np({ pid: 'z' }, 'End.'));
    const after = body(np({ pid: 'n' }, 'Programme:'), table(tr(th(p({ pid: 'h1' }, 'Date')), th(p({ pid: 'h2' }, 'Item'))), row('r1', '1 June', 'Item 5'), row('r3', '3 June', 'Item 6')), np({ pid: 'z' }, 'End.'));
    const { document } = await exported(before, after);
    expect(bodyTables(document)).toHaveLength(1);
    const rows = all(bodyTables(document)[0] as XmlElement, 'w:tr');
    expect(rows.map((one) => (child(child(one, 'w:trPr'), 'w:ins') ? 'ins' : child(child(one, 'w:trPr'), 'w:del') ? 'del' : 'same'))).toEqual(['same', 'same', 'del', 'ins']);
    expect(changes(document, 'w:del').map((change) => change.text)).toEqual(expect.arrayContaining(['3', '2 June', 'Item 4']));
    await expectRoundTrip(before, after);
  });

  it('writes a table whose columns changed as the old table deleted and the new one inserted', async () => {
    const before = body(table(tr(td(p({ pid: 'a' }, 'A')), td(p({ pid: 'b' }, 'B')))));
    const after = body(table(tr(td(p({ pid: 'a' }, 'A')), td(p({ pid: 'b' }, 'B')), td(p({ pid: 'c' }, 'C')))));
    const { document } = await exported(before, after);
    expect(bodyTables(document)).toHaveLength(2);
    await expectRoundTrip(before, after);
  });

  it('keeps lettered sub-paragraphs, bullets and line breaks in their places', async () => {
    const before = body(
      np({ pid: 'n' }, 'States:'),
      ll(li(p({ pid: 'a' }, 'Cooperate;')), li(p({ pid: 'b' }, 'Share data;'), ll(li(p({ pid: 'bi' }, 'water levels;'))))),
      ul(bi(p({ pid: 'u1' }, 'first', br(), 'line'))),
    );
    const after = body(
      np({ pid: 'n' }, 'States:'),
      ll(li(p({ pid: 'x' }, 'Meet;')), li(p({ pid: 'a' }, 'Cooperate;')), li(p({ pid: 'b' }, 'Share data;'), ll(li(p({ pid: 'bi' }, 'water levels;')), li(p({ pid: 'bii' }, 'discharge;'))))),
      ul(bi(p({ pid: 'u1' }, 'first', br(), 'second line'))),
    );
    const { document } = await exported(before, after);
    const lettered = all(document, 'w:p').filter((paragraph) => child(child(paragraph, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] === 'UNLettered');
    expect(lettered.map((paragraph) => textOf(paragraph, 'accept'))).toEqual(['(a)\tMeet;', '(b)\tCooperate;', '(c)\tShare data;', '(i)\twater levels;', '(ii)\tdischarge;']);
    expect(lettered.map((paragraph) => textOf(paragraph, 'reject'))).toEqual(['', '(a)\tCooperate;', '(b)\tShare data;', '(i)\twater levels;', '']);
    await expectRoundTrip(before, after);
  });

  it('turns the revised sample into tracked changes that accept to Rev.1 and reject to the zero draft', async () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../../../resources/sample/zero-draft.json', import.meta.url), 'utf8'));
    const before = schema.nodeFromJSON(json);
    const after = revisedSample(json);
    const { document, footnotes } = await exported(before, after);
    const deleted = changes(document, 'w:del').map((change) => change.text);
    const inserted = changes(document, 'w:ins').map((change) => change.text);
    expect(deleted).toEqual(expect.arrayContaining([REVISION_CHANGES.deletedWords, expect.stringContaining(REVISION_CHANGES.deletedParagraphStart)]));
    expect(inserted).toEqual(expect.arrayContaining([REVISION_CHANGES.insertedWords, `4 bis.\t${REVISION_CHANGES.addedParagraph}`]));
    expect(textOf(footnotes, 'accept')).toContain(REVISION_CHANGES.footnoteAfter);
    expect(textOf(footnotes, 'reject')).toContain(REVISION_CHANGES.footnoteBefore);
    await expectRoundTrip(before, after);
  });

  it('reports progress up to the total and refuses a date that is not a date', async () => {
    const calls: [number, number][] = [];
    await comparisonDocx(report(), report({ n1: 'Changed.' }), { ...OPTIONS, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThan(1);
    const last = calls[calls.length - 1] as [number, number];
    expect(last[0]).toBe(last[1]);
    expect(calls.every(([done], index) => index === 0 || done >= (calls[index - 1] as [number, number])[0])).toBe(true);
    await expect(comparisonDocx(report(), report(), { ...OPTIONS, date: 'yesterday' })).rejects.toThrow(/not an ISO 8601 date/);
  });

  it('escapes an author name with XML characters and tracks a paragraph that changed style', async () => {
    const author = 'O\u2019Brien & "Co" <chair>';
    const before = body(p({ pid: 'a' }, 'Intro & <more>.'), np({ pid: 'b' }, 'Body.'));
    const after = body(np({ pid: 'a' }, 'Intro & <more>.'), np({ pid: 'b' }, 'Body.'));
    const document = part(unzipDocx(await comparisonDocx(before, after, { ...OPTIONS, author })), 'word/document.xml');
    const styleChange = all(document, 'w:pPrChange');
    expect(styleChange.map((change) => change.attrs['w:author'])).toEqual([author]);
    expect(child(child(styleChange[0], 'w:pPr'), 'w:pStyle')?.attrs['w:val']).toBe('UNBody');
    // The number it gained is an insertion (0 bis: numbered before paragraph 1 of the earlier version); its words stay.
    expect(changes(document, 'w:ins')).toEqual([{ author, date: DATE, text: '0 bis.\t' }]);
    await expectRoundTrip(before, after);
  });
});

interface Json {
  type: string;
  attrs?: Record<string, unknown>;
  content?: Json[];
  text?: string;
  marks?: { type: string }[];
}

const WORDS = ['States', 'the', 'Group', 'data', 'shared', 'basins', 'recalled', 'welcomed', 'cooperation', 'of', 'and', 'water', 'report'];

describe('comparisonDocx on random revisions', () => {
  it('always accepts to the later version and rejects to the earlier one (200 seeded cases)', async () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const random = seededRandom(seed);
      const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
      let counter = 0;
      const pid = (): string => `p${seed}-${(counter += 1)}`;
      const sentence = (): string => Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ') + '.';
      const inline = (): Json[] => {
        const out: Json[] = [{ type: 'text', text: sentence() }];
        if (random() < 0.2) out.push({ type: 'text', text: ` ${pick(WORDS)}`, marks: [{ type: 'bold' }] });
        if (random() < 0.2) out.push({ type: 'footnote', content: [{ type: 'text', text: sentence() }] });
        if (random() < 0.1) out.push({ type: 'hard_break' }, { type: 'text', text: sentence() });
        return out;
      };
      const textblock = (type: string, withPid = true): Json => ({ type, attrs: withPid ? { pid: pid() } : {}, content: inline() });
      const cell = (type: string): Json => ({ type, content: [textblock('paragraph', random() < 0.8)] });
      const block = (): Json => {
        const roll = random();
        if (roll < 0.5) return textblock('numbered_paragraph');
        if (roll < 0.6) return textblock('paragraph', random() < 0.7);
        if (roll < 0.7) return { type: 'heading', attrs: { pid: pid(), level: random() < 0.5 ? 1 : 2 }, content: [{ type: 'text', text: sentence() }] };
        if (roll < 0.8) return { type: 'lettered_list', content: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ type: 'lettered_item', content: [textblock('paragraph')] })) };
        if (roll < 0.9) return { type: 'bullet_list', content: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ type: 'list_item', content: [textblock('paragraph')] })) };
        const columns = 1 + Math.floor(random() * 3);
        return { type: 'table', content: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ type: 'table_row', content: Array.from({ length: columns }, () => cell('table_cell')) })) };
      };
      const before: Json = {
        type: 'doc',
        content: [{ type: 'header', attrs: { symbol: 'A/1', date: '1 May' }, content: [{ type: 'title', attrs: { pid: 'title' }, content: [{ type: 'text', text: 'Report' }] }] }, ...Array.from({ length: 3 + Math.floor(random() * 8) }, block)],
      };
      const after = structuredClone(before);
      const edit = (node: Json): void => {
        if (node.text !== undefined && random() < 0.3) node.text = random() < 0.5 ? sentence() : `${node.text} ${pick(WORDS)}`;
        if (node.type === 'footnote' && random() < 0.2) node.content = [{ type: 'text', text: sentence() }];
        const content = node.content;
        if (!content) return;
        content.forEach(edit);
        if (node.type === 'doc' || node.type === 'table' || node.type === 'lettered_list' || node.type === 'bullet_list') {
          const first = node.type === 'doc' ? 1 : 0;
          if (content.length - first > 1 && random() < 0.3) content.splice(first + Math.floor(random() * (content.length - first)), 1);
          if (random() < 0.3) {
            const at = first + Math.floor(random() * (content.length - first + 1));
            const template = node.type === 'doc' ? block() : node.type === 'table' ? structuredClone(content[0] as Json) : structuredClone(content[0] as Json);
            if (node.type !== 'doc') {
              const renew = (one: Json): void => {
                if (one.attrs?.['pid']) one.attrs = { ...one.attrs, pid: pid() };
                if (one.text !== undefined) one.text = sentence();
                one.content?.forEach(renew);
              };
              renew(template);
            }
            content.splice(at, 0, template);
          }
          if (node.type === 'doc' && content.length - first > 2 && random() < 0.3) {
            const [moved] = content.splice(first + Math.floor(random() * (content.length - first)), 1);
            content.splice(first + Math.floor(random() * (content.length - first + 1)), 0, moved as Json);
          }
        }
        if ((node.type === 'numbered_paragraph' || node.type === 'paragraph') && random() < 0.1) {
          const footnote = content.findIndex((one) => one.type === 'footnote');
          if (footnote >= 0) content.splice(footnote, 1);
          else content.push({ type: 'footnote', content: [{ type: 'text', text: sentence() }] });
        }
      };
      edit(after);
      if (random() < 0.3) (after.content?.[0] as Json).attrs = { symbol: 'A/2', date: '2 May' };
      const beforeDoc = schema.nodeFromJSON(before);
      const afterDoc = schema.nodeFromJSON(after);
      beforeDoc.check();
      afterDoc.check();
      try {
        await expectRoundTrip(beforeDoc, afterDoc);
      } catch (error) {
        throw new Error(`seed ${seed}: ${String(error)}`, { cause: error });
      }
    }
  });
});
