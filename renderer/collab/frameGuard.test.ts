import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { FRAME_TYPE, frameAllowed, readFrame } from './frameGuard.ts';

const TEXT = 'doc-1/text';
const readOnly = new Set([TEXT]);

function frame(name: string, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('frameAllowed on a read-only doc', () => {
  it('lets questions and empty answers through', () => {
    const doc = docWithText('hello');
    const step1 = frame(TEXT, FRAME_TYPE.sync, (e) => syncProtocol.writeSyncStep1(e, doc));
    expect(frameAllowed(step1, readOnly)).toBe(true);
    // The answer to a server that already has everything: no items, only the (known) delete set.
    const step2 = frame(TEXT, FRAME_TYPE.sync, (e) => syncProtocol.writeSyncStep2(e, doc, Y.encodeStateVector(doc)));
    expect(readFrame(step2)?.carriesItems).toBe(false);
    expect(frameAllowed(step2, readOnly)).toBe(true);
    expect(frameAllowed(frame(TEXT, FRAME_TYPE.auth, (e) => encoding.writeVarString(e, 'token')), readOnly)).toBe(true);
  });

  it('stops every frame that would write', () => {
    const doc = docWithText('hello');
    const step2 = frame(TEXT, FRAME_TYPE.sync, (e) => syncProtocol.writeSyncStep2(e, doc));
    expect(readFrame(step2)?.carriesItems).toBe(true);
    expect(frameAllowed(step2, readOnly)).toBe(false);
    const update = frame(TEXT, FRAME_TYPE.sync, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc)));
    expect(frameAllowed(update, readOnly)).toBe(false);
    const awareness = new awarenessProtocol.Awareness(doc);
    const aw = frame(TEXT, FRAME_TYPE.awareness, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])));
    expect(frameAllowed(aw, readOnly)).toBe(false);
    expect(frameAllowed(frame(TEXT, FRAME_TYPE.stateless, (e) => encoding.writeVarString(e, '{}')), readOnly)).toBe(false);
  });

  it('leaves writable docs and connection-level frames alone', () => {
    const doc = docWithText('hello');
    const update = frame('doc-1/chair', FRAME_TYPE.sync, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc)));
    expect(frameAllowed(update, readOnly)).toBe(true);
    expect(frameAllowed(new Uint8Array([FRAME_TYPE.pong]), readOnly)).toBe(true);
  });
});
