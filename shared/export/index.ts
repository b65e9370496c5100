/** Exports of a Penholder document: a standalone HTML page, Markdown, and Word (clean, compilation, comparison). */
export { exportHtml, type HtmlExportOptions } from './html.ts';
export { exportMarkdown } from './markdown.ts';
export { escapeHtml, escapeMarkdownText } from './escape.ts';
export {
  cleanDocx,
  compilationDocx,
  comparisonDocx,
  type CompilationDocxOptions,
  type ComparisonDocxOptions,
  type DocxExportOptions,
} from './docx/index.ts';
