import { describe, expect, it } from 'vitest';
import { DOMParser, DOMSerializer, type Node as ProseMirrorNode, type Mark } from 'prosemirror-model';
import { MARK_NAMES, NODE_NAMES, SCHEMA_VERSION, schema } from './index.ts';
import { isSafeHref } from './marks/link.ts';
import {
  a,
  b,
  bi,
  body,
  br,
  doc,
  fn,
  h1,
  h2,
  header,
  i,
  li,
  ll,
  np,
  p,
  table,
  td,
  th,
  title,
  tr,
  u,
  ul,
} from './test-builder.ts';
import { JSDOM } from 'jsdom';

const parser = DOMParser.fromSchema(schema);
const serializer = DOMSerializer.fromSchema(schema);

/** Where the tests paste: inside a body paragraph, as prosemirror-view passes the selection as context. */
const pasteTarget = body(p({ pid: 'target' }, 'here'));
const $paste = pasteTarget.resolve(pasteTarget.content.size - 2);

/** A real DOM (jsdom) for parse rules and toDOM: scripts never run in it and it loads nothing. */
const window = new JSDOM('<!doctype html><html><body></body></html>').window;
const dom = window.document;

/** Parses an HTML snippet into a detached <body>, as the clipboard hands it to ProseMirror. */
function parseHtml(html: string): HTMLElement {
  const container = dom.createElement('body');
  container.innerHTML = html;
  return container;
}

/** Parses an HTML snippet as a paste would (a slice, parsed in the context of a body paragraph). */
function parseSlice(html: string) {
  return parser.parseSlice(parseHtml(html), { context: $paste });
}

/** The slice's top-level nodes as compact strings, e.g. `heading(1)"Intro"`. */
function blocksOf(html: string): string[] {
  const out: string[] = [];
  parseSlice(html).content.forEach((node) => out.push(node.toString()));
  return out;
}

/** The marks on the text "target" inside a parsed snippet. */
function marksOn(html: string, target: string): string[] {
  let marks: readonly Mark[] | null = null;
  parseSlice(html).content.descendants((node) => {
    if (node.isText && node.text?.includes(target)) marks = node.marks;
  });
  if (marks === null) throw new Error(`no text node "${target}"`);
  return (marks as readonly Mark[]).map((mark) => mark.type.name);
}

/** Serializes a node's content with toDOM into the test DOM. */
function toHtml(node: ProseMirrorNode): HTMLElement {
  const container = dom.createElement('div');
  container.appendChild(serializer.serializeFragment(node.content, { document: dom }));
  return container;
}

const representative = () =>
  doc(
    header(
      {
        symbol: 'A/AC.292/2025/L.1',
        distribution: 'General',
        date: '3 March 2025',
        originalLanguage: 'English',
        session: 'Open-ended working group\nEighth substantive session\nNew York, 8-12 July 2025',
        agenda: 'Item 5 of the provisional agenda',
      },
      title({ pid: 't' }, 'Draft annual progress report'),
    ),
    p({ pid: 'intro' }, 'Circulated by the ', i('Chair'), '.'),
    h1({ pid: 'hA' }, 'Introduction'),
    h2({ pid: 'hA1' }, 'Mandate'),
    np({ pid: 'n1' }, 'The ', b('Group'), ' met', fn('See ', i('A/78/265'), ', para. 23.'), ' in ', u('New York'), '.', br(), 'Second line.'),
    np({ pid: 'n2' }, 'States ', a({ href: 'https://un.org/x', title: 'UN' }, b('recalled')), ':'),
    ll(li(p({ pid: 's1' }, 'first')), li(p({ pid: 's2' }, 'second'), ll(li(p({ pid: 's2i' }, 'deep'))))),
    ul(bi(p({ pid: 'b1' }, 'bullet'), ul(bi(p({ pid: 'b2' }, 'nested bullet'))))),
    table(tr(th(p({ pid: 'c1' }, 'Date')), th(p({ pid: 'c2' }, 'Item'))), tr(td(p({ pid: 'c3' }, '8 July')), td(p({ pid: 'c4' }, 'Opening')))),
  );

