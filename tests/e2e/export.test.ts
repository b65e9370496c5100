/**
 * End to end, exports from the browser build: the chair's team (recording as Ana Ortiz) cuts the zero draft of the
 * sample, adds a paragraph after 7 and deletes the last word of 4, then exports the clean text as Word (checked in
 * word/document.xml), as PDF (checked with pdftotext and pdfinfo), and the comparison of the zero draft with the
 * current text as Word with real tracked changes (w:ins and w:del) made by Ana Ortiz. From the Revisions view, the
 * comparison on screen and a revision opened read-only export exactly what they show. Each export shows its
 * progress and then a notice naming the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from '../helpers/web-harness.ts';
import { caretAtEndOfParagraph } from '../helpers/caret.ts';
import { documentXmlOf } from '../../shared/export/docx/test-xml.ts';

const SHOTS = '/tmp/penholder-shots';
const TYPED = 'Delegations welcomed the revised timetable for the consultations';
const SYMBOL_STEM = 'A-AC.301-2026-CRP.1';
/** The name the chair's team gives in "Recording as": Word must show it on the tracked changes. */
const RECORDER = 'Ana Ortiz';

const paragraph = (page: Page, number: string) => page.locator(`[data-testid="editor"] [data-pid][data-number="${number}"]`);

/** The text of word/document.xml in a downloaded .docx. */
function documentXml(file: string): string {
  return documentXmlOf(readFileSync(file));
}

/** The plain text of a .docx body: the text runs (w:t) joined, tags dropped. */
function wordText(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('');
}

/** The inserted and the deleted words of a comparison's document.xml, one string per w:ins / w:del. */
function trackedChanges(xml: string): { insertions: string[]; deletions: string[]; authors: string[] } {
  const insertions = [...xml.matchAll(/<w:ins\b[^>]*>([\s\S]*?)<\/w:ins>/g)].map((match) => wordText(match[1] ?? ''));
  const deletions = [...xml.matchAll(/<w:del\b[^>]*>([\s\S]*?)<\/w:del>/g)].map((match) =>
    [...(match[1] ?? '').matchAll(/<w:delText(?:\s[^>]*)?>([^<]*)<\/w:delText>/g)].map((m) => m[1]).join(''),
  );
  const authors = [...xml.matchAll(/<w:(?:ins|del) [^>]*w:author="([^"]*)"/g)].map((match) => match[1] ?? '');
  return { insertions, deletions, authors };
}

/** Records every progress stage and step the dialog shows, however briefly, from before the click. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { exportSeen: string[] }).exportSeen = seen;
    const observer = new MutationObserver(() => {
      const progress = document.querySelector('[data-testid="export-progress"]');
      if (!progress) return;
      const entry = `${progress.getAttribute('data-step') ?? ''}|${progress.querySelector('[data-testid="export-stage"]')?.textContent ?? ''}`;
      if (seen.at(-1) !== entry) seen.push(entry);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

function progressSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { exportSeen: string[] }).exportSeen);
}

/** Clicks Export in the dialog and answers the download it starts. */
async function exportAndDownload(page: Page): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-dialog').getByTestId('dialog-submit').click()]);
  return download;
}

