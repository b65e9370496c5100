/**
 * The last check before a frame leaves for the sync server: on a Y.Doc this account may only read, nothing that
 * would write (an update, a sync answer carrying content, awareness, a stateless message) is ever sent. The server
 * refuses such frames anyway and closes the whole socket for them (4403), which would cut every document off;
 * a well-behaved client never sends one, whatever its editor or a bug does to the local copy.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { HOCUSPOCUS_MESSAGE, SYNC_STEP } from '../../shared/sync.ts';

/** Hocuspocus message types (the provider's MessageType, which it does not export as values we can rely on). */
export const FRAME_TYPE = HOCUSPOCUS_MESSAGE;

const SYNC_STEP1 = SYNC_STEP.step1;
const SYNC_STEP2 = SYNC_STEP.step2;
const SYNC_UPDATE = SYNC_STEP.update;

/** What a frame is, as far as the guard needs to know. */
export interface FrameInfo {
  /** The Y.Doc name the frame is about; null for connection-level frames (ping/pong). */
  documentName: string | null;
  type: number;
  /** For sync frames: step 1, step 2 or update. */
  syncType: number | null;
  /** For step 2 and update frames: whether the update carries any new item (deletions alone change nothing new). */
  carriesItems: boolean;
}

/** Reads the head of an outgoing frame; null when it cannot be read (the guard then lets the server judge). */
export function readFrame(frame: Uint8Array): FrameInfo | null {
  if (frame.length === 1) return { documentName: null, type: frame[0] ?? -1, syncType: null, carriesItems: false };
  try {
    const decoder = decoding.createDecoder(frame);
    const documentName = decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== FRAME_TYPE.sync) return { documentName, type, syncType: null, carriesItems: false };
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== SYNC_STEP2 && syncType !== SYNC_UPDATE) return { documentName, type, syncType, carriesItems: false };
    const update = decoding.readVarUint8Array(decoder);
    return { documentName, type, syncType, carriesItems: Y.decodeUpdate(update).structs.length > 0 };
  } catch {
    return null;
  }
}

/**
 * Whether a frame may be sent, given the Y.Docs (by full server name) this account may only read. Step 1 (asking
 * for the server's state), authentication, close and an answer with nothing new in it stay allowed on read-only docs.
 */
export function frameAllowed(frame: Uint8Array, readOnlyDocuments: ReadonlySet<string>): boolean {
  const info = readFrame(frame);
  if (!info || info.documentName === null || !readOnlyDocuments.has(info.documentName)) return true;
  switch (info.type) {
    case FRAME_TYPE.auth:
    case FRAME_TYPE.close:
      return true;
    case FRAME_TYPE.sync:
      if (info.syncType === SYNC_STEP1) return true;
      if (info.syncType === SYNC_STEP2) return !info.carriesItems;
      return false;
    default:
      return false;
  }
}
