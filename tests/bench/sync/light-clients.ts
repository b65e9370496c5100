/**
 * Worker thread: many light clients (raw sockets that replay a recorded handshake), as readers that only count what
 * they receive or as writers that send prepared Yjs updates and cursors at the benchmark's pace.
 *
 * The handshake is captured here first from a real provider, once per token, against the server under test.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { captureHandshake, openLightClient, type Handshake, type LightClient } from './handshake.ts';
import { measureWindow, runWriters, type Timeline, type WriterSlot } from './schedule.ts';
import type { SyncTarget } from './real-client.ts';
import type { WriterScript } from './workload.ts';

/** What a light-client worker is started with. */
export interface LightClientsData {
  readonly target: SyncTarget;
  readonly role: 'readers' | 'writers';
  /** One token per client. */
  readonly tokens: string[];
  /** For writers: one script per client, in order. */
  readonly writerScripts: WriterScript[];
  readonly writers: number;
  readonly maxSeq: number;
  readonly stepMs: number;
  readonly sendTimes: SharedArrayBuffer;
  /** How many clients open at once. */
  readonly concurrency: number;
}

/** What the light clients saw in the measured window. */
export interface LightClientsResult {
  readonly type: 'result';
  readonly clients: number;
  /** Messages and bytes received in the window, summed over clients. */
  readonly messages: number;
  readonly bytes: number;
  /** Connections that ended before the benchmark closed them, by close code. */
  readonly closedEarly: Record<string, number>;
  readonly eventLoopUtilization: number;
}

/** Messages the worker takes from the benchmark. */
export type LightClientsCommand = { type: 'run'; timeline: Timeline } | { type: 'collect' } | { type: 'close' };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('light-clients.ts runs as a worker thread');
  const data = workerData as LightClientsData;
  const started = performance.now();

  const handshakes = new Map<string, Handshake>();
  for (const token of new Set(data.tokens)) handshakes.set(token, await captureHandshake(data.target, token));

  const clients: LightClient[] = new Array<LightClient>(data.tokens.length);
  let nextIndex = 0;
  const opener = async (): Promise<void> => {
    while (nextIndex < data.tokens.length) {
      const index = nextIndex;
      nextIndex += 1;
      const token = data.tokens[index] as string;
      clients[index] = await openLightClient(data.target, handshakes.get(token) as Handshake);
    }
  };
  await Promise.all(Array.from({ length: Math.min(data.concurrency, data.tokens.length) }, opener));

  let closing = false;
  const closedEarly: Record<string, number> = {};
  for (const { socket } of clients) {
    void socket.ended.then((end) => {
      if (!closing) closedEarly[String(end.code)] = (closedEarly[String(end.code)] ?? 0) + 1;
    });
  }
  const handshake = handshakes.values().next().value as Handshake;
  port.postMessage({
    type: 'ready',
    connectMs: performance.now() - started,
    handshakeFrames: handshake.onOpen.length + handshake.replies.reduce((sum, r) => sum + r.frames.length, 0),
  });

  const totals = (): { messages: number; bytes: number } => {
    let messages = 0;
    let bytes = 0;
    for (const { socket } of clients) {
      messages += socket.messages;
      bytes += socket.bytes;
    }
    return { messages, bytes };
  };
  let atStart = { messages: 0, bytes: 0 };
  let atEnd = { messages: 0, bytes: 0 };
  let elu: Promise<number> = Promise.resolve(Number.NaN);

  port.on('message', (command: LightClientsCommand) => {
    if (command.type === 'run') {
      elu = measureWindow(
        command.timeline,
        () => (atStart = totals()),
        () => (atEnd = totals()),
      );
      if (data.role === 'writers') {
        const slots: WriterSlot[] = data.writerScripts.map((script, i) => {
          const { socket, wire } = clients[i] as LightClient;
          const updates = script.updates.map((u) => wire.updateMessage(u));
          const cursors = script.cursors.map((c) => wire.awarenessMessage(c));
          return {
            writer: script.writer,
            send(step) {
              socket.send(updates[step] as Uint8Array);
              socket.send(cursors[step] as Uint8Array);
            },
          };
        });
        void runWriters(slots, { timeline: command.timeline, stepMs: data.stepMs, writers: data.writers, maxSeq: data.maxSeq, sendTimes: new Float64Array(data.sendTimes) });
      }
    } else if (command.type === 'collect') {
      void elu.then((eventLoopUtilization) => {
        const result: LightClientsResult = {
          type: 'result',
          clients: clients.length,
          messages: atEnd.messages - atStart.messages,
          bytes: atEnd.bytes - atStart.bytes,
          closedEarly,
          eventLoopUtilization,
        };
        port.postMessage(result);
      });
    } else if (command.type === 'close') {
      closing = true;
      for (const { socket } of clients) socket.close();
      port.postMessage({ type: 'closed' });
    }
  });
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
});
