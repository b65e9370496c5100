import type { NodeSpec } from 'prosemirror-model';
import { pidAttr, pidFromDOM, fromElement } from '../dom.ts';

/** The document title inside the header ("Draft annual progress report of ..."), the one editable header line. */
export const title: NodeSpec = {
  content: 'text*',
  attrs: { pid: pidAttr },
  defining: true,
  // Only inside a header: a title pasted into the body falls back to the generic rules and becomes a paragraph.
  parseDOM: [{ tag: 'div.ph-title', context: 'header/', getAttrs: fromElement((dom) => ({ pid: pidFromDOM(dom) })) }],
  toDOM: (node) => ['div', { class: 'ph-title', 'data-pid': node.attrs['pid'] as string | null }, 0],
};
