import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { a, b, body, br, fn, li, ll, np, p } from '../../schema/test-builder.ts';
import {
  findParagraph,
  findUniqueQuote,
  indexParagraphs,
  insertParagraph,
  isTopLevelOffset,
  moveBlock,
  paragraphSize,
  paragraphWording,
  replaceRange,
  resolveSpan,
  spanPositions,
  spanWording,
  textFragment,
} from './text.ts';
import { pidsOf, readText, setupDocs } from './test-setup.ts';

function paragraphOf(textDoc: Y.Doc, pid: string): Y.XmlElement {
  const element = findParagraph(textDoc, pid);
  if (!element) throw new Error(`no ${pid}`);
  return element;
}

describe('reading D/text', () => {
  it('indexes pids in document order without entering textblocks', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'One'), ll(li(p({ pid: 's1' }, 'Sub'))), np({ pid: 'p2' }, 'Two')));
    expect(indexParagraphs(textFragment(text)).order).toEqual(['title', 'p1', 's1', 'p2']);
  });

  it('sizes and words a paragraph as ProseMirror does, footnotes and breaks included', () => {
    const doc = body(np({ pid: 'p1' }, 'Ab', br(), 'cd', fn('Note'), 'ef'));
    const { text } = setupDocs(doc);
    const paragraph = paragraphOf(text, 'p1');
    // The ProseMirror node's content size is the reference.
    expect(paragraphSize(paragraph)).toBe(doc.child(1).content.size);
    expect(paragraphWording(paragraph)).toBe('Ab\ncd[^Note]ef');
    expect(spanWording(paragraph, 1, 4)).toBe('b\nc');
    expect(isTopLevelOffset(paragraph, 5)).toBe(true);
    expect(isTopLevelOffset(paragraph, 7)).toBe(false);
    expect(isTopLevelOffset(paragraph, 11)).toBe(true);
  });

  it('resolves a span to the same offsets and words it was made from', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'The ', b('quick'), ' fox', fn('n'), ' ran')));
    const paragraph = paragraphOf(text, 'p1');
    const size = paragraphSize(paragraph);
    for (let from = 0; from <= size; from += 1) {
      for (let to = from; to <= size; to += 1) {
        if (!isTopLevelOffset(paragraph, from) || !isTopLevelOffset(paragraph, to)) continue;
        const positions = spanPositions(paragraph, from, to);
        const resolved = resolveSpan(text, paragraph, positions.from, positions.to);
        expect(resolved, `${from}-${to}`).toEqual({ from, to, wording: spanWording(paragraph, from, to) });
      }
    }
  });

  it('anchors an insertion point in an empty paragraph', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' })));
    const paragraph = paragraphOf(text, 'p1');
    const positions = spanPositions(paragraph, 0, 0);
    expect(resolveSpan(text, paragraph, positions.from, positions.to)).toEqual({ from: 0, to: 0, wording: '' });
    replaceRange(paragraph, 0, 0, 'Typed');
    expect(resolveSpan(text, paragraph, positions.from, positions.to)?.wording).toBe('Typed');
  });

  it('finds a quote only when it occurs once', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'a cat and a dog')));
    const paragraph = paragraphOf(text, 'p1');
    expect(findUniqueQuote(paragraph, 'cat')).toEqual({ from: 2, to: 5 });
    expect(findUniqueQuote(paragraph, 'a ')).toBeNull();
    expect(findUniqueQuote(paragraph, 'cow')).toBeNull();
  });
});

describe('editing D/text', () => {
  it('replaces words keeping the formatting of the words replaced', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'The ', b('quick'), ' fox')));
    replaceRange(paragraphOf(text, 'p1'), 4, 9, 'slow');
    expect(readText(text).child(1).toJSON()).toEqual(np({ pid: 'p1' }, 'The ', b('slow'), ' fox').toJSON());
  });

  it('inserts with the formatting before, but never extends a link', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, b('bold'), ' plain'), np({ pid: 'p2' }, a({ href: 'https://un.org' }, 'UN'), ' rest')));
    replaceRange(paragraphOf(text, 'p1'), 4, 4, 'er');
    replaceRange(paragraphOf(text, 'p2'), 2, 2, ' site');
    const read = readText(text);
    expect(read.child(1).toJSON()).toEqual(np({ pid: 'p1' }, b('bolder'), ' plain').toJSON());
    expect(read.child(2).toJSON()).toEqual(np({ pid: 'p2' }, a({ href: 'https://un.org' }, 'UN'), ' site rest').toJSON());
  });

  it('deletes across a footnote and inserts into an empty paragraph', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'Keep', fn('gone'), ' this'), np({ pid: 'p2' })));
    replaceRange(paragraphOf(text, 'p1'), 4, 10, '');
    replaceRange(paragraphOf(text, 'p2'), 0, 0, 'Fresh');
    const read = readText(text);
    expect(read.child(1).toJSON()).toEqual(np({ pid: 'p1' }, 'Keep this').toJSON());
    expect(read.child(2).toJSON()).toEqual(np({ pid: 'p2' }, 'Fresh').toJSON());
  });

  it('inserts a numbered paragraph after a paragraph and its lettered sub-paragraphs', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'One'), ll(li(p({ pid: 's1' }, 'Sub'))), np({ pid: 'p2' }, 'Two')));
    text.transact(() => insertParagraph(textFragment(text), paragraphOf(text, 'p1'), 'new1', 'Inserted'));
    expect(pidsOf(text)).toEqual(['title', 'p1', 's1', 'new1', 'p2']);
    text.transact(() => insertParagraph(textFragment(text), null, 'top', 'First'));
    expect(pidsOf(text)).toEqual(['title', 'top', 'p1', 's1', 'new1', 'p2']);
    readText(text);
  });

  it('moves a block with the same pid, content and marks, its sub-paragraphs along', () => {
    const { text } = setupDocs(body(np({ pid: 'p1' }, 'One ', b('bold')), ll(li(p({ pid: 's1' }, 'Sub'))), np({ pid: 'p2' }, 'Two'), np({ pid: 'p3' }, 'Three')));
    const fragment = textFragment(text);
    text.transact(() => moveBlock(fragment, paragraphOf(text, 'p1'), paragraphOf(text, 'p3')));
    expect(pidsOf(text)).toEqual(['title', 'p2', 'p3', 'p1', 's1']);
    const read = readText(text);
    expect(read.child(3).toJSON()).toEqual(np({ pid: 'p1' }, 'One ', b('bold')).toJSON());
    text.transact(() => moveBlock(fragment, paragraphOf(text, 'p3'), null));
    expect(pidsOf(text)).toEqual(['title', 'p3', 'p2', 'p1', 's1']);
  });
});
