import { describe, expect, it } from 'vitest';
import { Fragment, Slice } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { cleanPastedHtml, preparePastedSlice } from './paste.ts';
import { doc, letters, np, p, posOf } from './testDocs.ts';

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {mso-style-parent:""} --></style></head>
<body lang=EN-GB><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class=MsoNormal style='mso-margin-top-alt:auto;margin-left:0cm;text-align:justify'>First <b>bold</b> text.<o:p></o:p></p>
<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">Second<o:p>&nbsp;</o:p></p></body></html>`;

describe('cleanPastedHtml', () => {
  it('removes Word conditional comments, Office tags, style blocks and mso- declarations but keeps the text and other styles', () => {
    const clean = cleanPastedHtml(WORD_HTML);
    expect(clean).not.toMatch(/mso-|<o:p|<w:|<!--|<style|<meta|lang=/i);
    expect(clean).toContain("style='margin-left:0cm; text-align:justify'");
    expect(clean).toContain('First <b>bold</b> text.');
    expect(clean).toContain('Second');
  });

  it('removes anything that could act: scripts, objects, images, event handlers', () => {
    const clean = cleanPastedHtml(
      '<p onclick="steal()">Hi<img src=x onerror=alert(1)></p><script>alert(2)</script><iframe src="https://evil"></iframe><a href="https://un.org" onmouseover=\'x()\'>UN</a>',
    );
    expect(clean).toBe('<p>Hi</p><a href="https://un.org">UN</a>');
  });

  it('leaves text that merely looks like an attribute alone', () => {
    expect(cleanPastedHtml('<p>use style="mso-x" here</p>')).toBe('<p>use style="mso-x" here</p>');
  });
});

describe('preparePastedSlice', () => {
  let n = 0;
  const makePid = () => `fresh${++n}`;

  it('gives every pasted block a fresh pid and numbers plain paragraphs pasted among numbered ones', () => {
    const root = doc(np('a', 'Alpha'), np('b', 'Beta'));
    const slice = new Slice(Fragment.from([p('a', 'copy of alpha'), letters(p('la', 'item'))]), 0, 0);
    const prepared = preparePastedSlice(slice, root.resolve(posOf(root, 'Beta')), makePid);
    const [first, list] = [prepared.content.child(0), prepared.content.child(1)];
    expect(first.type.name).toBe('numbered_paragraph');
    expect(first.attrs.pid).toMatch(/^fresh/);
    // A paragraph inside a list item stays a paragraph, with a fresh pid too.
    const inner = list.firstChild!.firstChild!;
    expect(inner.type.name).toBe('paragraph');
    expect(inner.attrs.pid).toMatch(/^fresh/);
    expect(inner.attrs.pid).not.toBe(first.attrs.pid);
  });

  it('keeps plain paragraphs plain when pasted into an unnumbered context', () => {
    const root = doc(p('a', 'Intro line'));
    const slice = new Slice(Fragment.from(p('x', 'pasted')), 0, 0);
    const prepared = preparePastedSlice(slice, root.resolve(posOf(root, 'Intro')), makePid);
    expect(prepared.content.child(0).type).toBe(schema.nodes.paragraph);
    expect(prepared.content.child(0).attrs.pid).not.toBe('x');
  });
});
