/**
 * Clean-text export to a standalone HTML5 page in the UN house style: paragraphs numbered 1..N, computed section
 * and sub-paragraph labels, footnotes gathered at the end. Every text and attribute value is escaped, links are
 * written only for safe hrefs, and the page carries no script and a Content-Security-Policy that forbids them.
 */
import type { Mark, Node as ProseMirrorNode } from 'prosemirror-model';
import { isSafeHref } from '../schema/marks/link.ts';
import { escapeHtml } from './escape.ts';
import { exportLabels, headerField, headerLines, type ExportLabels } from './labels.ts';

/** Options of {@link exportHtml}. */
export interface HtmlExportOptions {
  /** The page title (the browser tab); defaults to the document title, then the symbol. */
  title?: string;
}

/** The house style: Times New Roman 12 pt on an A4-wide column, hanging paragraph numbers and labels. */
const HOUSE_STYLE = `
@page { size: A4; margin: 2.5cm 2.2cm; }
body { margin: 0; background: #fff; color: #000; font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.25; }
main { box-sizing: border-box; max-width: 21cm; margin: 0 auto; padding: 2cm 2.2cm; }
.un-masthead, .un-organ-row { width: 100%; border-collapse: collapse; }
.un-masthead td { padding: 0 0 4pt; border-bottom: 1.5pt solid #000; vertical-align: bottom; }
.un-org { font-size: 10pt; }
.un-symbol { text-align: right; font-size: 10pt; }
.un-symbol span { font-size: 16pt; font-weight: bold; }
.un-organ-row td { padding: 6pt 0; border-bottom: 3pt solid #000; vertical-align: top; }
.un-organ { font-size: 20pt; font-weight: bold; width: 60%; }
.un-distribution { font-size: 10pt; }
.un-session, .un-agenda { margin: 10pt 0 0; }
.un-session :first-child { font-weight: bold; }
.un-title { font-size: 14pt; font-weight: bold; margin: 14pt 0 12pt 1.5cm; }
h2.un-section, h3.un-subsection { font-size: 12pt; font-weight: bold; margin: 14pt 0 8pt; padding-left: 1.5cm; text-indent: -1.5cm; }
.un-label { display: inline-block; min-width: 1.5cm; text-indent: 0; }
p { margin: 0 0 8pt; text-align: justify; }
.un-body { padding-left: 1.5cm; }
.un-numbered { padding-left: 1.5cm; text-indent: -1.5cm; }
.un-number { display: inline-block; width: 1.5cm; text-indent: 0; }
.un-lettered { list-style: none; margin: 0; padding-left: 1.5cm; }
.un-lettered .un-lettered { padding-left: 1cm; }
.un-lettered > li > p:first-child { padding-left: 1cm; text-indent: -1cm; }
.un-lettered .un-label { min-width: 1cm; }
.un-bullets { margin: 0 0 8pt; padding-left: 2.2cm; }
.un-bullets .un-bullets { padding-left: 1cm; }
.un-table { border-collapse: collapse; margin: 0 0 10pt 1.5cm; }
.un-table th, .un-table td { border: 0.75pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
.un-table p { margin: 0; text-align: left; }
sup.un-footnote-ref a { text-decoration: none; color: inherit; }
.un-footnotes { margin-top: 18pt; font-size: 10pt; }
.un-footnotes hr { width: 5cm; margin: 0 0 6pt; border: 0; border-top: 0.75pt solid #000; }
.un-footnotes ol { margin: 0; padding-left: 1.5cm; }
`;

/** No script, no remote resource, no form: only the embedded style may apply. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/** The HTML of one mark: its opening and closing tags, or null when it prints as plain text (an unsafe link). */
function markTags(mark: Mark): { open: string; close: string } | null {
  switch (mark.type.name) {
    case 'bold':
      return { open: '<strong>', close: '</strong>' };
    case 'italic':
      return { open: '<em>', close: '</em>' };
    case 'underline':
      return { open: '<u>', close: '</u>' };
    case 'link': {
      const href = mark.attrs['href'];
      if (typeof href !== 'string' || !isSafeHref(href)) return null;
      const title = mark.attrs['title'];
      const titleAttr = typeof title === 'string' && title !== '' ? ` title="${escapeHtml(title)}"` : '';
      return { open: `<a href="${escapeHtml(href.trim())}"${titleAttr} rel="noopener noreferrer">`, close: '</a>' };
    }
    default:
      return null;
  }
}

