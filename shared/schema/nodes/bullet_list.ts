import type { NodeSpec } from 'prosemirror-model';
import { listKindFromDOM, fromElement } from '../dom.ts';

/** An unnumbered (bulleted) list; its items are not cited by position. */
export const bullet_list: NodeSpec = {
  content: 'list_item+',
  group: 'block',
  parseDOM: (['ol', 'ul'] as const).map((tag) => ({
    tag,
    priority: 55,
    getAttrs: fromElement((dom) => (listKindFromDOM(dom, tag) === 'bullet' ? null : false)),
  })),
  toDOM: () => ['ul', { class: 'ph-bullet-list' }, 0],
};
