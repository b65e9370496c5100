/**
 * `npm run server -- <command>`: runs the Penholder sync server and administers its accounts and documents.
 * Run with --help for the commands and examples.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { roles } from '../../shared/sync.ts';
import type { Role } from '../../shared/sync.ts';
import { AccountError, ALL_DOCUMENTS, checkAccount, MIN_PASSWORD_LENGTH, SqliteAccountStore } from './accounts.ts';
import type { Account, SyncServerOptions, SyncStore } from './api.ts';
import { startSyncServer } from './index.ts';
import { SqliteSyncStore } from './store-sqlite.ts';
import { LOGIN_THROTTLE_DEFAULTS as THROTTLE, parseTrustedProxies } from './throttle.ts';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '../../shared/export/formats.ts';

/** Defaults of `serve` (and of --data for every command). */
export const CLI_DEFAULTS = { data: './penholder-server-data', host: '127.0.0.1', port: 8470 } as const;

/** An error the user caused: printed as one sentence, exit code 1, no stack. */
class UsageError extends Error {}

const HELP = `Penholder sync server

Usage: npm run server -- <command> [options]

Commands:
  serve                         Run the server
  user add <name> --role ROLE   Add an account (the password is read from stdin or prompted)
  user list                     List the accounts
  user disable <name>           Disable an account (its open connections are closed)
  user enable <name>            Enable a disabled account
  user reset-password <name>    Set a new password (signs the account out everywhere)
  doc add <id> --title TITLE    Register (publish) a negotiated document
  doc grant <name> <docId>      Let an account open a document (* = every document)
  doc revoke <name> <docId>     Take that back
  export --doc ID --kind K --format F --out FILE
                                Export a document from the store (clean text, compilation, comparison)

Options for every command:
  --data DIR         Data folder (accounts, token key, documents); default ${CLI_DEFAULTS.data}, env PENHOLDER_DATA
  --config FILE      JSON file with any of: data, host, port, postgres, redis, serverId, trustedProxies
  --help             Help for a command

Settings are taken from the flag, else the environment, else the config file, else the default.

Examples:
  npm run server -- serve --data /srv/penholder --host 0.0.0.0 --port 8470
  npm run server -- user add chair1 --role chair --doc '*'
  printf '%s\\n' "$PASSWORD" | npm run server -- user add fra1 --role delegation --delegation FRA --doc ga-res-79 --password-stdin
  npm run server -- doc add ga-res-79 --title "Draft resolution on oceans"
  npm run server -- user list --json
  npm run server -- export --doc ga-res-79 --kind comparison --format docx --from Rev.1 --to current --out ./exports/
`;

