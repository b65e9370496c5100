import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { MESSAGE } from './messages.ts';
import { STORE_FAILED } from './persistence.ts';
import { SqliteSyncStore } from './store-sqlite.ts';
import { encodeSyncStep1, encodeSyncUpdate } from '../../tests/helpers/raw-sync-client.ts';
import { startTestServer, storedDoc, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
let t: TestServer;
let chairToken: string;
let readers: SqliteSyncStore[] = [];

beforeEach(async () => {
  t = await startTestServer();
  await t.server.store.putDocument(DOC, 'Draft resolution on oceans');
  await t.server.store.putDocument('other-doc', 'Another negotiation');
  t.account('chair1', 'chair');
  t.account('obs1', 'observer');
  chairToken = (await t.signIn('chair1')).token;
});

afterEach(async () => {
  for (const reader of readers) await reader.close();
  readers = [];
  await t.close();
});

/** A second store on the same folder: it reads what is committed on disk, not the server's memory. */
function diskReader(): SqliteSyncStore {
  const reader = SqliteSyncStore.open(t.dataDir);
  readers.push(reader);
  return reader;
}

/** Reads a Y.Doc's text synchronously from disk (SqliteSyncStore.load does its reading before it returns). */
function textOnDisk(reader: SqliteSyncStore, docName: string): Promise<string> {
  return storedDoc(reader, docName).then(typedText);
}

/** True for a SyncStatus frame saying an update was applied (the acknowledgement a provider waits for). */
function isAck(frame: Uint8Array): boolean {
  if (frame.length < 2) return false;
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  return decoding.readVarUint(decoder) === MESSAGE.syncStatus && decoding.readVarInt(decoder) === 1;
}

/** The keys of the chair's `statuses` map in a stored state. */
function statusesOf(state: Uint8Array): Set<string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return new Set(doc.getMap('statuses').keys());
}

/** Caps a document's file at its current size (null lifts the cap), so the next append fails as on a full disk. */
function limitDisk(documentId: string, extraPages: number | null): void {
  const store = t.server.store as SqliteSyncStore;
  const id = store.workspaceIdOf(documentId);
  if (id === null) throw new Error(`${documentId} is not published`);
  store.workspace.limitDiskForTest(id, extraPages);
}

