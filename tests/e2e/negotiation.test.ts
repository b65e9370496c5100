/**
 * End to end, a negotiation: a real sync server in this process, the chair and a delegation (FRA) each with their own
 * web host, workspace and Chromium context. The delegation proposes a replacement in paragraph 7 (the text is
 * read-only to it); the chair sees it in FRA's colour, accepts it with a reason, the text changes, and the
 * delegation sees "accepted" with the reason. A paragraph agreed ad ref refuses both the chair's typing (with a
 * notice) and the delegation's proposal (with a clear message). Then, with no server at all, the chair's team
 * records a proposal from the floor for FRA in a local document, accepts it, and one undo takes back both the text
 * change and the decision.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { startCollabHarness, type CollabHarness, type Participant } from '../helpers/collab-harness.ts';
import { startWebHarness, type WebHarness } from '../helpers/web-harness.ts';
import { caretAtEndOfParagraph } from '../helpers/caret.ts';

const SHOTS = '/tmp/penholder-shots';
const ACCOUNTS = [
  { name: 'Chair', password: 'chair-password-1', role: 'chair' as const },
  { name: 'france', password: 'france-password-3', role: 'delegation' as const, delegation: 'FRA' },
  { name: 'brasil', password: 'brasil-password-4', role: 'delegation' as const, delegation: 'BRA' },
];

let browser: Browser;
let harness: CollabHarness;
let chair: Participant;
let france: Participant;
let brasil: Participant;
let documentId = '';

const paragraph = (page: Page, number: string) => page.locator(`.ProseMirror [data-pid][data-number="${number}"]`);

/** The text of a numbered paragraph without what is drawn on it (proposals, badges, cursors): the text itself. */
function paragraphText(page: Page, number: string): Promise<string | null> {
  return page.evaluate((n) => {
    const element = document.querySelector(`.ProseMirror [data-pid][data-number="${n}"]`);
    if (!element) return null;
    const copy = element.cloneNode(true) as Element;
    for (const drawn of copy.querySelectorAll('.remote-cursor, [contenteditable="false"]')) drawn.remove();
    return copy.textContent;
  }, number);
}

/** "#rrggbb" as the browser reports a computed colour. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Selects `words` in paragraph `number` the way a mouse would (a browser selection over the text), and waits until
 * the selection change has been handled.
 */
async function selectWords(page: Page, number: string, words: string): Promise<void> {
  await paragraph(page, number).scrollIntoViewIfNeeded();
  await page.evaluate(
    async ({ n, w }) => {
      const element = document.querySelector(`.ProseMirror [data-pid][data-number="${n}"]`);
      if (!element) throw new Error(`no paragraph ${n}`);
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node: Node | null;
      while ((node = walker.nextNode())) {
        const text = (node as Text).data;
        const at = text.indexOf(w);
        // Not in what is drawn on the text (an inserted word, a badge); the whole text is not editable for a reader.
        const drawn = node.parentElement?.closest('[contenteditable="false"]');
        if (at < 0 || (drawn && element.contains(drawn))) continue;
        const changed = new Promise<void>((resolve) => document.addEventListener('selectionchange', () => resolve(), { once: true }));
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + w.length);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        await changed;
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        return;
      }
      throw new Error(`"${w}" is not in paragraph ${n}`);
    },
    { n: number, w: words },
  );
}

async function signIn(participant: Participant): Promise<void> {
  const { page } = participant;
  await page.getByTestId('connect-server').click();
  const dialog = page.getByTestId('connect-dialog');
  await dialog.getByTestId('connect-address').fill(participant.network.address);
  await dialog.getByTestId('connect-name').fill(participant.name);
  await dialog.getByTestId('connect-password').fill(participant.password);
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid="server-row"][data-signed-in="true"]').first().waitFor({ timeout: 15_000 });
}

async function waitOnline(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('connection-state').textContent(), { timeout: 30_000 }).toBe('Online');
}

