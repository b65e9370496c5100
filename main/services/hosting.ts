/**
 * "Host a session on this computer": the sync server (main/server) run inside this process, with its data under
 * the workspace, the host signed in as chair, and accounts the host creates for the delegations in the room.
 *
 * It listens on 127.0.0.1 unless the host picks one of this computer's addresses (the room's network); never on
 * every interface at once, so a session is not exposed on a network nobody chose.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { HostedAccount, HostingStatus, NetworkInterfaceInfo, RemoteAccount } from '../../shared/ipc.ts';
import type { Account, RunningSyncServer, SyncLogEntry, SyncServerOptions } from '../server/api.ts';
import type { Workspace } from '../storage/index.ts';
import { ServiceError } from './errors.ts';
import type { RemoteService } from './remote.ts';
import { HOSTING_ACCOUNT_SETTING, HOSTING_PORT_SETTING } from './settings.ts';

/** The host's chair account name when none was chosen. */
export const DEFAULT_HOST_ACCOUNT = 'Chair';

/** The folder inside the workspace that holds the hosted server's accounts, key and documents. */
export const HOSTING_DIR = 'hosting';

/** Starts a sync server; main/server's startSyncServer unless a test supplies another. */
export type StartSyncServer = (options: SyncServerOptions) => Promise<RunningSyncServer>;

/** Options of {@link HostingService}. */
export interface HostingServiceOptions {
  workspace: Workspace;
  remote: RemoteService;
  log?: (message: string) => void;
  /** Defaults to main/server's startSyncServer, loaded when hosting first starts. */
  startServer?: StartSyncServer;
}

/** What startHosting asks for, already validated by shared/ipc.ts. */
export interface HostingRequest {
  bindAddress?: string | undefined;
  port?: number | undefined;
  hostName?: string | undefined;
}

interface Running {
  server: RunningSyncServer;
  bindAddress: string;
  port: number;
  serverUrl: string;
  hostAccount: string;
}

/** This machine's addresses, loopback first, then IPv4 before IPv6; link-local IPv6 (needs a zone) left out. */
export function listNetworkInterfaces(): NetworkInterfaceInfo[] {
  const out: NetworkInterfaceInfo[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const info of addresses ?? []) {
      if (info.family === 'IPv6' && info.scopeid !== undefined && info.scopeid !== 0) continue;
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      out.push({ name, address: info.address, family: info.family, internal: info.internal });
    }
  }
  const rank = (i: NetworkInterfaceInfo): number => (i.internal ? 0 : 2) + (i.family === 'IPv4' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.address.localeCompare(b.address));
}

