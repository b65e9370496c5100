/**
 * Clean-text export to Markdown (CommonMark with GFM tables and footnotes): header lines, "## A. Section",
 * paragraphs numbered 1..N, lettered sub-paragraphs as indented "(a)" lines, bullets, tables, footnotes as [^n].
 * All document text is escaped so it prints literally. Underline has no Markdown form and raw HTML is kept out of
 * the export, so underlined text is written plain; links are written only for safe hrefs, otherwise as plain text.
 */
import type { Mark, Node as ProseMirrorNode } from 'prosemirror-model';
import { isSafeHref } from '../schema/marks/link.ts';
import { escapeMarkdownLineStart, escapeMarkdownText, markdownLinkTarget } from './escape.ts';
import { exportLabels, headerField, headerLines, type ExportLabels } from './labels.ts';

/** The Markdown delimiters of one mark, or null when it prints as plain text (underline, an unsafe link). */
function markDelimiters(mark: Mark): { open: string; close: string } | null {
  switch (mark.type.name) {
    case 'bold':
      return { open: '**', close: '**' };
    case 'italic':
      return { open: '_', close: '_' };
    case 'link': {
      const href = mark.attrs['href'];
      if (typeof href !== 'string' || !isSafeHref(href)) return null;
      return { open: '[', close: `](${markdownLinkTarget(href.trim())})` };
    }
    default:
      return null;
  }
}

/** Where inline content goes, which decides how a line break and the characters around it are written. */
type InlineContext = 'block' | 'cell';

/** Walks the document once, writing Markdown and collecting footnote definitions for the end. */
class MarkdownWriter {
  readonly footnotes: { number: number; text: string }[] = [];
  readonly #labels: ExportLabels;

  constructor(labels: ExportLabels) {
    this.#labels = labels;
  }

  /**
   * The inline content of a textblock at `pos`, as lines (a hard break starts a new line; in a table cell it is a
   * space, since a GFM row is one line). Emphasis delimiters are kept off surrounding spaces so they still count.
   */
  inline(parent: ProseMirrorNode, pos: number, context: InlineContext = 'block'): string[] {
    const lines: string[] = [''];
    let lineStart = true;
    const open: { mark: Mark; close: string }[] = [];
    const write = (text: string): void => {
      lines[lines.length - 1] += text;
    };
    const closeTo = (keep: number): void => {
      while (open.length > keep) write((open.pop() as { close: string }).close);
    };
    parent.forEach((child, offset) => {
      const marks = child.isText ? child.marks.filter((mark) => markDelimiters(mark) !== null) : [];
      let keep = 0;
      while (keep < open.length && keep < marks.length && (open[keep] as { mark: Mark }).mark.eq(marks[keep] as Mark)) keep += 1;
      if (child.isText) {
        let text = escapeMarkdownText(child.text ?? '');
        if (lineStart) text = escapeMarkdownLineStart(text);
        // Spaces move outside closing and opening delimiters: "** bold**" is not bold in CommonMark.
        const lead = open.length > keep || marks.length > keep ? (/^\s*/.exec(text)?.[0] ?? '') : '';
        closeTo(keep);
        write(lead);
        text = text.slice(lead.length);
        // Whitespace alone opens nothing: an empty "****" would print as literal asterisks.
        if (text === '') return;
        for (const mark of marks.slice(keep)) {
          write((markDelimiters(mark) as { open: string }).open);
          open.push({ mark, close: (markDelimiters(mark) as { close: string }).close });
        }
        const trail = open.length > 0 ? (/\s*$/.exec(text)?.[0] ?? '') : '';
        write(text.slice(0, text.length - trail.length));
        if (trail) {
          // The trailing spaces go after the delimiters that the next node closes; kept simple by closing here.
          closeTo(0);
          write(trail);
        }
        if (text !== '') lineStart = false;
        return;
      }
      closeTo(0);
      if (child.type.name === 'hard_break') {
        if (context === 'cell') write(' ');
        else {
          write('\\');
          lines.push('');
          lineStart = true;
        }
      } else if (child.type.name === 'footnote') {
        const number = this.#labels.footnote(pos + 1 + offset);
        this.footnotes.push({ number, text: this.inline(child, pos + 1 + offset, 'cell').join(' ') });
        write(`[^${number}]`);
        lineStart = false;
      }
    });
    closeTo(0);
    return lines;
  }

  /** A body block at `pos` as Markdown lines; `indent` is the column of the enclosing list content. */
  block(node: ProseMirrorNode, pos: number, indent = 0): string[] {
    switch (node.type.name) {
      case 'numbered_paragraph': {
        const marker = `${this.#labels.paragraph(pos)}. `;
        return prefixLines(this.inline(node, pos), marker, ' '.repeat(marker.length));
      }
      case 'heading': {
        const hashes = node.attrs['level'] === 2 ? '###' : '##';
        const label = this.#labels.heading(pos);
        return [`${hashes} ${label} ${this.inline(node, pos, 'cell').join(' ')}`.trimEnd()];
      }
      case 'lettered_list':
        return this.#letteredList(node, pos, indent);
      case 'bullet_list':
        return this.#bulletList(node, pos, indent);
      case 'table':
        return this.#table(node, pos);
      default:
        if (node.isTextblock) return this.inline(node, pos);
        return this.#children(node, pos, indent);
    }
  }

