import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.ts';
import { a, b, bi, body, br, fn, h1, h2, i, li, ll, np, p, table, td, th, tr, u, ul } from '../schema/test-builder.ts';
import { analyzeDocument } from '../model/analyze.ts';
import { exportMarkdown } from './markdown.ts';

const zeroDraft = schema.nodeFromJSON(
  JSON.parse(readFileSync(new URL('../../resources/sample/zero-draft.json', import.meta.url), 'utf8')),
);

describe('exportMarkdown of the sample zero draft', () => {
  const markdown = exportMarkdown(zeroDraft);
  const lines = markdown.split('\n');
  const analysis = analyzeDocument(zeroDraft);

  it('starts with the header lines and the title', () => {
    expect(lines.slice(0, 2)).toEqual(['United Nations\\', 'A/AC.301/2026/CRP.1']);
    expect(markdown).toContain('General Assembly\\\nDistr.: General\\\n12 June 2026\\\nOriginal: English\n');
    expect(markdown).toContain('Item 5 of the provisional agenda\\\nAdoption of the annual progress report\n');
    expect(lines.find((line) => line.startsWith('# '))).toMatch(/^# Zero draft of the second annual progress report/);
  });

  it('numbers the paragraphs 1..N as analyzeDocument does', () => {
    const numbers = lines.map((line) => /^(\d+)\. /.exec(line)?.[1]).filter((n) => n !== undefined);
    expect(numbers).toEqual(analysis.paragraphs.map((info) => info.number));
    expect(numbers).toEqual(numbers.map((_n, index) => String(index + 1)));
  });

  it('writes section and subsection headings with their labels', () => {
    const sections = lines.filter((line) => line.startsWith('## '));
    expect(sections).toHaveLength(5);
    expect(sections[0]).toBe('## A. Introduction');
    expect(lines.filter((line) => line.startsWith('### '))[0]).toMatch(/^### 1\. /);
  });

  it('indents lettered sub-paragraphs under their paragraph, roman ones further', () => {
    const lettered = lines.filter((line) => /^\s+\([a-z]+\) /.test(line)).map((line) => /\(([a-z]+)\)/.exec(line)?.[0]);
    expect(lettered).toEqual(analysis.subparagraphs.map((info) => info.label));
    const ofParagraph17 = lines.slice(lines.findIndex((line) => line.startsWith('17. ')));
    expect(ofParagraph17.find((line) => line.includes('(a)'))).toMatch(/^ {4}\(a\) /);
    expect(ofParagraph17.find((line) => line.includes('(i)'))).toMatch(/^ {6}\(i\) /);
  });

  it('writes bullets, the table as a GFM table and the three footnotes', () => {
    expect(lines.some((line) => line.startsWith('- its third substantive session'))).toBe(true);
    const head = lines.indexOf('| Date | Time | Agenda item | Format |');
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toBe('| --- | --- | --- | --- |');
    expect(lines[head + 2]).toMatch(/^\| Monday, 7 December \| /);
    expect([...markdown.matchAll(/\[\^(\d+)\](?!:)/g)].map((match) => match[1])).toEqual(['1', '2', '3']);
    expect(lines.slice(-4)).toEqual([
      '[^1]: See A/80/123, paras. 17 and 52.',
      '[^2]: See A/AC.301/2026/WP.2, annex.',
      '[^3]: See A/80/123, para. 58 (b), on the modalities for the participation of stakeholders.',
      '',
    ]);
  });

  it('keeps the safe link', () => {
    expect(markdown).toContain('[documents portal of the OEWG](https://example.org/oewg-water/documents)');
  });
});

describe('exportMarkdown escaping', () => {
  /** The Markdown of the body of a document (after the title line). */
  function bodyMarkdown(...blocks: Parameters<typeof body>): string {
    const markdown = exportMarkdown(body(...blocks));
    return markdown.slice(markdown.indexOf('# Title\n\n') + '# Title\n\n'.length);
  }

  it('keeps a paragraph that starts like a list item literal', () => {
    expect(bodyMarkdown(np('1. Not a list'))).toBe('1. 1\\. Not a list\n');
    expect(bodyMarkdown(p('2) Nor this'))).toBe('2\\) Nor this\n');
    expect(bodyMarkdown(p('- nor a bullet'))).toBe('\\- nor a bullet\n');
    expect(bodyMarkdown(p('+ nor this'), p('= nor a setext line'))).toBe('\\+ nor this\n\n\\= nor a setext line\n');
    expect(bodyMarkdown(p('    not code'))).toBe('not code\n');
  });

  it('escapes every Markdown special character in text', () => {
    expect(bodyMarkdown(p('*a* _b_ [c](d) `e` # f | g <h> \\ & ~ !'))).toBe(
      '\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\# f \\| g \\<h\\> \\\\ \\& \\~ \\!\n',
    );
    expect(bodyMarkdown(p('# not a heading'))).toBe('\\# not a heading\n');
    expect(bodyMarkdown(h1('*Stars* & <tags>'))).toBe('## A. \\*Stars\\* \\& \\<tags\\>\n');
  });

  it('escapes after a hard break too, continuing the line with a backslash', () => {
    expect(bodyMarkdown(np('first', br(), '2. second'))).toBe('1. first\\\n   2\\. second\n');
  });

  it('writes bold and italic with their delimiters off the spaces, underline plain', () => {
    expect(bodyMarkdown(p('a ', b('bold '), 'b ', i(' it'), ' c ', u('under')))).toBe('a **bold** b  _it_ c under\n');
    expect(bodyMarkdown(p(b('x', i('y')), 'z'))).toBe('**x_y_**z\n');
  });

  it('links only safe hrefs, encoding what would end the destination', () => {
    expect(bodyMarkdown(p(a({ href: 'https://example.org/a_(b) c' }, 'see [1]')))).toBe(
      '[see \\[1\\]](https://example.org/a_%28b%29%20c)\n',
    );
    expect(bodyMarkdown(p(a({ href: 'javascript:alert(1)' }, 'click')))).toBe('click\n');
    expect(bodyMarkdown(p(a({ href: 'mailto:chair@example.org' }, 'mail')))).toBe('[mail](mailto:chair@example.org)\n');
    expect(exportMarkdown(body(p(a({ href: 'JavaScript:alert(1)' }, 'x'))))).not.toMatch(/javascript:/i);
  });

  it('escapes pipes in table cells and joins a cell on one line', () => {
    expect(bodyMarkdown(table(tr(th(p('A|B')), th(p('C'))), tr(td(p('x', br(), 'y'), p('z')), td(p('1. w')))))).toBe(
      '| A\\|B | C |\n| --- | --- |\n| x y z | 1\\. w |\n',
    );
  });

  it('numbers footnotes in order with their definitions escaped at the end', () => {
    expect(bodyMarkdown(np('One', fn('See *x*.')), h2('Sub', fn('Two | three')))).toBe(
      '1. One[^1]\n\n### 1. Sub[^2]\n\n[^1]: See \\*x\\*.\n[^2]: Two \\| three\n',
    );
  });

  it('writes nested bullets and lettered items without a numbered paragraph before them', () => {
    expect(bodyMarkdown(ul(bi(p('one'), ul(bi(p('two'))))))).toBe('- one\n  - two\n');
    expect(bodyMarkdown(ll(li(p('alpha'), ll(li(p('beta'))))))).toBe('(a) alpha\n\n  (i) beta\n');
  });
});
