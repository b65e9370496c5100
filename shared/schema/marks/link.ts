import type { MarkSpec } from 'prosemirror-model';
import { fromElement } from '../dom.ts';

/** The schemes a link may use: anything else (javascript:, data:, file:, relative paths) is no link. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The piece of the WHATWG URL API used here; both Node and browsers provide it as a global. */
type UrlConstructor = new (input: string) => { protocol: string };

/**
 * Whether an href may become a link: an absolute http:, https: or mailto: URL. Control characters are rejected
 * before parsing because the URL parser strips tabs and newlines ("java\tscript:" would read as javascript:).
 */
export function isSafeHref(href: string): boolean {
  if (typeof href !== 'string') return false;
  const trimmed = href.trim();
  // eslint-disable-next-line no-control-regex
  if (!trimmed || /[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return false;
  const Url = (globalThis as unknown as { URL: UrlConstructor }).URL;
  try {
    // No base URL: relative and protocol-relative ("//host") hrefs throw and are refused.
    return SAFE_PROTOCOLS.has(new Url(trimmed).protocol);
  } catch {
    return false;
  }
}

/**
 * A hyperlink. Parsing keeps only safe hrefs (otherwise the text stays and the link is dropped), and toDOM writes
 * no href for an unsafe value that reached the document some other way.
 */
export const link: MarkSpec = {
  attrs: { href: { validate: 'string' }, title: { default: null, validate: 'string|null' } },
  inclusive: false,
  parseDOM: [
    {
      tag: 'a[href]',
      getAttrs: fromElement((dom) => {
        const href = dom.getAttribute('href') ?? '';
        if (!isSafeHref(href)) return false;
        return { href: href.trim(), title: dom.getAttribute('title') || null };
      }),
    },
  ],
  toDOM: (mark) => {
    const href = String(mark.attrs['href']);
    return [
      'a',
      {
        href: isSafeHref(href) ? href : null,
        title: mark.attrs['title'] as string | null,
        rel: 'noopener noreferrer nofollow',
      },
      0,
    ];
  },
};
