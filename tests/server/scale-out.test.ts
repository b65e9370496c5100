/**
 * Scale-out: two sync server processes (the `serve` CLI as child processes) share Redis and PostgreSQL. Chairs on
 * both processes type into one D/text at once and converge; then one process is killed with SIGKILL while they
 * type: every update a client saw acknowledged is in PostgreSQL, the killed process's clients move to the
 * survivor, and everyone converges on a text holding everything anyone typed. A process started afterwards serves
 * the same text. Finally Redis itself is taken away for a moment: both processes keep accepting (and storing)
 * edits, and once Redis is back they converge without waiting for another edit.
 *
 * Both processes use the same --data folder: accounts and the token signing key live there (accounts.sqlite,
 * token.key), so a token issued by one process is accepted by the other. The documents live in PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../main/server/store-postgres.ts';
import { Redis as IORedis } from 'ioredis';
import {
  createTestSchema,
  ensureServices,
  startPrivateRedis,
  type PrivateRedis,
  type TestSchema,
  type TestServices,
} from '../helpers/services.ts';
import {
  addAccountCli,
  login,
  openProvider,
  removeDir,
  spawnServer,
  storedDoc,
  tempDir,
  waitUntil,
  type ChildServer,
  type TestProvider,
} from '../helpers/sync-server.ts';
import { seededRandom } from '../helpers/random.ts';

/** The Y.Text the typists write into (the server never looks inside a Y.Doc, so any shared type will do). */
const BODY = 'scale-out-body';
/** One typed word: `‹who-n›`. Inserted only between words, so concurrent typing never splits one. */
const WORD = /‹([^‹›]+)›/g;

const CHAIRS = ['chair-alpha', 'chair-bravo', 'chair-charlie'].map((name) => ({ name, password: `${name}-password`, role: 'chair' as const }));

/** One client typing into D/text: its replica, its current provider, what it typed and how much was acknowledged. */
interface Typist {
  readonly label: string;
  readonly doc: Y.Doc;
  readonly token: string;
  session: TestProvider;
  readonly typed: string[];
  /** How many of `typed` the server acknowledged (unsyncedChanges fell to 0 after they were sent). */
  acknowledged: number;
}

function spawnScaleOutServer(dataDir: string, serverId: string, postgresUrl: string, redis: { host: string; port: number }): Promise<ChildServer> {
  return spawnServer(dataDir, {
    extraArgs: ['--postgres', postgresUrl, '--redis', `${redis.host}:${redis.port}`, '--server-id', serverId],
    timeoutMs: 30_000,
  });
}

function bodyOf(doc: Y.Doc): string {
  return doc.getText(BODY).toString();
}

/** The words of a text, checking that it is nothing but whole words. */
function wordsOf(text: string): string[] {
  const words = [...text.matchAll(WORD)].map((match) => match[0]);
  expect(words.join('')).toBe(text);
  return words;
}

/**
 * Opens a provider for a typist on `url`, counting acknowledgements into it. The provider counts one unsynced
 * change per update it sends and takes one off per acknowledgement; the server handles a socket's messages in
 * order, so each acknowledgement is for the oldest word still in flight. That holds from a clean start only: a
 * (re)connecting provider resets the count to 1 for its handshake, and acknowledgements of changes queued while
 * it was offline then reach 0 before the handshake's own; so a session that starts with words in flight, or
 * reconnects, counts nothing.
 */
function connect(typist: Pick<Typist, 'doc' | 'token' | 'typed'> & { acknowledged: number }, url: string, docName: string): TestProvider {
  const session = openProvider({ url, docName, token: typist.token, doc: typist.doc, awareness: true, quickReconnect: true });
  let counting = typist.acknowledged === typist.typed.length;
  let opened = 0;
  let previous = 0;
  session.provider.on('open', () => {
    opened += 1;
    if (opened > 1) counting = false;
  });
  session.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
    if (counting) {
      if (number === 0) typist.acknowledged = typist.typed.length;
      else if (number < previous) typist.acknowledged = Math.min(typist.typed.length, typist.acknowledged + previous - number);
    }
    previous = number;
  });
  return session;
}

