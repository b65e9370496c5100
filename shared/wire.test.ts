import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeFrame, decodeWireValue, encodeFrame } from './wire.ts';

/** Deterministic pseudo-random bytes, so a failure can be replayed. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

describe('base64', () => {
  it('agrees with Node for every length up to 200, both ways', () => {
    for (let length = 0; length <= 200; length++) {
      const data = bytes(length, length + 7);
      const expected = Buffer.from(data).toString('base64');
      expect(bytesToBase64(data)).toBe(expected);
      expect(base64ToBytes(expected)).toEqual(data);
    }
  });

  it('round-trips a large update', () => {
    const data = bytes(300_001, 42);
    expect(base64ToBytes(bytesToBase64(data))).toEqual(data);
  });

  it.each(['A', 'AB=', 'AB!C', 'ÀÀÀÀ', 'AAA=AAAA'])('refuses %j', (text) => {
    expect(() => base64ToBytes(text)).toThrow();
  });
});

describe('frames', () => {
  it('carries bytes inside a request and back', () => {
    const update = bytes(1000, 3);
    const text = encodeFrame({ id: 4, op: 'appendUpdate', request: { id: 'doc-1', ydoc: 'text', update } });
    expect(JSON.parse(text).request.update).toEqual({ $bytes: Buffer.from(update).toString('base64') });
    const frame = decodeFrame(text) as { request: { update: unknown } };
    expect(frame.request.update).toBeInstanceOf(Uint8Array);
    expect(frame.request.update).toEqual(update);
  });

  it('keeps __proto__ as a plain key instead of a prototype', () => {
    const decoded = decodeFrame('{"request":{"__proto__":{"polluted":true}}}') as { request: Record<string, unknown> };
    expect(Object.getPrototypeOf(decoded.request)).toBe(Object.prototype);
    expect(Object.keys(decoded.request)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The sender keeps it too, so the receiver's strict schema sees (and refuses) it instead of never knowing.
    expect(encodeFrame({ id: 1, op: 'getAppInfo', request: JSON.parse('{"__proto__":{"x":1}}') })).toContain('"__proto__":{"x":1}');
  });

  it('refuses a malformed $bytes and absurd nesting', () => {
    expect(() => decodeFrame('{"update":{"$bytes":42}}')).toThrow();
    expect(() => decodeFrame('{"update":{"$bytes":"***"}}')).toThrow();
    expect(() => decodeWireValue(JSON.parse('['.repeat(100) + ']'.repeat(100)))).toThrow(/deeply/);
  });
});
