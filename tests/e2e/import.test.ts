/**
 * End to end, Word files coming in, in Chromium against the web build over a real web host and workspace:
 * 1. a .docx written by the `docx` package (auto-numbered paragraphs, a footnote, a table, an image) imports as a new
 *    document that opens with its numbered paragraphs, footnote and table, and the report lists the image as not kept;
 * 2. on the sample negotiation, a delegation's returned file with tracked changes against paragraphs 3 (typed
 *    number) and 5 (no number: matched by text) and one paragraph that matches nothing is reviewed for FRA; one row is
 *    unticked, the rest recorded, and the margin shows France's proposal on 3 and nothing on 5;
 * 3. a damaged file gives a clear error and creates no document (as a new document and as proposals alike);
 * 4. the negotiation bar offers "Record from Word…" to the chair's team; three paragraphs a delegation inserted one
 *    after another after paragraph 7 are reviewed and recorded in Word's order: the margin cards and the proposed
 *    paragraphs drawn in the text read Alpha, Beta, Gamma, numbered 7 bis, 7 ter, 7 quater.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { strToU8, zipSync } from 'fflate';
import {
  AlignmentType,
  Document,
  FootnoteReferenceRun,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { repoRoot, startWebHarness, type WebHarness } from '../helpers/web-harness.ts';

const SHOTS = '/tmp/penholder-shots';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A 1x1 PNG: the image the import cannot keep. */
const PIXEL = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

