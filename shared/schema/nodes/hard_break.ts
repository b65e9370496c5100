import type { NodeSpec } from 'prosemirror-model';

/** A line break inside a paragraph (Shift+Enter). */
export const hard_break: NodeSpec = {
  inline: true,
  group: 'inline',
  selectable: false,
  parseDOM: [{ tag: 'br' }],
  toDOM: () => ['br'],
};
