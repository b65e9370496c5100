/**
 * The write boundary, attacked from a modified client: every role x every Y.Doc of one negotiated document x every
 * kind of write (sync step 2, update, awareness, stateless), sent as raw protocol frames. A write the role may not
 * make must be refused (4403), never stored and never reach another client; an allowed one must be accepted.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mayWrite, SYNC_CLOSE, type Principal, type Role } from '../../shared/sync.ts';
import {
  awarenessUpdateFor,
  closeCodeForReason,
  encodeAwareness,
  encodeStateless,
  encodeSyncStep2,
  encodeSyncUpdate,
  RawSyncClient,
  type OpenOutcome,
  type RefusalOutcome,
} from '../helpers/raw-sync-client.ts';
import { addAccounts, login, openProvider, startTestServer, storedDoc, waitUntil, type TestServer, type TestAccount } from '../helpers/sync-server.ts';

const DOC = 'matrix-doc';
const OTHER_DOC = 'other-doc';
const LOCALS = ['text', 'chair', 'd/FRA', 'd/BRA'] as const;
const KINDS = ['sync-step2', 'update', 'awareness', 'stateless'] as const;
type Kind = (typeof KINDS)[number];

/** The cast: one account per role, two delegations, and a chair of another document with no grant for DOC. */
const ACCOUNTS: ReadonlyArray<TestAccount & { readonly granted: boolean }> = [
  { name: 'chair', password: 'chair-pass-1', role: 'chair', documents: [DOC], granted: true },
  { name: 'france', password: 'france-pass-1', role: 'delegation', delegation: 'FRA', documents: [DOC], granted: true },
  { name: 'brazil', password: 'brazil-pass-1', role: 'delegation', delegation: 'BRA', documents: [DOC], granted: true },
  { name: 'secretariat', password: 'secretariat-pass-1', role: 'secretariat', documents: [DOC], granted: true },
  { name: 'observer', password: 'observer-pass-1', role: 'observer', documents: [DOC], granted: true },
  { name: 'outsider', password: 'outsider-pass-1', role: 'chair', documents: [OTHER_DOC], granted: false },
];

interface MatrixCase {
  readonly account: (typeof ACCOUNTS)[number];
  readonly local: (typeof LOCALS)[number];
  readonly docName: string;
  readonly kind: Kind;
  readonly allowed: boolean;
  /** A unique string carried by the write, searched for in the store and in what other clients received. */
  readonly marker: string;
}

interface CaseResult {
  readonly testCase: MatrixCase;
  readonly open: OpenOutcome;
  readonly scope: string | null;
  /** Whether the seeded content was readable after opening. */
  readonly readSeed: boolean;
  /** The empty sync step 2 a read-only provider answers with, followed by a probe: must leave the doc open. */
  readonly emptyStep2: RefusalOutcome | null;
  readonly write: RefusalOutcome;
  /** Whether the server acknowledged a sync write with SyncStatus(applied). */
  readonly acknowledged: boolean;
}

const principalOf = (account: TestAccount): Principal => ({ role: account.role as Role, delegation: account.delegation ?? null });

const cases: MatrixCase[] = ACCOUNTS.flatMap((account) =>
  LOCALS.flatMap((local) =>
    KINDS.map((kind) => ({
      account,
      local,
      docName: `${DOC}/${local}`,
      kind,
      allowed: account.granted && mayWrite(principalOf(account), local),
      marker: `probe:${account.name}:${local}:${kind}`,
    })),
  ),
);

/** The frame a (possibly modified) client sends for one case. */
function writeFrame(testCase: MatrixCase): Uint8Array {
  switch (testCase.kind) {
    case 'sync-step2':
    case 'update': {
      const scratch = new Y.Doc();
      scratch.getMap('probe').set(testCase.marker, testCase.account.name);
      const update = Y.encodeStateAsUpdate(scratch);
      return testCase.kind === 'update' ? encodeSyncUpdate(testCase.docName, update) : encodeSyncStep2(testCase.docName, update);
    }
    case 'awareness':
      return encodeAwareness(testCase.docName, awarenessUpdateFor(Math.floor(Math.random() * 2 ** 30), 1, { user: { name: testCase.marker }, cursor: null }));
    case 'stateless':
      return encodeStateless(testCase.docName, JSON.stringify({ type: 'probe', marker: testCase.marker }));
  }
}