/** Signs a delegation in, opens the published document from its list and waits until it is online. */
async function openAsDelegation(participant: Participant): Promise<void> {
  await signIn(participant);
  const { page } = participant;
  const item = page.locator(`[data-testid="remote-doc-item"][data-remote-id="${documentId}"]`);
  await item.waitFor({ timeout: 40_000 });
  await item.locator('button').click();
  await page.locator(`[data-testid="doc-item"].is-open[data-remote-id="${documentId}"]`).waitFor({ timeout: 30_000 });
  await paragraph(page, '7').waitFor({ timeout: 30_000 });
  await waitOnline(page);
}

/** The cards of the paragraph numbered `number` in the margin. */
function cardsOf(page: Page, number: string) {
  return page.locator(`[data-testid="margin-group"]`).filter({ has: page.locator('.margin-group-ref', { hasText: new RegExp(`^¶ ${number}$`) }) }).getByTestId('proposal-card');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  harness = await startCollabHarness(browser, ACCOUNTS);
  chair = await harness.join('Chair', ACCOUNTS[0]?.password ?? '');
  france = await harness.join('france', ACCOUNTS[1]?.password ?? '');
  brasil = await harness.join('brasil', ACCOUNTS[2]?.password ?? '');
});

afterAll(async () => {
  await harness?.close();
  await browser?.close();
});

