/**
 * Malformed input: more than ten thousand hostile frames (random bytes, truncated and bit-flipped valid messages,
 * oversized frames) from unauthenticated sockets, a read-only account and a chair of another document, while two
 * honest clients keep editing. The server must keep serving, close every offending socket with a known code, and
 * store exactly what the honest clients wrote.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, SYNC_CLOSE } from '../../shared/sync.ts';
import {
  awarenessUpdateFor,
  closeCodeForReason,
  encodeAuth,
  encodeAwareness,
  encodeQueryAwareness,
  encodeStateless,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  KNOWN_CLOSE_EVENTS,
  MESSAGE_TYPE,
  RawSyncClient,
  SYNC_STEP,
} from '../helpers/raw-sync-client.ts';
import { addAccounts, login, openProvider, startTestServer, storedDoc, waitUntil, type TestServer, type TestProvider } from '../helpers/sync-server.ts';
import { seededRandom } from '../helpers/random.ts';

const DOC = 'fuzz-doc';
const TARGET = 'fuzz-target';
const HONEST_DOC = `${DOC}/text`;
const TARGET_DOC = `${TARGET}/text`;
/** Connections per fuzz category; with 8 to 16 frames each this sends well over 10,000 frames. */
const CONNECTIONS_PER_CATEGORY = 240;
const CONCURRENCY = 16;

/** Who a fuzzing socket is: nobody, an observer of DOC (read-only), or the chair of TARGET (may write it). */
type Identity = 'none' | 'observer' | 'chair-of-target';

/** What the server must do with one connection's batch, computed from the frames before sending. */
type Expectation =
  | { readonly kind: 'close'; readonly code: number; readonly because: string }
  | { readonly kind: 'alive' }
  /** A frame whose fate depends on server state (a write from a read-only account, a garbled token...). */
  | { readonly kind: 'known-or-alive'; readonly because: string }
  /**
   * A garbled token refresh: Hocuspocus verifies it without holding the frames behind it (onTokenSync is not
   * awaited), so the socket may answer the probe first, but must then be signed out (4401) unless a later frame
   * closed it first with its own code.
   */
  | { readonly kind: 'eventually-closed'; readonly code: number; readonly because: string }
  /** The batch left the probed document (a Close frame), so the probe may go unanswered. */
  | { readonly kind: 'left-document' };

type Outcome = { readonly status: 'closed'; readonly code: number | string } | { readonly status: 'alive' } | { readonly status: 'timeout' };

interface Attack {
  readonly category: string;
  readonly identity: Identity;
  readonly frames: Uint8Array[];
}

/** How a frame reads under the contract: what the server can decode, and what it says. */
type Classified =
  | { readonly kind: 'undecodable'; readonly why: string }
  | { readonly kind: 'ambiguous'; readonly why: string }
  | { readonly kind: 'pong' }
  | { readonly kind: 'message'; readonly doc: string; readonly type: number; readonly step: number | null; readonly token?: string };

/**
 * Classifies a frame the way the contract defines "a message the server cannot decode": the envelope, every
 * sync payload (state vector or Yjs update), awareness entries (JSON states) and the auth token. Trailing bytes
 * and types a client never sends (6, 8, 9, 10 after a name) are left ambiguous rather than required to close.
 */
