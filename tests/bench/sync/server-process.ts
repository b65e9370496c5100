/**
 * One sync server under test, alone in its own process so its CPU time and memory are its own: `node
 * server-process.ts <penholder|hocuspocus|y-websocket>`, started by launchServer (server-launcher.ts) over IPC.
 *
 * - penholder: our server, `startSyncServer` from main/server/index.ts, SQLite in a temporary folder, with chair
 *   accounts for the load generator; its structured log goes to a file there, as a deployment would keep it.
 * - hocuspocus: plain `new Server()` of @hocuspocus/server, no extensions.
 * - y-websocket: y-websocket's own `setupWSConnection` on a `ws` WebSocketServer, no persistence.
 * Each kind loads only its own modules, so idle memory is the server's own (and y-websocket's CommonJS Yjs never
 * meets the ES module one).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WebSocket } from 'ws';
import type { RunningSyncServer, SyncLogEntry, SyncServerOptions } from '../../../main/server/api.ts';
import { SCHEMA_VERSION_PARAM } from '../../../shared/sync.ts';
import { SCHEMA_VERSION } from '../../../shared/schema/version.ts';
import type { ServerKind } from './wire.ts';

/** What the server process tells its parent once it listens. */
export interface ServerReady {
  readonly type: 'ready';
  readonly port: number;
  /** Query string the WebSocket URL needs (our server checks the client's schema version). */
  readonly query: string;
  /** Our server's HTTP API and the accounts made for the load generator; absent for the plain servers. */
  readonly httpUrl?: string;
  readonly accounts?: ReadonlyArray<{ readonly name: string; readonly password: string }>;
}

/** What the server process reports when it stops: how many log entries of each level it wrote, and a few warnings. */
export interface ServerStopped {
  readonly type: 'stopped';
  readonly logCounts: Record<string, number>;
  readonly warnings: string[];
}

/** How many chair accounts our server gets; clients use them in turn. */
export const BENCH_ACCOUNTS = 5;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Running {
  readonly ready: ServerReady;
  stop(): Promise<void>;
}

const logCounts: Record<string, number> = {};
const warnings: string[] = [];

async function startPenholder(): Promise<Running> {
  const indexPath = join(root, 'main', 'server', 'index.ts');
  const server = (await import(pathToFileURL(indexPath).href)) as { startSyncServer?: (options: SyncServerOptions) => Promise<RunningSyncServer> };
  if (typeof server.startSyncServer !== 'function') throw new Error('main/server/index.ts does not export startSyncServer');
  const dataDir = mkdtempSync(join(tmpdir(), 'penholder-sync-bench-'));
  const logFile = createWriteStream(join(dataDir, 'server.log'));
  const log = (entry: SyncLogEntry): void => {
    logCounts[entry.level] = (logCounts[entry.level] ?? 0) + 1;
    const line = JSON.stringify(entry);
    if (entry.level !== 'info' && warnings.length < 5) warnings.push(line);
    logFile.write(`${line}\n`);
  };
  const running = await server.startSyncServer({ dataDir, host: '127.0.0.1', port: 0, log });
  const accounts: Array<{ name: string; password: string }> = [];
  for (let i = 1; i <= BENCH_ACCOUNTS; i += 1) {
    const account = { name: `bench-chair-${i}`, password: `bench-password-${i}-${process.pid}` };
    running.accounts.add({ ...account, role: 'chair', documents: ['*'] });
    accounts.push(account);
  }
  return {
    ready: { type: 'ready', port: running.port, query: `?${SCHEMA_VERSION_PARAM}=${SCHEMA_VERSION}`, httpUrl: running.httpUrl, accounts },
    async stop() {
      await running.close();
      await new Promise<void>((resolve) => logFile.end(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startHocuspocus(): Promise<Running> {
  const { Server } = await import('@hocuspocus/server');
  const server = new Server({ address: '127.0.0.1', port: 0, quiet: true, stopOnSignals: false });
  await server.listen();
  return {
    ready: { type: 'ready', port: server.address.port, query: `?${SCHEMA_VERSION_PARAM}=${SCHEMA_VERSION}` },
    stop: () => server.destroy(),
  };
}

async function startYWebsocket(): Promise<Running> {
  delete process.env.YPERSISTENCE;
  const { WebSocketServer } = await import('ws');
  const require = createRequire(import.meta.url);
  const { setupWSConnection } = require('y-websocket/bin/utils') as {
    setupWSConnection: (connection: WebSocket, request: IncomingMessage) => void;
  };
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('okay');
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (connection: WebSocket, request: IncomingMessage) => setupWSConnection(connection, request));
  http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('y-websocket server has no TCP address');
  return {
    ready: { type: 'ready', port: address.port, query: '' },
    async stop() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const starters: Record<ServerKind, () => Promise<Running>> = {
  penholder: startPenholder,
  hocuspocus: startHocuspocus,
  'y-websocket': startYWebsocket,
};

if (import.meta.main) {
  const kind = process.argv[2] as ServerKind;
  const send = (message: unknown): Promise<void> => new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
  // Never outlive the benchmark.
  process.on('disconnect', () => process.exit(0));
  try {
    const start = starters[kind];
    if (!start) throw new Error(`Unknown server kind '${kind}'`);
    const running = await start();
    process.on('message', (message: { type?: string }) => {
      if (message.type !== 'stop') return;
      void (async () => {
        const timer = setTimeout(() => process.exit(0), 5000);
        try {
          await running.stop();
        } catch (error) {
          warnings.push(`stop failed: ${String(error)}`);
        }
        clearTimeout(timer);
        const stopped: ServerStopped = { type: 'stopped', logCounts, warnings };
        await send(stopped);
        process.exit(0);
      })();
    });
    await send(running.ready);
  } catch (error) {
    await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
}
