import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.ts';
import { body, fn, np, p, table, td, tr } from '../../schema/test-builder.ts';
import { ChairNegotiator, DelegationNegotiator, readNegotiation } from '../../model/negotiation/index.ts';
import { editAsChair, readText, setupDocs, spanOf, steppingClock, testOptions } from '../../model/negotiation/test-setup.ts';
import { compilationDocx } from './compilation.ts';
import { sampleNegotiation } from './test-fixtures.ts';
import { all, child, part, textOf, unzipDocx, type XmlElement } from './test-xml.ts';

const styleOf = (paragraph: XmlElement): string | undefined => child(child(paragraph, 'w:pPr'), 'w:pStyle')?.attrs['w:val'];
const NAMES: Record<string, string> = { FRA: 'France', BRA: 'Brazil', G77: 'Group of 77 and China' };

/** A small negotiation: a replacement with positions, a withdrawn one, a rejected one, a proposal on a table cell. */
function negotiation() {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful practices.', fn('See A/78/265.')),
      np({ pid: 'p2' }, 'Capacity-building remains a priority for all.'),
      np({ pid: 'p3' }, 'The group will meet again.'),
      table(tr(td(p({ pid: 'c1' }, '1 June')), td(p({ pid: 'c2' }, 'Item 3')))),
    ),
  );
  const now = steppingClock(Date.UTC(2026, 2, 3, 10));
  const fra = new DelegationNegotiator('FRA', docs, { ...testOptions('Marie'), now });
  const bra = new DelegationNegotiator('BRA', docs, { ...testOptions('João'), now });
  const g77 = new DelegationNegotiator('G77', docs, { ...testOptions('Group chair'), now });
  const chair = new ChairNegotiator(docs, { ...testOptions('The Chair'), now });
  const replace = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter', cosponsors: ['G77'], rationale: 'Stronger.' });
  bra.oppose(replace.id);
  const withdrawn = bra.propose({ kind: 'delete-paragraph', pid: 'p3' });
  bra.withdraw(withdrawn.id, 'Changed our mind.');
  const rejected = g77.propose({ kind: 'new-paragraph', pid: 'p2', text: 'A new paragraph from the Group.' });
  chair.reject(rejected.id, 'No support.');
  const comment = fra.comment('p2', 'We can live with it.');
  const cell = g77.propose({ kind: 'replace', pid: 'c2', span: spanOf(docs.text, 'c2', '3'), text: '4' });
  return { docs, ids: { replace: replace.id, withdrawn: withdrawn.id, rejected: rejected.id, comment: comment.id, cell: cell.id } };
}

async function exported(numbers?: ReadonlyMap<string, string>) {
  const { docs } = negotiation();
  const view = readNegotiation(docs.text, docs.chair, docs.delegations);
  const bytes = await compilationDocx(readText(docs.text), view, { participantName: (code) => NAMES[code] ?? code, ...(numbers ? { numbers } : {}) });
  return part(unzipDocx(bytes), 'word/document.xml');
}

/** The proposal blocks of the document: heading, change and details paragraphs in order, as text. */
function proposalTexts(document: XmlElement): string[][] {
  const blocks: string[][] = [];
  for (const paragraph of all(document, 'w:p')) {
    const style = styleOf(paragraph);
    if (style === 'UNProposalHead') blocks.push([textOf(paragraph)]);
    else if ((style === 'UNProposalText' || style === 'UNProposalMeta') && blocks.length > 0) blocks[blocks.length - 1]?.push(textOf(paragraph));
  }
  return blocks;
}

