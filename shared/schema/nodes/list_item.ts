import type { NodeSpec } from 'prosemirror-model';

/** One bullet: its text, then optionally a nested bullet list. */
export const list_item: NodeSpec = {
  content: 'paragraph bullet_list?',
  defining: true,
  parseDOM: [{ tag: 'li', context: 'bullet_list/' }],
  toDOM: () => ['li', { class: 'ph-list-item' }, 0],
};