/** A password a person can read aloud or copy: 4 groups of 5 from 31 unambiguous characters (about 99 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += alphabet[randomInt(alphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** The hosted session of this app: at most one server at a time; start and stop run one after the other. */
export class HostingService {
  readonly #workspace: Workspace;
  readonly #remote: RemoteService;
  readonly #log: (message: string) => void;
  readonly #startServer: StartSyncServer | undefined;
  #running: Running | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: HostingServiceOptions) {
    this.#workspace = options.workspace;
    this.#remote = options.remote;
    this.#log = options.log ?? ((message) => console.error(message));
    this.#startServer = options.startServer;
  }

  /** The folder holding the hosted server's data. */
  get dataDir(): string {
    return path.join(this.#workspace.dir, HOSTING_DIR);
  }

  /** Whether a session is hosted, where, and its accounts. */
  status(): HostingStatus {
    const running = this.#running;
    if (!running) return { running: false, bindAddress: null, port: null, serverUrl: null, addresses: [], hostAccount: null, accounts: [] };
    return {
      running: true,
      bindAddress: running.bindAddress,
      port: running.port,
      serverUrl: running.serverUrl,
      addresses: [running.serverUrl],
      hostAccount: running.hostAccount,
      accounts: running.server.accounts.list().map(toHostedAccount),
    };
  }

  /** Starts hosting (or answers the status when already hosting at that address) and signs the host in as chair. */
  start(request: HostingRequest): Promise<HostingStatus> {
    return this.#serially(() => this.#start(request));
  }

  /** Stops the hosted server and frees its port; idempotent. */
  stop(): Promise<HostingStatus> {
    return this.#serially(async () => {
      await this.#stopNow();
      return this.status();
    });
  }

  /** Adds an account on the hosted server, granted every document; generates a password when none is given. */
  addAccount(request: { name: string; role: RemoteAccount['role']; delegation?: string | null | undefined; password?: string | undefined }): {
    account: HostedAccount;
    password: string;
  } {
    const running = this.#running;
    if (!running) throw new ServiceError('not-found', 'You are not hosting a session; start hosting first.');
    const accounts = running.server.accounts;
    if (accounts.get(request.name)) throw new ServiceError('invalid-request', `An account named "${request.name}" already exists on your session.`);
    const password = request.password ?? generatePassword();
    let account: Account;
    try {
      account = accounts.add({
        name: request.name,
        password,
        role: request.role,
        delegation: request.role === 'delegation' ? (request.delegation ?? null) : null,
        documents: ['*'],
      });
    } catch (error) {
      throw new ServiceError('invalid-request', `The account could not be created: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return { account: toHostedAccount(account), password };
  }

  /** Stops hosting when the app or web host shuts down. */
  async close(): Promise<void> {
    await this.stop();
  }

  async #start(request: HostingRequest): Promise<HostingStatus> {
    const bindAddress = checkBindAddress(request.bindAddress ?? '127.0.0.1');
    const running = this.#running;
    if (running) {
      if (running.bindAddress === bindAddress && (request.port === undefined || request.port === running.port)) return this.status();
      throw new ServiceError('invalid-request', `You are already hosting at ${running.serverUrl}; stop hosting before starting at another address.`);
    }
    const remembered = Number(this.#workspace.getSetting(HOSTING_PORT_SETTING));
    const port = request.port ?? (Number.isInteger(remembered) && remembered > 0 && remembered <= 65535 ? remembered : 0);
    const server = await this.#listen(bindAddress, port, request.port === undefined);
    try {
      const hostAccount = request.hostName ?? this.#workspace.getSetting(HOSTING_ACCOUNT_SETTING) ?? DEFAULT_HOST_ACCOUNT;
      const password = prepareHostAccount(server, hostAccount);
      const serverUrl = `http://${isIP(bindAddress) === 6 ? `[${bindAddress}]` : bindAddress}:${server.port}`;
      await this.#remote.signIn(serverUrl, hostAccount, password, { hosted: true });
      this.#workspace.setSetting(HOSTING_PORT_SETTING, String(server.port));
      this.#workspace.setSetting(HOSTING_ACCOUNT_SETTING, hostAccount);
      this.#running = { server, bindAddress, port: server.port, serverUrl, hostAccount };
    } catch (error) {
      await server.close().catch(() => {});
      throw error;
    }
    return this.status();
  }

  /** Starts the server; a remembered port that is now taken falls back to any free one. */
  async #listen(bindAddress: string, port: number, portWasRemembered: boolean): Promise<RunningSyncServer> {
    const start = this.#startServer ?? (await import('../server/index.ts')).startSyncServer;
    const options = (p: number): SyncServerOptions => ({ dataDir: this.dataDir, host: bindAddress, port: p, log: (entry) => this.#serverLog(entry) });
    try {
      return await start(options(port));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'EADDRINUSE' && portWasRemembered && port !== 0) return this.#listenOrExplain(start, options(0), bindAddress, 0);
      throw explainListenError(error, bindAddress, port);
    }
  }

  async #listenOrExplain(start: StartSyncServer, options: SyncServerOptions, bindAddress: string, port: number): Promise<RunningSyncServer> {
    try {
      return await start(options);
    } catch (error) {
      throw explainListenError(error, bindAddress, port);
    }
  }

  async #stopNow(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    try {
      await running.server.close();
    } catch (error) {
      this.#log(`[penholder] the hosted session did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The hosted server's log: warnings and errors go to the app's log; routine entries are dropped. */
  #serverLog(entry: SyncLogEntry): void {
    if (entry.level === 'info') return;
    const facts = Object.entries(entry)
      .filter(([key]) => key !== 'time' && key !== 'level' && key !== 'event')
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    this.#log(`[penholder] hosted session ${entry.level}: ${entry.event}${facts ? ` (${facts})` : ''}`);
  }

  #serially<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }
}

/** Creates (or resets the password of) the host's chair account; the password lives only until sign-in. */
function prepareHostAccount(server: RunningSyncServer, name: string): string {
  const accounts = server.accounts;
  const password = generatePassword();
  const existing = accounts.get(name);
  if (!existing) {
    accounts.add({ name, password, role: 'chair', delegation: null, documents: ['*'] });
    return password;
  }
  if (existing.role !== 'chair') {
    throw new ServiceError('invalid-request', `Your session already has a ${existing.role} account named "${name}"; choose another name for yourself.`);
  }
  accounts.resetPassword(name, password);
  if (existing.disabled) accounts.enable(name);
  if (!existing.documents.includes('*')) accounts.grant(name, '*');
  return password;
}

/** Only loopback or an address of one of this computer's interfaces; never a wildcard. */
function checkBindAddress(address: string): string {
  const family = isIP(address);
  if (family === 0) throw new ServiceError('invalid-request', `"${address}" is not an IP address; choose one from the list of this computer's addresses.`);
  if (address === '0.0.0.0' || address === '::' || /^0+(\.0+){3}$/.test(address)) {
    throw new ServiceError(
      'invalid-request',
      "Choose one address: listening on every network at once would open the session to networks you did not pick.",
    );
  }
  if (address === '127.0.0.1' || address === '::1') return address;
  const known = listNetworkInterfaces().some((i) => i.address.toLowerCase() === address.toLowerCase());
  if (!known) throw new ServiceError('invalid-request', `${address} is not an address of this computer (its network may have changed); choose one from the list.`);
  return address;
}

function explainListenError(error: unknown, bindAddress: string, port: number): ServiceError {
  if (error instanceof ServiceError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    return new ServiceError('address-in-use', `Port ${port} on ${bindAddress} is already in use by another program; choose another port, or leave it empty.`);
  }
  if (code === 'EADDRNOTAVAIL') return new ServiceError('invalid-request', `${bindAddress} is not an address of this computer any more; choose another.`);
  if (code === 'EACCES') {
    return new ServiceError('address-in-use', `This computer does not allow Penholder to listen on port ${port}; choose a port above 1024, or leave it empty.`);
  }
  return new ServiceError('internal', `The session could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function toHostedAccount(account: Account): HostedAccount {
  return { name: account.name, role: account.role, delegation: account.delegation, disabled: account.disabled };
}
