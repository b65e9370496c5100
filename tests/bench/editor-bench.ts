/**
 * Editor benchmark: a generated 100-page document opened in Chromium against the web build and the real main services.
 *
 * Measures time from navigation to the first editable paint, and keystroke-to-paint latency over 300 keystrokes.
 * It reports figures; it never fails on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT, TEXT_YDOC } from '../../shared/model/ydocs.ts';
import { Workspace } from '../../main/storage/index.ts';
import { startWebHost } from '../../main/web/host.ts';
import { launchChromium } from '../helpers/browser.ts';
import { generateDocument } from '../helpers/generate-document.ts';
import { percentile } from './stats.ts';
import { measureKeystrokes } from './keystrokes.ts';

/** Figures from one run of the editor benchmark. */
export interface EditorBenchFigures {
  blocks: number;
  characters: number;
  updateBytes: number;
  openMs: number[];
  keystrokeP50Ms: number;
  keystrokeP95Ms: number;
  keystrokeMaxMs: number;
  keystrokes: number;
  /**
   * The same keystroke measurement on a 30-block document: the floor of this method on this machine (frame
   * scheduling of headless Chromium, software compositing), so the cost of document size can be read off.
   */
  floorKeystrokeP50Ms: number;
  floorKeystrokeP95Ms: number;
}

/** Keystroke-to-paint latencies of one document of `blocks` blocks, and how long it took to open. */
interface Measured {
  blocks: number;
  characters: number;
  updateBytes: number;
  openMs: number[];
  latencies: number[];
}

/** Runs the editor benchmark on a generated document of about 2,500 blocks and 300k characters. */
export async function runEditorBench(options: { staticDir: string; opens?: number; keystrokes?: number }): Promise<EditorBenchFigures> {
  const keystrokes = options.keystrokes ?? 300;
  const large = await measure({ staticDir: options.staticDir, blocks: 2500, opens: options.opens ?? 3, keystrokes });
  const small = await measure({ staticDir: options.staticDir, blocks: 30, opens: 1, keystrokes });
  return {
    blocks: large.blocks,
    characters: large.characters,
    updateBytes: large.updateBytes,
    openMs: large.openMs,
    keystrokeP50Ms: percentile(large.latencies, 50),
    keystrokeP95Ms: percentile(large.latencies, 95),
    keystrokeMaxMs: percentile(large.latencies, 100),
    keystrokes: large.latencies.length,
    floorKeystrokeP50Ms: percentile(small.latencies, 50),
    floorKeystrokeP95Ms: percentile(small.latencies, 95),
  };
}

async function measure(options: { staticDir: string; blocks: number; opens: number; keystrokes: number }): Promise<Measured> {
  const { opens, keystrokes } = options;
  const dir = mkdtempSync(join(tmpdir(), 'penholder-bench-'));
  const generated = generateDocument({ blocks: options.blocks, charsPerBlock: 120, seed: 7 });
  const ydoc = prosemirrorJSONToYDoc(schema, generated.json, TEXT_FRAGMENT);
  const update = Y.encodeStateAsUpdate(ydoc);
  const workspace = Workspace.open(join(dir, 'workspace'));
  const summary = workspace.create('Benchmark: 100 pages', [{ ydoc: TEXT_YDOC, update }]);
  workspace.setSetting('lastOpened', summary.id);
  workspace.setSetting('sampleCreated', 'true');
  workspace.close();

  const host = await startWebHost({ workspaceDir: join(dir, 'workspace'), port: 0, staticDir: options.staticDir });
  const browser = await launchChromium();
  try {
    const openMs: number[] = [];
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    for (let i = 0; i < opens; i += 1) {
      await page.goto(host.url, { waitUntil: 'commit' });
      await page.waitForFunction(
        (lastPid) => {
          const editor = document.querySelector('.ProseMirror[contenteditable="true"]');
          return editor !== null && document.querySelector(`.ProseMirror [data-pid="${lastPid}"]`) !== null;
        },
        generated.pids[generated.pids.length - 1],
        { timeout: 60_000, polling: 'raf' },
      );
      openMs.push(await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)))));
    }

    // Put the caret at the end of a paragraph in the middle of the document.
    const middle = generated.pids[Math.floor(generated.pids.length / 2)] as string;
    const target = page.locator(`.ProseMirror [data-pid="${middle}"]`);
    await target.scrollIntoViewIfNeeded();
    await target.click();
    await page.keyboard.press('End');
    const latencies = await measureKeystrokes(page, keystrokes);
    await context.close();
    return { blocks: generated.blocks, characters: generated.characters, updateBytes: update.byteLength, openMs, latencies };
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