/** A short draft as a delegation's secretariat would write it in Word. */
async function draftDocx(): Promise<Buffer> {
  const numbered = (text: string, footnote?: number) =>
    new Paragraph({
      numbering: { reference: 'paragraphs', level: 0 },
      children: [new TextRun(text), ...(footnote ? [new FootnoteReferenceRun(footnote)] : [])],
    });
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    numbering: {
      config: [{ reference: 'paragraphs', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    footnotes: { 1: { children: [new Paragraph('See A/80/123, para. 4.')] } },
    sections: [
      {
        children: [
          numbered('The working group met three times in Geneva during the intersessional period.'),
          numbered('Delegations welcomed the informal consultations convened by the Chair.', 1),
          new Table({
            rows: [new TableRow({ children: [cell('Date'), cell('Agenda item')] }), new TableRow({ children: [cell('8 December'), cell('Opening of the session')] })],
          }),
          new Paragraph({ children: [new ImageRun({ type: 'png', data: PIXEL, transformation: { width: 24, height: 24 } })] }),
          numbered('The working group will meet again in July.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const run = (text: string) => `<w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r>`;
let changeId = 1;
const ins = (text: string, author: string, date: string) =>
  `<w:ins w:id="${changeId++}" w:author="${escape(author)}" w:date="${date}"><w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:ins>`;
const del = (text: string, author: string, date: string) =>
  `<w:del w:id="${changeId++}" w:author="${escape(author)}" w:date="${date}"><w:r><w:delText xml:space="preserve">${escape(text)}</w:delText></w:r></w:del>`;
const typedNumber = (n: string) => `<w:r><w:t>${n}.</w:t></w:r><w:r><w:tab/></w:r>`;

/** A returned Word file with tracked changes, written part by part as Word lays it out. */
function trackedDocx(): Uint8Array {
  const who = 'Marie Dupont';
  const when = '2026-02-03T10:00:00Z';
  const paragraphs = [
    // Paragraph 3 of the sample, with its number typed: matched by number.
    `<w:p>${typedNumber('3')}${run('Since the adoption of its first annual progress report, the OEWG has held the ')}${del('following', who, when)}${ins('these', who, when)}${run(' meetings:')}</w:p>`,
    // Paragraph 5 of the sample, without a number: matched by its text.
    `<w:p>${run('The OEWG continued to benefit from the engagement of ')}${ins('all ', who, when)}${run(
      'interested stakeholders, including river basin organizations, regional and subregional organizations, non-governmental organizations, academia and the private sector, in accordance with the agreed modalities for their participation. Written inputs received from stakeholders were made available to all delegations.',
    )}</w:p>`,
    // A paragraph the text does not have: listed as not matched.
    `<w:p>${typedNumber('42')}${run('Delegations discussed the migration patterns of freshwater eels ')}${ins('at length', who, when)}${run('.')}</w:p>`,
  ];
  return packageDocx(paragraphs);
}

/** The three parts a Word file needs around its paragraphs. */
function packageDocx(paragraphs: readonly string[]): Uint8Array {
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${paragraphs.join('')}<w:sectPr/></w:body></w:document>`;
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(document),
  });
}

/** The plain text of the sample's numbered paragraphs by number (those without a footnote). */
function sampleParagraphs(): Map<number, string> {
  const sample = JSON.parse(readFileSync(join(repoRoot, 'resources', 'sample', 'zero-draft.json'), 'utf8')) as {
    content: Array<{ type: string; content?: Array<{ type: string; text?: string }> }>;
  };
  const out = new Map<number, string>();
  let number = 0;
  for (const block of sample.content) {
    if (block.type !== 'numbered_paragraph') continue;
    number += 1;
    const inline = block.content ?? [];
    if (inline.every((child) => child.type === 'text')) out.set(number, inline.map((child) => child.text ?? '').join(''));
  }
  return out;
}

/** A long returned file: one tracked insertion at the end of each of twelve paragraphs, for a review that must scroll. */
function manyChangesDocx(): Uint8Array {
  const paragraphs = [...sampleParagraphs()].slice(0, 12).map(
    ([number, text]) =>
      `<w:p>${typedNumber(String(number))}${run(text.slice(0, -1))}${ins(', as appropriate', 'Ana Silva', '2026-02-04T09:00:00Z')}${run(text.slice(-1))}</w:p>`,
  );
  return packageDocx(paragraphs);
}

/** A returned file in which the delegation inserted three paragraphs one after another after paragraph 7. */
function newParagraphsDocx(): Uint8Array {
  const sample = sampleParagraphs();
  const seventh = sample.get(7);
  const eighth = sample.get(8);
  if (!seventh || !eighth) throw new Error('the sample has no plain paragraphs 7 and 8');
  const who = 'Ana Silva';
  const when = '2026-02-05T09:00:00Z';
  const inserted = (text: string) =>
    `<w:p><w:pPr><w:rPr><w:ins w:id="${changeId++}" w:author="${who}" w:date="${when}"/></w:rPr></w:pPr>${ins(text, who, when)}</w:p>`;
  return packageDocx([
    `<w:p>${typedNumber('7')}${run(seventh)}</w:p>`,
    ...NEW_PARAGRAPHS.map(inserted),
    `<w:p>${typedNumber('8')}${run(eighth)}</w:p>`,
  ]);
}

/** The new paragraphs of {@link newParagraphsDocx}, in the file's order. */
const NEW_PARAGRAPHS = [
  'Alpha: States welcomed the first of the new paragraphs.',
  'Beta: States welcomed the second of the new paragraphs.',
  'Gamma: States welcomed the third of the new paragraphs.',
];

/** Bytes that start like a zip and then are not one. */
function damagedDocx(): Buffer {
  const bytes = Buffer.alloc(4096, 0x41);
  bytes.write('PK\u0003\u0004', 0, 'latin1');
  return bytes;
}

let harness: WebHarness;
let page: Page;
const errors: string[] = [];

const paragraph = (number: string) => page.locator(`.ProseMirror [data-pid][data-number="${number}"]`);

/** The cards of the paragraph numbered `number` in the margin. */
function cardsOf(number: string) {
  return page
    .locator('[data-testid="margin-group"]')
    .filter({ has: page.locator('.margin-group-ref', { hasText: new RegExp(`^¶ ${number}$`) }) })
    .getByTestId('proposal-card');
}

/** Clicks `trigger` and answers the file chooser it opens with one file. */
async function chooseFile(trigger: () => Promise<void>, name: string, bytes: Uint8Array): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), trigger()]);
  await chooser.setFiles({ name, mimeType: DOCX_MIME, buffer: Buffer.from(bytes) });
}

/** How many proposals the open document holds, as the compilation counts them (the margin draws only those on screen). */
async function proposalTotal(): Promise<number> {
  await page.getByTestId('view-compilation').click();
  const count = page.getByTestId('compilation').getByTestId('compilation-count');
  const total = Number(await count.getAttribute('data-proposals'));
  await page.getByTestId('view-text').click();
  return total;
}

async function documentCount(): Promise<number> {
  return page.getByTestId('doc-item').count();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  harness = await startWebHarness();
  const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(harness.host.url);
  // The first start opens the sample negotiation.
  await paragraph('3').waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await harness?.close();
});

describe('importing a Word document', () => {
  test('a .docx becomes a new document with its numbered paragraphs, footnote and table; the report lists the image', async () => {
    const before = await documentCount();
    await chooseFile(() => page.getByTestId('import-word').click(), 'Intersessional draft.docx', await draftDocx());

    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    await expect.poll(documentCount).toBe(before + 1);
    const opened = page.locator('[data-testid="doc-item"].is-open');
    await expect(opened.getByTestId('doc-title').textContent()).resolves.toMatch(/Intersessional draft|working group/i);

    // Kept: counts; not kept: the image, with how many.
    const kept = await report.getByTestId('import-kept').textContent();
    expect(kept).toContain('3 numbered paragraphs');
    expect(kept).toContain('1 footnote');
    expect(kept).toContain('1 table');
    const notKept = report.getByTestId('import-not-kept-item');
    await expect(notKept.count()).resolves.toBeGreaterThan(0);
    await expect(report.getByTestId('import-not-kept').textContent()).resolves.toMatch(/image|picture|drawing/i);
    await page.screenshot({ path: `${SHOTS}/import-report.png` });
    const box = await report.boundingBox();
    expect(box && box.height < 900 && box.width < 1440).toBe(true);
    await report.getByTestId('dialog-close').click();
    await expect(page.getByTestId('import-report').count()).resolves.toBe(0);

    // The text itself, in the editor: three numbered paragraphs, the footnote, the table.
    await expect(paragraph('1').textContent()).resolves.toContain('met three times in Geneva');
    await expect(paragraph('2').textContent()).resolves.toContain('informal consultations');
    await expect(paragraph('3').textContent()).resolves.toContain('meet again in July');
    await expect(page.getByTestId('footnote-item').first().textContent()).resolves.toContain('A/80/123, para. 4');
    await expect(page.locator('.ProseMirror table').count()).resolves.toBe(1);
    await expect(page.locator('.ProseMirror table').textContent()).resolves.toContain('Opening of the session');
    await page.screenshot({ path: `${SHOTS}/import-document.png` });
  });

  test('a damaged file gives a clear error and creates no document', async () => {
    const before = await documentCount();
    await chooseFile(() => page.getByTestId('import-word').click(), 'Damaged.docx', damagedDocx());
    const notice = page.locator('[data-testid="notice"][role="alert"]').filter({ hasText: 'Damaged.docx' });
    await notice.waitFor({ timeout: 30_000 });
    await expect(notice.textContent()).resolves.toMatch(/could not be imported.*Nothing was created/);
    expect(await documentCount()).toBe(before);
    await expect(page.getByTestId('import-report').count()).resolves.toBe(0);
    await notice.getByRole('button', { name: 'Dismiss message' }).click();
  });
});

describe('importing proposals from a returned Word file', () => {
  test('the review lists each planned proposal; the ticked ones are recorded for France, the unticked one is not', async () => {
    // Back to the sample negotiation.
    await page.locator('[data-testid="doc-item"]').filter({ hasText: /progress report|Sample/i }).first().locator('.doc-open').click();
    await paragraph('5').waitFor({ timeout: 30_000 });
    await expect(cardsOf('3').count()).resolves.toBe(0);
    await expect(cardsOf('5').count()).resolves.toBe(0);

    await page.locator('[data-testid="doc-item"].is-open').getByTestId('doc-import-proposals').click();
    const dialog = page.getByTestId('import-proposals-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('import-delegation').fill('FRA');
    await expect(dialog.getByTestId('import-delegation-name').textContent()).resolves.toBe('France');
    await chooseFile(() => dialog.getByTestId('dialog-submit').click(), 'France returns.docx', trackedDocx());

    const plans = dialog.getByTestId('import-plan');
    await plans.first().waitFor({ timeout: 30_000 });
    await expect(plans.count()).resolves.toBe(2);
    const on3 = plans.filter({ has: page.locator('[data-testid="import-plan-ref"]', { hasText: /^¶ 3$/ }) });
    const on5 = plans.filter({ has: page.locator('[data-testid="import-plan-ref"]', { hasText: /^¶ 5$/ }) });
    await expect(on3.locator('del').textContent()).resolves.toBe('following');
    await expect(on3.locator('ins').textContent()).resolves.toBe('these');
    await expect(on3.getByTestId('import-plan-match').getAttribute('data-matched-by')).resolves.toBe('number');
    await expect(on3.getByTestId('import-plan-meta').textContent()).resolves.toMatch(/Marie Dupont · 3 Feb 2026/);
    await expect(on5.locator('ins').textContent()).resolves.toBe('all ');
    await expect(on5.getByTestId('import-plan-match').getAttribute('data-matched-by')).resolves.toBe('text');
    // The strike and the bold underline of the margin cards.
    await expect(on3.locator('del').evaluate((el) => getComputedStyle(el).textDecorationLine)).resolves.toContain('line-through');
    await expect(on3.locator('ins').evaluate((el) => [getComputedStyle(el).textDecorationLine, getComputedStyle(el).fontWeight])).resolves.toEqual(['underline', '700']);
    // The paragraph the text does not have, with why.
    const unmatched = dialog.getByTestId('import-unmatched-item');
    await expect(unmatched.count()).resolves.toBe(1);
    await expect(unmatched.textContent()).resolves.toMatch(/freshwater eels.*no paragraph 42/i);

    await expect(dialog.getByTestId('dialog-submit').textContent()).resolves.toBe('Record 2 proposals');
    await on5.getByTestId('import-plan-tick').uncheck();
    await expect(dialog.getByTestId('dialog-submit').textContent()).resolves.toBe('Record 1 proposal');
    await page.screenshot({ path: `${SHOTS}/import-review.png` });
    // Nothing is recorded before the button.
    await expect(cardsOf('3').count()).resolves.toBe(0);

    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('import-proposals-dialog').count()).resolves.toBe(0);
    const card = cardsOf('3');
    await card.waitFor({ timeout: 10_000 });
    await expect(card.count()).resolves.toBe(1);
    await expect(card.getAttribute('data-code')).resolves.toBe('FRA');
    await expect(card.locator('.card-wording del').textContent()).resolves.toBe('following');
    await expect(card.locator('.card-wording ins').textContent()).resolves.toBe('these');
    await expect(card.getByTestId('card-floor').textContent()).resolves.toMatch(/recorded from the floor/);
    await expect(cardsOf('5').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/import-recorded.png` });

    // The record is in the workspace like the text: it survives a reload.
    await page.reload();
    await expect.poll(() => cardsOf('3').count(), { timeout: 30_000 }).toBe(1);
    await expect(cardsOf('5').count()).resolves.toBe(0);
  });

  test('a long review scrolls inside a small window; cancelling it records nothing; a damaged file is refused in the dialog', async () => {
    await page.setViewportSize({ width: 1024, height: 640 });
    await paragraph('5').waitFor({ timeout: 30_000 });
    const proposalsBefore = await proposalTotal();
    expect(proposalsBefore).toBeGreaterThan(0);
    await page.locator('[data-testid="doc-item"].is-open').getByTestId('doc-import-proposals').click();
    const dialog = page.getByTestId('import-proposals-dialog');
    await dialog.getByTestId('import-delegation').fill('BRA');
    await chooseFile(() => dialog.getByTestId('dialog-submit').click(), 'Damaged.docx', damagedDocx());
    await expect.poll(() => dialog.getByTestId('form-error').textContent(), { timeout: 30_000 }).toMatch(/Damaged\.docx.*could not be imported/);

    await chooseFile(() => dialog.getByTestId('dialog-submit').click(), 'Brazil returns.docx', manyChangesDocx());
    await dialog.getByTestId('import-plan').first().waitFor({ timeout: 30_000 });
    await expect(dialog.getByTestId('import-plan').count()).resolves.toBe(12);
    await expect(dialog.getByTestId('dialog-submit').textContent()).resolves.toBe('Record 12 proposals');
    // The dialog stays inside the window with its buttons in view; the list scrolls instead.
    const box = await dialog.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= 640 && (box?.width ?? 0) <= 1024).toBe(true);
    await expect(dialog.getByTestId('dialog-submit').isVisible()).resolves.toBe(true);
    const submitBox = await dialog.getByTestId('dialog-submit').boundingBox();
    expect((submitBox?.y ?? 999) + (submitBox?.height ?? 0) <= 640).toBe(true);
    await page.screenshot({ path: `${SHOTS}/import-review-long.png` });
    await dialog.getByTestId('dialog-close').click();
    await expect(page.getByTestId('import-proposals-dialog').count()).resolves.toBe(0);
    await expect(proposalTotal()).resolves.toBe(proposalsBefore);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(errors).toEqual([]);
  });
  test('the bar offers “Record from Word…”; new paragraphs inserted one after another are recorded in Word’s order', async () => {
    await paragraph('7').waitFor({ timeout: 30_000 });
    await expect(cardsOf('7').count()).resolves.toBe(0);
    const fromWord = page.getByTestId('negotiation-bar').getByTestId('propose-from-word');
    await expect(fromWord.textContent()).resolves.toBe('Record from Word…');
    await fromWord.click();
    const dialog = page.getByTestId('import-proposals-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('import-delegation').fill('BRA');
    await chooseFile(() => dialog.getByTestId('dialog-submit').click(), 'Brazil new paragraphs.docx', newParagraphsDocx());
    const plans = dialog.getByTestId('import-plan');
    await plans.first().waitFor({ timeout: 30_000 });
    await expect(plans.count()).resolves.toBe(3);
    await expect(plans.locator('ins').allTextContents()).resolves.toEqual(NEW_PARAGRAPHS);
    await expect(plans.locator('.import-plan-kind').allTextContents()).resolves.toEqual([
      'New paragraph after it:',
      'New paragraph after the one above:',
      'New paragraph after the one above:',
    ]);
    await page.screenshot({ path: `${SHOTS}/import-review-new-paragraphs.png` });
    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('import-proposals-dialog').count()).resolves.toBe(0);

    // The margin lists them oldest first: recorded in Word's order, they read in it.
    await expect.poll(() => cardsOf('7').count(), { timeout: 10_000 }).toBe(3);
    await expect(cardsOf('7').locator('.card-wording ins').allTextContents()).resolves.toEqual(NEW_PARAGRAPHS);
    // And so do the proposed paragraphs drawn in the text, numbered as the sequence they make.
    const ghosts = paragraph('7').locator('.ph-ghost-paragraph');
    await expect(ghosts.locator('.ph-ghost-text').allTextContents()).resolves.toEqual(NEW_PARAGRAPHS);
    await expect(ghosts.locator('.ph-ghost-label').allTextContents()).resolves.toEqual(['7 bis (proposed)', '7 ter (proposed)', '7 quater (proposed)']);
    await paragraph('7').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/import-new-paragraphs-margin.png` });

    // The compilation lists them in the same order under paragraph 7.
    await page.getByTestId('view-compilation').click();
    const compiled = page.getByTestId('compilation').locator('[data-testid="proposal-card"][data-code="BRA"] .card-wording ins');
    await expect.poll(() => compiled.allTextContents()).toEqual(NEW_PARAGRAPHS);
    await page.getByTestId('view-text').click();
    expect(errors).toEqual([]);
  });
});
