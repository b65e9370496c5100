/**
 * Streaming XML for the parts of a Word file: inflated bytes go through a DOCTYPE/ENTITY scan, a streaming UTF-8
 * decoder and saxes, chunk by chunk, so no part is ever held whole as a string. Entities are never resolved: any
 * DOCTYPE or ENTITY declaration refuses the file, before the parser sees it.
 */
import { DecodeUTF8 } from 'fflate';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { DocxImportError } from './errors.ts';
import type { SafeZip, ZipEntry } from './zip.ts';

/** Attributes keyed by short prefix and local name ("w:val", "r:id"); attributes without a namespace by local name. */
export type XmlAttrs = Readonly<Record<string, string>>;

/** What a part reader receives: elements named by short prefix and local name ("w:p"), and text. */
export interface XmlSink {
  open(name: string, attrs: XmlAttrs): void;
  close(name: string): void;
  text(text: string): void;
}

/** Namespace URIs (transitional and strict OOXML alike) and the short prefixes readers match on. */
const PREFIXES: ReadonlyMap<string, string> = new Map([
  ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'w'],
  ['http://purl.oclc.org/ooxml/wordprocessingml/main', 'w'],
  ['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'r'],
  ['http://purl.oclc.org/ooxml/officeDocument/relationships', 'r'],
  ['http://schemas.openxmlformats.org/package/2006/relationships', 'rel'],
  ['http://schemas.openxmlformats.org/package/2006/content-types', 'ct'],
  ['http://schemas.openxmlformats.org/markup-compatibility/2006', 'mc'],
  ['http://schemas.openxmlformats.org/officeDocument/2006/math', 'm'],
  ['http://purl.oclc.org/ooxml/officeDocument/math', 'm'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://www.w3.org/XML/1998/namespace', 'xml'],
]);

/** Elements nested deeper than this are refused: real documents stay under 60 levels (tables in tables included). */
export const MAX_XML_DEPTH = 256;

/** "<!DOCTYPE" and "<!ENTITY" after "<!", upper-cased, as bytes. */
const DECLARATIONS = ['DOCTYPE', 'ENTITY'].map((word) => Array.from(word, (c) => c.charCodeAt(0)));

/** The short name of an element or attribute: "w:p", or "?:name" for a namespace the import does not know. */
function shortName(uri: string, local: string): string {
  if (uri === '') return local;
  const prefix = PREFIXES.get(uri);
  return prefix === undefined ? `?:${local}` : `${prefix}:${local}`;
}

/**
 * Finds "<!DOCTYPE" or "<!ENTITY" (any case) in a byte stream, across chunk boundaries; the carry holds the last
 * bytes of the previous chunk.
 */
export class DeclarationScanner {
  #carry = new Uint8Array(0);

  /** Whether the stream so far, ending with `chunk`, contains a declaration. */
  found(chunk: Uint8Array): boolean {
    const joined = new Uint8Array(this.#carry.length + Math.min(chunk.length, 10));
    joined.set(this.#carry);
    joined.set(chunk.subarray(0, Math.min(chunk.length, 10)), this.#carry.length);
    if (scan(joined) || scan(chunk)) return true;
    // Keep the last 9 bytes of the stream (not of the chunk: chunks may be shorter than a declaration).
    if (chunk.length >= 9) this.#carry = chunk.slice(chunk.length - 9);
    else {
      const tail = new Uint8Array(this.#carry.length + chunk.length);
      tail.set(this.#carry);
      tail.set(chunk, this.#carry.length);
      this.#carry = tail.slice(Math.max(0, tail.length - 9));
    }
    return false;
  }
}

function scan(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x3c); i >= 0 && i < bytes.length; i = bytes.indexOf(0x3c, i + 1)) {
    if (bytes[i + 1] !== 0x21) continue;
    for (const word of DECLARATIONS) {
      let match = true;
      for (let k = 0; k < word.length; k += 1) {
        const byte = bytes[i + 2 + k];
        // ASCII upper-casing of letters: clear bit 5.
        if (byte === undefined || (byte & 0xdf) !== word[k]) {
          match = false;
          break;
        }
      }
      if (match) return true;
    }
  }
  return false;
}

function externalEntity(part: string): DocxImportError {
  return new DocxImportError(
    'external-entity',
    `This Word file was refused: its part "${part}" declares a DOCTYPE or ENTITY, which Word never writes and which can be used to read files from your computer. Ask the sender to save it again from Word.`,
  );
}

function malformed(part: string, detail: string): DocxImportError {
  return new DocxImportError('malformed-xml', `This Word file is damaged: its part "${part}" is not well-formed XML (${detail}). Open it in Word and save it again.`);
}

/**
 * Reads one XML part of the package into `sink`. Throws 'external-entity' for a DOCTYPE or ENTITY declaration,
 * 'malformed-xml' (naming the part) for anything saxes rejects, and 'too-complex' for nesting past MAX_XML_DEPTH.
 */
export function readXmlPart(zip: SafeZip, entry: ZipEntry, sink: XmlSink): void {
  const part = entry.name;
  const parser = new SaxesParser({ xmlns: true, position: true });
  let depth = 0;
  parser.on('error', (error) => {
    throw malformed(part, error.message.replace(/^(\d+):(\d+): /, 'line $1, column $2: '));
  });
  parser.on('doctype', () => {
    throw externalEntity(part);
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) throw malformed(part, `it is encoded as ${decl.encoding}, not UTF-8`);
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth > MAX_XML_DEPTH) {
      throw new DocxImportError('too-complex', `This Word file is too deeply nested to import (its part "${part}" nests elements more than ${MAX_XML_DEPTH} levels deep).`);
    }
    const ns = tag as SaxesTagNS;
    const attrs: Record<string, string> = {};
    for (const key in ns.attributes) {
      const attribute = ns.attributes[key];
      if (attribute === undefined || attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      attrs[shortName(attribute.uri, attribute.local)] = attribute.value;
    }
    sink.open(shortName(ns.uri, ns.local), attrs);
  });
  parser.on('closetag', (tag) => {
    depth -= 1;
    const ns = tag as SaxesTagNS;
    sink.close(shortName(ns.uri, ns.local));
  });
  parser.on('text', (text) => sink.text(text));
  parser.on('cdata', (text) => sink.text(text));

  const scanner = new DeclarationScanner();
  let first = true;
  const decoder = new DecodeUTF8((text) => {
    if (text !== '') parser.write(text);
  });
  zip.read(entry, (chunk) => {
    if (first) {
      first = false;
      // A UTF-16 byte order mark: Word writes UTF-8 only, and the declaration scan reads bytes as ASCII.
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) throw malformed(part, 'it is encoded as UTF-16, not UTF-8');
    }
    if (scanner.found(chunk)) throw externalEntity(part);
    decoder.push(chunk, false);
  });
  decoder.push(new Uint8Array(0), true);
  parser.close();
}

/** Checks a part the import does not otherwise read for DOCTYPE or ENTITY declarations (bytes only, no parsing). */
export function scanXmlPart(zip: SafeZip, entry: ZipEntry): void {
  const scanner = new DeclarationScanner();
  zip.read(entry, (chunk) => {
    if (scanner.found(chunk)) throw externalEntity(entry.name);
  });
}
