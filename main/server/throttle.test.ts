import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { SyncLogEntry } from './api.ts';
import { createSyncLog } from './logging.ts';
import { addressKey, clientAddress, FailureTable, LOGIN_THROTTLE_DEFAULTS, LoginThrottle, parseTrustedProxies, tooManyAttemptsMessage } from './throttle.ts';
import type { LoginThrottleSetup } from './throttle.ts';

/** A throttle on a clock the test moves by hand, with its log entries. */
function throttleAt(options: Partial<LoginThrottleSetup> = {}): { throttle: LoginThrottle; clock: { now: number }; logs: SyncLogEntry[] } {
  const clock = { now: 1_700_000_000_000 };
  const logs: SyncLogEntry[] = [];
  const throttle = new LoginThrottle({ log: createSyncLog((entry) => void logs.push(entry)), now: () => clock.now, ...options });
  return { throttle, clock, logs };
}

/** What the HTTP API reads of a request to find its client: the socket's address and the headers. */
function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('lockouts', () => {
  it('lets five failures of a name through, then locks it for 30 s, doubling per failure up to 15 min', () => {
    const { throttle, clock, logs } = throttleAt();
    const attempt = { name: 'fra1', address: '192.0.2.1' };
    for (let i = 0; i < 4; i++) {
      throttle.recordFailure(attempt);
      expect(throttle.retryAfterSeconds(attempt)).toBe(0);
    }
    throttle.recordFailure(attempt);
    const windows: number[] = [throttle.retryAfterSeconds(attempt)];
    for (let i = 0; i < 7; i++) {
      clock.now += windows[windows.length - 1]! * 1000;
      expect(throttle.retryAfterSeconds(attempt)).toBe(0);
      throttle.recordFailure(attempt);
      windows.push(throttle.retryAfterSeconds(attempt));
    }
    expect(windows).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    // Another name from the same address is not locked (the address has 12 failures, under its 20).
    expect(throttle.retryAfterSeconds({ name: 'gbr1', address: '192.0.2.1' })).toBe(0);
    // One entry per lockout start, never more.
    const locked = logs.filter((entry) => entry.event === 'login.locked');
    expect(locked.map((entry) => entry.seconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(locked[0]).toMatchObject({ level: 'warn', scope: 'account', name: 'fra1', remote: '192.0.2.1', failures: 5 });
  });

  it('counts every name from one address together: the 20th failure locks the address for all names', () => {
    const { throttle, logs } = throttleAt();
    for (let i = 0; i < 19; i++) throttle.recordFailure({ name: `guess-${i}`, address: '198.51.100.7' });
    expect(throttle.retryAfterSeconds({ name: 'fra1', address: '198.51.100.7' })).toBe(0);
    throttle.recordFailure({ name: 'guess-19', address: '198.51.100.7' });
    expect(throttle.retryAfterSeconds({ name: 'fra1', address: '198.51.100.7' })).toBe(30);
    expect(throttle.retryAfterSeconds({ address: '198.51.100.7' })).toBe(30);
    expect(throttle.retryAfterSeconds({ name: 'fra1', address: '198.51.100.8' })).toBe(0);
    expect(logs.filter((entry) => entry.event === 'login.locked')).toMatchObject([{ scope: 'address', remote: '198.51.100.7', failures: 20, seconds: 30 }]);
  });

  it('answers the longer of the two lockouts', () => {
    const { throttle, clock } = throttleAt({ freeFailuresPerAddress: 6 });
    const attempt = { name: 'fra1', address: '192.0.2.1' };
    for (let i = 0; i < 5; i++) throttle.recordFailure(attempt);
    clock.now += 10_000;
    throttle.recordFailure({ name: 'other', address: '192.0.2.1' });
    // The account has 20 s left, the address (just locked) 30 s.
    expect(throttle.retryAfterSeconds(attempt)).toBe(30);
  });

  it("clears the name's and the address's counters on a success, and nothing on a refresh's address alone", () => {
    const { throttle } = throttleAt();
    const attempt = { name: 'fra1', address: '192.0.2.1' };
    for (let i = 0; i < 4; i++) throttle.recordFailure(attempt);
    for (let i = 0; i < 15; i++) throttle.recordFailure({ address: '192.0.2.1' });
    throttle.recordSuccess(attempt);
    expect(throttle.size).toEqual({ accounts: 0, addresses: 0 });
    throttle.recordFailure(attempt);
    expect(throttle.retryAfterSeconds(attempt)).toBe(0);
  });

  it('forgets a counter after an hour of quiet following its last failure or lockout', () => {
    const { throttle, clock } = throttleAt();
    const attempt = { name: 'fra1', address: '192.0.2.1' };
    for (let i = 0; i < 4; i++) throttle.recordFailure(attempt);
    clock.now += LOGIN_THROTTLE_DEFAULTS.forgetAfterMs - 1;
    throttle.recordFailure(attempt);
    expect(throttle.retryAfterSeconds(attempt)).toBe(30);
    clock.now += 30_000 + LOGIN_THROTTLE_DEFAULTS.forgetAfterMs;
    // Forgotten: four more failures are free again.
    for (let i = 0; i < 4; i++) throttle.recordFailure(attempt);
    expect(throttle.retryAfterSeconds(attempt)).toBe(0);
  });

  it('says how long to wait in whole minutes', () => {
    expect(tooManyAttemptsMessage(30)).toBe('Too many failed sign-ins. Try again in 1 minute.');
    expect(tooManyAttemptsMessage(61)).toBe('Too many failed sign-ins. Try again in 2 minutes.');
    expect(tooManyAttemptsMessage(900)).toBe('Too many failed sign-ins. Try again in 15 minutes.');
    expect(tooManyAttemptsMessage(0)).toBe('Too many failed sign-ins. Try again in 1 minute.');
  });

  it('refuses limits that make no sense, with the setting named', () => {
    expect(() => throttleAt({ freeFailuresPerAccount: 0 })).toThrow(/freeFailuresPerAccount must be a number of at least 1/);
    expect(() => throttleAt({ maxEntries: Number.NaN })).toThrow(/maxEntries/);
    expect(() => throttleAt({ firstLockoutMs: 60_000, maxLockoutMs: 1000 })).toThrow(/maxLockoutMs \(1000\) is shorter than its firstLockoutMs/);
    expect(() => throttleAt({ trustedProxies: ['proxy.local'] })).toThrow(/"proxy.local" is not a proxy address/);
  });
});

describe('the memory bound', () => {
  it('holds at most 100,000 names and addresses however many are tried, dropping the least recently failed first', () => {
    const { throttle } = throttleAt();
    const victim = { name: 'chair1', address: '192.0.2.1' };
    throttle.recordFailure(victim);
    for (let i = 0; i < 250_000; i++) throttle.recordFailure({ name: `flood-${i}-${Math.random().toString(36).slice(2)}`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    const { maxEntries } = LOGIN_THROTTLE_DEFAULTS;
    for (const size of Object.values(throttle.size)) {
      expect(size).toBeLessThanOrEqual(maxEntries);
      expect(size).toBeGreaterThanOrEqual(maxEntries * 0.9);
    }
    // The oldest entries went: the victim's single failure is forgotten, so four more are free and the fifth locks.
    for (let i = 0; i < 4; i++) throttle.recordFailure(victim);
    expect(throttle.retryAfterSeconds(victim)).toBe(0);
    throttle.recordFailure(victim);
    expect(throttle.retryAfterSeconds(victim)).toBe(30);
  });

  it('drops forgotten counters before evicting any live one', () => {
    const table = new FailureTable(1000, 60_000);
    const policy = { free: 5, firstLockoutMs: 1000, maxLockoutMs: 10_000 };
    for (let i = 0; i < 500; i++) table.fail(`early-${i}`, 0, policy);
    for (let i = 0; i < 500; i++) table.fail(`later-${i}`, 30_000, policy);
    expect(table.size).toBe(1000);
    table.fail('last', 60_000, policy);
    expect(table.size).toBe(501);
    expect(table.fail('later-0', 60_001, policy).count).toBe(2);
  });

  it('forgets quiet counters even when the table never fills', () => {
    const table = new FailureTable(1000, 60_000);
    const policy = { free: 5, firstLockoutMs: 1000, maxLockoutMs: 10_000 };
    for (let i = 0; i < 50; i++) table.fail(`early-${i}`, 0, policy);
    for (let i = 0; i < 100; i++) table.fail(`later-${i}`, 60_000, policy);
    expect(table.size).toBe(100);
  });

  it('keeps a name that keeps failing at the back, so a bounded table keeps the one under attack', () => {
    const table = new FailureTable(3, 3_600_000);
    const policy = { free: 5, firstLockoutMs: 1000, maxLockoutMs: 10_000 };
    table.fail('chair1', 0, policy);
    table.fail('a', 1, policy);
    table.fail('b', 2, policy);
    table.fail('chair1', 3, policy);
    table.fail('c', 4, policy);
    // Overflowing evicted the least recently failed: 'a', then 'b' (a sweep goes one tenth, at least one, below).
    expect(table.size).toBe(2);
    expect(table.fail('chair1', 5, policy).count).toBe(3);
    expect(table.fail('a', 6, policy).count).toBe(1);
  });
});

describe('the client address', () => {
  it('is the socket address, X-Forwarded-For ignored, when no proxy is trusted', () => {
    expect(clientAddress(request('203.0.113.5', '198.51.100.1'), null)).toBe('203.0.113.5');
    expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1'), null)).toBe('127.0.0.1');
    expect(clientAddress(request(undefined), null)).toBe('unknown');
  });

  it('ignores X-Forwarded-For from a socket that is not a trusted proxy', () => {
    const trusted = parseTrustedProxies(['10.0.0.0/8']);
    expect(clientAddress(request('203.0.113.5', '198.51.100.1'), trusted)).toBe('203.0.113.5');
  });

  it('behind trusted proxies, is the nearest forwarded address that is not a proxy; hops the client wrote do not count', () => {
    const trusted = parseTrustedProxies(['10.0.0.0/8', '::1']);
    expect(clientAddress(request('10.0.0.2', '198.51.100.1'), trusted)).toBe('198.51.100.1');
    // Two proxies, and a client that wrote its own fake entry on the left.
    expect(clientAddress(request('10.0.0.2', '192.0.2.99, 198.51.100.1, 10.0.0.3'), trusted)).toBe('198.51.100.1');
    expect(clientAddress(request('::1', '[2001:db8:1:2::5]:4431'), trusted)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(request('::ffff:10.0.0.2', '198.51.100.1:5000'), trusted)).toBe('198.51.100.1');
    // No header, or a hop that is not an address: the nearest proxy stands for the client.
    expect(clientAddress(request('10.0.0.2'), trusted)).toBe('10.0.0.2');
    expect(clientAddress(request('10.0.0.2', 'unknown, 10.0.0.3'), trusted)).toBe('10.0.0.3');
  });

  it('keys IPv6 clients by their /64 and IPv4-mapped ones as IPv4', () => {
    expect(addressKey('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(addressKey('2001:db8:aa:bb::ffff')).toBe('2001:db8:aa:bb::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddress(request('fe80::1%eth0'), null)).toBe('fe80:0:0:0::/64');
    expect(clientAddress(request('::ffff:7f00:1'), null)).toBe('127.0.0.1');
  });

  it('reads trusted proxies as addresses or subnets and names a bad entry', () => {
    const list = parseTrustedProxies([' 127.0.0.1 ', '10.1.0.0/16', 'fd00::/8']);
    expect(list.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(list.check('10.1.200.3', 'ipv4')).toBe(true);
    expect(list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(list.check('fd12::1', 'ipv6')).toBe(true);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'localhost', '10.0.0.1/8/2', '10.0.0.0/x', '']) {
      expect(() => parseTrustedProxies([bad])).toThrow(`"${bad}" is not a proxy address`);
    }
  });
});
