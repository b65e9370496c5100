/**
 * Caret placement for end-to-end tests: ProseMirror reads the DOM selection on the document's asynchronous
 * selectionchange event, so a key pressed before that event is handled would act on the old caret.
 */
import type { Page } from 'playwright-core';

/** Puts the caret at the end of the numbered paragraph showing `number`, and waits until the editor has taken it up. */
export async function caretAtEndOfParagraph(page: Page, number: string): Promise<void> {
  const target = page.locator(`.ProseMirror [data-pid][data-number="${number}"]`);
  await target.scrollIntoViewIfNeeded();
  await target.click();
  // Let the click's own selection change be handled first, so the wait below is for ours.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.evaluate(async (n) => {
    const element = document.querySelector(`.ProseMirror [data-pid][data-number="${n}"]`);
    if (!element) throw new Error(`no paragraph ${n}`);
    const changed = new Promise<void>((resolve) => document.addEventListener('selectionchange', () => resolve(), { once: true }));
    const range = document.createRange();
    range.selectNodeContents(element);
    range.collapse(false);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    await changed;
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  }, number);
}
