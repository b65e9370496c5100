/**
 * Round trip through Word: a document exported by cleanDocx (shared/export/docx) and imported again by importDocx
 * comes back the same: the header, paragraph count and kinds, numbering structure (numbered paragraphs, lettered
 * sub-paragraphs two deep, bullets), footnotes, tables (spans, header rows) and marks. Only the pids are new.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { a, b, bi, br, doc, fn, h1, h2, header, i, li, ll, np, p, table, td, th, title, tr, u, ul } from '../../shared/schema/test-builder.ts';
import { cleanDocx, comparisonDocx } from '../../shared/export/docx/index.ts';
import { importDocx, planTrackedProposals } from '../../shared/import/index.ts';
import { repoRootForTests } from './repo-root.ts';

/** The document as JSON without pids (the import gives fresh ones), for a whole-document comparison. */
function withoutPids(node: ProseMirrorNode): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'pid').map(([key, inner]) => [key, strip(inner)]));
    return value;
  };
  return strip(node.toJSON());
}

async function roundTrip(source: ProseMirrorNode): Promise<{ node: ProseMirrorNode; imported: ReturnType<typeof importDocx> }> {
  const imported = importDocx(await cleanDocx(source));
  const node = ProseMirrorNode.fromJSON(schema, imported.doc);
  node.check();
  return { node, imported };
}

function counts(node: ProseMirrorNode): Record<string, number> {
  const out: Record<string, number> = {};
  node.descendants((child) => {
    out[child.type.name] = (out[child.type.name] ?? 0) + 1;
    return true;
  });
  return out;
}

describe('cleanDocx -> importDocx', () => {
  it('gives the sample negotiation text back: header, paragraphs, numbering, footnotes, tables and marks', async () => {
    const json = JSON.parse(await readFile(`${repoRootForTests}/resources/sample/zero-draft.json`, 'utf8')) as unknown;
    const sample = ProseMirrorNode.fromJSON(schema, json);
    const { node, imported } = await roundTrip(sample);
    expect(counts(node)).toEqual(counts(sample));
    expect(withoutPids(node)).toEqual(withoutPids(sample));
    expect(imported.title).toBe(sample.firstChild?.textContent);
    expect(imported.report.notKept).toEqual([]);
    expect(imported.tracked).toEqual([]);
  });

  it('gives back nested lettered sub-paragraphs, nested bullets, merged table cells, links, breaks and marked footnotes', async () => {
    const source = doc(
      header(
        { symbol: 'A/AC.292/2026/L.2', distribution: 'Limited', date: '3 July 2026', originalLanguage: 'French', session: 'Eighth session\nNew York, 6–10 July 2026', agenda: 'Item 5' },
        title('Draft report of the working group'),
      ),
      h1('General exchange of views'),
      np('The Chair opened the ', b('session'), ' and ', i('welcomed'), ' the ', u('delegations'), ', ', b(i('warmly')), '.', fn('See ', i('A/78/265'), ', para. 23.')),
      np('States recommended that the group:'),
      ll(
        li(p('continue its work;')),
        li(p('consider:'), ll(li(p('data exchange;')), li(p('capacity-building.')))),
        li(p('report back.')),
      ),
      p('An unnumbered chapeau', br(), 'on two lines.'),
      ul(bi(p('First point')), bi(p('Second point'), ul(bi(p('A sub-point'))))),
      h2('Programme of work'),
      np('See the ', a({ href: 'https://www.un.org/en/' }, 'website'), ' and write to ', a({ href: 'mailto:chair@example.org' }, 'the Chair'), '.'),
      table(
        tr(th(p('Date')), th(p('Time')), th(p('Item'))),
        tr(td({ rowspan: 2 }, p('8 July')), td(p('10 a.m.')), td(p('Opening'))),
        tr(td(p('3 p.m.')), td(p('General exchange'))),
        tr(td({ colspan: 3 }, p('Closing'))),
      ),
      np('The report was adopted.'),
    );
    const { node, imported } = await roundTrip(source);
    expect(counts(node)).toEqual(counts(source));
    expect(withoutPids(node)).toEqual(withoutPids(source));
    expect(imported.report.counts).toMatchObject({ numberedParagraphs: 4, subparagraphs: 5, bulletItems: 3, footnotes: 1, tables: 1, links: 2, headings: 2 });
  });
});

describe('comparisonDocx -> importDocx', () => {
  it('reads the comparison\'s tracked changes as the original text plus proposals that lead to the later text', async () => {
    const before = doc(
      header(title({ pid: 't' }, 'Report')),
      h1({ pid: 'h' }, 'Introduction'),
      np({ pid: 'p1' }, 'The group met in New York.'),
      np({ pid: 'p2' }, 'States should cooperate urgently.', fn('A note.')),
      np({ pid: 'p3' }, 'This paragraph goes.'),
      np({ pid: 'p4' }, 'Last paragraph.'),
    );
    const after = doc(
      header(title({ pid: 't' }, 'Report')),
      h1({ pid: 'h' }, 'Introduction'),
      np({ pid: 'p1' }, 'The group met in Geneva.'),
      np({ pid: 'p2' }, 'States should continue to cooperate.', fn('A note.')),
      np({ pid: 'pn' }, 'A brand new paragraph.'),
      np({ pid: 'p4' }, 'Last paragraph.'),
    );
    const bytes = await comparisonDocx(before, after, { author: 'Chair of the OEWG', date: '2026-07-01T09:00:00Z', beforeLabel: 'Rev.1', afterLabel: 'Rev.2' });
    const imported = importDocx(bytes);
    const node = ProseMirrorNode.fromJSON(schema, imported.doc);
    node.check();
    // The imported text is Rev.1: nothing was accepted on the way in.
    const numbered: string[] = [];
    node.forEach((child) => {
      if (child.type.name === 'numbered_paragraph') numbered.push(child.textContent);
    });
    expect(numbered).toEqual(['The group met in New York.', 'States should cooperate urgently.A note.', 'This paragraph goes.', 'Last paragraph.']);
    const { plans, unmatched } = planTrackedProposals(imported.tracked, before);
    expect(unmatched).toEqual([]);
    expect(plans.map((plan) => [plan.kind, plan.pid, plan.quote, plan.text, plan.author])).toEqual([
      ['replace', 'p1', 'New York', 'Geneva', 'Chair of the OEWG'],
      ['replace', 'p2', 'cooperate urgently', 'continue to cooperate', 'Chair of the OEWG'],
      ['new-paragraph', 'p2', '', 'A brand new paragraph.', 'Chair of the OEWG'],
      ['delete-paragraph', 'p3', 'This paragraph goes.', '', 'Chair of the OEWG'],
    ]);
    expect(plans.every((plan) => plan.date === '2026-07-01T09:00:00Z')).toBe(true);
  });
});
