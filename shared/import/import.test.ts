import { describe, expect, it } from 'vitest';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { importDocx, DocxImportError, type DocxImport } from './index.ts';
import { PAGE_NUMBERS_NOT_KEPT } from './content.ts';
import { UN_NUMBERING, del, docxPackage, ins, numPr, p, run, type TestPackage } from '../../tests/fixtures/docx/package.ts';

const HEADING_STYLES =
  '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="berschrift3"><w:name w:val="Überschrift 3"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="H1G"><w:name w:val="_ H_1_G"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="NumberedPara"><w:name w:val="Numbered para"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>' +
  '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>';

function load(parts: TestPackage): DocxImport & { node: ProseMirrorNode } {
  const imported = importDocx(docxPackage(parts));
  const node = ProseMirrorNode.fromJSON(schema, imported.doc);
  node.check();
  return { ...imported, node };
}

/** The body blocks as [type, text] pairs, lists flattened with their depth. */
function outline(node: ProseMirrorNode): string[] {
  const out: string[] = [];
  const visit = (block: ProseMirrorNode, prefix: string): void => {
    if (block.isTextblock) out.push(`${prefix}${block.type.name}: ${block.textContent}`);
    else if (block.type.name === 'table') out.push(`${prefix}table ${block.childCount}x${block.firstChild?.childCount ?? 0}`);
    else block.forEach((child) => visit(child, block.type.name === 'lettered_list' || block.type.name === 'bullet_list' ? `${prefix}${block.type.name === 'lettered_list' ? '(l)' : '(b)'} ` : prefix));
  };
  node.forEach((child, _offset, index) => {
    if (index > 0) visit(child, '');
  });
  return out;
}

function pidsOf(node: ProseMirrorNode): string[] {
  const pids: string[] = [];
  node.descendants((child) => {
    const pid = child.attrs['pid'];
    if (typeof pid === 'string') pids.push(pid);
    return true;
  });
  return pids;
}

