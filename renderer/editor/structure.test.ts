import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from 'prosemirror-state';
import { ySyncPluginKey } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { changesBlockStructure } from './structure.ts';
import { splitParagraph } from './commands.ts';
import { doc, fn, np, posOf } from './testDocs.ts';

function stateOf(root = doc(np('a', 'Alpha text'), np('b', 'Beta', fn('note'), ' text'))) {
  return EditorState.create({ schema, doc: root });
}

describe('changesBlockStructure', () => {
  it('is false for typing, deleting and formatting inside one paragraph', () => {
    const state = stateOf();
    const at = posOf(state.doc, 'Alpha') + 5;
    expect(changesBlockStructure(state.tr.insertText('X', at))).toBe(false);
    expect(changesBlockStructure(state.tr.delete(at - 2, at))).toBe(false);
    expect(changesBlockStructure(state.tr.addMark(at - 5, at, schema.marks.bold.create()))).toBe(false);
    expect(changesBlockStructure(state.tr.setSelection(TextSelection.create(state.doc, at)))).toBe(false);
  });

  it('is false for typing inside a footnote', () => {
    const state = stateOf();
    const inNote = posOf(state.doc, 'note') + 2;
    expect(changesBlockStructure(state.tr.insertText('Y', inNote))).toBe(false);
  });

  it('is true when a paragraph is split, joined or retyped', () => {
    const state = stateOf();
    const at = posOf(state.doc, 'Alpha') + 5;
    let split = null;
    splitParagraph(state.apply(state.tr.setSelection(TextSelection.create(state.doc, at))), (tr) => (split = tr));
    expect(split).not.toBeNull();
    expect(changesBlockStructure(split!)).toBe(true);
    const endOfA = posOf(state.doc, 'Alpha') + 'Alpha text'.length;
    expect(changesBlockStructure(state.tr.delete(endOfA, endOfA + 2))).toBe(true);
    expect(changesBlockStructure(state.tr.setBlockType(at, at, schema.nodes.paragraph, { pid: 'a' }))).toBe(true);
  });

  it('is true when a footnote is inserted or deleted, since footnote numbers follow', () => {
    const state = stateOf();
    const at = posOf(state.doc, 'Alpha') + 2;
    expect(changesBlockStructure(state.tr.insert(at, fn('new')))).toBe(true);
    const notePos = posOf(state.doc, 'note') - 1;
    expect(changesBlockStructure(state.tr.delete(notePos, notePos + 1 + 'note'.length + 1))).toBe(true);
  });

  it('is true for changes that came from Yjs, which replace the whole document', () => {
    const state = stateOf();
    const tr = state.tr.insertText('X', posOf(state.doc, 'Alpha')).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    expect(changesBlockStructure(tr)).toBe(true);
  });
});
