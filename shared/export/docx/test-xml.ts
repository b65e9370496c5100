/**
 * Reading exported .docx files back in tests (test-only: application code never imports this file): unzip with
 * fflate, parse parts with saxes into a small element tree, read paragraphs the way Word's Accept All and Reject
 * All leave them, and the texts a document's paragraphs should read.
 */
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import type { Node as ProseMirrorNode } from 'prosemirror-model';

/** An XML element: its qualified name, attributes and children in order. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (XmlElement | string)[];
  readonly parent: XmlElement | null;
}

/** Parses XML text into an element tree (the document element). */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attrs: {}, children: [], parent: null };
  let current = root;
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], parent: current };
    current.children.push(element);
    if (!tag.isSelfClosing) current = element;
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing && current.parent) current = current.parent;
  });
  parser.on('text', (text) => current.children.push(text));
  parser.write(xml).close();
  const element = root.children.find((child): child is XmlElement => typeof child !== 'string');
  if (!element) throw new Error('no document element');
  return element;
}

/** Every descendant element named `name`, in document order. */
export function all(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (element: XmlElement): void => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      if (child.name === name) out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** The first child element named `name`, or undefined. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((one): one is XmlElement => typeof one !== 'string' && one.name === name);
}

/** The nearest ancestor named `name`, or null. */
export function ancestor(element: XmlElement, name: string, stop?: XmlElement): XmlElement | null {
  let current = element.parent;
  while (current !== null && current !== stop) {
    if (current.name === name) return current;
    current = current.parent;
  }
  return null;
}

/** The XML parts of a .docx, by path. */
export function unzipDocx(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  const parts: Record<string, string> = {};
  for (const [path, data] of Object.entries(files)) if (path.endsWith('.xml') || path.endsWith('.rels')) parts[path] = strFromU8(data);
  return parts;
}

/** The text of word/document.xml in a .docx (throws when the package has none). */
export function documentXmlOf(bytes: Uint8Array): string {
  const xml = unzipSync(bytes)['word/document.xml'];
  if (!xml) throw new Error('word/document.xml is not in the file');
  return strFromU8(xml);
}

/** The parsed part at `path` (throws when missing). */
export function part(parts: Record<string, string>, path: string): XmlElement {
  const xml = parts[path];
  if (xml === undefined) throw new Error(`${path} is not in the file`);
  return parseXml(xml);
}

/** Which text of a paragraph to read: as written (inserted and deleted), after Accept All, after Reject All. */
export type Reading = 'all' | 'accept' | 'reject';

/** The text of an element: w:t and w:delText, tabs as \t, breaks as \n, filtered by `reading`. */
export function textOf(element: XmlElement, reading: Reading = 'all'): string {
  let text = '';
  const walk = (node: XmlElement, inserted: boolean, deleted: boolean): void => {
    const ins = inserted || node.name === 'w:ins';
    const del = deleted || node.name === 'w:del';
    // Tracked paragraph-mark and row changes sit in properties: they hold no text.
    if (node.name === 'w:pPr' || node.name === 'w:rPr' || node.name === 'w:trPr') return;
    if ((reading === 'accept' && del) || (reading === 'reject' && ins)) return;
    if (node.name === 'w:t' || node.name === 'w:delText') {
      for (const one of node.children) if (typeof one === 'string') text += one;
      return;
    }
    if (node.name === 'w:tab') text += '\t';
    else if (node.name === 'w:br' || node.name === 'w:cr') text += '\n';
    for (const one of node.children) if (typeof one !== 'string') walk(one, ins, del);
  };
  walk(element, false, false);
  return text;
}

/** A body paragraph as read for reconstruction (the shape the python-docx script prints too). */
export interface ParagraphReading {
  readonly style: string | null;
  /** Its paragraph mark tracked as inserted or deleted. */
  readonly mark: 'ins' | 'del' | null;
  /** An id of the table cell it is in, or null in the body. */
  readonly cell: string | number | null;
  /** Its table row tracked as inserted or deleted. */
  readonly row: 'ins' | 'del' | null;
  readonly accept: string;
  readonly reject: string;
}