describe('schema', () => {
  it('has version 1 and the agreed node and mark names', () => {
    expect(SCHEMA_VERSION).toBe(1);
    expect([...NODE_NAMES].sort()).toEqual(
      [
        'doc', 'header', 'title', 'heading', 'numbered_paragraph', 'paragraph', 'lettered_list', 'lettered_item',
        'bullet_list', 'list_item', 'table', 'table_row', 'table_cell', 'table_header', 'footnote', 'hard_break', 'text',
      ].sort(),
    );
    expect([...MARK_NAMES].sort()).toEqual(['bold', 'italic', 'link', 'underline']);
    expect(Object.keys(schema.nodes).sort()).toEqual([...NODE_NAMES].sort());
  });

  it('builds every node type with valid default content', () => {
    for (const name of NODE_NAMES) {
      if (name === 'text') continue;
      const node = schema.nodes[name].createAndFill();
      expect(node, name).not.toBeNull();
      expect(() => node?.check(), name).not.toThrow();
    }
    expect(schema.text('x').type.name).toBe('text');
  });

  it('fills an empty document with a header, a title and a paragraph, the default block', () => {
    const empty = schema.nodes.doc.createAndFill() as ProseMirrorNode;
    expect(empty.toString()).toBe('doc(header(title), paragraph)');
    expect(empty.firstChild?.attrs).toEqual({
      symbol: '',
      distribution: 'General',
      date: '',
      originalLanguage: 'English',
      session: '',
      agenda: '',
    });
  });

  it('builds every mark', () => {
    for (const name of MARK_NAMES) {
      const mark = name === 'link' ? schema.marks.link.create({ href: 'https://un.org' }) : schema.marks[name].create();
      expect(schema.text('x', [mark]).marks[0]?.type.name).toBe(name);
    }
  });

  it('round-trips a representative document through JSON and checks it', () => {
    const original = representative();
    expect(() => original.check()).not.toThrow();
    const json: unknown = JSON.parse(JSON.stringify(original.toJSON()));
    const restored = schema.nodeFromJSON(json);
    expect(() => restored.check()).not.toThrow();
    expect(restored.eq(original)).toBe(true);
  });

  it('accepts the JSON shape of the agreed example', () => {
    const json = {
      type: 'doc',
      content: [
        {
          type: 'header',
          attrs: { symbol: 'A/AC.300/2025/CRP.1', distribution: 'General', date: '1 May', originalLanguage: 'English', session: 's', agenda: 'a' },
          content: [{ type: 'title', attrs: { pid: 'zd-title' }, content: [{ type: 'text', text: 'Draft' }] }],
        },
        { type: 'heading', attrs: { pid: 'zd-h-a', level: 1 }, content: [{ type: 'text', text: 'Introduction' }] },
        {
          type: 'numbered_paragraph',
          attrs: { pid: 'zd-p01' },
          content: [
            { type: 'text', text: 'The ...' },
            { type: 'footnote', content: [{ type: 'text', text: 'See A/78/265, para. 23.' }] },
          ],
        },
        {
          type: 'lettered_list',
          content: [{ type: 'lettered_item', content: [{ type: 'paragraph', attrs: { pid: 'zd-p12a' }, content: [{ type: 'text', text: '...' }] }] }],
        },
      ],
    };
    expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
  });

  describe('rejects invalid documents', () => {
    const check = (json: unknown) => () => schema.nodeFromJSON(json).check();
    const head = { type: 'header', content: [{ type: 'title' }] };
    const para = { type: 'paragraph', content: [{ type: 'text', text: 'x' }] };

    it('a document without a header', () => {
      expect(check({ type: 'doc', content: [para] })).toThrow(RangeError);
    });

    it('a document with only a header', () => {
      expect(check({ type: 'doc', content: [head] })).toThrow(RangeError);
    });

    it('a second header in the body', () => {
      expect(check({ type: 'doc', content: [head, para, head] })).toThrow(RangeError);
    });

    it('a header without its title', () => {
      expect(check({ type: 'doc', content: [{ type: 'header' }, para] })).toThrow(RangeError);
    });

    it('a footnote or a break in the title', () => {
      const title = { type: 'title', content: [{ type: 'footnote', content: [{ type: 'text', text: 'n' }] }] };
      expect(check({ type: 'doc', content: [{ type: 'header', content: [title] }, para] })).toThrow(RangeError);
    });

    it('a lettered item holding two paragraphs or a heading', () => {
      expect(check({ type: 'doc', content: [head, { type: 'lettered_list', content: [{ type: 'lettered_item', content: [para, para] }] }] })).toThrow(
        RangeError,
      );
      const heading = { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'h' }] };
      expect(check({ type: 'doc', content: [head, { type: 'lettered_list', content: [{ type: 'lettered_item', content: [heading] }] }] })).toThrow(
        RangeError,
      );
    });

    it('an empty lettered list', () => {
      expect(check({ type: 'doc', content: [head, { type: 'lettered_list', content: [] }] })).toThrow(RangeError);
    });

    it('a bullet list holding a lettered item', () => {
      expect(check({ type: 'doc', content: [head, { type: 'bullet_list', content: [{ type: 'lettered_item', content: [para] }] }] })).toThrow(
        RangeError,
      );
    });

    it('a table cell holding a numbered paragraph', () => {
      const cell = { type: 'table_cell', content: [{ type: 'numbered_paragraph' }] };
      expect(check({ type: 'doc', content: [head, { type: 'table', content: [{ type: 'table_row', content: [cell] }] }] })).toThrow(RangeError);
    });

    it('text directly in the document', () => {
      expect(check({ type: 'doc', content: [head, { type: 'text', text: 'loose' }] })).toThrow(RangeError);
    });

    it('an unknown node type', () => {
      expect(check({ type: 'doc', content: [head, { type: 'blockquote' }] })).toThrow(RangeError);
    });

    it('a non-string pid, header field or link href', () => {
      expect(check({ type: 'doc', content: [head, { type: 'paragraph', attrs: { pid: 7 } }] })).toThrow(RangeError);
      expect(check({ type: 'doc', content: [{ ...head, attrs: { symbol: 42 } }, para] })).toThrow(RangeError);
      const badLink = { type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 5 } }] };
      expect(check({ type: 'doc', content: [head, { type: 'paragraph', content: [badLink] }] })).toThrow(RangeError);
    });

    it('a link without an href', () => {
      const noHref = { type: 'text', text: 'x', marks: [{ type: 'link' }] };
      expect(check({ type: 'doc', content: [head, { type: 'paragraph', content: [noHref] }] })).toThrow(RangeError);
    });
  });
});