describe('exports from the browser build', () => {
  let local: WebHarness;
  let page: Page;
  let downloads: string;
  const errors: string[] = [];
  let lastWordOfFour = '';
  let fourthAfter = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    downloads = mkdtempSync(join(tmpdir(), 'penholder-downloads-'));
    local = await startWebHarness();
    const context = await local.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(local.host.url);
    await paragraph(page, '8').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await local?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  test('the chair cuts the zero draft, then adds a paragraph after 7 and deletes the last word of 4', async () => {
    await page.getByTestId('person-name').fill(RECORDER);
    await page.getByTestId('view-revisions').click();
    await page.getByTestId('revision-cut-open').click();
    await page.getByTestId('revision-cut-dialog').getByTestId('revision-cut-submit').click();
    await page.locator('[data-testid="revision-row"][data-label="Zero draft"]').waitFor();
    await page.getByTestId('view-text').click();
    await caretAtEndOfParagraph(page, '7');
    await page.keyboard.press('Enter');
    await page.keyboard.type(TYPED);
    await expect.poll(() => paragraph(page, '7 bis').textContent()).toBe(TYPED);
    const fourth = (await paragraph(page, '4').textContent()) ?? '';
    lastWordOfFour = /(\S+)\.$/.exec(fourth)?.[1] ?? '';
    expect(lastWordOfFour).not.toBe('');
    await caretAtEndOfParagraph(page, '4');
    // Remove the word and its full stop, then put the stop back: "… the last word." -> "… the last."
    for (let i = 0; i < lastWordOfFour.length + 2; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.type('.');
    fourthAfter = `${fourth.slice(0, fourth.length - lastWordOfFour.length - 2)}.`;
    await expect.poll(() => paragraph(page, '4').textContent()).toBe(fourthAfter);
  });

  test('the clean text downloads as Word with the new paragraph, after a progress bar and a notice', async () => {
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-kind-clean').isChecked()).resolves.toBe(true);
    await expect(dialog.getByTestId('export-format-docx').isChecked()).resolves.toBe(true);
    await page.screenshot({ path: `${SHOTS}/export-dialog-clean.png` });
    await watchProgress(page);
    const download = await exportAndDownload(page);
    expect(download.suggestedFilename()).toBe(`${SYMBOL_STEM} (clean).docx`);
    const file = join(downloads, 'clean.docx');
    await download.saveAs(file);
    const body = wordText(documentXml(file));
    expect(body).toContain(TYPED);
    expect(body).toContain(fourthAfter);
    const notice = page.getByTestId('notice').filter({ hasText: 'Exported to' });
    await expect(notice.textContent()).resolves.toBe(`Exported to ${SYMBOL_STEM} (clean).docx.`);
    await expect(dialog.count()).resolves.toBe(0);
    const seen = await progressSeen(page);
    // The host's progress events reached the page: the bar counted the Word writer's steps.
    expect(seen[0]).toBe('saving-edits|Saving your last changes…');
    expect(seen.some((entry) => /^building\|Building the Word document… \d+%$/.test(entry))).toBe(true);
  });

  test('the clean text downloads as a PDF that pdftotext reads and pdfinfo counts', async () => {
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByTestId('export-format-pdf').check();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      (async () => {
        await dialog.getByTestId('dialog-submit').click();
        // Chromium takes a moment to print: the bar says so meanwhile.
        await expect.poll(() => dialog.getByTestId('export-stage').textContent(), { timeout: 30_000 }).toBe('Printing the PDF…');
        await page.screenshot({ path: `${SHOTS}/export-dialog-printing.png` });
      })(),
    ]);
    expect(download.suggestedFilename()).toBe(`${SYMBOL_STEM} (clean).pdf`);
    const file = join(downloads, 'clean.pdf');
    await download.saveAs(file);
    const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(words).toContain(TYPED);
    expect(words).toContain('A/AC.301/2026/CRP.1');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('notice').filter({ hasText: 'Exported to' }).last().textContent()).resolves.toBe(`Exported to ${SYMBOL_STEM} (clean).pdf.`);
  });

  test('the comparison of the zero draft with the current text downloads as Word with w:ins and w:del', async () => {
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByTestId('export-kind-comparison').check();
    // Markdown cannot show changes, so it is not offered for a comparison.
    await expect(dialog.getByTestId('export-format-md').count()).resolves.toBe(0);
    const zeroDraft = await dialog.getByTestId('export-from').locator('option', { hasText: 'Zero draft' }).getAttribute('value');
    await dialog.getByTestId('export-from').selectOption(zeroDraft ?? '');
    await dialog.getByTestId('export-to').selectOption({ label: 'Current text' });
    // The dialog says whose changes Word will show: the name given in "Recording as".
    await expect(dialog.getByTestId('export-author-note').textContent()).resolves.toBe(`In Word, the changes are tracked as made by ${RECORDER}.`);
    await page.screenshot({ path: `${SHOTS}/export-dialog-comparison.png` });
    const download = await exportAndDownload(page);
    expect(download.suggestedFilename()).toBe(`${SYMBOL_STEM} Zero draft to current text (comparison).docx`);
    const file = join(downloads, 'comparison.docx');
    await download.saveAs(file);
    const xml = documentXml(file);
    const { insertions, deletions, authors } = trackedChanges(xml);
    expect(insertions.join('')).toContain(TYPED);
    expect(deletions.join(' ')).toContain(lastWordOfFour);
    expect(xml).toMatch(/<w:ins [^>]*w:author="[^"]+"[^>]*w:date="\d{4}-\d{2}-\d{2}T/);
    // Every change is the person's, not the app's.
    expect(authors.length).toBeGreaterThan(1);
    expect(new Set(authors)).toEqual(new Set([RECORDER]));
    expect(errors).toEqual([]);
  });

  test('the comparison shown in Revisions exports exactly its two sides, preset in the Export dialog', async () => {
    await page.getByTestId('view-revisions').click();
    await page.getByTestId('compare-before').selectOption({ label: 'Zero draft' });
    await page.getByTestId('compare-after').selectOption({ label: 'Current text' });
    await page.getByTestId('compare-run').click();
    await page.getByTestId('compare-view').getByTestId('compare-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-kind-comparison').isChecked()).resolves.toBe(true);
    const zeroDraft = await dialog.getByTestId('export-from').locator('option', { hasText: 'Zero draft' }).getAttribute('value');
    await expect(dialog.getByTestId('export-from').inputValue()).resolves.toBe(zeroDraft);
    await expect(dialog.getByTestId('export-to').inputValue()).resolves.toBe('current');
    await expect(dialog.getByTestId('export-format-docx').isChecked()).resolves.toBe(true);
    await page.screenshot({ path: `${SHOTS}/export-dialog-from-compare.png` });
    const download = await exportAndDownload(page);
    expect(download.suggestedFilename()).toBe(`${SYMBOL_STEM} Zero draft to current text (comparison).docx`);
    const file = join(downloads, 'from-compare.docx');
    await download.saveAs(file);
    const { insertions, deletions, authors } = trackedChanges(documentXml(file));
    expect(insertions.join('')).toContain(TYPED);
    expect(deletions.join(' ')).toContain(lastWordOfFour);
    expect(new Set(authors)).toEqual(new Set([RECORDER]));

    // The other way round (current text to zero draft) swaps what Word inserts and deletes.
    await page.getByTestId('compare-before').selectOption({ label: 'Current text' });
    await page.getByTestId('compare-after').selectOption({ label: 'Zero draft' });
    await page.getByTestId('compare-run').click();
    await page.getByTestId('compare-view').getByTestId('compare-export').click();
    await expect(dialog.getByTestId('export-from').inputValue()).resolves.toBe('current');
    await expect(dialog.getByTestId('export-to').inputValue()).resolves.toBe(zeroDraft);
    const reversed = await exportAndDownload(page);
    const reversedFile = join(downloads, 'from-compare-reversed.docx');
    await reversed.saveAs(reversedFile);
    const swapped = trackedChanges(documentXml(reversedFile));
    expect(swapped.deletions.join('')).toContain(TYPED);
    expect(swapped.insertions.join(' ')).toContain(lastWordOfFour);
  });

  test('a revision opened read-only exports its own clean text, not the current one', async () => {
    await page.getByTestId('view-revisions').click();
    await page.getByTestId('compare-close').click();
    await page.locator('[data-testid="revision-row"][data-label="Zero draft"]').getByTestId('revision-open').click();
    await page.getByTestId('revision-reader').getByTestId('revision-reader-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-kind-clean').isChecked()).resolves.toBe(true);
    const zeroDraft = await dialog.getByTestId('export-version').locator('option', { hasText: 'Zero draft' }).getAttribute('value');
    await expect(dialog.getByTestId('export-version').inputValue()).resolves.toBe(zeroDraft);
    await page.screenshot({ path: `${SHOTS}/export-dialog-from-revision.png` });
    const download = await exportAndDownload(page);
    expect(download.suggestedFilename()).toContain('Zero draft');
    const file = join(downloads, 'zero-draft.docx');
    await download.saveAs(file);
    const body = wordText(documentXml(file));
    expect(body).not.toContain(TYPED);
    expect(body).toContain(`${lastWordOfFour}.`);
    await page.getByTestId('revision-reader-close').click();
    await page.getByTestId('view-text').click();
    expect(errors).toEqual([]);
  });

  test('a refused export is explained in the dialog, which stays open', async () => {
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByTestId('export-kind-comparison').check();
    await dialog.getByTestId('export-to').selectOption({ label: 'Current text' });
    await dialog.getByTestId('export-from').selectOption({ label: 'Current text' });
    await dialog.getByTestId('dialog-submit').click();
    await expect(dialog.getByTestId('form-error').textContent()).resolves.toBe('Choose two different versions to compare.');
    await dialog.getByTestId('dialog-close').click();
    await expect(dialog.count()).resolves.toBe(0);
  });
});
