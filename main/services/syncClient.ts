/**
 * The desktop's HTTP client for a sync server's API (/api/info, /api/login, /api/refresh, /api/documents).
 *
 * Everything the server answers is outside input: bodies are size-capped, parsed with zod, and every failure
 * becomes a {@link ServiceError} whose code the UI branches on and whose message a person can act on. Redirects
 * are not followed, so a password is never re-sent to an address the person did not type.
 */
import { z } from 'zod';
import { roles } from '../../shared/sync.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import type { RemoteAccount } from '../../shared/ipc.ts';
import { ServiceError } from './errors.ts';
import type { ServerAddress } from './serverAddress.ts';

/** How long one HTTP call may take before the server counts as unreachable. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** Largest answer body read from a server; the API's answers are small, a larger one is not Penholder. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** What GET /api/info says about a server. */
export interface ServerInfo {
  readonly serverId: string;
  readonly schemaVersion: number;
}

/** A successful login or refresh. */
export interface SignedIn {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
  readonly account: RemoteAccount;
}

/** One document as GET /api/documents lists it. */
export interface ServerDocument {
  readonly id: string;
  readonly title: string;
  /** ms since the epoch (0 when the server gave no readable time). */
  readonly updatedAt: number;
}

/** Options of every call. */
export interface SyncClientOptions {
  readonly timeoutMs?: number;
}

const infoSchema = z.object({ name: z.literal('penholder'), schemaVersion: z.number().int().nonnegative(), serverId: z.string().max(200) });

const accountSchema = z.object({
  name: z.string().min(1).max(200),
  role: z.enum(roles),
  delegation: z.string().max(16).nullable().optional(),
});

const sessionSchema = z.object({
  token: z.string().min(1).max(16 * 1024),
  refreshToken: z.string().min(1).max(16 * 1024),
  expiresAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO time'),
  account: accountSchema,
});

const documentsSchema = z.object({
  documents: z
    .array(z.object({ id: z.string().min(1).max(200), title: z.string().max(1000), updatedAt: z.string().nullable().optional() }))
    .max(100_000),
});

const errorSchema = z.object({ error: z.object({ code: z.string().max(100).optional(), message: z.string().max(1000) }) });

/** One HTTP answer, its body already read (bounded). */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** True when the body was JSON. */
  readonly json: boolean;
  /** The server's clock (its Date header) minus ours, in ms; 0 when it sent none. */
  readonly skewMs: number;
  /** The Retry-After header in seconds, when it is a number (a throttled sign-in). */
  readonly retryAfterSeconds: number | null;
}

/** GET /api/info: proves a Penholder server of this schema version answers at `address`. */
export async function fetchServerInfo(address: ServerAddress, options: SyncClientOptions = {}): Promise<ServerInfo> {
  const answer = await call(address, 'GET', '/api/info', { ...options });
  const info = answer.status === 200 ? infoSchema.safeParse(answer.body) : null;
  if (!info?.success) {
    throw new ServiceError('not-penholder', `Something answers at ${address.url}, but it is not a Penholder server. Check the address you were given.`);
  }
  checkSchemaVersion(address, info.data.schemaVersion);
  return { serverId: info.data.serverId, schemaVersion: info.data.schemaVersion };
}

/** The server's schema version must equal this app's: the WebSocket refuses anything else (4426). */
export function checkSchemaVersion(address: ServerAddress, serverVersion: number): void {
  if (serverVersion > SCHEMA_VERSION) {
    throw new ServiceError(
      'version-mismatch',
      `The server at ${address.url} needs a newer Penholder (document format ${serverVersion}; this app has ${SCHEMA_VERSION}). Update Penholder to join it.`,
    );
  }
  if (serverVersion < SCHEMA_VERSION) {
    throw new ServiceError(
      'version-mismatch',
      `The server at ${address.url} runs an older Penholder (document format ${serverVersion}; this app has ${SCHEMA_VERSION}). Ask whoever runs it to update it.`,
    );
  }
}

