/**
 * Sync server test harness: a real server in-process (startSyncServer on a temp data folder) or as a child process
 * (the `serve --json` CLI), accounts and documents through the API or the CLI, sign-in over HTTP, and
 * @hocuspocus/provider clients on real sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { startSyncServer } from '../../main/server/index.ts';
import type { RunningSyncServer, SyncLogEntry, SyncServerOptions } from '../../main/server/api.ts';
import type { Role } from '../../shared/sync.ts';
import { syncSocketUrl } from './raw-sync-client.ts';
import { NodeWebSocket } from '../../main/server/test-support.ts';

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
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A server running inside the test process, with the structured log entries it wrote. */
export interface InProcessServer {
  readonly server: RunningSyncServer;
  readonly dataDir: string;
  readonly logs: SyncLogEntry[];
  /** Closes the server (the data folder stays, so a test can restart on it). */
  close(): Promise<void>;
}

/** Starts startSyncServer on 127.0.0.1 port 0 over `dataDir` (a fresh temp folder by default), logging to memory. */
export async function startTestServer(options: Partial<SyncServerOptions> = {}): Promise<InProcessServer> {
  const dataDir = options.dataDir ?? tempDir('sync');
  const logs: SyncLogEntry[] = [];
  const server = await startSyncServer({ host: '127.0.0.1', port: 0, log: (entry) => logs.push(entry), ...options, dataDir });
  let closed = false;
  return {
    server,
    dataDir,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}

/** An account to create for a test. */
export interface TestAccount {
  readonly name: string;
  readonly password: string;
  readonly role: Role;
  readonly delegation?: string | null;
  /** Ids of the documents granted to it. */
  readonly documents?: readonly string[];
}

/** Creates accounts through the running server's account store. */
export function addAccounts(server: RunningSyncServer, accounts: readonly TestAccount[]): void {
  for (const account of accounts) {
    server.accounts.add({
      name: account.name,
      password: account.password,
      role: account.role,
      delegation: account.delegation ?? null,
      documents: account.documents ?? [],
    });
  }
}

/** What POST /api/login answers. */
export interface LoginSession {
  readonly token: string;
  readonly refreshToken: string;
  readonly expiresAt: string;
  readonly account: { readonly name: string; readonly role: Role; readonly delegation: string | null };
}

/** Signs in over HTTP (POST /api/login) and returns the session; throws with the server's error otherwise. */
export async function login(httpUrl: string, name: string, password: string): Promise<LoginSession> {
  const response = await fetch(new URL('/api/login', httpUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const body = (await response.json()) as unknown;
  if (response.status !== 200) throw new Error(`login ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body as LoginSession;
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

/** A provider on its own socket, with what it observed (closes, auth failures, acknowledgements). */
export interface TestProvider {
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly doc: Y.Doc;
  /** Close events the socket reported. */
  readonly closes: Array<{ code: number; reason: string }>;
  /** Reasons of authentication failures. */
  readonly authFailures: string[];
  /** Waits until authenticated and synced with no unacknowledged change. */
  whenSynced(timeoutMs?: number): Promise<void>;
  /** Opens (or reopens) the socket. */
  connect(): Promise<void>;
  /** Closes the socket and stops reconnecting; the provider keeps its Y.Doc and queues its changes. */
  disconnect(): void;
  destroy(): void;
}

/** Opens a HocuspocusProvider on its own ws socket (schema parameter set) on `docName` with an access token. */
export function openProvider(options: {
  url: string;
  docName: string;
  token: string;
  doc?: Y.Doc;
  connect?: boolean;
  /**
   * False for a Y.Doc the account may only read: the server closes (4403) a read-only connection that sends
   * awareness, and a default provider announces its (empty) awareness state on every connect.
   */
  awareness?: boolean;
}): TestProvider {
  const doc = options.doc ?? new Y.Doc();
  const closes: Array<{ code: number; reason: string }> = [];
  const authFailures: string[] = [];
  const socket = new HocuspocusProviderWebsocket({
    url: syncSocketUrl(options.url),
    WebSocketPolyfill: NodeWebSocket,
    autoConnect: options.connect ?? true,
    // Reconnect quickly: the tests restart servers and expect the providers to come back.
    delay: 100,
    minDelay: 100,
    maxDelay: 1_000,
    onClose: ({ event }) => {
      closes.push({ code: event.code, reason: event.reason });
    },
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: options.docName,
    document: doc,
    token: options.token,
    ...(options.awareness === false ? { awareness: null } : {}),
    onAuthenticationFailed: ({ reason }) => {
      authFailures.push(reason);
    },
  });
  provider.attach();
  return {
    provider,
    socket,
    doc,
    closes,
    authFailures,
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
        throw new Error(`${(error as Error).message} (provider: ${JSON.stringify(state)})`);
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
      socket.destroy();
    },
  };
}

/** A small seeded generator (mulberry32), so a failing randomized run can be replayed from the seed it prints. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