// Each label span ends with a space so text copied from the page reads "1. The OEWG", not "1.The OEWG".

/** Walks the document once, writing HTML and collecting footnote texts for the list at the end. */
class HtmlWriter {
  readonly footnotes: { number: number; html: string }[] = [];
  readonly #labels: ExportLabels;

  constructor(labels: ExportLabels) {
    this.#labels = labels;
  }

  /**
   * The inline content of a textblock (or footnote) at `pos`. Marks are kept as a stack so a link or bold run
   * split over several text nodes stays one element.
   */
  inline(parent: ProseMirrorNode, pos: number): string {
    let out = '';
    const open: { mark: Mark; close: string }[] = [];
    parent.forEach((child, offset) => {
      const marks = child.isText ? child.marks : [];
      let keep = 0;
      while (keep < open.length && keep < marks.length && (open[keep] as { mark: Mark }).mark.eq(marks[keep] as Mark)) keep += 1;
      while (open.length > keep) out += (open.pop() as { close: string }).close;
      for (const mark of marks.slice(keep)) {
        const tags = markTags(mark);
        out += tags?.open ?? '';
        open.push({ mark, close: tags?.close ?? '' });
      }
      const childPos = pos + 1 + offset;
      if (child.isText) out += escapeHtml(child.text ?? '');
      else if (child.type.name === 'hard_break') out += '<br>';
      else if (child.type.name === 'footnote') out += this.#footnote(child, childPos);
    });
    while (open.length > 0) out += (open.pop() as { close: string }).close;
    return out;
  }

  #footnote(node: ProseMirrorNode, pos: number): string {
    const number = this.#labels.footnote(pos);
    this.footnotes.push({ number, html: this.inline(node, pos) });
    return `<sup class="un-footnote-ref"><a href="#fn${number}" id="fnref${number}">${number}</a></sup>`;
  }

  /** A body block at `pos`. */
  block(node: ProseMirrorNode, pos: number): string {
    switch (node.type.name) {
      case 'numbered_paragraph':
        return `<p class="un-numbered"><span class="un-number">${escapeHtml(this.#labels.paragraph(pos))}. </span>${this.inline(node, pos)}</p>\n`;
      case 'paragraph':
        return `<p class="un-body">${this.inline(node, pos)}</p>\n`;
      case 'heading': {
        const tag = node.attrs['level'] === 2 ? 'h3' : 'h2';
        const cls = tag === 'h2' ? 'un-section' : 'un-subsection';
        return `<${tag} class="${cls}"><span class="un-label">${escapeHtml(this.#labels.heading(pos))} </span>${this.inline(node, pos)}</${tag}>\n`;
      }
      case 'lettered_list':
        return this.#letteredList(node, pos);
      case 'bullet_list':
        return this.#bulletList(node, pos);
      case 'table':
        return this.#table(node, pos);
      default:
        // A block type added to the schema later: keep its text rather than lose it.
        return node.isTextblock ? `<p class="un-body">${this.inline(node, pos)}</p>\n` : this.#children(node, pos);
    }
  }

  #children(node: ProseMirrorNode, pos: number): string {
    let out = '';
    node.forEach((child, offset) => {
      out += this.block(child, pos + 1 + offset);
    });
    return out;
  }

  #letteredList(list: ProseMirrorNode, pos: number): string {
    let out = '<ol class="un-lettered">\n';
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      out += '<li>';
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (offset === 0 && child.isTextblock) {
          out += `<p><span class="un-label">${escapeHtml(this.#labels.subparagraph(childPos))} </span>${this.inline(child, childPos)}</p>`;
        } else {
          out += `\n${this.block(child, childPos)}`;
        }
      });
      out += '</li>\n';
    });
    return `${out}</ol>\n`;
  }

  #bulletList(list: ProseMirrorNode, pos: number): string {
    let out = '<ul class="un-bullets">\n';
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      out += '<li>';
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        out += child.isTextblock ? `<p>${this.inline(child, childPos)}</p>` : `\n${this.block(child, childPos)}`;
      });
      out += '</li>\n';
    });
    return `${out}</ul>\n`;
  }

  #table(table: ProseMirrorNode, pos: number): string {
    let out = '<table class="un-table">\n<tbody>\n';
    table.forEach((row, rowOffset) => {
      const rowPos = pos + 1 + rowOffset;
      out += '<tr>';
      row.forEach((cell, cellOffset) => {
        const cellPos = rowPos + 1 + cellOffset;
        const tag = cell.type.name === 'table_header' ? 'th' : 'td';
        let attrs = '';
        for (const span of ['colspan', 'rowspan'] as const) {
          const value = cell.attrs[span];
          // Only a whole number above 1 is written, so no attribute text comes from the document.
          if (typeof value === 'number' && Number.isSafeInteger(value) && value > 1) attrs += ` ${span}="${value}"`;
        }
        let content = '';
        cell.forEach((child, offset) => {
          const childPos = cellPos + 1 + offset;
          content += child.isTextblock ? `<p>${this.inline(child, childPos)}</p>` : this.block(child, childPos);
        });
        out += `<${tag}${attrs}>${content}</${tag}>`;
      });
      out += '</tr>\n';
    });
    return `${out}</tbody>\n</table>\n`;
  }
}