/** POST /api/login. */
export async function login(address: ServerAddress, name: string, password: string, options: SyncClientOptions = {}): Promise<SignedIn> {
  const answer = await call(address, 'POST', '/api/login', { ...options, body: { name, password } });
  if (answer.status === 401 || answer.status === 403) {
    throw new ServiceError('wrong-password', serverMessage(answer) ?? 'Wrong name or password.');
  }
  throwIfThrottled(address, answer);
  return readSession(address, answer);
}

/** POST /api/refresh; a refused refresh token means signed out. */
export async function refresh(address: ServerAddress, refreshToken: string, options: SyncClientOptions = {}): Promise<SignedIn> {
  const answer = await call(address, 'POST', '/api/refresh', { ...options, body: { refreshToken } });
  if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
    throw new ServiceError('signed-out', `Your sign-in to ${address.url} has expired or was withdrawn; sign in again.`);
  }
  // Throttled is not signed out: the refresh token stays, and the next try after the wait may succeed.
  throwIfThrottled(address, answer);
  return readSession(address, answer);
}

/** GET /api/documents: the documents granted to the token's account. Throws 'signed-out' on 401. */
export async function listServerDocuments(address: ServerAddress, accessToken: string, options: SyncClientOptions = {}): Promise<ServerDocument[]> {
  const answer = await call(address, 'GET', '/api/documents', { ...options, token: accessToken });
  throwUnlessOk(address, answer, 'list the documents');
  const parsed = documentsSchema.safeParse(answer.body);
  if (!parsed.success) throw unexpected(address, 'the list of documents');
  return parsed.data.documents.map((d) => ({ id: d.id, title: d.title, updatedAt: toMillis(d.updatedAt) }));
}

/** POST /api/documents: registers a document (chair only). Throws 'signed-out' on 401, 'forbidden' on 403. */
export async function publishServerDocument(
  address: ServerAddress,
  accessToken: string,
  document: { id: string; title: string },
  options: SyncClientOptions = {},
): Promise<void> {
  const answer = await call(address, 'POST', '/api/documents', { ...options, token: accessToken, body: document });
  throwUnlessOk(address, answer, 'publish the document');
}

/**
 * A 429 (too many failed sign-ins): the server's sentence ("Try again in N minutes.") goes to the person unchanged,
 * not as "wrong password", which would invite the very retry that prolongs the lockout.
 */
