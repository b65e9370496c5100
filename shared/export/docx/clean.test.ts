import { describe, expect, it } from 'vitest';
import type { Node } from 'prosemirror-model';
import { schema } from '../../schema/index.ts';
import { a, b, bi, br, doc, fn, h1, h2, header, i, li, ll, np, p, table, td, th, title, tr, u, ul } from '../../schema/test-builder.ts';
import { cleanDocx } from './clean.ts';
import { all, ancestor, child, part, textOf, unzipDocx, type XmlElement } from './test-xml.ts';

/** A short report with every structure the house style prints. */
function report(): Node {
  return doc(
    header(
      {
        symbol: 'A/AC.292/2026/L.1',
        date: '12 June 2026',
        session: 'Open-ended working group on water data\nFourth session\nNew York, 6-10 July 2026',
        agenda: 'Item 5 of the provisional agenda',
      },
      title({ pid: 't' }, 'Draft annual progress report'),
    ),
    h1({ pid: 'h1' }, 'Introduction'),
    np({ pid: 'n1' }, 'The Group met in ', b('New York'), ', as ', i('agreed'), ' and ', u('underlined'), '.', fn('See A/78/265, para. 23.')),
    np({ pid: 'n2' }, 'States recommend that States:'),
    ll(li(p({ pid: 'a' }, 'Cooperate;')), li(p({ pid: 'b' }, 'Share data on:'), ll(li(p({ pid: 'bi' }, 'water levels;')), li(p({ pid: 'bii' }, 'discharge;'))))),
    h2({ pid: 'h2' }, 'Details'),
    np({ pid: 'n3' }, 'See the ', a({ href: 'https://example.org/docs' }, 'portal'), ' or ', a({ href: 'javascript:alert(1)' }, 'this'), ' and a', br(), 'break.'),
    ll(li(p({ pid: 'c' }, 'Again from (a);'))),
    ul(bi(p({ pid: 'u1' }, 'first bullet')), bi(p({ pid: 'u2' }, 'second'), ul(bi(p({ pid: 'u3' }, 'nested'))))),
    table(tr(th(p({ pid: 't1' }, 'Date')), th(p({ pid: 't2' }, 'Item'))), tr(td(p({ pid: 't3' }, '1 June')), td(p({ pid: 't4' }, 'Item 3')))),
    h1({ pid: 'h3' }, 'Conclusions'),
    np({ pid: 'n4' }, 'The report was adopted.', fn('By consensus.')),
  );
}

/** The style id of a paragraph. */
const styleOf = (paragraph: XmlElement): string | undefined => child(child(paragraph, 'w:pPr'), 'w:pStyle')?.attrs['w:val'];

/** The numbering of a paragraph: its numId and level, or null. */
function numberingOf(paragraph: XmlElement): { numId: string; level: string } | null {
  const numPr = child(child(paragraph, 'w:pPr'), 'w:numPr');
  if (!numPr) return null;
  return { numId: child(numPr, 'w:numId')?.attrs['w:val'] as string, level: child(numPr, 'w:ilvl')?.attrs['w:val'] as string };
}

/** The level definition a numbered paragraph gets: numbering.xml num -> abstractNum -> lvl. */
function levelOf(numbering: XmlElement, numId: string, level: string): { format: string; text: string; indent: Record<string, string> } {
  const num = all(numbering, 'w:num').find((one) => one.attrs['w:numId'] === numId);
  const abstractId = child(num, 'w:abstractNumId')?.attrs['w:val'];
  const abstract = all(numbering, 'w:abstractNum').find((one) => one.attrs['w:abstractNumId'] === abstractId);
  const lvl = all(abstract as XmlElement, 'w:lvl').find((one) => one.attrs['w:ilvl'] === level) as XmlElement;
  return {
    format: child(lvl, 'w:numFmt')?.attrs['w:val'] as string,
    text: child(lvl, 'w:lvlText')?.attrs['w:val'] as string,
    indent: { ...child(child(lvl, 'w:pPr'), 'w:ind')?.attrs },
  };
}