describe('a negotiation on a server', () => {
  test('the chair publishes the sample; the delegation opens it read-only, with the proposal tools', async () => {
    await signIn(chair);
    await paragraph(chair.page, '7').waitFor();
    await chair.page.getByTestId('publish-open').click();
    await chair.page.getByTestId('publish-dialog').getByTestId('dialog-submit').click();
    await chair.page.locator('[data-testid="collab-bar"][data-shared="true"]').waitFor({ timeout: 15_000 });
    await waitOnline(chair.page);
    documentId = (await chair.page.locator('[data-testid="doc-item"][data-shared="true"]').getAttribute('data-doc-id')) ?? '';
    expect(documentId).toMatch(/^[a-z0-9-]{3,}$/);

    await openAsDelegation(france);
    await expect(france.page.locator('.ProseMirror').getAttribute('contenteditable')).resolves.toBe('false');
    await expect(france.page.getByTestId('negotiation-bar').getAttribute('data-role')).resolves.toBe('delegation');
    await expect(chair.page.getByTestId('negotiation-bar').getAttribute('data-role')).resolves.toBe('chair');
  });

  test('the delegation proposes a replacement in paragraph 7; the chair sees it in FRA’s colour', async () => {
    const { page } = france;
    const original = (await paragraphText(page, '7')) ?? '';
    expect(original).toContain('recalled');
    await selectWords(page, '7', 'recalled');
    await page.getByTestId('propose-replace').click();
    const dialog = page.getByTestId('propose-dialog');
    await expect(dialog.getByTestId('proposal-quote').textContent()).resolves.toBe('recalled');
    await dialog.getByTestId('proposal-text').fill('reaffirmed');
    await dialog.getByTestId('proposal-rationale').fill('Agreed language from the first report.');
    await dialog.getByTestId('proposal-agreed').fill('A/78/265, para. 23 (a)');
    await page.screenshot({ path: `${SHOTS}/negotiation-propose-dialog.png` });
    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('propose-dialog').count()).resolves.toBe(0);

    // Drawn at once in the delegation's own text, and the text itself is untouched.
    await expect.poll(() => page.locator('.ProseMirror [data-number="7"] ins.ph-prop-ins[data-code="FRA"]').textContent(), { timeout: 10_000 }).toBe('reaffirmed');
    expect(await paragraphText(page, '7')).toBe(original);

    // The chair sees it: struck words and inserted words in FRA's colour, a card in the margin, a badge. (Paragraphs
    // are drawn when they come near the screen.)
    await paragraph(chair.page, '7').scrollIntoViewIfNeeded();
    const inserted = chair.page.locator('.ProseMirror [data-number="7"] ins.ph-prop-ins[data-code="FRA"]');
    await inserted.waitFor({ timeout: 20_000 });
    await expect(inserted.textContent()).resolves.toBe('reaffirmed');
    // FRA's colour: the one its card carries, and not the text's black.
    const inkOf = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => getComputedStyle(el).color);
    const struck = chair.page.locator('.ProseMirror [data-number="7"] .ph-prop-del[data-code="FRA"]');
    await expect(struck.textContent()).resolves.toBe('recalled');
    await expect(struck.evaluate((el) => getComputedStyle(el).textDecorationLine)).resolves.toContain('line-through');
    await expect(chair.page.locator('.ProseMirror [data-number="7"] .ph-neg-badge').textContent()).resolves.toBe('1');
    await paragraph(chair.page, '7').scrollIntoViewIfNeeded();
    // The badge sits in the page's right margin and is really painted there (not clipped by its paragraph).
    const badgeShown = await chair.page.locator('.ProseMirror [data-number="7"] .ph-neg-badge').evaluate((el) => {
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit === el || el.contains(hit);
    });
    expect(badgeShown).toBe(true);
    const card = cardsOf(chair.page, '7');
    await card.waitFor({ timeout: 10_000 });
    await expect(card.getAttribute('data-code')).resolves.toBe('FRA');
    const fraColor = rgb((await card.evaluate((el) => getComputedStyle(el).getPropertyValue('--prop-color'))).trim());
    expect(fraColor).not.toBe('rgb(0, 0, 0)');
    await expect(inkOf(inserted)).resolves.toBe(fraColor);
    await expect(inkOf(struck)).resolves.toBe(fraColor);
    await expect(card.locator('.card-code').evaluate((el) => getComputedStyle(el).color)).resolves.toBe(fraColor);
    await expect(card.getByTestId('card-agreed-language').textContent()).resolves.toContain('A/78/265, para. 23 (a)');
    await chair.page.screenshot({ path: `${SHOTS}/negotiation-chair-sees-proposal.png` });
  });

  test('another delegation supports it; everyone sees who supports it and how many', async () => {
    await openAsDelegation(brasil);
    const { page } = brasil;
    await paragraph(page, '7').scrollIntoViewIfNeeded();
    const card = cardsOf(page, '7');
    await card.waitFor({ timeout: 20_000 });
    // Not its own proposal: it may support, oppose or co-sponsor, and withdraw nothing.
    await expect(card.getByTestId('card-withdraw').count()).resolves.toBe(0);
    await card.getByTestId('card-support').click();
    await expect.poll(() => card.getByTestId('card-support').getAttribute('aria-pressed')).toBe('true');
    // The chair and the author learn of BRA's doc from the server and show the position.
    for (const participant of [chair, france]) {
      await paragraph(participant.page, '7').scrollIntoViewIfNeeded();
      const seen = cardsOf(participant.page, '7').locator('[data-position="support"]');
      await expect.poll(() => seen.textContent(), { timeout: 20_000 }).toMatch(/Supported by BRA \(1\)/);
    }
    // The author may withdraw its own proposal.
    await expect(cardsOf(france.page, '7').getByTestId('card-withdraw').count()).resolves.toBe(1);
    await france.page.screenshot({ path: `${SHOTS}/negotiation-supported.png` });
  });

  test('the chair accepts it with a reason: the text changes and the delegation sees “accepted” with the reason', async () => {
    const card = cardsOf(chair.page, '7');
    await card.getByTestId('card-accept').click();
    const dialog = chair.page.getByTestId('decision-dialog');
    await dialog.getByTestId('decision-reason').fill('Agreed in the informal consultations.');
    await dialog.getByTestId('dialog-submit').click();
    await expect.poll(() => paragraphText(chair.page, '7'), { timeout: 10_000 }).toContain('reaffirmed');
    expect(await paragraphText(chair.page, '7')).not.toContain('recalled');
    await expect(chair.page.locator('.ProseMirror [data-number="7"] ins.ph-prop-ins').count()).resolves.toBe(0);
    await expect(card.getByTestId('card-status').textContent()).resolves.toBe('Accepted');

    const { page } = france;
    await expect.poll(() => paragraphText(page, '7'), { timeout: 20_000 }).toContain('reaffirmed');
    await paragraph(page, '7').scrollIntoViewIfNeeded();
    const own = cardsOf(page, '7');
    await expect.poll(() => own.getByTestId('card-status').textContent(), { timeout: 20_000 }).toBe('Accepted');
    await expect(own.getByTestId('card-decision').textContent()).resolves.toContain('Agreed in the informal consultations.');
    await page.screenshot({ path: `${SHOTS}/negotiation-delegation-sees-accepted.png` });
  });

  test('a paragraph agreed ad ref refuses the chair’s typing and the delegation’s proposal', async () => {
    const { page } = chair;
    // The chair marks paragraph 9 agreed ad ref.
    await caretAtEndOfParagraph(page, '9');
    await page.getByTestId('paragraph-status-open').click();
    const statusDialog = page.getByTestId('status-dialog');
    await statusDialog.getByTestId('status-agreed').check();
    await statusDialog.getByTestId('status-reason').fill('Agreed at the second reading.');
    await statusDialog.getByTestId('dialog-submit').click();
    await page.locator('.ProseMirror [data-number="9"] .ph-status-chip.is-agreed').waitFor({ timeout: 10_000 });

    // Typing into it changes nothing, and says why.
    const before = await paragraphText(page, '9');
    await caretAtEndOfParagraph(page, '9');
    await page.keyboard.type(' Sneaked in.');
    await page.keyboard.press('Enter');
    expect(await paragraphText(page, '9')).toBe(before);
    await expect
      .poll(() => page.getByTestId('notice').allTextContents(), { timeout: 5_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/Paragraph 9 is agreed ad ref and locked: nothing was changed/)]));
    await page.screenshot({ path: `${SHOTS}/negotiation-agreed-refuses-edit.png` });

    // The delegation sees it locked, and its proposal is refused with a clear message; nothing is tabled.
    const delegation = france.page;
    await paragraph(delegation, '9').scrollIntoViewIfNeeded();
    await delegation.locator('.ProseMirror [data-number="9"] .ph-status-chip.is-agreed').waitFor({ timeout: 20_000 });
    expect(await paragraphText(delegation, '9')).toBe(before);
    const firstWord = (before ?? '').split(' ')[1] ?? '';
    await selectWords(delegation, '9', firstWord);
    await delegation.getByTestId('propose-replace').click();
    const dialog = delegation.getByTestId('propose-dialog');
    await expect(dialog.getByTestId('propose-locked').textContent()).resolves.toMatch(/agreed ad ref and locked/);
    await dialog.getByTestId('proposal-text').fill('Something else');
    await dialog.getByTestId('dialog-submit').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent(), { timeout: 5_000 }).toMatch(/agreed ad ref and locked: the Chair must reopen it/);
    await delegation.screenshot({ path: `${SHOTS}/negotiation-agreed-refuses-proposal.png` });
    await dialog.getByTestId('dialog-close').click();
    await expect(delegation.locator('.ProseMirror [data-number="9"] .ph-prop').count()).resolves.toBe(0);
    await expect(page.locator('.ProseMirror [data-number="9"] .ph-prop').count()).resolves.toBe(0);
  });

  test('no script errors or dialogs on the way', () => {
    for (const participant of harness.participants) expect(participant.errors, participant.name).toEqual([]);
  });
});