function throwIfThrottled(address: ServerAddress, answer: Answer): void {
  if (answer.status !== 429) return;
  const minutes = answer.retryAfterSeconds === null ? null : Math.max(1, Math.ceil(answer.retryAfterSeconds / 60));
  const wait = minutes === null ? 'later' : `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  throw new ServiceError('forbidden', serverMessage(answer) ?? `The server at ${address.url} refuses sign-ins for now; try again ${wait}.`);
}

function readSession(address: ServerAddress, answer: Answer): SignedIn {
  throwUnlessOk(address, answer, 'sign in');
  const parsed = sessionSchema.safeParse(answer.body);
  if (!parsed.success) throw unexpected(address, 'the sign-in answer');
  const { token, refreshToken, expiresAt, account } = parsed.data;
  return {
    accessToken: token,
    refreshToken,
    // On this computer's clock, so "refresh before expiry" holds even when the two clocks disagree.
    expiresAt: Date.parse(expiresAt) - answer.skewMs,
    account: { name: account.name, role: account.role, delegation: account.delegation ?? null },
  };
}

function throwUnlessOk(address: ServerAddress, answer: Answer, doing: string): void {
  if (answer.status >= 200 && answer.status < 300) return;
  const message = serverMessage(answer);
  if (answer.status === 401) throw new ServiceError('signed-out', `Your sign-in to ${address.url} has expired; sign in again.`);
  if (answer.status === 403) throw new ServiceError('forbidden', message ?? `Your account on ${address.url} may not ${doing}.`);
  if (answer.status === 404 && !answer.json) {
    throw new ServiceError('not-penholder', `The server at ${address.url} does not offer this (it may not be a Penholder server).`);
  }
  if (answer.status >= 400 && answer.status < 500) {
    throw new ServiceError('invalid-request', message ?? `The server at ${address.url} refused to ${doing} (HTTP ${answer.status}).`);
  }
  throw new ServiceError('server-error', `The server at ${address.url} could not ${doing} (HTTP ${answer.status}); try again later.`);
}

function unexpected(address: ServerAddress, what: string): ServiceError {
  return new ServiceError('server-error', `The server at ${address.url} sent ${what} in a form this version of Penholder cannot read.`);
}

/** The server's own sentence from an `{error:{message}}` body, if it sent one. */
function serverMessage(answer: Answer): string | null {
  const parsed = errorSchema.safeParse(answer.body);
  return parsed.success ? parsed.data.error.message : null;
}

function toMillis(value: string | null | undefined): number {
  if (typeof value !== 'string') return 0;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : 0;
}

/** One request; network failures become 'unreachable' with the reason a person can act on. */
async function call(
  address: ServerAddress,
  method: 'GET' | 'POST',
  path: string,
  options: SyncClientOptions & { body?: unknown; token?: string },
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  const sentAt = Date.now();
  try {
    response = await fetch(`${address.url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw new ServiceError('unreachable', `Cannot reach the server at ${address.url}: ${networkReason(error, timeoutMs)}.`, { cause: error });
  }
  let text: string;
  try {
    text = await readBounded(response, signal);
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('unreachable', `The server at ${address.url} stopped answering: ${networkReason(error, timeoutMs)}.`, { cause: error });
  }
  const skewMs = clockSkew(response.headers.get('date'), sentAt, Date.now());
  const retryAfter = response.headers.get('retry-after');
  const retryAfterSeconds = retryAfter !== null && /^\d{1,9}$/.test(retryAfter.trim()) ? Number(retryAfter) : null;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      return { status: response.status, body: JSON.parse(text) as unknown, json: true, skewMs, retryAfterSeconds };
    } catch {
      // A server that labels garbage as JSON is not a Penholder server; callers see it as a body they cannot read.
    }
  }
  return { status: response.status, body: null, json: false, skewMs, retryAfterSeconds };
}

/**
 * How far the server's clock is ahead of ours (negative: behind), from its Date header, read between `sentAt` and
 * `receivedAt` on our clock. The header is truncated to the second, so only a range is known: 0 when the range
 * allows it, else its upper end, which errs towards treating a token as expiring early, never late.
 */
export function clockSkew(dateHeader: string | null, sentAt: number, receivedAt: number): number {
  if (dateHeader === null) return 0;
  const serverTime = Date.parse(dateHeader);
  if (!Number.isFinite(serverTime)) return 0;
  const lowest = serverTime - receivedAt;
  const highest = serverTime + 1000 - sentAt;
  if (lowest <= 0 && highest >= 0) return 0;
  return highest;
}

/** Reads the body, refusing more than MAX_BODY_BYTES (a hostile server could otherwise stream forever). */
async function readBounded(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new ServiceError('not-penholder', 'The server sent an answer far larger than any Penholder server would; it is not a Penholder server.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a connection failed, in words: refused, timed out, unknown host, certificate problem. */
function networkReason(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || (cause as { name?: unknown } | null)?.name === 'TimeoutError') {
    return `no answer within ${Math.round(timeoutMs / 1000)} seconds`;
  }
  const code = (cause as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (is the server running, and is the port right?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'that host name is unknown (check the address, or your network)';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'that network cannot be reached from here';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer came';
    default:
      if (typeof code === 'string' && /CERT|TLS|SSL/i.test(code)) return `its security certificate is not trusted (${code})`;
      return typeof code === 'string' ? `network error ${code}` : 'network error';
  }
}