/** Types one word at a random word boundary of the typist's replica. */
function typeWord(typist: Typist, random: () => number): void {
  const text = typist.doc.getText(BODY);
  const boundaries = [0, ...[...text.toString().matchAll(WORD)].map((match) => (match.index ?? 0) + match[0].length)];
  const at = boundaries[Math.floor(random() * boundaries.length)] ?? 0;
  const word = `‹${typist.label}-${typist.typed.length}›`;
  typist.typed.push(word);
  text.insert(at, word);
}

/** Every typist types `count` words, at random moments 2 to 20 ms apart, all at once. */
async function typeConcurrently(typists: readonly Typist[], count: number, random: () => number): Promise<void> {
  await Promise.all(
    typists.map(async (typist) => {
      for (let i = 0; i < count; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(random() * 18)));
        typeWord(typist, random);
      }
    }),
  );
}

/** Waits until every typist is synced with nothing unacknowledged and all replicas read the same. */
async function converged(typists: readonly Typist[], what: string, timeoutMs = 30_000): Promise<string> {
  await Promise.all(typists.map((typist) => typist.session.whenSynced(timeoutMs)));
  return waitUntil(
    () => {
      const texts = typists.map((typist) => bodyOf(typist.doc));
      return texts.every((text) => text === texts[0]) ? texts[0] : undefined;
    },
    what,
    timeoutMs,
  );
}

/** The text of D/text as PostgreSQL holds it, read by a store of its own (as a new process would). */
async function storedText(postgresUrl: string, docName: string): Promise<string> {
  const store = await createPostgresStore(postgresUrl);
  try {
    return bodyOf(await storedDoc(store, docName));
  } finally {
    await store.close();
  }
}

