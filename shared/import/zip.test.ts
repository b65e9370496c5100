import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_DOCX_IMPORT_LIMITS, DocxImportError, type DocxImportLimits } from './errors.ts';
import { SafeZip, crc32, isCompoundFile } from './zip.ts';
import { deflated, rawDocx, writeZip, zeroBombDocx, zerosDeflate } from '../../tests/fixtures/docx/zips.ts';

const limits: DocxImportLimits = { ...DEFAULT_DOCX_IMPORT_LIMITS };

function readAll(zip: SafeZip, name: string): string {
  const entry = zip.entry(name);
  if (!entry) throw new Error(`no ${name}`);
  let text = '';
  zip.read(entry, (chunk) => {
    text += new TextDecoder().decode(chunk);
  });
  return text;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DocxImportError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('SafeZip', () => {
  it('reads deflated and stored entries, looking names up without case or leading slash', () => {
    const bytes = zipSync({ 'word/document.xml': strToU8('<doc>deflated</doc>'), 'Stored.TXT': [strToU8('stored'), { level: 0 }] });
    const zip = new SafeZip(bytes, limits);
    expect(zip.names()).toEqual(['word/document.xml', 'Stored.TXT']);
    expect(readAll(zip, '/WORD/Document.xml')).toBe('<doc>deflated</doc>');
    expect(readAll(zip, 'stored.txt')).toBe('stored');
    expect(zip.entry('missing.xml')).toBeNull();
    expect(zip.inflatedBytes).toBe(25);
  });

  it('refuses a truncated or garbled archive as corrupt', () => {
    const bytes = writeZip(rawDocx(['Hello']));
    expect(codeOf(() => new SafeZip(bytes.subarray(0, bytes.length - 30), limits))).toBe('corrupt');
    expect(codeOf(() => new SafeZip(bytes.subarray(0, 10), limits))).toBe('corrupt');
    const damaged = bytes.slice();
    // Overwrite the deflate data of the last entry (word/document.xml) with garbage: it fails to inflate or its checksum.
    const entry = new SafeZip(bytes, limits).entry('word/document.xml');
    if (!entry) throw new Error('no entry');
    damaged.fill(0xff, entry.dataStart, entry.dataStart + entry.compressedSize);
    const zip = new SafeZip(damaged, limits);
    expect(codeOf(() => readAll(zip, 'word/document.xml'))).toBe('corrupt');
  });

  it('refuses an entry whose checksum does not match', () => {
    const entries = rawDocx(['Hello']);
    const last = entries[entries.length - 1];
    if (!last) throw new Error('no entry');
    last.crc = (last.crc + 1) >>> 0;
    const zip = new SafeZip(writeZip(entries), limits);
    expect(() => readAll(zip, 'word/document.xml')).toThrowError(/checksum/);
  });

  it('refuses a gigabyte bomb from its declared size and ratio before inflating anything', () => {
    const zip = () => new SafeZip(zeroBombDocx(), limits);
    expect(codeOf(zip)).toBe('zip-bomb');
    expect(() => zip()).toThrowError(/would expand 1032 times, to 1\.0 GB/);
  });

  it('counts the bytes really inflated, so a bomb declaring a small size is stopped after that size', () => {
    const zip = new SafeZip(zeroBombDocx({ size: 64 * 1024 * 1024, declaredSize: 5000 }), limits);
    const entry = zip.entry('word/document.xml');
    if (!entry) throw new Error('no entry');
    let kept = 0;
    expect(() =>
      zip.read(entry, (chunk) => {
        kept += chunk.length;
      }),
    ).toThrowError(expect.objectContaining({ code: 'zip-bomb', message: expect.stringContaining('declares 4.9 KB but expands to more') }));
    // Nothing past the declared size reached the reader, and only a few MB were ever inflated.
    expect(kept).toBeLessThanOrEqual(5000);
    expect(zip.inflatedBytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('stops at the total budget across entries', () => {
    const bomb = zerosDeflate(3 * 1024 * 1024);
    const entries = [0, 1, 2].map((n) => ({ name: `part${n}.xml`, method: 8 as const, data: bomb.data, size: bomb.size, crc: 0 }));
    const small = { ...limits, maxUncompressedBytes: 4 * 1024 * 1024, maxCompressionRatio: 2000 };
    expect(codeOf(() => new SafeZip(writeZip(entries), small))).toBe('too-large');
  });

  it('refuses entries that share compressed data (overlapping-files bombs)', () => {
    const entries = [deflated('a.xml', '<a/>'), deflated('b.xml', '<b/>')];
    expect(codeOf(() => new SafeZip(writeZip(entries, { shareDataOf: new Map([[1, 0]]) }), limits))).toBe('zip-bomb');
  });

  it('refuses too many entries, encrypted entries and unknown compression', () => {
    const many = Array.from({ length: 30 }, (_, n) => deflated(`f${n}.xml`, '<x/>'));
    expect(codeOf(() => new SafeZip(writeZip(many), { ...limits, maxEntries: 20 }))).toBe('too-large');
    expect(codeOf(() => new SafeZip(writeZip([{ ...deflated('a.xml', '<a/>'), flags: 1 }]), limits))).toBe('encrypted');
    const bzip = { ...deflated('a.xml', '<a/>'), method: 12 as unknown as 8 };
    expect(codeOf(() => new SafeZip(writeZip([bzip]), limits))).toBe('corrupt');
  });

  it('computes the zip CRC-32 and recognizes the OLE compound-file signature', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(isCompoundFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(true);
    expect(isCompoundFile(strToU8('PK\u0003\u0004....'))).toBe(false);
  });
});
