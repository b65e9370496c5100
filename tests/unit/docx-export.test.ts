// The three Word exports judged by programs no one here wrote: LibreOffice opens each .docx and prints it to PDF
// (page count and text checked with poppler's pdfinfo and pdftotext), and python-docx opens the comparison, whose
// tracked changes are read from its XML: the expected insertions and deletions with their author and date, and
// the texts Word's Accept All and Reject All leave, which must be exactly the later and the earlier version.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../shared/schema/index.ts';
import { cleanDocx, compilationDocx, comparisonDocx } from '../../shared/export/docx/index.ts';
import { REVISION_CHANGES, revisedSample, sampleNegotiation } from '../../shared/export/docx/test-fixtures.ts';
import { bodyTexts, documentTexts, reconstruct, type ParagraphReading } from '../../shared/export/docx/test-xml.ts';
import { repoRootForTests } from './repo-root.ts';

const AUTHOR = 'Ambassador Rivera';
const DATE = '2026-07-03T10:00:00Z';

/** Reads a .docx with python-docx and prints its body paragraphs and tracked changes as JSON. */
const PYTHON_READER = String.raw`
import json, sys
import docx
from docx.oxml.ns import qn
from lxml import etree

W_TEXT = (qn('w:t'), qn('w:delText'))

def text_of(p, reading):
    out = []
    for el in p.iter():
        if el.tag not in W_TEXT + (qn('w:tab'), qn('w:br'), qn('w:cr')):
            continue
        if el.tag == qn('w:tab') and el.getparent().tag != qn('w:r'):
            continue
        ins = dele = False
        a = el.getparent()
        while a is not None and a is not p:
            ins = ins or a.tag == qn('w:ins')
            dele = dele or a.tag == qn('w:del')
            a = a.getparent()
        if (reading == 'accept' and dele) or (reading == 'reject' and ins):
            continue
        out.append((el.text or '') if el.tag in W_TEXT else '\t' if el.tag == qn('w:tab') else '\n')
    return ''.join(out)

def tracked(props):
    if props is None: return None
    if props.find(qn('w:ins')) is not None: return 'ins'
    if props.find(qn('w:del')) is not None: return 'del'
    return None

def paragraphs(body):
    cells = {}
    out = []
    for p in body.iter(qn('w:p')):
        ppr = p.find(qn('w:pPr'))
        style = None
        if ppr is not None and ppr.find(qn('w:pStyle')) is not None:
            style = ppr.find(qn('w:pStyle')).get(qn('w:val'))
        cell = row = None
        a = p.getparent()
        while a is not None:
            if a.tag == qn('w:tc') and cell is None:
                cell = cells.setdefault(id(a), len(cells) + 1)
            if a.tag == qn('w:tr') and row is None:
                row = tracked(a.find(qn('w:trPr'))) or ''
            a = a.getparent()
        out.append({'style': style, 'mark': tracked(ppr.find(qn('w:rPr')) if ppr is not None else None), 'cell': cell,
                    'row': row or None, 'accept': text_of(p, 'accept'), 'reject': text_of(p, 'reject')})
    return out

def changes(root):
    out = []
    for kind in ('ins', 'del'):
        for el in root.iter(qn('w:' + kind)):
            if el.getparent().tag in (qn('w:rPr'), qn('w:trPr')):
                continue
            out.append({'kind': kind, 'author': el.get(qn('w:author')), 'date': el.get(qn('w:date')),
                        'text': ''.join((t.text or '') for t in el.iter() if t.tag in W_TEXT)})
    return out

document = docx.Document(sys.argv[1])
notes = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith('/footnotes')]
print(json.dumps({
    'paragraphCount': len(document.paragraphs),
    'tableCount': len(document.tables),
    'paragraphs': paragraphs(document.element.body),
    'changes': changes(document.element.body),
    'footnoteChanges': changes(etree.fromstring(notes[0].blob)) if notes else [],
}))
`;

