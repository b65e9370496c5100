import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from 'prosemirror-state';
import { schema } from '../../shared/schema/index.ts';
import { splitParagraph } from './commands.ts';
import { caretBlockKey, caretBlockPlugin } from './caretBlock.ts';
import { doc, np, posOf } from './testDocs.ts';

/** The text of every block the plugin marks. */
function marked(state: EditorState): string[] {
  return (caretBlockKey.getState(state)?.find() ?? []).map((d) => state.doc.nodeAt(d.from)?.textContent ?? '?');
}

describe('caretBlockPlugin', () => {
  it('marks exactly the block holding the caret, and follows it', () => {
    let state = EditorState.create({ schema, doc: doc(np('a', 'Alpha'), np('b', 'Beta')), plugins: [caretBlockPlugin()] });
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, posOf(state.doc, 'Alpha') + 2)));
    expect(marked(state)).toEqual(['Alpha']);
    state = state.apply(state.tr.insertText('!'));
    expect(marked(state)).toEqual(['Al!pha']);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, posOf(state.doc, 'Beta') + 1)));
    expect(marked(state)).toEqual(['Beta']);
  });

  it('marks a paragraph made by Enter from the transaction that makes it', () => {
    let state = EditorState.create({ schema, doc: doc(np('a', 'Alpha')), plugins: [caretBlockPlugin()] });
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, posOf(state.doc, 'Alpha') + 5)));
    splitParagraph(state, (tr) => {
      state = state.apply(tr);
    });
    const marks = caretBlockKey.getState(state)?.find() ?? [];
    expect(marks).toHaveLength(1);
    expect(state.doc.nodeAt(marks[0]?.from ?? -1)?.textContent).toBe('');
    expect(marks[0]?.from).toBe(state.selection.$head.before(1));
  });
});
