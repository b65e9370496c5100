import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { concat, element, escapeAttribute, escapeText, textElement } from './xml.ts';

/** Parses `xml` strictly (saxes throws on anything not well-formed, including characters XML 1.0 forbids). */
function parse(xml: string): { attrs: Record<string, string>; text: string } {
  const parser = new SaxesParser();
  let attrs: Record<string, string> = {};
  let text = '';
  let depth = 0;
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth === 1) attrs = { ...(tag.attributes as Record<string, string>) };
  });
  parser.on('closetag', () => {
    depth -= 1;
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.write(xml).close();
  return { attrs, text };
}

/** What XML 1.0 can carry of `value`: the string without the characters escapeText drops. */
function carried(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
    if (allowed) out += char;
  }
  return out;
}

/** Survives UTF-8 unchanged (a lone surrogate would come back as U+FFFD). */
function utf8Safe(value: string): boolean {
  return new TextDecoder().decode(new TextEncoder().encode(value)) === value;
}

const HOSTILE = 'a < b && c > d "q" \'s\' ]]> <![CDATA[x]]> <!-- c --> <?pi?> &amp; &#0; \u0000\u0001\u0008\u000b\u000c\u000e\u001f';

describe('escapeText', () => {
  it('escapes markup so that hostile text reads back exactly, ]]> and entity look-alikes included', () => {
    const text = 'a < b && c > d "q" \'s\' ]]> <![CDATA[x]]> <!-- c --> <?pi?> &amp; &#0;';
    const xml = `<t>${escapeText(text)}</t>`;
    expect(xml).not.toContain(']]>');
    expect(parse(xml).text).toBe(text);
  });

  it('drops control characters, U+FFFE/U+FFFF and lone surrogate halves, keeps tab, newlines and pairs', () => {
    const text = 'x\u0000\u0001\u0008\u000b\u000c\u000e\u001f\ufffe\uffffy\t\n\r z \ud800 high \udc00 low \udc00\ud800 reversed \ud83d\ude00 pair \u007f\u0085 kept';
    const escaped = escapeText(text);
    expect(escaped).toBe('xy\t\n\r z  high  low  reversed \ud83d\ude00 pair \u007f\u0085 kept');
    expect(utf8Safe(escaped)).toBe(true);
    expect(parse(`<t>${escaped}</t>`).text).toBe('xy\t\n\n z  high  low  reversed \ud83d\ude00 pair \u007f\u0085 kept');
  });

  it('returns plain text unchanged', () => {
    expect(escapeText('The Group met in New York \u2014 twice.')).toBe('The Group met in New York \u2014 twice.');
  });
});

describe('escapeAttribute', () => {
  it('keeps tabs and line breaks as character references, so a parser reads the value back exactly', () => {
    const value = `O'Brien & "Co" <chair>\t\r\n${HOSTILE} \ud800`;
    const xml = `<a v="${escapeAttribute(value)}"/>`;
    expect(xml).toContain('&#9;&#13;&#10;');
    expect(parse(xml).attrs['v']).toBe(carried(value));
  });
});

describe('element and textElement', () => {
  it('write hostile text and attribute values that parse back to what XML can carry of them', () => {
    const xml = element('w:p', { 'w:val': HOSTILE, 'w:id': 7, 'w:skip': undefined }, [textElement('w:t', { 'xml:space': 'preserve' }, HOSTILE)]);
    expect(xml).toMatch(/^<w:p w:val="[^"]*" w:id="7"><w:t xml:space="preserve">/);
    expect(xml).not.toContain('w:skip');
    const read = parse(xml);
    expect(read.attrs['w:val']).toBe(carried(HOSTILE));
    expect(read.text).toBe(carried(HOSTILE));
  });

  it('closes an element without content and keeps an empty text element open and closed', () => {
    expect(element('w:tab')).toBe('<w:tab/>');
    expect(element('w:r', undefined, [])).toBe('<w:r/>');
    expect(textElement('w:t', undefined, '')).toBe('<w:t></w:t>');
    expect(concat([element('w:tab'), element('w:br')])).toBe('<w:tab/><w:br/>');
  });

  it('refuses names that are not XML names and numbers Word cannot read', () => {
    expect(() => element('w:p onload="x"')).toThrow(/not an XML name/);
    expect(() => element('<x')).toThrow(/not an XML name/);
    expect(() => element('w:p', { 'a b': 'c' })).toThrow(/not an XML name/);
    expect(() => element('w:ind', { 'w:left': Number.NaN })).toThrow(/not a number/);
    expect(() => element('w:ind', { 'w:left': Number.POSITIVE_INFINITY })).toThrow(/not a number/);
  });

  it('stay well-formed for 500 random strings of markup, controls, surrogate halves and astral characters', () => {
    // A seeded generator (mulberry32), so a failure can be replayed.
    let state = 12345;
    const random = (): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = ['<', '>', '&', '"', "'", ']]>', '<![CDATA[', '&amp;', '\t', '\n', '\r', ' ', 'a', '\u00e9', '\u2014', '\ufffd', '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00'];
    for (let code = 0; code < 0x20; code += 1) alphabet.push(String.fromCharCode(code));
    for (let round = 0; round < 500; round += 1) {
      let value = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i += 1) value += alphabet[Math.floor(random() * alphabet.length)] as string;
      const xml = element('w:p', { 'w:val': value }, [textElement('w:t', undefined, value)]);
      expect(utf8Safe(xml), `round ${round}`).toBe(true);
      const read = parse(xml);
      expect(read.attrs['w:val'], `round ${round}`).toBe(carried(value));
      // A parser reads a carriage return in text as a line feed (end-of-line handling); attributes keep it as &#13;.
      expect(read.text, `round ${round}`).toBe(carried(value).replace(/\r\n?/g, '\n'));
    }
  });
});
