import net from 'node:net';
import { Hocuspocus } from '@hocuspocus/server';
import type { Extension } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncContext } from './context.ts';
import { createSyncLog } from './logging.ts';
import type { SyncLogEntry } from './api.ts';
import { RawSyncClient } from '../../tests/helpers/raw-sync-client.ts';
import { openProvider, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestProvider } from '../../tests/helpers/sync-server.ts';
import { listenTransport } from './transport.ts';
import type { FrameGuard, SocketGuard, Transport } from './transport.ts';

let transport: Transport | undefined;
const providers: TestProvider[] = [];
const raws: RawSyncClient[] = [];

afterEach(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  for (const raw of raws.splice(0)) await raw.close();
  await transport?.close();
  transport = undefined;
});

/** A transport over a Hocuspocus that lets everyone in, with a short idle timeout. */
async function start(extensions: Extension[] = [], timeout = 60_000): Promise<{ url: string; hocuspocus: Hocuspocus<SyncContext>; logs: SyncLogEntry[] }> {
  const logs: SyncLogEntry[] = [];
  const hocuspocus = new Hocuspocus<SyncContext>({ quiet: true, timeout, extensions: [...extensions, { async onAuthenticate() {} }] });
  transport = await listenTransport({ hocuspocus, host: '127.0.0.1', port: 0, log: createSyncLog((entry) => logs.push(entry)), pingIntervalMs: 200 });
  return { url: `ws://127.0.0.1:${transport.port}`, hocuspocus, logs };
}

describe('the transport', () => {
  it('keeps an idle provider alive with Ping/Pong, while a client that never answers is timed out', async () => {
    const { url } = await start([], 1500);
    const idle = openProvider({ url, schemaVersion: null, docName: 'idle-doc/text', token: 't' });
    providers.push(idle);
    await idle.whenSynced();
    const silent = await RawSyncClient.connect(url, { schemaVersion: null, answerPing: false, answerStep1: false });
    raws.push(silent);
    expect(await silent.authenticate('silent-doc/text', 't')).toMatchObject({ status: 'authenticated' });
    // Hocuspocus closes connections idle for `timeout` (4408); the provider answers every Ping, the raw client does not.
    const closed = await silent.waitClosed();
    expect(closed?.code).toBe(4408);
    expect(silent.pingsReceived).toBeGreaterThan(0);
    expect(idle.closes).toEqual([]);
    expect(idle.socket.status).toBe('connected');
  });

  it('lets socket guards see every frame first and close the socket with their code', async () => {
    const seen: number[] = [];
    const guard: Extension & SocketGuard = {
      extensionName: 'test-guard',
      guardSocket: (): FrameGuard => ({
        inspect: (frame) => {
          seen.push(frame.byteLength);
          return frame.byteLength === 3 ? { code: 4999, reason: 'three bytes' } : null;
        },
      }),
    };
    const { url } = await start([guard]);
    const raw = await RawSyncClient.connect(url, { schemaVersion: null, answerPing: false, answerStep1: false });
    raws.push(raw);
    expect(await raw.authenticate('guarded/text', 't')).toMatchObject({ status: 'authenticated' });
    raw.send(new Uint8Array([1, 2, 3]));
    expect(await raw.waitClosed()).toEqual({ code: 4999, reason: 'three bytes' });
    expect(seen.at(-1)).toBe(3);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('answers HTTP requests no hook takes with a JSON 404, and a failing hook with a JSON 500', async () => {
    const failing: Extension = {
      async onRequest({ request }) {
        if (request.url === '/boom') throw new Error('hook failed');
      },
    };
    const { url, logs } = await start([failing]);
    const http = url.replace('ws:', 'http:');
    const missing = await fetch(`${http}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not-found', message: 'There is nothing at this address.' } });
    const boom = await fetch(`${http}/boom`);
    expect(boom.status).toBe(500);
    expect(((await boom.json()) as { error: { code: string } }).error.code).toBe('internal');
    expect(logs.find((entry) => entry.event === 'http.failed')).toMatchObject({ path: '/boom' });
  });

  it('closes cleanly: sockets get 1001, documents are unloaded, onDestroy runs and the port is free', async () => {
    let destroyed = false;
    const { url, hocuspocus } = await start([{ async onDestroy() { destroyed = true; } }]);
    const provider = openProvider({ url, schemaVersion: null, docName: 'closing/text', token: 't' });
    providers.push(provider);
    await provider.whenSynced();
    expect(hocuspocus.getDocumentsCount()).toBe(1);
    const port = Number(new URL(url).port);
    await transport?.close();
    transport = undefined;
    await waitUntil(() => provider.closes.length > 0, 'the provider sees the close');
    expect(provider.closes[0]?.code).toBe(1001);
    expect(hocuspocus.getDocumentsCount()).toBe(0);
    expect(destroyed).toBe(true);
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });
});
