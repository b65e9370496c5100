import { describe, expect, it } from 'vitest';
import { clockSkew } from './syncClient.ts';

describe('clockSkew', () => {
  const sentAt = Date.parse('2025-03-01T10:00:00.200Z');
  const receivedAt = sentAt + 300;

  it("is zero when the server's Date header agrees with our clock within its one-second precision", () => {
    expect(clockSkew('Sat, 01 Mar 2025 10:00:00 GMT', sentAt, receivedAt)).toBe(0);
  });

  it('is zero without a readable Date header', () => {
    expect(clockSkew(null, sentAt, receivedAt)).toBe(0);
    expect(clockSkew('yesterday-ish', sentAt, receivedAt)).toBe(0);
  });

  it('errs towards an earlier expiry when the server runs ahead or behind', () => {
    // Server five minutes ahead: the token's expiry, on our clock, is at least that much earlier.
    expect(clockSkew('Sat, 01 Mar 2025 10:05:00 GMT', sentAt, receivedAt)).toBe(5 * 60_000 + 800);
    // Server five minutes behind: the token lives longer on our clock, but never counted longer than it can be.
    expect(clockSkew('Sat, 01 Mar 2025 09:55:00 GMT', sentAt, receivedAt)).toBe(-5 * 60_000 + 800);
  });
});
