/**
 * Reads the Hocuspocus messages a client may send, fully, so a malformed one is found before Hocuspocus or the
 * store sees it; and tells whether an update would change a Y.Doc.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { HOCUSPOCUS_MESSAGE, SYNC_STEP } from '../../shared/sync.ts';

/** Hocuspocus message types (the wire values of @hocuspocus/server's MessageType). */
export const MESSAGE = HOCUSPOCUS_MESSAGE;

const SYNC_STEP_1 = SYNC_STEP.step1;
const SYNC_STEP_2 = SYNC_STEP.step2;
const SYNC_UPDATE = SYNC_STEP.update;

/** Hocuspocus's AuthMessageType.Token: the only auth message a client sends. */
const AUTH_TOKEN = 0;

/** One message from a client, decoded; update bytes are kept as they came (never logged). */
export type ClientMessage =
  | { readonly kind: 'pong' }
  | { readonly kind: 'sync-step1'; readonly docName: string }
  | { readonly kind: 'sync-step2' | 'update'; readonly docName: string; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly docName: string; readonly clients: number }
  | { readonly kind: 'query-awareness' | 'close'; readonly docName: string }
  | { readonly kind: 'stateless'; readonly docName: string; readonly bytes: number }
  | { readonly kind: 'auth'; readonly docName: string };

/** Thrown by {@link readClientMessage} for bytes that are not a message a client may send. */
export class MalformedMessage extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedMessage';
  }
}

/**
 * Frames already read, by identity: the transport's limits read each frame as it arrives, and the auth and
 * persistence extensions get the very same Uint8Array from Hocuspocus, so each frame is decoded once, not three
 * times. Frames are never written to after they arrive; entries go with their frames.
 */
const readFrames = new WeakMap<Uint8Array, ClientMessage>();

/**
 * Decodes one WebSocket frame from a client, checking every part of it (a Yjs update is decoded, an awareness
 * state parsed as JSON); throws {@link MalformedMessage} for anything else, including the server-internal types
 * a client never sends.
 */
export function readClientMessage(frame: Uint8Array): ClientMessage {
  if (frame.length === 1 && frame[0] === MESSAGE.pong) return { kind: 'pong' };
  const known = readFrames.get(frame);
  if (known) return known;
  let message: ClientMessage;
  try {
    message = decode(decoding.createDecoder(frame));
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage('The message could not be decoded.', { cause: error });
  }
  readFrames.set(frame, message);
  return message;
}

function decode(decoder: decoding.Decoder): ClientMessage {
  const docName = decoding.readVarString(decoder);
  if (docName.length === 0) throw new MalformedMessage('A message names its document.');
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE.sync:
    case MESSAGE.syncReply: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP_1) {
        Y.decodeStateVector(payload);
        return { kind: 'sync-step1', docName };
      }
      if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) throw new MalformedMessage(`Unknown sync step ${step}.`);
      checkUpdate(payload);
      return { kind: step === SYNC_STEP_2 ? 'sync-step2' : 'update', docName, update: payload };
    }
    case MESSAGE.awareness: {
      const clients = checkAwarenessUpdate(decoding.readVarUint8Array(decoder));
      return { kind: 'awareness', docName, clients };
    }
    case MESSAGE.auth: {
      if (decoding.readVarUint(decoder) !== AUTH_TOKEN) throw new MalformedMessage('A client only sends its token.');
      decoding.readVarString(decoder);
      if (decoding.hasContent(decoder)) decoding.readVarString(decoder);
      return { kind: 'auth', docName };
    }
    case MESSAGE.queryAwareness:
      return { kind: 'query-awareness', docName };
    case MESSAGE.close:
      return { kind: 'close', docName };
    case MESSAGE.stateless:
      return { kind: 'stateless', docName, bytes: decoding.readVarString(decoder).length };
    default:
      throw new MalformedMessage(`A client may not send messages of type ${type}.`);
  }
}

/** Decodes a Yjs (v1) update completely; a truncated or garbled one throws. */
function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch (error) {
    throw new MalformedMessage('The update is not a readable Yjs update.', { cause: error });
  }
}

/** Decodes a y-protocols awareness update (client id, clock, JSON state per client); returns how many clients. */
function checkAwarenessUpdate(update: Uint8Array): number {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    JSON.parse(decoding.readVarString(decoder));
  }
  return count;
}

/**
 * True when applying `update` would change `doc`: it holds an item the doc has not seen or deletes something the
 * doc has not deleted. An update the doc already contains (what a read-only client answers on connect) is false.
 */
export function updateChangesDoc(doc: Y.Doc, update: Uint8Array): boolean {
  // The cheap test first: any item beyond what the doc has of its client is news (every keystroke that inserts).
  // Y.getState looks up one client; encoding the whole state vector cost most of this check (15 of 18 us per
  // keystroke on the sync benchmark's document).
  const { to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) {
    if (clock > Y.getState(doc.store, client)) return true;
  }
  // Only deletions (or nothing): compare with the doc's delete set, which walks the whole doc.
  return !Y.snapshotContainsUpdate(Y.snapshot(doc), update);
}
