import { connect, createServer as createTcpServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostingStatus, IpcResult } from '../../shared/ipc.ts';
import { Workspace } from '../storage/index.ts';
import { createIpcHandlers, type IpcHandlers } from './handlers.ts';
import { listNetworkInterfaces } from './hosting.ts';
import { createSyncServices, type SyncServices } from './syncServices.ts';
import { ok } from '../../tests/helpers/ipc.ts';

interface App {
  workspace: Workspace;
  sync: SyncServices;
  handlers: IpcHandlers;
}

let dir: string;
let apps: App[];
let host: App;

/** One Penholder app (workspace + handlers), as the host or a delegate would run it. */
function openApp(name: string): App {
  const workspace = Workspace.open(join(dir, name));
  const sync = createSyncServices({ workspace, log: () => {}, timeoutMs: 3000 });
  const handlers = createIpcHandlers({ workspace, sync, shell: 'web', version: '1.0.0', openExternal: async () => {}, log: () => {} });
  const app = { workspace, sync, handlers };
  apps.push(app);
  return app;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-hosting-'));
  apps = [];
  host = openApp('host');
});

afterEach(async () => {
  for (const app of apps) {
    await app.sync.close();
    app.workspace.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function failure<T>(result: IpcResult<T>): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Whether this process can listen on address:port now, i.e. the port is free. */
function canListen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createTcpServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, address, () => probe.close(() => resolve(true)));
  });
}

/** This machine's first non-loopback IPv4 address: the "room network" of these tests. */
function lanAddress(): string {
  const lan = listNetworkInterfaces().find((i) => !i.internal && i.family === 'IPv4');
  expect(lan, 'these tests need a non-loopback IPv4 interface').toBeDefined();
  return lan!.address;
}

describe('listNetworkInterfaces', () => {
  it('lists loopback first and this machine\'s other addresses', async () => {
    const interfaces = ok(await host.handlers.listNetworkInterfaces({}));
    expect(interfaces[0]).toMatchObject({ address: '127.0.0.1', family: 'IPv4', internal: true });
    expect(interfaces.some((i) => !i.internal)).toBe(true);
  });
});

