/**
 * End to end, revisions on one laptop: the chair's team cuts the zero draft, adds a paragraph after 7 (it reads
 * "7 bis" and 8 stays 8), compares the zero draft with the current text (one paragraph added, the typed words
 * underlined in the redline; "Export…" there opens the Export dialog preset to exactly that comparison), cuts Rev.1
 * (numbers run 1..N again) and opens the zero draft read-only (its UN header and footnotes drawn as on the page;
 * "Export…" there presets the clean text of the zero draft). Then two
 * proposals recorded from the floor against Rev.1, one accepted and one rejected: once Rev.2 is cut their cards say
 * "Incorporated in Rev.2" and "Not incorporated in Rev.2", in the margin and in the compilation; and a comparison of
 * Rev.2 with the current text follows the text when an undo changes it.
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

/** The text of a numbered paragraph without what is drawn on it (proposals, badges): the text itself. */
function paragraphText(page: Page, number: string): Promise<string | null> {
  return page.evaluate((n) => {
    const element = document.querySelector(`[data-testid="editor"] [data-pid][data-number="${n}"]`);
    if (!element) return null;
    const copy = element.cloneNode(true) as Element;
    for (const drawn of copy.querySelectorAll('.remote-cursor, [contenteditable="false"]')) drawn.remove();
    return copy.textContent;
  }, number);
}

/** The cards of the paragraph numbered `number` in the margin. */
function cardsOf(page: Page, number: string) {
  return page
    .locator('[data-testid="margin-group"]')
    .filter({ has: page.locator('.margin-group-ref', { hasText: new RegExp(`^¶ ${number}$`) }) })
    .getByTestId('proposal-card');
}

/** Selects `words` in paragraph `number` as a mouse would, and waits until the editor has taken the selection up. */
async function selectWords(page: Page, number: string, words: string): Promise<void> {
  await paragraph(page, number).scrollIntoViewIfNeeded();
  await page.evaluate(
    async ({ n, w }) => {
      const element = document.querySelector(`[data-testid="editor"] [data-pid][data-number="${n}"]`);
      if (!element) throw new Error(`no paragraph ${n}`);
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node: Node | null;
      while ((node = walker.nextNode())) {
        const at = (node as Text).data.indexOf(w);
        if (at < 0 || node.parentElement?.closest('[contenteditable="false"]')) continue;
        const changed = new Promise<void>((resolve) => document.addEventListener('selectionchange', () => resolve(), { once: true }));
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + w.length);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
        await changed;
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        return;
      }
      throw new Error(`"${w}" is not in paragraph ${n}`);
    },
    { n: number, w: words },
  );
}

/** Records a replacement from the floor on behalf of `code`. */
async function proposeFromFloor(page: Page, options: { number: string; words: string; code: string; text: string }): Promise<void> {
  await selectWords(page, options.number, options.words);
  await page.getByTestId('propose-replace').click();
  const dialog = page.getByTestId('propose-dialog');
  await dialog.getByTestId('floor-code').fill(options.code);
  await dialog.getByTestId('proposal-text').fill(options.text);
  await dialog.getByTestId('dialog-submit').click();
  await expect(page.getByTestId('propose-dialog').count()).resolves.toBe(0);
}

/** Decides on a card: the chair accepts or rejects it with a reason. */
async function decide(page: Page, card: ReturnType<typeof cardsOf>, kind: 'accept' | 'reject', reason: string): Promise<void> {
  await card.getByTestId(`card-${kind}`).click();
  await page.getByTestId('decision-reason').fill(reason);
  await page.getByTestId('decision-dialog').getByTestId('dialog-submit').click();
  await expect(page.getByTestId('decision-dialog').count()).resolves.toBe(0);
}

