import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../shared/ipc.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { startSyncServer, type RunningSyncServer } from '../server/index.ts';
import { Workspace } from '../storage/index.ts';
import { EncryptedFileCredentialVault, MemoryCredentialVault, type CredentialVault, type SecretCipher } from './credentials.ts';
import { createIpcHandlers, type IpcHandlers } from './handlers.ts';
import { createSyncServices, type SyncServices } from './syncServices.ts';
import { NodeWebSocket } from '../../tests/helpers/sync-server.ts';
import { ok } from '../../tests/helpers/ipc.ts';

const CHAIR = { name: 'Chair Bureau', password: 'chair-password-1' };
const FRANCE = { name: 'France', password: 'france-password-1' };
const OBSERVER = { name: 'Observer', password: 'observer-password-1' };

let serverDir: string;
let server: RunningSyncServer;
let dir: string;
let workspace: Workspace;
let vault: CredentialVault;
let clock: { offset: number };
let sync: SyncServices;
let handlers: IpcHandlers;
let logged: string[];

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'penholder-remote-server-'));
  server = await startSyncServer({ dataDir: serverDir, log: () => {} });
  server.accounts.add({ ...CHAIR, role: 'chair' });
  server.accounts.add({ ...FRANCE, role: 'delegation', delegation: 'FRA' });
  server.accounts.add({ ...OBSERVER, role: 'observer' });
  await server.store.putDocument('granted-doc', 'Granted to France');
  await server.store.putDocument('secret-doc', 'Not granted to France');
  server.accounts.grant(FRANCE.name, 'granted-doc');
});

afterAll(async () => {
  await server.close();
  rmSync(serverDir, { recursive: true, force: true });
});

function build(options: { vault?: CredentialVault } = {}): void {
  vault = options.vault ?? new MemoryCredentialVault();
  sync = createSyncServices({ workspace, vault, log: (m) => void logged.push(m), now: () => Date.now() + clock.offset, timeoutMs: 3000 });
  handlers = createIpcHandlers({ workspace, sync, shell: 'web', version: '1.0.0', openExternal: async () => {}, log: (m) => void logged.push(m) });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-remote-'));
  workspace = Workspace.open(join(dir, 'workspace'));
  clock = { offset: 0 };
  logged = [];
  build();
});

