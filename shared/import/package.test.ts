import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_DOCX_IMPORT_LIMITS, DocxImportError } from './errors.ts';
import { openPackage, resolveTarget, scanOtherParts } from './package.ts';
import { docxPackage, p } from '../../tests/fixtures/docx/package.ts';

const limits = DEFAULT_DOCX_IMPORT_LIMITS;

function refusal(bytes: Uint8Array, custom = limits): DocxImportError {
  try {
    scanOtherParts(openPackage(bytes, custom));
  } catch (error) {
    if (error instanceof DocxImportError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('openPackage', () => {
  it('finds the main document and its related parts through the relationships', () => {
    const pkg = openPackage(docxPackage({ body: p('Hello'), styles: '', numbering: '', footnotes: '', rels: [{ id: 'h', type: 'hyperlink', target: 'https://un.org', external: true }] }), limits);
    expect(pkg.main.name).toBe('word/document.xml');
    expect([pkg.styles?.name, pkg.numbering?.name, pkg.footnotes?.name, pkg.endnotes]).toEqual(['word/styles.xml', 'word/numbering.xml', 'word/footnotes.xml', null]);
    expect(pkg.rels.get('h')).toEqual({ type: 'hyperlink', target: 'https://un.org', external: true });
    expect(pkg.otherXml.map((entry) => entry.name)).toEqual([]);
  });

  it('resolves relationship targets as OPC does', () => {
    expect(resolveTarget('word/document.xml', 'styles.xml')).toBe('word/styles.xml');
    expect(resolveTarget('word/document.xml', '../customXml/item1.xml')).toBe('customXml/item1.xml');
    expect(resolveTarget('word/document.xml', '/word/media/../styles.xml')).toBe('word/styles.xml');
    expect(resolveTarget('', 'word/document.xml')).toBe('word/document.xml');
  });

  it('refuses an encrypted or legacy Word file (OLE compound file) with a sentence saying what to do', () => {
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const error = refusal(ole);
    expect(error.code).toBe('encrypted');
    expect(error.message).toMatch(/password-protected or an old Word 97-2003 document/);
  });

  it('refuses macro-enabled files, by vbaProject.bin or by content type, telling the user to save as .docx', () => {
    const withMacros = docxPackage({ body: p('x'), extra: { 'word/vbaProject.bin': new Uint8Array([1, 2, 3]) } });
    expect(refusal(withMacros).code).toBe('macro-enabled');
    expect(refusal(withMacros).message).toContain('Word Document (*.docx)');
    const docm = docxPackage({ body: p('x'), mainContentType: 'application/vnd.ms-word.document.macroEnabled.main+xml' });
    expect(refusal(docm).code).toBe('macro-enabled');
  });

  it('refuses what is not a Word document', () => {
    expect(refusal(strToU8('%PDF-1.7')).code).toBe('not-docx');
    expect(refusal(zipSync({ 'readme.txt': strToU8('hi') })).code).toBe('not-docx');
    const xlsx = zipSync({
      '[Content_Types].xml': strToU8('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
    });
    expect(refusal(xlsx).message).toContain('Excel workbook');
    expect(refusal(docxPackage({ body: p('x'), noContentTypes: true })).code).toBe('not-docx');
  });

  it('refuses a file over the size limit before reading it', () => {
    const bytes = docxPackage({ body: p('x'.repeat(5000)) });
    const error = refusal(bytes, { ...limits, maxFileBytes: 100 });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/^This file is 1\.\d KB, more than the 100 bytes/);
  });

  it('refuses a DOCTYPE in a part the import does not otherwise read', () => {
    const bytes = docxPackage({ body: p('x'), extra: { 'customXml/item1.xml': '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' } });
    expect(refusal(bytes).code).toBe('external-entity');
  });
});
