/**
 * Throttling of failed sign-ins, so a password cannot be guessed as fast as scrypt allows.
 *
 * Failures are counted per account name (exactly as typed: accounts are looked up by exact name, so any string that
 * could open an account is that account's key) and per client address. After a few free failures every further
 * failure starts a lockout that doubles up to a cap; during a lockout every attempt is answered 429 before the
 * password is checked, so a throttled guess costs the server nothing and tells the guesser nothing, not even a
 * right password. An unknown name is counted exactly like a known one, so the answers do not reveal which exist.
 * A success clears the account's and the address's counters; counters quiet for long enough are forgotten.
 *
 * The counters are per process and in memory: several server processes behind Redis each throttle on their own
 * (an attacker spreading guesses over N processes gets N times the free failures, and each process's lockouts
 * still double), and a restart forgets them. Each table is bounded, so a flood of made-up names or addresses
 * cannot exhaust memory: the least recently failed entries go first.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { LoginThrottleOptions } from './api.ts';
import { MAX_NAME_LENGTH } from './accounts.ts';
import type { SyncLog } from './logging.ts';

/** The defaults of {@link LoginThrottleOptions}. */
export const LOGIN_THROTTLE_DEFAULTS = {
  freeFailuresPerAccount: 5,
  // A meeting venue puts a hundred delegates behind one NAT address; any success there clears the count.
  freeFailuresPerAddress: 20,
  firstLockoutMs: 30_000,
  maxLockoutMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 100_000,
} as const;

/** The sentence of a 429: how long to wait, in whole minutes (never "0 minutes"). */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/** One sign-in attempt as the throttle sees it: the account name (absent for a refresh) and the client's address key. */
export interface SignInAttempt {
  readonly name?: string;
  readonly address: string;
}

/** The failures of one account name or address. */
interface Failures {
  count: number;
  lastFailureAt: number;
  /** ms since the epoch; 0 when never locked. */
  lockedUntil: number;
}

/**
 * Failure counters keyed by account name or address, at most `maxEntries` of them. The Map's insertion order is
 * kept as "least recently failed first" (a failure moves its entry to the end). Forgotten entries are dropped when
 * read, and by a sweep every tenth of `maxEntries` writes or as soon as the table overflows; an overflowing sweep
 * also evicts the least recently failed down to nine tenths. Sweeping in batches matters: V8 leaves deleted Map
 * slots in place until it rehashes, so evicting one entry per write from the front would rescan those slots each
 * time (quadratic under a flood).
 */
export class FailureTable {
  readonly #entries = new Map<string, Failures>();
  readonly #maxEntries: number;
  readonly #forgetAfterMs: number;
  /** Writes between sweeps, and how far below the bound an overflowing sweep brings the table. */
  readonly #slack: number;
  #writesSinceSweep = 0;

  constructor(maxEntries: number, forgetAfterMs: number) {
    this.#maxEntries = maxEntries;
    this.#forgetAfterMs = forgetAfterMs;
    this.#slack = Math.max(1, Math.floor(maxEntries / 10));
  }

  /** How many counters are held. */
  get size(): number {
    return this.#entries.size;
  }

  /** ms from `now` until `key` is out of its lockout; 0 when it is not locked. */
  lockedFor(key: string, now: number): number {
    const entry = this.#live(key, now);
    return entry && entry.lockedUntil > now ? entry.lockedUntil - now : 0;
  }

