/**
 * Sync-server benchmark: our server (`startSyncServer`), plain Hocuspocus and plain y-websocket side by side, one
 * document, N clients of which W write (5 Yjs updates per second each, each with a cursor update).
 *
 * Each server runs alone in a child process (its CPU and memory read from /proc). The load generator runs in this
 * process on worker threads: a few full clients (real Y.Doc and provider) measure propagation from a writer's send to
 * the update in their Y.Doc; light clients replay a real client's recorded handshake and then only count what they
 * receive; writers send updates prepared ahead from real Y.Docs. Every configuration gets a fresh server, a warm-up,
 * then a fixed measured window. It reports figures and never fails on time.
 *
 * Run alone with `node tests/bench/sync-bench.ts [--quick] [--servers=penholder,hocuspocus] [--clients=50,300]
 * [--writers=50]`; `npm run bench` (tests/bench/run.ts) runs it with the others and keeps the figures.
 * SYNC_BENCH_DEBUG=1 prints each phase; SYNC_BENCH_PROFILE=<folder> writes a CPU profile of each server process.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { nowMs, sleep, sleepUntil } from './sync/clock.ts';
import type { FullClientsData, FullClientsResult } from './sync/full-clients.ts';
import type { LightClientsData, LightClientsResult } from './sync/light-clients.ts';
import type { SyncTarget } from './sync/real-client.ts';
import type { Timeline } from './sync/schedule.ts';
import { readCpuSeconds, readCpuStallSeconds, readMachineBusySeconds, readMemory } from './sync/proc.ts';
import { launchServer, type LaunchedServer } from './sync/server-launcher.ts';
import type { ServerReady, ServerStopped } from './sync/server-process.ts';
import { WIRE_OF, type ServerKind } from './sync/wire.ts';
import { BENCH_DOC_NAME, BENCH_DOCUMENT_ID, buildBaseDocument, buildWriterScripts, type WriterScript } from './sync/workload.ts';
import { percentile, round } from './stats.ts';

/** Full clients per configuration: enough to see propagation, few enough not to load the generator. */
const FULL_CLIENTS = 4;
/** 5 updates per second per writer. */
const STEP_MS = 200;
const MiB = 2 ** 20;
/** SYNC_BENCH_DEBUG=1 prints each phase of each configuration. */
const debug = process.env.SYNC_BENCH_DEBUG ? (line: string) => console.log(`    [${(nowMs() / 1000).toFixed(2)}] ${line}`) : () => undefined;

/** The servers compared, in the order they run within each configuration. */
export const SYNC_SERVERS: readonly ServerKind[] = ['penholder', 'hocuspocus', 'y-websocket'];

/** Options of {@link runSyncBench}; the defaults are the full run. */
export interface SyncBenchOptions {
  /** Shorter windows and only the smallest and largest N: for checking that the benchmark works. */
  readonly quick?: boolean;
  readonly servers?: readonly ServerKind[];
  readonly clients?: readonly number[];
  readonly writers?: readonly number[];
  /** Progress lines; default console.log. */
  readonly progress?: (line: string) => void;
}

