import type { NodeSpec } from 'prosemirror-model';
import { pidAttr, pidFromDOM, fromElement } from '../dom.ts';

/**
 * A numbered paragraph of the report, numbered 1..N through the whole document. The number is computed
 * (shared/model/numbering.ts) and shown as a decoration, so toDOM carries only the class and the pid.
 */
export const numbered_paragraph: NodeSpec = {
  content: 'inline*',
  group: 'block',
  attrs: { pid: pidAttr },
  // Above the plain `p` rule, so our own HTML round-trips; a foreign `<p>` stays a paragraph.
  parseDOM: [{ tag: 'p.ph-numbered', priority: 60, getAttrs: fromElement((dom) => ({ pid: pidFromDOM(dom) })) }],
  toDOM: (node) => ['p', { class: 'ph-numbered', 'data-pid': node.attrs['pid'] as string | null }, 0],
};
