/**
 * The HTTP API, on the same port as the WebSocket, answered from Hocuspocus's onRequest hook:
 *   POST /api/login {name, password}       -> 200 SignIn | 401 "Wrong name or password" | 429 too-many-attempts
 *   POST /api/refresh {refreshToken}       -> 200 SignIn | 401 | 429 too-many-attempts
 *   GET  /api/documents (Bearer)           -> 200 {documents: [{id, title, updatedAt, ydocs}]}, those granted;
 *                                             ydocs: the local names of the Y.Docs stored (['chair', 'd/FRA', 'text'])
 *   POST /api/documents (Bearer, chair) {id, title} -> 201 {document} registered and granted to the publisher
 *   GET  /api/info                         -> {name: 'penholder', schemaVersion, serverId}
 * Bodies are JSON of at most 64 KiB, checked with zod; every error is {error: {code, message}} with a 4xx status.
 * Failed sign-ins and refused refresh tokens are throttled by throttle.ts: a 429 carries Retry-After (seconds) and is
 * answered before any password is checked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Extension, onRequestPayload } from '@hocuspocus/server';
import { z } from 'zod';
import { documentIdSchema, documentTitleSchema } from '../../shared/ipc.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import type { Account, SyncStore } from './api.ts';
import { ALL_DOCUMENTS, hasGrant, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH } from './accounts.ts';
import type { SqliteAccountStore } from './accounts.ts';
import { describeError } from './logging.ts';
import type { SyncLog } from './logging.ts';
import { tooManyAttemptsMessage } from './throttle.ts';
import type { LoginThrottle, SignInAttempt } from './throttle.ts';
import { TokenError } from './tokens.ts';
import type { TokenService } from './tokens.ts';

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The one answer to every failed sign-in, so it does not tell which names exist or which are disabled. */
export const WRONG_SIGN_IN = 'Wrong name or password';

/** Error codes of the HTTP API. */
export type HttpErrorCode =
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'too-many-attempts'
  | 'internal';

/** A refusal with its HTTP status, code and sentence. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: HttpErrorCode;
  /** Extra response headers (Retry-After on a 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: HttpErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const loginSchema = z.strictObject({
  name: z.string().min(1).max(MAX_NAME_LENGTH * 2),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const refreshSchema = z.strictObject({ refreshToken: z.string().min(1).max(256) });
const publishSchema = z.strictObject({ id: documentIdSchema, title: documentTitleSchema });

/** Options of {@link HttpApiExtension}. */
export interface HttpApiOptions {
  readonly accounts: SqliteAccountStore;
  readonly tokens: TokenService;
  readonly store: SyncStore;
  readonly log: SyncLog;
  readonly serverId: string;
  readonly throttle: LoginThrottle;
}

/** The HTTP API extension (see the module comment). */
export class HttpApiExtension implements Extension {
  readonly extensionName = 'penholder-http';
  readonly #options: HttpApiOptions;

  constructor(options: HttpApiOptions) {
    this.#options = options;
  }