afterEach(async () => {
  await sync.close();
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

function failure<T>(result: IpcResult<T>): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** GET /api/documents with a token, straight to the server: proves a token works. */
async function documentsWith(token: string): Promise<number> {
  const response = await fetch(`${server.httpUrl}/api/documents`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}

/** A plain HTTP server that is not Penholder, answering every request with `answer`. */
async function foreignServer(answer: (res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const foreign: Server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const port = (foreign.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => foreign.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('servers and sign-in', () => {
  it('adds a server given as ws:// and remembers it across restarts, in canonical form', async () => {
    const added = ok(await handlers.addServer({ url: `${server.url}/` }));
    expect(added.url).toBe(server.httpUrl);
    expect(added.wsUrl).toBe(`${server.url}/?schema=${SCHEMA_VERSION}`);
    expect(added).toMatchObject({ schemaVersion: SCHEMA_VERSION, account: null, hosted: false, credentialsPersist: false });

    await sync.close();
    build();
    expect(ok(await handlers.listServers({})).map((s) => s.url)).toEqual([server.httpUrl]);
    ok(await handlers.removeServer({ serverUrl: server.httpUrl }));
    expect(ok(await handlers.listServers({}))).toEqual([]);
    expect(failure(await handlers.removeServer({ serverUrl: server.httpUrl })).code).toBe('not-found');
  });

  it('signs in and hands the renderer an access token, never the refresh token', async () => {
    const session = ok(await handlers.signIn({ serverUrl: server.url, name: CHAIR.name, password: CHAIR.password }));
    expect(session.account).toEqual({ name: CHAIR.name, role: 'chair', delegation: null });
    expect(session.expiresAt).toBeGreaterThan(Date.now());
    expect(await documentsWith(session.accessToken)).toBe(200);
    const stored = JSON.parse((await vault.get(`sync-refresh:${server.httpUrl}`))!) as { refreshToken: string };
    expect(stored.refreshToken.length).toBeGreaterThan(20);
    expect(JSON.stringify(session)).not.toContain(stored.refreshToken);
    expect(ok(await handlers.listServers({}))[0]?.account).toEqual(session.account);
    // The cached token is handed out again while it has time left.
    expect(ok(await handlers.getAccessToken({ serverUrl: server.httpUrl })).accessToken).toBe(session.accessToken);
  });

  it('refuses a wrong password with the server\'s sentence and stores nothing', async () => {
    const error = failure(await handlers.signIn({ serverUrl: server.httpUrl, name: CHAIR.name, password: 'not-the-password' }));
    expect(error.code).toBe('wrong-password');
    expect(error.message).toMatch(/Wrong name or password/);
    expect(await vault.get(`sync-refresh:${server.httpUrl}`)).toBeNull();
    expect(ok(await handlers.listServers({}))[0]?.account).toBeNull();
    expect(failure(await handlers.getAccessToken({ serverUrl: server.httpUrl })).code).toBe('signed-out');
  });

  it("shows a throttled sign-in's 429 sentence unchanged, as a refusal rather than a wrong password, and stores nothing", async () => {
    const name = 'Someone Guessing';
    for (let i = 0; i < 5; i++) expect(failure(await handlers.signIn({ serverUrl: server.httpUrl, name, password: `guess-${i}` })).code).toBe('wrong-password');
    const error = failure(await handlers.signIn({ serverUrl: server.httpUrl, name, password: 'guess-5' }));
    // What the server itself answers now, straight from it.
    const response = await fetch(`${server.httpUrl}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password: 'x' }) });
    expect(response.status).toBe(429);
    const sentence = ((await response.json()) as { error: { message: string } }).error.message;
    expect(sentence).toMatch(/^Too many failed sign-ins\. Try again in \d+ minutes?\.$/);
    expect(error).toEqual({ code: 'forbidden', message: sentence });
    expect(await vault.get(`sync-refresh:${server.httpUrl}`)).toBeNull();
  });

  it('says how long to wait when a proxy in front of the server answers a plain-text 429', async () => {
    const proxy: Server = createServer((req, res) => {
      if (req.url === '/api/info') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ name: 'penholder', schemaVersion: SCHEMA_VERSION, serverId: 'behind-a-proxy' }));
        return;
      }
      res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': '120' });
      res.end('<h1>429 Too Many Requests</h1>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const error = failure(await handlers.signIn({ serverUrl: url, name: CHAIR.name, password: CHAIR.password }));
      expect(error).toEqual({ code: 'forbidden', message: `The server at ${url} refuses sign-ins for now; try again in 2 minutes.` });
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('says when a server cannot be reached', async () => {
    const port = await closedPort();
    const error = failure(await handlers.signIn({ serverUrl: `ws://127.0.0.1:${port}`, name: CHAIR.name, password: CHAIR.password }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toMatch(/refused/);
    expect(ok(await handlers.listServers({}))).toEqual([]);
  });

  it('says when the address is not a Penholder server', async () => {
    const html = await foreignServer((res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>Not found</h1>');
    });
    const other = await foreignServer((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ name: 'etherpad', schemaVersion: 1, serverId: 'x' }));
    });
    try {
      for (const url of [html.url, other.url]) {
        const error = failure(await handlers.signIn({ serverUrl: url, name: CHAIR.name, password: CHAIR.password }));
        expect(error.code).toBe('not-penholder');
        expect(error.message).toMatch(/not a Penholder server/);
      }
      expect(ok(await handlers.listServers({}))).toEqual([]);
    } finally {
      await html.close();
      await other.close();
    }
  });

  it('says which side must update when the schema versions differ', async () => {
    const newer = await foreignServer((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ name: 'penholder', schemaVersion: SCHEMA_VERSION + 1, serverId: 'future' }));
    });
    try {
      const error = failure(await handlers.addServer({ url: newer.url }));
      expect(error.code).toBe('version-mismatch');
      expect(error.message).toMatch(/needs a newer Penholder/);
    } finally {
      await newer.close();
    }
  });

  it('refreshes a token near expiry, once even when asked twice at the same moment', async () => {
    const session = ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const firstRefresh = (JSON.parse((await vault.get(`sync-refresh:${server.httpUrl}`))!) as { refreshToken: string }).refreshToken;
    // 30 seconds before expiry: inside the refresh margin.
    clock.offset = session.expiresAt - Date.now() - 30_000;
    // Refresh tokens are single-use on the server: two refreshes with the same one would sign the second caller out.
    const [a, b] = await Promise.all([handlers.getAccessToken({ serverUrl: server.httpUrl }), handlers.getAccessToken({ serverUrl: server.httpUrl })]);
    expect(ok(a).accessToken).toBe(ok(b).accessToken);
    const rotated = (JSON.parse((await vault.get(`sync-refresh:${server.httpUrl}`))!) as { refreshToken: string }).refreshToken;
    expect(rotated).not.toBe(firstRefresh);
    expect(await documentsWith(ok(a).accessToken)).toBe(200);
    expect(ok(a).account).toEqual({ name: FRANCE.name, role: 'delegation', delegation: 'FRA' });
  });

  it('refreshes on request after the server refused a token (forceRefresh), even with time left', async () => {
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const before = await vault.get(`sync-refresh:${server.httpUrl}`);
    const session = ok(await handlers.getAccessToken({ serverUrl: server.httpUrl, forceRefresh: true }));
    expect(await vault.get(`sync-refresh:${server.httpUrl}`)).not.toBe(before);
    expect(await documentsWith(session.accessToken)).toBe(200);
  });

  it('does not refresh a short-lived token on every call: the margin shrinks to half its lifetime', async () => {
    const shortDir = mkdtempSync(join(tmpdir(), 'penholder-remote-short-'));
    const short = await startSyncServer({ dataDir: shortDir, tokenTtlSeconds: 30, log: () => {} });
    try {
      short.accounts.add({ ...CHAIR, role: 'chair' });
      const session = ok(await handlers.signIn({ serverUrl: short.httpUrl, name: CHAIR.name, password: CHAIR.password }));
      const stored = await vault.get(`sync-refresh:${short.httpUrl}`);
      expect(ok(await handlers.getAccessToken({ serverUrl: short.httpUrl })).accessToken).toBe(session.accessToken);
      expect(await vault.get(`sync-refresh:${short.httpUrl}`)).toBe(stored);
      // 10 s before expiry is past half of 30 s: now it refreshes.
      clock.offset = session.expiresAt - Date.now() - 10_000;
      ok(await handlers.getAccessToken({ serverUrl: short.httpUrl }));
      expect(await vault.get(`sync-refresh:${short.httpUrl}`)).not.toBe(stored);
    } finally {
      await short.close();
      rmSync(shortDir, { recursive: true, force: true });
    }
  });

  it('answers signed-out when the refresh is refused, and forgets the credentials', async () => {
    const name = `Temp ${randomBytes(3).toString('hex')}`;
    server.accounts.add({ name, password: 'temporary-password', role: 'observer' });
    const session = ok(await handlers.signIn({ serverUrl: server.httpUrl, name, password: 'temporary-password' }));
    server.accounts.disable(name);
    clock.offset = session.expiresAt - Date.now() + 1000;
    const error = failure(await handlers.getAccessToken({ serverUrl: server.httpUrl }));
    expect(error.code).toBe('signed-out');
    expect(error.message).toMatch(/sign in again/);
    expect(await vault.get(`sync-refresh:${server.httpUrl}`)).toBeNull();
    expect(ok(await handlers.listServers({}))[0]?.account).toBeNull();
  });

  it('keeps handing out a still-valid token while the server is unreachable, and says unreachable once it expired', async () => {
    const serverDir2 = mkdtempSync(join(tmpdir(), 'penholder-remote-server2-'));
    const second = await startSyncServer({ dataDir: serverDir2, log: () => {} });
    try {
      second.accounts.add({ ...CHAIR, role: 'chair' });
      const session = ok(await handlers.signIn({ serverUrl: second.httpUrl, name: CHAIR.name, password: CHAIR.password }));
      await second.close();
      clock.offset = session.expiresAt - Date.now() - 30_000;
      expect(ok(await handlers.getAccessToken({ serverUrl: second.httpUrl })).accessToken).toBe(session.accessToken);
      clock.offset = session.expiresAt - Date.now() + 1000;
      expect(failure(await handlers.getAccessToken({ serverUrl: second.httpUrl })).code).toBe('unreachable');
      // Still signed in: the credentials wait for the server to come back.
      expect(ok(await handlers.listServers({})).find((s) => s.url === second.httpUrl)?.account?.name).toBe(CHAIR.name);
    } finally {
      await second.close();
      rmSync(serverDir2, { recursive: true, force: true });
    }
  });

  it('signs out on request: the next token request says signed-out', async () => {
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: CHAIR.name, password: CHAIR.password }));
    expect(ok(await handlers.signOut({ serverUrl: server.httpUrl }))).toBeNull();
    expect(failure(await handlers.getAccessToken({ serverUrl: server.httpUrl })).code).toBe('signed-out');
    expect(await vault.get(`sync-refresh:${server.httpUrl}`)).toBeNull();
  });

  it('stays signed in across a restart with an encrypted vault, without keeping the refresh token in plain text', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'credentials.json');
    await sync.close();
    build({ vault: new EncryptedFileCredentialVault(file, aesCipher(key)) });
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const stored = JSON.parse((await vault.get(`sync-refresh:${server.httpUrl}`))!) as { refreshToken: string };
    expect(readFileSync(file, 'utf8')).not.toContain(stored.refreshToken);

    await sync.close();
    build({ vault: new EncryptedFileCredentialVault(file, aesCipher(key)) });
    const [listed] = ok(await handlers.listServers({}));
    expect(listed).toMatchObject({ url: server.httpUrl, credentialsPersist: true, account: { name: FRANCE.name, delegation: 'FRA' } });
    const session = ok(await handlers.getAccessToken({ serverUrl: server.httpUrl }));
    expect(await documentsWith(session.accessToken)).toBe(200);
  });
});

