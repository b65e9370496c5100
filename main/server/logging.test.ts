import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { SyncLogEntry } from './api.ts';
import { createSyncLog } from './logging.ts';
import type { SqliteSyncStore } from './store-sqlite.ts';
import { awarenessUpdateFor, encodeAwareness, encodeStateless, encodeSyncUpdate } from '../../tests/helpers/raw-sync-client.ts';
import { startTestServer, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
const SECRET = 'The delegation of Atlantis can accept paragraph seven only if the fund is doubled';
let t: TestServer | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
});

/** Every 16-character window of the secret: a log line holding any part of the sentence is caught. */
function fragments(text: string): string[] {
  const windows: string[] = [];
  for (let i = 0; i + 16 <= text.length; i += 4) windows.push(text.slice(i, i + 16));
  return windows;
}

describe('logging', () => {
  it('never writes document text: a secret typed, forged, oversized, malformed and refused appears in no log line', async () => {
    // Hocuspocus's own console output counts too.
    const printed: string[] = [];
    const capture = (...args: unknown[]): void => void printed.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg) ?? String(arg))).join(' '));
    vi.spyOn(console, 'error').mockImplementation(capture);
    vi.spyOn(console, 'warn').mockImplementation(capture);
    vi.spyOn(console, 'log').mockImplementation(capture);

    t = await startTestServer({ maxMessageBytes: 32 * 1024 });
    await t.server.store.putDocument(DOC, 'Oceans');
    t.account('chair1', 'chair');
    t.account('obs1', 'observer');
    const chairToken = (await t.signIn('chair1')).token;
    const observerToken = (await t.signIn('obs1')).token;

    // Typed by the chair, keystroke by keystroke, and read by an observer.
    const chair = t.provider({ docName: `${DOC}/text`, token: chairToken });
    const observer = t.provider({ docName: `${DOC}/text`, token: observerToken });
    await Promise.all([chair.whenSynced(), observer.whenSynced()]);
    typeInto(chair.doc, SECRET);
    await waitUntil(() => typedText(observer.doc) === SECRET, 'the observer has the sentence');

    // Forged by a read-only connection: as an update, awareness and a stateless message.
    const forged = new Y.Doc();
    typeInto(forged, SECRET);
    for (const frame of [
      encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(forged)),
      encodeAwareness(`${DOC}/text`, awarenessUpdateFor(7, 1, { note: SECRET })),
      encodeStateless(`${DOC}/text`, SECRET),
    ]) {
      const raw = await t.raw();
      expect(await raw.authenticate(`${DOC}/text`, observerToken)).toMatchObject({ status: 'authenticated' });
      raw.send(frame);
      expect((await raw.waitClosed())?.code).toBe(4403);
    }

    // Too large, malformed (a truncated update with the sentence in it), and refused by a full disk.
    const big = await t.raw();
    big.send(new TextEncoder().encode(SECRET.repeat(1000)));
    expect((await big.waitClosed())?.code).toBe(4413);
    const truncated = await t.raw();
    expect(await truncated.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    truncated.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(forged).slice(0, -3)));
    expect((await truncated.waitClosed())?.code).toBe(4400);
    const store = t.server.store as SqliteSyncStore;
    store.workspace.limitDiskForTest(store.workspaceIdOf(DOC) as string, 0);
    const full = await t.raw();
    expect(await full.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const more = new Y.Doc();
    typeInto(more, `${SECRET} `.repeat(300));
    full.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(more)));
    expect((await full.waitClosed())?.code).toBe(4507);

    // The sentence as a password.
    await fetch(`${t.server.httpUrl}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'chair1', password: SECRET }) });

    const lines = [...t.logs.map((entry) => JSON.stringify(entry)), ...printed];
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      for (const fragment of fragments(SECRET)) expect(line).not.toContain(fragment);
    }
    // And the events that did happen are there.
    const events = new Set(t.logs.map((entry) => entry.event));
    for (const event of ['auth.ok', 'message.refused', 'limit.hit', 'store.error', 'login.refused', 'doc.connected']) expect(events).toContain(event);
  });

  it('logs connections, sign-ins and refusals with name, role, document and code', async () => {
    t = await startTestServer();
    await t.server.store.putDocument(DOC, 'Oceans');
    t.account('fra1', 'delegation', { delegation: 'FRA', documents: [DOC] });
    const token = (await t.signIn('fra1')).token;
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/d/FRA`, token)).toMatchObject({ status: 'authenticated' });
    expect(await raw.authenticate('other-doc/text', token)).toMatchObject({ status: 'denied' });
    await raw.close();
    expect(raw.closeEvent).not.toBeNull();
    await waitUntil(() => t?.logs.some((entry) => entry.event === 'doc.disconnected') === true, 'the disconnect is logged');

    const find = (event: string): SyncLogEntry | undefined => t?.logs.find((entry) => entry.event === event);
    expect(find('login.ok')).toMatchObject({ level: 'info', name: 'fra1', role: 'delegation', delegation: 'FRA' });
    expect(find('socket.open')).toMatchObject({ level: 'info', remote: '127.0.0.1' });
    expect(find('auth.ok')).toMatchObject({ doc: `${DOC}/d/FRA`, name: 'fra1', role: 'delegation', readOnly: false });
    expect(find('auth.refused')).toMatchObject({ level: 'warn', doc: 'other-doc/text', name: 'fra1', code: 4403 });
    expect(find('doc.disconnected')).toMatchObject({ doc: `${DOC}/d/FRA`, name: 'fra1' });
    for (const entry of t.logs) {
      expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
      for (const value of Object.values(entry)) expect(['string', 'number', 'boolean', 'undefined'].includes(typeof value) || value === null).toBe(true);
    }
  });

  it('writes JSON lines on stderr by default, and survives a sink that throws', () => {
    const script = `import(${JSON.stringify(path.resolve('main/server/logging.ts'))}).then((m) => { const log = m.createSyncLog(); log.info('server.listening', { port: 8470 }); log.error('store.error', { doc: 'x/text' }); })`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    const entries = child.stderr.trim().split('\n').map((line) => JSON.parse(line) as SyncLogEntry);
    expect(entries).toMatchObject([
      { level: 'info', event: 'server.listening', port: 8470 },
      { level: 'error', event: 'store.error', doc: 'x/text' },
    ]);
    expect(child.stdout).toBe('');
    const log = createSyncLog(() => {
      throw new Error('sink broken');
    });
    expect(() => log.warn('anything')).not.toThrow();
  });
});
