import type { Attrs, NodeSpec } from 'prosemirror-model';
import { fromElement } from '../dom.ts';

/** The header fields, in the order the house format prints them; each is a `data-` attribute in HTML. */
export const HEADER_FIELDS = ['symbol', 'distribution', 'date', 'originalLanguage', 'session', 'agenda'] as const;

/** One header field name. */
export type HeaderField = (typeof HEADER_FIELDS)[number];

const DEFAULTS: Record<HeaderField, string> = {
  symbol: '',
  distribution: 'General',
  date: '',
  originalLanguage: 'English',
  session: '',
  agenda: '',
};

/** `originalLanguage` -> `data-original-language`, so the attribute names stay valid lower-case HTML. */
function dataName(field: HeaderField): string {
  return `data-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The UN document header (symbol, "Distr.", date, "Original", session and agenda lines) around the title.
 * The fields are attributes edited through the renderer's NodeView form; only the title is text.
 */
export const header: NodeSpec = {
  content: 'title',
  attrs: Object.fromEntries(HEADER_FIELDS.map((field) => [field, { default: DEFAULTS[field], validate: 'string' }])),
  defining: true,
  isolating: true,
  selectable: false,
  parseDOM: [
    {
      tag: 'header.ph-header',
      getAttrs: fromElement((dom): Attrs => {
        const attrs: Record<string, string> = {};
        for (const field of HEADER_FIELDS) attrs[field] = dom.getAttribute(dataName(field)) ?? DEFAULTS[field];
        return attrs;
      }),
    },
  ],
  toDOM: (node) => {
    const attrs: Record<string, string> = { class: 'ph-header' };
    for (const field of HEADER_FIELDS) attrs[dataName(field)] = String(node.attrs[field] ?? '');
    return ['header', attrs, 0];
  },
};
