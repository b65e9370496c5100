import type { NodeSpec } from 'prosemirror-model';

/**
 * A footnote: an inline atom holding the footnote's text. Its number (1..N in document order) is a computed
 * decoration; toDOM keeps the text inside the `sup`, and the renderer shows it through a NodeView.
 */
export const footnote: NodeSpec = {
  inline: true,
  group: 'inline',
  content: 'text*',
  atom: true,
  selectable: true,
  draggable: true,
  parseDOM: [{ tag: 'sup.ph-footnote' }],
  toDOM: () => ['sup', { class: 'ph-footnote' }, 0],
};