interface PythonReading {
  paragraphCount: number;
  tableCount: number;
  paragraphs: ParagraphReading[];
  changes: { kind: 'ins' | 'del'; author: string; date: string; text: string }[];
  footnoteChanges: { kind: 'ins' | 'del'; author: string; date: string; text: string }[];
}

/**
 * What LibreOffice printed: page count, the text in reading order and the text as laid out (a paragraph's number
 * on the line of its first words), whitespace collapsed in both.
 */
interface Printed {
  pages: number;
  text: string;
  layout: string;
}

const json: unknown = JSON.parse(readFileSync(join(repoRootForTests, 'resources', 'sample', 'zero-draft.json'), 'utf8'));
const zeroDraft = schema.nodeFromJSON(json);
const revision = revisedSample(json);

let work = '';
const printed: Record<'clean' | 'compilation' | 'comparison', Printed> = {
  clean: { pages: 0, text: '', layout: '' },
  compilation: { pages: 0, text: '', layout: '' },
  comparison: { pages: 0, text: '', layout: '' },
};

/** Converts a .docx to PDF with LibreOffice (its own profile, so parallel runs never share one) and reads it back. */
function print(name: string, bytes: Uint8Array): Printed {
  const docx = join(work, `${name}.docx`);
  writeFileSync(docx, bytes);
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', work, docx], {
    timeout: 180_000,
    stdio: 'pipe',
  });
  const pdf = join(work, `${name}.pdf`);
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  const layout = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  return { pages, text, layout };
}

