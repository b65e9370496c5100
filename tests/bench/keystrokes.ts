/**
 * Keystroke-to-paint latency as the benchmarks measure it: from a keydown's timestamp to the task after the next
 * animation frame (the frame that paints the key's effect), over a run of typed keys at a typist's pace.
 */
import type { Page } from 'playwright-core';

/** Types `keystrokes` keys where the caret is (letters, a space every 12th) and returns each one's latency in ms. */
export async function measureKeystrokes(page: Page, keystrokes: number): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __latencies: number[] };
    w.__latencies = [];
    document.addEventListener(
      'keydown',
      (event) => {
        const start = event.timeStamp;
        requestAnimationFrame(() => setTimeout(() => w.__latencies.push(performance.now() - start), 0));
      },
      true,
    );
  });
  for (let i = 0; i < keystrokes; i += 1) {
    await page.keyboard.press(i % 12 === 11 ? 'Space' : 'KeyA');
    await page.waitForTimeout(20);
  }
  await page.waitForTimeout(200);
  return page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies);
}