describe('persistence', () => {
  it('has every update on disk when its acknowledgement arrives (not only after the debounced store)', async () => {
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    raw.send(encodeSyncStep1(`${DOC}/text`));
    expect(await raw.waitFor((m) => m.kind === 'sync-step2')).not.toBeNull();
    const reader = diskReader();

    // Read the disk the moment each acknowledgement arrives, before anything else can run.
    const onDiskAtAck: Array<Promise<string>> = [];
    raw.socket.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (data.length < 2) return;
      decoding.readVarString(decoder);
      const isAck = decoding.readVarUint(decoder) === MESSAGE.syncStatus && decoding.readVarInt(decoder) === 1;
      if (isAck) onDiskAtAck.push(textOnDisk(reader, `${DOC}/text`));
    });
    const local = new Y.Doc();
    const updates: Uint8Array[] = [];
    local.on('update', (update: Uint8Array) => updates.push(update));
    const sentence = 'Recalling its resolution';
    typeInto(local, sentence);
    for (const [index, update] of updates.entries()) {
      const acks = onDiskAtAck.length;
      raw.send(encodeSyncUpdate(`${DOC}/text`, update));
      await waitUntil(() => onDiskAtAck.length > acks, `update ${index} is acknowledged`);
    }
    const seen = await Promise.all(onDiskAtAck);
    // The first update creates the paragraph; after that each ack finds its character already on disk.
    expect(seen.at(-1)).toBe(sentence);
    expect(seen.slice(1)).toEqual([...sentence].map((_, i) => sentence.slice(0, i + 1)));
  });

  it('with several writers at once, each acknowledgement finds that writer\'s update on disk (group commit)', async () => {
    const writers = 4;
    const rounds = 8;
    const reader = diskReader();
    const raws = await Promise.all(Array.from({ length: writers }, () => t.raw()));
    const checks: Array<Promise<boolean>> = [];
    const acks = raws.map(() => 0);
    for (const [w, raw] of raws.entries()) {
      expect(await raw.authenticate(`${DOC}/chair`, chairToken)).toMatchObject({ status: 'authenticated' });
      raw.socket.on('message', (data: Buffer) => {
        if (!isAck(new Uint8Array(data))) return;
        // Read the disk the moment the acknowledgement arrives: this writer's update of this round must be there.
        const key = `w${w}-r${acks[w]}`;
        acks[w] = (acks[w] ?? 0) + 1;
        checks.push(reader.load(`${DOC}/chair`).then((state) => statusesOf(state).has(key)));
      });
    }
    const replicas = raws.map(() => new Y.Doc());
    for (let round = 0; round < rounds; round += 1) {
      // All writers send in the same moment, so their updates reach the store together.
      for (const [w, raw] of raws.entries()) {
        const replica = replicas[w] as Y.Doc;
        const before = Y.encodeStateVector(replica);
        replica.getMap('statuses').set(`w${w}-r${round}`, 'agreed');
        raw.send(encodeSyncUpdate(`${DOC}/chair`, Y.encodeStateAsUpdate(replica, before)));
      }
      await waitUntil(() => acks.every((count) => count === round + 1), `round ${round} is acknowledged to every writer`);
    }
    expect(await Promise.all(checks)).toEqual(Array.from({ length: writers * rounds }, () => true));
    expect(statusesOf(await reader.load(`${DOC}/chair`)).size).toBe(writers * rounds);
  });

  it('refuses every update of a batch it cannot store (full disk): each writer is closed 4507, none is acknowledged or stored', async () => {
    const observer = t.provider({ docName: `${DOC}/text`, token: (await t.signIn('obs1')).token });
    await observer.whenSynced();
    const raws = await Promise.all([t.raw(), t.raw(), t.raw()]);
    for (const raw of raws) expect(await raw.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    limitDisk(DOC, 0);
    for (const [w, raw] of raws.entries()) {
      const local = new Y.Doc();
      typeInto(local, String(w));
      ((local.getXmlFragment('prosemirror').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(1, String(w).repeat(100_000));
      raw.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(local)));
    }
    const closes = await Promise.all(raws.map((raw) => raw.waitClosed()));
    expect(closes).toEqual(raws.map(() => ({ code: STORE_FAILED.code, reason: STORE_FAILED.reason })));
    for (const raw of raws) expect(raw.messages().filter((m) => m.kind === 'sync-status')).toEqual([]);
    expect(await textOnDisk(diskReader(), `${DOC}/text`)).toBe('');
    expect(t.logs.filter((entry) => entry.event === 'store.error' && entry.code === 4507)).toHaveLength(3);

    // Room again: the next writer is stored, and the observer never saw the refused text.
    limitDisk(DOC, null);
    const later = await t.raw();
    expect(await later.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const local = new Y.Doc();
    typeInto(local, 'Stored');
    later.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(local)));
    expect(await later.waitFor((m) => m.kind === 'sync-status' && m.applied)).not.toBeNull();
    await waitUntil(() => typedText(observer.doc) === 'Stored', 'the observer receives the stored change');
    expect(observer.doc.getXmlFragment('prosemirror').length).toBe(1);
    expect(await textOnDisk(diskReader(), `${DOC}/text`)).toBe('Stored');
  });

  it('serves the stored Y.Docs after a restart', async () => {
    const chair = t.provider({ docName: `${DOC}/chair`, token: chairToken });
    await chair.whenSynced();
    chair.doc.getMap('statuses').set('p-1', 'agreed ad ref');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the change is acknowledged');
    const dataDir = t.dataDir;
    await t.server.close();

    const again = await startTestServer({ dataDir });
    try {
      const token = (await again.signIn('chair1')).token;
      const reader = again.provider({ docName: `${DOC}/chair`, token });
      await reader.whenSynced();
      expect(reader.doc.getMap('statuses').get('p-1')).toBe('agreed ad ref');
    } finally {
      await again.close();
    }
  });

  it('refuses an update it cannot store (full disk): not applied, not stored, not broadcast; the socket is closed 4507', async () => {
    const observerToken = (await t.signIn('obs1')).token;
    const observer = t.provider({ docName: `${DOC}/text`, token: observerToken });
    await observer.whenSynced();

    const writer = await t.raw();
    expect(await writer.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const local = new Y.Doc();
    typeInto(local, 'A');
    writer.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(local)));
    expect(await writer.waitFor((m) => m.kind === 'sync-status' && m.applied)).not.toBeNull();

    limitDisk(DOC, 0);
    const big = new Y.Doc();
    Y.applyUpdate(big, Y.encodeStateAsUpdate(local));
    const before = Y.encodeStateVector(big);
    typeInto(big, 'x'.repeat(200_000));
    writer.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(big, before)));
    expect(await writer.waitClosed()).toEqual({ code: STORE_FAILED.code, reason: STORE_FAILED.reason });
    expect(writer.messages().filter((m) => m.kind === 'sync-status')).toHaveLength(1);

    // Another document (another file) is served meanwhile.
    const other = t.provider({ docName: 'other-doc/text', token: chairToken });
    await other.whenSynced();
    typeInto(other.doc, 'still working');
    await waitUntil(() => !other.provider.hasUnsyncedChanges, 'the other document is acknowledged');

    // Room again: a later change arrives at the observer, and the refused one never did (broadcasts keep order).
    limitDisk(DOC, null);
    const writer2 = await t.raw();
    expect(await writer2.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const marker = new Y.Doc();
    Y.applyUpdate(marker, Y.encodeStateAsUpdate(local));
    const markerBefore = Y.encodeStateVector(marker);
    typeInto(marker, 'B');
    writer2.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(marker, markerBefore)));
    await waitUntil(() => typedText(observer.doc).includes('B'), 'the observer receives the later change');
    expect(typedText(observer.doc)).toBe('AB');
    expect(await textOnDisk(diskReader(), `${DOC}/text`)).toBe('AB');
    expect(t.logs.find((entry) => entry.event === 'store.error')).toMatchObject({ op: 'append', doc: `${DOC}/text`, code: 4507, name: 'chair1' });
  });

  it('gets a refused change from the client again once there is room (the provider resends on reconnect)', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: chairToken });
    await chair.whenSynced();
    typeInto(chair.doc, 'Saved. ');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the first change is acknowledged');
    limitDisk(DOC, 0);
    typeInto(chair.doc, 'y'.repeat(100_000));
    await waitUntil(() => chair.closes.some((close) => close.code === STORE_FAILED.code), 'the socket is closed 4507');
    limitDisk(DOC, null);
    await waitUntil(() => !chair.provider.hasUnsyncedChanges && chair.provider.isSynced, 'the client has resent its change', 30_000);
    expect(await textOnDisk(diskReader(), `${DOC}/text`)).toBe(`Saved. ${'y'.repeat(100_000)}`);
  });

  it('does not store what a read-only connection sends', async () => {
    const observerToken = (await t.signIn('obs1')).token;
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, observerToken)).toMatchObject({ status: 'authenticated' });
    const forged = new Y.Doc();
    typeInto(forged, 'not from the chair');
    raw.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(forged)));
    expect((await raw.waitClosed())?.code).toBe(SYNC_CLOSE.forbidden.code);
    expect(await textOnDisk(diskReader(), `${DOC}/text`)).toBe('');
  });
});
