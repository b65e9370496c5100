import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_DOCX_IMPORT_LIMITS, DocxImportError } from './errors.ts';
import { DeclarationScanner, MAX_XML_DEPTH, readXmlPart, scanXmlPart, type XmlAttrs } from './xml.ts';
import { SafeZip } from './zip.ts';

function zipWith(xml: string | Uint8Array): { zip: SafeZip; name: string } {
  const bytes = typeof xml === 'string' ? strToU8(xml) : xml;
  return { zip: new SafeZip(zipSync({ 'word/part.xml': bytes }), DEFAULT_DOCX_IMPORT_LIMITS), name: 'word/part.xml' };
}

function events(xml: string | Uint8Array): string[] {
  const { zip, name } = zipWith(xml);
  const out: string[] = [];
  readXmlPart(zip, zip.entry(name) as NonNullable<ReturnType<SafeZip['entry']>>, {
    open: (element: string, attrs: XmlAttrs) => out.push(`<${element}${Object.entries(attrs).map(([k, v]) => ` ${k}=${v}`).join('')}>`),
    close: (element: string) => out.push(`</${element}>`),
    text: (text: string) => out.push(text),
  });
  return out;
}

function failure(xml: string | Uint8Array): DocxImportError {
  try {
    events(xml);
  } catch (error) {
    if (error instanceof DocxImportError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

describe('readXmlPart', () => {
  it('names elements and attributes by short prefix, whatever prefix the file binds', () => {
    expect(events(`<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:t x:val="1" plain="2">a &amp; b</x:t><y:z xmlns:y="urn:other"/></x:document>`)).toEqual([
      '<w:document>',
      '<w:t w:val=1 plain=2>',
      'a & b',
      '</w:t>',
      '<?:z>',
      '</?:z>',
      '</w:document>',
    ]);
  });

  it('refuses any DOCTYPE or ENTITY declaration as external-entity, before parsing', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document ${W}><w:t>&xxe;</w:t></w:document>`;
    expect(failure(xxe).code).toBe('external-entity');
    expect(failure(xxe).message).toContain('"word/part.xml"');
    expect(failure(`<!doctype html><w:document ${W}/>`).code).toBe('external-entity');
    expect(failure(`<w:document ${W}><!ENTITY x "y"></w:document>`).code).toBe('external-entity');
  });

  it('never resolves an undeclared entity: it is malformed XML', () => {
    expect(failure(`<w:document ${W}><w:t>&xxe;</w:t></w:document>`).code).toBe('malformed-xml');
  });

  it('refuses malformed XML, naming the part and the line', () => {
    const error = failure(`<w:document ${W}>\n<w:p><w:t>open</w:p></w:document>`);
    expect(error.code).toBe('malformed-xml');
    expect(error.message).toMatch(/"word\/part\.xml" is not well-formed XML \(line 2, column \d+: /);
    expect(failure(`<w:document ${W}><w:p>`).code).toBe('malformed-xml');
    expect(failure('').code).toBe('malformed-xml');
  });

  it('refuses UTF-16 and other encodings, and nesting past the depth limit', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(strToU8('<a/>')).flatMap((byte) => [byte, 0])]);
    expect(failure(utf16).code).toBe('malformed-xml');
    expect(failure('<?xml version="1.0" encoding="ISO-8859-1"?><a/>').message).toContain('ISO-8859-1');
    const deep = `${'<a>'.repeat(MAX_XML_DEPTH + 1)}${'</a>'.repeat(MAX_XML_DEPTH + 1)}`;
    expect(failure(deep).code).toBe('too-complex');
    expect(events(`${'<a>'.repeat(MAX_XML_DEPTH)}${'</a>'.repeat(MAX_XML_DEPTH)}`)).toHaveLength(2 * MAX_XML_DEPTH);
  });

  it('reads a UTF-8 byte order mark and multi-byte text', () => {
    expect(events(new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8('<a>États – 中文</a>')]))).toEqual(['<a>', 'États – 中文', '</a>']);
  });
});

describe('DeclarationScanner and scanXmlPart', () => {
  it('finds a declaration split across chunks, in any case', () => {
    const scanner = new DeclarationScanner();
    expect(scanner.found(strToU8('<root>text<!DOC'))).toBe(false);
    expect(scanner.found(strToU8('tYpE x>'))).toBe(true);
    const other = new DeclarationScanner();
    expect(other.found(strToU8('<'))).toBe(false);
    expect(other.found(strToU8('!'))).toBe(false);
    expect(other.found(strToU8('ENTITY'))).toBe(true);
    expect(new DeclarationScanner().found(strToU8('<!-- a comment --><![CDATA[x]]>'))).toBe(false);
  });

  it('scans a part it does not parse', () => {
    const { zip, name } = zipWith('<x><!DOCTYPE y></x>');
    expect(() => scanXmlPart(zip, zip.entry(name) as NonNullable<ReturnType<SafeZip['entry']>>)).toThrowError(expect.objectContaining({ code: 'external-entity' }));
  });
});
