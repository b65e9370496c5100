import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tcpConnect, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { IpcResult } from '../../shared/ipc.ts';
import { MAX_WIRE_FRAME_BYTES, decodeFrame, encodeFrame } from '../../shared/wire.ts';
import { startWebHost, type WebHost } from './host.ts';

let dir: string;
let host: WebHost;
const logged: string[] = [];
const SECRET = 'secret-outside-the-static-folder';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-host-'));
  const staticDir = join(dir, 'dist-web');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Penholder</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("penholder");');
  writeFileSync(join(staticDir, '.env'), SECRET);
  writeFileSync(join(dir, 'package.json'), SECRET);
  host = await startWebHost({ workspaceDir: join(dir, 'workspace'), port: 0, staticDir, log: (m) => void logged.push(m) });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the path sent byte for byte (no client-side normalization of `..`). */
function get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a bridge socket; resolves with it once open, or rejects with the HTTP status of the refusal. */
function connect(options: { token?: string | null; origin?: string | null } = {}): Promise<WebSocket> {
  const token = options.token === undefined ? host.token : options.token;
  const origin = options.origin === undefined ? host.origin : options.origin;
  const url = `ws://127.0.0.1:${host.port}/bridge${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const socket = new WebSocket(url, origin === null ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** Sends one call over a socket and waits for its answer. */
function call(socket: WebSocket, id: number, op: string, request: unknown): Promise<IpcResult<unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = decodeFrame(data.toString()) as { id: number; result: IpcResult<unknown> };
      if (frame.id !== id) return;
      socket.off('message', onMessage);
      resolve(frame.result);
    };
    socket.on('message', onMessage);
    socket.send(encodeFrame({ id, op: op as never, request }));
  });
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

function value<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('static files', () => {
  it('serves the page with a strict CSP and the script with its content type', async () => {
    const page = await get('/?token=abc');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws: wss:`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('penholder');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E%2Fpackage.json',
    '/..%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%5cpackage.json',
    '/%252e%252e/package.json',
    '/.env',
    '/%2eenv',
    '/index.html%00.js',
    '/%E0%A4%A',
    '//etc/passwd',
    '/%2Fetc%2Fpasswd',
  ])('refuses %s', async (path) => {
    const response = await get(path);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain(SECRET);
  });

  it('refuses another Host name (DNS rebinding) and other methods', async () => {
    expect((await get('/', { Host: `evil.example:${host.port}` })).status).toBe(421);
    const post = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: host.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(post).toBe(405);
  });
});

describe('bridge admission', () => {
  it('prints a page URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a missing or wrong token', async () => {
    await expect(connect({ token: null })).rejects.toThrow('refused 401');
    await expect(connect({ token: 'wrong' })).rejects.toThrow('refused 401');
    await expect(connect({ token: `${host.token}x` })).rejects.toThrow('refused 401');
  });

  it('refuses another Origin, or none, even with the right token', async () => {
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(connect({ origin: `http://localhost:${host.port}` })).rejects.toThrow('refused 403');
    await expect(connect({ origin: null })).rejects.toThrow('refused 403');
  });
});

