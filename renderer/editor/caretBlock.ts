/**
 * Marks the top-level block that holds the caret, so that it is always laid out.
 *
 * Blocks are `content-visibility: auto` (styles.css) so a 2,500-block report costs the same per keystroke as a
 * note. But Chromium decides whether a *new* element is on screen only at its next frame: a paragraph just made by
 * Enter is skipped until then, and text typed into it in that gap lands before the caret ("A second" became
 * " secondA" in about one run in three of the documents e2e test). The caret's block is excluded from skipping
 * from the moment it exists, through this decoration's class.
 */
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';

/** The class on the caret's top-level block. */
export const CARET_BLOCK_CLASS = 'ph-caret-block';

/** The key of the plugin; its state is the one-decoration set. */
export const caretBlockKey = new PluginKey<DecorationSet>('penholder-caret-block');

/** Where the top-level block holding the selection's head starts and ends, or null (the head is between blocks). */
export function caretBlockRange(state: EditorState): { from: number; to: number } | null {
  const { $head } = state.selection;
  if ($head.depth < 1) return null;
  const from = $head.before(1);
  const node = state.doc.nodeAt(from);
  return node ? { from, to: from + node.nodeSize } : null;
}

function decorate(state: EditorState): DecorationSet {
  const range = caretBlockRange(state);
  if (!range) return DecorationSet.empty;
  return DecorationSet.create(state.doc, [Decoration.node(range.from, range.to, { class: CARET_BLOCK_CLASS })]);
}

/** The plugin; the set is mapped while the caret stays in its block and rebuilt only when it moves to another. */
export function caretBlockPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: caretBlockKey,
    state: {
      init: (_config, state) => decorate(state),
      apply(tr, set, _old, state) {
        if (!tr.docChanged && !tr.selectionSet) return set;
        const range = caretBlockRange(state);
        if (!range) return DecorationSet.empty;
        const mapped = tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
        const still = mapped.find(range.from, range.to).some((d) => d.from === range.from && d.to === range.to);
        return still ? mapped : decorate(state);
      },
    },
    props: {
      decorations: (state) => caretBlockKey.getState(state),
    },
  });
}