describe('hosting a session', () => {
  it('listens on 127.0.0.1 only by default and signs the host in as chair', async () => {
    const status = ok(await host.handlers.startHosting({}));
    expect(status).toMatchObject({ running: true, bindAddress: '127.0.0.1', hostAccount: 'Chair' });
    const port = status.port!;
    expect(status.serverUrl).toBe(`http://127.0.0.1:${port}`);
    expect(status.addresses).toEqual([`http://127.0.0.1:${port}`]);
    expect(status.accounts).toEqual([{ name: 'Chair', role: 'chair', delegation: null, disabled: false }]);
    expect(existsSync(join(host.workspace.dir, 'hosting'))).toBe(true);

    expect(await accepts('127.0.0.1', port)).toBe(true);
    // Another loopback address and the machine's LAN address are other interfaces: nothing listens there.
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(await accepts(lanAddress(), port)).toBe(false);

    const [server] = ok(await host.handlers.listServers({}));
    expect(server).toMatchObject({ url: status.serverUrl, hosted: true, account: { name: 'Chair', role: 'chair' } });
    const token = ok(await host.handlers.getAccessToken({ serverUrl: status.serverUrl! }));
    expect(token.account.role).toBe('chair');
    expect(ok(await host.handlers.hostingStatus({}))).toEqual(status);
    const removal = failure(await host.handlers.removeServer({ serverUrl: status.serverUrl! }));
    expect(removal.message).toMatch(/stop hosting/);
  });

  it('listens on the chosen interface only when the host picks it', async () => {
    const lan = lanAddress();
    const status = ok(await host.handlers.startHosting({ bindAddress: lan }));
    expect(status.addresses).toEqual([`http://${lan}:${status.port}`]);
    expect(await accepts(lan, status.port!)).toBe(true);
    expect(await accepts('127.0.0.1', status.port!)).toBe(false);
  });

  it('stops and frees the port; starting again reuses the port delegates were given', async () => {
    const first = ok(await host.handlers.startHosting({}));
    const stopped = ok(await host.handlers.stopHosting({}));
    expect(stopped).toMatchObject({ running: false, port: null, serverUrl: null, addresses: [], accounts: [] });
    expect(await canListen('127.0.0.1', first.port!)).toBe(true);
    expect(await accepts('127.0.0.1', first.port!)).toBe(false);
    expect(ok(await host.handlers.stopHosting({})).running).toBe(false);

    const again = ok(await host.handlers.startHosting({}));
    expect(again.port).toBe(first.port);
    expect(again.serverUrl).toBe(first.serverUrl);
    expect(ok(await host.handlers.getAccessToken({ serverUrl: again.serverUrl! })).account.name).toBe('Chair');
  });

  it('answers the same status when started twice, and refuses another address while running', async () => {
    const first = ok(await host.handlers.startHosting({}));
    expect(ok(await host.handlers.startHosting({ bindAddress: '127.0.0.1' }))).toEqual(first);
    const error = failure(await host.handlers.startHosting({ bindAddress: lanAddress() }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/stop hosting/);
  });

  it.each([
    ['0.0.0.0', /every network/],
    ['::', /every network/],
    ['203.0.113.9', /not an address of this computer/],
  ])('refuses to bind %s and starts nothing', async (bindAddress, reason) => {
    const error = failure(await host.handlers.startHosting({ bindAddress }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(reason);
    expect(ok(await host.handlers.hostingStatus({})).running).toBe(false);
  });

  it('says so when the chosen port is taken', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = failure(await host.handlers.startHosting({ port }));
      expect(error.code).toBe('address-in-use');
      expect(error.message).toContain(String(port));
      expect(ok(await host.handlers.hostingStatus({})).running).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('falls back to a free port when the remembered one is taken', async () => {
    const first = ok(await host.handlers.startHosting({}));
    ok(await host.handlers.stopHosting({}));
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(first.port!, '127.0.0.1', resolve));
    try {
      const again = ok(await host.handlers.startHosting({}));
      expect(again.running).toBe(true);
      expect(again.port).not.toBe(first.port);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('accounts for the room', () => {
  it('adds a delegation account whose delegate signs in and sees what the host published', async () => {
    const status: HostingStatus = ok(await host.handlers.startHosting({ hostName: 'Co-facilitators' }));
    expect(status.hostAccount).toBe('Co-facilitators');
    const doc = ok(await host.handlers.createDocument({ title: 'Outcome document', template: 'blank' }));
    ok(await host.handlers.publishDocument({ id: doc.id, serverUrl: status.serverUrl! }));

    const added = ok(await host.handlers.hostAddAccount({ name: 'Brazil', role: 'delegation', delegation: 'BRA' }));
    expect(added.account).toEqual({ name: 'Brazil', role: 'delegation', delegation: 'BRA', disabled: false });
    expect(added.password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(ok(await host.handlers.hostingStatus({})).accounts.map((a) => a.name).sort()).toEqual(['Brazil', 'Co-facilitators']);

    const delegate = openApp('delegate');
    const session = ok(await delegate.handlers.signIn({ serverUrl: status.addresses[0]!, name: 'Brazil', password: added.password }));
    expect(session.account).toEqual({ name: 'Brazil', role: 'delegation', delegation: 'BRA' });
    const listed = ok(await delegate.handlers.listRemoteDocuments({ serverUrl: status.serverUrl! }));
    expect(listed.map((d) => [d.id, d.title])).toEqual([[doc.id, 'Outcome document']]);
  });

  it('refuses a name already taken, a password the server finds too short, and works only while hosting', async () => {
    expect(failure(await host.handlers.hostAddAccount({ name: 'Kenya', role: 'delegation', delegation: 'KEN' })).code).toBe('not-found');
    ok(await host.handlers.startHosting({}));
    ok(await host.handlers.hostAddAccount({ name: 'Kenya', role: 'delegation', delegation: 'KEN', password: 'kenya-password' }));
    const taken = failure(await host.handlers.hostAddAccount({ name: 'Kenya', role: 'observer' }));
    expect(taken.code).toBe('invalid-request');
    expect(taken.message).toMatch(/already exists/);
    const short = failure(await host.handlers.hostAddAccount({ name: 'Chile', role: 'delegation', delegation: 'CHL', password: 'short' }));
    expect(short.code).toBe('invalid-request');
    expect(short.message).toMatch(/at least 8/);
  });
});
