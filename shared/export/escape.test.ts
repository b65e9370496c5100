import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdownLineStart, escapeMarkdownText, markdownLinkTarget } from './escape.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('plain text – ünïcode')).toBe('plain text – ünïcode');
  });
});

describe('Markdown escaping', () => {
  it('backslash-escapes inline specials, the backslash first among them', () => {
    expect(escapeMarkdownText('\\*')).toBe('\\\\\\*');
    expect(escapeMarkdownText('a_b [c] `d` #e |f| <g> &h; ~i~ ![j]')).toBe(
      'a\\_b \\[c\\] \\`d\\` \\#e \\|f\\| \\<g\\> \\&h; \\~i\\~ \\!\\[j\\]',
    );
    expect(escapeMarkdownText('Resolution 79/402 (2024), paras. 1-3.')).toBe('Resolution 79/402 (2024), paras. 1-3.');
  });

  it('escapes list markers and setext lines only at the start of a line', () => {
    expect(escapeMarkdownLineStart('12. text')).toBe('12\\. text');
    expect(escapeMarkdownLineStart('3) text')).toBe('3\\) text');
    expect(escapeMarkdownLineStart('- a - b')).toBe('\\- a - b');
    expect(escapeMarkdownLineStart('   + x')).toBe('\\+ x');
    expect(escapeMarkdownLineStart('In 2026. Text')).toBe('In 2026. Text');
  });

  it('encodes what would end a link destination', () => {
    expect(markdownLinkTarget('https://x.org/a (b)<c>\\')).toBe('https://x.org/a%20%28b%29%3Cc%3E%5C');
  });
});
