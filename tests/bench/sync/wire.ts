/**
 * The two wire formats the sync benchmark speaks: Hocuspocus (our server and plain Hocuspocus) and plain y-websocket.
 *
 * Light clients only frame pre-generated Yjs updates and read a message's envelope (document name, message type,
 * sync step) to follow the handshake; they never decode Yjs content.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Which protocol a server speaks. */
export type Wire = 'hocuspocus' | 'y-websocket';

/** The servers the benchmark compares. */
export type ServerKind = 'penholder' | 'hocuspocus' | 'y-websocket';

/** The protocol each server speaks. */
export const WIRE_OF: Readonly<Record<ServerKind, Wire>> = { penholder: 'hocuspocus', hocuspocus: 'hocuspocus', 'y-websocket': 'y-websocket' };

// Message types shared by both protocols (y-protocols numbering; Hocuspocus adds its own above 1).
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_UPDATE = 2;
/** Hocuspocus sends Auth (2) and SyncReply (4) with a sub-type, like Sync. */
const HOCUSPOCUS_TYPES_WITH_SUBTYPE = new Set([0, 2, 4]);

/** How to frame outgoing messages and classify incoming ones for one protocol and one Y.Doc. */
export interface WireFormat {
  readonly wire: Wire;
  /** A document-update message carrying `update` (a Yjs update), as a provider sends after a local change. */
  updateMessage(update: Uint8Array): Uint8Array;
  /** An awareness message carrying `update` (an encoded awareness update). */
  awarenessMessage(update: Uint8Array): Uint8Array;
  /** The envelope of a received message: `type` or `type:subtype` (e.g. `0:1` is SyncStep2). */
  kindOf(message: Uint8Array): string;
  /** The kind of the message that ends a client's initial sync: the server's SyncStep2. */
  readonly syncedKind: string;
}

/** The wire format for `docName` on `wire`. */
export function wireFormat(wire: Wire, docName: string): WireFormat {
  const prefix = (encoder: encoding.Encoder): void => {
    if (wire === 'hocuspocus') encoding.writeVarString(encoder, docName);
  };
  return {
    wire,
    updateMessage(update) {
      const encoder = encoding.createEncoder();
      prefix(encoder);
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      encoding.writeVarUint(encoder, SYNC_UPDATE);
      encoding.writeVarUint8Array(encoder, update);
      return encoding.toUint8Array(encoder);
    },
    awarenessMessage(update) {
      const encoder = encoding.createEncoder();
      prefix(encoder);
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, update);
      return encoding.toUint8Array(encoder);
    },
    kindOf(message) {
      try {
        const decoder = decoding.createDecoder(message);
        if (wire === 'hocuspocus') decoding.readVarString(decoder);
        const type = decoding.readVarUint(decoder);
        const hasSubtype = wire === 'hocuspocus' ? HOCUSPOCUS_TYPES_WITH_SUBTYPE.has(type) : type === MESSAGE_SYNC;
        return hasSubtype && decoding.hasContent(decoder) ? `${type}:${decoding.readVarUint(decoder)}` : String(type);
      } catch {
        return 'unreadable';
      }
    },
    syncedKind: `${MESSAGE_SYNC}:1`,
  };
}