  async onRequest({ request, response }: onRequestPayload): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://server');
    if (!url.pathname.startsWith('/api/')) return;
    try {
      await this.#route(request, response, url.pathname);
    } catch (error) {
      if (error instanceof HttpError) {
        sendJson(response, error.status, { error: { code: error.code, message: error.message } }, error.headers);
      } else {
        this.#options.log.error('http.failed', { method: request.method, path: url.pathname, error: describeError(error) });
        sendJson(response, 500, { error: { code: 'internal', message: 'The server failed to answer; the error is in its log.' } });
      }
    }
    // Hocuspocus's convention for "answered": reject with nothing, so no later hook or default answer runs.
    return Promise.reject(null);
  }

  async #route(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const method = request.method ?? 'GET';
    if (method === 'OPTIONS') {
      response.writeHead(204, corsHeaders());
      response.end();
      return;
    }
    switch (path) {
      case '/api/login':
        allow(method, ['POST']);
        return this.#login(request, response);
      case '/api/refresh':
        allow(method, ['POST']);
        return this.#refresh(request, response);
      case '/api/documents':
        allow(method, ['GET', 'POST']);
        return method === 'GET' ? this.#listDocuments(request, response) : this.#publish(request, response);
      case '/api/info':
        allow(method, ['GET']);
        sendJson(response, 200, { name: 'penholder', schemaVersion: SCHEMA_VERSION, serverId: this.#options.serverId });
        return;
      default:
        throw new HttpError(404, 'not-found', `There is no API at ${path}.`);
    }
  }

  async #login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parse(loginSchema, await readJson(request));
    const { throttle } = this.#options;
    const attempt: SignInAttempt = { name: body.name, address: throttle.addressOf(request) };
    // Nothing awaits between the check and the count (scrypt runs synchronously): concurrent guesses cannot slip past.
    refuseWhileLocked(throttle, attempt);
    const principal = this.#options.accounts.verify(body.name, body.password);
    if (!principal) {
      this.#options.log.warn('login.refused', { name: body.name.slice(0, MAX_NAME_LENGTH) });
      throttle.recordFailure(attempt);
      throw new HttpError(401, 'unauthenticated', WRONG_SIGN_IN);
    }
    throttle.recordSuccess(attempt);
    this.#options.log.info('login.ok', { name: principal.name, role: principal.role, delegation: principal.delegation });
    sendJson(response, 200, await this.#options.tokens.issue(principal));
  }

  async #refresh(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parse(refreshSchema, await readJson(request));
    const { throttle } = this.#options;
    // A refresh names no account: a refused token counts against the address only, and a good one clears nothing
    // (else whoever holds one could wipe the address's count of password guesses between guesses).
    const attempt: SignInAttempt = { address: throttle.addressOf(request) };
    refuseWhileLocked(throttle, attempt);
    try {
      sendJson(response, 200, await this.#options.tokens.refresh(body.refreshToken));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      this.#options.log.warn('refresh.refused', { why: error.message });
      throttle.recordFailure(attempt);
      throw new HttpError(401, 'unauthenticated', 'Please sign in again: the sign-in has expired or was revoked.');
    }
  }

  async #listDocuments(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const account = await this.#signedIn(request);
    const granted = (await this.#options.store.listDocuments()).filter((document) => hasGrant(account, document.id));
    // Every reader opens every delegation's doc (read-only), so the list says which exist.
    const documents = await Promise.all(granted.map(async (document) => ({ ...document, ydocs: await this.#options.store.listYDocs(document.id) })));
    sendJson(response, 200, { documents });
  }

  async #publish(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const account = await this.#signedIn(request);
    if (account.role !== 'chair') throw new HttpError(403, 'forbidden', "Only the chair's team publishes documents.");
    const body = parse(publishSchema, await readJson(request));
    const existing = (await this.#options.store.listDocuments()).find((document) => document.id === body.id);
    if (existing && !hasGrant(account, body.id)) {
      throw new HttpError(409, 'conflict', 'A document with this id is already published on this server by someone else.');
    }
    await this.#options.store.putDocument(body.id, body.title);
    if (!account.documents.includes(ALL_DOCUMENTS)) this.#options.accounts.grant(account.name, body.id);
    const document = (await this.#options.store.listDocuments()).find((one) => one.id === body.id);
    this.#options.log.info('document.published', { id: body.id, name: account.name, existed: existing !== undefined });
    sendJson(response, existing ? 200 : 201, { document: document ?? { id: body.id, title: body.title, updatedAt: new Date().toISOString() } });
  }

  /** The enabled account named by the request's Bearer token; 401 otherwise. */
  async #signedIn(request: IncomingMessage): Promise<Account> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'unauthenticated', 'Sign in first: the request has no Bearer token.');
    let name: string;
    try {
      ({ name } = await this.#options.tokens.verify(match[1]));
    } catch (error) {
      const message = error instanceof TokenError ? error.message : 'The token could not be checked.';
      throw new HttpError(401, 'unauthenticated', `Please sign in again: ${lowerFirst(message)}`);
    }
    const account = this.#options.accounts.get(name);
    if (!account || account.disabled) throw new HttpError(401, 'unauthenticated', 'Please sign in again: the account is disabled.');
    return account;
  }
}

/** Answers 429 (with Retry-After) while the attempt's account name or address is locked out. */
function refuseWhileLocked(throttle: LoginThrottle, attempt: SignInAttempt): void {
  const seconds = throttle.retryAfterSeconds(attempt);
  if (seconds > 0) throw new HttpError(429, 'too-many-attempts', tooManyAttemptsMessage(seconds), { 'Retry-After': String(seconds) });
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw new HttpError(405, 'method-not-allowed', `Use ${methods.join(' or ')} here, not ${method}.`);
}

/** Reads a JSON body of at most {@link MAX_BODY_BYTES}. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the body as JSON (Content-Type: application/json).');
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge(request);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge(request);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'bad-request', 'The request needs a JSON body.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'bad-request', 'The body is not valid JSON.');
  }
}

function tooLarge(request: IncomingMessage): HttpError {
  // Stop reading: whatever else the client sends is dropped with the connection after the answer.
  request.once('error', () => {});
  request.resume();
  return new HttpError(413, 'too-large', `A request body is at most ${MAX_BODY_BYTES / 1024} KiB.`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad-request', `The request is not valid: ${where}${issue?.message ?? 'unexpected content'}.`);
}

function corsHeaders(): Record<string, string> {
  // Bearer tokens, never cookies: a page from another origin (the web build) may call the API.
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
    // So the web build can read how long a throttled sign-in must wait.
    'Access-Control-Expose-Headers': 'Retry-After',
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...corsHeaders(),
    ...headers,
    // After a too-large body, close rather than read the rest of it.
    ...(status === 413 ? { Connection: 'close' } : {}),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
