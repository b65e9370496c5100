import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { StorageError } from '../storage/index.ts';
import { SqliteSyncStore } from './store-sqlite.ts';
import { startTestServer, typedText, typeInto, waitUntil } from './test-support.ts';

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
  });

  it('is what a server uses by default: a typed text survives the server', async () => {
    const t = await startTestServer({ dataDir: dir });
    try {
      await t.server.store.putDocument('ga-res-79', 'Oceans');
      t.account('chair1', 'chair');
      const chair = t.provider({ name: 'ga-res-79/text', token: (await t.signIn('chair1')).token });
      await chair.synced();
      typeInto(chair.doc, 'Stored in SQLite');
      await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the text is acknowledged');
    } finally {
      await t.close();
    }
    const store = open();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await store.load('ga-res-79/text'));
    expect(typedText(doc)).toBe('Stored in SQLite');
  });
});
