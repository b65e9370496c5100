import type { NodeSpec } from 'prosemirror-model';
import { pidAttr, pidFromDOM, fromElement } from '../dom.ts';

/**
 * An unnumbered paragraph: a chapeau or intro line, the text of a list item or a table cell. Listed first among
 * the blocks, so it is the default block ProseMirror creates and what a pasted `<p>` becomes.
 */
export const paragraph: NodeSpec = {
  content: 'inline*',
  group: 'block',
  attrs: { pid: pidAttr },
  parseDOM: [{ tag: 'p', getAttrs: fromElement((dom) => ({ pid: pidFromDOM(dom) })) }],
  toDOM: (node) => ['p', { class: 'ph-paragraph', 'data-pid': node.attrs['pid'] as string | null }, 0],
};
