/**
 * Round trip through Word: a document exported by cleanDocx (shared/export/docx) and imported again by importDocx
 * comes back the same: the header, paragraph count and kinds, numbering structure (numbered paragraphs, lettered
 * sub-paragraphs two deep, bullets), footnotes, tables (spans, header rows) and marks. Only the pids are new.
 * And the way back for proposals: a delegation edits the exported file with tracked changes while the chair moves
 * the text on (a paragraph added, so every number after it shifts; paragraphs reworded), and each change comes
 * back planned on the very paragraph it was made on, found by the hidden pid bookmark the export wrote, also after
 * LibreOffice has opened and saved the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { a, b, bi, br, doc, fn, h1, h2, header, i, li, ll, np, p, table, td, th, title, tr, u, ul } from '../../shared/schema/test-builder.ts';
import { cleanDocx, comparisonDocx } from '../../shared/export/docx/index.ts';
import { pidBookmarkName, pidFromBookmarkName } from '../../shared/export/docx/bookmarks.ts';
import { importDocx, planTrackedProposals, type ProposalPlan } from '../../shared/import/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { indexParagraphs, spanWording, textFragment } from '../../shared/model/negotiation/text.ts';
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

// ---------------------------------------------------------------------------------------------------------------
// A delegation's tracked changes, made in the exported document.xml as Word writes them.

const DELEGATION = 'Delegation of Ruritania';
const WHEN = '2026-07-01T10:00:00Z';
let changeId = 9000;
const attrs = () => `w:id="${++changeId}" w:author="${DELEGATION}" w:date="${WHEN}"`;
const textRun = (properties: string, text: string) => (text === '' ? '' : `<w:r>${properties}<w:t xml:space="preserve">${text}</w:t></w:r>`);
const insertion = (properties: string, text: string) => `<w:ins ${attrs()}>${textRun(properties, text)}</w:ins>`;
const deletion = (properties: string, text: string) => `<w:del ${attrs()}><w:r>${properties}<w:delText xml:space="preserve">${text}</w:delText></w:r></w:del>`;

/** Where the w:p holding the pid bookmark of `pid` stands in document.xml. */
function paragraphAt(xml: string, pid: string): { start: number; end: number } {
  const at = xml.indexOf(`w:name="${pidBookmarkName(pid)}"`);
  if (at < 0) throw new Error(`no bookmark for ${pid}`);
  const start = Math.max(xml.lastIndexOf('<w:p>', at), xml.lastIndexOf('<w:p ', at));
  return { start, end: xml.indexOf('</w:p>', at) + '</w:p>'.length };
}

/** document.xml with the paragraph bookmarked `pid` rewritten by `edit`. */
function editParagraph(xml: string, pid: string, edit: (paragraph: string) => string): string {
  const { start, end } = paragraphAt(xml, pid);
  return xml.slice(0, start) + edit(xml.slice(start, end)) + xml.slice(end);
}

const RUN = /<w:r(?:\s[^>]*)?>[\s\S]*?<\/w:r>/g;

/**
 * The words `phrase` of a paragraph (inside one run's text) replaced, as Word tracks it: the run cut in three, the
 * phrase deleted and `replacement` inserted in its place (`keep`: the phrase stays and `replacement` follows it).
 */
function trackWords(paragraph: string, phrase: string, replacement: string, keep = false): string {
  let done = false;
  const out = paragraph.replace(RUN, (run) => {
    const text = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/.exec(run);
    if (done || !text || !(text[1] as string).includes(phrase)) return run;
    const properties = /<w:rPr>[\s\S]*?<\/w:rPr>|<w:rPr\/>/.exec(run)?.[0] ?? '';
    if (run.replace(properties, '').replace(text[0], '').replace(/<w:r(?:\s[^>]*)?>|<\/w:r>/g, '') !== '') throw new Error(`the run of "${phrase}" holds more than text`);
    done = true;
    const whole = text[1] as string;
    const at = whole.indexOf(phrase);
    const before = whole.slice(0, at);
    const after = whole.slice(at + phrase.length);
    const changed = keep ? textRun(properties, phrase) + insertion(properties, replacement) : deletion(properties, phrase) + (replacement ? insertion(properties, replacement) : '');
    return textRun(properties, before) + changed + textRun(properties, after);
  });
  if (!done) throw new Error(`"${phrase}" is not in one run of the paragraph`);
  return out;
}

