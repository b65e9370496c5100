/**
 * Durability: the server acknowledges an update only once it is stored. Twenty clients type into D/text of a
 * server running as a child process; at a random moment the server is killed with SIGKILL; after a restart on the
 * same data folder every update a client saw acknowledged must be there. Then the clients re-sync their own
 * replicas and nothing they typed is lost. Repeated for a few kills.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import {
  addAccountCli,
  addDocumentCli,
  login,
  openProvider,
  removeDir,
  spawnServer,
  tempDir,
  type ChildServer,
  type TestProvider,
} from '../helpers/sync-server.ts';

const DOC = 'durable-doc';
const CLIENT_COUNT = 20;
const ROUNDS = 3;
const CHAIRS = [
  { name: 'chair-one', password: 'chair-one-pass', role: 'chair' as const, documents: [DOC] },
  { name: 'chair-two', password: 'chair-two-pass', role: 'chair' as const, documents: [DOC] },
];

/** One typist: its provider and replica, what it typed, and how much of it the server acknowledged. */
interface Typist {
  readonly index: number;
  readonly session: TestProvider;
  readonly typed: string[];
  /** How many of `typed` the server acknowledged (SyncStatus messages, counted by the provider's unsyncedChanges). */
  acknowledged: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/** The plain text of every paragraph of the editor's fragment, in order. */
function documentText(doc: Y.Doc): string {
  return doc
    .getXmlFragment(TEXT_FRAGMENT)
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? (child.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('') : '')).join('') : ''))
    .join('\n');
}

/** Signs in and syncs a fresh reader of D/text, returning its replica. */
async function readStoredText(server: ChildServer): Promise<Y.Doc> {
  const { token } = await login(server.httpUrl, CHAIRS[0]!.name, CHAIRS[0]!.password);
  const reader = openProvider({ url: server.url, docName: `${DOC}/text`, token, awareness: true, quickReconnect: true });
  try {
    await reader.whenSynced(30_000);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc));
    return copy;
  } finally {
    reader.destroy();
  }
}