describe('compilationDocx', () => {
  it('prints every paragraph with its proposals under it: attribution, co-sponsors, kind, status, positions', async () => {
    const document = await exported();
    const blocks = proposalTexts(document);
    expect(blocks[0]).toEqual([
      'France (FRA) \u2014 Replace words [Pending]\nCo-sponsored by: Group of 77 and China (G77)',
      'States should cooperate to preventdeter harmful practices.',
      'Opposed by: Brazil (BRA)\nStatus: pending\nRationale: Stronger.\nTabled on 3 March 2026 by Marie.',
    ]);
    // The proposals come right after their paragraph, in text order; changes before comments.
    const order = all(document, 'w:p')
      .filter((paragraph) => styleOf(paragraph) === 'UNNumbered' || styleOf(paragraph) === 'UNProposalHead')
      .map((paragraph) => textOf(paragraph).split('\t')[0]?.split(' \u2014')[0]);
    expect(order).toEqual(['1.', 'France (FRA)', '2.', 'Group of 77 and China (G77)', 'France (FRA)', '3.', 'Brazil (BRA)', 'Group of 77 and China (G77)']);
  });

  it('shows insertions bold-underlined and deletions struck through, in the words around the change', async () => {
    const document = await exported();
    const change = all(document, 'w:p').find((paragraph) => styleOf(paragraph) === 'UNProposalText') as XmlElement;
    const runs = all(change, 'w:r').map((run) => {
      const properties = child(run, 'w:rPr');
      return { text: textOf(run), strike: child(properties, 'w:strike') !== undefined, bold: child(properties, 'w:b') !== undefined, underline: child(properties, 'w:u')?.attrs['w:val'] ?? null };
    });
    expect(runs).toEqual([
      { text: 'States should cooperate to ', strike: false, bold: false, underline: null },
      { text: 'prevent', strike: true, bold: false, underline: null },
      { text: 'deter', strike: false, bold: true, underline: 'single' },
      { text: ' harmful practices.', strike: false, bold: false, underline: null },
    ]);
    // The footnote of the paragraph is a real footnote once, under the paragraph, not repeated in the context.
    expect(all(document, 'w:footnoteReference')).toHaveLength(1);
  });

  it('marks withdrawn and rejected proposals as such, greys out the withdrawn, and lists comments', async () => {
    const document = await exported();
    const blocks = proposalTexts(document);
    const rejected = blocks.find((block) => block[0]?.includes('[Rejected]')) as string[];
    expect(rejected[0]).toBe('Group of 77 and China (G77) \u2014 New paragraph to follow paragraph 2 [Rejected]');
    expect(rejected[1]).toBe('A new paragraph from the Group.');
    expect(rejected[2]).toContain('Rejected by The Chair on 3 March 2026: No support.');
    const comment = blocks.find((block) => block[0]?.includes('Comment')) as string[];
    expect(comment.slice(0, 2)).toEqual(['France (FRA) \u2014 Comment [Pending]', 'We can live with it.']);
    const withdrawn = all(document, 'w:p').find((paragraph) => styleOf(paragraph) === 'UNProposalHead' && textOf(paragraph).includes('[Withdrawn]')) as XmlElement;
    expect(textOf(withdrawn)).toBe('Brazil (BRA) \u2014 Delete paragraph [Withdrawn]');
    expect(all(withdrawn, 'w:color').every((color) => color.attrs['w:val'] === '7F7F7F')).toBe(true);
    const withdrawnBlock = blocks.find((block) => block[0]?.includes('[Withdrawn]')) as string[];
    expect(withdrawnBlock[2]).toContain('Withdrawn by João on 3 March 2026: Changed our mind.');
  });

  it('types the numbers in force (bis, ter) instead of Word numbering, and follows tables with their cells\u2019 proposals', async () => {
    const document = await exported(new Map([['p1', '1'], ['p2', '1 bis'], ['p3', '2']]));
    const numbered = all(document, 'w:p').filter((paragraph) => styleOf(paragraph) === 'UNNumbered');
    expect(numbered.map((paragraph) => textOf(paragraph).split('\t')[0])).toEqual(['1.', '1 bis.', '2.']);
    expect(numbered.every((paragraph) => child(child(paragraph, 'w:pPr'), 'w:numPr') === undefined)).toBe(true);
    const paragraphs = all(document, 'w:p');
    const lastTableParagraph = paragraphs.findLastIndex((paragraph) => textOf(paragraph) === 'Item 3');
    const lead = paragraphs.findIndex((paragraph) => textOf(paragraph).startsWith('On the table cell'));
    expect(lead).toBeGreaterThan(lastTableParagraph);
    expect(textOf(paragraphs[lead] as XmlElement)).toBe('On the table cell \u201cItem 3\u201d:');
    expect(textOf(paragraphs[lead + 1] as XmlElement)).toBe('Group of 77 and China (G77) \u2014 Replace words [Pending]');
  });

  it('keeps proposals whose paragraph is gone at the end, and flags overtaken ones with the words now there', async () => {
    const { docs, ids } = negotiation();
    editAsChair(docs.text, (tr) => {
      let from = -1;
      tr.doc.forEach((node, offset) => {
        if (node.attrs['pid'] === 'p3') from = offset;
      });
      tr.delete(from, from + (tr.doc.nodeAt(from)?.nodeSize ?? 0));
    });
    editAsChair(docs.text, (tr) => {
      let at = -1;
      tr.doc.descendants((node, pos) => {
        if (node.isText && node.text?.includes('prevent')) at = pos + (node.text.indexOf('prevent'));
      });
      tr.insertText('stop', at, at + 'prevent'.length);
    });
    const view = readNegotiation(docs.text, docs.chair, docs.delegations);
    const document = part(unzipDocx(await compilationDocx(readText(docs.text), view)), 'word/document.xml');
    const blocks = proposalTexts(document);
    const overtaken = blocks.find((block) => block[0]?.startsWith('FRA \u2014 Replace')) as string[];
    expect(overtaken[0]).toContain('[Pending, Overtaken]');
    expect(overtaken[1]).toBe('prevent \u2192 deter');
    expect(overtaken[2]).toContain('Overtaken: the text has changed since this proposal was made');
    const paragraphs = all(document, 'w:p').map((paragraph) => textOf(paragraph));
    const closing = paragraphs.indexOf('Proposals on paragraphs no longer in the text');
    expect(closing).toBeGreaterThan(0);
    const after = paragraphs.slice(closing).join('\n');
    expect(after).toContain('BRA \u2014 Delete paragraph [Withdrawn]');
    expect(view.byId.get(ids.withdrawn)?.proposal.pid).toBe('p3');
  });

  it('compiles the sample negotiation with every proposal under its paragraph and the agreed status shown', async () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../../../resources/sample/zero-draft.json', import.meta.url), 'utf8'));
    const sample = sampleNegotiation(schema.nodeFromJSON(json));
    const calls: number[] = [];
    const bytes = await compilationDocx(sample.doc, sample.negotiation, { participantName: sample.name, onProgress: (done) => calls.push(done) });
    const document = part(unzipDocx(bytes), 'word/document.xml');
    const heads = all(document, 'w:p').filter((paragraph) => styleOf(paragraph) === 'UNProposalHead').map((paragraph) => textOf(paragraph));
    expect(heads.filter((head) => !head.startsWith('Paragraph status'))).toHaveLength(sample.negotiation.proposals.length);
    expect(heads).toContain('Paragraph status: Agreed ad ref (Agreed in the first reading.)');
    expect(heads.some((head) => head.startsWith('China (CHN) \u2014 Replace words [Pending, Overtaken]'))).toBe(true);
    expect(heads.some((head) => head.startsWith('Group of 77 and China (G77) \u2014 Move paragraph to follow paragraph 8'))).toBe(true);
    expect(calls.at(-1)).toBeGreaterThan(sample.negotiation.proposals.length);
  });
});
