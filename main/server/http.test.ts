import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { MAX_BODY_BYTES } from './http.ts';
import { startTestServer, TEST_PASSWORD } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

let t: TestServer;

beforeEach(async () => {
  t = await startTestServer({ serverId: 'test-server-1' });
  await t.server.store.putDocument('ga-res-79', 'Oceans');
  await t.server.store.putDocument('hrc-55-l1', 'Human rights');
  t.account('chair1', 'chair', { documents: ['ga-res-79'] });
  t.account('chair2', 'chair', { documents: [] });
  t.account('fra1', 'delegation', { delegation: 'FRA', documents: ['ga-res-79'] });
  t.account('sec1', 'secretariat', { documents: ['*'] });
});

afterEach(async () => {
  await t.close();
});

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
  headers: Headers;
}

async function call(method: string, path: string, options: { body?: unknown; raw?: string; token?: string; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined || options.raw !== undefined) headers['Content-Type'] = options.type ?? 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const response = await fetch(`${t.server.httpUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

describe('POST /api/login', () => {
  it('answers a token, a refresh token, its expiry and the account', async () => {
    const answer = await call('POST', '/api/login', { body: { name: 'fra1', password: TEST_PASSWORD } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ account: { name: 'fra1', role: 'delegation', delegation: 'FRA' } });
    expect(typeof answer.body.token).toBe('string');
    expect(typeof answer.body.refreshToken).toBe('string');
    expect(Date.parse(answer.body.expiresAt as string)).toBeGreaterThan(Date.now());
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 "Wrong name or password" for a wrong password or an unknown name', async () => {
    for (const body of [{ name: 'fra1', password: 'not the password' }, { name: 'nobody', password: TEST_PASSWORD }]) {
      const answer = await call('POST', '/api/login', { body });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: 'Wrong name or password' } } });
    }
  });

  it('answers 400 with a clear message for a body that is not {name, password}', async () => {
    expect(await call('POST', '/api/login', { body: { name: 'fra1' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'bad-request', message: expect.stringContaining('password') } },
    });
    expect(await call('POST', '/api/login', { body: { name: 'fra1', password: TEST_PASSWORD, admin: true } })).toMatchObject({ status: 400 });
    expect(await call('POST', '/api/login', { raw: '{"name": "fra1",' })).toMatchObject({ status: 400, body: { error: { message: 'The body is not valid JSON.' } } });
    expect(await call('POST', '/api/login', { raw: 'name=fra1', type: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415 });
    expect(await call('GET', '/api/login')).toMatchObject({ status: 405, body: { error: { code: 'method-not-allowed' } } });
  });

  it(`refuses a body over ${MAX_BODY_BYTES / 1024} KiB with 413 and keeps serving`, async () => {
    const big = JSON.stringify({ name: 'fra1', password: 'x'.repeat(MAX_BODY_BYTES) });
    // Without Content-Length (chunked), so the limit is enforced while reading, not only from the header.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${t.server.httpUrl}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(big.slice(0, 40_000));
      request.end(big.slice(40_000));
    });
    expect(status).toBe(413);
    expect(await call('POST', '/api/login', { raw: big })).toMatchObject({ status: 413, body: { error: { code: 'too-large' } } });
    expect((await call('POST', '/api/login', { body: { name: 'fra1', password: TEST_PASSWORD } })).status).toBe(200);
  });
});

describe('/api/documents', () => {
  it('lists only the documents granted to the account', async () => {
    const fra = (await t.signIn('fra1')).token;
    const answer = await call('GET', '/api/documents', { token: fra });
    expect(answer.status).toBe(200);
    expect((answer.body.documents as Array<{ id: string; title: string; updatedAt: string }>).map(({ id, title }) => ({ id, title }))).toEqual([
      { id: 'ga-res-79', title: 'Oceans' },
    ]);
    const sec = (await t.signIn('sec1')).token;
    const all = await call('GET', '/api/documents', { token: sec });
    expect((all.body.documents as Array<{ id: string }>).map((d) => d.id).sort()).toEqual(['ga-res-79', 'hrc-55-l1']);
  });

  it('needs a valid Bearer token', async () => {
    expect(await call('GET', '/api/documents')).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await call('GET', '/api/documents', { token: 'nonsense' })).toMatchObject({ status: 401 });
    const fra = (await t.signIn('fra1')).token;
    t.server.accounts.disable('fra1');
    expect(await call('GET', '/api/documents', { token: fra })).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('disabled') } } });
  });

  it("publishes a document for the chair's team only and grants it to the publisher", async () => {
    const chair2 = (await t.signIn('chair2')).token;
    const published = await call('POST', '/api/documents', { token: chair2, body: { id: 'unep-ea-6', title: '  Plastics treaty  ' } });
    expect(published.status).toBe(201);
    expect(published.body.document).toMatchObject({ id: 'unep-ea-6', title: 'Plastics treaty' });
    expect(t.server.accounts.get('chair2')?.documents).toEqual(['unep-ea-6']);
    const listed = await call('GET', '/api/documents', { token: chair2 });
    expect((listed.body.documents as Array<{ id: string }>).map((d) => d.id)).toEqual(['unep-ea-6']);
    // Publishing again (a new title) is idempotent for the publisher.
    expect((await call('POST', '/api/documents', { token: chair2, body: { id: 'unep-ea-6', title: 'Plastics' } })).status).toBe(200);

    const fra = (await t.signIn('fra1')).token;
    expect(await call('POST', '/api/documents', { token: fra, body: { id: 'fra-doc', title: 'Mine' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    const chair1 = (await t.signIn('chair1')).token;
    expect(await call('POST', '/api/documents', { token: chair1, body: { id: 'unep-ea-6', title: 'Taken over' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect(await call('POST', '/api/documents', { token: chair1, body: { id: 'Bad Id!', title: 'x' } })).toMatchObject({ status: 400 });
    expect((await t.server.store.listDocuments()).find((d) => d.id === 'unep-ea-6')?.title).toBe('Plastics');
  });
});

describe('the rest', () => {
  it('GET /api/info names the server and its schema version', async () => {
    expect(await call('GET', '/api/info')).toMatchObject({ status: 200, body: { name: 'penholder', schemaVersion: SCHEMA_VERSION, serverId: 'test-server-1' } });
  });

  it('answers JSON 404 elsewhere, and CORS preflights', async () => {
    expect(await call('GET', '/api/nothing')).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect(await call('GET', '/')).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    const preflight = await fetch(`${t.server.httpUrl}/api/login`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('answers on the same port as the WebSocket', async () => {
    expect(new URL(t.server.httpUrl).port).toBe(new URL(t.server.url).port);
    const raw = await t.raw();
    expect(raw.open).toBe(true);
  });
});
