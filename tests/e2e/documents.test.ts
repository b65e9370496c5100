/**
 * End to end: creating, renaming, duplicating, trashing, restoring and deleting documents, and finding them again
 * after the services restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from '../helpers/web-harness.ts';

let harness: WebHarness;
let page: Page;
const pageErrors: string[] = [];

const TITLE = 'Chair’s discussion paper: draft elements';

const titles = (list: 'doc-item' | 'trash-item') =>
  page.$$eval(`[data-testid="${list}"] [data-testid="doc-title"]`, (nodes) => nodes.map((n) => n.textContent?.trim() ?? ''));

async function waitSaved(): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="save-state"]')?.textContent?.trim() === 'Saved', undefined, {
    timeout: 15_000,
  });
}

/** The list item of the document titled `title`. */
const item = (title: string) => page.locator('[data-testid="doc-item"]', { has: page.getByText(title, { exact: true }) });

beforeAll(async () => {
  harness = await startWebHarness();
  const context = await harness.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(harness.host.url);
  await page.waitForSelector('.ProseMirror[contenteditable="true"]');
  await page.waitForSelector('[data-testid="doc-item"]');
});

afterAll(async () => {
  await harness?.close();
});

describe('documents', () => {
  test('a new document opens with a header and one numbered paragraph, and can be written in', async () => {
    const before = (await titles('doc-item')).length;
    await page.getByTestId('new-document').click();
    await expect.poll(async () => (await titles('doc-item')).length).toBe(before + 1);
    await page.waitForSelector('.ProseMirror [data-pid][data-number="1"]');
    await expect(page.locator('.ProseMirror [data-pid][data-number]').count()).resolves.toBe(1);
    await page.locator('.ProseMirror [data-pid][data-number="1"]').click();
    await page.keyboard.type('The Chair proposes the following elements.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('A second paragraph.');
    await expect(page.locator('.ProseMirror [data-pid][data-number="2"]').textContent()).resolves.toBe('A second paragraph.');
    await waitSaved();
  });

  test('renaming in place', async () => {
    // The open document's list item: its open button carries aria-current="page".
    const li = page.locator('[data-testid="doc-item"]', { has: page.locator('button[aria-current="page"]') });
    await li.hover();
    await li.getByTestId('doc-rename').click();
    const input = page.getByTestId('rename-input');
    await input.fill(TITLE);
    await input.press('Enter');
    await expect.poll(() => titles('doc-item')).toContain(TITLE);
  });

  test('an empty title is refused and the old title kept', async () => {
    await item(TITLE).hover();
    await item(TITLE).getByTestId('doc-rename').click();
    const input = page.getByTestId('rename-input');
    await input.fill('   ');
    await input.press('Enter');
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/empty/i);
    await input.press('Escape');
    await expect.poll(() => titles('doc-item')).toContain(TITLE);
  });

  test('duplicate, trash, restore', async () => {
    await item(TITLE).hover();
    await item(TITLE).getByTestId('doc-duplicate').click();
    const copy = `${TITLE} (copy)`;
    await expect.poll(() => titles('doc-item')).toContain(copy);

    await item(copy).hover();
    await item(copy).getByTestId('doc-trash').click();
    await expect.poll(() => titles('doc-item')).not.toContain(copy);
    await page.getByTestId('show-trash').click();
    await expect.poll(() => titles('trash-item')).toContain(copy);

    const trashed = page.locator('[data-testid="trash-item"]', { has: page.getByText(copy, { exact: true }) });
    await trashed.getByTestId('doc-restore').click();
    await expect.poll(() => titles('trash-item')).not.toContain(copy);
    await page.getByTestId('show-documents').click();
    await expect.poll(() => titles('doc-item')).toContain(copy);
  });

  test('after a restart every document is found again, with its text', async () => {
    const before = (await titles('doc-item')).sort();
    const host = await harness.restartHost();
    await page.goto(host.url);
    await page.waitForSelector('[data-testid="doc-item"]');
    await expect.poll(async () => (await titles('doc-item')).sort()).toEqual(before);
    await item(TITLE).locator('button.doc-open').click();
    await page.waitForSelector('.ProseMirror [data-pid][data-number="2"]');
    await expect(page.locator('.ProseMirror [data-pid][data-number="1"]').textContent()).resolves.toBe('The Chair proposes the following elements.');
  });

  test('delete forever asks first, then the document is gone', async () => {
    const copy = `${TITLE} (copy)`;
    await item(copy).hover();
    await item(copy).getByTestId('doc-trash').click();
    await page.getByTestId('show-trash').click();
    const trashed = page.locator('[data-testid="trash-item"]', { has: page.getByText(copy, { exact: true }) });
    await trashed.getByTestId('doc-purge').click();
    await page.getByTestId('modal-cancel').click();
    await expect.poll(() => titles('trash-item')).toContain(copy);
    await trashed.getByTestId('doc-purge').click();
    await page.getByTestId('modal-confirm').click();
    await expect.poll(() => titles('trash-item')).not.toContain(copy);
    await page.getByTestId('show-documents').click();
    await expect.poll(() => titles('doc-item')).not.toContain(copy);
    expect(pageErrors).toEqual([]);
  });
});