/** Closes the messages in the corner, so a screenshot shows what is under them. */
async function dismissNotices(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss message' });
  // Information messages also leave by themselves after a few seconds: one may go between the count and the click.
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1_000 }).catch(() => undefined);
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
  let original3 = '';

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

    // Export… exports what is on screen: the comparison of these two sides, nothing to choose again.
    await view.getByTestId('compare-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-kind-comparison').isChecked()).resolves.toBe(true);
    const zeroDraft = await dialog.getByTestId('export-from').locator('option', { hasText: 'Zero draft' }).getAttribute('value');
    expect(zeroDraft).toMatch(/\S/);
    await expect(dialog.getByTestId('export-from').inputValue()).resolves.toBe(zeroDraft);
    await expect(dialog.getByTestId('export-to').inputValue()).resolves.toBe('current');
    await dialog.getByTestId('dialog-close').click();
    await expect(dialog.count()).resolves.toBe(0);
    // The comparison is still there to go back to.
    await expect(view.getByTestId('compare-summary').textContent()).resolves.toBe('0 changed, 1 added, 0 deleted, 0 moved');
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
    // Drawn as the page is: the UN header block, and footnotes as numbers with their text at the foot.
    await expect(text.getByTestId('document-header').count()).resolves.toBe(1);
    await expect(text.locator('.footnote-ref[data-footnote="1"]').count()).resolves.toBe(1);
    const footnotes = reader.getByTestId('revision-footnotes').locator('li');
    await expect(footnotes.count()).resolves.toBeGreaterThan(0);
    const firstFootnote = (await footnotes.first().textContent()) ?? '';
    expect(firstFootnote.length).toBeGreaterThan(3);
    await expect(text.textContent()).resolves.not.toContain(firstFootnote.replace(/^1/, ''));
    await page.screenshot({ path: `${SHOTS}/revisions-open-read-only.png` });
    await text.locator('[data-number="3"]').click();
    await page.keyboard.type('tampering');
    await page.keyboard.press('Enter');
    await expect(text.textContent()).resolves.toBe(before);

    // Export… presets the clean text of this revision.
    await reader.getByTestId('revision-reader-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('export-kind-clean').isChecked()).resolves.toBe(true);
    const zeroDraft = await dialog.getByTestId('export-version').locator('option', { hasText: 'Zero draft' }).getAttribute('value');
    await expect(dialog.getByTestId('export-version').inputValue()).resolves.toBe(zeroDraft);
    await dialog.getByTestId('dialog-close').click();
    await page.getByTestId('view-text').click();
    await expect(page.getByTestId('editor').textContent()).resolves.not.toContain('tampering');
    expect(errors).toEqual([]);
  });

  test('a proposal card names the revision it was made against, and no fate before the next is cut', async () => {
    await page.getByTestId('view-text').click();
    original3 = (await paragraphText(page, '3')) ?? '';
    expect(original3).toContain('adoption');
    await proposeFromFloor(page, { number: '3', words: 'adoption', code: 'FRA', text: 'endorsement' });
    await proposeFromFloor(page, { number: '6', words: 'progress', code: 'JPN', text: 'headway' });
    const taken = cardsOf(page, '3');
    const refused = cardsOf(page, '6');
    await paragraph(page, '3').scrollIntoViewIfNeeded();
    await expect(taken.getByTestId('card-made-against').textContent()).resolves.toBe('Made against Rev.1');
    await expect(taken.getByTestId('card-fate').count()).resolves.toBe(0);
    // Rejected first, accepted last: the accept (text and decision) is the step an undo takes back below.
    await paragraph(page, '6').scrollIntoViewIfNeeded();
    await decide(page, refused, 'reject', 'No support in the room.');
    await paragraph(page, '3').scrollIntoViewIfNeeded();
    await decide(page, taken, 'accept', 'Consensus in the room.');
    await expect.poll(() => paragraphText(page, '3')).toBe(original3.replace('adoption', 'endorsement'));
    await expect(taken.getByTestId('card-status').textContent()).resolves.toBe('Accepted');
  });

  test('once Rev.2 is cut, the accepted card reads "Incorporated in Rev.2" and the rejected one "Not incorporated"', async () => {
    await cut(page, 'Rev.2');
    await page.getByTestId('view-text').click();
    const taken = cardsOf(page, '3');
    const refused = cardsOf(page, '6');
    await paragraph(page, '3').scrollIntoViewIfNeeded();
    const takenFate = taken.getByTestId('card-fate');
    await expect.poll(() => takenFate.getAttribute('data-fate')).toBe('incorporated');
    // The words say it (the mark beside them is hidden from screen readers, the colour only helps the eye).
    await expect(takenFate.innerText()).resolves.toBe('✓ Incorporated in Rev.2');
    await expect(taken.getByTestId('card-made-against').textContent()).resolves.toBe('Made against Rev.1');
    await expect(taken.getByTestId('card-revision').textContent()).resolves.toBe('Made against Rev.1 · ✓ Incorporated in Rev.2');
    const box = await taken.boundingBox();
    const line = await taken.getByTestId('card-revision').boundingBox();
    if (!box || !line) throw new Error('the card is not laid out');
    expect(line.x + line.width).toBeLessThanOrEqual(box.x + box.width);
    await dismissNotices(page);
    await taken.screenshot({ path: `${SHOTS}/revisions-fate-card.png` });
    await page.screenshot({ path: `${SHOTS}/revisions-fate-margin.png` });

    await paragraph(page, '6').scrollIntoViewIfNeeded();
    await expect.poll(() => refused.getByTestId('card-fate').getAttribute('data-fate')).toBe('not incorporated');
    await expect(refused.getByTestId('card-fate').textContent()).resolves.toContain('Not incorporated in Rev.2');
    await refused.screenshot({ path: `${SHOTS}/revisions-fate-card-rejected.png` });

    // The compilation shows the same on its cards.
    await page.getByTestId('view-compilation').click();
    const compilation = page.getByTestId('compilation');
    await compilation.waitFor();
    const fates = compilation.getByTestId('card-fate');
    await expect.poll(() => fates.allTextContents()).toEqual(['✓ Incorporated in Rev.2', '✗ Not incorporated in Rev.2']);
    await compilation.locator('[data-testid="proposal-card"][data-code="FRA"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/revisions-fate-compilation.png` });
    expect(errors).toEqual([]);
  });

  test('a comparison of Rev.2 with the current text follows the text as it changes', async () => {
    await page.getByTestId('view-revisions').click();
    await page.getByTestId('compare-before').selectOption({ label: 'Rev.2' });
    await page.getByTestId('compare-after').selectOption({ label: 'Current text' });
    await page.getByTestId('compare-run').click();
    const view = page.getByTestId('compare-view');
    const summary = view.getByTestId('compare-summary');
    await expect(summary.textContent()).resolves.toBe('0 changed, 0 added, 0 deleted, 0 moved');
    await expect(view.getByTestId('compare-live').textContent()).resolves.toBe('Follows the current text as it is edited');

    // Undo takes back the accept: "endorsement" reads "adoption" again, and the open comparison follows.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => summary.textContent(), { timeout: 5_000 }).toBe('1 changed, 0 added, 0 deleted, 0 moved');
    const row = view.getByTestId('redline-row');
    await expect(row.locator('del').textContent()).resolves.toBe('endorsement');
    await expect(row.locator('ins').textContent()).resolves.toBe('adoption');
    await expect(view.getByTestId('compare-live').textContent()).resolves.toBe('Updated just now');
    await page.screenshot({ path: `${SHOTS}/revisions-compare-live.png` });

    // Going to the text and back keeps the comparison, still current; redo brings the text back to Rev.2's.
    await page.getByTestId('view-text').click();
    await expect.poll(() => paragraphText(page, '3')).toBe(original3);
    await page.getByTestId('view-revisions').click();
    await expect(page.getByTestId('compare-view').getByTestId('compare-summary').textContent()).resolves.toBe('1 changed, 0 added, 0 deleted, 0 moved');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => page.getByTestId('compare-summary').textContent(), { timeout: 5_000 }).toBe('0 changed, 0 added, 0 deleted, 0 moved');
    expect(errors).toEqual([]);
  });
});
