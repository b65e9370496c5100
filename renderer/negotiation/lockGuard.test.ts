import { EditorState, TextSelection } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { schema } from '../../shared/schema/index.ts';
import { doc as docOf, np } from '../editor/testDocs.ts';
import { pidsTouchedBy } from './lockGuard.ts';

const doc = docOf(np('a', 'First paragraph.'), np('b', 'Second paragraph.'), np('c', 'Third.'));
const state = EditorState.create({ schema, doc });
/** Where the content of the n-th (0-based) paragraph after the header starts. */
const start = (index: number) => {
  let pos = 0;
  for (let i = 0; i <= index; i++) pos += doc.child(i).nodeSize;
  return pos + 1;
};

describe('pidsTouchedBy', () => {
  it('names the paragraph typed into, and only it', () => {
    expect([...pidsTouchedBy(state.tr.insertText('X', start(1) + 3))]).toEqual(['b']);
  });

  it('names both paragraphs of a join and of a deletion across them', () => {
    const join = state.tr.join(start(1) - 1);
    expect([...pidsTouchedBy(join)].sort()).toEqual(['a', 'b']);
    const across = state.tr.delete(start(0) + 2, start(2) + 2);
    expect([...pidsTouchedBy(across)].sort()).toEqual(['a', 'b', 'c']);
  });

  it('names a paragraph whose marks or attributes change', () => {
    const bold = state.tr.addMark(start(2), start(2) + 3, schema.marks.bold.create());
    expect([...pidsTouchedBy(bold)]).toEqual(['c']);
    const attr = state.tr.setNodeAttribute(start(0) - 1, 'pid', 'z');
    expect([...pidsTouchedBy(attr)]).toEqual(['a']);
    // The title (in the header) has a pid too: editing it touches only it.
    expect([...pidsTouchedBy(state.tr.insertText('T', 3))]).toEqual(['title']);
  });

  it('names nothing for a selection change', () => {
    const tr = state.tr.setSelection(TextSelection.create(doc, start(1)));
    expect(pidsTouchedBy(tr).size).toBe(0);
  });
});
