/**
 * One pass over a document that computes everything printed but never stored: paragraph numbers, section
 * letters, sub-paragraph labels, footnote numbers, and the counts shown in the status bar.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { paragraphNumberList, sectionLetter, subparagraphLabel } from './numbering.ts';

/** A numbered paragraph and its computed number ("23", "23 bis"). */
export interface ParagraphInfo {
  /** The paragraph's pid; '' while it has none (before the pid plugin ran). */
  pid: string;
  /** The position before the node, as decorations and `doc.nodeAt` take it. */
  pos: number;
  number: string;
}

/** A heading and its computed label. */
export interface HeadingInfo {
  pid: string;
  pos: number;
  level: 1 | 2;
  /** "A." for a section, "1." for a subsection (numbered within its section). */
  label: string;
  /** The heading's own text, footnotes left out. */
  text: string;
}

/** The paragraph of a lettered item and its computed label. */
export interface SubparagraphInfo {
  /** The pid of the paragraph inside the lettered item. */
  pid: string;
  /** The position before that paragraph. */
  pos: number;
  /** "(a)" at depth 1, "(i)" at depth 2 and below. */
  label: string;
  depth: number;
  /** The pid of the numbered paragraph the list belongs to ("23 (a)"); '' when none precedes it in its section. */
  ownerPid: string;
}

/** A footnote and its number, 1..N in document order. */
export interface FootnoteInfo {
  pos: number;
  number: number;
}

/** What the status bar counts. */
export interface DocumentCounts {
  /** Whitespace-separated words of all text, footnotes and title included (header fields are not text). */
  words: number;
  /** Numbered paragraphs. */
  paragraphs: number;
  /** Textblocks of every kind: title, headings, paragraphs (also in lists and table cells). */
  blocks: number;
}

/** Everything {@link analyzeDocument} computes, each list in document order. */
export interface DocumentAnalysis {
  paragraphs: ParagraphInfo[];
  headings: HeadingInfo[];
  subparagraphs: SubparagraphInfo[];
  footnotes: FootnoteInfo[];
  counts: DocumentCounts;
}

/** Whether a UTF-16 code unit is whitespace (the \s of regular expressions, without the regex cost). */
function isSpace(code: number): boolean {
  if (code <= 32) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Counts whitespace-separated words in texts that run on from one another (the text nodes of one block). */
class WordCounter {
  words = 0;
  #inWord = false;

  /** Adds a run of text; a word split by a mark boundary ("hel" + bold "lo") counts once. */
  add(text: string): void {
    let inWord = this.#inWord;
    let words = 0;
    for (let i = 0; i < text.length; i += 1) {
      if (isSpace(text.charCodeAt(i))) inWord = false;
      else if (!inWord) {
        inWord = true;
        words += 1;
      }
    }
    this.#inWord = inWord;
    this.words += words;
  }

  /** Ends the current word (block boundary, line break, footnote marker). */
  separate(): void {
    this.#inWord = false;
  }
}

/**
 * Words per textblock node. Nodes are immutable and an edit rebuilds only the blocks it touches, so after the
 * first analysis only changed blocks are counted again (counting is most of the cost of a pass).
 */
const wordsOfBlock = new WeakMap<ProseMirrorNode, number>();

function pidOf(node: ProseMirrorNode): string {
  const pid = node.attrs['pid'];
  return typeof pid === 'string' ? pid : '';
}

/**
 * Analyses `doc` in one pass. With a `baseline` (pid -> number in the last revision) paragraph numbers follow
 * the bis/ter rules of shared/model/numbering.ts; without one they run 1..N. A 2,500-block document takes a few
 * milliseconds, so the renderer can recompute on every structural change.
 */
export function analyzeDocument(doc: ProseMirrorNode, baseline?: ReadonlyMap<string, number>): DocumentAnalysis {
  const paragraphs: ParagraphInfo[] = [];
  const numberedPids: (string | null)[] = [];
  const headings: HeadingInfo[] = [];
  const subparagraphs: SubparagraphInfo[] = [];
  const footnotes: FootnoteInfo[] = [];
  const counter = new WordCounter();
  let blocks = 0;
  let section = -1;
  let subsection = 0;
  let ownerPid = '';

  /** Counts the words of a textblock at `pos` (or takes them from the cache) and numbers its footnotes. */
  const textblock = (node: ProseMirrorNode, pos: number): void => {
    blocks += 1;
    const cached = wordsOfBlock.get(node);
    const count = cached === undefined;
    const before = counter.words;
    counter.separate();
    node.forEach((child, offset) => {
      if (child.isText) {
        if (count) counter.add(child.text as string);
      } else {
        counter.separate();
        if (child.type.name === 'footnote') {
          footnotes.push({ pos: pos + 1 + offset, number: footnotes.length + 1 });
          if (count) {
            child.forEach((inner) => {
              if (inner.isText) counter.add(inner.text as string);
            });
            counter.separate();
          }
        }
      }
    });
    if (count) wordsOfBlock.set(node, counter.words - before);
    else counter.words += cached;
  };

  const letteredList = (list: ProseMirrorNode, pos: number, depth: number): void => {
    let index = 0;
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (offset === 0 && child.isTextblock) {
          subparagraphs.push({
            pid: pidOf(child),
            pos: childPos,
            label: subparagraphLabel(depth === 1 ? 1 : 2, index),
            depth,
            ownerPid,
          });
        }
        block(child, childPos, depth + 1);
      });
      index += 1;
    });
  };

  const block = (node: ProseMirrorNode, pos: number, letteredDepth: number): void => {
    const name = node.type.name;
    if (node.isTextblock) {
      if (name === 'numbered_paragraph') {
        const pid = pidOf(node);
        paragraphs.push({ pid, pos, number: '' });
        numberedPids.push(pid === '' ? null : pid);
        ownerPid = pid;
      } else if (name === 'heading') {
        const level = node.attrs['level'] === 2 ? 2 : 1;
        let label: string;
        if (level === 1) {
          section += 1;
          subsection = 0;
          label = `${sectionLetter(section)}.`;
        } else {
          subsection += 1;
          label = `${subsection}.`;
        }
        let text = '';
        node.forEach((child) => {
          if (child.isText) text += child.text as string;
          else if (child.type.name === 'hard_break') text += ' ';
        });
        headings.push({ pid: pidOf(node), pos, level, label, text });
        ownerPid = '';
      }
      textblock(node, pos);
    } else if (name === 'lettered_list') {
      letteredList(node, pos, letteredDepth);
    } else {
      const start = node.type.name === 'doc' ? 0 : pos + 1;
      node.forEach((child, offset) => block(child, start + offset, letteredDepth));
    }
  };

  block(doc, 0, 1);

  const labels = paragraphNumberList(numberedPids, baseline);
  paragraphs.forEach((paragraph, index) => {
    paragraph.number = labels[index] as string;
  });

  return {
    paragraphs,
    headings,
    subparagraphs,
    footnotes,
    counts: { words: counter.words, paragraphs: paragraphs.length, blocks },
  };
}
