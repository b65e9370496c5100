/**
 * Recorded handshakes: what a real client sends when it opens the benchmark's Y.Doc with an empty Y.Doc, captured
 * from a real provider, and replayed byte for byte by light clients.
 *
 * The capture notes, for each frame the provider sends, the kind of the last message it had received ('open' before
 * any): a light client sends the 'open' frames on connect and each reply once when a message of that kind arrives.
 * With an empty Y.Doc and no presence, those bytes do not depend on the client, only on its token.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { openRealClient, upgradePath, type SyncTarget } from './real-client.ts';
import { LightSocket } from './light-socket.ts';
import { sleep } from './clock.ts';
import { wireFormat, type WireFormat } from './wire.ts';

/** A real client's opening, as frames to send on connect and in reply to given message kinds. */
export interface Handshake {
  readonly onOpen: Uint8Array[];
  readonly replies: Array<{ readonly after: string; readonly frames: Uint8Array[] }>;
}

/** Records the handshake of a real provider that opens `target` with `token`, an empty Y.Doc and no presence. */
export async function captureHandshake(target: SyncTarget, token: string): Promise<Handshake> {
  const wire = wireFormat(target.wire, target.docName);
  const sent: Array<{ after: string; data: Uint8Array }> = [];
  let lastKind = 'open';
  let recording = true;
  class RecordingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (event.data instanceof ArrayBuffer) lastKind = wire.kindOf(new Uint8Array(event.data));
      });
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      if (!recording) {
        // Leaving (e.g. Hocuspocus's Close message) is not part of the opening.
      } else if (ArrayBuffer.isView(data)) sent.push({ after: lastKind, data: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
      else if (data instanceof ArrayBuffer) sent.push({ after: lastKind, data: new Uint8Array(data.slice(0)) });
      super.send(data);
    }
  }
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  const client = openRealClient(target, { doc, awareness, token, WebSocketClass: RecordingWebSocket });
  try {
    await client.synced;
    // Let replies to the last messages of the opening go out.
    await sleep(250);
  } finally {
    recording = false;
    client.destroy();
    doc.destroy();
  }
  const onOpen = sent.filter((s) => s.after === 'open').map((s) => s.data);
  const replies: Array<{ after: string; frames: Uint8Array[] }> = [];
  for (const { after, data } of sent) {
    if (after === 'open') continue;
    const entry = replies.find((r) => r.after === after);
    if (entry) entry.frames.push(data);
    else replies.push({ after, frames: [data] });
  }
  if (onOpen.length === 0) throw new Error(`The real ${target.wire} client sent nothing on connect: nothing to replay`);
  return { onOpen, replies };
}

/** A light client: a raw socket that replays a handshake, then only counts what it receives (and sends if told to). */
export interface LightClient {
  readonly socket: LightSocket;
  readonly wire: WireFormat;
}

/** Opens a light client on `target` and replays `handshake` until the server has sent its SyncStep2. */
export async function openLightClient(target: SyncTarget, handshake: Handshake, timeoutMs = 30_000): Promise<LightClient> {
  const wire = wireFormat(target.wire, target.docName);
  const socket = await LightSocket.open(target.host, target.port, upgradePath(target), timeoutMs);
  const pending = new Map(handshake.replies.map((r) => [r.after, r.frames]));
  await new Promise<void>((resolve, reject) => {
    let synced = false;
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`Light client not synced after ${timeoutMs} ms`));
    }, timeoutMs);
    const stopCapturing = (): void => {
      socket.capturing = false;
      socket.onMessage = null;
    };
    socket.onMessage = (payload) => {
      const kind = wire.kindOf(payload);
      const frames = pending.get(kind);
      if (frames) {
        pending.delete(kind);
        for (const frame of frames) socket.send(frame);
      }
      if (kind === wire.syncedKind && !synced) {
        synced = true;
        clearTimeout(timer);
        resolve();
        // A reply still owed goes out if its message comes soon; after that, count only.
        if (pending.size > 0) setTimeout(stopCapturing, 2000).unref();
      }
      if (synced && pending.size === 0) stopCapturing();
    };
    void socket.ended.then((end) => {
      clearTimeout(timer);
      reject(new Error(`Light client closed during the handshake: ${end.code} ${end.reason}`));
    });
    for (const frame of handshake.onOpen) socket.send(frame);
  });
  return { socket, wire };
}
