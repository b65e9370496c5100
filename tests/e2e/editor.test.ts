/**
 * End to end in Chromium against the web build and the real main services: the sample opens, typing and paragraph
 * insertion renumber, undo works, text survives a reload and a restart, hostile paste is neutralised.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebHarness, type WebHarness } from '../helpers/web-harness.ts';
import { caretAtEndOfParagraph } from '../helpers/caret.ts';

let harness: WebHarness;
let page: Page;
const pageErrors: string[] = [];

/** The numbered paragraph that currently shows `number`. */
const numbered = (number: string) => page.locator(`.ProseMirror [data-pid][data-number="${number}"]`);

/** pid -> number for every numbered paragraph, in document order. */
async function numbering(): Promise<Array<[string, string]>> {
  return page.$$eval('.ProseMirror [data-pid][data-number]', (nodes) =>
    nodes.map((n) => [n.getAttribute('data-pid') ?? '', n.getAttribute('data-number') ?? ''] as [string, string]),
  );
}

async function waitSaved(): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="save-state"]')?.textContent?.trim() === 'Saved', undefined, {
    timeout: 15_000,
  });
}

beforeAll(async () => {
  harness = await startWebHarness();
  const context = await harness.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    pageErrors.push(`unexpected dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(harness.host.url);
  await page.waitForSelector('.ProseMirror[contenteditable="true"] [data-pid][data-number="40"]', { timeout: 30_000 });
});

afterAll(async () => {
  await harness?.close();
});

describe('the sample negotiation', () => {
  test('opens on first start as a UN document with numbered paragraphs, sections and footnotes', async () => {
    const numbers = await numbering();
    expect(numbers.length).toBeGreaterThanOrEqual(38);
    expect(numbers.map(([, n]) => n)).toEqual(numbers.map((_, i) => String(i + 1)));
    expect(new Set(numbers.map(([pid]) => pid)).size).toBe(numbers.length);
    await expect(page.locator('[data-testid="outline-item"]').count()).resolves.toBeGreaterThanOrEqual(40);
    await expect(page.locator('.ProseMirror table').count()).resolves.toBe(1);
    const wordCount = await page.locator('[data-testid="word-count"]').textContent();
    expect(wordCount).toMatch(/\d[\d,]* words/);
  });

  test('typing into paragraph 5 is saved, and a paragraph inserted after 7 renumbers the rest', async () => {
    const before = await numbering();
    await caretAtEndOfParagraph(page, '5');
    await page.keyboard.type(' Typed in paragraph five.');
    await expect(numbered('5').textContent()).resolves.toContain('Typed in paragraph five.');
    await waitSaved();

    await caretAtEndOfParagraph(page, '7');
    await page.keyboard.press('Enter');
    await page.keyboard.type('A new paragraph after seven.');
    const after = await numbering();
    expect(after.length).toBe(before.length + 1);
    await expect(numbered('8').textContent()).resolves.toBe('A new paragraph after seven.');
    // Every paragraph that followed 7 moved down by one, keeping its pid.
    for (let i = 7; i < before.length; i += 1) {
      const [pid, number] = before[i] as [string, string];
      const moved = after.find(([p]) => p === pid);
      expect(moved?.[1]).toBe(String(Number(number) + 1));
    }
    // The new paragraph has a fresh pid of its own.
    expect(before.map(([pid]) => pid)).not.toContain(after[7]?.[0]);
    await waitSaved();
  });

  test('undo removes the inserted paragraph and the numbering follows back', async () => {
    const before = await numbering();
    for (let i = 0; i < 5 && (await page.getByText('A new paragraph after seven.').count()) > 0; i += 1) {
      await page.keyboard.press('Control+z');
      await page.waitForTimeout(100);
    }
    await expect(page.getByText('A new paragraph after seven.').count()).resolves.toBe(0);
    const after = await numbering();
    expect(after.length).toBe(before.length - 1);
    expect(after.map(([, n]) => n)).toEqual(after.map((_, i) => String(i + 1)));
    await expect(numbered('5').textContent()).resolves.toContain('Typed in paragraph five.');
    await page.keyboard.press('Control+Shift+z');
    await expect(page.getByText('A new paragraph after seven.').count()).resolves.toBe(1);
    await page.keyboard.press('Control+z');
    await expect(page.getByText('A new paragraph after seven.').count()).resolves.toBe(0);
    await waitSaved();
  });

  test('a reload finds the text as saved', async () => {
    const before = await numbering();
    await page.reload();
    await page.waitForSelector('.ProseMirror[contenteditable="true"] [data-pid][data-number="5"]');
    await expect(numbered('5').textContent()).resolves.toContain('Typed in paragraph five.');
    await expect(page.getByText('A new paragraph after seven.').count()).resolves.toBe(0);
    expect(await numbering()).toEqual(before);
  });

  test('a restart of the services finds the text too', async () => {
    const host = await harness.restartHost();
    await page.goto(host.url);
    await page.waitForSelector('.ProseMirror[contenteditable="true"] [data-pid][data-number="5"]');
    await expect(numbered('5').textContent()).resolves.toContain('Typed in paragraph five.');
  });

  test('hostile pasted HTML runs nothing and loses its unsafe link', async () => {
    await caretAtEndOfParagraph(page, '3');
    await page.evaluate(() => {
      const html =
        '<p>Pasted safe words <a href="javascript:window.__pwned=\'link\'">hostile link</a>' +
        '<img src="x" onerror="window.__pwned=\'img\'"><script>window.__pwned=\'script\'</script>' +
        '<a href="https://example.org/agreed">agreed language</a></p>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Pasted safe words hostile link agreed language');
      const target = document.querySelector('.ProseMirror');
      target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const editorHtml = await page.locator('.ProseMirror').innerHTML();
    expect(editorHtml).toContain('hostile link');
    expect(editorHtml).not.toMatch(/javascript:/i);
    expect(editorHtml).not.toMatch(/onerror/i);
    // ProseMirror draws its own `img.ProseMirror-separator` caret helpers; no other image may arrive by paste.
    expect(await page.locator('.ProseMirror script, .ProseMirror img:not(.ProseMirror-separator), .ProseMirror img[src]').count()).toBe(0);
    const links = await page.$$eval('.ProseMirror a', (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
    expect(links.find((l) => l.text === 'hostile link')).toBeUndefined();
    expect(links).toContainEqual({ text: 'agreed language', href: 'https://example.org/agreed' });
    await waitSaved();
  });

  test('no script errors or dialogs on the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