function classify(frame: Uint8Array): Classified {
  if (frame.length === 1 && frame[0] === MESSAGE_TYPE.pong) return { kind: 'pong' };
  const decoder = decoding.createDecoder(frame);
  try {
    const doc = decoding.readVarString(decoder);
    if (doc.length === 0) return { kind: 'ambiguous', why: 'empty document name' };
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_TYPE.sync:
      case MESSAGE_TYPE.syncReply: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SYNC_STEP.step1) Y.decodeStateVector(payload);
        else if (step === SYNC_STEP.step2 || step === SYNC_STEP.update) Y.decodeUpdate(payload);
        else return { kind: 'undecodable', why: `sync step ${step}` };
        return { kind: 'message', doc, type: MESSAGE_TYPE.sync, step };
      }
      case MESSAGE_TYPE.awareness: {
        const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
        const count = decoding.readVarUint(inner);
        for (let i = 0; i < count; i++) {
          decoding.readVarUint(inner);
          decoding.readVarUint(inner);
          JSON.parse(decoding.readVarString(inner));
        }
        return { kind: 'message', doc, type, step: null };
      }
      case MESSAGE_TYPE.auth: {
        const authType = decoding.readVarUint(decoder);
        if (authType !== 0) return { kind: 'undecodable', why: `auth type ${authType} from a client` };
        const token = decoding.readVarString(decoder);
        if (decoding.hasContent(decoder)) decoding.readVarString(decoder);
        return { kind: 'message', doc, type, step: null, token };
      }
      case MESSAGE_TYPE.stateless:
        decoding.readVarString(decoder);
        return { kind: 'message', doc, type, step: null };
      case MESSAGE_TYPE.queryAwareness:
      case MESSAGE_TYPE.close:
        return { kind: 'message', doc, type, step: null };
      case MESSAGE_TYPE.broadcastStateless:
      case MESSAGE_TYPE.syncStatus:
      case MESSAGE_TYPE.ping:
      case MESSAGE_TYPE.pong:
        return { kind: 'ambiguous', why: `type ${type} from a client` };
      default:
        return { kind: 'undecodable', why: `unknown type ${type}` };
    }
  } catch (error) {
    return { kind: 'undecodable', why: (error as Error).message };
  }
}

/** Walks a batch in order, as the server will, up to the first frame that decides the connection's fate. */
function expectationFor(frames: readonly Uint8Array[], identity: Identity, token: string | null): Expectation {
  const opened = identity === 'observer' ? { doc: HONEST_DOC, writable: false } : identity === 'chair-of-target' ? { doc: TARGET_DOC, writable: true } : null;
  for (const frame of frames) {
    if (frame.length > DEFAULT_MAX_MESSAGE_BYTES) return { kind: 'close', code: SYNC_CLOSE.messageTooLarge.code, because: `a ${frame.length}-byte frame` };
    const read = classify(frame);
    if (read.kind === 'undecodable') return { kind: 'close', code: SYNC_CLOSE.malformed.code, because: read.why };
    if (read.kind === 'ambiguous') return { kind: 'known-or-alive', because: read.why };
    if (read.kind === 'pong') continue;
    const sameDoc = opened !== null && read.doc.split('\0')[0] === opened.doc;
    if (read.type === MESSAGE_TYPE.auth) {
      if (!sameDoc) return { kind: 'known-or-alive', because: 'a token for another document name' };
      // A token on an open document is a token refresh (Hocuspocus onTokenSync): a garbled one signs the socket out.
      if (read.token === token) continue;
      // Base64url ignores the spare low bits of the last character, so a flip there may leave the token valid.
      if (token !== null && read.token?.slice(0, -1) === token.slice(0, -1)) return { kind: 'known-or-alive', because: 'a token whose last character changed' };
      return { kind: 'eventually-closed', code: SYNC_CLOSE.unauthenticated.code, because: 'a garbled token refresh' };
    }
    if (!sameDoc) continue; // queued until that document is authenticated, which never happens
    if (read.type === MESSAGE_TYPE.close) return { kind: 'left-document' };
    const isWrite = read.type === MESSAGE_TYPE.awareness || read.type === MESSAGE_TYPE.stateless || (read.type === MESSAGE_TYPE.sync && read.step !== SYNC_STEP.step1);
    if (isWrite && !(opened as { writable: boolean }).writable) return { kind: 'known-or-alive', because: 'a write from a read-only connection' };
    if (isWrite && read.type === MESSAGE_TYPE.sync) return { kind: 'known-or-alive', because: 'a garbled but decodable update' };
  }
  return { kind: 'alive' };
}

