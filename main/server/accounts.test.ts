import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELEGATION_CODE } from '../../shared/sync.ts';
import { AccountError, hashRefreshToken, SqliteAccountStore } from './accounts.ts';
import { startTestServer } from '../../tests/helpers/sync-server.ts';

let dir: string;
const opened: SqliteAccountStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-accounts-'));
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): SqliteAccountStore {
  const store = SqliteAccountStore.open(dir);
  opened.push(store);
  return store;
}

const PASSWORD = 'a long enough password';

describe('SqliteAccountStore', () => {
  it('adds accounts with a role, a delegation and grants, and verifies their password', () => {
    const store = open();
    const fra = store.add({ name: 'Delegate of France', password: PASSWORD, role: 'delegation', delegation: 'FRA', documents: ['ga-res-79'] });
    expect(fra).toMatchObject({ name: 'Delegate of France', role: 'delegation', delegation: 'FRA', disabled: false, documents: ['ga-res-79'] });
    expect(store.verify('Delegate of France', PASSWORD)).toEqual({ name: 'Delegate of France', role: 'delegation', delegation: 'FRA' });
    expect(store.verify('Delegate of France', 'a long enough passwor')).toBeNull();
    expect(store.verify('nobody', PASSWORD)).toBeNull();
    expect(store.list().map((account) => account.name)).toEqual(['Delegate of France']);
  });

  it('stores a salted scrypt hash, never the password, in accounts.sqlite (WAL, synchronous=FULL)', () => {
    const store = open();
    store.add({ name: 'a', password: PASSWORD, role: 'observer' });
    store.add({ name: 'b', password: PASSWORD, role: 'observer' });
    const db = new Database(path.join(dir, 'accounts.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT password_salt, password_hash FROM accounts ORDER BY name').all() as Array<{ password_salt: Buffer; password_hash: Buffer }>;
      expect(rows[0]?.password_salt.equals(rows[1]?.password_salt as Buffer)).toBe(false);
      expect(rows[0]?.password_hash.equals(rows[1]?.password_hash as Buffer)).toBe(false);
      const bytes = ['accounts.sqlite', 'accounts.sqlite-wal']
        .map((name) => path.join(dir, name))
        .filter((file) => fs.existsSync(file))
        .map((file) => fs.readFileSync(file).toString('latin1'))
        .join('');
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(PASSWORD)).toBe(false);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('validates names, roles, delegation codes and passwords with a clear error', () => {
    const store = open();
    const refused = (input: Parameters<SqliteAccountStore['add']>[0]): string => {
      try {
        store.add(input);
      } catch (error) {
        expect(error).toBeInstanceOf(AccountError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ name: '', password: PASSWORD, role: 'chair' })).toMatch(/1 to 64/);
    expect(refused({ name: 'x'.repeat(65), password: PASSWORD, role: 'chair' })).toMatch(/1 to 64/);
    expect(refused({ name: 'tab\there', password: PASSWORD, role: 'chair' })).toMatch(/control characters/);
    expect(refused({ name: ' padded', password: PASSWORD, role: 'chair' })).toMatch(/space/);
    expect(refused({ name: 'x', password: PASSWORD, role: 'admin' as 'chair' })).toMatch(/role is one of/);
    expect(refused({ name: 'x', password: PASSWORD, role: 'delegation' })).toMatch(/delegation code/);
    expect(refused({ name: 'x', password: PASSWORD, role: 'delegation', delegation: 'fr' })).toMatch(/delegation code/);
    expect(refused({ name: 'x', password: PASSWORD, role: 'chair', delegation: 'FRA' })).toMatch(/Only a delegation account/);
    expect(refused({ name: 'x', password: 'short', role: 'chair' })).toMatch(/at least 8/);
    expect(refused({ name: 'x', password: PASSWORD, role: 'chair', documents: ['../etc'] })).toMatch(/document id/);
    store.add({ name: 'x', password: PASSWORD, role: 'chair' });
    expect(refused({ name: 'x', password: PASSWORD, role: 'chair' })).toMatch(/already an account/);
    expect(store.list()).toHaveLength(1);
    expect(DELEGATION_CODE.test('G77')).toBe(true);
    expect(store.add({ name: 'g77', password: PASSWORD, role: 'delegation', delegation: 'G77' }).delegation).toBe('G77');
    // Names of up to 64 characters, counted as characters (not UTF-16 units).
    expect(store.add({ name: '代表'.repeat(32), password: PASSWORD, role: 'observer' }).name).toHaveLength(64);
  });

  it('grants and revokes documents, with * for every document', () => {
    const store = open();
    store.add({ name: 'gbr', password: PASSWORD, role: 'delegation', delegation: 'GBR' });
    expect(store.grant('gbr', 'ga-res-79').documents).toEqual(['ga-res-79']);
    expect(store.grant('gbr', 'ga-res-79').documents).toEqual(['ga-res-79']);
    expect(store.grant('gbr', '*').documents).toEqual(['*', 'ga-res-79']);
    expect(store.revoke('gbr', '*').documents).toEqual(['ga-res-79']);
    expect(() => store.grant('nobody', 'ga-res-79')).toThrow(/no account named "nobody"/);
    expect(() => store.grant('gbr', 'Bad Id')).toThrow(AccountError);
  });

  it('disables and enables: a disabled account does not verify and loses its refresh tokens', () => {
    const store = open();
    store.add({ name: 'obs', password: PASSWORD, role: 'observer' });
    store.saveRefreshToken(hashRefreshToken('r1'), 'obs', Date.now() + 60_000);
    const disabledNames: string[] = [];
    store.onDisabled((name) => disabledNames.push(name));
    expect(store.disable('obs').disabled).toBe(true);
    expect(store.verify('obs', PASSWORD)).toBeNull();
    expect(store.takeRefreshToken(hashRefreshToken('r1'))).toBeNull();
    expect(disabledNames).toEqual(['obs']);
    expect(store.enable('obs').disabled).toBe(false);
    expect(store.verify('obs', PASSWORD)).not.toBeNull();
  });

  it('resets a password: the old one stops working and refresh tokens are revoked', () => {
    const store = open();
    store.add({ name: 'obs', password: PASSWORD, role: 'observer' });
    store.saveRefreshToken(hashRefreshToken('r1'), 'obs', Date.now() + 60_000);
    store.resetPassword('obs', 'another long password');
    expect(store.verify('obs', PASSWORD)).toBeNull();
    expect(store.verify('obs', 'another long password')).not.toBeNull();
    expect(store.takeRefreshToken(hashRefreshToken('r1'))).toBeNull();
    expect(() => store.resetPassword('obs', 'short')).toThrow(/at least 8/);
  });

  it('sees changes written by another process (the CLI)', () => {
    const server = open();
    server.add({ name: 'obs', password: PASSWORD, role: 'observer' });
    expect(server.changedElsewhere()).toBe(false);
    const cli = open();
    cli.disable('obs');
    expect(server.changedElsewhere()).toBe(true);
    expect(server.get('obs')?.disabled).toBe(true);
    expect(server.changedElsewhere()).toBe(false);
  });

  it('refuses sign-in over HTTP for a disabled account with the same message as a wrong password', async () => {
    const t = await startTestServer({ dataDir: dir });
    try {
      t.account('obs', 'observer');
      await t.signIn('obs');
      t.server.accounts.disable('obs');
      const login = (name: string, password: string) =>
        fetch(`${t.server.httpUrl}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
      const disabled = await login('obs', 'correct horse battery');
      const wrong = await login('obs', 'wrong password!');
      const unknown = await login('nobody', 'correct horse battery');
      expect([disabled.status, wrong.status, unknown.status]).toEqual([401, 401, 401]);
      const bodies = await Promise.all([disabled.json(), wrong.json(), unknown.json()]);
      expect(new Set(bodies.map((body) => JSON.stringify(body)))).toEqual(new Set([JSON.stringify({ error: { code: 'unauthenticated', message: 'Wrong name or password' } })]));
      t.server.accounts.enable('obs');
      await t.signIn('obs');
    } finally {
      await t.close();
    }
  });
});
