/**
 * Storage benchmark: append latency and throughput of keystroke-size Yjs updates with synchronous=FULL, load of a
 * Y.Doc stored as 5,000 rows, compaction, and what checking an update before storing it costs.
 *
 * It reports figures and never fails on time. Run alone with `node tests/bench/storage-bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { checkUpdate, Workspace } from '../../main/storage/index.ts';

const KEYSTROKES = 5_000;
const PARAGRAPHS = 200;

/** Nearest-rank percentile of already sorted values. */
function percentileOf(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** A document of PARAGRAPHS paragraphs as one update, then KEYSTROKES typing updates (a few deletions among them). */
function typingSession(): { base: Uint8Array; keystrokes: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('prosemirror');
  doc.transact(() => {
    for (let i = 0; i < PARAGRAPHS; i += 1) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('pid', `p${i}`);
      paragraph.insert(0, [new Y.XmlText(`${i + 1}. The Group recalls that States have affirmed the applicability of international law. `)]);
      fragment.insert(i, [paragraph]);
    }
  });
  const base = Y.encodeStateAsUpdate(doc);
  const keystrokes: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => keystrokes.push(update));
  const words = 'further encourages States to support capacity-building and confidence-building measures ';
  for (let i = 0; keystrokes.length < KEYSTROKES; i += 1) {
    const text = (fragment.get(Math.floor(i / 100) % PARAGRAPHS) as Y.XmlElement).get(0) as Y.XmlText;
    if (i % 17 === 16) text.delete(text.length - 1, 1);
    else text.insert(text.length, words[i % words.length] as string);
  }
  return { base, keystrokes, doc };
}

function time<T>(action: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = action();
  return { value, ms: performance.now() - start };
}

/** Runs the storage benchmark in a fresh temporary workspace and returns its figures. */
export async function runStorageBench(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-storage-bench-'));
  const figures: Record<string, number> = {};
  try {
    const { base, keystrokes, doc } = typingSession();
    figures.keystrokeUpdateBytesAvg = keystrokes.reduce((sum, u) => sum + u.length, 0) / keystrokes.length;
    figures.documentStateBytes = Y.encodeStateAsUpdate(doc).length;

    // Appends as the app does them: default automatic compaction included.
    const live = Workspace.open(path.join(dir, 'live'));
    const liveDoc = live.create('Bench', [{ ydoc: 'text', update: base }]).id;
    const latencies: number[] = [];
    const started = performance.now();
    for (const update of keystrokes) {
      const t0 = performance.now();
      live.append(liveDoc, 'text', update);
      latencies.push(performance.now() - t0);
    }
    const totalMs = performance.now() - started;
    live.close();
    latencies.sort((a, b) => a - b);
    figures.appendUpdatesPerSecond = (keystrokes.length / totalMs) * 1000;
    figures.appendP50Ms = percentileOf(latencies, 50);
    figures.appendP95Ms = percentileOf(latencies, 95);
    figures.appendP99Ms = percentileOf(latencies, 99);
    figures.appendMaxMs = latencies.at(-1) ?? Number.NaN;

    // The document plus 5,000 keystrokes left as 5,001 rows, then load and compaction of them.
    const rowsDir = path.join(dir, 'rows');
    const writer = Workspace.open(rowsDir, { compactThreshold: Number.POSITIVE_INFINITY });
    const rowsDoc = writer.create('Rows', [{ ydoc: 'text', update: base }]).id;
    for (const update of keystrokes) writer.append(rowsDoc, 'text', update);
    writer.close();
    const opened = time(() => Workspace.open(rowsDir, { compactThreshold: Number.POSITIVE_INFINITY }));
    const reader = opened.value;
    figures.openWorkspaceMs = opened.ms;
    figures.fileBytes5001Rows = reader.get(rowsDoc).sizeBytes;
    const firstLoad = time(() => reader.load(rowsDoc, 'text'));
    figures.load5001RowsFirstMs = firstLoad.ms;
    figures.load5001RowsMs = time(() => reader.load(rowsDoc, 'text')).ms;
    const compacted = time(() => reader.compact(rowsDoc, 'text'));
    figures.compact5001RowsMs = compacted.ms;
    figures.loadAfterCompactMs = time(() => reader.load(rowsDoc, 'text')).ms;
    reader.close();

    // What the checks before storing cost per keystroke: decoding, and applying to the stored state's mirror.
    figures.checkDecodePerUpdateUs = (time(() => keystrokes.forEach((u) => checkUpdate(u))).ms / keystrokes.length) * 1000;
    const mirror = new Y.Doc({ gc: false });
    Y.applyUpdate(mirror, base);
    figures.checkMirrorApplyPerUpdateUs = (time(() => keystrokes.forEach((u) => Y.applyUpdate(mirror, u))).ms / keystrokes.length) * 1000;
    const whole = Y.encodeStateAsUpdate(doc);
    figures.checkDecodeWholeDocumentMs = time(() => checkUpdate(whole)).ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.main) {
  const figures = await runStorageBench();
  for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${Math.round(value * 100) / 100}`);
}