/** The header block: masthead, organ and distribution, session and agenda lines, bold title. */
function headerHtml(header: ProseMirrorNode, writer: HtmlWriter): string {
  const attrs = header.attrs;
  const line = (text: string): string => `<div>${escapeHtml(text)}</div>`;
  const distribution = [
    `Distr.: ${headerField(attrs['distribution']) || 'General'}`,
    headerField(attrs['date']),
    '',
    `Original: ${headerField(attrs['originalLanguage']) || 'English'}`,
  ];
  let title = '';
  header.forEach((child, offset) => {
    if (child.type.name === 'title') title += writer.inline(child, 1 + offset);
  });
  return [
    '<header class="un-header">',
    '<table class="un-masthead"><tr>',
    '<td class="un-org">United Nations</td>',
    `<td class="un-symbol"><span>${escapeHtml(headerField(attrs['symbol']))}</span></td>`,
    '</tr></table>',
    '<table class="un-organ-row"><tr>',
    '<td class="un-organ">General Assembly</td>',
    `<td class="un-distribution">${distribution.map((text) => (text === '' ? '<div>&#160;</div>' : line(text))).join('')}</td>`,
    '</tr></table>',
    `<div class="un-session">${headerLines(attrs['session']).map(line).join('')}</div>`,
    `<div class="un-agenda">${headerLines(attrs['agenda']).map(line).join('')}</div>`,
    `<h1 class="un-title">${title}</h1>`,
    '</header>',
    '',
  ].join('\n');
}

/**
 * Exports a document as a complete standalone HTML5 page (clean text: no proposals, paragraphs renumbered 1..N),
 * ready to print or to open in a word processor.
 */
export function exportHtml(doc: ProseMirrorNode, options: HtmlExportOptions = {}): string {
  const writer = new HtmlWriter(exportLabels(doc));
  let header = '';
  let body = '';
  doc.forEach((child, offset) => {
    if (child.type.name === 'header') header += headerHtml(child, writer);
    else body += writer.block(child, offset);
  });
  const first = doc.firstChild;
  const pageTitle =
    options.title ?? (first?.type.name === 'header' ? first.textContent.trim() || headerField(first.attrs['symbol']) : '');
  const footnotes = writer.footnotes.length
    ? [
        '<section class="un-footnotes">',
        '<hr>',
        '<ol>',
        ...writer.footnotes.map(
          ({ number, html }) => `<li id="fn${number}" value="${number}">${html} <a href="#fnref${number}" aria-label="Back to text">&#8617;</a></li>`,
        ),
        '</ol>',
        '</section>',
        '',
      ].join('\n')
    : '';
  return standalonePage(pageTitle, HOUSE_STYLE, header + body + footnotes);
}

/** A complete HTML5 page around `body` with the given style sheet, under the no-script Content-Security-Policy. */
export function standalonePage(title: string, style: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title || 'Document')}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `${body}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
