import { describe, expect, it } from 'vitest';
import { all, child, parseXml, textOf, type XmlElement } from './test-xml.ts';
import { BREAK, footnote, FOOTNOTE_REF, hyperlink, linkTarget, paragraph, run, runProperties, TAB, table, text, tracked, type Border, type TableCellSpec } from './wordml.ts';

const CHANGE = { id: 3, author: 'O\u2019Brien & "Co" <chair>', date: '2026-07-03T10:00:00Z' };

/** The names of an element's child elements, in order. */
const names = (element: XmlElement | undefined): string[] => (element?.children ?? []).flatMap((one) => (typeof one === 'string' ? [] : [one.name]));

describe('runs', () => {
  it('writes run properties in the order of the schema (CT_RPr is a sequence), none when there are none', () => {
    const properties = runProperties({ underline: true, size: 20, color: '7F7F7F', strike: true, italics: true, bold: true, style: 'Hyperlink' });
    expect(names(parseXml(properties))).toEqual(['w:rStyle', 'w:b', 'w:bCs', 'w:i', 'w:iCs', 'w:strike', 'w:color', 'w:sz', 'w:szCs', 'w:u']);
    expect(runProperties({ bold: false })).toBe('<w:rPr><w:b w:val="false"/><w:bCs w:val="false"/></w:rPr>');
    expect(runProperties({})).toBe('');
    expect(run(runProperties({}), [text('Hi')])).toBe('<w:r><w:t xml:space="preserve">Hi</w:t></w:r>');
  });

  it('writes a formatting change with the formatting before it, even when there was none', () => {
    const changed = parseXml(runProperties({ bold: true }, { change: CHANGE, format: { italics: true } }));
    const before = child(changed, 'w:rPrChange');
    expect(names(changed)).toEqual(['w:b', 'w:bCs', 'w:rPrChange']);
    expect(before?.attrs).toEqual({ 'w:id': '3', 'w:author': CHANGE.author, 'w:date': CHANGE.date });
    expect(names(child(before, 'w:rPr'))).toEqual(['w:i', 'w:iCs']);
    expect(names(child(parseXml(runProperties({}, { change: CHANGE, format: {} })), 'w:rPrChange'))).toEqual([]);
  });

  it('tracks insertions as w:t inside w:ins and deletions as w:delText inside w:del, breaks and tabs kept', () => {
    const inserted = parseXml(tracked('insert', CHANGE, [run(runProperties({}), [BREAK, text('new'), TAB])]));
    const deleted = parseXml(tracked('delete', CHANGE, [run(runProperties({}), [text('old', true)])]));
    expect(inserted.name).toBe('w:ins');
    expect(names(child(inserted, 'w:r'))).toEqual(['w:br', 'w:t', 'w:tab']);
    expect(deleted.name).toBe('w:del');
    expect(names(child(deleted, 'w:r'))).toEqual(['w:delText']);
    expect(textOf(deleted)).toBe('old');
    expect(deleted.attrs['w:author']).toBe(CHANGE.author);
  });

  it('splits a link into its target and, when short enough, the anchor Word keeps apart', () => {
    expect(linkTarget('https://un.org/en/#part-2')).toEqual({ target: 'https://un.org/en/', anchor: 'part-2' });
    expect(linkTarget('https://un.org/en/')).toEqual({ target: 'https://un.org/en/' });
    expect(linkTarget('https://un.org/en/#')).toEqual({ target: 'https://un.org/en/#' });
    expect(linkTarget('#top')).toEqual({ target: '#top' });
    const long = `https://un.org/#${'x'.repeat(256)}`;
    expect(linkTarget(long)).toEqual({ target: long });
    const link = parseXml(hyperlink('rIdLink1', 'part-2', [run(runProperties({ style: 'Hyperlink' }), [text('here')])]));
    expect(link.attrs).toEqual({ 'w:history': '1', 'w:anchor': 'part-2', 'r:id': 'rIdLink1' });
  });
});

