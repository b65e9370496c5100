import { describe, expect, it } from 'vitest';
import { TextSelection } from 'prosemirror-state';
import { cutRevision } from '../model/revisions/index.ts';
import { ChairNegotiator } from '../model/negotiation/chair.ts';
import { DelegationNegotiator } from '../model/negotiation/delegation.ts';
import { editAsChair, setupDocs, spanOf, testOptions, type TestDocs } from '../model/negotiation/test-setup.ts';
import { doc, fn, h1, header, np, posOf, title } from '../schema/test-builder.ts';
import { buildExport, ExportError, safeFileName, type BuiltExport, type ExportRequest } from './build.ts';
import { documentXmlOf } from './docx/test-xml.ts';

const SYMBOL = 'A/AC.123/2026/L.1';
const FIXED_NOW = new Date('2026-07-08T10:00:00Z');

/** A document with two numbered paragraphs, Rev.1 cut, then paragraph 2 edited and a proposal on paragraph 1. */
function negotiated(): { docs: TestDocs; proposalId: string } {
  const docs = setupDocs(
    doc(
      header({ symbol: SYMBOL, date: '8 July 2026' }, title({ pid: 'title' }, 'Draft report of the working group')),
      h1({ pid: 'h1' }, 'Introduction'),
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful practices.'),
      np({ pid: 'p2' }, 'The group will meet again in New York', fn('See A/78/265.'), '.'),
    ),
  );
  cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'Ms. Chair', label: 'Rev.1', date: '2026-07-01', now: () => new Date('2026-07-01T09:00:00Z'), id: 'rev-1' });
  editAsChair(docs.text, (tr) => {
    const from = posOf(tr.doc, 'New York');
    tr.setSelection(TextSelection.create(tr.doc, from, from + 'New York'.length)).insertText('Geneva');
  });
  const fra = new DelegationNegotiator('FRA', docs, testOptions('Marie'));
  const bra = new DelegationNegotiator('BRA', docs, testOptions('João'));
  const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter', rationale: 'Stronger.', agreedLanguage: null, cosponsors: [] });
  bra.support(proposal.id);
  new ChairNegotiator(docs, testOptions('Ms. Chair')).reject(proposal.id, 'No consensus');
  return { docs, proposalId: proposal.id };
}

function text(built: BuiltExport): string {
  expect(built.bytes).toBeInstanceOf(Uint8Array);
  return new TextDecoder().decode(built.bytes);
}

async function refusal(request: ExportRequest, docs: TestDocs = negotiated().docs): Promise<ExportError> {
  try {
    await buildExport(docs, request, { now: FIXED_NOW });
  } catch (error) {
    if (error instanceof ExportError) return error;
    throw error;
  }
  throw new Error('the export was not refused');
}

/** The text of word/document.xml in a .docx. */
function documentXml(bytes: Uint8Array | undefined): string {
  expect(bytes).toBeInstanceOf(Uint8Array);
  return documentXmlOf(bytes as Uint8Array);
}

describe('clean text', () => {
  it('exports the current text as HTML named after the symbol', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'clean', format: 'html' }, { now: FIXED_NOW });
    expect(built.fileName).toBe('A-AC.123-2026-L.1 (clean).html');
    expect(built.mimeType).toMatch(/^text\/html/);
    const html = text(built);
    expect(html).toContain('The group will meet again in Geneva');
    expect(html).not.toContain('New York');
  });

  it('exports a revision, named by id or by label, as Markdown', async () => {
    const { docs } = negotiated();
    for (const to of ['rev-1', 'rev.1']) {
      const built = await buildExport(docs, { kind: 'clean', format: 'md', to });
      expect(built.fileName).toBe('A-AC.123-2026-L.1 Rev.1 (clean).md');
      const markdown = text(built);
      expect(markdown).toContain('New York');
      expect(markdown).not.toContain('Geneva');
    }
  });

  it('gives PDF as a page to print, with the print margins left to the printer', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'clean', format: 'pdf' });
    expect(built.fileName).toBe('A-AC.123-2026-L.1 (clean).pdf');
    expect(built.mimeType).toBe('application/pdf');
    expect(built.bytes).toBeUndefined();
    expect(built.html).toContain('Geneva');
    expect(built.html).toMatch(/@media print \{ main \{ padding: 0/);
    expect(built.html).not.toMatch(/<script/i);
  });

  it('exports Word with the text in word/document.xml and reports progress', async () => {
    const steps: Array<[number, number]> = [];
    const built = await buildExport(negotiated().docs, { kind: 'clean', format: 'docx' }, { onProgress: (done, total) => steps.push([done, total]) });
    expect(built.fileName).toBe('A-AC.123-2026-L.1 (clean).docx');
    const xml = documentXml(built.bytes);
    expect(xml).toContain('States should cooperate to prevent harmful practices.');
    expect(xml).toContain('Geneva');
    expect(steps.length).toBeGreaterThan(0);
    const last = steps.at(-1) as [number, number];
    expect(last[0]).toBe(last[1]);
  });

  it('refuses an empty document and an unknown revision with sentences', async () => {
    const empty = setupDocs(doc(header(title()), np('')));
    const fragment = empty.text.getXmlFragment('prosemirror');
    fragment.delete(0, fragment.length);
    const none = await refusal({ kind: 'clean', format: 'html' }, empty);
    expect(none.code).toBe('empty');
    const unknown = await refusal({ kind: 'clean', format: 'html', to: 'Rev.7' });
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toBe('There is no revision “Rev.7”. The revisions are: Rev.1.');
  });
});

