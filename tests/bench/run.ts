/**
 * `npm run bench`: runs every benchmark, prints the figures and writes them to tests/bench/results/latest.json.
 *
 * Benchmarks report; they never fail on time. Targets are printed beside the figures for the reader.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEditorBench } from './editor-bench.ts';
import { runStorageBench } from './storage-bench.ts';
import { percentile, round } from './stats.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const results: Record<string, unknown> = {
  command: 'npm run bench',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version },
};

console.log('Storage (SQLite, WAL, synchronous=FULL) ...');
const storage = await runStorageBench();
results.storage = storage;
for (const [key, value] of Object.entries(storage)) console.log(`  ${key}: ${round(value)}`);

console.log('Editor (100-page document in Chromium, web build) ...');
const editor = await runEditorBench({ staticDir: join(root, 'dist-web') });
results.editor = editor;
console.log(`  document: ${editor.blocks} blocks, ${editor.characters} characters, ${editor.updateBytes} bytes as a Yjs update`);
console.log(`  open to first editable paint: ${editor.openMs.map((v) => round(v, 0)).join(' / ')} ms (median ${round(percentile(editor.openMs, 50), 0)} ms; target < 1000 ms)`);
console.log(`  keystroke to paint over ${editor.keystrokes} keystrokes: p50 ${round(editor.keystrokeP50Ms)} ms, p95 ${round(editor.keystrokeP95Ms)} ms, max ${round(editor.keystrokeMaxMs)} ms (target p95 < 16 ms)`);
console.log(`  the same on a 30-block document (this method's floor here): p50 ${round(editor.floorKeystrokeP50Ms)} ms, p95 ${round(editor.floorKeystrokeP95Ms)} ms`);

const outDir = join(root, 'tests', 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'latest.json');
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote ${file} (reproduce with: npm run bench)`);