describe('paragraphs', () => {
  it('writes paragraph properties in the order of the schema (CT_PPr is a sequence)', () => {
    const written = parseXml(
      paragraph(
        {
          former: { change: { ...CHANGE, id: 5 }, style: 'UNBody', indent: { left: 850 } },
          mark: { kind: 'delete', change: CHANGE },
          alignment: 'right',
          indent: { left: 1417, hanging: 567 },
          spacing: { before: 160 },
          numbering: { numId: 4, level: 1 },
          keepNext: true,
          style: 'UNLettered',
        },
        [run(runProperties({}), [text('(a)'), TAB])],
      ),
    );
    const properties = child(written, 'w:pPr');
    expect(names(properties)).toEqual(['w:pStyle', 'w:keepNext', 'w:numPr', 'w:spacing', 'w:ind', 'w:jc', 'w:rPr', 'w:pPrChange']);
    expect(names(child(properties, 'w:numPr'))).toEqual(['w:ilvl', 'w:numId']);
    expect(child(properties, 'w:ind')?.attrs).toEqual({ 'w:left': '1417', 'w:hanging': '567' });
    expect(child(child(properties, 'w:rPr'), 'w:del')?.attrs['w:id']).toBe('3');
    expect(names(child(child(properties, 'w:pPrChange'), 'w:pPr'))).toEqual(['w:pStyle', 'w:ind']);
    expect(textOf(written)).toBe('(a)\t');
  });

  it('writes an empty paragraph as <w:p/> and a property change from no properties as an empty w:pPr', () => {
    expect(paragraph({}, [])).toBe('<w:p/>');
    expect(paragraph({ style: 'UNBody', former: { change: CHANGE } }, [])).toContain('<w:pPrChange w:id="3"');
    expect(paragraph({ style: 'UNBody', former: { change: CHANGE } }, [])).toContain('<w:pPr/></w:pPrChange>');
  });

  it('writes a footnote with its number and text', () => {
    const note = parseXml(footnote(2, [paragraph({ style: 'FootnoteText' }, [run(runProperties({ style: 'FootnoteReference' }), [FOOTNOTE_REF]), run(runProperties({}), [text('See A/78/265.')])])]));
    expect(note.attrs['w:id']).toBe('2');
    expect(all(note, 'w:footnoteRef')).toHaveLength(1);
    expect(textOf(note)).toBe('See A/78/265.');
  });
});

describe('tables', () => {
  const LINE: Border = { style: 'single', size: 6, color: '000000' };
  const BORDERS = { top: LINE, left: LINE, bottom: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };
  const cell = (words: string, columnSpan = 1, rowSpan = 1): TableCellSpec => ({ paragraphs: [paragraph({}, [run(runProperties({}), [text(words)])])], columnSpan, rowSpan });

  it('continues a cell merged down in every row it covers, at its column, and gives cells the widths of their grid columns', () => {
    const written = parseXml(
      table({
        width: 6000,
        indent: 850,
        columnWidths: [1000, 2000, 3000],
        borders: BORDERS,
        rows: [
          { cells: [cell('a'), cell('tall', 1, 3), cell('c')], header: true },
          { cells: [cell('d'), cell('e')] },
          { cells: [cell('f'), cell('g')] },
          { cells: [cell('wide', 2), cell('h')], change: { kind: 'insert', change: CHANGE } },
        ],
      }),
    );
    expect(names(child(written, 'w:tblPr'))).toEqual(['w:tblW', 'w:tblInd', 'w:tblBorders']);
    expect(all(written, 'w:gridCol').map((column) => column.attrs['w:w'])).toEqual(['1000', '2000', '3000']);
    const rows = all(written, 'w:tr');
    const cells = rows.map((row) => all(row, 'w:tc').map((one) => `${textOf(one)}:${child(child(one, 'w:tcPr'), 'w:vMerge')?.attrs['w:val'] ?? ''}`));
    expect(cells).toEqual([['a:', 'tall:restart', 'c:'], ['d:', ':continue', 'e:'], ['f:', ':continue', 'g:'], ['wide:', 'h:']]);
    const widths = rows.map((row) => all(row, 'w:tcW').map((one) => one.attrs['w:w']));
    expect(widths).toEqual([['1000', '2000', '3000'], ['1000', '2000', '3000'], ['1000', '2000', '3000'], ['3000', '3000']]);
    expect(child(child(rows[0], 'w:trPr'), 'w:tblHeader')).toBeDefined();
    expect(child(child(rows[3], 'w:trPr'), 'w:ins')?.attrs['w:author']).toBe(CHANGE.author);
    // A continuing cell still ends with a paragraph, as Word requires of every cell.
    expect(all(all(rows[1] as XmlElement, 'w:tc')[1] as XmlElement, 'w:p')).toHaveLength(1);
  });

  it('stretches cells when the grid is narrower than the table, leaves a cell past the grid without a width, drops empty rows', () => {
    const written = parseXml(table({ width: 4000, columnWidths: [1000, 1000], borders: BORDERS, rows: [{ cells: [cell('x'), cell('past', 2)] }, { cells: [] }] }));
    const rows = all(written, 'w:tr');
    expect(rows).toHaveLength(1);
    expect(all(rows[0] as XmlElement, 'w:tc').map((one) => child(child(one, 'w:tcPr'), 'w:tcW')?.attrs['w:w'])).toEqual(['2000', undefined]);
    expect(child(rows[0], 'w:trPr')).toBeUndefined();
  });
});