/** The refusal as a close code: the socket's code, or the code whose reason a per-document Close message carried. */
function refusalCode(outcome: RefusalOutcome | OpenOutcome): number | string {
  switch (outcome.status) {
    case 'socket-closed':
      return outcome.close.code;
    case 'doc-closed':
      return closeCodeForReason(outcome.reason) ?? `unknown close reason: ${outcome.reason}`;
    case 'denied':
      return 'permission-denied';
    default:
      return outcome.status;
  }
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

describe('authorization matrix: role x Y.Doc x write kind', () => {
  let running: TestServer;
  const tokens = new Map<string, string>();
  /** Chair sockets reading every Y.Doc of DOC: they must see allowed writes and never forbidden ones. */
  const watchers: RawSyncClient[] = [];
  const storedBefore = new Map<string, Uint8Array>();
  const results = new Map<string, CaseResult>();
  const openSockets: RawSyncClient[] = [];
  const consoleErrors: unknown[][] = [];

  function storedState(docName: string): Promise<Y.Doc> {
    return storedDoc(running.server.store, docName);
  }

  async function runCase(testCase: MatrixCase): Promise<CaseResult> {
    const client = await RawSyncClient.connect(running.server.url);
    openSockets.push(client);
    const token = tokens.get(testCase.account.name) as string;
    const open = await client.openDocument(testCase.docName, token, { timeoutMs: testCase.account.granted ? 10_000 : 3_000 });
    let readSeed = false;
    let emptyStep2: RefusalOutcome | null = null;
    if (open.status === 'authenticated') {
      readSeed = (await waitUntil(() => client.replica(testCase.docName).getMap('seed').get('origin') === testCase.docName || undefined, `${testCase.docName} seed`, 10_000).catch(() => false)) === true;
      // The raw client answered the server's sync step 1 with an empty step 2 (as a read-only provider does). From
      // here on it answers no more step 1s, so after the probe below every SyncStatus it receives is the write's.
      client.answerStep1 = false;
      emptyStep2 = await client.sendAndProbe(testCase.docName, [encodeSyncStep2(testCase.docName, Y.encodeStateAsUpdate(new Y.Doc(), Y.encodeStateVector(client.replica(testCase.docName))))]);
    }
    const since = client.received.length;
    const write = await client.sendAndProbe(testCase.docName, [writeFrame(testCase)], testCase.account.granted ? 10_000 : 2_000);
    const acknowledged = client.messagesFor(testCase.docName, since).some((message) => message.kind === 'sync-status' && message.applied);
    return { testCase, open, scope: open.status === 'authenticated' ? open.scope : null, readSeed, emptyStep2, write, acknowledged };
  }

  beforeAll(async () => {
    // Hocuspocus reports every refused message on console.error; keep them for the report, not the test output.
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args);
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    running = await startTestServer();
    await running.server.store.putDocument(DOC, 'Matrix draft');
    await running.server.store.putDocument(OTHER_DOC, 'Another draft');
    addAccounts(running.server, ACCOUNTS);
    // Seed every Y.Doc of DOC before anyone connects, so the server loads it from the store.
    for (const local of LOCALS) {
      const seed = new Y.Doc();
      seed.getMap('seed').set('origin', `${DOC}/${local}`);
      if (local === 'text') {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('The General Assembly, recalling its resolutions,')]);
        seed.getXmlFragment('prosemirror').insert(0, [paragraph]);
      }
      await running.server.store.append(`${DOC}/${local}`, Y.encodeStateAsUpdate(seed));
    }
    for (const account of ACCOUNTS) tokens.set(account.name, (await login(running.server.httpUrl, account.name, account.password)).token);
    for (let i = 0; i < 2; i++) {
      const watcher = await RawSyncClient.connect(running.server.url);
      for (const local of LOCALS) {
        const outcome = await watcher.openDocument(`${DOC}/${local}`, tokens.get('chair') as string);
        expect(outcome.status, `watcher opens ${DOC}/${local}`).toBe('authenticated');
        expect(await watcher.syncDocument(`${DOC}/${local}`), `watcher syncs ${DOC}/${local}`).toBe(true);
      }
      watchers.push(watcher);
    }
    for (const local of LOCALS) storedBefore.set(`${DOC}/${local}`, await running.server.store.load(`${DOC}/${local}`));
  }, 60_000);

  afterAll(async () => {
    for (const client of [...openSockets, ...watchers]) await client.close();
    await running?.close();
    vi.restoreAllMocks();
    console.log(`authorization matrix: ${cases.length} cases (${cases.filter((c) => !c.allowed).length} forbidden), server console.error lines: ${consoleErrors.length}`);
  });

  it('watchers read the seeded content of every Y.Doc', () => {
    for (const watcher of watchers) {
      for (const local of LOCALS) expect(watcher.replica(`${DOC}/${local}`).getMap('seed').get('origin')).toBe(`${DOC}/${local}`);
    }
  });

  it('refuses every forbidden write: none stored, none broadcast, each connection closed with 4403', async () => {
    const forbidden = cases.filter((testCase) => !testCase.allowed);
    for (const result of await inPool(forbidden, 6, runCase)) results.set(result.testCase.marker, result);

    // Stored bytes: exactly what was seeded, on every Y.Doc.
    for (const local of LOCALS) {
      const docName = `${DOC}/${local}`;
      const before = new Y.Doc();
      Y.applyUpdate(before, storedBefore.get(docName) as Uint8Array);
      const after = await storedState(docName);
      expect(Buffer.from(Y.encodeStateVector(after)).toString('hex'), `${docName} state vector unchanged`).toBe(Buffer.from(Y.encodeStateVector(before)).toString('hex'));
      expect(Buffer.from(Y.encodeStateAsUpdate(after)).equals(Buffer.from(Y.encodeStateAsUpdate(before))), `${docName} stored state unchanged`).toBe(true);
      expect([...after.getMap('probe').keys()], `${docName} probe keys`).toEqual([]);
    }

    // What the server holds in memory (a fresh reader's sync) carries no forbidden marker either.
    const reader = await RawSyncClient.connect(running.server.url);
    openSockets.push(reader);
    for (const local of LOCALS) {
      expect((await reader.openDocument(`${DOC}/${local}`, tokens.get('chair') as string)).status).toBe('authenticated');
      expect(await reader.syncDocument(`${DOC}/${local}`)).toBe(true);
      expect([...reader.replica(`${DOC}/${local}`).getMap('probe').keys()], `${DOC}/${local} served to a new reader`).toEqual([]);
    }

    const leaks: string[] = [];
    const notRefused: string[] = [];
    for (const testCase of forbidden) {
      const result = results.get(testCase.marker) as CaseResult;
      const marker = bytesOf(testCase.marker);
      for (const watcher of watchers) {
        if (watcher.received.some((frame) => containsBytes(frame.bytes, marker))) leaks.push(`${testCase.marker} reached a watcher`);
      }
      if (result.acknowledged) leaks.push(`${testCase.marker} was acknowledged as applied`);
      if (testCase.account.granted) {
        // May read, may not write: opened read-only, read the seed, the empty step 2 was harmless, the write closed it.
        if (result.open.status !== 'authenticated') notRefused.push(`${testCase.marker}: could not open (${JSON.stringify(result.open)})`);
        else if (result.scope !== 'readonly') notRefused.push(`${testCase.marker}: opened with scope ${result.scope}, expected readonly`);
        if (!result.readSeed) notRefused.push(`${testCase.marker}: could not read the seeded content`);
        if (result.emptyStep2?.status !== 'alive') notRefused.push(`${testCase.marker}: an empty sync step 2 was answered with ${JSON.stringify(result.emptyStep2)}`);
        const code = refusalCode(result.write);
        if (code !== SYNC_CLOSE.forbidden.code) notRefused.push(`${testCase.marker}: write answered with ${code} (${JSON.stringify(result.write)}), expected 4403`);
      } else {
        // No grant: refused at the door, and whatever it sends next has no effect.
        const openCode = refusalCode(result.open);
        if (openCode !== 'permission-denied' && openCode !== SYNC_CLOSE.forbidden.code) notRefused.push(`${testCase.marker}: open answered with ${openCode}, expected permission denied or 4403`);
        if (result.write.status === 'alive') notRefused.push(`${testCase.marker}: the ungranted connection answered a sync request`);
      }
    }
    const verdicts = new Map<string, number>();
    for (const testCase of forbidden) {
      const result = results.get(testCase.marker) as CaseResult;
      const key = testCase.account.granted ? `write -> ${refusalCode(result.write)}` : `ungranted open -> ${refusalCode(result.open)}, write -> ${refusalCode(result.write)}`;
      verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
    }
    console.log(`authorization matrix: ${forbidden.length} forbidden writes, ${leaks.length} accepted; verdicts: ${JSON.stringify(Object.fromEntries(verdicts))}`);
    expect(leaks, 'unauthorized writes accepted').toEqual([]);
    expect(notRefused, 'forbidden writes not refused as the contract says').toEqual([]);
  }, 180_000);

  it('accepts every allowed write: stored, acknowledged, broadcast, connection kept', async () => {
    const allowed = cases.filter((testCase) => testCase.allowed);
    expect(allowed.map((testCase) => testCase.marker).sort()).toEqual(
      [
        ...KINDS.map((kind) => `probe:chair:text:${kind}`),
        ...KINDS.map((kind) => `probe:chair:chair:${kind}`),
        ...KINDS.map((kind) => `probe:france:d/FRA:${kind}`),
        ...KINDS.map((kind) => `probe:brazil:d/BRA:${kind}`),
      ].sort(),
    );
    for (const result of await inPool(allowed, 6, runCase)) results.set(result.testCase.marker, result);

    const problems: string[] = [];
    for (const testCase of allowed) {
      const result = results.get(testCase.marker) as CaseResult;
      if (result.open.status !== 'authenticated') problems.push(`${testCase.marker}: could not open (${JSON.stringify(result.open)})`);
      if (result.scope !== 'read-write') problems.push(`${testCase.marker}: opened with scope ${result.scope}, expected read-write`);
      if (result.write.status !== 'alive') problems.push(`${testCase.marker}: allowed write answered with ${refusalCode(result.write)}`);
      if ((testCase.kind === 'update' || testCase.kind === 'sync-step2') && !result.acknowledged) problems.push(`${testCase.marker}: not acknowledged`);
    }
    expect(problems).toEqual([]);

    // Sync writes are stored and reach both watchers; awareness reaches both watchers.
    for (const testCase of allowed.filter((c) => c.kind === 'update' || c.kind === 'sync-step2')) {
      const stored = await storedState(testCase.docName);
      expect(stored.getMap('probe').get(testCase.marker), `${testCase.marker} stored`).toBe(testCase.account.name);
      for (const watcher of watchers) {
        await waitUntil(() => watcher.replica(testCase.docName).getMap('probe').has(testCase.marker), `${testCase.marker} at a watcher`, 10_000);
      }
    }
    for (const testCase of allowed.filter((c) => c.kind === 'awareness')) {
      for (const watcher of watchers) {
        await waitUntil(
          () => watcher.messagesFor(testCase.docName).some((message) => message.kind === 'awareness' && containsBytes(message.update, bytesOf(testCase.marker))),
          `${testCase.marker} awareness at a watcher`,
          10_000,
        );
      }
    }
    // Nothing forbidden slipped in alongside the allowed writes.
    for (const local of LOCALS) {
      const keys = [...(await storedState(`${DOC}/${local}`)).getMap('probe').keys()].sort();
      const expected = allowed.filter((c) => c.local === local && (c.kind === 'update' || c.kind === 'sync-step2')).map((c) => c.marker).sort();
      expect(keys, `${DOC}/${local} probe keys`).toEqual(expected);
    }
  }, 120_000);

  it('serves stock read-only providers (awareness off) live edits without closing them', async () => {
    const readers = [
      { account: 'observer', local: 'text' },
      { account: 'observer', local: 'd/FRA' },
      { account: 'secretariat', local: 'chair' },
      { account: 'france', local: 'd/BRA' },
      { account: 'brazil', local: 'text' },
    ].map(({ account, local }) => ({
      local,
      session: openProvider({ url: running.server.url, docName: `${DOC}/${local}`, token: tokens.get(account) as string, awareness: false, quickReconnect: true }),
    }));
    const writers = new Map(
      [
        ['text', 'chair'],
        ['chair', 'chair'],
        ['d/FRA', 'france'],
        ['d/BRA', 'brazil'],
      ].map(([local, account]) => [local as string, openProvider({ url: running.server.url, docName: `${DOC}/${local}`, token: tokens.get(account as string) as string, awareness: true, quickReconnect: true })]),
    );
    try {
      await Promise.all([...readers.map((reader) => reader.session.whenSynced()), ...[...writers.values()].map((writer) => writer.whenSynced())]);
      for (const reader of readers) expect(reader.session.provider.authorizedScope, `${reader.local} scope`).toBe('readonly');
      for (const [local, writer] of writers) writer.doc.getMap('live').set('edit', `live edit on ${local}`);
      for (const reader of readers) {
        await waitUntil(() => reader.session.doc.getMap('live').get('edit') === `live edit on ${reader.local}`, `a reader of ${reader.local} to see the live edit`);
        expect(reader.session.closes, `${reader.local} reader closes`).toEqual([]);
        expect(reader.session.doc.getMap('seed').get('origin')).toBe(`${DOC}/${reader.local}`);
      }
    } finally {
      for (const reader of readers) reader.session.destroy();
      for (const writer of writers.values()) writer.destroy();
    }
  }, 60_000);

  it('keeps the verdicts after a restart on the same data folder', async () => {
    await Promise.all([...openSockets, ...watchers].map((client) => client.close()));
    await running.server.close();
    const restarted = await startTestServer({ dataDir: running.dataDir });
    try {
      for (const local of LOCALS) {
        const doc = await storedDoc(restarted.server.store, `${DOC}/${local}`);
        const expected = cases.filter((c) => c.allowed && c.local === local && (c.kind === 'update' || c.kind === 'sync-step2')).map((c) => c.marker).sort();
        expect([...doc.getMap('probe').keys()].sort(), `${DOC}/${local} after restart`).toEqual(expected);
        expect(doc.getMap('live').get('edit')).toBe(`live edit on ${local}`);
        expect(doc.getMap('seed').get('origin')).toBe(`${DOC}/${local}`);
      }
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
