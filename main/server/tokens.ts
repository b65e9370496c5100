/**
 * Access and refresh tokens. An access token is a short-lived JWT (HS256) naming the account, its role and
 * delegation, signed with 32 random bytes kept in `<dataDir>/token.key` (mode 0600); it is the Hocuspocus token.
 * A refresh token is 32 random bytes, stored only as its SHA-256, valid 30 days, replaced on every use, and revoked
 * when the account is disabled or its password reset.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { DELEGATION_CODE, roles } from '../../shared/sync.ts';
import { hashRefreshToken } from './accounts.ts';
import type { SqliteAccountStore } from './accounts.ts';
import type { SignedInPrincipal } from './context.ts';

/** Default lifetime of an access token: 15 minutes. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;

/** Lifetime of a refresh token: 30 days. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const KEY_BYTES = 32;
const ISSUER = 'penholder';
const AUDIENCE = 'penholder-sync';

/** What a client gets on sign-in or refresh: the body of POST /api/login and /api/refresh. */
export interface SignIn {
  readonly token: string;
  readonly refreshToken: string;
  /** When `token` expires (ISO 8601). */
  readonly expiresAt: string;
  readonly account: { readonly name: string; readonly role: SignedInPrincipal['role']; readonly delegation: string | null };
}

/** A token that cannot be used: missing, malformed, forged, expired, revoked, or of a disabled account. */
export class TokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenError';
  }
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  role: z.enum(roles),
  delegation: z.string().regex(DELEGATION_CODE).nullable(),
});

/** Issues and checks the tokens of one server. */
export class TokenService {
  readonly #key: Uint8Array;
  readonly #accounts: SqliteAccountStore;
  readonly #ttlSeconds: number;

  private constructor(key: Uint8Array, accounts: SqliteAccountStore, ttlSeconds: number) {
    this.#key = key;
    this.#accounts = accounts;
    this.#ttlSeconds = ttlSeconds;
  }

  /** Loads (creating once) the signing key in `dataDir` and returns the service. */
  static open(dataDir: string, accounts: SqliteAccountStore, options: { accessTokenTtlSeconds?: number } = {}): TokenService {
    const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
    if (!Number.isFinite(ttl) || ttl <= 0) throw new Error('The access token lifetime is a positive number of seconds.');
    return new TokenService(loadSigningKey(dataDir), accounts, ttl);
  }

  /** Signs a principal in: a fresh access token and refresh token. */
  async issue(principal: SignedInPrincipal): Promise<SignIn> {
    const expiresAt = new Date(Date.now() + this.#ttlSeconds * 1000);
    const token = await new SignJWT({ name: principal.name, role: principal.role, delegation: principal.delegation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.name)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
    const refreshToken = randomBytes(32).toString('base64url');
    this.#accounts.saveRefreshToken(hashRefreshToken(refreshToken), principal.name, Date.now() + REFRESH_TOKEN_TTL_MS);
    return {
      token,
      refreshToken,
      expiresAt: expiresAt.toISOString(),
      account: { name: principal.name, role: principal.role, delegation: principal.delegation },
    };
  }

  /**
   * Checks an access token's signature, expiry and claims and returns the principal it names; throws
   * {@link TokenError}. Whether the account still exists and is enabled is the caller's check (it reads the account).
   */
  async verify(token: unknown): Promise<SignedInPrincipal> {
    if (typeof token !== 'string' || token.length === 0) throw new TokenError('No token was given.');
    if (token.length > 4096) throw new TokenError('The token is not one this server issued.');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.#key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenError('The sign-in has expired.', { cause: error });
      throw new TokenError('The token is not one this server issued.', { cause: error });
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.sub !== claims.data.name) throw new TokenError('The token is not one this server issued.');
    return { name: claims.data.name, role: claims.data.role, delegation: claims.data.delegation };
  }

  /** Trades a refresh token for a new pair (the old one is used up); throws {@link TokenError}. */
  async refresh(refreshToken: unknown): Promise<SignIn> {
    if (typeof refreshToken !== 'string' || refreshToken.length === 0 || refreshToken.length > 256) {
      throw new TokenError('The refresh token is not valid.');
    }
    const record = this.#accounts.takeRefreshToken(hashRefreshToken(refreshToken));
    if (!record || record.expiresAt <= Date.now()) throw new TokenError('The refresh token has expired or was revoked.');
    const account = this.#accounts.get(record.name);
    if (!account || account.disabled) throw new TokenError('The account is disabled.');
    return this.issue({ name: account.name, role: account.role, delegation: account.delegation });
  }
}

/**
 * Reads `<dataDir>/token.key`, creating it with 32 random bytes and mode 0600 the first time. A key of the wrong
 * size is refused rather than replaced: replacing it would sign everyone out without saying why.
 */
export function loadSigningKey(dataDir: string): Uint8Array {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'token.key');
  if (!fs.existsSync(file)) {
    // Written beside, then linked into place: a crash leaves either no key or a whole one, and of two servers
    // starting at once only one key wins (link fails with EEXIST for the other).
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, randomBytes(KEY_BYTES));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const key = fs.readFileSync(file);
  if (key.length !== KEY_BYTES) {
    throw new Error(`The token signing key ${file} is damaged (${key.length} bytes instead of ${KEY_BYTES}); delete it to make a new one (everyone signs in again).`);
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return new Uint8Array(key);
}
