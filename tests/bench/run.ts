/**
 * `npm run bench`: runs every benchmark, prints the figures and writes them to tests/bench/results/latest.json.
 *
 * `node tests/bench/run.ts --only sync` runs one benchmark (storage, editor, sync, negotiation or interop) and keeps the others'
 * figures already in the file; `--quick` runs the sync benchmark's short check instead of its full matrix, and the
 * negotiation and interop benchmarks with 1,000 proposals instead of 5,000 (and 100 keystrokes instead of 300).
 *
 * Benchmarks report; they never fail on time. Targets are printed beside the figures for the reader.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEditorBench } from './editor-bench.ts';
import { formatNegotiationReport, roundNegotiationFigures, runNegotiationBench } from './negotiation-bench.ts';
import { formatInteropReport, roundInteropFigures, runInteropBench } from './interop-bench.ts';
import { runStorageBench } from './storage-bench.ts';
import { formatSyncReport, roundSyncFigures, runSyncBench } from './sync-bench.ts';
import { percentile, round } from './stats.ts';

const BENCHMARKS = ['storage', 'editor', 'sync', 'negotiation', 'interop'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const argv = process.argv.slice(2);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex === -1 ? null : argv[onlyIndex + 1];
if (only !== null && !BENCHMARKS.includes(only as Benchmark)) {
  console.error(`--only takes one of ${BENCHMARKS.join(', ')}; got ${only ?? 'nothing'}`);
  process.exit(2);
}
const quick = argv.includes('--quick');
const selected = (name: Benchmark): boolean => only === null || only === name;
const command = argv.length === 0 ? 'npm run bench' : `node tests/bench/run.ts ${argv.join(' ')}`;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'tests', 'bench', 'results');
const file = join(outDir, 'latest.json');
// A partial run keeps the other benchmarks' figures from the last run.
const previous: Record<string, unknown> = only !== null && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
// Which command produced each benchmark's figures: a partial run only re-measures its own.
const previousCommands = (previous.commands ?? {}) as Partial<Record<Benchmark, string>>;
const commands: Partial<Record<Benchmark, string>> = {};
for (const name of BENCHMARKS) {
  if (selected(name)) commands[name] = command;
  else if (name in previous) commands[name] = previousCommands[name] ?? (typeof previous.command === 'string' ? previous.command : 'npm run bench');
}
const results: Record<string, unknown> = {
  ...previous,
  command,
  commands,
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverageAtStart: loadavg().map((v) => round(v)),
  },
};

if (selected('storage')) {
  console.log('Storage (SQLite, WAL, synchronous=FULL) ...');
  const storage = await runStorageBench();
  results.storage = storage;
  for (const [key, value] of Object.entries(storage)) console.log(`  ${key}: ${round(value)}`);
}

if (selected('editor')) {
  console.log('Editor (100-page document in Chromium, web build) ...');
  const editor = await runEditorBench({ staticDir: join(root, 'dist-web') });
  results.editor = editor;
  console.log(`  document: ${editor.blocks} blocks, ${editor.characters} characters, ${editor.updateBytes} bytes as a Yjs update`);
  console.log(`  open to first editable paint: ${editor.openMs.map((v) => round(v, 0)).join(' / ')} ms (median ${round(percentile(editor.openMs, 50), 0)} ms; target < 1000 ms)`);
  console.log(`  keystroke to paint over ${editor.keystrokes} keystrokes: p50 ${round(editor.keystrokeP50Ms)} ms, p95 ${round(editor.keystrokeP95Ms)} ms, max ${round(editor.keystrokeMaxMs)} ms (target p95 < 16 ms)`);
  console.log(`  the same on a 30-block document (this method's floor here): p50 ${round(editor.floorKeystrokeP50Ms)} ms, p95 ${round(editor.floorKeystrokeP95Ms)} ms`);
}

if (selected('sync')) {
  console.log(`Sync server (ours vs plain Hocuspocus vs plain y-websocket, one document${quick ? ', quick check' : ''}) ...`);
  const sync = await runSyncBench({ quick });
  results.sync = roundSyncFigures({ ...sync, command });
  console.log(formatSyncReport(sync).join('\n'));
}

if (selected('negotiation')) {
  console.log(`Negotiation (100-page document, ${quick ? '1,000' : '5,000'} proposals from 150 delegations, web build and a sync server) ...`);
  const negotiation = await runNegotiationBench({ staticDir: join(root, 'dist-web'), quick });
  results.negotiation = roundNegotiationFigures(negotiation);
  // The editor benchmark's figures on the same document without proposals, when the file holds them.
  const editor = (results.editor ?? undefined) as Parameters<typeof formatNegotiationReport>[1];
  const source = selected('editor') ? 'this run' : `from ${commands.editor ?? 'an earlier run'}`;
  console.log(formatNegotiationReport(negotiation, editor && { ...editor, source }).join('\n'));
}

if (selected('interop')) {
  console.log(`Word interoperability (100-page document, ${quick ? '1,000' : '5,000'} proposals: each export, import of a 100-page .docx, compare of two revisions; each in a fresh process) ...`);
  const interop = await runInteropBench({ quick });
  results.interop = roundInteropFigures(interop);
  console.log(formatInteropReport(interop).join('\n'));
}

mkdirSync(outDir, { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote ${file} (reproduce with: ${command})`);
