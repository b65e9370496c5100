/**
 * The few DOM facts parse rules read. shared/ is checked without the DOM library, so rules see elements through
 * this structural type; a real HTMLElement satisfies it in the renderer.
 */

/** The part of a DOM element the parse rules use. */
export interface ElementLike {
  getAttribute(name: string): string | null;
}

/**
 * Adapts a reader of ElementLike to a parse rule's `getAttrs`, whose parameter is an HTMLElement in the renderer
 * and an opaque type where shared/ is checked without the DOM; parse rules only ever receive elements.
 */
export function fromElement<R>(read: (dom: ElementLike) => R): (dom: unknown) => R {
  return (dom) => read(dom as ElementLike);
}

/** Reads the pid our own toDOM wrote (`data-pid`), so copy and paste inside Penholder keeps identities. */
export function pidFromDOM(dom: ElementLike): string | null {
  const pid = dom.getAttribute('data-pid');
  return pid && pid.trim() ? pid.trim() : null;
}

/** The value of one CSS property in an element's inline style attribute, lower-cased, or null when absent. */
export function inlineStyle(dom: ElementLike, property: string): string | null {
  const style = dom.getAttribute('style');
  if (!style) return null;
  let found: string | null = null;
  // The last declaration wins, as in CSS.
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    if (declaration.slice(0, colon).trim().toLowerCase() === property) {
      found = declaration.slice(colon + 1).replace(/!important/i, '').trim().toLowerCase();
    }
  }
  return found;
}

/** The `pid` attribute every top-level textblock carries; filled by the pid plugin (shared/model/pids.ts). */
export const pidAttr = { default: null, validate: 'string|null' } as const;

/** What kind of list a pasted `ol`/`ul` becomes in the schema. */
export type ListKind = 'lettered' | 'bullet';

const ORDERED_MARKERS = /^(lower|upper)-(alpha|latin|roman)$|^decimal/;
const BULLET_MARKERS = /^(disc|circle|square|none)$/;

/**
 * Decides the kind of a pasted list: an explicit marker style (CSS list-style-type or the `type` attribute) wins,
 * otherwise `ol` is lettered and `ul` is a bullet list. Every ordered list becomes a lettered list, because the
 * house style letters sub-paragraphs and an ordered source keeps items that are cited by position ("23 (b)").
 */
export function listKindFromDOM(dom: ElementLike, tag: 'ol' | 'ul'): ListKind {
  const style = inlineStyle(dom, 'list-style-type') ?? inlineStyle(dom, 'list-style')?.split(/\s+/)[0] ?? null;
  if (style && ORDERED_MARKERS.test(style)) return 'lettered';
  if (style && BULLET_MARKERS.test(style)) return 'bullet';
  const type = dom.getAttribute('type');
  if (type && /^[aAiI1]$/.test(type)) return 'lettered';
  if (type && BULLET_MARKERS.test(type.toLowerCase())) return 'bullet';
  return tag === 'ol' ? 'lettered' : 'bullet';
}