const COMMAND_HELP: Record<string, string> = {
  serve: `Usage: npm run server -- serve [--data DIR] [--host H] [--port P] [--config FILE]
                             [--postgres URL] [--redis HOST:PORT] [--server-id ID]
                             [--trusted-proxy ADDR[,ADDR...]] [--json]

Runs the sync server until SIGINT or SIGTERM. Logs are JSON lines on stderr.
  --host H          Address to bind (default ${CLI_DEFAULTS.host}; env PENHOLDER_HOST). 0.0.0.0 opens it to the network.
  --port P          Port (default ${CLI_DEFAULTS.port}; env PENHOLDER_PORT; 0 picks a free one)
  --postgres URL    Keep documents in PostgreSQL instead of SQLite files (env PENHOLDER_POSTGRES)
  --redis HOST:PORT Share documents with other server processes through Redis (env PENHOLDER_REDIS)
  --server-id ID    This process's name in logs and Redis (env PENHOLDER_SERVER_ID)
  --trusted-proxy ADDR[,ADDR...]
                    Reverse proxies (addresses or subnets such as 10.0.0.0/8) whose X-Forwarded-For names the
                    client (env PENHOLDER_TRUSTED_PROXY). Failed sign-ins are throttled per client address;
                    without this the header is ignored, so behind a proxy every client shares the proxy's address.
  --json            Print one JSON line {"event":"listening",...} on stdout once the server is ready

After ${THROTTLE.freeFailuresPerAccount} failed sign-ins for a name (${THROTTLE.freeFailuresPerAddress} from one address), sign-ins there are refused for ${THROTTLE.firstLockoutMs / 1000} seconds,
doubling with each further failure up to ${THROTTLE.maxLockoutMs / 60_000} minutes; a successful sign-in clears the count. Each server
process counts on its own.

Examples:
  npm run server -- serve
  npm run server -- serve --host 0.0.0.0 --postgres postgres://penholder@db/penholder --redis redis:6379 --server-id a
  npm run server -- serve --host 0.0.0.0 --trusted-proxy 127.0.0.1,::1
`,
  'user add': `Usage: npm run server -- user add <name> --role ROLE [--delegation CODE] [--doc ID ...] [--password-stdin]

Roles: ${roles.join(', ')}. A delegation account needs --delegation (FRA, G77...), the others may not have one.
--doc grants a document (repeat it; '*' grants every document). The password (at least 8 characters) is read
from stdin with --password-stdin, or asked for twice without echo when run in a terminal.

Examples:
  npm run server -- user add chair1 --role chair --doc '*'
  printf '%s\\n' "$PASSWORD" | npm run server -- user add fra1 --role delegation --delegation FRA --doc ga-res-79 --password-stdin
`,
  'user list': `Usage: npm run server -- user list [--json]

Lists the accounts as a table, or as a JSON array with --json.
`,
  'user disable': `Usage: npm run server -- user disable <name>

Disables an account: it can no longer sign in, its refresh tokens are revoked and a running server closes its
connections within a few seconds. Example: npm run server -- user disable fra1
`,
  'user enable': `Usage: npm run server -- user enable <name>

Enables a disabled account again. Example: npm run server -- user enable fra1
`,
  'user reset-password': `Usage: npm run server -- user reset-password <name> [--password-stdin]

Sets a new password and revokes the account's refresh tokens (it must sign in again everywhere).
Example: printf '%s\\n' "$PASSWORD" | npm run server -- user reset-password fra1 --password-stdin
`,
  'doc add': `Usage: npm run server -- doc add <id> --title TITLE [--postgres URL]

Registers a negotiated document (id: 3 to 64 lowercase letters, digits or dashes). The chair's client then
pushes its content. Registering an existing id changes its title.
Example: npm run server -- doc add ga-res-79 --title "Draft resolution on oceans"
`,
  'doc grant': `Usage: npm run server -- doc grant <name> <docId>

Lets an account open a document ('*' for every document). Example: npm run server -- doc grant fra1 ga-res-79
`,
  export: `Usage: npm run server -- export --doc ID --kind clean|compilation|comparison --format docx|pdf|html|md
                              --out FILE|FOLDER [--from REV] [--to REV|current] [--author NAME]
                              [--chromium PATH] [--data DIR] [--postgres URL]

Exports a document from the server's store, as it stands there now, in the UN house style:
  --kind clean         The text, paragraphs numbered 1..N (docx, pdf, html, md). --to REV exports a revision.
  --kind compilation   Every paragraph with its proposals, support, objections and status (docx, pdf, html).
  --kind comparison    The changes from --from REV to --to REV (default: current), as Word tracked changes
                       (docx) or a redline (pdf, html).
A revision is named by its label (Zero draft, Rev.1, Final) or its id; 'current' is the text as it is now.
--out is a file, or an existing folder for the suggested name ("A-AC.301-2026-CRP.1 Rev.1 (clean).docx").
The file is written whole or not at all. PDF is printed by Chromium: PENHOLDER_CHROMIUM, /usr/bin/chromium or
--chromium PATH. --author names who tracked changes against the current text are attributed to.

Examples:
  npm run server -- export --doc ga-res-79 --kind clean --format docx --out ./exports/
  npm run server -- export --doc ga-res-79 --kind clean --format pdf --to Rev.1 --out rev1.pdf
  npm run server -- export --doc ga-res-79 --kind compilation --format docx --out compilation.docx
  npm run server -- export --doc ga-res-79 --kind comparison --format docx --from "Zero draft" --to Rev.1 --out changes.docx
`,
  'doc revoke': `Usage: npm run server -- doc revoke <name> <docId>

Takes a grant back. Example: npm run server -- doc revoke fra1 ga-res-79
`,
};

