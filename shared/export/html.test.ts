import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { schema } from '../schema/index.ts';
import { a, b, body, br, doc, fn, h1, h2, header, i, li, ll, np, p, table, td, th, title, tr, u } from '../schema/test-builder.ts';
import { analyzeDocument } from '../model/analyze.ts';
import { exportHtml } from './html.ts';

const zeroDraft = schema.nodeFromJSON(
  JSON.parse(readFileSync(new URL('../../resources/sample/zero-draft.json', import.meta.url), 'utf8')),
);

/** Parses an export with jsdom (which runs no scripts and loads nothing) to assert on the real DOM. */
function parse(html: string): Document {
  return new JSDOM(html).window.document;
}

/** The HTML with the embedded style sheet removed, so checks on markup do not trip over CSS text. */
function markupOnly(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '');
}

describe('exportHtml of the sample zero draft', () => {
  const html = exportHtml(zeroDraft);
  const page = parse(html);
  const analysis = analyzeDocument(zeroDraft);

  it('is a standalone HTML5 page in the house style', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const style = page.querySelector('head style')?.textContent ?? '';
    expect(style).toContain('"Times New Roman"');
    expect(style).toContain('12pt');
    expect(style).toContain('21cm');
    expect(page.title).toMatch(/^Zero draft of the second annual progress report/);
    expect(page.querySelectorAll('script, link, iframe, img').length).toBe(0);
  });

  it('prints the header block with symbol, organ, distribution, session and agenda lines and the title', () => {
    const headerText = page.querySelector('header.un-header')?.textContent ?? '';
    for (const expected of [
      'United Nations',
      'A/AC.301/2026/CRP.1',
      'General Assembly',
      'Distr.: General',
      '12 June 2026',
      'Original: English',
      'Fourth substantive session',
      'Item 5 of the provisional agenda',
    ]) {
      expect(headerText).toContain(expected);
    }
    expect(page.querySelectorAll('.un-session > div')).toHaveLength(3);
    expect(page.querySelector('h1.un-title')?.textContent).toMatch(/^Zero draft of the second annual progress report/);
  });

  it('numbers the paragraphs 1..N exactly as analyzeDocument does', () => {
    const numbers = [...page.querySelectorAll('p.un-numbered > .un-number')].map((span) => span.textContent?.trim());
    expect(numbers).toEqual(analysis.paragraphs.map((info) => `${info.number}.`));
    expect(numbers).toEqual(numbers.map((_n, index) => `${index + 1}.`));
    expect(numbers.length).toBeGreaterThanOrEqual(38);
  });

  it('labels sections, subsections and lettered sub-paragraphs', () => {
    const sections = [...page.querySelectorAll('h2.un-section')].map((h) => h.textContent);
    expect(sections[0]).toBe('A. Introduction');
    expect(sections).toHaveLength(5);
    expect(page.querySelector('h3.un-subsection .un-label')?.textContent).toBe('1. ');
    const labels = [...page.querySelectorAll('ol.un-lettered > li > p > .un-label')].map((span) => span.textContent?.trim());
    expect(labels).toEqual(analysis.subparagraphs.map((info) => info.label));
    expect(page.querySelector('ol.un-lettered ol.un-lettered > li > p > .un-label')?.textContent).toBe('(i) ');
    expect(page.querySelectorAll('ul.un-bullets > li').length).toBeGreaterThanOrEqual(1);
  });

  it('numbers the three footnotes 1..3, linking each reference to its note at the end', () => {
    const refs = [...page.querySelectorAll('sup.un-footnote-ref > a')];
    expect(refs.map((ref) => ref.textContent)).toEqual(['1', '2', '3']);
    const notes = [...page.querySelectorAll('section.un-footnotes li')];
    expect(notes.map((note) => note.id)).toEqual(['fn1', 'fn2', 'fn3']);
    refs.forEach((ref, index) => expect(ref.getAttribute('href')).toBe(`#${notes[index]?.id}`));
    expect(notes[0]?.textContent).toContain('See A/80/123, paras. 17 and 52.');
    // The notes come after the body: nothing but the list follows them.
    expect(page.querySelector('main')?.lastElementChild?.className).toBe('un-footnotes');
  });

  it('writes the programme-of-work table with its header row', () => {
    const tables = page.querySelectorAll('table.un-table');
    expect(tables).toHaveLength(1);
    const headers = [...(tables[0]?.querySelectorAll('tr:first-child th') ?? [])].map((cell) => cell.textContent);
    expect(headers).toEqual(['Date', 'Time', 'Agenda item', 'Format']);
    expect(tables[0]?.querySelectorAll('tr').length).toBeGreaterThanOrEqual(6);
  });

  it('keeps the safe https link, with rel="noopener noreferrer"', () => {
    const links = [...page.querySelectorAll('main a[href^="https:"]')];
    expect(links.length).toBeGreaterThanOrEqual(1);
    for (const link of links) expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('uses the title option for the page title', () => {
    expect(parse(exportHtml(zeroDraft, { title: 'Draft <v2> & "final"' })).title).toBe('Draft <v2> & "final"');
  });
});

describe('exportHtml of a hostile document', () => {
  const hostile = doc(
    header(
      {
        symbol: 'A/"><script>alert(1)</script>',
        distribution: "General' onmouseover='alert(1)",
        date: '<img src=x onerror=alert(1)>',
        originalLanguage: 'English & "French"',
        session: 'Line one\n<b>bold</b> & more',
        agenda: "Item 'quoted'",
      },
      title('<script>alert(1)</script>'),
    ),
    np('<script>alert(1)</script>', fn('Note <iframe src="x">')),
    np(a({ href: 'javascript:alert(1)' }, 'click me'), ' and ', a({ href: 'JAVASCRIPT:alert(2)', title: 'x' }, 'again')),
    np(a({ href: 'https://example.org/?q="x"&y=\'z\'', title: '" onclick="alert(1)' }, 'safe link')),
    h1('</h2><script>alert(1)</script>'),
    ll(li(p(b('bold'), i(' "quoted" '), u("'under'")))),
    table(tr(th(p('<td>"'))), tr(td(p('a & b')))),
  );
  const html = exportHtml(hostile, { title: '</title><script>alert(1)</script>' });
  const page = parse(html);

  it('contains no script element, no javascript: and no event handler', () => {
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html.toLowerCase()).not.toContain('javascript:');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<iframe');
    expect(page.querySelectorAll('script, img, iframe')).toHaveLength(0);
    for (const element of page.querySelectorAll('*')) {
      for (const attribute of element.attributes) expect(attribute.name.startsWith('on')).toBe(false);
    }
  });

  it('leaves no unescaped quote or angle bracket outside the markup it writes', () => {
    // Remove every attribute our templates write (name="value" with nothing to escape inside), then every tag:
    // any quote or bracket left would have come from the document unescaped.
    const stripped = markupOnly(html)
      .replace(/\s[a-z-]+="[^"<>]*"/g, '')
      .replace(/<\/?[a-z0-9]+\s*>|<!DOCTYPE html>/g, '');
    expect(stripped).not.toMatch(/["'<>]/);
    expect(html).toContain('A/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('General&#39; onmouseover=&#39;alert(1)');
    expect(html).toContain('English &amp; &quot;French&quot;');
  });

  it('keeps the hostile text as literal text', () => {
    expect(page.querySelector('h1.un-title')?.textContent).toBe('<script>alert(1)</script>');
    expect(page.querySelector('p.un-numbered')?.textContent).toBe('1. <script>alert(1)</script>1');
    expect(page.querySelector('section.un-footnotes li')?.textContent).toContain('Note <iframe src="x">');
    expect(page.querySelector('.un-symbol')?.textContent).toBe('A/"><script>alert(1)</script>');
    expect(page.title).toBe('</title><script>alert(1)</script>');
    expect(page.querySelector('th')?.textContent).toBe('<td>"');
  });

  it('writes unsafe links as plain text and escapes the href and title of safe ones', () => {
    const paragraphs = page.querySelectorAll('p.un-numbered');
    expect(paragraphs[1]?.querySelector('a')).toBeNull();
    expect(paragraphs[1]?.textContent).toBe('2. click me and again');
    const link = paragraphs[2]?.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.org/?q="x"&y=\'z\'');
    expect(link?.getAttribute('title')).toBe('" onclick="alert(1)');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link?.hasAttribute('onclick')).toBe(false);
  });

  it('writes bold, italic and underline as elements', () => {
    const item = page.querySelector('ol.un-lettered > li > p');
    expect(item?.querySelector('strong')?.textContent).toBe('bold');
    expect(item?.querySelector('em')?.textContent).toBe(' "quoted" ');
    expect(item?.querySelector('u')?.textContent).toBe("'under'");
  });
});

describe('exportHtml marks and breaks', () => {
  it('keeps one link element across differently formatted runs and writes hard breaks', () => {
    const html = exportHtml(body(np(a({ href: 'https://un.org' }, 'plain ', b('bold')), br(), 'next line'), h2('Sub')));
    const page = parse(html);
    const links = page.querySelectorAll('p.un-numbered a');
    expect(links).toHaveLength(1);
    expect(links[0]?.textContent).toBe('plain bold');
    expect(page.querySelector('p.un-numbered br')).not.toBeNull();
    expect(page.querySelector('h3.un-subsection')?.textContent).toBe('1. Sub');
  });
});