/** One server under one load. Times in ms, CPU in % of one core over the measured window, memory as named. */
export interface SyncBenchRow {
  server: ServerKind;
  clients: number;
  writers: number;
  /** How the clients were made: full clients (of which some write), light readers, light writers. */
  fullClients: number;
  fullWriters: number;
  lightReaders: number;
  lightWriters: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of the writers' steps sent in the window that reached each full client by the end of the grace period. */
  delivered: number;
  cursorP50Ms: number;
  cursorP99Ms: number;
  /** Steps (update + cursor) sent in the window, all writers. */
  stepsSent: number;
  serverCpuPercent: number;
  idleRssMiB: number;
  /** VmHWM: the server's peak resident memory over its life (connections included). */
  peakRssMiB: number;
  /** Highest resident memory sampled during the measured window. */
  windowPeakRssMiB: number;
  /** (peak RSS - idle RSS) / N. */
  kibPerClient: number;
  /** This process (all load-generator threads) in % of one core over the window. */
  generatorCpuPercent: number;
  /** Everything else on the machine (other programs) in % of one core over the window: high means contention. */
  otherCpuPercent: number;
  /** Share of the window in which some runnable task waited for a CPU (Linux PSI), in %. */
  cpuStallPercent: number;
  /** Event-loop use of each generator thread in the window (1 = saturated: figures then include generator delay). */
  generatorEventLoop: { full: number; readers: number; writers: number };
  /** Per light reader over the window. */
  readerMessagesPerSecond: number;
  readerKiBPerSecond: number;
  /** From starting the light clients to all of them synced. */
  connectSeconds: number;
  /** Connections the server ended during the run, by close code. */
  closedEarly: Record<string, number>;
  /** Our server's structured log: entries per level, and the first warnings. */
  serverLog?: { counts: Record<string, number>; warnings: string[] };
  error?: string;
}

/** Our server against plain Hocuspocus under the same load. */
export interface SyncComparison {
  clients: number;
  writers: number;
  /** penholder / hocuspocus - 1, in %: the target is at most 10 %. */
  p99OverheadPercent: number;
  cpuOverheadPercent: number;
}

/** Everything the sync benchmark reports. */
export interface SyncBenchFigures {
  command: string;
  settings: {
    quick: boolean;
    warmupMs: number;
    windowMs: number;
    graceMs: number;
    updatesPerSecondPerWriter: number;
    fullClients: number;
    baseDocumentBytes: number;
    cpus: number;
  };
  targets: { p99MsAt300Clients50Writers: number; overheadPercentVsHocuspocus: number };
  rows: SyncBenchRow[];
  comparisons: SyncComparison[];
  notes: string[];
}

/** A worker thread with a queue of the messages it posts. */
interface BenchWorker {
  readonly worker: Worker;
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  stop(): Promise<void>;
}