/** The whole paragraph deleted: its runs and its mark. */
function deleteParagraph(paragraph: string): string {
  const runs = paragraph.replace(RUN, (run) => `<w:del ${attrs()}>${run.replace(/<w:t(\s[^>]*)?>/g, '<w:delText$1>').replace(/<\/w:t>/g, '</w:delText>')}</w:del>`);
  const mark = `<w:rPr><w:del ${attrs()}/></w:rPr>`;
  if (/<w:pPr>[\s\S]*?<w:rPr\/>/.test(runs)) return runs.replace(/(<w:pPr>[\s\S]*?)<w:rPr\/>/, `$1${mark}`);
  if (/<w:pPr>[\s\S]*?<w:rPr><\/w:rPr>/.test(runs)) return runs.replace(/(<w:pPr>[\s\S]*?)<w:rPr><\/w:rPr>/, `$1${mark}`);
  return runs.replace('</w:pPr>', `${mark}</w:pPr>`);
}

/** A new paragraph typed after the one bookmarked `pid`: its mark and its words inserted. */
function insertParagraphAfter(xml: string, pid: string, text: string): string {
  const { end } = paragraphAt(xml, pid);
  return `${xml.slice(0, end)}<w:p><w:pPr><w:rPr><w:ins ${attrs()}/></w:rPr></w:pPr>${insertion('', text)}</w:p>${xml.slice(end)}`;
}

/** What Ruritania did to the file it received, paragraph by paragraph (named by pid, found by their bookmarks). */
function ruritaniaEdits(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes);
  let xml = strFromU8(files['word/document.xml'] as Uint8Array);
  xml = editParagraph(xml, 'zd-p04', (paragraph) => trackWords(paragraph, 'broad and active', 'broad, active and constructive'));
  xml = editParagraph(xml, 'zd-p07', (paragraph) => trackWords(paragraph, 'cumulative', 'incremental'));
  xml = editParagraph(xml, 'zd-p09', (paragraph) => trackWords(paragraph, 'floods and droughts', ', heatwaves', true));
  xml = editParagraph(xml, 'zd-p10', deleteParagraph);
  xml = insertParagraphAfter(xml, 'zd-p11', 'States stressed the need for open data standards.');
  xml = editParagraph(xml, 'zd-p12', (paragraph) => trackWords(paragraph, 'malicious interference', 'cyberattacks'));
  xml = editParagraph(xml, 'zd-p14-b', (paragraph) => trackWords(paragraph, 'lessons learned', 'good practices'));
  xml = editParagraph(xml, 'zd-t-r2c2', (paragraph) => trackWords(paragraph, '1 p.m.', '1.30 p.m.'));
  files['word/document.xml'] = strToU8(xml);
  return zipSync(files, { level: 6 });
}

/** ProseMirror JSON, loosely typed. */
interface NodeJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJson[];
  text?: string;
}

/** Every node with a pid in a JSON tree, by pid. */
function nodesByPid(root: NodeJson, found = new Map<string, NodeJson>()): Map<string, NodeJson> {
  for (const child of root.content ?? []) {
    const pid = child.attrs?.['pid'];
    if (typeof pid === 'string') found.set(pid, child);
    nodesByPid(child, found);
  }
  return found;
}

/**
 * The text as the chair has it when the file comes back: a paragraph added after paragraph 1 (every later number
 * moves up by one), and paragraphs 7 and 12 reworded, so that neither their numbers nor their wording find them.
 */
function chairsText(zeroDraft: unknown): ProseMirrorNode {
  const json = structuredClone(zeroDraft) as NodeJson;
  const body = json.content as NodeJson[];
  const after = body.findIndex((node) => node.attrs?.['pid'] === 'zd-p01');
  body.splice(after + 1, 0, { type: 'numbered_paragraph', attrs: { pid: 'chair-new' }, content: [{ type: 'text', text: 'The Chair informed the OEWG of the arrangements for the session.' }] });
  const nodes = nodesByPid(json);
  (nodes.get('zd-p07') as NodeJson).content = [{ type: 'text', text: 'Consensus remains the basis of all OEWG work, which stays cumulative.' }];
  (nodes.get('zd-p12') as NodeJson).content = [
    { type: 'text', text: 'Dams, flood-warning systems and data platforms are exposed to malfunction, natural hazards and malicious interference, several States said.' },
  ];
  const node = schema.nodeFromJSON(json);
  node.check();
  return node;
}

/** The plans' spans read back from the text as D/text holds it (as the proposal writer will store them). */
function spansRead(current: ProseMirrorNode, plans: readonly ProposalPlan[]): string[] {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(current, ydoc.getXmlFragment(TEXT_FRAGMENT));
  const paragraphs = indexParagraphs(textFragment(ydoc)).elements;
  return plans.map((plan) => spanWording(paragraphs.get(plan.pid) as Y.XmlElement, plan.from, plan.to));
}

