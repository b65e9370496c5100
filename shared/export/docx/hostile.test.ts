import { describe, expect, it } from 'vitest';
import type { Node } from 'prosemirror-model';
import { a, b, body, doc, fn, h1, header, li, ll, np, p, table, td, title, tr, ul, bi } from '../../schema/test-builder.ts';
import { DelegationNegotiator, readNegotiation } from '../../model/negotiation/index.ts';
import { readText, setupDocs, spanOf, steppingClock, testOptions } from '../../model/negotiation/test-setup.ts';
import { cleanDocx } from './clean.ts';
import { comparisonDocx } from './comparison.ts';
import { compilationDocx } from './compilation.ts';
import { all, child, parseXml, part, textOf, unzipDocx, type XmlElement } from './test-xml.ts';

/**
 * Text no Word file should choke on: markup, a CDATA closer, entity look-alikes, what the `docx` library once took
 * for a list placeholder, control characters, lone surrogate halves, U+FFFF, and an astral character.
 */
const HOSTILE = 'A <b>&amp; "q" \'s\' ]]> <![CDATA[x]]> {un-paragraphs-0} \u0001\u000b\u001f\ud800|\udc00\uffff \ud83d\ude00 end';
/** What of it a Word file can hold: the characters XML 1.0 forbids are gone, the rest reads back as written. */
const KEPT = 'A <b>&amp; "q" \'s\' ]]> <![CDATA[x]]> {un-paragraphs-0} | \ud83d\ude00 end';
const LINK = 'https://example.org/search?q=a&b="c"<d>#part';

/** A document with the hostile text everywhere text can be: header, title, heading, paragraphs, lists, a table, a footnote. */
function hostile(): Node {
  return doc(
    header({ symbol: `A/${HOSTILE}`, date: HOSTILE, session: `${HOSTILE}\n${HOSTILE}`, agenda: HOSTILE }, title({ pid: 't' }, HOSTILE)),
    h1({ pid: 'h' }, HOSTILE),
    np({ pid: 'n1' }, HOSTILE, b(HOSTILE), fn(HOSTILE, a({ href: LINK }, 'note link'))),
    np({ pid: 'n2' }, 'See ', a({ href: LINK }, HOSTILE), '.'),
    ll(li(p({ pid: 'l1' }, HOSTILE))),
    ll(li(p({ pid: 'l2' }, 'second list'))),
    ul(bi(p({ pid: 'u1' }, HOSTILE))),
    table(tr(td(p({ pid: 'c1' }, HOSTILE)), td(p({ pid: 'c2' }, 'cell')))),
    np({ pid: 'n3' }, 'End.'),
  );
}

/** Every XML part of an export, parsed strictly (saxes throws on anything not well-formed or not XML 1.0). */
function parts(bytes: Uint8Array): Record<string, XmlElement> {
  return Object.fromEntries(Object.entries(unzipDocx(bytes)).map(([path, xml]) => [path, parseXml(xml)]));
}

/** The hyperlink relationships of a part's .rels file, by id. */
function links(rels: XmlElement | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const relationship of all(rels as XmlElement, 'Relationship')) {
    if (relationship.attrs['Type']?.endsWith('/hyperlink')) out.set(relationship.attrs['Id'] as string, relationship.attrs['Target'] as string);
  }
  return out;
}

/** The paragraphs of a part as text. */
const texts = (root: XmlElement, reading: 'all' | 'accept' = 'all'): string[] => all(root, 'w:p').map((paragraph) => textOf(paragraph, reading));

