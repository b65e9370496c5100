import { describe, expect, it } from 'vitest';
import { EditorState, NodeSelection, TextSelection, type Command } from 'prosemirror-state';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import {
  MAX_LETTERED_DEPTH,
  findBlockByPid,
  insertBlockBefore,
  insertFootnote,
  insertTable,
  leaveTitle,
  setBlockKind,
  sinkLetteredItem,
  splitItem,
  splitParagraph,
  toggleList,
} from './commands.ts';
import { doc, h, letters, np, p, posOf } from './testDocs.ts';

function at(root: ProseMirrorNode, marker: string, offset = 0): EditorState {
  const state = EditorState.create({ schema, doc: root });
  return state.apply(state.tr.setSelection(TextSelection.create(root, posOf(root, marker) + offset)));
}

function run(state: EditorState, command: Command): EditorState {
  let next: EditorState | null = null;
  const ok = command(state, (tr) => (next = state.apply(tr)));
  expect(ok).toBe(true);
  return next!;
}

/** Top-level blocks after the header as [type, pid, text]. */
function blocks(root: ProseMirrorNode): [string, unknown, string][] {
  const out: [string, unknown, string][] = [];
  root.forEach((node, _offset, index) => {
    if (index > 0) out.push([node.type.name, node.attrs.pid ?? null, node.textContent]);
  });
  return out;
}

describe('Enter', () => {
  it('splits a numbered paragraph into two numbered paragraphs; the text before keeps the pid', () => {
    const state = run(at(doc(np('a', 'Hello world')), 'world'), splitParagraph);
    expect(blocks(state.doc)).toEqual([
      ['numbered_paragraph', 'a', 'Hello '],
      ['numbered_paragraph', null, 'world'],
    ]);
  });

  it('after a heading starts a numbered paragraph', () => {
    const state = run(at(doc(h(1, 'h', 'Intro')), 'Intro', 5), splitParagraph);
    expect(blocks(state.doc)).toEqual([
      ['heading', 'h', 'Intro'],
      ['numbered_paragraph', null, ''],
    ]);
  });

  it('at the start of a paragraph inserts an empty one before it, so the text keeps its pid and the caret stays with it', () => {
    const state = run(at(doc(np('a', 'Hello')), 'Hello'), insertBlockBefore);
    expect(blocks(state.doc)).toEqual([
      ['numbered_paragraph', null, ''],
      ['numbered_paragraph', 'a', 'Hello'],
    ]);
    expect(state.selection.$from.parent.attrs.pid).toBe('a');
  });

  it('in the title moves to a paragraph after the header instead of splitting it', () => {
    const root = doc(np('a', 'Body'));
    const state = run(at(root, 'Title', 5), leaveTitle);
    expect(blocks(state.doc)[0]).toEqual(['numbered_paragraph', null, '']);
    expect(state.selection.$from.parent.type.name).toBe('numbered_paragraph');
  });

  it('in a lettered item makes the next item', () => {
    const root = doc(np('a', 'Chapeau:'), letters(p('la', 'first')));
    const state = run(at(root, 'first', 5), splitItem);
    const list = state.doc.child(2);
    expect(list.childCount).toBe(2);
    expect(list.child(0).textContent).toBe('first');
  });
});

describe('setBlockKind', () => {
  it('turns a numbered paragraph into a section heading and back, keeping its pid', () => {
    let state = run(at(doc(np('a', 'Introduction')), 'Intro'), setBlockKind('heading1'));
    expect(blocks(state.doc)).toEqual([['heading', 'a', 'Introduction']]);
    expect(state.doc.child(1).attrs.level).toBe(1);
    state = run(state, setBlockKind('heading2'));
    expect(state.doc.child(1).attrs.level).toBe(2);
    state = run(state, setBlockKind('numbered_paragraph'));
    expect(blocks(state.doc)).toEqual([['numbered_paragraph', 'a', 'Introduction']]);
  });

  it('does not apply in the title or to a block that already has the kind', () => {
    const state = at(doc(np('a', 'Text')), 'Title');
    expect(setBlockKind('heading1')(state)).toBe(false);
    expect(setBlockKind('numbered_paragraph')(at(doc(np('a', 'Text')), 'Text'))).toBe(false);
  });
});

describe('lettered lists', () => {
  it('wrap a numbered paragraph as a lettered item (a plain paragraph inside), keeping the pid', () => {
    const state = run(at(doc(np('a', 'Chapeau'), np('b', 'Item')), 'Item'), toggleList('lettered_list'));
    const list = state.doc.child(2);
    expect(list.type.name).toBe('lettered_list');
    expect(list.firstChild!.firstChild!.type.name).toBe('paragraph');
    expect(list.firstChild!.firstChild!.attrs.pid).toBe('b');
  });

  it(`nest on Tab, never deeper than ${MAX_LETTERED_DEPTH} levels`, () => {
    const root = doc(np('a', 'Chapeau'), letters(p('l1', 'one'), p('l2', 'two'), p('l3', 'three')));
    let state = run(at(root, 'two'), sinkLetteredItem);
    expect(state.doc.child(2).childCount).toBe(2);
    // Move to "three", sink it under "two" (depth 2), then Tab again does nothing but is handled.
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, posOf(state.doc, 'three'))));
    state = run(state, sinkLetteredItem);
    const before = state.doc;
    let dispatched = false;
    expect(sinkLetteredItem(state, () => (dispatched = true))).toBe(true);
    expect(dispatched).toBe(false);
    expect(state.doc.eq(before)).toBe(true);
  });
});

describe('insertions', () => {
  it('inserts an empty footnote and selects it, so its editor opens', () => {
    const state = run(at(doc(np('a', 'Text')), 'Text', 4), insertFootnote);
    expect(state.selection).toBeInstanceOf(NodeSelection);
    expect((state.selection as NodeSelection).node.type.name).toBe('footnote');
  });

  it('refuses a footnote in the title', () => {
    expect(insertFootnote(at(doc(np('a', 'Text')), 'Title'))).toBe(false);
  });

  it('inserts a table with a header row after the current block', () => {
    const state = run(at(doc(np('a', 'Text'), np('b', 'After')), 'Text'), insertTable(3, 2));
    const table = state.doc.child(2);
    expect(table.type.name).toBe('table');
    expect(table.childCount).toBe(3);
    expect(table.firstChild!.firstChild!.type.name).toBe('table_header');
    expect(table.child(1).childCount).toBe(2);
    expect(state.doc.child(3).attrs.pid).toBe('b');
  });
});

describe('findBlockByPid', () => {
  it('finds top-level and nested blocks, and nothing for an unknown pid', () => {
    const root = doc(np('a', 'Text'), letters(p('la', 'nested')));
    expect(findBlockByPid(root, 'la')?.node.textContent).toBe('nested');
    expect(findBlockByPid(root, 'zz')).toBeNull();
  });
});