describe('malformed input: the server survives, refuses clearly and stores only honest edits', () => {
  let running: TestServer;
  const tokens = new Map<string, string>();
  const honest: Array<{ session: TestProvider; typed: string[]; text: Y.XmlText; timer: ReturnType<typeof setInterval> | null }> = [];
  const consoleErrors: unknown[][] = [];
  const outcomes: Array<{ attack: Attack; expectation: Expectation; outcome: Outcome }> = [];
  const seed = Date.now() % 1_000_000;
  const random = seededRandom(seed);
  const int = (below: number) => Math.floor(random() * below);

  /** Valid frames of every kind for one document, the raw material for truncation and bit flips. */
  function validFrames(doc: string, token: string): Uint8Array[] {
    const scratch = new Y.Doc();
    scratch.getText('fuzz').insert(0, `garbage-${int(1e6)}`);
    const update = Y.encodeStateAsUpdate(scratch);
    const awareness = awarenessUpdateFor(1 + int(2 ** 30), 1 + int(100), { user: { name: 'fuzzer', color: '#aa3300' }, cursor: null });
    return [
      encodeSyncStep1(doc, Y.encodeStateVector(scratch)),
      encodeSyncStep2(doc, update),
      encodeSyncUpdate(doc, update),
      encodeAwareness(doc, awareness),
      encodeAuth(doc, token),
      encodeStateless(doc, JSON.stringify({ type: 'fuzz', n: int(1000) })),
    ];
  }

  function randomFrame(maxLength: number): Uint8Array {
    return new Uint8Array(randomBytes(int(maxLength + 1)));
  }

  function addressedRandom(doc: string): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, doc);
    encoding.writeUint8Array(encoder, new Uint8Array(randomBytes(1 + int(200))));
    return encoding.toUint8Array(encoder);
  }

  function truncate(frame: Uint8Array): Uint8Array {
    return frame.slice(0, 1 + int(frame.length - 1));
  }

  function flipBits(frame: Uint8Array): Uint8Array {
    const copy = frame.slice();
    for (let flips = 1 + int(3); flips > 0; flips--) {
      const bit = int(copy.length * 8);
      copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    }
    return copy;
  }

  /** Harmless valid frames an honest client might send first, so the server reads several frames per socket. */
  function harmlessPrefix(doc: string): Uint8Array[] {
    return Array.from({ length: int(4) }, () => (random() < 0.5 ? encodeSyncStep1(doc) : encodeQueryAwareness(doc)));
  }

  function plan(category: string, index: number): Attack {
    const identity: Identity = category === 'random bytes, unauthenticated' ? 'none' : index % 2 === 0 ? 'observer' : 'chair-of-target';
    const doc = identity === 'observer' ? HONEST_DOC : TARGET_DOC;
    const token = tokens.get(identity === 'observer' ? 'observer' : 'target-chair') as string;
    // Bit flips come in short batches, so some sockets send only flipped frames that still decode (a write the
    // observer may not make, a garbled update the target's chair may) and are judged on those.
    const count = category === 'bit-flipped valid messages (sync, awareness, auth)' ? 1 + int(3) : 10 + int(9);
    const frames: Uint8Array[] = identity === 'none' ? [] : harmlessPrefix(doc);
    for (let i = 0; i < count; i++) {
      const source = validFrames(doc, token);
      switch (category) {
        case 'random bytes, unauthenticated':
          frames.push(randomFrame(200));
          break;
        case 'random bytes after a valid document name':
          frames.push(addressedRandom(doc));
          break;
        case 'truncated valid messages':
          frames.push(truncate(source[int(source.length)] as Uint8Array));
          break;
        case 'bit-flipped valid messages (sync, awareness, auth)':
          frames.push(flipBits(source[[0, 1, 2, 3, 4][int(5)] as number] as Uint8Array));
          break;
      }
    }
    return { category, identity, frames };
  }

  async function attack(attackPlan: Attack): Promise<void> {
    const expectation = expectationFor(attackPlan.frames, attackPlan.identity, attackPlan.identity === 'none' ? null : (tokens.get(attackPlan.identity === 'observer' ? 'observer' : 'target-chair') as string));
    const client = await RawSyncClient.connect(running.server.url);
    let outcome: Outcome;
    try {
      if (attackPlan.identity !== 'none') {
        const doc = attackPlan.identity === 'observer' ? HONEST_DOC : TARGET_DOC;
        const opened = await client.openDocument(doc, tokens.get(attackPlan.identity === 'observer' ? 'observer' : 'target-chair') as string);
        if (opened.status !== 'authenticated' || !(await client.syncDocument(doc))) throw new Error(`${attackPlan.identity} could not open ${doc}: ${JSON.stringify(opened)}`);
        const result = await client.sendAndProbe(doc, attackPlan.frames, 15_000);
        if (result.status === 'alive' && expectation.kind === 'eventually-closed') {
          const closed = await client.waitClosed(15_000);
          outcome = closed ? { status: 'closed', code: closed.code } : { status: 'timeout' };
        } else outcome =
          result.status === 'alive' ? { status: 'alive' } : result.status === 'timeout' ? { status: 'timeout' } : result.status === 'socket-closed' ? { status: 'closed', code: result.close.code } : { status: 'closed', code: result.status === 'doc-closed' ? (closeCodeForReason(result.reason) ?? `doc closed: ${result.reason}`) : `denied: ${result.reason}` };
      } else {
        // Nobody yet: the probe is signing in as the observer and reading DOC.
        client.sendAll(attackPlan.frames);
        const opened = await client.openDocument(HONEST_DOC, tokens.get('observer') as string, { timeoutMs: 15_000 });
        if (opened.status === 'authenticated') outcome = (await client.syncDocument(HONEST_DOC, 15_000)) ? { status: 'alive' } : client.closeEvent ? { status: 'closed', code: client.closeEvent.code } : { status: 'timeout' };
        else if (opened.status === 'socket-closed') outcome = { status: 'closed', code: opened.close.code };
        else if (opened.status === 'timeout') outcome = { status: 'timeout' };
        else outcome = { status: 'closed', code: `${opened.status}: ${'reason' in opened ? opened.reason : ''}` };
      }
    } finally {
      await client.close();
    }
    outcomes.push({ attack: attackPlan, expectation, outcome });
  }

  async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: limit }, async () => {
        while (next < items.length) await work(items[next++] as T);
      }),
    );
  }

  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args);
    });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    running = await startTestServer();
    await running.server.store.putDocument(DOC, 'Honest draft');
    await running.server.store.putDocument(TARGET, 'Fuzz target');
    addAccounts(running.server, [
      { name: 'honest-one', password: 'honest-one-pass', role: 'chair', documents: [DOC] },
      { name: 'honest-two', password: 'honest-two-pass', role: 'chair', documents: [DOC] },
      { name: 'observer', password: 'observer-pass', role: 'observer', documents: [DOC] },
      { name: 'target-chair', password: 'target-chair-pass', role: 'chair', documents: [TARGET] },
    ]);
    for (const name of ['honest-one', 'honest-two', 'observer', 'target-chair']) tokens.set(name, (await login(running.server.httpUrl, name, `${name}-pass`)).token);
    for (const name of ['honest-one', 'honest-two']) {
      const session = openProvider({ url: running.server.url, docName: HONEST_DOC, token: tokens.get(name) as string, awareness: true, quickReconnect: true });
      await session.whenSynced();
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('pid', name);
      const text = new Y.XmlText('');
      paragraph.insert(0, [text]);
      session.doc.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
      honest.push({ session, typed: [], text, timer: null });
    }
    for (const [i, client] of honest.entries()) {
      client.timer = setInterval(() => {
        const marker = `⟦h${i}-${client.typed.length}⟧`;
        client.typed.push(marker);
        client.text.insert(client.text.length, marker);
      }, 40);
    }
  }, 30_000);

  afterAll(async () => {
    for (const client of honest) {
      if (client.timer) clearInterval(client.timer);
      client.session.destroy();
    }
    await running?.close();
    vi.restoreAllMocks();
  });

  /** The plain text of the whole honest document in one replica. */
  const textOf = (doc: Y.Doc) =>
    doc
      .getXmlFragment(TEXT_FRAGMENT)
      .toArray()
      .map((node) => ((node as Y.XmlElement).get(0) as Y.XmlText).toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join(''))
      .join('\n');

  it('answers every hostile batch with a known close code, or keeps serving it when it was harmless', async () => {
    console.log(`malformed input: random seed ${seed}`);
    const categories = ['random bytes, unauthenticated', 'random bytes after a valid document name', 'truncated valid messages', 'bit-flipped valid messages (sync, awareness, auth)'];
    for (const category of categories) {
      const typedBefore = honest.map((client) => client.typed.length);
      const connections = category.startsWith('bit-flipped') ? 2 * CONNECTIONS_PER_CATEGORY : CONNECTIONS_PER_CATEGORY;
      await inPool(
        Array.from({ length: connections }, (_, index) => plan(category, index)),
        CONCURRENCY,
        attack,
      );
      // The honest clients kept editing through the wave and keep receiving each other's edits.
      for (const [i, client] of honest.entries()) {
        const other = honest[1 - i] as (typeof honest)[number];
        expect(client.typed.length, `honest client ${i} typed during "${category}"`).toBeGreaterThan(typedBefore[i] as number);
        const lastOfOther = other.typed[other.typed.length - 1] as string;
        await waitUntil(() => textOf(client.session.doc).includes(lastOfOther), `honest client ${i} to receive ${lastOfOther} after "${category}"`, 30_000);
      }
    }
    // Oversized frames, before and after signing in: 4413.
    const oversized: Attack[] = [
      ...Array.from({ length: 3 }, () => ({ category: 'oversized frames', identity: 'none' as const, frames: [new Uint8Array(randomBytes(DEFAULT_MAX_MESSAGE_BYTES + 1 + int(4096)))] })),
      ...Array.from({ length: 3 }, () => ({
        category: 'oversized frames',
        identity: 'observer' as const,
        frames: [encodeSyncUpdate(HONEST_DOC, new Uint8Array(DEFAULT_MAX_MESSAGE_BYTES + int(4096)))],
      })),
    ];
    await inPool(oversized, 3, attack);

    const framesSent = outcomes.reduce((sum, entry) => sum + entry.attack.frames.length, 0);
    const distribution = new Map<string, number>();
    for (const { attack: a, outcome } of outcomes) {
      const key = `${a.category} | ${outcome.status === 'closed' ? outcome.code : outcome.status}`;
      distribution.set(key, (distribution.get(key) ?? 0) + 1);
    }
    console.log(`malformed input: ${framesSent} frames on ${outcomes.length} connections; outcomes:\n${[...distribution].sort().map(([key, n]) => `  ${key}: ${n}`).join('\n')}`);
    expect(framesSent).toBeGreaterThanOrEqual(10_000);

    const knownCodes = new Set(KNOWN_CLOSE_EVENTS.map((event) => event.code));
    const problems: string[] = [];
    for (const { attack: a, expectation, outcome } of outcomes) {
      const label = `${a.category} as ${a.identity}`;
      // A frame (bit-flipped or not) that is a client's own Close of the document is answered by Hocuspocus closing
      // that document with the reason provider_initiated: the outcome the client asked for, not an unclear refusal.
      if (expectation.kind === 'left-document' && outcome.status === 'closed' && outcome.code === 'doc closed: provider_initiated') continue;
      if (outcome.status === 'closed' && !(typeof outcome.code === 'number' && knownCodes.has(outcome.code))) problems.push(`${label}: closed with an unclear code ${outcome.code}`);
      if (expectation.kind === 'close' && !(outcome.status === 'closed' && outcome.code === expectation.code)) {
        problems.push(`${label}: expected ${expectation.code} (${expectation.because}), got ${JSON.stringify(outcome)}`);
      }
      if (expectation.kind === 'eventually-closed' && outcome.status !== 'closed') problems.push(`${label}: expected to be closed (${expectation.because}), got ${JSON.stringify(outcome)}`);
      if (expectation.kind === 'alive' && outcome.status !== 'alive') problems.push(`${label}: a harmless batch was answered with ${JSON.stringify(outcome)}`);
      if (expectation.kind === 'known-or-alive' && outcome.status === 'timeout') problems.push(`${label}: neither answered nor closed (${expectation.because})`);
    }
    expect(problems.slice(0, 20), `${problems.length} connections not handled as expected`).toEqual([]);
    expect(outcomes.filter((entry) => entry.expectation.kind === 'close').length, 'offending connections').toBeGreaterThan(500);
  }, 300_000);

  it('still serves, and stores exactly what the honest clients wrote', async () => {
    for (const client of honest) {
      if (client.timer) clearInterval(client.timer);
      client.timer = null;
    }
    await Promise.all(honest.map((client) => client.session.whenSynced(30_000)));
    const [one, two] = honest as [(typeof honest)[number], (typeof honest)[number]];
    await waitUntil(() => Buffer.from(Y.encodeStateVector(one.session.doc)).equals(Buffer.from(Y.encodeStateVector(two.session.doc))), 'honest replicas to converge', 30_000);

    // A new sign-in and a new reader work.
    const { token } = await login(running.server.httpUrl, 'observer', 'observer-pass');
    const reader = openProvider({ url: running.server.url, docName: HONEST_DOC, token, awareness: false, quickReconnect: true });
    await reader.whenSynced();
    const stored = await storedDoc(running.server.store, HONEST_DOC);
    for (const doc of [reader.doc, stored, two.session.doc]) {
      expect(Buffer.from(Y.encodeStateVector(doc)).toString('hex')).toBe(Buffer.from(Y.encodeStateVector(one.session.doc)).toString('hex'));
      expect(textOf(doc)).toBe(textOf(one.session.doc));
    }
    reader.destroy();
    // No garbage: the only writers of the honest document are the two honest clients, and every marker is theirs.
    expect([...Y.decodeStateVector(Y.encodeStateVector(stored)).keys()].sort()).toEqual([one.session.doc.clientID, two.session.doc.clientID].sort());
    expect(stored.share.size, 'shared types in the stored honest doc').toBe(1);
    const text = textOf(stored);
    for (const client of honest) for (const marker of client.typed) expect(text.includes(marker), marker).toBe(true);
    expect(text.replace(/⟦h[01]-\d+⟧/gu, '').replace(/\n/gu, '')).toBe('');
    console.log(`malformed input: honest clients typed ${honest.map((client) => client.typed.length).join(' and ')} markers; server console.error lines: ${consoleErrors.length} (${[...new Set(consoleErrors.map((args) => String(args[0]).slice(0, 80)))].slice(0, 5).join(' / ')}); log entries: ${running.logs.length}`);
  }, 120_000);

  it('restarts on the same data folder with both documents loadable and consistent', async () => {
    const expected = await storedDoc(running.server.store, HONEST_DOC);
    for (const client of honest) client.session.destroy();
    await running.server.close();
    const restarted = await startTestServer({ dataDir: running.dataDir });
    try {
      const honestAfter = await storedDoc(restarted.server.store, HONEST_DOC);
      expect(Buffer.from(Y.encodeStateAsUpdate(honestAfter)).equals(Buffer.from(Y.encodeStateAsUpdate(expected)))).toBe(true);
      // The fuzzed document took garbled-but-decodable updates from its chair: it must still load and serve.
      const target = await storedDoc(restarted.server.store, TARGET_DOC);
      const { token } = await login(restarted.server.httpUrl, 'target-chair', 'target-chair-pass');
      const reader = openProvider({ url: restarted.server.url, docName: TARGET_DOC, token, awareness: true, quickReconnect: true });
      await reader.whenSynced();
      expect(Buffer.from(Y.encodeStateVector(reader.doc)).toString('hex')).toBe(Buffer.from(Y.encodeStateVector(target)).toString('hex'));
      reader.destroy();
    } finally {
      await restarted.close();
    }
  }, 60_000);
});
