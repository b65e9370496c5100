import { describe, expect, it } from 'vitest';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { importDocx } from './index.ts';
import { NAMESPACES, docxPackage, p, type TestRelationship } from '../../tests/fixtures/docx/package.ts';

/** A header part holding the given paragraphs. */
function headerXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><w:hdr ${NAMESPACES}>${body}</w:hdr>`;
}

function headerAttrs(bytes: Uint8Array): Record<string, unknown> {
  const node = ProseMirrorNode.fromJSON(schema, importDocx(bytes).doc);
  return (node.firstChild as ProseMirrorNode).attrs;
}

const MASTHEAD = p('United Nations') + p('A/AC.292/2024/L.1') + p('Distr.: General') + p('12 July 2024') + p('Original: English');

describe('page headers', () => {
  it('takes the first page from the first section, ignores a section\'s former headers (sectPrChange), and reports other running headers', () => {
    const rels: TestRelationship[] = [
      { id: 'rIdFirst', type: 'header', target: 'header1.xml' },
      { id: 'rIdOld', type: 'header', target: 'header2.xml' },
      { id: 'rIdLater', type: 'header', target: 'header3.xml' },
    ];
    const firstSection =
      '<w:p><w:pPr><w:sectPr><w:headerReference w:type="first" r:id="rIdFirst"/><w:titlePg/>' +
      '<w:sectPrChange w:id="9" w:author="A"><w:sectPr><w:headerReference w:type="first" r:id="rIdOld"/></w:sectPr></w:sectPrChange>' +
      '</w:sectPr></w:pPr></w:p>';
    const bytes = docxPackage({
      rels,
      // The body's own w:sectPr (written by the fixture) is the second section; the later one here refers to header3.
      body: p('The group met.') + firstSection + p('Annex') + '<w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rIdLater"/></w:sectPr></w:pPr></w:p>',
      extra: {
        'word/header1.xml': headerXml(MASTHEAD),
        'word/header2.xml': headerXml(p('A/AC.292/2023/L.9') + p('Distr.: Limited')),
        'word/header3.xml': headerXml(p('A/AC.292/2024/L.1/Add.1')),
      },
    });
    expect(headerAttrs(bytes)).toMatchObject({ symbol: 'A/AC.292/2024/L.1', distribution: 'General', date: '12 July 2024', originalLanguage: 'English' });
    expect(importDocx(bytes).report.notKept).toEqual([{ what: 'page headers and footers', count: 1, example: 'A/AC.292/2024/L.1/Add.1' }]);
  });

  it('reads headers only through header relationships: a dangling, external or mistyped reference reads nothing', () => {
    const bytes = docxPackage({
      rels: [
        { id: 'rIdGone', type: 'header', target: 'header9.xml' },
        { id: 'rIdFar', type: 'header', target: 'https://example.org/header.xml', external: true },
        { id: 'rIdStyles2', type: 'styles', target: 'header1.xml' },
      ],
      body:
        p('The group met.') +
        '<w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rIdGone"/><w:headerReference w:type="even" r:id="rIdFar"/>' +
        '<w:headerReference w:type="first" r:id="rIdStyles2"/><w:titlePg/></w:sectPr></w:pPr></w:p>',
      extra: { 'word/header1.xml': headerXml(MASTHEAD) },
    });
    const imported = importDocx(bytes);
    expect(headerAttrs(bytes)).toMatchObject({ symbol: '', date: '' });
    expect(imported.report.notKept).toEqual([]);
  });
});