/** Every paragraph of document.xml's body (table cells included, in order) as read for reconstruction. */
export function readParagraphs(documentXml: XmlElement): ParagraphReading[] {
  const body = child(documentXml, 'w:body');
  if (!body) throw new Error('no w:body');
  const cells = new Map<XmlElement, number>();
  return all(body, 'w:p').map((paragraph) => {
    const properties = child(paragraph, 'w:pPr');
    const markProperties = child(properties, 'w:rPr');
    const mark = child(markProperties, 'w:ins') ? 'ins' : child(markProperties, 'w:del') ? 'del' : null;
    const cell = ancestor(paragraph, 'w:tc');
    if (cell && !cells.has(cell)) cells.set(cell, cells.size + 1);
    const rowProperties = child(ancestor(paragraph, 'w:tr') ?? undefined, 'w:trPr');
    const row = child(rowProperties, 'w:ins') ? 'ins' : child(rowProperties, 'w:del') ? 'del' : null;
    return {
      style: child(properties, 'w:pStyle')?.attrs['w:val'] ?? null,
      mark,
      cell: cell ? (cells.get(cell) as number) : null,
      row,
      accept: textOf(paragraph, 'accept'),
      reject: textOf(paragraph, 'reject'),
    };
  });
}

/** A reconstructed paragraph: its style and text. */
export interface Reconstructed {
  readonly style: string | null;
  readonly text: string;
}

/**
 * The paragraphs Word leaves after Accept All (or Reject All): rows deleted (inserted) go, a paragraph whose mark
 * is deleted (inserted) runs on into the next paragraph of its container.
 */
export function reconstruct(paragraphs: readonly ParagraphReading[], reading: 'accept' | 'reject'): Reconstructed[] {
  const gone = reading === 'accept' ? 'del' : 'ins';
  const out: Reconstructed[] = [];
  let carried = '';
  let carriedCell: string | number | null = null;
  for (const paragraph of paragraphs) {
    if (paragraph.row === gone) continue;
    const own = reading === 'accept' ? paragraph.accept : paragraph.reject;
    if (carried !== '' && carriedCell !== paragraph.cell) throw new Error(`text "${carried}" ran on out of its container`);
    const text = carried + own;
    carried = '';
    if (paragraph.mark === gone) {
      carried = text;
      carriedCell = paragraph.cell;
      continue;
    }
    out.push({ style: paragraph.style, text });
  }
  if (carried !== '') throw new Error(`text "${carried}" ran on past the end`);
  return out;
}

/** The styles whose paragraphs begin with a typed label and a tab. */
const LABELLED = new Set(['UNNumbered', 'Heading1', 'Heading2', 'UNLettered']);

/**
 * The texts of a reconstructed document from its title on: the export note left out, typed labels stripped, the
 * empty paragraph that may close the body dropped.
 */
export function bodyTexts(paragraphs: readonly Reconstructed[]): string[] {
  const start = paragraphs.findIndex((paragraph) => paragraph.style === 'UNTitle');
  if (start < 0) throw new Error('no title paragraph');
  const texts = paragraphs
    .slice(start)
    .filter((paragraph) => paragraph.style !== 'UNExportNote')
    .map((paragraph) => {
      if (!LABELLED.has(paragraph.style ?? '')) return paragraph.text;
      const tab = paragraph.text.indexOf('\t');
      return tab < 0 ? paragraph.text : paragraph.text.slice(tab + 1);
    });
  while (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
  return texts;
}

/** The texts a document's paragraphs read, in order: every textblock, footnotes left out, breaks as \n. */
export function documentTexts(doc: ProseMirrorNode): string[] {
  const texts: string[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    let text = '';
    node.forEach((inline) => {
      if (inline.isText) text += inline.text ?? '';
      else if (inline.type.name === 'hard_break') text += '\n';
    });
    texts.push(text);
    return false;
  });
  return texts;
}