describe('a negotiation on one laptop, without a server', () => {
  let local: WebHarness;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    local = await startWebHarness();
    const context = await local.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(local.host.url);
    await paragraph(page, '3').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await local?.close();
  });

  test('the chair records a proposal from the floor for FRA, accepts it, and one undo takes back both', async () => {
    const original = (await paragraphText(page, '3')) ?? '';
    expect(original).toContain('adoption');
    await selectWords(page, '3', 'adoption');
    await page.getByTestId('propose-replace').click();
    const dialog = page.getByTestId('propose-dialog');
    await dialog.getByTestId('floor-code').fill('FRA');
    await dialog.getByTestId('floor-speaker').fill('Ms. Dupont');
    await dialog.getByTestId('proposal-text').fill('endorsement');
    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('propose-dialog').count()).resolves.toBe(0);

    const card = cardsOf(page, '3');
    await card.waitFor({ timeout: 10_000 });
    await expect(card.getAttribute('data-code')).resolves.toBe('FRA');
    await expect(card.getByTestId('card-floor').textContent()).resolves.toMatch(/recorded from the floor by Chair/);
    await expect(page.locator('.ProseMirror [data-number="3"] ins.ph-prop-ins[data-code="FRA"]').textContent()).resolves.toBe('endorsement');
    await page.screenshot({ path: `${SHOTS}/negotiation-local-floor.png` });

    await card.getByTestId('card-accept').click();
    await page.getByTestId('decision-reason').fill('Consensus in the room.');
    await page.getByTestId('decision-dialog').getByTestId('dialog-submit').click();
    await expect.poll(() => paragraphText(page, '3'), { timeout: 5_000 }).toBe(original.replace('adoption', 'endorsement'));
    await expect(card.getByTestId('card-status').textContent()).resolves.toBe('Accepted');

    // One undo: the text reads as before and the proposal is pending again (no decision recorded).
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => paragraphText(page, '3'), { timeout: 5_000 }).toBe(original);
    await expect.poll(() => card.getByTestId('card-status').textContent(), { timeout: 5_000 }).toBe('Pending');
    await expect(card.getByTestId('card-decision').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/negotiation-local-undone.png` });

    // Redo brings both back.
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => paragraphText(page, '3'), { timeout: 5_000 }).toBe(original.replace('adoption', 'endorsement'));
    await expect.poll(() => card.getByTestId('card-status').textContent(), { timeout: 5_000 }).toBe('Accepted');

    // The record survives a reload: it is in the local workspace, like the text.
    await page.reload();
    await paragraph(page, '3').waitFor({ timeout: 30_000 });
    expect(await paragraphText(page, '3')).toBe(original.replace('adoption', 'endorsement'));
    await paragraph(page, '3').scrollIntoViewIfNeeded();
    await expect.poll(() => cardsOf(page, '3').getByTestId('card-status').textContent(), { timeout: 10_000 }).toBe('Accepted');
    expect(errors).toEqual([]);
  });

  /** Records a proposal from the floor: selects `words` (or puts the caret in the paragraph) and fills the dialog. */
  async function recordFromFloor(options: { number: string; words?: string; kind: string; code: string; text?: string; cosponsors?: string }): Promise<void> {
    if (options.words) await selectWords(page, options.number, options.words);
    else await caretAtEndOfParagraph(page, options.number);
    await page.getByTestId(`propose-${options.kind}`).click();
    const dialog = page.getByTestId('propose-dialog');
    await dialog.getByTestId('floor-code').fill(options.code);
    if (options.text !== undefined) await dialog.getByTestId('proposal-text').fill(options.text);
    if (options.cosponsors) await dialog.getByTestId('proposal-cosponsors').fill(options.cosponsors);
    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('propose-dialog').count()).resolves.toBe(0);
  }

  test('bad input is refused in the dialog with a clear message, and what was typed is kept', async () => {
    await caretAtEndOfParagraph(page, '2');
    await page.getByTestId('propose-replace').click();
    const dialog = page.getByTestId('propose-dialog');
    await dialog.getByTestId('floor-code').fill('XYZ');
    await dialog.getByTestId('proposal-text').fill('some words');
    await dialog.getByTestId('dialog-submit').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toMatch(/XYZ is not a known delegation code/);
    // An insertion of nothing.
    await dialog.getByTestId('floor-code').fill('FRA');
    await dialog.getByTestId('proposal-text').fill('');
    await dialog.getByTestId('dialog-submit').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toMatch(/inserts nothing/);
    await expect(dialog.getByTestId('floor-code').inputValue()).resolves.toBe('FRA');
    await dialog.getByTestId('dialog-close').click();
    await expect(page.locator('.ProseMirror [data-number="2"] .ph-prop').count()).resolves.toBe(0);
  });

  test('every kind of proposal shows in the text and the margin; positions, overtaken text, compilation and activity', async () => {
    await recordFromFloor({ number: '4', kind: 'new-paragraph', code: 'BRA', text: 'The OEWG welcomed the contributions of youth organizations.' });
    const ghost = page.locator('.ProseMirror [data-number="4"] .ph-ghost-paragraph[data-code="BRA"]');
    await expect(ghost.locator('.ph-ghost-label').textContent()).resolves.toBe('4 bis (proposed)');
    await expect(ghost.locator('.ph-ghost-text').textContent()).resolves.toContain('youth organizations');

    await recordFromFloor({ number: '5', kind: 'delete-paragraph', code: 'DEU', cosponsors: 'ZAF' });
    await expect(page.locator('.ProseMirror [data-number="5"] .ph-prop-delpara[data-code="DEU"]').count()).resolves.toBeGreaterThan(0);
    await recordFromFloor({ number: '6', words: 'progress', kind: 'replace', code: 'JPN', text: 'headway' });
    await recordFromFloor({ number: '2', words: 'consensus', kind: 'comment', code: 'CHN', text: 'Which session adopted it?' });
    await expect(page.locator('.ProseMirror [data-number="2"] .ph-prop-comment[data-code="CHN"]').textContent()).resolves.toBe('consensus');

    // A position stated on the floor: BRA supports the deletion (ZAF co-sponsors it, as listed by DEU).
    const deletion = cardsOf(page, '5');
    await paragraph(page, '5').scrollIntoViewIfNeeded();
    await deletion.getByTestId('card-more').click();
    await expect(deletion.getByTestId('card-history').textContent()).resolves.toMatch(/DEU.*tabled a proposal \(delete paragraph\).*recorded from the floor by Chair/);
    await deletion.getByTestId('card-floor-position').click();
    const floor = page.getByTestId('floor-position-dialog');
    await floor.getByTestId('floor-code').fill('BRA');
    await floor.getByTestId('floor-position-support').check();
    await floor.getByTestId('dialog-submit').click();
    await expect.poll(() => deletion.locator('[data-position="support"]').textContent()).toMatch(/Supported by BRA \(1\)/);
    await expect(deletion.locator('[data-position="cosponsor"]').textContent()).resolves.toMatch(/Co-sponsored by ZAF \(1\)/);

    // The chair changes the words under JPN's proposal: its card says so, with the old and the new wording.
    await selectWords(page, '6', 'progress');
    await page.keyboard.type('advances');
    await paragraph(page, '6').scrollIntoViewIfNeeded();
    const overtaken = cardsOf(page, '6').getByTestId('card-overtaken');
    await expect.poll(() => overtaken.textContent(), { timeout: 5_000 }).toMatch(/Then: progress.*the paragraph reads: .*advances/);

    // The chair brackets paragraph 8.
    await caretAtEndOfParagraph(page, '8');
    await page.keyboard.press('Alt+Shift+S');
    const status = page.getByTestId('status-dialog');
    await status.getByTestId('status-bracketed').check();
    await status.getByTestId('dialog-submit').click();
    await expect.poll(() => page.locator('.ProseMirror [data-number="8"] .ph-bracket').allTextContents()).toEqual(['[', ']']);

    await paragraph(page, '4').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/negotiation-local-kinds.png` });

    // Hiding a delegation's colour takes its marks out of the text and leaves its card.
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-hide-BRA').check();
    await page.screenshot({ path: `${SHOTS}/negotiation-filters.png` });
    await expect.poll(() => ghost.count()).toBe(0);
    await expect(cardsOf(page, '4').count()).resolves.toBe(1);
    await page.getByTestId('filters-reset').click();
    await expect.poll(() => ghost.count()).toBe(1);
    await page.keyboard.press('Escape');

    // The compilation lists every paragraph with its proposals; the activity log lists what happened.
    await page.getByTestId('view-compilation').click();
    const compilation = page.getByTestId('compilation');
    await compilation.waitFor();
    await expect(compilation.locator('[data-testid="compilation-row"]').count()).resolves.toBeGreaterThanOrEqual(40);
    await expect(compilation.getByTestId('proposal-card').count()).resolves.toBe(5);
    await page.screenshot({ path: `${SHOTS}/negotiation-compilation.png` });
    await page.getByTestId('view-activity').click();
    const activity = page.getByTestId('activity-log');
    await expect(activity.locator('[data-kind="decision"]').count()).resolves.toBe(1);
    await expect(activity.locator('[data-kind="position"]').count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(activity.locator('[data-kind="status"]').count()).resolves.toBe(1);
    await activity.getByTestId('activity-code').selectOption('BRA');
    await expect(activity.locator('[data-testid="activity-entry"]').count()).resolves.toBe(2);
    await page.screenshot({ path: `${SHOTS}/negotiation-activity.png` });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('activity-log').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  test('a proposed move is marked where it would land too, and that marker leads to the paragraph to move', async () => {
    const sourcePid = (await paragraph(page, '20').getAttribute('data-pid')) ?? '';
    const targetPid = (await paragraph(page, '1').getAttribute('data-pid')) ?? '';
    expect(sourcePid).not.toBe('');
    await caretAtEndOfParagraph(page, '20');
    await page.getByTestId('propose-move-paragraph').click();
    const dialog = page.getByTestId('propose-dialog');
    await dialog.getByTestId('floor-code').fill('FRA');
    await dialog.getByTestId('proposal-after').selectOption(targetPid);
    await dialog.getByTestId('dialog-submit').click();
    await expect(page.getByTestId('propose-dialog').count()).resolves.toBe(0);
    await expect.poll(() => page.locator(`.ProseMirror [data-pid="${sourcePid}"] .ph-prop-move[data-code="FRA"]`).textContent()).toBe('⇅ FRA: move to after 1');

    // At the destination: after paragraph 1 (and its sub-paragraphs), before paragraph 2, in FRA's colour.
    await paragraph(page, '1').scrollIntoViewIfNeeded();
    const marker = page.locator('.ProseMirror .ph-move-arrival[data-code="FRA"]');
    await marker.waitFor({ timeout: 10_000 });
    await expect(marker.textContent()).resolves.toBe('⇅ FRA proposes to move ¶20 here');
    await expect(marker.getAttribute('data-proposal')).resolves.toMatch(/^FRA-/);
    // Measured after two frames: the block just came on screen (content-visibility) and is laid out then.
    const measure = () => page.evaluate(async () => {
      await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
      const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect() ?? null;
      const arrival = document.querySelector('.ProseMirror .ph-move-arrival');
      const mark = arrival?.getBoundingClientRect() ?? null;
      const hit = mark ? document.elementFromPoint(mark.left + mark.width / 2, mark.top + mark.height / 2) : null;
      const editor = box('.ProseMirror');
      return {
        one: box('.ProseMirror [data-pid][data-number="1"]'),
        two: box('.ProseMirror [data-pid][data-number="2"]'),
        mark,
        painted: hit !== null && arrival !== null && (hit === arrival || arrival.contains(hit)),
        inside: mark !== null && editor !== null && mark.left >= editor.left && mark.right <= editor.right + 1,
        fitsText: arrival ? arrival.scrollWidth <= arrival.clientWidth : false,
        color: arrival ? getComputedStyle(arrival).color : '',
        declared: arrival ? getComputedStyle(arrival).getPropertyValue('--prop-color').trim() : '',
      };
    });
    await expect.poll(async () => {
      const { mark, two } = await measure();
      return mark !== null && two !== null && mark.bottom <= two.top;
    }).toBe(true);
    const place = await measure();
    expect(place.mark && place.one && place.two, JSON.stringify(place)).toBeTruthy();
    expect(place.mark?.top ?? 0).toBeGreaterThanOrEqual((place.one?.top ?? 0) + 1);
    expect(place.mark?.bottom ?? Infinity, JSON.stringify(place)).toBeLessThanOrEqual(place.two?.top ?? 0);
    expect(place.painted).toBe(true);
    expect(place.inside).toBe(true);
    expect(place.fitsText).toBe(true);
    expect(place.declared).toMatch(/^#[0-9a-f]{6}$/i);
    expect(place.color).toBe(rgb(place.declared));
    await page.screenshot({ path: `${SHOTS}/negotiation-move-destination.png` });

    // The paragraph to move is far below; the marker brings it to the middle of the screen, by mouse and by keyboard.
    const sourceInView = () =>
      paragraph(page, '20').evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
    expect(await sourceInView()).toBe(false);
    await marker.click();
    await expect.poll(sourceInView, { timeout: 5_000 }).toBe(true);
    await page.screenshot({ path: `${SHOTS}/negotiation-move-source-reached.png` });
    await paragraph(page, '1').scrollIntoViewIfNeeded();
    await expect.poll(sourceInView).toBe(false);
    await marker.focus();
    await page.keyboard.press('Enter');
    await expect.poll(sourceInView, { timeout: 5_000 }).toBe(true);

    // The card in the margin is the one the marker names.
    const card = page.locator(`[data-testid="proposal-card"][data-proposal="${(await marker.getAttribute('data-proposal')) ?? ''}"]`);
    expect(await card.count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