describe('two sync server processes sharing Redis and PostgreSQL', () => {
  const seed = Number.parseInt(randomBytes(4).toString('hex'), 16);
  const random = seededRandom(seed);
  const documentId = `scale-${randomBytes(4).toString('hex')}`;
  const docName = `${documentId}/text`;
  const dataDir = tempDir('scale-out');
  let services: TestServices;
  let schema: TestSchema;
  const servers: ChildServer[] = [];
  const typists: Typist[] = [];
  const figures: string[] = [];
  let alpha: ChildServer;
  let bravo: ChildServer;

  beforeAll(async () => {
    services = await ensureServices();
    schema = await createTestSchema(services.postgresUrl, 'scale_out');
    for (const chair of CHAIRS) await addAccountCli(dataDir, { ...chair, documents: [documentId] });
    alpha = await spawnScaleOutServer(dataDir, 'alpha', schema.url, services.redis);
    servers.push(alpha);
    bravo = await spawnScaleOutServer(dataDir, 'bravo', schema.url, services.redis);
    servers.push(bravo);
    // The chair publishes the document on one process; the other finds it in PostgreSQL.
    const publisher = await login(alpha.httpUrl, CHAIRS[0]!.name, CHAIRS[0]!.password);
    const published = await fetch(new URL('/api/documents', alpha.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${publisher.token}` },
      body: JSON.stringify({ id: documentId, title: 'Scale-out draft' }),
    });
    expect(published.status).toBe(201);
    const listed = await fetch(new URL('/api/documents', bravo.httpUrl), { headers: { authorization: `Bearer ${publisher.token}` } });
    expect(((await listed.json()) as { documents: Array<{ id: string }> }).documents.map((document) => document.id)).toContain(documentId);
  }, 120_000);

  afterAll(async () => {
    for (const typist of typists) typist.session.destroy();
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await schema?.drop();
    removeDir(dataDir);
    console.log(`scale-out (seed ${seed}): ${figures.join('; ')}`);
  });

  it('converges clients of both processes on concurrent edits of D/text', async () => {
    // Two typists on each process; chair-alpha is signed in twice, once on each.
    const plan: Array<[string, ChildServer, (typeof CHAIRS)[number]]> = [
      ['a1', alpha, CHAIRS[0]!],
      ['a2', alpha, CHAIRS[1]!],
      ['b1', bravo, CHAIRS[2]!],
      ['b2', bravo, CHAIRS[0]!],
    ];
    for (const [label, server, chair] of plan) {
      const { token } = await login(server.httpUrl, chair.name, chair.password);
      const typist = { label, doc: new Y.Doc(), token, typed: [] as string[], acknowledged: 0 } as Typist;
      typist.session = connect(typist, server.url, docName);
      typists.push(typist);
    }
    await Promise.all(typists.map((typist) => typist.session.whenSynced()));

    await typeConcurrently(typists, 40, random);
    const typed = performance.now();
    const text = await converged(typists, 'the four replicas to converge');
    figures.push(`${typists.length * 40} words typed on 2 processes converged ${(performance.now() - typed).toFixed(0)} ms after typing ended`);

    const words = wordsOf(text);
    expect(words.toSorted()).toEqual(typists.flatMap((typist) => typist.typed).toSorted());
    expect(typists.every((typist) => typist.acknowledged === typist.typed.length)).toBe(true);
    expect(await storedText(schema.url, docName)).toBe(text);
  });

  it('loses nothing acknowledged when one process is killed with SIGKILL; its clients move to the survivor and converge', async () => {
    const onAlpha = typists.filter((typist) => typist.label.startsWith('a'));
    const onBravo = typists.filter((typist) => typist.label.startsWith('b'));
    expect(onAlpha.length).toBe(2);

    // Everyone types; alpha dies in the middle of it.
    const roundStart = new Map(typists.map((typist) => [typist, typist.typed.length]));
    const typing = typeConcurrently(typists, 30, random);
    await waitUntil(
      () => onAlpha.every((typist) => typist.typed.length >= (roundStart.get(typist) ?? 0) + 12 && typist.acknowledged > (roundStart.get(typist) ?? 0)),
      'alpha typists to be under way, with some of this round acknowledged',
    );
    await alpha.kill('SIGKILL');
    await waitUntil(() => onAlpha.every((typist) => typist.session.closes.length > 0), 'alpha clients to see their socket close');
    // Acknowledgements already on the wire when alpha died count too: they were sent after the commit.
    const acknowledgedByAlpha = onAlpha.flatMap((typist) => typist.typed.slice(0, typist.acknowledged));
    const acknowledgedByBravo = onBravo.flatMap((typist) => typist.typed.slice(0, typist.acknowledged));
    const unacknowledgedAtKill = onAlpha.reduce((sum, typist) => sum + typist.typed.length - typist.acknowledged, 0);
    const acknowledgedThisRound = onAlpha.reduce((sum, typist) => sum + typist.acknowledged - (roundStart.get(typist) ?? 0), 0);
    const stored = new Set(wordsOf(await storedText(schema.url, docName)));
    expect(acknowledgedByAlpha.filter((word) => !stored.has(word))).toEqual([]);
    expect(acknowledgedByBravo.filter((word) => !stored.has(word))).toEqual([]);
    figures.push(
      `at the kill: ${acknowledgedThisRound} words of this round acknowledged by alpha (all in PostgreSQL), ${unacknowledgedAtKill} typed on alpha but not yet acknowledged`,
    );

    // The test's reconnect logic: alpha's clients give up on alpha and open the same replica on bravo, with the
    // token alpha issued (both processes sign with the key in the shared data folder).
    for (const typist of onAlpha) {
      typist.session.destroy();
      typist.session = connect(typist, bravo.url, docName);
    }
    await typing;
    const moved = performance.now();
    const text = await converged(typists, 'all replicas to converge on bravo');
    figures.push(`after the kill, the 4 replicas converged on bravo ${(performance.now() - moved).toFixed(0)} ms after typing ended`);

    // Nothing anyone typed is lost: not even what alpha never acknowledged, because the clients still had it.
    const words = wordsOf(text);
    expect(words.toSorted()).toEqual(typists.flatMap((typist) => typist.typed).toSorted());
    expect(await storedText(schema.url, docName)).toBe(text);
  });

  it('serves the same text from a process started afterwards (loaded from PostgreSQL, synced through Redis)', async () => {
    const charlie = await spawnScaleOutServer(dataDir, 'charlie', schema.url, services.redis);
    servers.push(charlie);
    const { token } = await login(charlie.httpUrl, CHAIRS[1]!.name, CHAIRS[1]!.password);
    const reader = openProvider({ url: charlie.url, docName, token, awareness: true, quickReconnect: true });
    try {
      await reader.whenSynced();
      expect(bodyOf(reader.doc)).toBe(bodyOf(typists[0]!.doc));
      // An edit made on charlie reaches the clients on bravo.
      reader.doc.getText(BODY).insert(0, '‹charlie-0›');
      await waitUntil(() => typists.every((typist) => bodyOf(typist.doc).startsWith('‹charlie-0›')), 'the edit on charlie to reach bravo');
    } finally {
      reader.destroy();
    }
  });
});

describe('Redis going away under two sync server processes', () => {
  const seed = Number.parseInt(randomBytes(4).toString('hex'), 16);
  const random = seededRandom(seed);
  const documentId = `outage-${randomBytes(4).toString('hex')}`;
  const docName = `${documentId}/text`;
  const dataDir = tempDir('redis-outage');
  let schema: TestSchema;
  let redis: PrivateRedis;
  const servers: ChildServer[] = [];
  const typists: Typist[] = [];

  beforeAll(async () => {
    const services = await ensureServices();
    schema = await createTestSchema(services.postgresUrl, 'redis_outage');
    // A Redis of these tests' own, since they take it away.
    redis = await startPrivateRedis();
    for (const chair of CHAIRS.slice(0, 2)) await addAccountCli(dataDir, { ...chair, documents: [documentId] });
    const one = await spawnScaleOutServer(dataDir, 'one', schema.url, redis);
    servers.push(one);
    const two = await spawnScaleOutServer(dataDir, 'two', schema.url, redis);
    servers.push(two);
    const first = await login(one.httpUrl, CHAIRS[0]!.name, CHAIRS[0]!.password);
    const published = await fetch(new URL('/api/documents', one.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${first.token}` },
      body: JSON.stringify({ id: documentId, title: 'Outage draft' }),
    });
    expect(published.status).toBe(201);
    const second = await login(two.httpUrl, CHAIRS[1]!.name, CHAIRS[1]!.password);
    for (const [label, server, token] of [
      ['one', one, first.token],
      ['two', two, second.token],
    ] as const) {
      const typist = { label, doc: new Y.Doc(), token, typed: [] as string[], acknowledged: 0 } as Typist;
      typist.session = connect(typist, server.url, docName);
      typists.push(typist);
    }
    await Promise.all(typists.map((typist) => typist.session.whenSynced()));
    await typeConcurrently(typists, 10, random);
    await converged(typists, 'both replicas to converge before Redis goes away');
  }, 120_000);

  afterAll(async () => {
    for (const typist of typists) typist.session.destroy();
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await redis?.stop();
    await schema?.drop();
    removeDir(dataDir);
    console.log(`redis outage (seed ${seed})`);
  });

  it('keeps accepting and storing edits on both processes while Redis is down, and converges once it is back', async () => {
    await redis.stop();
    await typeConcurrently(typists, 10, random);
    // Each process still acknowledges its own clients' edits: they are in PostgreSQL, Redis or not.
    await Promise.all(typists.map((typist) => typist.session.whenSynced()));
    expect(typists.every((typist) => typist.acknowledged === typist.typed.length)).toBe(true);
    const stored = wordsOf(await storedText(schema.url, docName));
    expect(stored.toSorted()).toEqual(typists.flatMap((typist) => typist.typed).toSorted());
    // ...while the two replicas cannot see each other's latest words.
    expect(bodyOf(typists[0]!.doc)).not.toBe(bodyOf(typists[1]!.doc));

    await redis.start();
    const text = await converged(typists, 'both replicas to converge after Redis came back, with no further edit');
    expect(wordsOf(text).toSorted()).toEqual(typists.flatMap((typist) => typist.typed).toSorted());
  });

  it('re-announces its documents when its Redis subscription drops, so an edit published meanwhile is not missed', async () => {
    // Drop every subscriber connection (both processes'); their publishing connections stay up, so an edit made
    // now is published at once, to nobody, and is not queued for later. Only the re-announcement after the
    // subscription comes back (scale-out.ts) brings it to the other process before somebody edits again.
    const admin = new IORedis(redis.port, redis.host, { lazyConnect: true });
    await admin.connect();
    try {
      const killed = await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      expect(Number(killed)).toBeGreaterThanOrEqual(2);
      typeWord(typists[0]!, random);
      const text = await converged(typists, 'the edit made while the subscriptions were down to reach the other process');
      expect(text).toContain(typists[0]!.typed.at(-1));
    } finally {
      await admin.quit();
    }
  });
});
