import * as encoding from 'lib0/encoding';
import { Awareness } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { TokenBucket } from './limits.ts';
import { encodeAuth, encodeAwareness, encodeFrame, encodeRawFrame, encodeSync, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, MESSAGE_TYPE } from '../../tests/helpers/raw-sync-client.ts';
import { startTestServer, storedDoc, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
let t: TestServer;

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ chairToken: string }> {
  t = await startTestServer(options);
  await t.server.store.putDocument(DOC, 'Oceans');
  t.account('chair1', 'chair');
  return { chairToken: (await t.signIn('chair1')).token };
}

afterEach(async () => {
  await t.close();
});

/** The text stored for `<DOC>/text`. */
async function storedText(): Promise<string> {
  return typedText(await storedDoc(t.server.store, `${DOC}/text`));
}

describe('message size', () => {
  it('closes a socket that sends a message over the limit with 4413, even before it authenticates', async () => {
    const { chairToken } = await start({ maxMessageBytes: 64 * 1024 });
    const anonymous = await t.raw();
    anonymous.send(new Uint8Array(64 * 1024 + 1));
    expect(await anonymous.waitClosed()).toEqual({ code: SYNC_CLOSE.messageTooLarge.code, reason: SYNC_CLOSE.messageTooLarge.reason });

    const chair = await t.raw();
    expect(await chair.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const big = new Y.Doc();
    typeInto(big, 'x'.repeat(70 * 1024));
    chair.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(big)));
    expect((await chair.waitClosed())?.code).toBe(4413);
    expect(await storedText()).toBe('');
    expect(t.logs.filter((entry) => entry.event === 'limit.hit').map((entry) => entry.limit)).toEqual(['message-size', 'message-size']);
  });

  it('accepts a message at the limit', async () => {
    const { chairToken } = await start({ maxMessageBytes: 64 * 1024 });
    const chair = await t.raw();
    expect(await chair.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const doc = new Y.Doc();
    typeInto(doc, 'y'.repeat(60 * 1024));
    const frame = encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(doc));
    expect(frame.byteLength).toBeLessThanOrEqual(64 * 1024);
    chair.send(frame);
    expect(await chair.waitFor((m) => m.kind === 'sync-status' && m.applied)).not.toBeNull();
    expect(await storedText()).toBe('y'.repeat(60 * 1024));
  });
});