  /** Counts one failure; returns the failure count and the lockout it starts (0 ms while failures are still free). */
  fail(key: string, now: number, policy: { free: number; firstLockoutMs: number; maxLockoutMs: number }): { count: number; lockoutMs: number } {
    const entry = this.#live(key, now) ?? { count: 0, lastFailureAt: now, lockedUntil: 0 };
    this.#entries.delete(key);
    entry.count += 1;
    entry.lastFailureAt = now;
    let lockoutMs = 0;
    if (entry.count >= policy.free) {
      // The exponent is capped so a counter left running for days cannot overflow to Infinity.
      const doublings = Math.min(entry.count - policy.free, 40);
      lockoutMs = Math.min(policy.maxLockoutMs, policy.firstLockoutMs * 2 ** doublings);
      entry.lockedUntil = now + lockoutMs;
    }
    this.#entries.set(key, entry);
    this.#writesSinceSweep += 1;
    if (this.#entries.size > this.#maxEntries || this.#writesSinceSweep >= this.#slack) this.#sweep(now);
    return { count: entry.count, lockoutMs };
  }

  /** Forgets `key`'s failures (after a success). */
  clear(key: string): void {
    this.#entries.delete(key);
  }

  /** The entry of `key`, or undefined when there is none or it has been quiet long enough to forget. */
  #live(key: string, now: number): Failures | undefined {
    const entry = this.#entries.get(key);
    if (entry && this.#forgotten(entry, now)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #forgotten(entry: Failures, now: number): boolean {
    return now - Math.max(entry.lastFailureAt, entry.lockedUntil) >= this.#forgetAfterMs;
  }

  /** One pass: drops every forgotten entry and, when over the bound, the least recently failed down to the target. */
  #sweep(now: number): void {
    this.#writesSinceSweep = 0;
    const target = this.#entries.size > this.#maxEntries ? this.#maxEntries - this.#slack : Number.POSITIVE_INFINITY;
    // Deleting the entry being visited is safe in a Map iteration.
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size > target || this.#forgotten(entry, now)) this.#entries.delete(key);
    }
  }
}

/** Options of {@link LoginThrottle}: the limits, the log for lockouts, and the reverse proxies to believe. */
export interface LoginThrottleSetup extends LoginThrottleOptions {
  readonly log: SyncLog;
  readonly trustedProxies?: readonly string[];
}

/** The sign-in throttle of one server process (see the module comment). */
export class LoginThrottle {
  readonly #accounts: FailureTable;
  readonly #addresses: FailureTable;
  readonly #limits: Required<Omit<LoginThrottleOptions, 'now' | 'maxEntries' | 'forgetAfterMs'>>;
  readonly #now: () => number;
  readonly #log: SyncLog;
  readonly #trusted: BlockList | null;