describe('Word exports of hostile text', () => {
  it('clean text: every part well-formed, the text kept but for what XML cannot hold, links in their own part', async () => {
    const read = parts(await cleanDocx(hostile(), { title: HOSTILE }));
    const document = read['word/document.xml'] as XmlElement;
    const footnotes = read['word/footnotes.xml'] as XmlElement;
    expect(texts(document).filter((text) => text === KEPT).length).toBeGreaterThanOrEqual(6);
    expect(texts(document)).toContain(`${KEPT}${KEPT}`);
    expect(texts(footnotes)).toContain(`\t${KEPT}note link`);
    // Header fields read controls as spaces before the export sees them.
    expect(texts(document).map((text) => text.replace(/ {2,}/g, ' '))).toContain(`A/${KEPT}`);

    // Each hyperlink cites a relationship of the part it is in, whose target is the link before its '#'.
    const documentLinks = links(read['word/_rels/document.xml.rels']);
    const footnoteLinks = links(read['word/_rels/footnotes.xml.rels']);
    const target = LINK.slice(0, LINK.indexOf('#'));
    expect(all(document, 'w:hyperlink').map((link) => [documentLinks.get(link.attrs['r:id'] as string), link.attrs['w:anchor']])).toEqual([[target, 'part']]);
    expect(all(footnotes, 'w:hyperlink').map((link) => footnoteLinks.get(link.attrs['r:id'] as string))).toEqual([target]);

    // Every list a paragraph cites is defined, and the second lettered list is a list of its own (it restarts at (a)).
    const numbering = read['word/numbering.xml'] as XmlElement;
    const defined = new Set(all(numbering, 'w:num').map((num) => num.attrs['w:numId']));
    const cited = all(document, 'w:numId').map((numId) => numId.attrs['w:val']);
    expect(cited.length).toBeGreaterThanOrEqual(6);
    expect(cited.every((numId) => defined.has(numId))).toBe(true);
    const lettered = all(document, 'w:p').filter((paragraph) => child(child(paragraph, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] === 'UNLettered');
    const listIds = lettered.map((paragraph) => child(child(child(paragraph, 'w:pPr'), 'w:numPr'), 'w:numId')?.attrs['w:val']);
    expect(new Set(listIds).size).toBe(2);
  });

  it('comparison: an author and labels full of markup are escaped, the changed text reads back', async () => {
    const author = `O'Brien & "Co" <chair> ${HOSTILE}`;
    const before = body(np({ pid: 'n1' }, 'Plain words.'), np({ pid: 'n2' }, 'Kept.'));
    const after = body(np({ pid: 'n1' }, `Plain words ${HOSTILE}.`), np({ pid: 'n2' }, 'Kept.'));
    const read = parts(await comparisonDocx(before, after, { author, date: '2026-07-03T10:00:00Z', beforeLabel: HOSTILE, afterLabel: '<Rev.2>' }));
    const document = read['word/document.xml'] as XmlElement;
    const insertions = all(document, 'w:ins');
    expect(insertions.length).toBeGreaterThan(0);
    // The author reads back as given, less the characters XML cannot hold.
    expect(new Set(insertions.map((insertion) => insertion.attrs['w:author']))).toEqual(new Set([`O'Brien & "Co" <chair> ${KEPT}`]));
    expect(texts(document, 'accept')).toContain(`1.\tPlain words ${KEPT}.`);
    expect(texts(document).some((text) => text.startsWith(`Comparison of ${KEPT} with <Rev.2>`))).toBe(true);
  });

  it('compilation: proposals, rationales and delegation names full of markup are escaped and read back', async () => {
    // The text itself passes through a Y.Doc, which stores lone surrogates as U+FFFD: it gets the rest.
    const markup = HOSTILE.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
    const docs = setupDocs(body(np({ pid: 'p1' }, `States should cooperate ${markup}.`), np({ pid: 'p2' }, 'Second.')));
    const fra = new DelegationNegotiator('FRA', docs, { ...testOptions(`Marie ${HOSTILE}`), now: steppingClock(Date.UTC(2026, 2, 3, 10)) });
    fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate'), text: `work ${HOSTILE}`, rationale: HOSTILE });
    const view = readNegotiation(docs.text, docs.chair, docs.delegations);
    const bytes = await compilationDocx(readText(docs.text), view, { participantName: () => `France ${HOSTILE}`, title: HOSTILE });
    const document = part(unzipDocx(bytes), 'word/document.xml');
    const paragraphs = texts(document);
    expect(paragraphs).toContain(`1.\tStates should cooperate ${KEPT}.`);
    expect(part(unzipDocx(bytes), 'docProps/core.xml').children.length).toBeGreaterThan(0);
    expect(paragraphs).toContain(`France ${KEPT} (FRA) \u2014 Replace words [Pending]`);
    expect(paragraphs.some((text) => text.includes(`cooperatework ${KEPT} ${KEPT}.`))).toBe(true);
    expect(paragraphs.some((text) => text.includes(`Rationale: ${KEPT}`) && text.includes(`by Marie ${KEPT}`))).toBe(true);
  });
});
