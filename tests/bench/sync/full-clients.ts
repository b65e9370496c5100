/**
 * Worker thread: a few full clients (a real Y.Doc, Awareness and provider each) that measure propagation.
 *
 * Each client reads the step marks out of the text it receives and notes when each writer's step arrived; the send
 * times come from the writers' shared table. When there are fewer readers than full clients (e.g. 50 clients and 50
 * writers), the first full clients are writers too: they apply their prepared updates to their own Y.Doc and publish
 * their cursor through their own Awareness, so the provider sends them as a real editor would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { TEXT_FRAGMENT } from '../../../shared/model/ydocs.ts';
import { nowMs } from './clock.ts';
import { openRealClient, type RealClient, type SyncTarget } from './real-client.ts';
import { measureWindow, runWriters, type Timeline, type WriterSlot } from './schedule.ts';
import { readMarks, type CursorState, type WriterScript } from './workload.ts';

/** What the full-client worker is started with. */
export interface FullClientsData {
  readonly target: SyncTarget;
  /** One token per full client. */
  readonly tokens: string[];
  /** The starting text every full client holds before it connects. */
  readonly base: Uint8Array;
  /** Writer scripts for the first full clients, when they must write too. */
  readonly writerScripts: WriterScript[];
  readonly writers: number;
  readonly maxSeq: number;
  readonly stepMs: number;
  /** Float64 send time per writer and step (NaN: not sent). */
  readonly sendTimes: SharedArrayBuffer;
}

/** Propagation seen by the full clients over the measured window. */
export interface FullClientsResult {
  readonly type: 'result';
  /** Milliseconds from a writer's send to its arrival in a full client's Y.Doc, for sends inside the window. */
  readonly latencies: number[];
  /** Same for cursors (awareness); merged awareness only delivers the latest step, so this has no delivery share. */
  readonly cursorLatencies: number[];
  /** Steps sent inside the window by writers other than the receiving client, summed over full clients. */
  readonly expected: number;
  readonly delivered: number;
  readonly eventLoopUtilization: number;
}

/** Messages the worker takes from the benchmark. */
export type FullClientsCommand = { type: 'run'; timeline: Timeline } | { type: 'collect' } | { type: 'close' };

interface FullClient {
  readonly client: RealClient;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** The writer this client also is, or -1. */
  readonly writer: number;
  readonly received: Float64Array;
  readonly cursorReceived: Float64Array;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('full-clients.ts runs as a worker thread');
  const data = workerData as FullClientsData;
  const { writers, maxSeq } = data;
  const sendTimes = new Float64Array(data.sendTimes);
  const clients: FullClient[] = [];

  const connect = async (index: number): Promise<FullClient> => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, data.base);
    const awareness = new Awareness(doc);
    awareness.setLocalState(null);
    const received = new Float64Array(writers * maxSeq).fill(Number.NaN);
    const cursorReceived = new Float64Array(writers * maxSeq).fill(Number.NaN);
    const note = (table: Float64Array, at: number) => (w: number, s: number) => {
      if (w < writers && s < maxSeq && Number.isNaN(table[w * maxSeq + s])) table[w * maxSeq + s] = at;
    };
    doc.getXmlFragment(TEXT_FRAGMENT).observeDeep((events) => {
      const mark = note(received, nowMs());
      for (const event of events) {
        if (!(event.target instanceof Y.XmlText)) continue;
        for (const op of event.delta) if (typeof op.insert === 'string') readMarks(op.insert, mark);
      }
    });
    awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      const mark = note(cursorReceived, nowMs());
      for (const id of [...added, ...updated]) {
        const state = awareness.getStates().get(id) as Partial<CursorState> | undefined;
        if (state?.bench) mark(state.bench.w, state.bench.s);
      }
    });
    const client = openRealClient(data.target, { doc, awareness, token: data.tokens[index] ?? '' });
    await client.synced;
    return { client, doc, awareness, writer: data.writerScripts[index]?.writer ?? -1, received, cursorReceived };
  };
  clients.push(...(await Promise.all(data.tokens.map((_, i) => connect(i)))));
  port.postMessage({ type: 'ready' });

  let elu: Promise<number> = Promise.resolve(Number.NaN);
  let timeline: Timeline | null = null;
  port.on('message', (command: FullClientsCommand) => {
    if (command.type === 'run') {
      timeline = command.timeline;
      elu = measureWindow(timeline);
      const slots: WriterSlot[] = data.writerScripts.map((script, i) => {
        const { doc, awareness } = clients[i] as FullClient;
        return {
          writer: script.writer,
          send(step) {
            Y.applyUpdate(doc, script.updates[step] as Uint8Array, 'bench-writer');
            awareness.setLocalState(script.cursorStates[step] as CursorState);
          },
        };
      });
      void runWriters(slots, { timeline, stepMs: data.stepMs, writers, maxSeq, sendTimes });
    } else if (command.type === 'collect') {
      void elu.then((eventLoopUtilization) => {
        const window = timeline as Timeline;
        const latencies: number[] = [];
        const cursorLatencies: number[] = [];
        let expected = 0;
        let delivered = 0;
        for (const client of clients) {
          for (let i = 0; i < writers * maxSeq; i += 1) {
            const sent = sendTimes[i] as number;
            if (!(sent >= window.windowStart && sent <= window.windowEnd)) continue;
            if (Math.floor(i / maxSeq) === client.writer) continue;
            expected += 1;
            const arrived = client.received[i] as number;
            if (!Number.isNaN(arrived)) {
              delivered += 1;
              latencies.push(arrived - sent);
            }
            const cursorArrived = client.cursorReceived[i] as number;
            if (!Number.isNaN(cursorArrived)) cursorLatencies.push(cursorArrived - sent);
          }
        }
        const result: FullClientsResult = { type: 'result', latencies, cursorLatencies, expected, delivered, eventLoopUtilization };
        port.postMessage(result);
      });
    } else if (command.type === 'close') {
      for (const { client, doc } of clients) {
        client.destroy();
        doc.destroy();
      }
      port.postMessage({ type: 'closed' });
    }
  });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