  #children(node: ProseMirrorNode, pos: number, indent: number): string[] {
    const out: string[] = [];
    node.forEach((child, offset) => {
      if (out.length) out.push('');
      out.push(...this.block(child, pos + 1 + offset, indent));
    });
    return out;
  }

  /**
   * Lettered items as paragraphs "(a) text" under the content column of the numbered paragraph they follow;
   * nested ones ("(i)") two columns further, which CommonMark still reads as text, not code.
   */
  #letteredList(list: ProseMirrorNode, pos: number, indent: number, base = indent): string[] {
    const out: string[] = [];
    const pad = ' '.repeat(indent);
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (out.length) out.push('');
        if (offset === 0 && child.isTextblock) {
          out.push(...prefixLines(this.inline(child, childPos), `${pad}${this.#labels.subparagraph(childPos)} `, pad));
        } else if (child.type.name === 'lettered_list') {
          // Every deeper level sits at base + 2: four more columns would turn it into a code block.
          out.push(...this.#letteredList(child, childPos, base + 2, base));
        } else {
          out.push(...this.block(child, childPos, indent).map((line) => (line ? pad + line : line)));
        }
      });
    });
    return out;
  }

  #bulletList(list: ProseMirrorNode, pos: number, indent: number): string[] {
    const out: string[] = [];
    const pad = ' '.repeat(indent);
    list.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      item.forEach((child, offset) => {
        const childPos = itemPos + 1 + offset;
        if (offset === 0 && child.isTextblock) {
          out.push(...prefixLines(this.inline(child, childPos), `${pad}- `, `${pad}  `));
        } else if (child.type.name === 'bullet_list') {
          out.push(...this.#bulletList(child, childPos, indent + 2));
        } else {
          out.push(...this.block(child, childPos, indent + 2).map((line) => (line ? `${pad}  ${line}` : line)));
        }
      });
    });
    return out;
  }

  /** A GFM table: the first row is the header row (GFM needs one); cell paragraphs are joined by a space. */
  #table(table: ProseMirrorNode, pos: number): string[] {
    const rows: string[][] = [];
    table.forEach((row, rowOffset) => {
      const rowPos = pos + 1 + rowOffset;
      const cells: string[] = [];
      row.forEach((cell, cellOffset) => {
        const cellPos = rowPos + 1 + cellOffset;
        const parts: string[] = [];
        cell.forEach((child, offset) => {
          if (child.isTextblock) parts.push(this.inline(child, cellPos + 1 + offset, 'cell').join(' ').trim());
        });
        cells.push(parts.filter((part) => part !== '').join(' '));
        // A spanning cell is followed by empty cells so every row keeps the column count.
        const span = cell.attrs['colspan'];
        if (typeof span === 'number' && Number.isSafeInteger(span)) for (let extra = 1; extra < span; extra += 1) cells.push('');
      });
      rows.push(cells);
    });
    const width = Math.max(1, ...rows.map((cells) => cells.length));
    const line = (cells: readonly string[]): string =>
      `| ${Array.from({ length: width }, (_unused, index) => cells[index] ?? '').join(' | ')} |`;
    const [head = [], ...rest] = rows;
    return [line(head), line(Array.from({ length: width }, () => '---')), ...rest.map(line)];
  }
}

/** The first line after `first`, every other non-empty line after `rest` (list markers and their continuation). */
function prefixLines(lines: readonly string[], first: string, rest: string): string[] {
  return lines.map((line, index) => (index === 0 ? `${first}${line}`.trimEnd() : line ? `${rest}${line}` : line));
}

/** The header as Markdown lines: masthead and distribution block, session and agenda lines, the title. */
function headerMarkdown(header: ProseMirrorNode, writer: MarkdownWriter): string[] {
  const attrs = header.attrs;
  const text = (value: string): string => escapeMarkdownLineStart(escapeMarkdownText(value));
  /** Lines of one paragraph joined by hard breaks ("\" at the end of a line). */
  const paragraph = (lines: readonly string[]): string[] =>
    lines.filter((line) => line !== '').map((line, index, all) => (index < all.length - 1 ? `${text(line)}\\` : text(line)));
  const out: string[] = [];
  const push = (lines: string[]): void => {
    if (!lines.length) return;
    if (out.length) out.push('');
    out.push(...lines);
  };
  push(paragraph(['United Nations', headerField(attrs['symbol'])]));
  push(
    paragraph([
      'General Assembly',
      `Distr.: ${headerField(attrs['distribution']) || 'General'}`,
      headerField(attrs['date']),
      `Original: ${headerField(attrs['originalLanguage']) || 'English'}`,
    ]),
  );
  push(paragraph(headerLines(attrs['session'])));
  push(paragraph(headerLines(attrs['agenda'])));
  header.forEach((child, offset) => {
    if (child.type.name === 'title') push([`# ${writer.inline(child, 1 + offset, 'cell').join(' ')}`.trimEnd()]);
  });
  return out;
}

/**
 * Exports a document as Markdown (clean text: paragraphs renumbered 1..N); GFM tables and footnotes, no raw HTML.
 */
export function exportMarkdown(doc: ProseMirrorNode): string {
  const writer = new MarkdownWriter(exportLabels(doc));
  const blocks: string[][] = [];
  let indent = 0;
  doc.forEach((child, offset) => {
    if (child.type.name === 'header') {
      blocks.push(headerMarkdown(child, writer));
      return;
    }
    // A lettered list sits under the content column of the numbered paragraph just before it ("1. " -> 3).
    blocks.push(writer.block(child, offset, child.type.name === 'lettered_list' ? indent : 0));
    // The marker is the first line's text up to its first space ("12." -> content column 4).
    if (child.type.name === 'numbered_paragraph') indent = (blocks[blocks.length - 1]?.[0]?.indexOf(' ') ?? -1) + 1;
    else if (child.type.name !== 'lettered_list') indent = 0;
  });
  const footnotes = writer.footnotes.map(({ number, text }) => `[^${number}]: ${text}`);
  if (footnotes.length) blocks.push(footnotes);
  return `${blocks
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
