/**
 * End to end, revisions on one laptop: the chair's team cuts the zero draft, adds a paragraph after 7 (it reads
 * "7 bis" and 8 stays 8), compares the zero draft with the current text (one paragraph added, the typed words
 * underlined in the redline), cuts Rev.1 (numbers run 1..N again) and opens the zero draft read-only.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from '../helpers/web-harness.ts';
import { caretAtEndOfParagraph } from '../helpers/caret.ts';

const SHOTS = '/tmp/penholder-shots';
const TYPED = 'Delegations welcomed the revised timetable';

const paragraph = (page: Page, number: string) => page.locator(`[data-testid="editor"] [data-pid][data-number="${number}"]`);

/** The numbers the text shows, in order. */
function numbersShown(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="editor"] [data-pid][data-number]')].map((element) => element.getAttribute('data-number') ?? ''));
}

async function cut(page: Page, expectedLabel: string): Promise<void> {
  await page.getByTestId('view-revisions').click();
  await page.getByTestId('revision-cut-open').click();
  const dialog = page.getByTestId('revision-cut-dialog');
  await expect(dialog.getByTestId('revision-label').inputValue()).resolves.toBe(expectedLabel);
  await dialog.getByTestId('revision-note').fill(`${expectedLabel} for the informal consultations`);
  await dialog.getByTestId('revision-cut-submit').click();
  await page.locator(`[data-testid="revision-row"][data-label="${expectedLabel}"]`).waitFor();
}

describe('revisions on one laptop', () => {
  let local: WebHarness;
  let page: Page;
  const errors: string[] = [];
  let total = 0;
  let eighth = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    local = await startWebHarness();
    const context = await local.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(local.host.url);
    await paragraph(page, '8').waitFor({ timeout: 30_000 });
    total = (await numbersShown(page)).length;
    eighth = (await paragraph(page, '8').textContent()) ?? '';
  });

  afterAll(async () => {
    await local?.close();
  });

  test('the zero draft is cut and listed with its note and who cut it', async () => {
    await cut(page, 'Zero draft');
    const row = page.locator('[data-testid="revision-row"][data-label="Zero draft"]');
    await expect(row.textContent()).resolves.toContain('Zero draft for the informal consultations');
    await expect(page.getByTestId('revision-row').count()).resolves.toBe(1);
  });

  test('a paragraph added after 7 reads "7 bis" and 8 stays 8', async () => {
    await page.getByTestId('view-text').click();
    await caretAtEndOfParagraph(page, '7');
    await page.keyboard.press('Enter');
    await page.keyboard.type(TYPED);
    await expect.poll(() => paragraph(page, '7 bis').textContent()).toBe(TYPED);
    await expect(paragraph(page, '8').textContent()).resolves.toBe(eighth);
    const shown = await numbersShown(page);
    expect(shown).toHaveLength(total + 1);
    expect(shown.slice(6, 9)).toEqual(['7', '7 bis', '8']);
  });

  test('comparing the zero draft with the current text shows one paragraph added, the typed words underlined', async () => {
    await page.getByTestId('view-revisions').click();
    await page.getByTestId('compare-before').selectOption({ label: 'Zero draft' });
    await page.getByTestId('compare-after').selectOption({ label: 'Current text' });
    await page.getByTestId('compare-run').click();
    const view = page.getByTestId('compare-view');
    await expect(view.getByTestId('compare-summary').textContent()).resolves.toBe('0 changed, 1 added, 0 deleted, 0 moved');
    const rows = view.getByTestId('redline-row');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().getAttribute('data-kind')).resolves.toBe('added');
    await expect(rows.first().locator('ins').textContent()).resolves.toBe(TYPED);
    await expect(rows.first().locator('.redline-number').textContent()).resolves.toBe('7 bis');
    await page.screenshot({ path: `${SHOTS}/revisions-compare.png` });

    await view.getByTestId('compare-side').click();
    const side = view.getByTestId('side-by-side');
    await expect(side.locator('tbody tr').count()).resolves.toBe(1);
    await expect(side.locator('tbody tr td').nth(1).textContent()).resolves.toContain(TYPED);
    await expect(side.locator('tbody tr td').nth(0).textContent()).resolves.toBe('');
  });

  test('cutting Rev.1 numbers the text 1..N again: the new paragraph is 8', async () => {
    await cut(page, 'Rev.1');
    await page.getByTestId('view-text').click();
    await expect.poll(() => paragraph(page, '8').textContent()).toBe(TYPED);
    await expect(paragraph(page, '9').textContent()).resolves.toBe(eighth);
    const shown = await numbersShown(page);
    expect(shown).toEqual(Array.from({ length: total + 1 }, (_, index) => String(index + 1)));
  });

  test('the zero draft opens read-only: typing into it changes nothing', async () => {
    await page.getByTestId('view-revisions').click();
    await page.locator('[data-testid="revision-row"][data-label="Zero draft"]').getByTestId('revision-open').click();
    const reader = page.getByTestId('revision-reader');
    await expect(reader.getByTestId('revision-reader-label').textContent()).resolves.toBe('Zero draft — read-only');
    const text = reader.getByTestId('revision-text');
    await expect(text.getAttribute('contenteditable')).resolves.toBe('false');
    const before = await text.textContent();
    expect(before).not.toContain(TYPED);
    await expect(text.locator('[data-number]').count()).resolves.toBe(total);
    await text.locator('[data-number="3"]').click();
    await page.keyboard.type('tampering');
    await page.keyboard.press('Enter');
    await expect(text.textContent()).resolves.toBe(before);
    await page.getByTestId('view-text').click();
    await expect(page.getByTestId('editor').textContent()).resolves.not.toContain('tampering');
    expect(errors).toEqual([]);
  });
});