describe('budget', () => {
  it('closes a socket sending more messages per second than its budget with 4429; others are unaffected', async () => {
    const { chairToken } = await start({ budget: { messagesPerSecond: 10, bytesPerSecond: 1024 * 1024 } });
    const calm = t.provider({ docName: `${DOC}/text`, token: chairToken });
    await calm.whenSynced();
    const flood = await t.raw();
    expect(await flood.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    for (let i = 0; i < 300; i++) flood.send(encodeSyncStep1(`${DOC}/text`));
    expect(await flood.waitClosed()).toEqual({ code: SYNC_CLOSE.overBudget.code, reason: SYNC_CLOSE.overBudget.reason });
    typeInto(calm.doc, 'unaffected');
    await waitUntil(() => !calm.provider.hasUnsyncedChanges, 'the calm client is acknowledged');
    expect(await storedText()).toBe('unaffected');
    expect(t.logs.find((entry) => entry.event === 'limit.hit')).toMatchObject({ limit: 'messages-per-second', code: 4429 });
  });

  it('closes a socket sending more bytes per second than its budget with 4429', async () => {
    const { chairToken } = await start({ maxMessageBytes: 64 * 1024, budget: { messagesPerSecond: 1000, bytesPerSecond: 64 * 1024 } });
    const flood = await t.raw();
    expect(await flood.authenticate(`${DOC}/chair`, chairToken)).toMatchObject({ status: 'authenticated' });
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) {
      const before = Y.encodeStateVector(doc);
      doc.getMap('m').set(`k${i}`, 'z'.repeat(30 * 1024));
      flood.send(encodeSyncUpdate(`${DOC}/chair`, Y.encodeStateAsUpdate(doc, before)));
    }
    expect((await flood.waitClosed())?.code).toBe(4429);
    expect(t.logs.find((entry) => entry.event === 'limit.hit')).toMatchObject({ limit: 'bytes-per-second' });
  });

  it('lets a fast typist with a moving cursor through under the default budget', async () => {
    const { chairToken } = await start();
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const typist = t.provider({ docName: `${DOC}/text`, token: chairToken, doc, awareness });
    await typist.whenSynced();
    // 50 keystrokes a second (600 words a minute, beyond any typist), each with a cursor move: 100 messages a second.
    const text = 'Expresses its deep concern at the continuing loss of marine biodiversity, and calls upon States to act.';
    for (const [index, char] of [...text].entries()) {
      typeInto(doc, char);
      awareness.setLocalStateField('cursor', { anchor: index, head: index });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitUntil(() => !typist.provider.hasUnsyncedChanges, 'every keystroke is acknowledged', 30_000);
    expect(typist.closes).toEqual([]);
    expect(await storedText()).toBe(text);
    expect(t.logs.some((entry) => entry.event === 'limit.hit')).toBe(false);
  });

  it('lets a client open a whole negotiation at once: the text, the chair and 200 delegation Y.Docs on one socket', async () => {
    const { chairToken } = await start();
    const names = [`${DOC}/text`, `${DOC}/chair`, ...Array.from({ length: 200 }, (_, i) => `${DOC}/d/D${String(i).padStart(3, '0')}`)];
    const raw = await t.raw();
    for (const name of names) {
      raw.send(encodeAuth(name, chairToken, null));
      raw.send(encodeSyncStep1(name));
      raw.send(encodeSyncStep2(name, Y.encodeStateAsUpdate(new Y.Doc())));
    }
    await waitUntil(() => raw.messages().filter((m) => m.kind === 'sync-step2').length === names.length, 'every Y.Doc is synced', 30_000);
    expect(raw.messages().filter((m) => m.kind === 'auth-authenticated')).toHaveLength(names.length);
    expect(raw.open).toBe(true);
  });

  it('is a token bucket: a burst up to its capacity, then its rate', () => {
    const bucket = new TokenBucket(10, 20, 0);
    let taken = 0;
    while (bucket.take(1, 0)) taken += 1;
    expect(taken).toBe(20);
    expect(bucket.take(1, 50)).toBe(false);
    expect(bucket.take(1, 100)).toBe(true);
    expect(bucket.take(5, 600)).toBe(true);
    expect(bucket.take(1, 600)).toBe(false);
  });
});

describe('malformed messages', () => {
  it('close the socket with 4400 and leave other clients and the stored state alone', async () => {
    const { chairToken } = await start();
    const calm = t.provider({ docName: `${DOC}/text`, token: chairToken });
    await calm.whenSynced();
    typeInto(calm.doc, 'Stored before');
    await waitUntil(() => !calm.provider.hasUnsyncedChanges, 'the calm client is acknowledged');

    const good = new Y.Doc();
    typeInto(good, 'a valid update, cut short');
    const truncated = Y.encodeStateAsUpdate(good).slice(0, 12);
    const cases: Array<[string, Uint8Array | string]> = [
      ['garbage', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
      ['truncated update', encodeSyncUpdate(`${DOC}/text`, truncated)],
      ['unknown sync step', encodeSync(`${DOC}/text`, 7, new Uint8Array([0]))],
      ['unknown message type', encodeRawFrame(`${DOC}/text`, 42)],
      ['server-internal type', encodeFrame(`${DOC}/text`, MESSAGE_TYPE.broadcastStateless, (e) => encoding.writeVarString(e, 'relay this'))],
      // One client, id 1, clock 1, state "{{".
      ['awareness that is not JSON', encodeAwareness(`${DOC}/text`, new Uint8Array([1, 1, 1, 2, 0x7b, 0x7b]))],
      ['text frame', 'hello'],
    ];
    for (const [what, frame] of cases) {
      const raw = await t.raw();
      expect(await raw.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
      // The socket itself: a text frame is one of the cases.
      raw.socket.send(frame);
      const closed = await raw.waitClosed();
      expect({ what, ...closed }).toEqual({ what, code: SYNC_CLOSE.malformed.code, reason: SYNC_CLOSE.malformed.reason });
    }
    typeInto(calm.doc, ', and after.');
    await waitUntil(() => !calm.provider.hasUnsyncedChanges, 'the calm client is acknowledged again');
    expect(calm.closes).toEqual([]);
    expect(await storedText()).toBe('Stored before, and after.');
    expect(t.logs.filter((entry) => entry.event === 'limit.hit' && entry.limit === 'malformed')).toHaveLength(cases.length);
  });
});
