/**
 * The PostgreSQL store against a real PostgreSQL 15 (tests/helpers/start-services.sh): each test gets a schema of
 * its own; two store instances on one schema stand for two server processes.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestSchema, ensureServices, type TestSchema, type TestServices } from '../../tests/helpers/services.ts';
import { storedDoc } from '../../tests/helpers/sync-server.ts';
import { createPostgresStore, type PostgresSyncStore } from './store-postgres.ts';

let services: TestServices;
const schemas: TestSchema[] = [];
const stores: PostgresSyncStore[] = [];

beforeAll(async () => {
  services = await ensureServices();
}, 180_000);

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  await Promise.all(schemas.splice(0).map((schema) => schema.drop()));
});

async function freshSchema(label: string): Promise<TestSchema> {
  const schema = await createTestSchema(services.postgresUrl, label);
  schemas.push(schema);
  return schema;
}

async function openStore(url: string, compactThreshold?: number): Promise<PostgresSyncStore> {
  const store = await createPostgresStore(url, compactThreshold === undefined ? {} : { compactThreshold });
  stores.push(store);
  return store;
}

/** A Y.Doc whose text is typed one word at a time, each word one update, as a client sends them. */
function typeWords(clientId: number, words: readonly string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('body');
  for (const word of words) text.insert(text.length, `${word} `);
  return { doc, updates };
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('body').toString();
}

