import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { StorageError } from '../storage/index.ts';
import { SERVER_COMPACT_IDLE_ROWS, SqliteSyncStore } from './store-sqlite.ts';
import { startTestServer, storedDoc, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';

let dir: string;
const opened: SqliteSyncStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-store-'));
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): SqliteSyncStore {
  const store = SqliteSyncStore.open(dir);
  opened.push(store);
  return store;
}

function mapUpdate(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function mapOf(state: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getMap('m').toJSON();
}

describe('SqliteSyncStore', () => {
  it('keeps each published document in one SQLite file under docs/, its Y.Docs side by side', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Draft resolution on oceans');
    await store.append('ga-res-79/text', mapUpdate('a', 'text'));
    await store.append('ga-res-79/chair', mapUpdate('b', 'chair'));
    await store.append('ga-res-79/d/FRA', mapUpdate('c', 'France'));
    const files = fs.readdirSync(path.join(dir, 'docs')).filter((name) => name.endsWith('.penholder'));
    expect(files).toHaveLength(1);
    const workspaceId = store.workspaceIdOf('ga-res-79') as string;
    expect(store.workspace.ydocs(workspaceId).sort()).toEqual(['chair', 'd/FRA', 'text']);
    expect(mapOf(await store.load('ga-res-79/d/FRA'))).toEqual({ c: 'France' });
    expect(mapOf(await store.load('ga-res-79/text'))).toEqual({ a: 'text' });
  });

  it('merges appended updates on load and keeps them across a reopen', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    await store.append('ga-res-79/chair', mapUpdate('p1', 'agreed'));
    await store.append('ga-res-79/chair', mapUpdate('p2', 'pending'));
    await store.close();
    const again = open();
    expect(mapOf(await again.load('ga-res-79/chair'))).toEqual({ p1: 'agreed', p2: 'pending' });
  });

  it('loads an empty Y.Doc for an unpublished document and refuses to append to it', async () => {
    const store = open();
    expect(mapOf(await store.load('nothing-here/text'))).toEqual({});
    await expect(store.append('nothing-here/text', mapUpdate('a', 'b'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses names, ids, titles and updates that are not valid, storing nothing', async () => {
    const store = open();
    await expect(store.putDocument('Not An Id', 'Title')).rejects.toBeInstanceOf(StorageError);
    await expect(store.putDocument('ga-res-79', '   ')).rejects.toMatchObject({ code: 'invalid' });
    await store.putDocument('ga-res-79', 'Oceans');
    await expect(store.load('ga-res-79/other')).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.append('ga-res-79/text', new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'invalid' });
    expect(mapOf(await store.load('ga-res-79/text'))).toEqual({});
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['ga-res-79']);
  });

  it('lists documents with their titles; putting an existing id again renames it', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    await store.putDocument('hrc-55-l1', 'Human rights council');
    await store.putDocument('ga-res-79', 'Oceans and the law of the sea');
    const documents = await store.listDocuments();
    expect(documents.map(({ id, title }) => ({ id, title })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'ga-res-79', title: 'Oceans and the law of the sea' },
      { id: 'hrc-55-l1', title: 'Human rights council' },
    ]);
    expect(Number.isNaN(Date.parse(documents[0]?.updatedAt ?? ''))).toBe(false);
  });

  it('serves a document another process published after it opened the folder', async () => {
    const server = open();
    await server.putDocument('ga-res-79', 'Oceans');
    const cli = open();
    await cli.putDocument('hrc-55-l1', 'Published by the CLI');
    await server.append('hrc-55-l1/text', mapUpdate('x', 'y'));
    expect(mapOf(await server.load('hrc-55-l1/text'))).toEqual({ x: 'y' });
    expect((await server.listDocuments()).map((d) => d.id).sort()).toEqual(['ga-res-79', 'hrc-55-l1']);
    expect(await server.hasDocument('hrc-55-l1')).toBe(true);
    expect(await server.hasDocument('not-published')).toBe(false);
  });

  it('commits updates that arrive together in one transaction, settling each only once it is on disk', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    const workspaceId = store.workspaceIdOf('ga-res-79') as string;
    const commits = vi.spyOn(store.workspace, 'appendMany');
    const disk = open();
    // Each append is read back by another store on the same folder the moment it settles: it sees only committed rows.
    const seenWhenSettled = await Promise.all(
      ['p1', 'p2', 'p3', 'p4', 'p5'].map((key) => store.append('ga-res-79/chair', mapUpdate(key, 'agreed')).then(() => disk.load('ga-res-79/chair'))),
    );
    expect(commits).toHaveBeenCalledTimes(1);
    expect(commits.mock.calls[0]?.[0]).toBe(workspaceId);
    expect(commits.mock.calls[0]?.[2]).toHaveLength(5);
    for (const seen of seenWhenSettled) expect(Object.keys(mapOf(seen)).sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);

    // A later append is a transaction of its own.
    await store.append('ga-res-79/chair', mapUpdate('p6', 'pending'));
    expect(commits).toHaveBeenCalledTimes(2);
  });

  it('stores the updates of a group in the order they arrived', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    const sent: Uint8Array[] = [];
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => sent.push(update));
    typeInto(doc, 'In order');
    expect(sent.length).toBeGreaterThan(3);
    await Promise.all(sent.map((update) => store.append('ga-res-79/text', update)));
    await store.close();
    const file = path.join(dir, 'docs', `${store.workspaceIdOf('ga-res-79') as string}.penholder`);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT data FROM updates WHERE ydoc = 'text' ORDER BY seq").pluck().all() as Uint8Array[];
    db.close();
    expect(rows.map((row) => Array.from(row))).toEqual(sent.map((update) => Array.from(update)));
  });

  it('refuses every update of a group it cannot commit (full disk), stores none, and commits again once there is room', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    await store.append('ga-res-79/chair', mapUpdate('seed', 'x'));
    const workspaceId = store.workspaceIdOf('ga-res-79') as string;
    store.workspace.limitDiskForTest(workspaceId, 0);
    const group = ['a', 'b', 'c'].map((key) => store.append('ga-res-79/chair', mapUpdate(key, key.repeat(50_000))));
    const results = await Promise.allSettled(group);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'disk-full' });
    expect(mapOf(await open().load('ga-res-79/chair'))).toEqual({ seed: 'x' });

    store.workspace.limitDiskForTest(workspaceId, null);
    await Promise.all(['a', 'b'].map((key) => store.append('ga-res-79/chair', mapUpdate(key, key))));
    expect(mapOf(await open().load('ga-res-79/chair'))).toEqual({ seed: 'x', a: 'a', b: 'b' });
  });

  it('refuses only the update that cannot be stored; the others of its group are stored', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    const results = await Promise.allSettled([
      store.append('ga-res-79/chair', mapUpdate('before', '1')),
      store.append('ga-res-79/chair', new Uint8Array([1, 2, 3])),
      store.append('ga-res-79/chair', mapUpdate('after', '2')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid' });
    expect(mapOf(await open().load('ga-res-79/chair'))).toEqual({ before: '1', after: '2' });
  });

  it('commits waiting updates before it loads their Y.Doc or closes', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    const first = store.append('ga-res-79/chair', mapUpdate('waiting', 'yes'));
    expect(mapOf(await store.load('ga-res-79/chair'))).toEqual({ waiting: 'yes' });
    await first;
    const second = store.append('ga-res-79/d/FRA', mapUpdate('on-close', 'yes'));
    await store.close();
    await second;
    await expect(store.append('ga-res-79/chair', mapUpdate('late', 'no'))).rejects.toMatchObject({ code: 'storage' });
    expect(mapOf(await open().load('ga-res-79/d/FRA'))).toEqual({ 'on-close': 'yes' });
  });

  it('merges a Y.Doc\'s rows once writing to it pauses, and keeps its content', async () => {
    const store = open();
    await store.putDocument('ga-res-79', 'Oceans');
    const workspaceId = store.workspaceIdOf('ga-res-79') as string;
    const doc = new Y.Doc();
    const sent: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => sent.push(update));
    typeInto(doc, 'x'.repeat(SERVER_COMPACT_IDLE_ROWS + 20));
    // In groups, as a busy server receives them; none reaches the Workspace's own (larger) threshold.
    for (let i = 0; i < sent.length; i += 50) await Promise.all(sent.slice(i, i + 50).map((update) => store.append('ga-res-79/text', update)));
    expect(store.workspace.rowCount(workspaceId, 'text')).toBe(sent.length);
    await waitUntil(() => store.workspace.rowCount(workspaceId, 'text') === 1, 'the rows are merged after the pause', 10_000);
    const loaded = await storedDoc(store, 'ga-res-79/text');
    expect(typedText(loaded)).toBe('x'.repeat(SERVER_COMPACT_IDLE_ROWS + 20));
  });

  it('is what a server uses by default: a typed text survives the server', async () => {
    const t = await startTestServer({ dataDir: dir });
    try {
      await t.server.store.putDocument('ga-res-79', 'Oceans');
      t.account('chair1', 'chair');
      const chair = t.provider({ docName: 'ga-res-79/text', token: (await t.signIn('chair1')).token });
      await chair.whenSynced();
      typeInto(chair.doc, 'Stored in SQLite');
      await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the text is acknowledged');
    } finally {
      await t.close();
    }
    const store = open();
    const doc = await storedDoc(store, 'ga-res-79/text');
    expect(typedText(doc)).toBe('Stored in SQLite');
  });
});