describe('marks', () => {
  it('serialize to JSON and back, in schema order', () => {
    const original = body(np({ pid: 'x' }, u(i(b(a({ href: 'mailto:chair@un.org', title: null }, 'all marks'))))));
    const text = original.lastChild?.firstChild;
    expect(text?.marks.map((m) => m.type.name)).toEqual(['link', 'bold', 'italic', 'underline']);
    const json = JSON.parse(JSON.stringify(text?.toJSON())) as { marks: Array<{ type: string; attrs?: Record<string, unknown> }> };
    expect(json.marks).toEqual([
      { type: 'link', attrs: { href: 'mailto:chair@un.org', title: null } },
      { type: 'bold' },
      { type: 'italic' },
      { type: 'underline' },
    ]);
    const restored = schema.nodeFromJSON(JSON.parse(JSON.stringify(original.toJSON())));
    expect(restored.eq(original)).toBe(true);
  });

  it('keep a link title and do not extend a link when typing at its end', () => {
    const link = schema.marks.link.create({ href: 'https://un.org', title: 'UN' });
    expect(link.attrs).toEqual({ href: 'https://un.org', title: 'UN' });
    expect(schema.marks.link.spec.inclusive).toBe(false);
  });
});

describe('isSafeHref', () => {
  it.each(['http://un.org', 'https://un.org/path?q=1#x', 'mailto:chair@un.org', '  https://un.org  ', 'HTTPS://UN.ORG'])(
    'accepts %j',
    (href) => {
      expect(isSafeHref(href)).toBe(true);
    },
  );

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://un.org/file',
    '/relative/path',
    'relative/path',
    '#fragment',
    '?query',
    '//evil.example/x',
    'https://un.org/\u0007',
    '',
    '   ',
    'https//missing-colon',
  ])('rejects %j', (href) => {
    expect(isSafeHref(href)).toBe(false);
  });
});