  constructor(setup: LoginThrottleSetup) {
    const number = (key: keyof typeof LOGIN_THROTTLE_DEFAULTS, min: number): number => {
      const value = setup[key] ?? LOGIN_THROTTLE_DEFAULTS[key];
      if (!Number.isFinite(value) || value < min) throw new Error(`The login throttle's ${key} must be a number of at least ${min}, not ${value}.`);
      return value;
    };
    this.#limits = {
      freeFailuresPerAccount: number('freeFailuresPerAccount', 1),
      freeFailuresPerAddress: number('freeFailuresPerAddress', 1),
      firstLockoutMs: number('firstLockoutMs', 1),
      maxLockoutMs: number('maxLockoutMs', 1),
    };
    if (this.#limits.maxLockoutMs < this.#limits.firstLockoutMs) {
      throw new Error(`The login throttle's maxLockoutMs (${this.#limits.maxLockoutMs}) is shorter than its firstLockoutMs (${this.#limits.firstLockoutMs}).`);
    }
    const forgetAfterMs = number('forgetAfterMs', 1);
    const maxEntries = number('maxEntries', 1);
    this.#accounts = new FailureTable(maxEntries, forgetAfterMs);
    this.#addresses = new FailureTable(maxEntries, forgetAfterMs);
    this.#now = setup.now ?? Date.now;
    this.#log = setup.log;
    this.#trusted = setup.trustedProxies && setup.trustedProxies.length > 0 ? parseTrustedProxies(setup.trustedProxies) : null;
  }

  /** How many counters are held, per table (for tests and the memory bound). */
  get size(): { accounts: number; addresses: number } {
    return { accounts: this.#accounts.size, addresses: this.#addresses.size };
  }

  /** The address key of the client that sent `request` (see {@link clientAddress}). */
  addressOf(request: IncomingMessage): string {
    return clientAddress(request, this.#trusted);
  }

  /** Whole seconds until this attempt may be checked (the longer of the account's and the address's lockouts); 0 = now. */
  retryAfterSeconds(attempt: SignInAttempt): number {
    const now = this.#now();
    const account = attempt.name === undefined ? 0 : this.#accounts.lockedFor(attempt.name, now);
    const address = this.#addresses.lockedFor(attempt.address, now);
    return Math.ceil(Math.max(account, address) / 1000);
  }

  /** Counts a failed attempt against its name (if any) and its address, logging each lockout it starts. */
  recordFailure(attempt: SignInAttempt): void {
    const now = this.#now();
    if (attempt.name !== undefined) {
      const { count, lockoutMs } = this.#accounts.fail(attempt.name, now, this.#policy(this.#limits.freeFailuresPerAccount));
      if (lockoutMs > 0) {
        this.#log.warn('login.locked', {
          scope: 'account',
          name: attempt.name.slice(0, MAX_NAME_LENGTH),
          remote: attempt.address,
          failures: count,
          seconds: Math.ceil(lockoutMs / 1000),
        });
      }
    }
    const { count, lockoutMs } = this.#addresses.fail(attempt.address, now, this.#policy(this.#limits.freeFailuresPerAddress));
    if (lockoutMs > 0) this.#log.warn('login.locked', { scope: 'address', remote: attempt.address, failures: count, seconds: Math.ceil(lockoutMs / 1000) });
  }

  /** Clears the counters of a successful sign-in's name and address. */
  recordSuccess(attempt: SignInAttempt): void {
    if (attempt.name !== undefined) this.#accounts.clear(attempt.name);
    this.#addresses.clear(attempt.address);
  }

  #policy(free: number): { free: number; firstLockoutMs: number; maxLockoutMs: number } {
    return { free, firstLockoutMs: this.#limits.firstLockoutMs, maxLockoutMs: this.#limits.maxLockoutMs };
  }
}

/**
 * Reads a list of trusted reverse proxies: addresses (`10.0.0.5`, `::1`) or subnets (`10.0.0.0/8`, `fd00::/8`).
 * Throws an Error naming the first entry that is neither.
 */
export function parseTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits))) {
      throw new Error(`"${raw}" is not a proxy address: give an IP address (10.0.0.5, ::1) or a subnet (10.0.0.0/8, fd00::/8).`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/**
 * The key of the client that sent `request`: its socket's address, or, only when that socket is a trusted proxy,
 * the nearest address in X-Forwarded-For that is not itself a trusted proxy (read from the right: entries further
 * left were written by the client and prove nothing). IPv6 clients are keyed by their /64, which one machine
 * usually holds whole, so rotating through it does not escape the throttle.
 */
export function clientAddress(request: IncomingMessage, trusted: BlockList | null): string {
  let client = plainAddress(request.socket.remoteAddress ?? '');
  if (client === null) return 'unknown';
  if (trusted && isTrusted(trusted, client)) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').reverse();
    for (const hop of hops) {
      const address = plainAddress(hop);
      // A hop a trusted proxy wrote that is not an address: keep the nearest trusted one rather than guess.
      if (address === null) break;
      client = address;
      if (!isTrusted(trusted, address)) break;
    }
  }
  return addressKey(client);
}

function isTrusted(trusted: BlockList, address: string): boolean {
  return trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** An address as written in a socket or an X-Forwarded-For hop (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`, `fe80::1%eth0`), or null. */
function plainAddress(text: string): string | null {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 0) return null;
  if (family === 4) return address;
  const groups = ipv6Groups(address);
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: key it as the IPv4 address it is.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return address;
}

/** The throttle key of a plain address: an IPv4 address as is, an IPv6 address as its /64 prefix. */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address).slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((piece) => {
      if (!piece.includes('.')) return [parseInt(piece, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head = '', tail] = address.split('::');
  const before = toGroups(head);
  const after = tail === undefined ? [] : toGroups(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}
