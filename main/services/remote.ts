/**
 * Sync servers from the desktop's side: which servers this workspace knows, who is signed in to each, the
 * short-lived access tokens the renderer's providers use, and the local documents that mirror server documents.
 *
 * The refresh token never leaves main: it sits in a {@link CredentialVault}; the renderer only ever receives an
 * access token, fetched again through getAccessToken before it expires. A mirror is an ordinary local document
 * with a `remote` link, so its whole history stays in the local log, offline and across restarts.
 */
import { z } from 'zod';
import type { DocumentSummary, RemoteAccount, RemoteDocumentSummary, RemoteServer, RemoteSession } from '../../shared/ipc.ts';
import { documentIdSchema, documentTitleSchema, MAX_TITLE_LENGTH } from '../../shared/ipc.ts';
import { roles } from '../../shared/sync.ts';
import type { Workspace } from '../storage/index.ts';
import type { CredentialVault } from './credentials.ts';
import { ServiceError } from './errors.ts';
import { parseServerAddress, tryParseServerAddress, type ServerAddress } from './serverAddress.ts';
import { SYNC_SERVERS_SETTING } from './settings.ts';
import {
  fetchServerInfo,
  listServerDocuments,
  login,
  publishServerDocument,
  refresh,
  type SignedIn,
  type SyncClientOptions,
} from './syncClient.ts';

/** An access token with less than this left is refreshed before it is handed out. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** Options of {@link RemoteService}. */
export interface RemoteServiceOptions {
  workspace: Workspace;
  vault: CredentialVault;
  /** Where failures are reported; never given tokens, passwords or document text. */
  log?: (message: string) => void;
  /** Timeout of each HTTP call. */
  timeoutMs?: number;
  /** How close to expiry an access token is refreshed. */
  refreshMarginMs?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

/** One known server as kept in the workspace settings. */
interface StoredServer {
  url: string;
  serverId: string;
  schemaVersion: number;
  hosted: boolean;
}

/** The sign-in state of one server in memory. */
interface Session {
  account: RemoteAccount;
  refreshToken: string;
  /** null until the first refresh after a restart (only the refresh token is persisted). */
  accessToken: string | null;
  expiresAt: number;
  /** When this process received the access token, to size the refresh margin to the token's lifetime. */
  receivedAt: number;
}

const storedServersSchema = z.array(
  z.object({ url: z.string(), serverId: z.string(), schemaVersion: z.number().int(), hosted: z.boolean().optional() }),
);

const vaultEntrySchema = z.object({
  refreshToken: z.string().min(1),
  account: z.object({ name: z.string(), role: z.enum(roles), delegation: z.string().nullable() }),
});

/** The vault key of one server's credentials. */
function vaultKey(url: string): string {
  return `sync-refresh:${url}`;
}

/** Sign-in, tokens and remote documents for every server this workspace knows. */
export class RemoteService {
  readonly #workspace: Workspace;
  readonly #vault: CredentialVault;
  readonly #log: (message: string) => void;
  readonly #client: SyncClientOptions;
  readonly #margin: number;
  readonly #now: () => number;
  /** Sessions loaded from the vault or made by signIn; a missing key means "not looked up yet". */
  readonly #sessions = new Map<string, Session | null>();
  /** One refresh at a time per server: a second caller waits for the first (refresh tokens may rotate). */
  readonly #refreshing = new Map<string, Promise<Session>>();
  /** Bumped by signIn and signOut so a refresh that was under way cannot bring back a session that was replaced. */
  readonly #generation = new Map<string, number>();

