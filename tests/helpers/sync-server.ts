/**
 * The sync server test harness: a real server in the test process (startSyncServer on 127.0.0.1 port 0 in a
 * temporary data folder) or as a child process (the `serve --json` CLI), accounts through the account store or the
 * CLI, sign-in over HTTP, @hocuspocus/provider clients on real sockets, and raw protocol clients
 * (raw-sync-client.ts) that send exactly the bytes a test chooses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { startSyncServer } from '../../main/server/index.ts';
import type { Account, RunningSyncServer, SyncLogEntry, SyncServerOptions, SyncStore } from '../../main/server/api.ts';
import type { SignIn } from '../../main/server/tokens.ts';
import type { Role } from '../../shared/sync.ts';
import { RawSyncClient, syncSocketUrl, type RawConnectOptions } from './raw-sync-client.ts';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The sync server's command line (`serve`, `user`, `doc`). */
export const SERVER_CLI = join(repoRoot, 'main', 'server', 'cli.ts');

/** A fresh temporary folder; remove it with {@link removeDir}. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `penholder-${prefix}-`));
}

/** Removes a temporary folder and everything in it. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs` naming `what`. */
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The password {@link TestServer.account} gives an account unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery';

/** An account to create for a test. */
export interface TestAccount {
  readonly name: string;
  readonly password: string;
  readonly role: Role;
  readonly delegation?: string | null;
  /** Ids of the documents granted to it ('*' for all); none when left out. */
  readonly documents?: readonly string[];
}

/** Creates accounts through the running server's account store. */
export function addAccounts(server: RunningSyncServer, accounts: readonly TestAccount[]): Account[] {
  return accounts.map((account) =>
    server.accounts.add({
      name: account.name,
      password: account.password,
      role: account.role,
      delegation: account.delegation ?? null,
      documents: [...(account.documents ?? [])],
    }),
  );
}

/** Signs in over HTTP (POST /api/login) and returns the session; throws with the server's answer otherwise. */
export async function login(httpUrl: string, name: string, password: string): Promise<SignIn> {
  const response = await fetch(new URL('/api/login', httpUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`login ${name}: HTTP ${response.status} ${body}`);
  return JSON.parse(body) as SignIn;
}

/** A server running inside the test process, with what it logged and the clients opened through it. */
export interface TestServer {
  readonly server: RunningSyncServer;
  readonly dataDir: string;
  readonly logs: SyncLogEntry[];
  /**
   * Closes every client opened through this object, then the server, and deletes the data folder if
   * {@link startTestServer} made it (one passed in stays, so a test can restart on it). Safe to call twice.
   */
  close(): Promise<void>;
  /** Adds an account with {@link TEST_PASSWORD}, granted every document unless `options.documents` says otherwise. */
  account(name: string, role: Role, options?: { delegation?: string; documents?: string[]; password?: string }): Account;
  /** Signs in over HTTP with {@link TEST_PASSWORD} unless another password is given. */
  signIn(name: string, password?: string): Promise<SignIn>;
  /** Opens a provider on this server (see {@link openProvider}); closed with the server. */
  provider(options: Omit<ProviderOptions, 'url'> & { readonly url?: string }): TestProvider;
  /** Opens a provider socket on this server that several providers can share; closed with the server. */
  socket(): HocuspocusProviderWebsocket;
  /**
   * Opens a raw protocol client on this server; closed with the server. Unless `options` say otherwise it sends
   * only what the test sends: it answers neither the server's Ping nor its SyncStep1.
   */
  raw(options?: RawConnectOptions): Promise<RawSyncClient>;
}

/** Starts startSyncServer on 127.0.0.1 port 0 over `options.dataDir` (a fresh temp folder by default), logging to memory. */
export async function startTestServer(options: Partial<SyncServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir('server');
  const logs: SyncLogEntry[] = [];
  const server = await startSyncServer({
    ...options,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    log: (entry) => {
      logs.push(entry);
      options.log?.(entry);
    },
  });
  const providers: TestProvider[] = [];
  const sockets: HocuspocusProviderWebsocket[] = [];
  const raws: RawSyncClient[] = [];
  let closed = false;
  return {
    server,
    dataDir,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      for (const provider of providers) provider.destroy();
      for (const socket of sockets) socket.destroy();
      await Promise.all(raws.map((raw) => raw.close()));
      await server.close();
      if (options.dataDir === undefined) removeDir(dataDir);
    },
    account(name, role, extra = {}) {
      const [account] = addAccounts(server, [{ name, role, password: extra.password ?? TEST_PASSWORD, delegation: extra.delegation, documents: extra.documents ?? ['*'] }]);
      return account as Account;
    },
    signIn(name, password = TEST_PASSWORD) {
      return login(server.httpUrl, name, password);
    },
    provider(providerOptions) {
      const provider = openProvider({ url: server.url, ...providerOptions });
      providers.push(provider);
      return provider;
    },
    socket() {
      const socket = openProviderSocket({ url: server.url });
      sockets.push(socket);
      return socket;
    },
    async raw(rawOptions = {}) {
      const raw = await RawSyncClient.connect(server.url, { answerStep1: false, answerPing: false, ...rawOptions });
      raws.push(raw);
      return raw;
    },
  };
}