describe('bridge calls', () => {
  it('creates a document, appends an update and loads it back with the bytes intact', async () => {
    const socket = await connect();
    const created = value(await call(socket, 1, 'createDocument', { title: 'Water data', template: 'blank' })) as { id: string };

    const chair = new Y.Doc();
    chair.getMap('statuses').set('zd-p01', 'agreed-ad-ref');
    const update = Y.encodeStateAsUpdate(chair);
    const appended = value(await call(socket, 2, 'appendUpdate', { id: created.id, ydoc: 'chair', update })) as { seq: number };
    expect(appended.seq).toBeGreaterThan(0);

    const loaded = value(await call(socket, 3, 'loadYDoc', { id: created.id, ydoc: 'chair' })) as { state: unknown };
    expect(loaded.state).toBeInstanceOf(Uint8Array);
    const back = new Y.Doc();
    Y.applyUpdate(back, loaded.state as Uint8Array);
    expect(back.getMap('statuses').get('zd-p01')).toBe('agreed-ad-ref');

    const info = value(await call(socket, 4, 'getAppInfo', {})) as { shell: string; lastOpenedId: string | null };
    expect(info.shell).toBe('web');
    // The first run created the sample and opened it.
    expect(info.lastOpenedId).not.toBeNull();
    socket.close();
  });

  it('answers an unknown operation and an invalid request with errors, and keeps the socket', async () => {
    const socket = await connect();
    const unknown = await call(socket, 10, 'formatHardDisk', {});
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('invalid-request');
    const invalid = await call(socket, 11, 'listDocuments', { trashed: 'maybe' });
    expect(invalid.ok ? 'ok' : invalid.error.message).toContain('"trashed"');
    const proto = await call(socket, 12, 'listDocuments', JSON.parse('{"trashed":false,"__proto__":{"x":1}}'));
    expect(proto.ok ? 'ok' : proto.error.code).toBe('invalid-request');
    expect(value(await call(socket, 13, 'listDocuments', { trashed: false }))).toBeInstanceOf(Array);
    socket.close();
  });

  it.each([
    ['bad JSON', 'this is not json', 1008],
    ['an array', '[1,2,3]', 1008],
    ['a frame without id', '{"op":"listDocuments","request":{"trashed":false}}', 1008],
    ['a malformed $bytes', '{"id":1,"op":"appendUpdate","request":{"update":{"$bytes":"***"}}}', 1008],
  ])('closes on %s and keeps serving others', async (_name, frame, code) => {
    const bad = await connect();
    const closed = closeCode(bad);
    bad.send(frame);
    expect(await closed).toBe(code);

    const good = await connect();
    expect(value(await call(good, 1, 'listDocuments', { trashed: false }))).toBeInstanceOf(Array);
    good.close();
  });

  it('closes on a binary frame and on an oversized frame, and keeps serving others', async () => {
    const binary = await connect();
    const binaryClosed = closeCode(binary);
    binary.send(Buffer.from([1, 2, 3]));
    expect(await binaryClosed).toBe(1008);

    const big = await connect();
    const bigClosed = closeCode(big);
    big.send('x'.repeat(MAX_WIRE_FRAME_BYTES + 1));
    expect(await bigClosed).toBe(1009);

    const good = await connect();
    expect(value(await call(good, 1, 'getAppInfo', {}))).toMatchObject({ shell: 'web' });
    good.close();
  });
});

describe('sync servers through the bridge', () => {
  it('hosts a session, signs the host in, and stops it (freeing the port) when the web host closes', async () => {
    const other = await startWebHost({ workspaceDir: join(dir, 'workspace-hosting'), port: 0, staticDir: join(dir, 'dist-web'), log: () => {} });
    let port: number;
    try {
      const socket = await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${other.port}/bridge?token=${encodeURIComponent(other.token)}`, { origin: other.origin });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
      const status = value(await call(socket, 1, 'startHosting', {})) as { running: boolean; port: number; serverUrl: string };
      expect(status.running).toBe(true);
      port = status.port;
      const servers = value(await call(socket, 2, 'listServers', {})) as Array<{ url: string; hosted: boolean; credentialsPersist: boolean; account: { role: string } | null }>;
      expect(servers).toEqual([expect.objectContaining({ url: status.serverUrl, hosted: true, credentialsPersist: false, account: expect.objectContaining({ role: 'chair' }) })]);
      const token = value(await call(socket, 3, 'getAccessToken', { serverUrl: status.serverUrl })) as { accessToken: string };
      expect(token.accessToken.length).toBeGreaterThan(20);
      socket.close();
    } finally {
      await other.close();
    }
    expect(await reachable(port)).toBe(false);
  });

  it('answers saves while a sign-in still waits for a server that does not answer', async () => {
    // A server that accepts connections and never answers: the sign-in waits for its timeout.
    const held: Socket[] = [];
    const silent = createTcpServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const socket = await connect();
    try {
      const created = value(await call(socket, 1, 'createDocument', { title: 'Saved while waiting', template: 'blank' })) as { id: string };
      const order: string[] = [];
      const signIn = call(socket, 2, 'signIn', { serverUrl: `http://127.0.0.1:${silentPort}`, name: 'Chair', password: 'chair-password' }).then((r) => {
        order.push('signIn');
        return r;
      });
      const doc = new Y.Doc();
      doc.getMap('statuses').set('p1', 'open');
      const append = call(socket, 3, 'appendUpdate', { id: created.id, ydoc: 'chair', update: Y.encodeStateAsUpdate(doc) }).then((r) => {
        order.push('appendUpdate');
        return r;
      });
      expect(value(await append)).toMatchObject({ seq: expect.any(Number) });
      expect(order).toEqual(['appendUpdate']);
      // Let the sign-in fail now rather than at its timeout: once its connection is in, the server hangs up.
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const held1 of held) held1.destroy();
      const failed = await signIn;
      expect(failed.ok ? 'ok' : failed.error.code).toBe('unreachable');
    } finally {
      socket.close();
      for (const held1 of held) held1.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

/** Whether anything accepts TCP connections on 127.0.0.1:port. */
function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
