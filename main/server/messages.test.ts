import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MalformedMessage, readClientMessage, updateChangesDoc } from './messages.ts';
import { encodeSyncUpdate } from '../../tests/helpers/raw-sync-client.ts';
import { typeInto } from '../../tests/helpers/sync-server.ts';

/** A server-side Y.Doc holding what a client typed, and that client's Y.Doc to make further updates with. */
function serverAndClient(text: string): { server: Y.Doc; client: Y.Doc } {
  const client = new Y.Doc();
  typeInto(client, text);
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  return { server, client };
}

/** The update `change` makes to `doc`. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change();
  return Y.encodeStateAsUpdate(doc, before);
}

describe('readClientMessage', () => {
  it('reads a sync update once per frame: the same frame gives the same answer without decoding it again', () => {
    const { client } = serverAndClient('Recalling');
    const frame = encodeSyncUpdate('ga-res-79/text', Y.encodeStateAsUpdate(client));
    const first = readClientMessage(frame);
    expect(first).toMatchObject({ kind: 'update', docName: 'ga-res-79/text' });
    expect(readClientMessage(frame)).toBe(first);
    // An equal frame in another buffer is read on its own.
    const copy = frame.slice();
    expect(readClientMessage(copy)).not.toBe(first);
    expect(readClientMessage(copy)).toEqual(first);
  });

  it('refuses a malformed frame every time it is read', () => {
    const { client } = serverAndClient('Recalling');
    const good = encodeSyncUpdate('ga-res-79/text', Y.encodeStateAsUpdate(client));
    const truncated = good.subarray(0, good.length - 4);
    expect(() => readClientMessage(truncated)).toThrow(MalformedMessage);
    expect(() => readClientMessage(truncated)).toThrow(MalformedMessage);
  });
});

describe('updateChangesDoc', () => {
  it('is true for an update that inserts, false for one the doc already holds', () => {
    const { server, client } = serverAndClient('Recalling');
    expect(updateChangesDoc(server, Y.encodeStateAsUpdate(client))).toBe(false);
    const insert = updateOf(client, () => typeInto(client, ' its resolution'));
    expect(updateChangesDoc(server, insert)).toBe(true);
    Y.applyUpdate(server, insert);
    expect(updateChangesDoc(server, insert)).toBe(false);
  });

  it('is true for an update from a client the doc has never seen', () => {
    const { server } = serverAndClient('Recalling');
    const stranger = new Y.Doc();
    typeInto(stranger, 'x');
    expect(updateChangesDoc(server, Y.encodeStateAsUpdate(stranger))).toBe(true);
  });

  it('is true for a deletion the doc has not made, false once it has (only deletions: the slower check)', () => {
    const { server, client } = serverAndClient('Recalling');
    const text = (client.getXmlFragment('prosemirror').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const deletion = updateOf(client, () => text.delete(0, 3));
    expect(Y.parseUpdateMeta(deletion).to.size).toBe(0);
    expect(updateChangesDoc(server, deletion)).toBe(true);
    Y.applyUpdate(server, deletion);
    expect(updateChangesDoc(server, deletion)).toBe(false);
    // A read-only client's answer on connect: everything it has, which the server already holds.
    expect(updateChangesDoc(server, Y.encodeStateAsUpdate(client))).toBe(false);
  });
});