describe('importDocx: structure', () => {
  it('reads headings by outline level, built-in, localized and UN style names, and strips typed heading labels', () => {
    const { node, report } = load({
      styles: HEADING_STYLES,
      body:
        p('A.\tIntroduction', '<w:pStyle w:val="Heading1"/>') +
        p('Background', '<w:pStyle w:val="Heading2"/>') +
        p('Details', '<w:pStyle w:val="berschrift3"/>') +
        p('Existing threats', '<w:pStyle w:val="H1G"/>') +
        p('Direct outline', '<w:outlineLvl w:val="0"/>'),
    });
    expect(outline(node)).toEqual([
      'heading: Introduction',
      'heading: Background',
      'heading: Details',
      'heading: Existing threats',
      'heading: Direct outline',
    ]);
    const levels: unknown[] = [];
    node.forEach((child) => {
      if (child.type.name === 'heading') levels.push(child.attrs['level']);
    });
    expect(levels).toEqual([1, 2, 2, 1, 1]);
    expect(report.notKept.map((entry) => entry.what)).toContain('heading levels below the second (imported as subsections)');
  });

  it('makes decimal level 0 numbered paragraphs, lettered and roman deeper levels sub-paragraphs, bullets bullet lists', () => {
    const { node, tracked, report } = load({
      numbering: UN_NUMBERING,
      styles: HEADING_STYLES,
      body:
        p('First paragraph.', numPr(1)) +
        p('Second paragraph:', '<w:pStyle w:val="NumberedPara"/>') +
        p('letter a;', numPr(1, 1)) +
        p('roman i;', numPr(1, 2)) +
        p('roman ii;', numPr(1, 2)) +
        p('letter b.', numPr(1, 1)) +
        p('Bullet one', numPr(2)) +
        p('Bullet nested', numPr(2, 1)) +
        p('Bullet two', numPr(2)) +
        p('Third paragraph.', numPr(1)),
    });
    expect(outline(node)).toEqual([
      'numbered_paragraph: First paragraph.',
      'numbered_paragraph: Second paragraph:',
      '(l) paragraph: letter a;',
      '(l) (l) paragraph: roman i;',
      '(l) (l) paragraph: roman ii;',
      '(l) paragraph: letter b.',
      '(b) paragraph: Bullet one',
      '(b) (b) paragraph: Bullet nested',
      '(b) paragraph: Bullet two',
      'numbered_paragraph: Third paragraph.',
    ]);
    expect(report.counts).toMatchObject({ numberedParagraphs: 3, subparagraphs: 4, bulletItems: 3 });
    // No tracked changes: nothing to plan.
    expect(tracked).toEqual([]);
  });

  it('honours a restart (startOverride) and numId 0 switching a style list off', () => {
    const numbering = UN_NUMBERING + '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>';
    const { node } = load({
      numbering,
      styles: HEADING_STYLES,
      body: p('Seven.', numPr(3)) + p('Not numbered.', '<w:pStyle w:val="NumberedPara"/><w:numPr><w:numId w:val="0"/></w:numPr>'),
    });
    expect(outline(node)).toEqual(['numbered_paragraph: Seven.', 'paragraph: Not numbered.']);
  });

  it('turns typed numbers ("12.", "12 bis.") and typed "(a)" / "(i)" labels into structure and removes them', () => {
    const { node } = load({
      body:
        p('12.\tThe Group met.') +
        p('12 bis.\tAn inserted paragraph.') +
        p('(a)\tfirst;') +
        p('(b)\tsecond, with') +
        p('(i)\tone;') +
        p('(ii)\ttwo;') +
        p('(c)\tthird.') +
        p('13. Spaces work too.') +
        p('•\tA typed bullet') +
        p('In 2024. nothing is typed here.'),
    });
    expect(outline(node)).toEqual([
      'numbered_paragraph: The Group met.',
      'numbered_paragraph: An inserted paragraph.',
      '(l) paragraph: first;',
      '(l) paragraph: second, with',
      '(l) (l) paragraph: one;',
      '(l) (l) paragraph: two;',
      '(l) paragraph: third.',
      'numbered_paragraph: Spaces work too.',
      '(b) paragraph: A typed bullet',
      'paragraph: In 2024. nothing is typed here.',
    ]);
  });

  it('keeps a list going across the blank paragraphs Word uses for spacing', () => {
    const { node } = load({ body: p('1.\tChapeau:') + p('(a)\tfirst;') + '<w:p/>' + p('(i)\tsub;') + '<w:p><w:r><w:t> </w:t></w:r></w:p>' + p('(b)\tsecond.') });
    expect(outline(node)).toEqual(['numbered_paragraph: Chapeau:', '(l) paragraph: first;', '(l) (l) paragraph: sub;', '(l) paragraph: second.']);
  });

  it('reads "(i)" after "(h)" as the ninth letter, not a roman sub-item', () => {
    const letters = 'abcdefghi'.split('').map((letter) => p(`(${letter})\titem ${letter};`)).join('');
    const { node } = load({ body: p('1.\tChapeau:') + letters });
    expect(outline(node).filter((line) => line.startsWith('(l) (l)'))).toEqual([]);
    expect(outline(node)).toHaveLength(10);
  });

  it('keeps bold, italic and underline, honours w:val="0" and character styles, drops the bold of all-bold headings', () => {
    const { node } = load({
      styles: HEADING_STYLES,
      body:
        p('Bold heading', '<w:pStyle w:val="Heading1"/>').replace('<w:r>', '<w:r><w:rPr><w:b/></w:rPr>') +
        `<w:p>${run('bold', '<w:b/>')}${run(' not bold', '<w:b w:val="0"/>')}${run(' italic', '<w:i w:val="true"/>')}${run(' under', '<w:u w:val="single"/>')}${run(' no-under', '<w:u w:val="none"/>')}${run(' strong', '<w:rStyle w:val="Strong"/>')}${run(' strong-off', '<w:rStyle w:val="Strong"/><w:b w:val="false"/>')}</w:p>`,
    });
    const marks: string[] = [];
    node.descendants((child) => {
      if (child.isText) marks.push(`${child.text?.trim()}=${child.marks.map((mark) => mark.type.name).join('+')}`);
      return true;
    });
    expect(marks).toEqual(['Bold heading=', 'bold=bold', 'not bold=', 'italic=italic', 'under=underline', 'no-under=', 'strong=bold', 'strong-off=']);
  });

  it('keeps http, https and mailto links; javascript:, data:, file: and relative targets stay text and are reported', () => {
    const link = (id: string, text: string): string => `<w:hyperlink r:id="${id}">${run(text)}</w:hyperlink>`;
    const { node, report } = load({
      rels: [
        { id: 'l1', type: 'hyperlink', target: 'https://www.un.org/en/', external: true },
        { id: 'l2', type: 'hyperlink', target: 'mailto:chair@example.org', external: true },
        { id: 'l3', type: 'hyperlink', target: 'javascript:alert(1)', external: true },
        { id: 'l4', type: 'hyperlink', target: 'data:text/html,<script>alert(1)</script>', external: true },
        { id: 'l5', type: 'hyperlink', target: 'file:///etc/passwd', external: true },
        { id: 'l6', type: 'hyperlink', target: 'JaVaScRiPt:alert(2)', external: true },
      ],
      body:
        `<w:p>${link('l1', 'UN')}${run(' ')}${link('l2', 'mail')}${run(' ')}${link('l3', 'js')}${run(' ')}${link('l4', 'data')}${run(' ')}${link('l5', 'file')}${run(' ')}${link('l6', 'JS')}</w:p>` +
        p('<script>alert("x")</script>') +
        `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://undocs.org/A/78/265" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run('A/78/265')}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
        `<w:p><w:fldSimple w:instr=" HYPERLINK &quot;javascript:void(0)&quot; ">${run('simple js')}</w:fldSimple></w:p>`,
    });
    const links: string[] = [];
    node.descendants((child) => {
      const mark = child.marks.find((m) => m.type.name === 'link');
      if (child.isText && mark) links.push(`${child.text}->${mark.attrs['href']}`);
      return true;
    });
    expect(links).toEqual(['UN->https://www.un.org/en/', 'mail->mailto:chair@example.org', 'A/78/265->https://undocs.org/A/78/265']);
    expect(node.textContent).toContain('js data file JS');
    expect(node.textContent).toContain('<script>alert("x")</script>');
    const unsafe = report.notKept.find((entry) => entry.what.startsWith('unsafe links'));
    expect(unsafe?.count).toBe(5);
    expect(unsafe?.example).toBe('javascript:alert(1)');
    expect(report.counts['links']).toBe(3);
  });

  it('keeps hard breaks, footnotes with their content and marks, and endnotes as footnotes', () => {
    const { node, report } = load({
      footnotes: `<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:tab/><w:t>See </w:t></w:r>${run('A/78/265', '<w:i/>')}${run(', para. 23.')}</w:p></w:footnote>`,
      body: `<w:p>${run('Line one')}<w:r><w:br/></w:r>${run('line two')}<w:r><w:footnoteReference w:id="1"/></w:r>${run('.')}<w:r><w:br w:type="page"/></w:r></w:p>`,
    });
    const paragraph = node.child(1);
    expect(paragraph.child(1).type.name).toBe('hard_break');
    const footnote = paragraph.child(3);
    expect(footnote.type.name).toBe('footnote');
    expect(footnote.textContent).toBe('See A/78/265, para. 23.');
    expect(footnote.child(1).marks.map((mark) => mark.type.name)).toEqual(['italic']);
    expect(report.counts['footnotes']).toBe(1);
    expect(report.notKept.find((entry) => entry.what === 'page and column breaks')?.count).toBe(1);
  });

  it('builds tables with column spans and vertical merges, header rows, and flattens nested tables', () => {
    const cell = (text: string, props = ''): string => `<w:tc>${props ? `<w:tcPr>${props}</w:tcPr>` : ''}${p(text)}</w:tc>`;
    const body =
      '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>' +
      `<w:tr><w:trPr><w:tblHeader/></w:trPr>${cell('Date')}${cell('Time')}${cell('Item')}</w:tr>` +
      `<w:tr>${cell('8 July', '<w:vMerge w:val="restart"/>')}${cell('10 a.m.')}${cell('Opening')}</w:tr>` +
      `<w:tr>${cell('', '<w:vMerge/>')}${cell('3 p.m.')}${cell('General exchange')}</w:tr>` +
      `<w:tr>${cell('Closing of the session', '<w:gridSpan w:val="3"/>')}</w:tr>` +
      `<w:tr>${cell('short row')}</w:tr>` +
      `<w:tr><w:tc><w:tbl><w:tr>${cell('inner 1')}${cell('inner 2')}</w:tr></w:tbl></w:tc>${cell('b')}${cell('c')}</w:tr>` +
      '</w:tbl>';
    const { node, report } = load({ body });
    const table = node.child(1);
    expect(table.type.name).toBe('table');
    expect(table.childCount).toBe(6);
    expect(table.child(0).child(0).type.name).toBe('table_header');
    expect(table.child(1).child(0).attrs['rowspan']).toBe(2);
    expect(table.child(2).childCount).toBe(2);
    expect(table.child(3).child(0).attrs['colspan']).toBe(3);
    // The short row is padded to the table's width.
    expect(table.child(4).childCount).toBe(2);
    expect(table.child(4).child(1).attrs['colspan']).toBe(2);
    expect(table.child(5).child(0).textContent).toBe('inner 1inner 2');
    expect(table.child(5).child(0).childCount).toBe(2);
    expect(report.notKept.map((entry) => entry.what)).toContain('tables inside tables (their cells were flattened into the outer cell)');
  });

  it('reports what it cannot keep: images, text boxes, comments, equations, fields, hidden text, symbols', () => {
    const { node, report } = load({
      body:
        `<w:p>${run('Before ')}<w:r><w:drawing><wp:inline/></w:drawing></w:r>${run('after.')}</w:p>` +
        `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${p('Boxed text')}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>${run('Text beside the box.')}</w:p>` +
        `<w:p>${run('Commented')}<w:r><w:commentReference w:id="0"/></w:r></w:p>` +
        `<w:p>${run('E = ')}<m:oMath><m:r><m:t>mc^2</m:t></m:r></m:oMath></w:p>` +
        `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run('7')}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
        `<w:p>${run('Visible')}${run(' secret', '<w:vanish/>')}<w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r>${run(' struck', '<w:strike/>')}</w:p>`,
    });
    const notKept = Object.fromEntries(report.notKept.map((entry) => [entry.what, entry]));
    expect(notKept['images']?.count).toBe(1);
    expect(notKept['text boxes']?.count).toBe(1);
    expect(notKept['text boxes']?.example).toBe('Boxed text');
    expect(notKept['comments']?.count).toBe(1);
    expect(notKept['equations']?.example).toBe('mc^2');
    expect(notKept[PAGE_NUMBERS_NOT_KEPT]?.example).toBe('PAGE');
    expect(notKept['hidden text (left out)']?.example).toBe('secret');
    expect(notKept['symbols from special fonts (Symbol, Wingdings)']?.count).toBe(1);
    expect(notKept['strikethrough (the text was kept)']?.count).toBe(1);
    expect(node.textContent).not.toContain('Boxed text');
    expect(node.textContent).not.toContain('secret');
    expect(outline(node)).toEqual([
      'paragraph: Before after.',
      'paragraph: Text beside the box.',
      'paragraph: Commented',
      'paragraph: E =',
      'paragraph: 7',
      'paragraph: Visible struck',
    ]);
  });

  it('gives every pid-carrying node a fresh, unique pid', () => {
    const body = Array.from({ length: 50 }, (_, n) => p(`${n + 1}.\tParagraph ${n + 1}.`)).join('');
    const first = load({ body });
    const second = load({ body });
    const pids = pidsOf(first.node);
    expect(pids).toHaveLength(51);
    expect(new Set(pids).size).toBe(51);
    for (const pid of pids) expect(pid).toMatch(/^[a-z][a-z0-9]{9}$/);
    expect(pidsOf(second.node).some((pid) => pids.includes(pid))).toBe(false);
  });

  it('skips empty paragraphs and still gives an empty file one body paragraph', () => {
    const { node } = load({ body: '<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>' });
    expect(node.childCount).toBe(2);
    expect(node.child(1).type.name).toBe('paragraph');
  });

  it('fills the header from a UN masthead and takes the bold title', () => {
    const { node, title } = load({
      body:
        p('United Nations\tA/AC.292/2024/L.1') +
        p('General Assembly') +
        `<w:p>${run('Distr.: General')}<w:r><w:br/></w:r>${run('12 July 2024')}<w:r><w:br/></w:r><w:r><w:br/></w:r>${run('Original: English')}</w:p>` +
        p('Open-ended working group on security of and in the use of ICTs') +
        p('Eighth session') +
        p('New York, 8–12 July 2024') +
        p('Agenda item 5') +
        p('Adoption of the annual progress report') +
        p('Draft annual progress report', '').replace('<w:r>', '<w:r><w:rPr><w:b/></w:rPr>') +
        p('1.\tThe working group met.'),
    });
    const header = node.child(0);
    expect(header.attrs).toEqual({
      symbol: 'A/AC.292/2024/L.1',
      distribution: 'General',
      date: '12 July 2024',
      originalLanguage: 'English',
      session: 'Open-ended working group on security of and in the use of ICTs\nEighth session\nNew York, 8–12 July 2024',
      agenda: 'Agenda item 5\nAdoption of the annual progress report',
    });
    expect(header.textContent).toBe('Draft annual progress report');
    expect(header.child(0).child(0).marks).toEqual([]);
    expect(title).toBe('Draft annual progress report');
    expect(outline(node)).toEqual(['numbered_paragraph: The working group met.']);
  });

  it('leaves the header at its defaults without a symbol, taking a Title-style first paragraph as the title', () => {
    const { node, title } = load({ styles: HEADING_STYLES, body: p('Chair’s discussion paper', '<w:pStyle w:val="Title"/>') + p('Some text.') });
    expect(node.child(0).attrs['symbol']).toBe('');
    expect(node.child(0).attrs['distribution']).toBe('General');
    expect(title).toBe('Chair’s discussion paper');
    expect(outline(node)).toEqual(['paragraph: Some text.']);
  });

  it('refuses more blocks than the limit with too-complex', () => {
    const body = Array.from({ length: 30 }, () => p('x')).join('');
    expect(() => importDocx(docxPackage({ body }), { maxBlocks: 20 })).toThrowError(expect.objectContaining({ code: 'too-complex' }));
    expect(importDocx(docxPackage({ body }), { maxBlocks: 40 }).doc).toBeTruthy();
  });
});