describe('remote documents', () => {
  it('lists only the documents granted to the account', async () => {
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const listed = ok(await handlers.listRemoteDocuments({ serverUrl: server.httpUrl }));
    expect(listed.map((d) => d.id)).toEqual(['granted-doc']);
    expect(listed[0]).toMatchObject({ title: 'Granted to France', localId: null });
    expect(listed[0]!.updatedAt).toBeGreaterThan(0);
  });

  it('needs a sign-in to list documents', async () => {
    ok(await handlers.addServer({ url: server.httpUrl }));
    expect(failure(await handlers.listRemoteDocuments({ serverUrl: server.httpUrl })).code).toBe('signed-out');
  });

  it('opens a remote document as one local mirror, the same one every time, even from the trash', async () => {
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const mirror = ok(await handlers.openRemoteDocument({ serverUrl: server.url, documentId: 'granted-doc', title: 'Granted to France' }));
    expect(mirror.remote).toEqual({ serverUrl: server.httpUrl, documentId: 'granted-doc' });
    expect(mirror.id).not.toBe('granted-doc');
    expect(ok(await handlers.listDocuments({ trashed: false })).find((d) => d.id === mirror.id)?.remote).toEqual(mirror.remote);
    expect(ok(await handlers.listRemoteDocuments({ serverUrl: server.httpUrl }))[0]?.localId).toBe(mirror.id);

    const again = ok(await handlers.openRemoteDocument({ serverUrl: server.httpUrl, documentId: 'granted-doc', title: 'Other title' }));
    expect(again.id).toBe(mirror.id);
    ok(await handlers.trashDocument({ id: mirror.id }));
    const restored = ok(await handlers.openRemoteDocument({ serverUrl: server.httpUrl, documentId: 'granted-doc', title: 'Granted to France' }));
    expect(restored).toMatchObject({ id: mirror.id, trashedAt: null });
  });

  it('opens remote documents offline, but only of a known server', async () => {
    const port = await closedPort();
    const error = failure(await handlers.openRemoteDocument({ serverUrl: `http://127.0.0.1:${port}`, documentId: 'granted-doc', title: 'X' }));
    expect(error.code).toBe('not-found');
    expect(ok(await handlers.listDocuments({ trashed: false })).filter((d) => d.remote !== null)).toEqual([]);
  });

  it('publishes a local document as the chair and links it; publishing again is harmless', async () => {
    const local = ok(await handlers.createDocument({ title: 'Zero draft on oceans', template: 'blank' }));
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: CHAIR.name, password: CHAIR.password }));
    const published = ok(await handlers.publishDocument({ id: local.id, serverUrl: server.url }));
    expect(published.remote).toEqual({ serverUrl: server.httpUrl, documentId: local.id });
    expect((await server.store.listDocuments()).find((d) => d.id === local.id)?.title).toBe('Zero draft on oceans');
    const listed = ok(await handlers.listRemoteDocuments({ serverUrl: server.httpUrl })).find((d) => d.id === local.id);
    expect(listed?.localId).toBe(local.id);
    expect(ok(await handlers.publishDocument({ id: local.id, serverUrl: server.httpUrl })).remote).toEqual(published.remote);
  });

  it('gives the renderer what a provider needs: wsUrl and a token function push a published document', async () => {
    const local = ok(await handlers.createDocument({ title: 'Pushed text', template: 'blank' }));
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: CHAIR.name, password: CHAIR.password }));
    const published = ok(await handlers.publishDocument({ id: local.id, serverUrl: server.httpUrl }));
    const [listed] = ok(await handlers.listServers({}));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, ok(await handlers.loadYDoc({ id: local.id, ydoc: 'text' })).state);
    const socket = new HocuspocusProviderWebsocket({ url: listed!.wsUrl, WebSocketPolyfill: NodeWebSocket });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: `${published.remote!.documentId}/text`,
      document: doc,
      token: async () => ok(await handlers.getAccessToken({ serverUrl: listed!.url })).accessToken,
    });
    provider.attach();
    try {
      await new Promise<void>((resolve, reject) => {
        provider.on('synced', () => resolve());
        provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(reason)));
      });
      // The server stores every update before acknowledging it: wait until nothing is unacknowledged.
      while (provider.hasUnsyncedChanges) await new Promise((resolve) => setTimeout(resolve, 20));
      const stored = new Y.Doc();
      Y.applyUpdate(stored, await server.store.load(`${local.id}/text`));
      expect(stored.getXmlFragment(TEXT_FRAGMENT).toString()).toContain('Pushed text');
    } finally {
      provider.destroy();
      socket.destroy();
    }
  });

  it('refuses publishing by a delegation and leaves the document local', async () => {
    const local = ok(await handlers.createDocument({ title: 'French proposal', template: 'blank' }));
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: FRANCE.name, password: FRANCE.password }));
    const error = failure(await handlers.publishDocument({ id: local.id, serverUrl: server.httpUrl }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/chair/);
    expect(ok(await handlers.listDocuments({ trashed: false })).find((d) => d.id === local.id)?.remote).toBeNull();
    expect((await server.store.listDocuments()).some((d) => d.id === local.id)).toBe(false);
  });

  it('refuses to publish a mirror of another document, or a document in the trash', async () => {
    ok(await handlers.signIn({ serverUrl: server.httpUrl, name: CHAIR.name, password: CHAIR.password }));
    const mirror = ok(await handlers.openRemoteDocument({ serverUrl: server.httpUrl, documentId: 'granted-doc', title: 'Granted' }));
    const error = failure(await handlers.publishDocument({ id: mirror.id, serverUrl: server.httpUrl }));
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/already a copy/);
    const trashed = ok(await handlers.createDocument({ title: 'Old', template: 'blank' }));
    ok(await handlers.trashDocument({ id: trashed.id }));
    expect(failure(await handlers.publishDocument({ id: trashed.id, serverUrl: server.httpUrl })).message).toMatch(/trash/);
  });
});

/** A real AES-256-GCM cipher standing in for the OS keychain. */
function aesCipher(key: Buffer): SecretCipher {
  return {
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
