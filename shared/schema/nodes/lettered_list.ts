import type { NodeSpec } from 'prosemirror-model';
import { listKindFromDOM, fromElement } from '../dom.ts';

/**
 * The lettered sub-paragraphs of the numbered paragraph before it ("23 (a)", "23 (b)"); nested once, roman
 * ("(i)", "(ii)"). Letters are computed decorations; `type="a"` only helps other editors that receive a copy.
 */
export const lettered_list: NodeSpec = {
  content: 'lettered_item+',
  group: 'block',
  parseDOM: (['ol', 'ul'] as const).map((tag) => ({
    tag,
    priority: 55,
    getAttrs: fromElement((dom) => (listKindFromDOM(dom, tag) === 'lettered' ? null : false)),
  })),
  toDOM: () => ['ol', { class: 'ph-lettered-list', type: 'a' }, 0],
};
