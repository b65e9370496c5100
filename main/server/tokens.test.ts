import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { SqliteAccountStore } from './accounts.ts';
import { startTestServer, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';
import { loadSigningKey, REFRESH_TOKEN_TTL_MS, TokenError, TokenService } from './tokens.ts';
import type { SignIn } from './tokens.ts';

let dir: string;
let accounts: SqliteAccountStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-tokens-'));
  accounts = SqliteAccountStore.open(dir);
  accounts.add({ name: 'fra1', password: 'correct horse battery', role: 'delegation', delegation: 'FRA', documents: ['*'] });
});

afterEach(() => {
  accounts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FRA = { name: 'fra1', role: 'delegation', delegation: 'FRA' } as const;

describe('the signing key', () => {
  it('is 32 random bytes in token.key, mode 0600, created once and kept', () => {
    const key = loadSigningKey(dir);
    const file = path.join(dir, 'token.key');
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadSigningKey(dir)).equals(Buffer.from(key))).toBe(true);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('token.key'))).toEqual(['token.key']);
  });

  it('is refused, not replaced, when damaged', () => {
    fs.writeFileSync(path.join(dir, 'token.key'), 'short');
    expect(() => loadSigningKey(dir)).toThrow(/damaged \(5 bytes instead of 32\)/);
    expect(fs.readFileSync(path.join(dir, 'token.key'), 'utf8')).toBe('short');
  });

  it('makes tokens survive a restart (same key) and tokens of another server worthless', async () => {
    const first = TokenService.open(dir, accounts);
    const { token } = await first.issue(FRA);
    expect(await TokenService.open(dir, accounts).verify(token)).toEqual(FRA);
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-tokens-other-'));
    try {
      await expect(TokenService.open(otherDir, accounts).verify(token)).rejects.toBeInstanceOf(TokenError);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('access tokens', () => {
  it('carry name, role and delegation, and expire after their lifetime', async () => {
    const service = TokenService.open(dir, accounts, { accessTokenTtlSeconds: 1 });
    const signIn = await service.issue(FRA);
    expect(decodeJwt(signIn.token)).toMatchObject({ name: 'fra1', role: 'delegation', delegation: 'FRA', sub: 'fra1' });
    expect(signIn.account).toEqual(FRA);
    expect(await service.verify(signIn.token)).toEqual(FRA);
    await waitUntil(() => Date.now() > Date.parse(signIn.expiresAt) + 1000, 'the token has expired', 5000);
    await expect(service.verify(signIn.token)).rejects.toThrow('The sign-in has expired.');
  });

  it('refuse tampered and foreign tokens', async () => {
    const service = TokenService.open(dir, accounts);
    const { token } = await service.issue(FRA);
    const [header, , signature] = token.split('.');
    const chairClaims = Buffer.from(JSON.stringify({ ...decodeJwt(token), role: 'chair', delegation: null })).toString('base64url');
    await expect(service.verify(`${header}.${chairClaims}.${signature}`)).rejects.toBeInstanceOf(TokenError);
    await expect(service.verify('')).rejects.toThrow('No token was given.');
    await expect(service.verify('a.b.c')).rejects.toBeInstanceOf(TokenError);
  });
});

describe('refresh tokens', () => {
  it('are stored hashed, last 30 days and are replaced on every use', async () => {
    const service = TokenService.open(dir, accounts);
    const first = await service.issue(FRA);
    const sqlite = fs.readFileSync(path.join(dir, 'accounts.sqlite-wal')).toString('latin1');
    expect(sqlite.includes(first.refreshToken)).toBe(false);
    const second = await service.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await service.verify(second.token)).toEqual(FRA);
    await expect(service.refresh(first.refreshToken)).rejects.toThrow(/expired or was revoked/);
    expect(REFRESH_TOKEN_TTL_MS).toBe(30 * 24 * 3600 * 1000);
  });

  it('are revoked when the account is disabled or its password reset', async () => {
    const service = TokenService.open(dir, accounts);
    const a = await service.issue(FRA);
    accounts.resetPassword('fra1', 'a brand new password');
    await expect(service.refresh(a.refreshToken)).rejects.toBeInstanceOf(TokenError);
    const b = await service.issue(FRA);
    accounts.disable('fra1');
    await expect(service.refresh(b.refreshToken)).rejects.toBeInstanceOf(TokenError);
  });
});

describe('on the server', () => {
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer({ tokenTtlSeconds: 1 });
    await t.server.store.putDocument('ga-res-79', 'Oceans');
    t.account('chair1', 'chair');
  });

  afterEach(async () => {
    await t.close();
  });

  it('refuses an expired access token with 4401 and lets POST /api/refresh get a new one', async () => {
    const signIn = await t.signIn('chair1');
    await waitUntil(() => Date.now() > Date.parse(signIn.expiresAt) + 1000, 'the token has expired', 5000);
    const raw = await t.raw();
    expect(await raw.authenticate('ga-res-79/text', signIn.token)).toEqual({ status: 'denied', reason: SYNC_CLOSE.unauthenticated.reason });
    const refresh = (refreshToken: string) =>
      fetch(`${t.server.httpUrl}/api/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    const response = await refresh(signIn.refreshToken);
    expect(response.status).toBe(200);
    const renewed = (await response.json()) as SignIn;
    expect(renewed.account).toEqual({ name: 'chair1', role: 'chair', delegation: null });
    expect(await raw.authenticate('ga-res-79/text', renewed.token)).toMatchObject({ status: 'authenticated' });
    const reused = await refresh(signIn.refreshToken);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
