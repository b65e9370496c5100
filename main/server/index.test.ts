import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSyncServer } from './index.ts';
import type { SyncLogEntry } from './index.ts';
import { login, openProvider, TEST_PASSWORD, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-index-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('startSyncServer', () => {
  it('serves WebSocket and HTTP on one port of 127.0.0.1, keeps its files in the data folder, and closes cleanly', async () => {
    const logs: SyncLogEntry[] = [];
    const server = await startSyncServer({ dataDir: dir, log: (entry) => logs.push(entry) });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(server.httpUrl).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);

    await server.store.putDocument('ga-res-79', 'Oceans');
    server.accounts.add({ name: 'chair1', password: TEST_PASSWORD, role: 'chair', documents: ['*'] });
    const { token } = await login(server.httpUrl, 'chair1', TEST_PASSWORD);
    const chair = openProvider({ url: server.url, docName: 'ga-res-79/text', token });
    await chair.whenSynced();
    typeInto(chair.doc, 'Closing time');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the text is acknowledged');

    expect(fs.readdirSync(dir).sort()).toEqual(expect.arrayContaining(['accounts.sqlite', 'docs', 'documents.sqlite', 'token.key']));
    await server.close();
    await server.close();
    await waitUntil(() => chair.closes.length > 0, 'the client sees the close');
    expect(chair.closes[0]?.code).toBe(1001);
    chair.destroy();
    expect(logs.at(-1)?.event).toBe('server.closed');
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(server.port, '127.0.0.1', () => probe.close(() => resolve()));
    });

    // Everything was released: a new server opens the same folder and has the text.
    const again = await startSyncServer({ dataDir: dir, log: () => {} });
    try {
      const reader = openProvider({ url: again.url, docName: 'ga-res-79/text', token });
      await reader.whenSynced();
      expect(typedText(reader.doc)).toBe('Closing time');
      reader.destroy();
    } finally {
      await again.close();
    }
  });

  it('fails to start with the store\'s error and leaves nothing open when PostgreSQL cannot be reached', async () => {
    const refusedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(
      startSyncServer({ dataDir: dir, log: () => {}, store: { kind: 'postgres', connectionString: `postgres://nobody@127.0.0.1:${refusedPort}/none` } }),
    ).rejects.toThrow();
    // The accounts file was closed: it can be removed and reopened at once.
    const server = await startSyncServer({ dataDir: dir, log: () => {} });
    await server.close();
  });
});
