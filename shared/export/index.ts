/** Clean-text exports of a Penholder document: a standalone HTML page and Markdown. */
export { exportHtml, type HtmlExportOptions } from './html.ts';
export { exportMarkdown } from './markdown.ts';
export { escapeHtml, escapeMarkdownText } from './escape.ts';
