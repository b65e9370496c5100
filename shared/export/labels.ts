/**
 * The printed labels of a clean export (paragraph numbers 1..N, section letters, sub-paragraph labels, footnote
 * numbers), looked up by document position so every exporter prints exactly what analyzeDocument computes.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { analyzeDocument } from '../model/analyze.ts';

/** The labels of one document, keyed by the position before the labelled node. */
export interface ExportLabels {
  /** The number of the numbered paragraph at `pos` ("1" .. "N"). */
  paragraph(pos: number): string;
  /** The label of the heading at `pos` ("A." for a section, "1." for a subsection). */
  heading(pos: number): string;
  /** The label of the first paragraph of a lettered item at `pos` ("(a)", "(i)"). */
  subparagraph(pos: number): string;
  /** The number of the footnote at `pos` (1..N in document order). */
  footnote(pos: number): number;
}

/** Looks `pos` up and fails loudly: a missing label means the walk and the analysis disagree, a bug to fix. */
function lookup<T>(map: ReadonlyMap<number, T>, pos: number, what: string): T {
  const found = map.get(pos);
  if (found === undefined) throw new Error(`export: no ${what} label at position ${pos}`);
  return found;
}

/** Computes the labels of a clean export: no baseline, so paragraphs run 1..N without bis/ter. */
export function exportLabels(doc: ProseMirrorNode): ExportLabels {
  const analysis = analyzeDocument(doc);
  const paragraphs = new Map(analysis.paragraphs.map((info) => [info.pos, info.number]));
  const headings = new Map(analysis.headings.map((info) => [info.pos, info.label]));
  const subparagraphs = new Map(analysis.subparagraphs.map((info) => [info.pos, info.label]));
  const footnotes = new Map(analysis.footnotes.map((info) => [info.pos, info.number]));
  return {
    paragraph: (pos) => lookup(paragraphs, pos, 'paragraph'),
    heading: (pos) => lookup(headings, pos, 'heading'),
    subparagraph: (pos) => lookup(subparagraphs, pos, 'sub-paragraph'),
    footnote: (pos) => lookup(footnotes, pos, 'footnote'),
  };
}

/** The lines of a multi-line header field (session, agenda), blank lines dropped. */
export function headerLines(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A header attribute as a one-line string ('' when absent or not a string). */
export function headerField(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}
