/**
 * The web bridge's wire format: JSON text frames between the browser build and the Node web host.
 *
 * JSON has no bytes, and Y.Doc updates are bytes, so every Uint8Array travels as `{ "$bytes": "<base64>" }`
 * in both directions. Base64 is written here by hand because shared/ may use neither Node's Buffer nor
 * the DOM's btoa/atob.
 */
import { MAX_UPDATE_BYTES, type IpcEvents, type IpcOperation, type IpcResult } from './ipc.ts';

/** The path of the web host's WebSocket endpoint. */
export const BRIDGE_PATH = '/bridge';

/** The query parameter that carries the per-run token, in the page URL and in the WebSocket URL. */
export const BRIDGE_TOKEN_PARAM = 'token';

/** Largest frame either side accepts: the largest update, base64-encoded (4/3), with room for the envelope. */
export const MAX_WIRE_FRAME_BYTES = Math.floor(MAX_UPDATE_BYTES * 1.5);

/** Deepest nesting a decoded frame may have; requests are shallow, so anything deeper is hostile. */
const MAX_DEPTH = 32;

/** One call from the browser: `id` pairs it with its answer. */
export interface WireRequest {
  id: number;
  op: IpcOperation;
  request: unknown;
}

/** The answer to one call. */
export interface WireResponse {
  id: number;
  result: IpcResult<unknown>;
}

/** An event the host pushes to the browser (an export's progress; the desktop menu has no web counterpart yet). */
export type WireEvent = { [E in keyof IpcEvents]: { event: E; payload: IpcEvents[E] } }[keyof IpcEvents];

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const DECODE_TABLE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Encodes bytes as standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    // Flush now and then so a 16 MB update does not build one enormous rope of tiny concatenations.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full]! << 16;
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8);
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes standard base64 (padding required); throws on any character outside the alphabet. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE_TABLE[code]! : -1;
  if (value < 0) throw new Error(`invalid base64 character at ${index}`);
  return value;
}

/** Replaces every Uint8Array inside a value by its `{ $bytes }` form, ready for JSON.stringify. */
export function encodeWireValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('value nested too deeply to send');
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
  if (Array.isArray(value)) return value.map((item) => encodeWireValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) defineOwn(out, key, encodeWireValue(item, depth + 1));
    }
    return out;
  }
  return value;
}

/**
 * Turns every `{ $bytes }` object back into a Uint8Array after JSON.parse.
 * Keys such as `__proto__` are kept as plain own properties (never as a prototype), so a strict schema refuses them.
 */
export function decodeWireValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('frame nested too deeply');
  if (Array.isArray(value)) return value.map((item) => decodeWireValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === '$bytes') {
      const text = record.$bytes;
      if (typeof text !== 'string') throw new Error('$bytes must hold a base64 string');
      return base64ToBytes(text);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      defineOwn(out, key, decodeWireValue(record[key], depth + 1));
    }
    return out;
  }
  return value;
}

/** Sets a plain own property even for the key `__proto__`, which plain assignment would treat as the prototype. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Serializes one frame (request, response or event) as JSON text with bytes encoded. */
export function encodeFrame(frame: WireRequest | WireResponse | WireEvent): string {
  return JSON.stringify(encodeWireValue(frame));
}

/** Parses one JSON text frame and restores its bytes; throws on malformed JSON or a malformed `$bytes`. */
export function decodeFrame(text: string): unknown {
  return decodeWireValue(JSON.parse(text));
}
