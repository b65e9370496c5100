import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncLogEntry, SyncServerOptions } from './api.ts';
import { startTestServer, TEST_PASSWORD } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

/** A password that must never reach a log line. */
const GUESS = 'Guessed-Passw0rd-That-Must-Not-Be-Logged';

let t: TestServer | undefined;
let clock: { now: number };
const children: ChildProcess[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A real server on 127.0.0.1 port 0 whose throttle reads `clock`, with accounts fra1 and chair1 and a counting spy on the password check. */
async function start(options: Partial<SyncServerOptions> = {}): Promise<{ server: TestServer; verify: { mock: { calls: unknown[][] } } }> {
  clock = { now: Date.now() };
  t = await startTestServer({ ...options, loginThrottle: { now: () => clock.now, ...options.loginThrottle } });
  t.account('fra1', 'delegation', { delegation: 'FRA' });
  t.account('chair1', 'chair');
  // A spy, not a mock: the real scrypt check runs; the count proves which attempts reached it.
  const verify = vi.spyOn(t.server.accounts, 'verify');
  return { server: t, verify };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: { code: string; message: string }; refreshToken?: string };
  exposed: string | null;
}

async function post(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
    exposed: response.headers.get('access-control-expose-headers'),
  };
}

function login(server: TestServer, name: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  return post(server, '/api/login', { name, password }, headers);
}

const WRONG = { status: 401, retryAfter: null, body: { error: { code: 'unauthenticated', message: 'Wrong name or password' } } };
const throttled = (seconds: number, minutes: number): Partial<Answer> => ({
  status: 429,
  retryAfter: String(seconds),
  body: { error: { code: 'too-many-attempts', message: `Too many failed sign-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.` } },
});

function lockouts(logs: SyncLogEntry[]): SyncLogEntry[] {
  return logs.filter((entry) => entry.event === 'login.locked');
}