describe('importDocx: tracked changes', () => {
  it('imports the original text (insertions left out, deletions kept) and records each change', () => {
    const { node, tracked, report } = load({
      numbering: UN_NUMBERING,
      body:
        p('Unchanged first.', numPr(1)) +
        `<w:p><w:pPr>${numPr(1)}</w:pPr>${run('States should ')}${ins('continue to ', 'Delegation of Ruritania', '2026-07-01T10:00:00Z')}${run('cooperate ')}${del('urgently ', 'Delegation of Freedonia', '2026-07-02T09:00:00Z')}${run('on data.')}</w:p>`,
    });
    expect(outline(node)).toEqual(['numbered_paragraph: Unchanged first.', 'numbered_paragraph: States should cooperate urgently on data.']);
    expect(tracked).toEqual([
      {
        index: 1,
        number: '2',
        original: 'States should cooperate urgently on data.',
        proposed: 'States should continue to cooperate on data.',
        changes: [
          { kind: 'insert', author: 'Delegation of Ruritania', date: '2026-07-01T10:00:00Z', text: 'continue to ', offset: 14 },
          { kind: 'delete', author: 'Delegation of Freedonia', date: '2026-07-02T09:00:00Z', text: 'urgently ', offset: 24 },
        ],
        wholeParagraph: null,
        pid: null,
      },
    ]);
    expect(report.counts['trackedChanges']).toBe(2);
  });

  it('treats moveFrom and moveTo as deletion and insertion', () => {
    const moveFrom = '<w:moveFrom w:id="5" w:author="A" w:date="2026-07-03T00:00:00Z"><w:r><w:t>moved </w:t></w:r></w:moveFrom>';
    const moveTo = '<w:moveTo w:id="6" w:author="A" w:date="2026-07-03T00:00:00Z"><w:r><w:t> moved</w:t></w:r></w:moveTo>';
    const { tracked, node } = load({ body: `<w:p>${moveFrom}${run('words here')}${moveTo}</w:p>` });
    expect(node.textContent).toBe('moved words here');
    expect(tracked[0]?.proposed).toBe('words here moved');
    expect(tracked[0]?.changes.map((change) => change.kind)).toEqual(['delete', 'insert']);
  });

  it('sets wholly inserted paragraphs apart (not imported) and marks wholly deleted ones (imported)', () => {
    const insertedMark = '<w:rPr><w:ins w:id="9" w:author="Delegation of Ruritania" w:date="2026-07-01T11:00:00Z"/></w:rPr>';
    const deletedMark = '<w:rPr><w:del w:id="10" w:author="Delegation of Freedonia" w:date="2026-07-01T12:00:00Z"/></w:rPr>';
    const { node, tracked } = load({
      body:
        p('1.\tFirst paragraph.') +
        // Enter at the end of paragraph 2, then a new paragraph typed: Word marks paragraph 2's end as inserted.
        `<w:p><w:pPr>${insertedMark}</w:pPr>${run('2.\tSecond paragraph.')}</w:p>` +
        `<w:p>${ins('2 bis.\tA new paragraph.', 'Delegation of Ruritania', '2026-07-01T11:00:00Z', 11)}</w:p>` +
        `<w:p><w:pPr>${deletedMark}</w:pPr>${del('3.\tThird paragraph, deleted.', 'Delegation of Freedonia', '2026-07-01T12:00:00Z', 12)}</w:p>` +
        p('4.\tFourth paragraph.'),
    });
    expect(outline(node)).toEqual([
      'numbered_paragraph: First paragraph.',
      'numbered_paragraph: Second paragraph.',
      'numbered_paragraph: Third paragraph, deleted.',
      'numbered_paragraph: Fourth paragraph.',
    ]);
    expect(tracked.map((entry) => [entry.number, entry.wholeParagraph, entry.original, entry.proposed])).toEqual([
      ['1', null, 'First paragraph.', 'First paragraph.'],
      ['2', null, 'Second paragraph.', 'Second paragraph.'],
      ['2 bis', 'inserted', '', 'A new paragraph.'],
      ['3', 'deleted', 'Third paragraph, deleted.', ''],
    ]);
    expect(tracked[2]?.changes).toEqual([{ kind: 'insert', author: 'Delegation of Ruritania', date: '2026-07-01T11:00:00Z', text: 'A new paragraph.', offset: 0 }]);
    expect(tracked[3]?.changes[0]).toMatchObject({ kind: 'delete', author: 'Delegation of Freedonia', text: 'Third paragraph, deleted.', offset: 0 });
  });

  it('reads a split paragraph as one original paragraph with the split proposed, and reports it', () => {
    const insertedMark = '<w:rPr><w:ins w:id="9" w:author="X" w:date="2026-07-01T11:00:00Z"/></w:rPr>';
    const { node, tracked, report } = load({ body: `<w:p><w:pPr>${insertedMark}</w:pPr>${run('One sentence.')}</w:p>${p(' Another sentence.')}` });
    expect(outline(node)).toEqual(['paragraph: One sentence. Another sentence.']);
    expect(tracked[0]?.original).toBe('One sentence. Another sentence.');
    expect(tracked[0]?.proposed).toBe('One sentence.  Another sentence.');
    expect(report.notKept.map((entry) => entry.what)).toContain('paragraph splits proposed in Word (proposed as changes to the one original paragraph)');
  });

  it('keeps changes to a typed number out of the proposals and counts offsets after it', () => {
    const { tracked } = load({ body: `<w:p>${del('5')}${ins('6')}${run('.\tThe Group ')}${ins('warmly ')}${run('welcomed it.')}</w:p>` });
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toMatchObject({ number: '5', original: 'The Group welcomed it.', proposed: 'The Group warmly welcomed it.' });
    expect(tracked[0]?.changes).toEqual([{ kind: 'insert', author: 'Delegation of Ruritania', date: '2026-07-01T10:00:00Z', text: 'warmly ', offset: 10 }]);
  });

  it('writes footnotes into the wording as [^text], so offsets match paragraphWording', () => {
    const { tracked } = load({
      footnotes: `<w:footnote w:id="1"><w:p>${run('Note.')}</w:p></w:footnote>`,
      body: `<w:p>${run('Text')}<w:r><w:footnoteReference w:id="1"/></w:r>${run(' and ')}${ins('more ')}${run('text.')}</w:p>`,
    });
    expect(tracked[0]).toMatchObject({ original: 'Text[^Note.] and text.', proposed: 'Text[^Note.] and more text.' });
    expect(tracked[0]?.changes[0]?.offset).toBe(17);
  });

  it('keeps the original text of notes and reports their tracked changes', () => {
    const { node, report } = load({
      footnotes: `<w:footnote w:id="1"><w:p>${run('Old ')}${ins('new ')}${del('gone ')}${run('note.')}</w:p></w:footnote>`,
      body: `<w:p>${run('Text')}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
    });
    expect(node.child(1).child(1).textContent).toBe('Old gone note.');
    expect(report.notKept.find((entry) => entry.what.startsWith('tracked changes inside footnotes'))?.count).toBe(2);
  });
});

describe('importDocx: refusals', () => {
  it('throws DocxImportError for input that is not a Word file', () => {
    expect(() => importDocx(new TextEncoder().encode('plain text'))).toThrowError(DocxImportError);
    expect(() => importDocx(new Uint8Array(0))).toThrowError(expect.objectContaining({ code: 'not-docx' }));
  });

  it('names the part in a malformed-xml refusal', () => {
    let error: unknown;
    try {
      importDocx(docxPackage({ body: '<w:p><w:r><w:t>unclosed</w:r></w:p>' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DocxImportError);
    expect((error as DocxImportError).code).toBe('malformed-xml');
    expect((error as DocxImportError).message).toContain('"word/document.xml"');
  });
});
