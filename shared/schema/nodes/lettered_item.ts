import type { NodeSpec } from 'prosemirror-model';

/** One lettered sub-paragraph: its text, then optionally the next level of sub-paragraphs. */
export const lettered_item: NodeSpec = {
  content: 'paragraph lettered_list?',
  defining: true,
  parseDOM: [{ tag: 'li', context: 'lettered_list/' }],
  toDOM: () => ['li', { class: 'ph-lettered-item' }, 0],
};