  constructor(options: RemoteServiceOptions) {
    this.#workspace = options.workspace;
    this.#vault = options.vault;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#client = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
    this.#margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Whether secrets survive a restart, and why not. */
  get vault(): Pick<CredentialVault, 'persistent' | 'notice'> {
    return { persistent: this.#vault.persistent, notice: this.#vault.notice };
  }

  /** Every known server with who is signed in; reads the vault, never the network. */
  async listServers(): Promise<RemoteServer[]> {
    const servers = this.#stored();
    const out: RemoteServer[] = [];
    for (const server of servers) out.push(this.#describe(server, await this.#session(server.url)));
    return out;
  }

  /** Checks the address answers as a compatible Penholder server and remembers it (idempotent). */
  async addServer(raw: string, options: { hosted?: boolean } = {}): Promise<RemoteServer> {
    const address = parseServerAddress(raw);
    const info = await fetchServerInfo(address, this.#client);
    const servers = this.#stored();
    const existing = servers.find((s) => s.url === address.url);
    const entry: StoredServer = {
      url: address.url,
      serverId: info.serverId,
      schemaVersion: info.schemaVersion,
      hosted: options.hosted ?? existing?.hosted ?? false,
    };
    this.#saveServers([...servers.filter((s) => s.url !== address.url), entry]);
    return this.#describe(entry, await this.#session(address.url));
  }

  /** Forgets a server and this device's credentials for it; documents mirroring it keep their link and content. */
  async removeServer(raw: string): Promise<void> {
    const address = parseServerAddress(raw);
    const servers = this.#stored();
    if (!servers.some((s) => s.url === address.url)) throw notKnown(address);
    await this.signOut(address.url);
    this.#saveServers(servers.filter((s) => s.url !== address.url));
  }

  /** Signs in with a name and password, adding the server if it is new; the refresh token goes to the vault. */
  async signIn(raw: string, name: string, password: string, options: { hosted?: boolean } = {}): Promise<RemoteSession> {
    const address = parseServerAddress(raw);
    const server = await this.addServer(address.url, options);
    const signedIn = await login(address, name, password, this.#client);
    const session = this.#bump(address.url, signedIn);
    await this.#persist(address.url, session);
    return { server: { ...server, account: session.account }, account: session.account, accessToken: signedIn.accessToken, expiresAt: signedIn.expiresAt };
  }

  /** Forgets this device's credentials for a server (idempotent; the server needs no word of it). */
  async signOut(raw: string): Promise<void> {
    const address = parseServerAddress(raw);
    this.#generation.set(address.url, (this.#generation.get(address.url) ?? 0) + 1);
    this.#sessions.set(address.url, null);
    this.#refreshing.delete(address.url);
    await this.#vault.delete(vaultKey(address.url));
  }

  /**
   * An access token with more than the refresh margin left: the cached one, or a fresh one from /api/refresh.
   * 'signed-out' when there are no credentials or the server refuses them; 'unreachable' when the server cannot be
   * reached and the cached token has expired (one that is merely close to expiry is still handed out).
   */
  async getAccessToken(raw: string, options: { forceRefresh?: boolean | undefined } = {}): Promise<RemoteSession> {
    const address = parseServerAddress(raw);
    const server = this.#stored().find((s) => s.url === address.url);
    if (!server) throw new ServiceError('signed-out', `You are not signed in to ${address.url}.`);
    let session = await this.#session(address.url);
    if (!session) throw new ServiceError('signed-out', `You are not signed in to ${address.url}.`);
    if (session.accessToken === null || options.forceRefresh === true || this.#nearExpiry(session)) {
      try {
        session = await this.#refresh(address);
      } catch (error) {
        // A token the server just refused (forceRefresh) is no use, however much time it has left.
        const stillValid = session.accessToken !== null && session.expiresAt > this.#now() && options.forceRefresh !== true;
        if (!(error instanceof ServiceError && error.code === 'unreachable' && stillValid)) throw error;
      }
    }
    return this.#sessionAnswer(server, session);
  }

  /**
   * Whether a token should be refreshed now: inside the margin, or (for a server whose tokens live only a few
   * minutes) past half its lifetime, so a short-lived token is not refreshed on every single call.
   */
  #nearExpiry(session: Session): boolean {
    const left = session.expiresAt - this.#now();
    const margin = Math.min(this.#margin, Math.max(0, (session.expiresAt - session.receivedAt) / 2));
    return left <= margin;
  }

  /** The documents the signed-in account may open on a server, with the local mirror of each if there is one. */
  async listRemoteDocuments(raw: string): Promise<RemoteDocumentSummary[]> {
    const address = parseServerAddress(raw);
    const documents = await this.#withToken(address, (token) => listServerDocuments(address, token, this.#client));
    const out: RemoteDocumentSummary[] = [];
    for (const document of documents) {
      // Ids become Y.Doc names and local links: one this app could not open is left out rather than half-shown.
      if (!documentIdSchema.safeParse(document.id).success) {
        this.#log(`[penholder] ${address.url} listed a document whose id this version cannot use; it is not shown.`);
        continue;
      }
      const localId = this.#workspace.findRemote({ serverUrl: address.url, documentId: document.id })?.id ?? null;
      out.push({ id: document.id, title: usableTitle(document.title), updatedAt: document.updatedAt, localId });
    }
    return out;
  }

  /**
   * The local document mirroring a server document: the existing one (brought back from the trash if it was
   * there, so its log is not lost), or a new empty one linked to it, which the renderer's providers then fill.
   * Needs no network.
   */
  openRemoteDocument(raw: string, documentId: string, title: string): DocumentSummary {
    const address = parseServerAddress(raw);
    if (!this.#stored().some((s) => s.url === address.url)) throw notKnown(address);
    const link = { serverUrl: address.url, documentId };
    const existing = this.#workspace.findRemote(link);
    if (existing) return existing.trashedAt === null ? existing : this.#workspace.restore(existing.id);
    return this.#workspace.create(title, [], { remote: link });
  }

  /**
   * Registers a local document on a server under its own id (the account must be the chair's team) and links it,
   * so the renderer's providers push its Y.Docs. Publishing again to the same server is harmless.
   */
  async publishDocument(id: string, raw: string): Promise<DocumentSummary> {
    const address = parseServerAddress(raw);
    const document = this.#workspace.get(id);
    if (document.trashedAt !== null) throw new ServiceError('invalid-request', 'This document is in the trash; restore it before publishing it.');
    const remote = document.remote;
    if (remote && !(remote.serverUrl === address.url && remote.documentId === id)) {
      throw new ServiceError(
        'invalid-request',
        `This document is already a copy of a document on ${remote.serverUrl}; duplicate it to publish a separate copy.`,
      );
    }
    await this.#withToken(address, (token) => publishServerDocument(address, token, { id, title: document.title }, this.#client));
    return this.#workspace.setRemote(id, { serverUrl: address.url, documentId: id });
  }

  /** Calls the server with an access token; on a 401 refreshes once and tries again. */
  async #withToken<T>(address: ServerAddress, run: (token: string) => Promise<T>): Promise<T> {
    const first = await this.getAccessToken(address.url);
    try {
      return await run(first.accessToken);
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'signed-out')) throw error;
    }
    // The server no longer takes that token (restarted with a new key, or revoked it early): refresh and retry once.
    const second = await this.getAccessToken(address.url, { forceRefresh: true });
    return run(second.accessToken);
  }

  async #refresh(address: ServerAddress): Promise<Session> {
    const running = this.#refreshing.get(address.url);
    if (running) return running;
    const generation = this.#generation.get(address.url) ?? 0;
    const work = (async (): Promise<Session> => {
      const current = await this.#session(address.url);
      if (!current) throw new ServiceError('signed-out', `You are not signed in to ${address.url}.`);
      let signedIn: SignedIn;
      try {
        signedIn = await refresh(address, current.refreshToken, this.#client);
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'signed-out' && (this.#generation.get(address.url) ?? 0) === generation) {
          await this.signOut(address.url);
        }
        throw error;
      }
      if ((this.#generation.get(address.url) ?? 0) !== generation) {
        throw new ServiceError('signed-out', `You signed out of ${address.url}.`);
      }
      const session = this.#toSession(signedIn);
      this.#sessions.set(address.url, session);
      if (signedIn.refreshToken !== current.refreshToken) await this.#persist(address.url, session);
      return session;
    })();
    this.#refreshing.set(address.url, work);
    try {
      return await work;
    } finally {
      if (this.#refreshing.get(address.url) === work) this.#refreshing.delete(address.url);
    }
  }

  /** Records a fresh sign-in as the server's session, superseding any refresh under way. */
  #bump(url: string, signedIn: SignedIn): Session {
    this.#generation.set(url, (this.#generation.get(url) ?? 0) + 1);
    this.#refreshing.delete(url);
    const session = this.#toSession(signedIn);
    this.#sessions.set(url, session);
    return session;
  }

  /** Writes the refresh token and account to the vault; a failing vault leaves the sign-in working in memory. */
  async #persist(url: string, session: Session): Promise<void> {
    try {
      await this.#vault.set(vaultKey(url), JSON.stringify({ refreshToken: session.refreshToken, account: session.account }));
    } catch (error) {
      this.#log(`[penholder] the sign-in to ${url} could not be saved (${error instanceof Error ? error.message : String(error)}); it lasts until the app quits.`);
    }
  }

  #toSession(signedIn: SignedIn): Session {
    const { account, refreshToken, accessToken, expiresAt } = signedIn;
    return { account, refreshToken, accessToken, expiresAt, receivedAt: this.#now() };
  }

  async #session(url: string): Promise<Session | null> {
    const cached = this.#sessions.get(url);
    if (cached !== undefined) return cached;
    let session: Session | null = null;
    try {
      const text = await this.#vault.get(vaultKey(url));
      if (text !== null) {
        const parsed = vaultEntrySchema.safeParse(JSON.parse(text));
        if (parsed.success) session = { account: parsed.data.account, refreshToken: parsed.data.refreshToken, accessToken: null, expiresAt: 0, receivedAt: 0 };
      }
    } catch (error) {
      this.#log(`[penholder] the saved sign-in to ${url} could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
    // A concurrent signIn or signOut may have decided meanwhile: theirs wins.
    const now = this.#sessions.get(url);
    if (now !== undefined) return now;
    this.#sessions.set(url, session);
    return session;
  }

  #sessionAnswer(server: StoredServer, session: Session): RemoteSession {
    if (session.accessToken === null) throw new ServiceError('signed-out', `You are not signed in to ${server.url}.`);
    return { server: this.#describe(server, session), account: session.account, accessToken: session.accessToken, expiresAt: session.expiresAt };
  }

  #describe(server: StoredServer, session: Session | null): RemoteServer {
    const address = parseServerAddress(server.url);
    return {
      url: address.url,
      wsUrl: address.wsUrl,
      serverId: server.serverId,
      schemaVersion: server.schemaVersion,
      account: session ? { ...session.account } : null,
      credentialsPersist: this.#vault.persistent,
      hosted: server.hosted,
    };
  }

  #stored(): StoredServer[] {
    const text = this.#workspace.getSetting(SYNC_SERVERS_SETTING);
    if (text === null) return [];
    let parsed: z.infer<typeof storedServersSchema>;
    try {
      const checked = storedServersSchema.safeParse(JSON.parse(text));
      if (!checked.success) throw checked.error;
      parsed = checked.data;
    } catch {
      this.#log('[penholder] the list of sync servers in the workspace settings could not be read; it starts empty.');
      return [];
    }
    const out: StoredServer[] = [];
    for (const entry of parsed) {
      const address = tryParseServerAddress(entry.url);
      if (address && !out.some((s) => s.url === address.url)) {
        out.push({ url: address.url, serverId: entry.serverId, schemaVersion: entry.schemaVersion, hosted: entry.hosted ?? false });
      }
    }
    return out;
  }

  #saveServers(servers: StoredServer[]): void {
    this.#workspace.setSetting(SYNC_SERVERS_SETTING, JSON.stringify(servers));
  }
}


function notKnown(address: ServerAddress): ServiceError {
  return new ServiceError('not-found', `${address.url} is not among your servers; add it (or sign in to it) first.`);
}

/** A server's title as a local document title: trimmed, bounded, never empty. */
function usableTitle(title: string): string {
  const parsed = documentTitleSchema.safeParse(title);
  if (parsed.success) return parsed.data;
  const trimmed = title.trim().slice(0, MAX_TITLE_LENGTH).trim();
  return trimmed.length > 0 ? trimmed : 'Untitled document';
}