/** What every plan must be: [kind, pid, paragraph number now, quote, text]. */
const EXPECTED_PLANS = [
  ['replace', 'zd-p04', '5', 'broad and active', 'broad, active and constructive'],
  ['replace', 'zd-p07', '8', 'cumulative', 'incremental'],
  ['replace', 'zd-p09', '10', '', ', heatwaves'],
  ['delete-paragraph', 'zd-p10', '11', expect.stringMatching(/^States also noted that gaps/), ''],
  ['new-paragraph', 'zd-p11', '12', '', 'States stressed the need for open data standards.'],
  ['replace', 'zd-p12', '13', 'malicious interference', 'cyberattacks'],
  ['replace', 'zd-p14-b', '15 (b)', 'lessons learned', 'good practices'],
  ['replace', 'zd-t-r2c2', null, '1 p.m.', '1.30 p.m.'],
];

describe('a returned Word file planned back onto the text by its pid bookmarks', () => {
  let zeroDraft: unknown;
  let work = '';

  beforeAll(async () => {
    zeroDraft = JSON.parse(await readFile(`${repoRootForTests}/resources/sample/zero-draft.json`, 'utf8')) as unknown;
    work = await mkdtemp(join(tmpdir(), 'penholder-bookmarks-'));
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Imports the returned file and plans it against the chair's text, checking every plan against the text. */
  function planBack(returned: Uint8Array) {
    const current = chairsText(zeroDraft);
    const imported = importDocx(returned);
    const planned = planTrackedProposals(imported.tracked, current);
    return { ...planned, current, tracked: imported.tracked };
  }

  it('plans every change on its own paragraph, matched by id, though numbers shifted and wording changed', async () => {
    const exported = await cleanDocx(schema.nodeFromJSON(zeroDraft));
    const { plans, unmatched, current, tracked } = planBack(ruritaniaEdits(exported));
    expect(unmatched).toEqual([]);
    expect(plans.map((plan) => [plan.kind, plan.pid, plan.paragraphNumber, plan.quote, plan.text])).toEqual(EXPECTED_PLANS);
    expect(plans.every((plan) => plan.matchedBy === 'id' && plan.author === DELEGATION)).toBe(true);
    // Each replacement's span reads, in the chair's current text, exactly the words the delegation changed.
    const replaces = plans.filter((plan) => plan.kind === 'replace');
    expect(spansRead(current, replaces)).toEqual(replaces.map((plan) => plan.quote));
    // Without the bookmarks the reworded paragraphs are lost: the numbers point elsewhere and the words differ.
    const blind = planTrackedProposals(tracked.map((entry) => ({ ...entry, pid: null })), current);
    expect(blind.plans.map((plan) => plan.pid)).not.toContain('zd-p07');
    expect(blind.plans.map((plan) => plan.pid)).not.toContain('zd-p12');
  });

  it('keeps every pid bookmark through LibreOffice (docx to docx), and the changes made after come back the same', async () => {
    const sample = schema.nodeFromJSON(zeroDraft);
    const source = join(work, 'in', 'clean.docx');
    await mkdir(join(work, 'in'), { recursive: true });
    await writeFile(source, await cleanDocx(sample));
    await promisify(execFile)('soffice', ['--headless', `-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--convert-to', 'docx', '--outdir', join(work, 'out'), source], {
      timeout: 180_000,
    });
    const saved = new Uint8Array(await readFile(join(work, 'out', 'clean.docx')));
    const xml = strFromU8(unzipSync(saved)['word/document.xml'] as Uint8Array);
    const names = [...xml.matchAll(/<w:bookmarkStart\b[^>]*\bw:name="([^"]*)"/g)].map((match) => match[1] as string);
    const pids: string[] = [];
    sample.descendants((node) => {
      if (node.isTextblock && typeof node.attrs['pid'] === 'string') pids.push(node.attrs['pid']);
      return !node.isTextblock;
    });
    expect(names.map(pidFromBookmarkName).filter((pid) => pid !== null)).toEqual(pids);
    const { plans, unmatched } = planBack(ruritaniaEdits(saved));
    expect(unmatched).toEqual([]);
    expect(plans.map((plan) => [plan.kind, plan.pid, plan.paragraphNumber, plan.quote, plan.text])).toEqual(EXPECTED_PLANS);
    expect(plans.every((plan) => plan.matchedBy === 'id')).toBe(true);
  }, 240_000);
});