describe('throttled sign-ins', () => {
  it('answers 429 with Retry-After after five wrong passwords, refuses the right one too, and checks no password meanwhile', async () => {
    const { server, verify } = await start();
    for (let i = 0; i < 5; i++) expect(await login(server, 'fra1', GUESS)).toMatchObject(WRONG);
    expect(verify.mock.calls.length).toBe(5);

    const refused = await login(server, 'fra1', GUESS);
    expect(refused).toMatchObject(throttled(30, 1));
    expect(refused.exposed).toContain('Retry-After');
    // The right password during the lockout: refused the same way, or guessing would simply go on.
    expect(await login(server, 'fra1', TEST_PASSWORD)).toMatchObject(throttled(30, 1));
    for (let i = 0; i < 20; i++) expect((await login(server, 'fra1', `${GUESS}-${i}`)).status).toBe(429);
    expect(verify.mock.calls.length).toBe(5);
    // Other accounts from the same address still sign in.
    expect((await login(server, 'chair1', TEST_PASSWORD)).status).toBe(200);

    expect(lockouts(server.logs)).toMatchObject([{ level: 'warn', scope: 'account', name: 'fra1', remote: '127.0.0.1', failures: 5, seconds: 30 }]);
    for (const entry of server.logs) expect(JSON.stringify(entry)).not.toContain(GUESS);
  });

  it('lets the right password in once the window has passed, and that success starts the count again', async () => {
    const { server } = await start();
    for (let i = 0; i < 5; i++) await login(server, 'fra1', GUESS);
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(429);
    clock.now += 29_000;
    expect(await login(server, 'fra1', TEST_PASSWORD)).toMatchObject(throttled(1, 1));
    clock.now += 1_000;
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(200);
    // Reset: were the five failures still counted, this one would start a 60 s lockout and refuse the next.
    expect(await login(server, 'fra1', GUESS)).toMatchObject(WRONG);
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(200);
  });

  it('doubles the lockout with each failure after a window, up to 15 minutes', async () => {
    const { server } = await start();
    for (let i = 0; i < 5; i++) await login(server, 'fra1', GUESS);
    const waits: string[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = await login(server, 'fra1', GUESS);
      expect(answer.status).toBe(429);
      waits.push(answer.retryAfter as string);
      clock.now += Number(answer.retryAfter) * 1000;
      expect(await login(server, 'fra1', GUESS)).toMatchObject(WRONG);
    }
    expect(waits).toEqual(['30', '60', '120', '240', '480', '900', '900']);
    expect(await login(server, 'fra1', TEST_PASSWORD)).toMatchObject(throttled(900, 15));
  });

  it('throttles an unknown name exactly like a known one: same statuses, bodies and waits', async () => {
    const { server } = await start();
    const sequence = async (name: string): Promise<Answer[]> => {
      const answers: Answer[] = [];
      for (let i = 0; i < 7; i++) answers.push(await login(server, name, GUESS));
      clock.now += 30_000;
      answers.push(await login(server, name, GUESS), await login(server, name, GUESS));
      return answers;
    };
    const known = await sequence('fra1');
    const unknown = await sequence('nobody-by-this-name');
    expect(unknown).toEqual(known);
    expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 401, 429]);
    expect(lockouts(server.logs).map((entry) => entry.name)).toEqual(['fra1', 'fra1', 'nobody-by-this-name', 'nobody-by-this-name']);
  });

  it('locks an address after 20 failures across as many names, for every name, without checking passwords', async () => {
    const { server, verify } = await start();
    for (let i = 0; i < 20; i++) expect(await login(server, `delegate-${i}`, GUESS)).toMatchObject(WRONG);
    expect(await login(server, 'delegate-20', GUESS)).toMatchObject(throttled(30, 1));
    expect(await login(server, 'chair1', TEST_PASSWORD)).toMatchObject(throttled(30, 1));
    expect(verify.mock.calls.length).toBe(20);
    expect(lockouts(server.logs)).toMatchObject([{ scope: 'address', remote: '127.0.0.1', failures: 20, seconds: 30 }]);
    clock.now += 30_000;
    expect((await login(server, 'chair1', TEST_PASSWORD)).status).toBe(200);
    // The success cleared the address: twenty more names would be checked again.
    expect(await login(server, 'delegate-21', GUESS)).toMatchObject(WRONG);
  });

  it('counts refused refresh tokens against the address, which then refuses sign-ins and refreshes alike', async () => {
    const { server, verify } = await start();
    const good = await login(server, 'fra1', TEST_PASSWORD);
    expect(good.status).toBe(200);
    for (let i = 0; i < 20; i++) {
      expect(await post(server, '/api/refresh', { refreshToken: `forged-${i}` })).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    }
    expect(await post(server, '/api/refresh', { refreshToken: good.body.refreshToken })).toMatchObject(throttled(30, 1));
    expect(await login(server, 'fra1', TEST_PASSWORD)).toMatchObject(throttled(30, 1));
    expect(verify.mock.calls.length).toBe(1);
    clock.now += 30_000;
    // The good refresh token was not used up by the refused attempt.
    expect((await post(server, '/api/refresh', { refreshToken: good.body.refreshToken })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless the socket is a trusted proxy', async () => {
    const { server } = await start({ loginThrottle: { freeFailuresPerAddress: 3 } });
    for (let i = 0; i < 3; i++) await login(server, `name-${i}`, GUESS, { 'X-Forwarded-For': `198.51.100.${i}` });
    expect((await login(server, 'name-3', GUESS, { 'X-Forwarded-For': '198.51.100.77' })).status).toBe(429);
    expect(lockouts(server.logs)).toMatchObject([{ scope: 'address', remote: '127.0.0.1' }]);
  });

  it('behind a trusted proxy, throttles the forwarded client address, and a hop the client forged does not help', async () => {
    const { server } = await start({ trustedProxies: ['127.0.0.1', '::1'], loginThrottle: { freeFailuresPerAddress: 3 } });
    for (let i = 0; i < 3; i++) expect(await login(server, `name-${i}`, GUESS, { 'X-Forwarded-For': '203.0.113.9' })).toMatchObject(WRONG);
    expect((await login(server, 'name-3', GUESS, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
    expect((await login(server, 'name-3', GUESS, { 'X-Forwarded-For': '192.0.2.1, 203.0.113.9' })).status).toBe(429);
    // Another client behind the same proxy, and the proxy itself, are not locked.
    expect(await login(server, 'name-4', GUESS, { 'X-Forwarded-For': '203.0.113.10' })).toMatchObject(WRONG);
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(200);
    expect(lockouts(server.logs)).toMatchObject([{ scope: 'address', remote: '203.0.113.9', failures: 3 }]);
  });

  it('keeps at most maxEntries names: the least recently failed one is forgotten first', async () => {
    const { server } = await start({ loginThrottle: { maxEntries: 3 } });
    for (let i = 0; i < 5; i++) await login(server, 'fra1', GUESS);
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(429);
    for (const name of ['a-name', 'b-name']) await login(server, name, GUESS);
    // fra1 is still among the three kept.
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(429);
    await login(server, 'c-name', GUESS);
    // A fourth name pushed the oldest (fra1) out: its counters are gone, the right password works.
    expect((await login(server, 'fra1', TEST_PASSWORD)).status).toBe(200);
  });
});

describe('serve --trusted-proxy', () => {
  it('reads the proxies from the flag, PENHOLDER_TRUSTED_PROXY or the config file, and refuses a bad one before starting', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-throttle-cli-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PENHOLDER_')));
      const config = path.join(dir, 'config.json');
      fs.writeFileSync(config, JSON.stringify({ trustedProxies: ['127.0.0.1', '10.0.0.0/99'] }));
      const data = path.join(dir, 'data');
      const cli = path.resolve(import.meta.dirname, 'cli.ts');
      for (const [args, extra, bad] of [
        [['--trusted-proxy', '127.0.0.1,proxy.local'], {}, 'proxy.local'],
        [[], { PENHOLDER_TRUSTED_PROXY: '::1, 300.1.2.3' }, '300.1.2.3'],
        [['--config', config], {}, '10.0.0.0/99'],
      ] as const) {
        const result = spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--data', data, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
        expect(result.status).toBe(1);
        expect(result.stderr.trim()).toBe(`Error: --trusted-proxy: "${bad}" is not a proxy address: give an IP address (10.0.0.5, ::1) or a subnet (10.0.0.0/8, fd00::/8).`);
      }
      // Refused before anything was created.
      expect(fs.existsSync(data)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the CLI server throttle and log the forwarded client address', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-throttle-cli-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PENHOLDER_')));
      const child = spawn(process.execPath, [path.resolve(import.meta.dirname, 'cli.ts'), 'serve', '--json', '--port', '0', '--data', dir, '--trusted-proxy', '127.0.0.1,::1'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const httpUrl = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          if (stdout.includes('\n')) resolve((JSON.parse(stdout.split('\n')[0] as string) as { httpUrl: string }).httpUrl);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${httpUrl}/api/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.44' },
          body: JSON.stringify({ name: 'nobody', password: GUESS }),
        });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const closed = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await closed;
      const entries = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as SyncLogEntry);
      expect(lockouts(entries)).toMatchObject([{ scope: 'account', name: 'nobody', remote: '203.0.113.44', failures: 5 }]);
      expect(stderr).not.toContain(GUESS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
