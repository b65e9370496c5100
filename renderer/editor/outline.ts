/**
 * The outline pane's content, derived from a document analysis: section headings with their letters and the
 * numbered paragraphs with their first words, plus the footnotes listed at the foot of the page.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { headingLabel } from './numberingPlugin.ts';

/** The part of shared/model/analyze.ts's result the outline reads. */
export interface OutlineSource {
  paragraphs: readonly { pid: string; pos: number; number: string | number }[];
  headings: readonly { pid: string; pos: number; level: number; label: string; text: string }[];
  footnotes: readonly { pos: number; number: string | number }[];
}

/** One line of the outline. */
export interface OutlineEntry {
  kind: 'heading' | 'paragraph';
  pid: string;
  /** Where the block starts in the document the outline was built from. */
  pos: number;
  /** 1 or 2 for headings; 3 for numbered paragraphs, which sit under their headings. */
  level: number;
  /** "A.", "1." or the paragraph number. */
  label: string;
  /** The heading text, or the paragraph's first words. */
  text: string;
}

/** One footnote as listed at the foot of the page. */
export interface FootnoteEntry {
  number: string;
  pos: number;
  text: string;
}

/** The first few words of a paragraph, cut at a word boundary with an ellipsis. */
export function firstWords(text: string, maxWords = 8, maxChars = 64): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  let out = '';
  let count = 0;
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (count >= maxWords || next.length > maxChars) return `${out || word.slice(0, maxChars)}…`;
    out = next;
    count++;
  }
  return out;
}

/** A textblock's own text: footnotes are left out (they are not what the paragraph says), line breaks become spaces. */
export function bodyText(node: ProseMirrorNode): string {
  let text = '';
  node.forEach((child) => {
    if (child.isText) text += child.text ?? '';
    else if (child.type.name === 'hard_break') text += ' ';
  });
  return text;
}

/** Headings and numbered paragraphs in document order. */
export function buildOutline(doc: ProseMirrorNode, analysis: OutlineSource): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  for (const heading of analysis.headings) {
    entries.push({
      kind: 'heading',
      pid: heading.pid,
      pos: heading.pos,
      level: heading.level,
      label: headingLabel(heading.label),
      text: heading.text.trim() || '(untitled section)',
    });
  }
  for (const paragraph of analysis.paragraphs) {
    const node = doc.nodeAt(paragraph.pos);
    const text = node ? firstWords(bodyText(node)) : '';
    entries.push({ kind: 'paragraph', pid: paragraph.pid, pos: paragraph.pos, level: 3, label: String(paragraph.number), text: text || '(empty)' });
  }
  return entries.sort((a, b) => a.pos - b.pos);
}

/** The footnotes in order with their text, for the list at the foot of the page. */
export function collectFootnotes(doc: ProseMirrorNode, analysis: OutlineSource): FootnoteEntry[] {
  return analysis.footnotes.map((footnote) => ({
    number: String(footnote.number),
    pos: footnote.pos,
    text: doc.nodeAt(footnote.pos)?.textContent ?? '',
  }));
}

/**
 * Index of the outline entry the caret is in (the last one starting at or before it), or -1 before the first.
 * Takes the entries' start positions, sorted, kept mapped through edits by the caller.
 */
export function currentEntryIndex(starts: readonly number[], pos: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = starts[mid];
    if (start === undefined) break;
    if (start <= pos) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