describe('parseDOM: pasted HTML', () => {
  it('maps h1/h2 to sections and h3-h6 to subsections', () => {
    expect(blocksOf('<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>')).toEqual([
      'heading("A")',
      'heading("B")',
      'heading("C")',
      'heading("D")',
      'heading("E")',
      'heading("F")',
    ]);
    const levels: unknown[] = [];
    parseSlice('<h1>A</h1><h2>B</h2><h3>C</h3><h6>F</h6>').content.forEach((node) => levels.push(node.attrs['level']));
    expect(levels).toEqual([1, 1, 2, 2]);
  });

  it('maps p to an unnumbered paragraph and keeps our own pid and numbered class', () => {
    const slice = parseSlice('<p>plain</p><p data-pid="abc">with pid</p><p class="ph-numbered" data-pid="n9">numbered</p>');
    const nodes: ProseMirrorNode[] = [];
    slice.content.forEach((node) => nodes.push(node));
    expect(nodes.map((n) => [n.type.name, n.attrs['pid']])).toEqual([
      ['paragraph', null],
      ['paragraph', 'abc'],
      ['numbered_paragraph', 'n9'],
    ]);
  });

  it('turns every ordered list into a lettered list and unordered lists into bullet lists', () => {
    expect(blocksOf('<ol type="a"><li>x</li></ol>')).toEqual(['lettered_list(lettered_item(paragraph("x")))']);
    expect(blocksOf('<ol style="list-style-type: lower-alpha"><li>x</li></ol>')).toEqual(['lettered_list(lettered_item(paragraph("x")))']);
    expect(blocksOf('<ol><li>x</li></ol>')).toEqual(['lettered_list(lettered_item(paragraph("x")))']);
    expect(blocksOf('<ul><li>x</li></ul>')).toEqual(['bullet_list(list_item(paragraph("x")))']);
  });

  it('lets an explicit marker style decide the kind of list', () => {
    expect(blocksOf('<ul style="list-style-type:lower-roman"><li>x</li></ul>')).toEqual(['lettered_list(lettered_item(paragraph("x")))']);
    expect(blocksOf('<ol style="list-style-type: disc"><li>x</li></ol>')).toEqual(['bullet_list(list_item(paragraph("x")))']);
  });

  it('nests a lettered list inside a lettered item', () => {
    expect(blocksOf('<ol><li><p>a</p><ol><li><p>i</p></li></ol></li></ol>')).toEqual([
      'lettered_list(lettered_item(paragraph("a"), lettered_list(lettered_item(paragraph("i")))))',
    ]);
  });

  it('reads bold, italic and underline from tags and inline styles', () => {
    expect(marksOn('<p><b>t</b></p>', 't')).toEqual(['bold']);
    expect(marksOn('<p><strong>t</strong></p>', 't')).toEqual(['bold']);
    expect(marksOn('<p><span style="font-weight:700">t</span></p>', 't')).toEqual(['bold']);
    expect(marksOn('<p><span style="font-weight: bold">t</span></p>', 't')).toEqual(['bold']);
    expect(marksOn('<p><i>t</i></p>', 't')).toEqual(['italic']);
    expect(marksOn('<p><em>t</em></p>', 't')).toEqual(['italic']);
    expect(marksOn('<p><span style="font-style:italic">t</span></p>', 't')).toEqual(['italic']);
    expect(marksOn('<p><u>t</u></p>', 't')).toEqual(['underline']);
    expect(marksOn('<p><span style="text-decoration: underline solid">t</span></p>', 't')).toEqual(['underline']);
    expect(marksOn('<p><span style="text-decoration: line-through">t</span></p>', 't')).toEqual([]);
  });

  it('does not make Google Docs’ font-weight:normal wrapper bold', () => {
    const html = '<b style="font-weight:normal;" id="docs-internal-guid-1"><p><span style="font-weight:400">plain</span> <span style="font-weight:700">bold</span></p></b>';
    expect(marksOn(html, 'plain')).toEqual([]);
    expect(marksOn(html, 'bold')).toEqual(['bold']);
  });

  it('clears bold inside a bold element when a span sets normal weight', () => {
    expect(marksOn('<p><b>a<span style="font-weight:normal">t</span></b></p>', 't')).toEqual([]);
  });

  it('keeps safe links and drops unsafe ones while keeping their text', () => {
    const safe = parseSlice('<p><a href=" https://un.org/doc " title="Doc">doc</a></p>');
    let link: Mark | undefined;
    safe.content.descendants((node) => {
      if (node.isText) link = node.marks.find((m) => m.type.name === 'link');
    });
    expect(link?.attrs).toEqual({ href: 'https://un.org/doc', title: 'Doc' });
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java&#9;script:alert(1)', 'data:text/html,x', '/local', '#_ftn1']) {
      const html = `<p><a href="${href}">kept text</a></p>`;
      expect(marksOn(html, 'kept text'), href).toEqual([]);
    }
  });

  it('reads our footnotes, treats a plain sup as text and br as a hard break', () => {
    expect(blocksOf('<p>a<sup class="ph-footnote">note <i>x</i></sup>b<br>c<sup>2</sup></p>')).toEqual([
      'paragraph("a", footnote("note ", italic("x")), "b", hard_break, "c2")',
    ]);
  });

  it('reads a table with a header row, cells holding paragraphs', () => {
    expect(blocksOf('<table><tr><th>Date</th><th>Item</th></tr><tr><td>8 July</td><td><p>Opening</p></td></tr></table>')).toEqual([
      'table(table_row(table_header(paragraph("Date")), table_header(paragraph("Item"))), table_row(table_cell(paragraph("8 July")), table_cell(paragraph("Opening"))))',
    ]);
  });

  it('does not turn a title outside the header into a title', () => {
    expect(blocksOf('<div class="ph-title" data-pid="t">Looks like a title</div>')).toEqual(['paragraph("Looks like a title")']);
  });
});

