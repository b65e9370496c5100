/**
 * A minimal WebSocket client on a raw TCP socket for the benchmark's light clients.
 *
 * Hundreds of real WebSocket clients in the load generator would cost more CPU than the server under test. This one
 * parses only frame headers: it counts received bytes and messages, answers pings, and hands a message's payload to
 * the caller only while `capturing` is on (during the handshake). Outgoing frames are masked as RFC 6455 requires.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** How a light socket ended: the close code the server sent (1006 when the TCP connection just dropped). */
export interface LightSocketEnd {
  readonly code: number;
  readonly reason: string;
}

/** One light client's connection. */
export class LightSocket {
  /** Bytes received on the TCP connection after the HTTP upgrade, frame headers included. */
  bytes = 0;
  /** Complete data messages received. */
  messages = 0;
  /** While true, each complete data message is passed to `onMessage`. */
  capturing = true;
  onMessage: ((payload: Buffer) => void) | null = null;
  /** Settles when the connection ends, with the server's close code if it sent one. */
  readonly ended: Promise<LightSocketEnd>;
  isOpen = true;

  private readonly socket: Socket;
  private carry: Buffer | null = null;
  private remaining = 0;
  private opcode = 0;
  private fin = false;
  private collect = false;
  private parts: Buffer[] = [];
  private messageParts: Buffer[] = [];
  private closeCode = 1006;
  private closeReason = '';

  private constructor(socket: Socket, rest: Buffer) {
    this.socket = socket;
    this.ended = new Promise((resolve) => {
      socket.on('close', () => {
        this.isOpen = false;
        resolve({ code: this.closeCode, reason: this.closeReason });
      });
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    if (rest.length > 0) this.receive(rest);
  }

  /** Opens `ws://host:port<path>` and resolves once the server has switched protocols. */
  static open(host: string, port: number, path: string, timeoutMs = 20_000): Promise<LightSocket> {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString('base64');
      const expectedAccept = createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error(`WebSocket upgrade to ${host}:${port}${path} timed out`)), timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        socket.off('data', onData);
        socket.off('error', fail);
        clearTimeout(timer);
        const response = head.subarray(0, end).toString('latin1');
        const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(response)?.[1];
        if (!response.startsWith('HTTP/1.1 101') || accept !== expectedAccept) {
          socket.destroy();
          reject(new Error(`WebSocket upgrade refused: ${response.split('\r\n')[0] ?? response}`));
          return;
        }
        resolve(new LightSocket(socket, head.subarray(end + 4)));
      };
      socket.on('data', onData);
      socket.on('error', fail);
      socket.on('connect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
    });
  }

  /** Sends one binary message. */
  send(payload: Uint8Array): void {
    this.writeFrame(OPCODE_BINARY, payload);
  }

  /** Sends a close frame and ends the connection. */
  close(code = 1000): void {
    if (!this.isOpen) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.writeFrame(OPCODE_CLOSE, body);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private writeFrame(opcode: number, payload: Uint8Array): void {
    if (!this.isOpen) return;
    const length = payload.length;
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLength + 4 + length);
    frame[0] = 0x80 | opcode;
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 65_536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(length, 6);
    }
    randomFillSync(frame, headerLength, 4);
    const maskAt = headerLength;
    const bodyAt = headerLength + 4;
    for (let i = 0; i < length; i += 1) frame[bodyAt + i] = (payload[i] as number) ^ (frame[maskAt + (i & 3)] as number);
    this.socket.write(frame);
  }

  private receive(input: Buffer): void {
    this.bytes += input.length;
    let chunk = input;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        if (this.collect) this.parts.push(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.endFrame();
        continue;
      }
      if (this.carry !== null) {
        chunk = Buffer.concat([this.carry, chunk.subarray(offset)]);
        offset = 0;
        this.carry = null;
      }
      const available = chunk.length - offset;
      if (available < 2) {
        this.carry = Buffer.from(chunk.subarray(offset));
        return;
      }
      const b0 = chunk[offset] as number;
      const b1 = chunk[offset + 1] as number;
      let length = b1 & 0x7f;
      let headerLength = 2;
      if (length === 126) headerLength = 4;
      else if (length === 127) headerLength = 10;
      if (b1 & 0x80) headerLength += 4;
      if (available < headerLength) {
        this.carry = Buffer.from(chunk.subarray(offset));
        return;
      }
      if (length === 126) length = chunk.readUInt16BE(offset + 2);
      else if (length === 127) length = chunk.readUInt32BE(offset + 6);
      offset += headerLength;
      this.opcode = b0 & 0x0f;
      this.fin = (b0 & 0x80) !== 0;
      this.collect = this.opcode >= OPCODE_CLOSE || this.capturing;
      this.parts = [];
      this.remaining = length;
      if (length === 0) this.endFrame();
    }
  }

  private endFrame(): void {
    const payload = this.collect ? Buffer.concat(this.parts) : null;
    this.parts = [];
    if (this.opcode === OPCODE_PING) {
      this.writeFrame(OPCODE_PONG, payload ?? Buffer.alloc(0));
      return;
    }
    if (this.opcode === OPCODE_PONG) return;
    if (this.opcode === OPCODE_CLOSE) {
      if (payload !== null && payload.length >= 2) {
        this.closeCode = payload.readUInt16BE(0);
        this.closeReason = payload.subarray(2).toString('utf8');
      }
      this.close(1000);
      return;
    }
    if (this.collect && payload !== null) this.messageParts.push(payload);
    if (!this.fin) return;
    this.messages += 1;
    const parts = this.messageParts;
    this.messageParts = [];
    if (this.capturing && this.onMessage !== null && parts.length > 0) this.onMessage(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
  }
}
