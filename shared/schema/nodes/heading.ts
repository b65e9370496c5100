import type { NodeSpec } from 'prosemirror-model';
import { pidAttr, pidFromDOM, fromElement, type ElementLike } from '../dom.ts';

/** Reads a heading level from our own `data-level`, so a copied subsection stays level 2 whatever its tag. */
function levelFromDOM(dom: ElementLike, fallback: 1 | 2): 1 | 2 {
  const level = dom.getAttribute('data-level');
  return level === '1' || level === '2' ? Number(level) as 1 | 2 : fallback;
}

/**
 * A heading: level 1 is a section (lettered A., B. ...), level 2 a subsection (1., 2. ... within its section).
 * The letter or number is computed; the node holds only the heading text. Pasted h1/h2 become sections and
 * h3-h6 subsections; toDOM writes h2/h3 (the title is the page's first-level heading), which parse back the same.
 */
export const heading: NodeSpec = {
  content: 'inline*',
  group: 'block',
  defining: true,
  attrs: { pid: pidAttr, level: { default: 1, validate: 'number' } },
  parseDOM: [
    ...(['h1', 'h2'] as const).map((tag) => ({
      tag,
      getAttrs: fromElement((dom) => ({ pid: pidFromDOM(dom), level: levelFromDOM(dom, 1) })),
    })),
    ...(['h3', 'h4', 'h5', 'h6'] as const).map((tag) => ({
      tag,
      getAttrs: fromElement((dom) => ({ pid: pidFromDOM(dom), level: levelFromDOM(dom, 2) })),
    })),
  ],
  toDOM: (node) => {
    const level = node.attrs['level'] === 2 ? 2 : 1;
    return [
      level === 1 ? 'h2' : 'h3',
      { class: `ph-heading ph-heading-${level}`, 'data-level': String(level), 'data-pid': node.attrs['pid'] as string | null },
      0,
    ];
  },
};