describe('toDOM', () => {
  it('emits classes and data attributes for the CSS, and no computed numbers', () => {
    const html = toHtml(representative()).innerHTML;
    expect(html).toContain('<header class="ph-header" data-symbol="A/AC.292/2025/L.1"');
    expect(html).toContain('data-original-language="English"');
    expect(html).toContain('<div class="ph-title" data-pid="t">Draft annual progress report</div>');
    expect(html).toContain('<h2 class="ph-heading ph-heading-1" data-level="1" data-pid="hA">Introduction</h2>');
    expect(html).toContain('<h3 class="ph-heading ph-heading-2" data-level="2" data-pid="hA1">Mandate</h3>');
    expect(html).toContain('<p class="ph-numbered" data-pid="n1">The ');
    expect(html).toContain('<p class="ph-paragraph" data-pid="intro">');
    expect(html).toContain('<ol class="ph-lettered-list" type="a"><li class="ph-lettered-item">');
    expect(html).toContain('<ul class="ph-bullet-list"><li class="ph-list-item">');
    expect(html).toContain('<sup class="ph-footnote">See <em>A/78/265</em>, para. 23.</sup>');
    expect(html).toContain('<a href="https://un.org/x" title="UN" rel="noopener noreferrer nofollow"><strong>recalled</strong></a>');
    expect(html).not.toMatch(/data-number|data-label/);
    // Only the document's own text is emitted: no "A.", "1." or "(a)" was added.
    const fragment = toHtml(representative());
    expect(fragment.textContent).toBe(representative().textContent);
  });

  it('writes no href for an unsafe link that reached the document', () => {
    const unsafe = body(p({ pid: 'x' }, a({ href: 'javascript:alert(1)' }, 'click')));
    const html = toHtml(unsafe).innerHTML;
    expect(html).toContain('<a rel="noopener noreferrer nofollow">click</a>');
    expect(html).not.toContain('javascript');
  });

  it('round-trips the whole document through toDOM and parseDOM', () => {
    const original = representative();
    const container = dom.createElement('body');
    container.appendChild(serializer.serializeFragment(original.content, { document: dom }));
    const parsed = parser.parse(container);
    expect(parsed.toJSON()).toEqual(original.toJSON());
    expect(parsed.eq(original)).toBe(true);
  });

  it('round-trips a slice of body blocks with their node types and pids', () => {
    const original = representative();
    const container = parseHtml(toHtml(original).innerHTML);
    expect(container).toBeInstanceOf(window.HTMLElement);
    const slice = parser.parseSlice(container);
    const names: string[] = [];
    slice.content.forEach((node) => names.push(`${node.type.name}:${String(node.attrs['pid'] ?? '')}`));
    expect(names).toEqual([
      'header:',
      'paragraph:intro',
      'heading:hA',
      'heading:hA1',
      'numbered_paragraph:n1',
      'numbered_paragraph:n2',
      'lettered_list:',
      'bullet_list:',
      'table:',
    ]);
  });
});