function startWorker(file: string, data: FullClientsData | LightClientsData): BenchWorker {
  const worker = new Worker(new URL(file, import.meta.url), { workerData: data });
  const inbox: Array<{ type: string }> = [];
  const waiting: Array<() => void> = [];
  let failure: Error | null = null;
  const wake = (): void => waiting.splice(0).forEach((w) => w());
  worker.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') failure = new Error(`${file}: ${message.message ?? 'failed'}`);
    else inbox.push(message);
    wake();
  });
  worker.on('error', (error) => {
    failure = error;
    wake();
  });
  worker.on('exit', () => {
    failure ??= new Error(`${file} exited`);
    wake();
  });
  return {
    worker,
    async next<T>(type: string, timeoutMs = 120_000): Promise<T> {
      const deadline = nowMs() + timeoutMs;
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type);
        if (index !== -1) return inbox.splice(index, 1)[0] as T;
        if (failure) throw failure;
        if (nowMs() > deadline) throw new Error(`${file}: no '${type}' within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    },
    send(message) {
      worker.postMessage(message);
    },
    async stop() {
      try {
        worker.postMessage({ type: 'close' });
        await Promise.race([this.next('closed', 5000), sleep(5000)]);
      } catch {
        // A worker that already failed has nothing to close.
      }
      await worker.terminate();
    },
  };
}

/** Signs the benchmark's chair accounts in to our server and registers the benchmark document. */
async function signIn(ready: ServerReady): Promise<string[]> {
  if (!ready.httpUrl || !ready.accounts) return ['bench'];
  const tokens: string[] = [];
  for (const account of ready.accounts) {
    const response = await fetch(new URL('/api/login', ready.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    if (!response.ok) throw new Error(`POST /api/login for ${account.name}: ${response.status} ${await response.text()}`);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  const published = await fetch(new URL('/api/documents', ready.httpUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
    body: JSON.stringify({ id: BENCH_DOCUMENT_ID, title: 'Sync benchmark' }),
  });
  if (!published.ok && published.status !== 409) throw new Error(`POST /api/documents: ${published.status} ${await published.text()}`);
  return tokens;
}

function mib(bytes: number): number {
  return bytes / MiB;
}

interface Settings {
  warmupMs: number;
  windowMs: number;
  graceMs: number;
  maxSeq: number;
}

/** Runs one server under one load on a fresh server process. */
async function runConfiguration(
  kind: ServerKind,
  clients: number,
  writers: number,
  settings: Settings,
  workload: { base: Uint8Array; scripts: WriterScript[] },
): Promise<SyncBenchRow> {
  const readers = Math.max(0, clients - writers);
  const fullClients = Math.min(FULL_CLIENTS, clients);
  const fullReaders = Math.min(fullClients, readers);
  const fullWriters = fullClients - fullReaders;
  const lightReaders = readers - fullReaders;
  const lightWriters = writers - fullWriters;
  const row: SyncBenchRow = {
    server: kind,
    clients,
    writers,
    fullClients,
    fullWriters,
    lightReaders,
    lightWriters,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    maxMs: Number.NaN,
    delivered: Number.NaN,
    cursorP50Ms: Number.NaN,
    cursorP99Ms: Number.NaN,
    stepsSent: 0,
    serverCpuPercent: Number.NaN,
    idleRssMiB: Number.NaN,
    peakRssMiB: Number.NaN,
    windowPeakRssMiB: Number.NaN,
    kibPerClient: Number.NaN,
    generatorCpuPercent: Number.NaN,
    otherCpuPercent: Number.NaN,
    cpuStallPercent: Number.NaN,
    generatorEventLoop: { full: Number.NaN, readers: Number.NaN, writers: Number.NaN },
    readerMessagesPerSecond: Number.NaN,
    readerKiBPerSecond: Number.NaN,
    connectSeconds: Number.NaN,
    closedEarly: {},
  };
  let server: LaunchedServer | null = null;
  const workers: BenchWorker[] = [];
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    debug(`${kind} N=${clients} W=${writers}: starting server`);
    server = await launchServer(kind);
    const pid = server.pid;
    await sleep(500);
    const idleRss = readMemory(pid).rssBytes;
    row.idleRssMiB = mib(idleRss);
    const tokens = await signIn(server.ready);
    const tokenFor = (client: number): string => tokens[client % tokens.length] as string;
    const target: SyncTarget = { wire: WIRE_OF[kind], host: '127.0.0.1', port: server.ready.port, query: server.ready.query, docName: BENCH_DOC_NAME };
    const sendTimesBuffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * writers * settings.maxSeq);
    const sendTimes = new Float64Array(sendTimesBuffer).fill(Number.NaN);
    const common = { target, writers, maxSeq: settings.maxSeq, stepMs: STEP_MS, sendTimes: sendTimesBuffer };
    const scripts = workload.scripts.slice(0, writers);

    const full = startWorker('./sync/full-clients.ts', {
      ...common,
      tokens: Array.from({ length: fullClients }, (_, i) => tokenFor(i)),
      base: workload.base,
      writerScripts: scripts.slice(0, fullWriters),
    });
    workers.push(full);
    debug('connecting full clients');
    await full.next('ready');
    debug('full clients synced');
    // Let the starting text the full clients pushed settle on the server before the others ask for it.
    await sleep(300);

    const connectStarted = nowMs();
    const light = (role: 'readers' | 'writers', count: number, firstClient: number): BenchWorker | null => {
      if (count === 0) return null;
      const worker = startWorker('./sync/light-clients.ts', {
        ...common,
        role,
        tokens: Array.from({ length: count }, (_, i) => tokenFor(firstClient + i)),
        writerScripts: role === 'writers' ? scripts.slice(fullWriters) : [],
        concurrency: 16,
      });
      workers.push(worker);
      return worker;
    };
    const lightWriterWorker = light('writers', lightWriters, fullClients);
    const lightReaderWorker = light('readers', lightReaders, fullClients + lightWriters);
    await Promise.all([lightWriterWorker?.next('ready'), lightReaderWorker?.next('ready')]);
    row.connectSeconds = (nowMs() - connectStarted) / 1000;
    debug(`light clients synced in ${row.connectSeconds.toFixed(1)} s`);

    const startAt = nowMs() + 300;
    const timeline: Timeline = { startAt, windowStart: startAt + settings.warmupMs, windowEnd: startAt + settings.warmupMs + settings.windowMs };
    for (const worker of workers) worker.send({ type: 'run', timeline });
    let windowPeak = 0;
    sampler = setInterval(() => {
      if (nowMs() >= timeline.windowStart && nowMs() <= timeline.windowEnd) windowPeak = Math.max(windowPeak, readMemory(pid).rssBytes);
    }, 100);
    await sleepUntil(timeline.windowStart);
    const cpuAtStart = readCpuSeconds(pid);
    const generatorAtStart = process.cpuUsage();
    const machineAtStart = readMachineBusySeconds();
    const stallAtStart = readCpuStallSeconds();
    const startedAt = nowMs();
    await sleepUntil(timeline.windowEnd);
    const cpuAtEnd = readCpuSeconds(pid);
    const generator = process.cpuUsage(generatorAtStart);
    const machine = readMachineBusySeconds() - machineAtStart;
    const stall = readCpuStallSeconds() - stallAtStart;
    const windowSeconds = (nowMs() - startedAt) / 1000;
    const serverSeconds = cpuAtEnd - cpuAtStart;
    const generatorSeconds = (generator.user + generator.system) / 1e6;
    row.serverCpuPercent = (serverSeconds / windowSeconds) * 100;
    row.generatorCpuPercent = (generatorSeconds / windowSeconds) * 100;
    row.otherCpuPercent = (Math.max(0, machine - serverSeconds - generatorSeconds) / windowSeconds) * 100;
    row.cpuStallPercent = (stall / windowSeconds) * 100;
    await sleepUntil(timeline.windowEnd + settings.graceMs);
    clearInterval(sampler);
    row.windowPeakRssMiB = mib(windowPeak);
    const memory = readMemory(pid);
    row.peakRssMiB = mib(memory.peakBytes);
    row.kibPerClient = (memory.peakBytes - idleRss) / 1024 / clients;

    debug('collecting');
    for (const worker of workers) worker.send({ type: 'collect' });
    const fullResult = await full.next<FullClientsResult>('result');
    row.p50Ms = percentile(fullResult.latencies, 50);
    row.p99Ms = percentile(fullResult.latencies, 99);
    row.maxMs = percentile(fullResult.latencies, 100);
    row.delivered = fullResult.expected === 0 ? Number.NaN : fullResult.delivered / fullResult.expected;
    row.cursorP50Ms = percentile(fullResult.cursorLatencies, 50);
    row.cursorP99Ms = percentile(fullResult.cursorLatencies, 99);
    row.generatorEventLoop.full = fullResult.eventLoopUtilization;
    row.stepsSent = sendTimes.filter((t) => t >= timeline.windowStart && t <= timeline.windowEnd).length;
    const closedEarly: Record<string, number> = {};
    for (const [role, worker] of [['writers', lightWriterWorker], ['readers', lightReaderWorker]] as const) {
      if (worker === null) continue;
      const result = await worker.next<LightClientsResult>('result');
      row.generatorEventLoop[role] = result.eventLoopUtilization;
      for (const [code, count] of Object.entries(result.closedEarly)) closedEarly[code] = (closedEarly[code] ?? 0) + count;
      if (role === 'readers') {
        row.readerMessagesPerSecond = result.messages / result.clients / (settings.windowMs / 1000);
        row.readerKiBPerSecond = result.bytes / 1024 / result.clients / (settings.windowMs / 1000);
      }
    }
    row.closedEarly = closedEarly;
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
  } finally {
    clearInterval(sampler);
    await Promise.all(workers.map((w) => w.stop()));
    if (server !== null) {
      const stopped: ServerStopped | null = await server.stop();
      if (stopped && kind === 'penholder') row.serverLog = { counts: stopped.logCounts, warnings: stopped.warnings };
    }
  }
  return row;
}

/** Whether our server exists yet (helper "server-core" writes main/server/index.ts). */
function penholderServerAvailable(): boolean {
  return existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'main', 'server', 'index.ts'));
}

/** Runs every configuration and returns the figures. */
export async function runSyncBench(options: SyncBenchOptions = {}): Promise<SyncBenchFigures> {
  const quick = options.quick ?? false;
  const progress = options.progress ?? ((line: string) => console.log(line));
  const warmupMs = quick ? 1000 : 3000;
  const windowMs = quick ? 3000 : 10_000;
  const graceMs = quick ? 1000 : 1500;
  const settings: Settings = { warmupMs, windowMs, graceMs, maxSeq: Math.ceil((300 + warmupMs + windowMs) / STEP_MS) + 2 };
  const notes: string[] = [];
  let servers = [...(options.servers ?? SYNC_SERVERS)];
  if (servers.includes('penholder') && !penholderServerAvailable()) {
    servers = servers.filter((s) => s !== 'penholder');
    notes.push('main/server/index.ts does not exist yet: our server was not measured.');
  }
  const clientCounts = options.clients ?? (quick ? [50, 300] : [50, 100, 200, 300]);
  const writerCounts = options.writers ?? [20, 50];

  const base = buildBaseDocument();
  const scripts = buildWriterScripts(base, Math.max(...writerCounts), settings.maxSeq);
  const rows: SyncBenchRow[] = [];
  for (const clients of clientCounts) {
    for (const writers of writerCounts) {
      if (writers > clients) continue;
      // Servers take turns within a configuration so drifting machine load falls on all of them alike.
      for (const server of servers) {
        const row = await runConfiguration(server, clients, writers, settings, { base, scripts });
        rows.push(row);
        progress(`  ${formatRow(row)}`);
      }
    }
  }

  const comparisons: SyncComparison[] = [];
  for (const ours of rows.filter((r) => r.server === 'penholder' && !r.error)) {
    const plain = rows.find((r) => r.server === 'hocuspocus' && r.clients === ours.clients && r.writers === ours.writers && !r.error);
    if (!plain) continue;
    comparisons.push({
      clients: ours.clients,
      writers: ours.writers,
      p99OverheadPercent: (ours.p99Ms / plain.p99Ms - 1) * 100,
      cpuOverheadPercent: (ours.serverCpuPercent / plain.serverCpuPercent - 1) * 100,
    });
  }
  return {
    command: `node tests/bench/run.ts --only sync${quick ? ' --quick' : ''}`,
    settings: {
      quick,
      warmupMs,
      windowMs,
      graceMs,
      updatesPerSecondPerWriter: 1000 / STEP_MS,
      fullClients: FULL_CLIENTS,
      baseDocumentBytes: base.length,
      cpus: cpus().length,
    },
    targets: { p99MsAt300Clients50Writers: 150, overheadPercentVsHocuspocus: 10 },
    rows,
    comparisons,
    notes,
  };
}

const HEADER = ['server', 'N', 'W', 'p50 ms', 'p99 ms', 'deliv %', 'cur p99', 'CPU %', 'peak MiB', 'KiB/cl', 'gen CPU %', 'gen loop', 'other %'];
const WIDTHS = [11, 4, 3, 7, 7, 8, 8, 6, 9, 7, 10, 9, 8];

function cells(values: ReadonlyArray<string | number>): string {
  return values.map((v, i) => String(v).padStart(WIDTHS[i] ?? 8)).join(' ');
}

function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** One table line for a row (used for progress and the final table). */
export function formatRow(row: SyncBenchRow): string {
  if (row.error) return `${cells([row.server, row.clients, row.writers])}  failed: ${row.error}`;
  const loop = Math.max(...Object.values(row.generatorEventLoop).filter(Number.isFinite));
  const closed = Object.entries(row.closedEarly).map(([code, n]) => `${n}x${code}`).join(',');
  return (
    cells([
      row.server,
      row.clients,
      row.writers,
      fixed(row.p50Ms),
      fixed(row.p99Ms),
      fixed(row.delivered * 100),
      fixed(row.cursorP99Ms),
      fixed(row.serverCpuPercent, 0),
      fixed(row.peakRssMiB),
      fixed(row.kibPerClient, 0),
      fixed(row.generatorCpuPercent, 0),
      fixed(loop, 2),
      fixed(row.otherCpuPercent, 0),
    ]) + (closed ? `  closed early: ${closed}` : '')
  );
}

/** The whole report: settings, the table, targets and the overhead of our server over plain Hocuspocus. */
export function formatSyncReport(figures: SyncBenchFigures): string[] {
  const s = figures.settings;
  const lines = [
    `  ${s.updatesPerSecondPerWriter} updates/s + cursor per writer; ${s.fullClients} full clients measure; window ${s.windowMs / 1000} s after ${s.warmupMs / 1000} s warm-up; ${s.cpus} CPUs shared by server and generator`,
    '  p50/p99: writer send to update in a full client\'s Y.Doc; deliv: share of steps sent in the window that arrived; cur: cursor (awareness);',
    '  CPU: server, % of one core; peak: server VmHWM; KiB/cl: (peak - idle RSS) / N; gen: load generator (CPU, busiest thread\'s event-loop use); other: other programs',
    `  ${cells(HEADER)}`,
    ...figures.rows.map((row) => `  ${formatRow(row)}`),
  ];
  for (const row of figures.rows.filter((r) => r.clients === 300 && r.writers === 50 && !r.error)) {
    const verdict = row.p99Ms < figures.targets.p99MsAt300Clients50Writers ? 'meets' : 'misses';
    lines.push(`  ${row.server} at 300 clients / 50 writers: p99 ${fixed(row.p99Ms)} ms ${verdict} the target < ${figures.targets.p99MsAt300Clients50Writers} ms`);
  }
  for (const c of figures.comparisons) {
    lines.push(
      `  ours vs plain Hocuspocus at N=${c.clients} W=${c.writers}: p99 ${c.p99OverheadPercent >= 0 ? '+' : ''}${fixed(c.p99OverheadPercent, 0)} %, CPU ${c.cpuOverheadPercent >= 0 ? '+' : ''}${fixed(c.cpuOverheadPercent, 0)} % (target <= ${figures.targets.overheadPercentVsHocuspocus} %)`,
    );
  }
  for (const note of figures.notes) lines.push(`  note: ${note}`);
  return lines;
}

/** Rounds the figures for the results file. */
export function roundSyncFigures(figures: SyncBenchFigures): SyncBenchFigures {
  const r = (v: number): number => (Number.isFinite(v) ? round(v) : v);
  return {
    ...figures,
    rows: figures.rows.map((row) => ({
      ...row,
      ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? r(v) : v])),
      generatorEventLoop: { full: r(row.generatorEventLoop.full), readers: r(row.generatorEventLoop.readers), writers: r(row.generatorEventLoop.writers) },
    })) as SyncBenchRow[],
    comparisons: figures.comparisons.map((c) => ({ ...c, p99OverheadPercent: r(c.p99OverheadPercent), cpuOverheadPercent: r(c.cpuOverheadPercent) })),
  };
}

function listFlag(name: string): string[] | undefined {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  return flag?.slice(name.length + 3).split(',').filter(Boolean);
}

if (import.meta.main) {
  const figures = await runSyncBench({
    quick: process.argv.includes('--quick'),
    servers: listFlag('servers') as ServerKind[] | undefined,
    clients: listFlag('clients')?.map(Number),
    writers: listFlag('writers')?.map(Number),
  });
  console.log(formatSyncReport(figures).join('\n'));
}