describe('Word exports read by LibreOffice and python-docx', () => {
  const sample = sampleNegotiation(zeroDraft);
  let comparisonPath = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'penholder-docx-'));
    const options = { author: AUTHOR, date: DATE, beforeLabel: 'Zero draft', afterLabel: 'Rev.1' };
    // One conversion at a time: LibreOffice is slow on two cores and a profile takes one instance.
    printed.clean = print('clean', await cleanDocx(zeroDraft));
    printed.compilation = print('compilation', await compilationDocx(sample.doc, sample.negotiation, { participantName: sample.name }));
    const comparison = await comparisonDocx(zeroDraft, revision, options);
    printed.comparison = print('comparison', comparison);
    comparisonPath = join(work, 'comparison.docx');
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('prints the clean text with the header block, numbered paragraphs, sections, sub-paragraphs, footnotes and the table', () => {
    const { pages, text, layout } = printed.clean;
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages).toBeLessThanOrEqual(10);
    for (const expected of ['United Nations', 'A/AC.301/2026/CRP.1', 'General Assembly', 'Distr.: General', '12 June 2026', 'Original: English', 'Fourth substantive session', 'Item 5 of the provisional agenda', 'Zero draft of the second annual progress report']) {
      expect(text).toContain(expected);
    }
    // Word numbering as LibreOffice lays it out: 1 to 40, section letters A to E, sub-paragraphs (a) and (i).
    expect(layout).toMatch(/\b1\. The open-ended working group on the governance/);
    expect(layout).toMatch(/\b2\. The OEWG adopted its first annual progress report/);
    expect(layout).toMatch(/\b40\. The OEWG decides to submit the present annual progress report/);
    expect(layout).toMatch(/\bA\. Introduction\b/);
    expect(layout).toMatch(/\bE\. Regular institutional dialogue and next steps/);
    expect(layout).toMatch(/\(a\) Continue to exchange views at the OEWG/);
    expect(layout).toMatch(/\(ii\) Water quality, including sediment load/);
    expect(text).toContain('See A/80/123, paras. 17 and 52.');
    for (const cell of ['Monday, 7 December', 'Dedicated stakeholder session', 'Informal meeting']) expect(text).toContain(cell);
    expect(text).toContain('documents portal of the OEWG');
  });

  it('prints the compilation with each proposal\u2019s attribution, co-sponsors, positions, status and change', () => {
    const { pages, text, layout } = printed.compilation;
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(pages).toBeLessThanOrEqual(16);
    for (const expected of [
      'Compilation of proposals: 10 proposals',
      'France (FRA) \u2014 Replace words [Pending]',
      'Co-sponsored by: Germany (DEU)',
      'Supported by: Brazil (BRA)',
      'Opposed by: China (CHN)',
      'Agreed language: A/80/123, para. 17',
      'Brazil (BRA) \u2014 New paragraph to follow paragraph 2 [Pending]',
      'Group of 77 and China (G77) \u2014 Delete paragraph [Pending]',
      'China (CHN) \u2014 Comment [Pending]',
      'Germany (DEU) \u2014 Replace words [Withdrawn]',
      'Withdrawn by Anna Schmidt',
      'France (FRA) \u2014 Replace words [Rejected]',
      'Rejected by Ambassador Rivera',
      'Brazil (BRA) \u2014 Replace words [Accepted]',
      'China (CHN) \u2014 Replace words [Pending, Overtaken]',
      'it now reads \u201csatellite radar altimetry\u201d',
      'Move paragraph to follow paragraph 8',
      'Paragraph status: Agreed ad ref',
      'On the table cell',
      'building shared understandings',
    ]) {
      expect(text).toContain(expected);
    }
    // The accepted change is in the text itself now.
    expect(layout).toMatch(/\b10\. States also noted that gaps in the collection, quality, interoperability and timely and regular exchange/);
  });

  it('prints the comparison with both versions\u2019 words shown', () => {
    const { pages, text } = printed.comparison;
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages).toBeLessThanOrEqual(12);
    for (const expected of [
      'Comparison of Zero draft with Rev.1',
      REVISION_CHANGES.deletedWords,
      REVISION_CHANGES.insertedWords,
      REVISION_CHANGES.addedParagraph,
      REVISION_CHANGES.deletedParagraphStart,
      REVISION_CHANGES.dateAfter,
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('gives python-docx a comparison whose w:ins and w:del carry the expected texts, author and date', () => {
    const reading = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PYTHON_READER, comparisonPath], { encoding: 'utf8', timeout: 60_000 })) as PythonReading;
    expect(reading.paragraphCount).toBeGreaterThan(50);
    expect(reading.tableCount).toBe(2);
    const all = [...reading.changes, ...reading.footnoteChanges];
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all.map((change) => change.author))).toEqual(new Set([AUTHOR]));
    expect(new Set(all.map((change) => change.date))).toEqual(new Set([DATE]));
    const texts = (kind: 'ins' | 'del', list = reading.changes) => list.filter((change) => change.kind === kind).map((change) => change.text);
    // A whole paragraph is one change with its typed number; the tab between them is not text.
    expect(texts('del')).toEqual(expect.arrayContaining([REVISION_CHANGES.deletedWords, '12 June', expect.stringMatching(/^6\.The present report reflects the progress made/)]));
    expect(texts('ins')).toEqual(expect.arrayContaining([REVISION_CHANGES.insertedWords, '3 July', `4 bis.${REVISION_CHANGES.addedParagraph}`, '.30']));
    // The moved paragraph: deleted where it stood, inserted where it stands, the same words both times.
    const moved = 'The OEWG acknowledged that the pollution of shared watercourses';
    expect(texts('del').filter((text) => text.startsWith(`13.${moved}`))).toHaveLength(1);
    expect(texts('ins').filter((text) => text.startsWith(`13.${moved}`))).toHaveLength(1);
    expect(texts('ins', reading.footnoteChanges).join('|')).toContain('60');
  });

  it('accepts all to exactly Rev.1 and rejects all to exactly the zero draft, paragraph for paragraph', () => {
    const reading = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PYTHON_READER, comparisonPath], { encoding: 'utf8', timeout: 60_000 })) as PythonReading;
    const accepted = bodyTexts(reconstruct(reading.paragraphs, 'accept'));
    const rejected = bodyTexts(reconstruct(reading.paragraphs, 'reject'));
    expect(accepted).toEqual(documentTexts(revision));
    expect(rejected).toEqual(documentTexts(zeroDraft));
    expect(accepted).not.toEqual(rejected);
  });
});