const COMMON_OPTIONS = {
  data: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const configFileSchema = z
  .strictObject({
    data: z.string().min(1),
    host: z.string().min(1),
    port: z.union([z.number(), z.string()]),
    postgres: z.string().min(1),
    redis: z.string().min(1),
    serverId: z.string().min(1),
    'server-id': z.string().min(1),
    trustedProxies: z.union([z.string(), z.array(z.string().min(1))]),
  })
  .partial();

type ConfigFile = z.infer<typeof configFileSchema>;

/** Reads the command line and runs the command; resolves to the exit code (serve resolves when it stops). */
export async function main(argv: string[]): Promise<number> {
  const [group, second] = argv;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    process.stdout.write(HELP);
    return group === undefined ? 1 : 0;
  }
  if (group === 'serve') return serve(argv.slice(1));
  if (group === 'export') return exportCommand(argv.slice(1));
  if (group === 'user' || group === 'doc') {
    const command = `${group} ${second ?? ''}`.trim();
    if (second === undefined || second === '--help' || second === '-h') {
      process.stdout.write(HELP);
      return second === undefined ? 1 : 0;
    }
    if (!(command in COMMAND_HELP)) throw new UsageError(`Unknown command "${command}". Run with --help to see the commands.`);
    return admin(command, argv.slice(2));
  }
  throw new UsageError(`Unknown command "${group}". Run with --help to see the commands.`);
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    host: { type: 'string' },
    port: { type: 'string' },
    postgres: { type: 'string' },
    redis: { type: 'string' },
    'server-id': { type: 'string' },
    'trusted-proxy': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return printHelp('serve');
  const file = readConfig(values.config);
  const data = path.resolve(setting(values.data, 'PENHOLDER_DATA', file.data, CLI_DEFAULTS.data));
  const host = setting(values.host, 'PENHOLDER_HOST', file.host, CLI_DEFAULTS.host);
  const port = parsePort(setting(values.port, 'PENHOLDER_PORT', file.port === undefined ? undefined : String(file.port), String(CLI_DEFAULTS.port)));
  const postgres = setting(values.postgres, 'PENHOLDER_POSTGRES', file.postgres, undefined);
  const redis = setting(values.redis, 'PENHOLDER_REDIS', file.redis, undefined);
  const serverId = setting(values['server-id'], 'PENHOLDER_SERVER_ID', file.serverId ?? file['server-id'], undefined);
  const fileProxies = Array.isArray(file.trustedProxies) ? file.trustedProxies.join(',') : file.trustedProxies;
  const trustedProxies = parseProxyList(setting(values['trusted-proxy'], 'PENHOLDER_TRUSTED_PROXY', fileProxies, undefined));
  const options: SyncServerOptions = {
    dataDir: data,
    host,
    port,
    ...(postgres ? { store: { kind: 'postgres', connectionString: postgres } } : {}),
    ...(redis ? { redis: parseHostPort(redis) } : {}),
    ...(serverId ? { serverId } : {}),
    ...(trustedProxies.length > 0 ? { trustedProxies } : {}),
  };
  const server = await startSyncServer(options);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, httpUrl: server.httpUrl, port: server.port })}\n`);
  } else {
    process.stdout.write(`Penholder sync server listening on ${server.url} (${server.httpUrl})\n`);
    process.stdout.write(`Data: ${data}${postgres ? ' (documents in PostgreSQL)' : ''}\n`);
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: closing the Penholder sync server.\n`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`The server did not close cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

async function admin(command: string, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS,
    role: { type: 'string' },
    delegation: { type: 'string' },
    doc: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
    title: { type: 'string' },
    postgres: { type: 'string' },
  });
  if (values.help) return printHelp(command);
  const allowed: Record<string, string[]> = {
    'user add': ['role', 'delegation', 'doc', 'password-stdin'],
    'user list': ['json'],
    'user reset-password': ['password-stdin'],
    'doc add': ['title', 'postgres'],
  };
  for (const option of ['role', 'delegation', 'doc', 'password-stdin', 'json', 'title', 'postgres'] as const) {
    if (values[option] !== undefined && !(allowed[command] ?? []).includes(option)) {
      throw new UsageError(`"${command}" has no --${option} option. Run "${command} --help".`);
    }
  }
  const file = readConfig(values.config);
  const data = path.resolve(setting(values.data, 'PENHOLDER_DATA', file.data, CLI_DEFAULTS.data));

  if (command === 'doc add') {
    const [id] = expectPositionals(command, positionals, ['id']);
    if (values.title === undefined) throw new UsageError('"doc add" needs --title "<the document\'s title>".');
    const postgres = setting(values.postgres, 'PENHOLDER_POSTGRES', file.postgres, undefined);
    const store = await openStore(data, postgres);
    try {
      await store.putDocument(id, values.title);
      const document = (await store.listDocuments()).find((one) => one.id === id);
      process.stdout.write(`Registered the document ${id} "${document?.title ?? values.title}".\n`);
    } finally {
      await store.close();
    }
    return 0;
  }

  const accounts = SqliteAccountStore.open(data);
  try {
    switch (command) {
      case 'user add': {
        const [name] = expectPositionals(command, positionals, ['name']);
        if (values.role === undefined) throw new UsageError(`"user add" needs --role (${roles.join(', ')}).`);
        if (!roles.includes(values.role as Role)) throw new UsageError(`The role "${values.role}" does not exist; use one of: ${roles.join(', ')}.`);
        // Everything but the password is checked before the password is asked for.
        const input = checkAccount({ name, role: values.role, delegation: values.delegation ?? null, documents: values.doc ?? [] });
        if (accounts.get(name)) throw new UsageError(`There is already an account named "${name}".`);
        const password = await readPassword(values['password-stdin'] === true, true);
        const account = accounts.add({ ...input, password });
        process.stdout.write(`Added the ${describeRole(account)} account "${account.name}" (${describeDocuments(account)}).\n`);
        return 0;
      }
      case 'user list': {
        expectPositionals(command, positionals, []);
        const list = accounts.list();
        if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else process.stdout.write(formatTable(list));
        return 0;
      }
      case 'user disable': {
        const [name] = expectPositionals(command, positionals, ['name']);
        accounts.disable(name);
        process.stdout.write(`Disabled "${name}": it can no longer sign in, and a running server closes its connections.\n`);
        return 0;
      }
      case 'user enable': {
        const [name] = expectPositionals(command, positionals, ['name']);
        accounts.enable(name);
        process.stdout.write(`Enabled "${name}".\n`);
        return 0;
      }
      case 'user reset-password': {
        const [name] = expectPositionals(command, positionals, ['name']);
        if (!accounts.get(name)) throw new UsageError(`There is no account named "${name}".`);
        const password = await readPassword(values['password-stdin'] === true, true);
        accounts.resetPassword(name, password);
        process.stdout.write(`Set a new password for "${name}"; it is signed out everywhere.\n`);
        return 0;
      }
      case 'doc grant': {
        const [name, documentId] = expectPositionals(command, positionals, ['name', 'docId']);
        const account = accounts.grant(name, documentId);
        process.stdout.write(`"${name}" may now open ${documentId === ALL_DOCUMENTS ? 'every document' : documentId} (${describeDocuments(account)}).\n`);
        return 0;
      }
      case 'doc revoke': {
        const [name, documentId] = expectPositionals(command, positionals, ['name', 'docId']);
        const before = accounts.get(name);
        const account = accounts.revoke(name, documentId);
        const had = before?.documents.includes(documentId) ?? false;
        process.stdout.write(
          had ? `"${name}" may no longer open ${documentId} (${describeDocuments(account)}).\n` : `"${name}" had no grant for ${documentId}; nothing changed.\n`,
        );
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } finally {
    accounts.close();
  }
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS,
    doc: { type: 'string' },
    kind: { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    author: { type: 'string' },
    chromium: { type: 'string' },
    postgres: { type: 'string' },
  });
  if (values.help) return printHelp('export');
  expectPositionals('export', positionals, []);
  for (const required of ['doc', 'kind', 'format', 'out'] as const) {
    if (values[required] === undefined) throw new UsageError(`"export" needs --${required}. Run "export --help" for examples.`);
  }
  const kind = values.kind as string;
  const format = values.format as string;
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind is one of ${EXPORT_KINDS.join(', ')}, not "${kind}".`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${EXPORT_FORMATS.join(', ')}, not "${format}".`);
  if (kind === 'comparison' && values.from === undefined) throw new UsageError('A comparison needs --from <revision> (and --to, default current).');
  if (kind !== 'comparison' && values.from !== undefined) throw new UsageError(`--from is for comparisons; the ${kind} text is chosen with --to.`);
  const file = readConfig(values.config);
  const data = path.resolve(setting(values.data, 'PENHOLDER_DATA', file.data, CLI_DEFAULTS.data));
  const postgres = setting(values.postgres, 'PENHOLDER_POSTGRES', file.postgres, undefined);
  // Opening a SQLite store creates it: refuse a folder that holds no server data rather than leave an empty one.
  if (!postgres && !fs.existsSync(path.join(data, 'documents.sqlite'))) {
    throw new UsageError(`There is no Penholder server data in ${data}; pass --data <the server's data folder>.`);
  }
  // Loaded here: the Word writers are not needed to serve.
  const { exportFromStore, StoreExportError } = await import('./export.ts');
  const store = await openStore(data, postgres);
  const terminal = process.stderr.isTTY === true;
  let shown = -1;
  try {
    const written = await exportFromStore(store, {
      documentId: values.doc as string,
      kind: kind as ExportKind,
      format: format as ExportFormat,
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : kind === 'comparison' ? { to: 'current' } : {}),
      out: values.out as string,
      ...(values.author !== undefined ? { author: values.author } : {}),
      ...(values.chromium !== undefined ? { chromium: values.chromium } : {}),
      onProgress: (done, total) => {
        const percent = Math.floor((100 * done) / Math.max(1, total));
        if (terminal && percent !== shown) process.stderr.write(`\rExporting… ${percent}%`);
        shown = percent;
      },
    });
    if (terminal) process.stderr.write('\r\x1b[K');
    process.stdout.write(`Exported ${values.doc} (${kind}, ${format}) to ${written.path} (${formatBytes(written.bytes)}).\n`);
    return 0;
  } catch (error) {
    if (terminal) process.stderr.write('\r\x1b[K');
    if (error instanceof StoreExportError) throw new UsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}. Run with --help to see the options.`);
  }
}

function printHelp(command: string): number {
  process.stdout.write(COMMAND_HELP[command] ?? HELP);
  return 0;
}

function expectPositionals<const N extends readonly string[]>(command: string, positionals: string[], names: N): { [K in keyof N]: string } {
  if (positionals.length !== names.length) {
    const wanted = names.length === 0 ? 'no arguments' : names.map((name) => `<${name}>`).join(' ');
    throw new UsageError(`"${command}" takes ${wanted}. Run "${command} --help" for an example.`);
  }
  return positionals as unknown as { [K in keyof N]: string };
}

/** flag > environment > config file > default. */
function setting<D extends string | undefined>(flag: string | undefined, env: string, file: string | undefined, fallback: D): string | D {
  if (flag !== undefined) return flag;
  const fromEnv = process.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (file !== undefined) return file;
  return fallback;
}

function readConfig(file: string | undefined): ConfigFile {
  if (file === undefined) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`The config file ${file} could not be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`The config file ${file} is not valid JSON.`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new UsageError(`The config file ${file} is not valid${where}: ${issue?.message ?? 'unexpected content'}. Its keys are data, host, port, postgres, redis, serverId, trustedProxies.`);
  }
  return parsed.data;
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`The port must be a number from 0 to 65535, not "${value}".`);
  return Number(value);
}