describe('createPostgresStore', () => {
  it('loads a Y.Doc with no rows as an empty document', async () => {
    const schema = await freshSchema('empty');
    const store = await openStore(schema.url);
    const state = await store.load('agenda-item-4/text');
    expect(Array.from(state)).toEqual(Array.from(Y.encodeStateAsUpdate(new Y.Doc())));
    expect(await store.listDocuments()).toEqual([]);
  });

  it('keeps every appended update: another store on the same database (another process) loads them merged', async () => {
    const schema = await freshSchema('append');
    const writer = await openStore(schema.url);
    await writer.putDocument('res-75', 'Oceans');
    const { doc, updates } = typeWords(1, ['The', 'General', 'Assembly,', 'Recalling', 'its', 'resolution']);
    for (const update of updates) await writer.append('res-75/text', update);
    const reader = await openStore(schema.url);
    expect(textOf(await reader.load('res-75/text'))).toBe(doc.getText('body').toString());
    expect(await reader.rowCount('res-75/text')).toBe(updates.length);
    // Y.Docs are kept apart by name.
    expect(textOf(await reader.load('res-75/chair'))).toBe('');
  });

  it('has committed the row when append resolves: a separate connection sees it at once', async () => {
    const schema = await freshSchema('commit');
    const store = await openStore(schema.url);
    await store.putDocument('res-76', 'Oceans');
    const { updates } = typeWords(2, ['Decides']);
    await store.append('res-76/text', updates[0] as Uint8Array);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const result = await client.query<{ count: string }>("SELECT count(*) AS count FROM updates WHERE doc_name = 'res-76/text'");
      expect(result.rows[0]?.count).toBe('1');
    } finally {
      await client.end();
    }
  });

  it('refuses an update that is not a Yjs update, with a clear error, and stores nothing', async () => {
    const schema = await freshSchema('refuse');
    const store = await openStore(schema.url);
    await store.putDocument('res-77', 'Oceans');
    const { updates } = typeWords(3, ['Welcomes']);
    await store.append('res-77/text', updates[0] as Uint8Array);
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    await expect(store.append('res-77/text', garbage)).rejects.toThrow(/Refused an update for "res-77\/text".*not a readable Yjs update/);
    await expect(store.append('res-77/text', new Uint8Array(0))).rejects.toThrow(/Refused an update.*empty/);
    await expect(store.append('res-77/text', 'Welcomes' as unknown as Uint8Array)).rejects.toThrow(/Refused an update.*bytes/);
    expect(await store.rowCount('res-77/text')).toBe(1);
    expect(textOf(await store.load('res-77/text'))).toBe('Welcomes ');
  });

  it('refuses an update for a Y.Doc name that is not <id>/text|chair|d/<CODE>, or for an unpublished document', async () => {
    const schema = await freshSchema('refuse-name');
    const store = await openStore(schema.url);
    await store.putDocument('res-85', 'Oceans');
    const { updates } = typeWords(9, ['Urges']);
    const update = updates[0] as Uint8Array;
    await expect(store.append('res-85/minutes', update)).rejects.toThrow(/A Y.Doc name is <document id>\/text/);
    await expect(store.load('../etc/text')).rejects.toThrow(/A Y.Doc name is/);
    await expect(store.append('res-86/text', update)).rejects.toThrow(/res-86 is not published/);
    expect(await store.rowCount('res-85/minutes')).toBe(0);
    expect(await store.rowCount('res-86/text')).toBe(0);
  });

  it('refuses a malformed document id or an empty title when publishing', async () => {
    const schema = await freshSchema('publish-bad');
    const store = await openStore(schema.url);
    await expect(store.putDocument('Bad Id!', 'Draft')).rejects.toThrow(/A document id is 3 to 64 lowercase/);
    await expect(store.putDocument('res-78', '  ')).rejects.toThrow(/title cannot be used: a title cannot be empty/);
    expect(await store.listDocuments()).toEqual([]);
  });

  it('registers documents idempotently and moves updatedAt when one of their Y.Docs changes', async () => {
    const schema = await freshSchema('documents');
    const store = await openStore(schema.url);
    await store.putDocument('res-79', 'Draft resolution on oceans');
    await store.putDocument('res-79', ' Draft resolution on oceans and the law of the sea ');
    await store.putDocument('res-80', 'Draft decision');
    await store.putDocument('res-80', 'Draft decision');
    // Most recently changed first.
    expect((await store.listDocuments()).map(({ id, title }) => ({ id, title }))).toEqual([
      { id: 'res-80', title: 'Draft decision' },
      { id: 'res-79', title: 'Draft resolution on oceans and the law of the sea' },
    ]);
    expect(await store.hasDocument('res-79')).toBe(true);
    expect(await store.hasDocument('res-81')).toBe(false);
    const before = await store.listDocuments();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { updates } = typeWords(4, ['Notes']);
    await store.append('res-79/d/FRA', updates[0] as Uint8Array);
    const after = await store.listDocuments();
    expect(after.map(({ id }) => id)).toEqual(['res-79', 'res-80']);
    expect(Date.parse(after[0]?.updatedAt ?? '')).toBeGreaterThan(Date.parse(before[1]?.updatedAt ?? ''));
  });

  it('creates its tables once when two processes open a fresh schema at the same moment', async () => {
    const schema = await freshSchema('race');
    const opened = await Promise.all([openStore(schema.url), openStore(schema.url), openStore(schema.url)]);
    await opened[1]?.putDocument('res-81', 'Oceans');
    const { updates } = typeWords(5, ['Requests']);
    await opened[0]?.append('res-81/text', updates[0] as Uint8Array);
    expect(textOf(await (opened[2] as PostgresSyncStore).load('res-81/text'))).toBe('Requests ');
  });

  it('compacts a Y.Doc past the threshold into one row, in the background, keeping the content', async () => {
    const schema = await freshSchema('compact');
    const store = await openStore(schema.url, 10);
    await store.putDocument('res-82', 'Oceans');
    const words = Array.from({ length: 25 }, (_, i) => `w${i}`);
    const { doc, updates } = typeWords(6, words);
    for (const update of updates) await store.append('res-82/text', update);
    await store.idle();
    const rows = await store.rowCount('res-82/text');
    expect(rows).toBeLessThan(11);
    expect(textOf(await store.load('res-82/text'))).toBe(doc.getText('body').toString());
    expect(await store.compact('res-82/text')).toEqual({ rowsBefore: rows, rowsAfter: 1 });
    expect(textOf(await store.load('res-82/text'))).toBe(doc.getText('body').toString());
  });

  it('loses no update appended by other processes while compactions run', async () => {
    const schema = await freshSchema('compact-race');
    const appender = await openStore(schema.url, Number.MAX_SAFE_INTEGER);
    const compactor = await openStore(schema.url, Number.MAX_SAFE_INTEGER);
    await appender.putDocument('res-83', 'Oceans');
    // Two clients typing at once. Half the updates go through the store; the other half through slow transactions
    // (a seq taken, then a pause before COMMIT), as a busy process would: commits then land out of seq order,
    // some of them while a compaction is between reading the rows and deleting them.
    const a = typeWords(7, Array.from({ length: 80 }, (_, i) => `a${i}`));
    const b = typeWords(8, Array.from({ length: 80 }, (_, i) => `b${i}`));
    const slowWriters = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        return client;
      }),
    );
    const slowAppend = async (client: pg.Client, update: Uint8Array, pauseMs: number) => {
      await client.query('BEGIN');
      await client.query("INSERT INTO updates (doc_name, data) VALUES ('res-83/text', $1)", [Buffer.from(update)]);
      await client.query(`SELECT pg_sleep(${pauseMs / 1000})`);
      await client.query('COMMIT');
    };
    let appending = true;
    const compactions = (async () => {
      let count = 0;
      while (appending) {
        await compactor.compact('res-83/text');
        count += 1;
      }
      return count;
    })();
    try {
      const viaStore = (async () => {
        for (let i = 0; i < a.updates.length; i += 4) {
          await Promise.all(a.updates.slice(i, i + 4).map((update) => appender.append('res-83/text', update)));
        }
      })();
      const viaSlowTransactions = Promise.all(
        slowWriters.map(async (client, w) => {
          for (let i = w; i < b.updates.length; i += slowWriters.length) await slowAppend(client, b.updates[i] as Uint8Array, 1 + ((i * 7) % 9));
        }),
      );
      await Promise.all([viaStore, viaSlowTransactions]);
    } finally {
      appending = false;
      await Promise.all(slowWriters.map((client) => client.end()));
    }
    expect(await compactions).toBeGreaterThan(0);
    const expected = new Y.Doc();
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(b.doc));
    const loaded = await storedDoc(appender, 'res-83/text');
    expect(Array.from(Y.encodeStateVector(loaded))).toEqual(Array.from(Y.encodeStateVector(expected)));
    expect(loaded.getText('body').toString()).toBe(expected.getText('body').toString());
  });

  it('fails to open with a message naming the server but not the password when PostgreSQL cannot be reached', async () => {
    // Port 1 on 127.0.0.1: nothing listens there, so the connection is refused at once.
    await expect(createPostgresStore('postgres://penholder:s3cret-word@127.0.0.1:1/penholder')).rejects.toThrow(
      /Cannot open the PostgreSQL store at 127\.0\.0\.1:1\/penholder/,
    );
    await createPostgresStore('postgres://penholder:s3cret-word@127.0.0.1:1/penholder').catch((error: Error) => {
      expect(error.message).not.toContain('s3cret-word');
    });
  });

  it('refuses to work once closed', async () => {
    const schema = await freshSchema('closed');
    const store = await createPostgresStore(schema.url);
    await store.close();
    await expect(store.load('res-84/text')).rejects.toThrow(/closed/);
  });
});