describe('compilation', () => {
  it('lists each paragraph with its proposals: delegation, wording, support, decision', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'compilation', format: 'html' }, { now: FIXED_NOW });
    expect(built.fileName).toBe('A-AC.123-2026-L.1 (compilation).html');
    const html = text(built);
    expect(html).toContain('Compilation of proposals as at 2026-07-08');
    expect(html).toContain('France');
    expect(html).toContain('<del>prevent</del> <ins>deter</ins>');
    expect(html).toContain('Supported by Brazil.');
    expect(html).toContain('Status: Rejected (No consensus).');
    // The paragraph carries its number in force, and the proposal sits under it.
    expect(html.indexOf('States should cooperate')).toBeLessThan(html.indexOf('deter'));
  });

  it('is written as Word with the proposal under its paragraph', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'compilation', format: 'docx' });
    const xml = documentXml(built.bytes);
    expect(xml).toContain('States should cooperate');
    expect(xml).toContain('deter');
  });

  it('refuses Markdown, which cannot show insertions and deletions, and any version but the current text', async () => {
    const markdown = await refusal({ kind: 'compilation', format: 'md' });
    expect(markdown.code).toBe('unsupported');
    expect(markdown.message).toContain('cannot be written as Markdown');
    const revision = await refusal({ kind: 'compilation', format: 'html', to: 'rev-1' });
    expect(revision.code).toBe('invalid');
  });
});

describe('comparison', () => {
  it('writes the redline of a revision and the current text as HTML', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'comparison', format: 'html', from: 'rev-1', to: 'current' });
    expect(built.fileName).toBe('A-AC.123-2026-L.1 Rev.1 to current text (comparison).html');
    const html = text(built);
    expect(html).toContain('Comparison of Rev.1 with Current text');
    expect(html).toContain('1 changed, 0 added, 0 deleted, 0 moved');
    expect(html).toMatch(/<del>New York<\/del>\s*<ins>Geneva<\/ins>|<del>New<\/del>.*<ins>Geneva<\/ins>/);
    // The footnote, unchanged, is shown in brackets rather than as the comparison's private markers.
    expect(html).toContain('[See A/78/265.]');
    expect(html).not.toMatch(/[\u27e6\u27e7]/);
  });

  it('writes Word tracked changes attributed to the exporter when the later side is the current text', async () => {
    const built = await buildExport(negotiated().docs, { kind: 'comparison', format: 'docx', from: 'rev-1', to: 'current' }, { now: FIXED_NOW, author: 'Ms. Chair' });
    const xml = documentXml(built.bytes);
    expect(xml).toMatch(/<w:ins [^>]*w:author="Ms. Chair"/);
    expect(xml).toMatch(/<w:del [^>]*w:author="Ms. Chair"/);
    expect(xml).toContain('Geneva');
    expect(xml).toMatch(/<w:delText[^>]*>[^<]*New York/);
  });

  it('needs two different versions', async () => {
    expect((await refusal({ kind: 'comparison', format: 'docx', from: 'rev-1' })).code).toBe('invalid');
    const same = await refusal({ kind: 'comparison', format: 'html', from: 'current', to: 'current' });
    expect(same.message).toBe('Choose two different versions to compare.');
  });
});

describe('safeFileName', () => {
  it('replaces separators and characters Windows refuses, and keeps the extension last', () => {
    expect(safeFileName('A/AC.123/2026/L.1 Rev.1 (clean)', 'docx')).toBe('A-AC.123-2026-L.1 Rev.1 (clean).docx');
    expect(safeFileName('a:b*c?d"e<f>g|h\\i', 'pdf')).toBe('a-b-c-d-e-f-g-h-i.pdf');
  });

  it('drops control and direction-override characters, leading dots and trailing dots', () => {
    expect(safeFileName('..\u202eexe.fdp\u0000 report. ', 'html')).toBe('exe.fdp report.html');
    expect(safeFileName('   ', 'md')).toBe('Document.md');
  });

  it('avoids Windows device names and bounds the length in bytes', () => {
    expect(safeFileName('CON', 'docx')).toBe('_CON.docx');
    expect(safeFileName('nul.report', 'docx')).toBe('_nul.report.docx');
    const long = safeFileName('é'.repeat(300), 'docx');
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(185);
    expect(long.endsWith('é.docx')).toBe(true);
  });
});