describe('acknowledged updates survive kill -9 of the server', () => {
  const dataDir = tempDir('durability');
  let server: ChildServer | null = null;
  /** Every marker any client ever typed, with whether it was acknowledged before its server died. */
  const history: Array<{ round: number; acknowledged: string[]; unacknowledged: string[] }> = [];

  beforeAll(async () => {
    for (const account of CHAIRS) await addAccountCli(dataDir, account);
    await addDocumentCli(dataDir, DOC, 'Durability draft');
    server = await spawnServer(dataDir);
  }, 60_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
    removeDir(dataDir);
    console.log(
      `durability: ${history
        .map((round) => `round ${round.round}: ${round.acknowledged.length} acknowledged, ${round.unacknowledged.length} typed but unacknowledged at the kill`)
        .join('; ')}`,
    );
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${CLIENT_COUNT} typists, SIGKILL at a random moment, restart, every acknowledged keystroke present`, async () => {
      const running = server as ChildServer;
      const tokens = await Promise.all(CHAIRS.map(async (account) => (await login(running.httpUrl, account.name, account.password)).token));

      // Twenty clients join D/text, each with its own paragraph.
      const typists: Typist[] = [];
      for (let index = 0; index < CLIENT_COUNT; index++) {
        const session = openProvider({ url: running.url, docName: `${DOC}/text`, token: tokens[index % tokens.length] as string, awareness: true, quickReconnect: true });
        typists.push({ index, session, typed: [], acknowledged: 0, timer: null });
      }
      await Promise.all(typists.map((typist) => typist.session.whenSynced(30_000)));
      for (const typist of typists) {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.setAttribute('pid', `r${round}-c${typist.index}`);
        paragraph.insert(0, [new Y.XmlText('')]);
        typist.session.doc.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
      }
      await Promise.all(typists.map((typist) => typist.session.whenSynced(30_000)));
      // From here each marker is one update message, sent in order, and the server answers each with one
      // SyncStatus in order (one connection's messages are handled one at a time): so once unsyncedChanges has
      // started from 0, the first `typed.length - unsyncedChanges` markers are acknowledged. A socket that closed
      // before the kill (a reconnect resets the counter) stops counting.
      for (const typist of typists) {
        const closesBefore = typist.session.closes.length;
        typist.session.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
          if (typist.session.closes.length !== closesBefore) return;
          typist.acknowledged = Math.max(typist.acknowledged, typist.typed.length - number);
        });
      }

      // Everyone types, one marker per keystroke batch, at its own pace, until the server dies.
      let typing = true;
      for (const typist of typists) {
        const paragraph = typist.session.doc
          .getXmlFragment(TEXT_FRAGMENT)
          .toArray()
          .find((node) => node instanceof Y.XmlElement && node.getAttribute('pid') === `r${round}-c${typist.index}`) as Y.XmlElement;
        const text = paragraph.get(0) as Y.XmlText;
        const type = () => {
          if (!typing) return;
          const marker = `⟦r${round}c${String(typist.index).padStart(2, '0')}-${typist.typed.length}⟧`;
          typist.typed.push(marker);
          text.insert(text.length, marker);
          typist.timer = setTimeout(type, 5 + Math.floor(Math.random() * 30));
        };
        typist.timer = setTimeout(type, Math.floor(Math.random() * 30));
      }
      const killAfter = 600 + Math.floor(Math.random() * 2_000);
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      await running.kill('SIGKILL');
      typing = false;
      for (const typist of typists) if (typist.timer) clearTimeout(typist.timer);
      // Acknowledgements already in the client's socket were sent before the death: let them be read, then freeze.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const acknowledged = typists.map((typist) => typist.typed.slice(0, typist.acknowledged));
      const unacknowledged = typists.map((typist) => typist.typed.slice(typist.acknowledged));
      for (const typist of typists) typist.session.disconnect();
      history.push({ round, acknowledged: acknowledged.flat(), unacknowledged: unacknowledged.flat() });
      expect(acknowledged.flat().length, 'some keystrokes were acknowledged before the kill').toBeGreaterThan(0);

      // Restart on the same folder: every acknowledged marker, of this round and the earlier ones, is there.
      server = await spawnServer(dataDir);
      const restarted = server;
      const stored = documentText(await readStoredText(restarted));
      const missing = history.flatMap((entry) => entry.acknowledged).filter((marker) => !stored.includes(marker));
      expect(missing, `acknowledged but lost (killed after ${killAfter} ms)`).toEqual([]);
      const unacknowledgedPresent = unacknowledged.flat().filter((marker) => stored.includes(marker)).length;
      console.log(
        `durability round ${round}: killed after ${killAfter} ms; ${acknowledged.flat().length} acknowledged (all present), ${unacknowledged.flat().length} unacknowledged of which ${unacknowledgedPresent} present`,
      );

      // The clients come back with their replicas (as the app does from its local log): nothing typed is lost.
      const newTokens = await Promise.all(CHAIRS.map(async (account) => (await login(restarted.httpUrl, account.name, account.password)).token));
      const replicas = typists.map((typist) => typist.session.doc);
      for (const typist of typists) typist.session.destroy();
      const resynced = replicas.map((doc, index) => openProvider({ url: restarted.url, docName: `${DOC}/text`, token: newTokens[index % newTokens.length] as string, doc, awareness: true, quickReconnect: true }));
      try {
        await Promise.all(resynced.map((session) => session.whenSynced(60_000)));
        const merged = documentText(await readStoredText(restarted));
        const lost = typists.flatMap((typist) => typist.typed).filter((marker) => !merged.includes(marker));
        expect(lost, 'typed but lost after the clients re-synced').toEqual([]);
        expect(typists.flatMap((typist) => typist.typed).every((marker) => merged.split(marker).length === 2), 'each marker once').toBe(true);
      } finally {
        for (const session of resynced) session.destroy();
      }
    }, 120_000);
  }
});