/** A sync server running as a child process (`node main/server/cli.ts serve --json`). */
export interface ChildServer {
  readonly url: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the child wrote on stderr so far (its JSON log lines). */
  stderr(): string;
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the child with `signal` (SIGKILL for a crash) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns `serve --json --data DIR --port P` and waits for its `listening` line. */
export async function spawnServer(dataDir: string, options: { port?: number; timeoutMs?: number; extraArgs?: readonly string[] } = {}): Promise<ChildServer> {
  const args = [SERVER_CLI, 'serve', '--json', '--data', dataDir, '--port', String(options.port ?? 0), ...(options.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.setEncoding('utf8');
  const listening = await new Promise<{ url: string; httpUrl: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not print its listening line within ${options.timeoutMs ?? 20_000} ms; stderr:\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        try {
          const event = JSON.parse(line) as { event?: string; url?: string; httpUrl?: string; port?: number };
          if (event.event === 'listening' && event.url && event.httpUrl && typeof event.port === 'number') {
            clearTimeout(timer);
            resolve({ url: event.url, httpUrl: event.httpUrl, port: event.port });
            return;
          }
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`));
    });
  });
  return {
    ...listening,
    child,
    stderr: () => stderr,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The outcome of one CLI run. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node main/server/cli.ts ...args`, feeding `stdin` (e.g. a password for --password-stdin). */
export async function runCli(args: readonly string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [SERVER_CLI, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  const status = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { status, stdout, stderr };
}

/** Creates an account with the CLI (`user add`), failing loudly if the CLI refuses. */
export async function addAccountCli(dataDir: string, account: TestAccount): Promise<void> {
  const args = ['user', 'add', account.name, '--role', account.role];
  if (account.delegation) args.push('--delegation', account.delegation);
  for (const id of account.documents ?? []) args.push('--doc', id);
  args.push('--password-stdin', '--data', dataDir);
  const result = await runCli(args, { stdin: `${account.password}\n` });
  if (result.status !== 0) throw new Error(`user add ${account.name} exited ${result.status}: ${result.stderr}${result.stdout}`);
}

/** Registers a negotiated document with the CLI (`doc add`). */
export async function addDocumentCli(dataDir: string, id: string, title: string): Promise<void> {
  const result = await runCli(['doc', 'add', id, '--title', title, '--data', dataDir]);
  if (result.status !== 0) throw new Error(`doc add ${id} exited ${result.status}: ${result.stderr}${result.stdout}`);
}

/**
 * `ws` as the provider's WebSocket, with an 'error' listener always attached: the provider removes its own
 * listeners before closing a socket that is still connecting, and `ws` would then throw the close as an
 * unhandled 'error'.
 */
export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}

/** How a provider socket connects. */
export interface ProviderSocketOptions {
  /** The server's ws URL; the schema parameter is added. */
  readonly url: string;
  /** The schema version to announce (a string for a malformed one); null leaves the parameter out. */
  readonly schemaVersion?: number | string | null;
  /** False to open it later with connect(). */
  readonly connect?: boolean;
  /**
   * Reconnect within 100 ms to 1 s instead of after the provider's own back-off (1 s, doubling up to 30 s): for
   * tests that restart servers and wait for their clients to come back.
   */
  readonly quickReconnect?: boolean;
}

/** Opens a provider socket in Node (`ws` as the WebSocket), which one or several providers attach to. */
export function openProviderSocket(options: ProviderSocketOptions): HocuspocusProviderWebsocket {
  return new HocuspocusProviderWebsocket({
    url: syncSocketUrl(options.url, options.schemaVersion),
    WebSocketPolyfill: NodeWebSocket,
    autoConnect: options.connect ?? true,
    ...(options.quickReconnect ? { delay: 100, minDelay: 100, maxDelay: 1_000 } : {}),
  });
}

/** Options of {@link openProvider}. */
export interface ProviderOptions extends ProviderSocketOptions {
  /** The Y.Doc name, `<docId>/text|chair|d/<CODE>`. */
  readonly docName: string;
  /** An access token from POST /api/login. */
  readonly token: string;
  readonly doc?: Y.Doc;
  /**
   * The awareness to send: none by default (false), as a client must for a Y.Doc it may only read, since the
   * server closes (4403) a read-only connection that sends awareness; true for one of the provider's own.
   */
  readonly awareness?: Awareness | boolean;
  /** A socket to share with other providers (its own otherwise; then the socket options apply). */
  readonly socket?: HocuspocusProviderWebsocket;
}

/** A provider with what it observed: stateless messages, authentication failures and socket closes. */
export interface TestProvider {
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly doc: Y.Doc;
  /** Payloads of the stateless messages the server sent on this Y.Doc. */
  readonly stateless: string[];
  /** Reasons of authentication failures. */
  readonly authFailures: string[];
  /** Close events the socket reported. */
  readonly closes: Array<{ code: number; reason: string }>;
  /** Waits until authenticated and synced with no unacknowledged change; throws on an authentication failure. */
  whenSynced(timeoutMs?: number): Promise<void>;
  /** Opens (or reopens) the socket. */
  connect(): Promise<void>;
  /** Closes the socket and stops reconnecting; the provider keeps its Y.Doc and queues its changes. */
  disconnect(): void;
  /** Destroys the provider, and its socket unless that was shared. */
  destroy(): void;
}

/** Opens a HocuspocusProvider in Node on `docName` with an access token. */
export function openProvider(options: ProviderOptions): TestProvider {
  const doc = options.doc ?? new Y.Doc();
  const socket = options.socket ?? openProviderSocket(options);
  const stateless: string[] = [];
  const authFailures: string[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  socket.on('close', ({ event }: { event: { code: number; reason: string } }) => closes.push({ code: event.code, reason: event.reason }));
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: options.docName,
    document: doc,
    token: options.token,
    // Left undefined, the provider makes an awareness of its own.
    awareness: options.awareness === true ? undefined : options.awareness || null,
    onStateless: ({ payload }) => stateless.push(payload),
    onAuthenticationFailed: ({ reason }) => authFailures.push(reason),
  });
  provider.attach();
  return {
    provider,
    socket,
    doc,
    stateless,
    authFailures,
    closes,
    async whenSynced(timeoutMs = 20_000) {
      await waitUntil(
        () => {
          if (authFailures.length > 0) throw new Error(`${options.docName}: authentication failed: ${authFailures.join('; ')}`);
          return provider.isAuthenticated && provider.synced && provider.unsyncedChanges === 0;
        },
        `${options.docName} to be synced`,
        timeoutMs,
      ).catch((error: unknown) => {
        const state = { status: socket.status, authenticated: provider.isAuthenticated, synced: provider.synced, unsyncedChanges: provider.unsyncedChanges, closes };
        throw new Error(`${(error as Error).message} (provider: ${JSON.stringify(state)})`, { cause: error });
      });
    },
    async connect() {
      await socket.connect();
    },
    disconnect() {
      socket.disconnect();
    },
    destroy() {
      provider.destroy();
      if (!options.socket) socket.destroy();
    },
  };
}

/** A Y.Doc holding what `store` has for `docName`: the server's store, or another one reading the same data. */
export async function storedDoc(store: Pick<SyncStore, 'load'>, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await store.load(docName));
  return doc;
}

/** Types `text` into the Y.Doc's `prosemirror` fragment, one transaction per character, like a typist. */
export function typeInto(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment('prosemirror');
  let paragraph = fragment.get(0) as Y.XmlElement | undefined;
  if (!paragraph) {
    doc.transact(() => {
      paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      fragment.insert(0, [paragraph]);
    });
  }
  const content = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  for (const char of text) content.insert(content.length, char);
}

/** The text of the first paragraph typed with {@link typeInto}. */
export function typedText(doc: Y.Doc): string {
  const paragraph = doc.getXmlFragment('prosemirror').get(0) as Y.XmlElement | undefined;
  const content = paragraph?.get(0) as Y.XmlText | undefined;
  return content?.toString() ?? '';
}