/** Splits and checks --trusted-proxy's comma-separated addresses and subnets ([] when none is given). */
function parseProxyList(value: string | undefined): string[] {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  try {
    parseTrustedProxies(entries);
  } catch (error) {
    throw new UsageError(`--trusted-proxy: ${(error as Error).message}`);
  }
  return entries;
}

/** Parses `HOST:PORT` (or `[IPv6]:PORT`) for --redis. */
export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) throw new UsageError(`Redis is given as HOST:PORT (for example 127.0.0.1:6379), not "${value}".`);
  return { host: (match[1] ?? match[2]) as string, port };
}

async function openStore(data: string, postgres: string | undefined): Promise<SyncStore> {
  if (postgres) {
    const { createPostgresStore } = await import('./store-postgres.ts');
    return createPostgresStore(postgres);
  }
  return SqliteSyncStore.open(data);
}

/** Reads a password from stdin (--password-stdin) or asks twice without echo on a terminal. */
async function readPassword(fromStdin: boolean, confirm: boolean): Promise<string> {
  // The same checks as the account store's, before a person types it twice.
  const check = (password: string): string => {
    if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`A password is at least ${MIN_PASSWORD_LENGTH} characters long.`);
    return password;
  };
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    if (text === '') throw new UsageError('No password arrived on stdin.');
    return check(text);
  }
  if (!process.stdin.isTTY) throw new UsageError('Pass --password-stdin to read the password from stdin (stdin is not a terminal).');
  const password = check(await askHidden('Password: '));
  if (confirm) {
    const again = await askHidden('Password again: ');
    if (again !== password) throw new UsageError('The two passwords differ; nothing was changed.');
  }
  return password;
}

/** Asks for a line on the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = '';
    const finish = (error: Error | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003') return finish(new UsageError('Cancelled; nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

function describeRole(account: Account): string {
  return account.role === 'delegation' ? `delegation (${account.delegation})` : account.role;
}

function describeDocuments(account: Account): string {
  if (account.documents.includes(ALL_DOCUMENTS)) return 'every document';
  if (account.documents.length === 0) return 'no documents yet';
  return `documents: ${account.documents.join(', ')}`;
}

function formatTable(accounts: Account[]): string {
  if (accounts.length === 0) return 'No accounts yet. Add one with: npm run server -- user add <name> --role chair\n';
  const rows = [
    ['NAME', 'ROLE', 'DELEGATION', 'STATUS', 'DOCUMENTS', 'CREATED'],
    ...accounts.map((account) => [
      account.name,
      account.role,
      account.delegation ?? '-',
      account.disabled ? 'disabled' : 'active',
      account.documents.length === 0 ? '-' : account.documents.join(','),
      account.createdAt.slice(0, 10),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof UsageError || error instanceof AccountError ? error.message : describeUnexpected(error);
      process.stderr.write(`Error: ${message}\n`);
      process.exit(1);
    },
  );
}

function describeUnexpected(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}
