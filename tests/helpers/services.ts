/**
 * Redis and PostgreSQL for the scale-out tests: taken from PENHOLDER_TEST_REDIS / PENHOLDER_TEST_POSTGRES when set
 * (CI exports them from start-services.sh), otherwise started here by that same script. A test never skips for
 * want of a service: when they cannot start, it fails with the script's message.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Where the running test services are. */
export interface TestServices {
  readonly redis: { readonly host: string; readonly port: number };
  /** postgres://postgres@127.0.0.1:<port>/penholder_test */
  readonly postgresUrl: string;
}

/** The script that starts both services on 127.0.0.1 (idempotent). */
export const START_SERVICES_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'start-services.sh');

let started: Promise<TestServices> | undefined;

/** The test Redis and PostgreSQL, started by start-services.sh unless the environment already names them. */
export function ensureServices(): Promise<TestServices> {
  started ??= locateServices();
  return started;
}

async function locateServices(): Promise<TestServices> {
  let redis = process.env.PENHOLDER_TEST_REDIS;
  let postgresUrl = process.env.PENHOLDER_TEST_POSTGRES;
  if (!redis || !postgresUrl) {
    const exported = parseExports(await runStartScript());
    redis = exported.PENHOLDER_TEST_REDIS;
    postgresUrl = exported.PENHOLDER_TEST_POSTGRES;
    if (!redis || !postgresUrl) throw new Error(`${START_SERVICES_SCRIPT} did not print PENHOLDER_TEST_REDIS and PENHOLDER_TEST_POSTGRES`);
    // Child processes (server CLIs) started by the same test run find them too.
    process.env.PENHOLDER_TEST_REDIS = redis;
    process.env.PENHOLDER_TEST_POSTGRES = postgresUrl;
  }
  const match = /^([^:]+):(\d+)$/.exec(redis);
  if (!match) throw new Error(`PENHOLDER_TEST_REDIS must be HOST:PORT, not "${redis}"`);
  const services: TestServices = { redis: { host: match[1] as string, port: Number(match[2]) }, postgresUrl };
  await checkPostgres(services.postgresUrl);
  return services;
}

function runStartScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [START_SERVICES_SCRIPT], { timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`Could not start Redis and PostgreSQL for the tests (${START_SERVICES_SCRIPT}):\n${stderr || error.message}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** `export NAME=value` lines, as start-services.sh prints them. */
function parseExports(stdout: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1] as string] = match[2] as string;
  }
  return values;
}

async function checkPostgres(url: string): Promise<void> {
  try {
    await adminQuery(url, 'SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at ${url} does not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** A PostgreSQL schema of its own for one test: its connection string (search_path set to it) and its removal. */
export interface TestSchema {
  readonly name: string;
  /** The test database's URL with `options=-c search_path=<name>`, so every table lands in this schema. */
  readonly url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Creates an empty schema named after `label` plus random letters, so parallel and repeated runs never meet. */
export async function createTestSchema(postgresUrl: string, label: string): Promise<TestSchema> {
  const name = `t_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(postgresUrl, `CREATE SCHEMA ${name}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { name, url: url.toString(), drop: () => adminQuery(postgresUrl, `DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

/** A unique Redis key prefix for one test, so two runs sharing the Redis never read each other's channels. */
export function uniqueRedisPrefix(label: string): string {
  return `penholder-test:${label}:${randomBytes(4).toString('hex')}`;
}

async function adminQuery(postgresUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A Redis of one test's own (a child process on a free port), which the test may stop and start again. */
export interface PrivateRedis {
  readonly host: string;
  readonly port: number;
  /** Stops it at once (SIGKILL, like a crash) and waits for the exit; what it held is gone (it persists nothing). */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
}

/** Starts a non-persistent redis-server on 127.0.0.1 on a free port, for tests that take Redis away. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async (): Promise<void> => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr || 'no answer'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      child?.kill('SIGKILL');
      await exited;
      child = null;
    },
    start,
  };
}

/** A TCP port nothing listens on right now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING on 127.0.0.1:port (RESP inline command, so no client library is needed). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
