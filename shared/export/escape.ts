/**
 * Escaping for the clean-text exports: HTML text and attribute values, Markdown text, Markdown link targets.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text or an attribute value for HTML; quotes too, so the same function is safe inside attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/**
 * Escapes text for Markdown so that it prints literally: every character with a meaning anywhere in a line
 * (emphasis, code, links, headings, tables, HTML, entities, strikethrough, the backslash itself) gets a backslash.
 */
export function escapeMarkdownText(value: string): string {
  return value.replace(/[\\`*_[\]#|<>&~!]/g, (c) => `\\${c}`);
}

/**
 * Escapes what only means something at the start of a line: a list marker ("1." "1)" "-" "+"), a setext
 * underline ("="), or leading spaces that would make an indented code block. Takes already-escaped text.
 */
export function escapeMarkdownLineStart(escaped: string): string {
  return escaped
    .replace(/^[ \t]+/, '')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^([-+=])/, '\\$1');
}

/** Makes a safe href usable as a Markdown link destination: the characters that would end or break it are encoded. */
export function markdownLinkTarget(href: string): string {
  return href.replace(/[()<>\s\\]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)));
}