describe('cleanDocx', () => {
  it('numbers paragraphs, headings and sub-paragraphs with Word numbering definitions, not typed labels', async () => {
    const parts = unzipDocx(await cleanDocx(report()));
    const document = part(parts, 'word/document.xml');
    const numbering = part(parts, 'word/numbering.xml');
    const paragraphs = all(document, 'w:p');
    const numbered = paragraphs.filter((paragraph) => styleOf(paragraph) === 'UNNumbered');
    expect(numbered.map((paragraph) => textOf(paragraph))).toEqual([
      'The Group met in New York, as agreed and underlined.',
      'States recommend that States:',
      'See the portal or this and a\nbreak.',
      'The report was adopted.',
    ]);
    // One list through the whole document, so Word numbers 1..N and continues as people add paragraphs.
    const ids = new Set(numbered.map((paragraph) => numberingOf(paragraph)?.numId));
    expect(ids.size).toBe(1);
    const first = numberingOf(numbered[0] as XmlElement) as { numId: string; level: string };
    expect(levelOf(numbering, first.numId, first.level)).toEqual({ format: 'decimal', text: '%1.', indent: { 'w:left': '850', 'w:hanging': '850' } });

    const headings = paragraphs.filter((paragraph) => styleOf(paragraph)?.startsWith('Heading'));
    expect(headings.map((paragraph) => [styleOf(paragraph), textOf(paragraph)])).toEqual([
      ['Heading1', 'Introduction'],
      ['Heading2', 'Details'],
      ['Heading1', 'Conclusions'],
    ]);
    const section = numberingOf(headings[0] as XmlElement) as { numId: string; level: string };
    const subsection = numberingOf(headings[1] as XmlElement) as { numId: string; level: string };
    expect(section.numId).toBe(subsection.numId);
    expect(levelOf(numbering, section.numId, section.level)).toMatchObject({ format: 'upperLetter', text: '%1.' });
    expect(levelOf(numbering, subsection.numId, subsection.level)).toMatchObject({ format: 'decimal', text: '%2.' });

    // Each lettered list starts again at (a): its own numbering instance; nested items are (i), (ii).
    const lettered = paragraphs.filter((paragraph) => styleOf(paragraph) === 'UNLettered').map((paragraph) => ({ text: textOf(paragraph), ...numberingOf(paragraph) }));
    expect(lettered.map((item) => [item.text, item.level])).toEqual([
      ['Cooperate;', '0'],
      ['Share data on:', '0'],
      ['water levels;', '1'],
      ['discharge;', '1'],
      ['Again from (a);', '0'],
    ]);
    expect(lettered[0]?.numId).toBe(lettered[2]?.numId);
    expect(lettered[4]?.numId).not.toBe(lettered[0]?.numId);
    const restart = all(numbering, 'w:num').find((num) => num.attrs['w:numId'] === lettered[4]?.numId);
    expect(all(restart as XmlElement, 'w:startOverride')[0]?.attrs['w:val']).toBe('1');
    expect(levelOf(numbering, lettered[0]?.numId as string, '0')).toMatchObject({ format: 'lowerLetter', text: '(%1)', indent: { 'w:left': '1417', 'w:hanging': '567' } });
    expect(levelOf(numbering, lettered[0]?.numId as string, '1')).toMatchObject({ format: 'lowerRoman', text: '(%2)' });

    const bullets = paragraphs.filter((paragraph) => styleOf(paragraph) === 'UNBullet').map((paragraph) => ({ text: textOf(paragraph), ...numberingOf(paragraph) }));
    expect(bullets.map((item) => [item.text, item.level])).toEqual([['first bullet', '0'], ['second', '0'], ['nested', '1']]);
    expect(levelOf(numbering, bullets[0]?.numId as string, '0')).toMatchObject({ format: 'bullet', text: '\u2022' });
  });

  it('writes the UN header block, A4 pages with the house margins and Times New Roman 12 pt', async () => {
    const parts = unzipDocx(await cleanDocx(report()));
    const document = part(parts, 'word/document.xml');
    const masthead = all(document, 'w:tbl')[0] as XmlElement;
    expect(all(masthead, 'w:tc').map((cell) => all(cell, 'w:p').map((paragraph) => textOf(paragraph)))).toEqual([
      ['United Nations'],
      ['A/AC.292/2026/L.1'],
      ['General Assembly'],
      ['Distr.: General', '12 June 2026', '', 'Original: English'],
    ]);
    const symbolRun = all(all(masthead, 'w:tc')[1] as XmlElement, 'w:r')[0] as XmlElement;
    expect(child(child(symbolRun, 'w:rPr'), 'w:sz')?.attrs['w:val']).toBe('32');
    const session = all(document, 'w:p').find((paragraph) => styleOf(paragraph) === 'UNSession') as XmlElement;
    expect(textOf(session)).toBe('Open-ended working group on water data\nFourth session\nNew York, 6-10 July 2026');
    expect(child(child(all(session, 'w:r')[0], 'w:rPr'), 'w:b')).toBeDefined();
    const titleParagraph = all(document, 'w:p').find((paragraph) => styleOf(paragraph) === 'UNTitle') as XmlElement;
    expect(textOf(titleParagraph)).toBe('Draft annual progress report');
    const section = all(document, 'w:sectPr')[0] as XmlElement;
    expect(child(section, 'w:pgSz')?.attrs).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
    expect(child(section, 'w:pgMar')?.attrs).toMatchObject({ 'w:left': '1247', 'w:right': '1247', 'w:top': '1417', 'w:bottom': '1417' });
    const styles = part(parts, 'word/styles.xml');
    const defaults = child(child(child(styles, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr');
    expect(child(defaults, 'w:rFonts')?.attrs['w:ascii']).toBe('Times New Roman');
    expect(child(defaults, 'w:sz')?.attrs['w:val']).toBe('24');
    // The symbol heads every page but the first, as UN documents print it.
    const running = Object.entries(parts).filter(([path]) => /^word\/header\d+\.xml$/.test(path)).map(([, xml]) => xml);
    expect(running.some((xml) => xml.includes('A/AC.292/2026/L.1'))).toBe(true);
  });

  it('writes real footnotes, marks, safe links only, and tables with borders', async () => {
    const parts = unzipDocx(await cleanDocx(report()));
    const document = part(parts, 'word/document.xml');
    const footnotes = part(parts, 'word/footnotes.xml');
    expect(all(document, 'w:footnoteReference').map((reference) => reference.attrs['w:id'])).toEqual(['1', '2']);
    const notes = all(footnotes, 'w:footnote').filter((note) => Number(note.attrs['w:id']) > 0);
    expect(notes.map((note) => [note.attrs['w:id'], textOf(note).trim()])).toEqual([
      ['1', 'See A/78/265, para. 23.'],
      ['2', 'By consensus.'],
    ]);
    expect(all(notes[0] as XmlElement, 'w:footnoteRef')).toHaveLength(1);

    const runs = all(document, 'w:r');
    const runWith = (text: string) => runs.find((run) => textOf(run) === text) as XmlElement;
    expect(child(child(runWith('New York'), 'w:rPr'), 'w:b')).toBeDefined();
    expect(child(child(runWith('agreed'), 'w:rPr'), 'w:i')).toBeDefined();
    expect(child(child(runWith('underlined'), 'w:rPr'), 'w:u')?.attrs['w:val']).toBe('single');

    const links = all(document, 'w:hyperlink');
    expect(links.map((link) => textOf(link))).toEqual(['portal']);
    const relationships = part(parts, 'word/_rels/document.xml.rels');
    const target = all(relationships, 'Relationship').find((relationship) => relationship.attrs['Id'] === links[0]?.attrs['r:id']);
    expect(target?.attrs).toMatchObject({ Target: 'https://example.org/docs', TargetMode: 'External' });
    expect(parts['word/_rels/document.xml.rels']).not.toContain('javascript');
    expect(ancestor(runWith('this'), 'w:hyperlink')).toBeNull();

    const tables = all(document, 'w:tbl').slice(1);
    expect(tables).toHaveLength(1);
    const table = tables[0] as XmlElement;
    expect(all(table, 'w:tr').map((row) => all(row, 'w:tc').map((cell) => textOf(cell)))).toEqual([
      ['Date', 'Item'],
      ['1 June', 'Item 3'],
    ]);
    expect(child(child(all(table, 'w:tr')[0], 'w:trPr'), 'w:tblHeader')).toBeDefined();
    expect(child(child(all(all(table, 'w:tc')[0] as XmlElement, 'w:r')[0], 'w:rPr'), 'w:b')).toBeDefined();
    const borders = child(child(table, 'w:tblPr'), 'w:tblBorders');
    for (const side of ['w:top', 'w:bottom', 'w:left', 'w:right', 'w:insideH', 'w:insideV']) expect(child(borders, side)?.attrs['w:val']).toBe('single');
    // The document ends with a paragraph after its last table only when the table is last; here text follows.
    expect(styleOf(all(document, 'w:p').at(-1) as XmlElement)).toBe('UNNumbered');
  });

  it('drops characters XML cannot hold and keeps tabs as tabs', async () => {
    const dirty = doc(header(title({ pid: 't' }, 'T')), np({ pid: 'n' }, 'Bad\u0001 char\u000b and a\ttab and \ud800 half'));
    const document = part(unzipDocx(await cleanDocx(dirty)), 'word/document.xml');
    const paragraph = all(document, 'w:p').find((one) => styleOf(one) === 'UNNumbered') as XmlElement;
    expect(textOf(paragraph)).toBe('Bad char and a\ttab and  half');
  });

  it('reports progress about a hundred times at most, ending at the total, and the title option', async () => {
    const many = schema.node('doc', null, [
      schema.node('header', null, [schema.node('title', { pid: 't' }, [schema.text('Long')])]),
      ...Array.from({ length: 1000 }, (_, index) => schema.node('numbered_paragraph', { pid: `n${index}` }, [schema.text(`Paragraph ${index}.`)])),
    ]);
    const calls: [number, number][] = [];
    const parts = unzipDocx(await cleanDocx(many, { onProgress: (done, total) => calls.push([done, total]), title: 'My title' }));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.length).toBeLessThanOrEqual(103);
    expect(calls.at(-1)).toEqual([1001, 1001]);
    expect(calls.every(([done], index) => index === 0 || done > (calls[index - 1] as [number, number])[0])).toBe(true);
    expect(parts['docProps/core.xml']).toContain('<dc:title>My title</dc:title>');
  });
});
