import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import type { Account } from './api.ts';
import { login, openProvider, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestProvider } from '../../tests/helpers/sync-server.ts';

const CLI = path.resolve(import.meta.dirname, 'cli.ts');
const PASSWORD = 'a long enough password';
let dir: string;
const children: ChildProcess[] = [];
const providers: TestProvider[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-cli-'));
});

afterEach(() => {
  for (const provider of providers.splice(0)) provider.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The environment without any PENHOLDER_* setting of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PENHOLDER_')));
  return { ...env, ...extra };
}

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { input: options.input ?? '', encoding: 'utf8', env: cleanEnv(options.env), cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function accounts(data = dir): Account[] {
  const result = run(['user', 'list', '--json', '--data', data]);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Account[];
}

/** Spawns `serve --json` and resolves with the listening line once the server is ready. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; listening: { event: string; url: string; httpUrl: string; port: number } }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], { env: cleanEnv(env), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve({ child, listening: JSON.parse(stdout.slice(0, newline)) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

/** Signs in with the password every account here has, returning the access token. */
async function signIn(httpUrl: string, name: string): Promise<string> {
  return (await login(httpUrl, name, PASSWORD)).token;
}

describe('help', () => {
  it('lists every command with examples, and each command has its own help', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['serve', 'user add', 'user list', 'user disable', 'user enable', 'user reset-password', 'doc add', 'doc grant', 'doc revoke']) {
      expect(help.stdout).toContain(command);
    }
    expect(help.stdout).toContain('Examples:');
    const serveHelp = run(['serve', '--help']);
    expect(serveHelp.stdout).toContain('--redis HOST:PORT');
    const addHelp = run(['user', 'add', '--help']);
    expect(addHelp.stdout).toContain('--password-stdin');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('exits 1 with a clear sentence for unknown commands and options', () => {
    expect(run(['frobnicate'])).toMatchObject({ status: 1, stderr: 'Error: Unknown command "frobnicate". Run with --help to see the commands.\n' });
    expect(run(['user', 'remove', 'x'])).toMatchObject({ status: 1, stderr: expect.stringContaining('Unknown command "user remove"') });
    expect(run(['user', 'list', '--colour'])).toMatchObject({ status: 1, stderr: expect.stringContaining("Unknown option '--colour'") });
    expect(run(['user', 'list', '--title', 'x'])).toMatchObject({ status: 1, stderr: expect.stringContaining('has no --title option') });
    expect(run([])).toMatchObject({ status: 1 });
  });
});

describe('user and doc commands', () => {
  it('add, list, disable, enable and reset accounts; grant and revoke documents', () => {
    const added = run(['user', 'add', 'fra1', '--role', 'delegation', '--delegation', 'FRA', '--doc', 'ga-res-79', '--doc', 'hrc-55-l1', '--password-stdin', '--data', dir], {
      input: `${PASSWORD}\n`,
    });
    expect(added).toMatchObject({ status: 0, stdout: 'Added the delegation (FRA) account "fra1" (documents: ga-res-79, hrc-55-l1).\n' });
    expect(run(['user', 'add', 'chair1', '--role', 'chair', '--doc', '*', '--password-stdin', '--data', dir], { input: PASSWORD }).status).toBe(0);

    const table = run(['user', 'list', '--data', dir]);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+DELEGATION\s+STATUS\s+DOCUMENTS\s+CREATED$/);
    expect(table.stdout).toMatch(/fra1\s+delegation\s+FRA\s+active\s+ga-res-79,hrc-55-l1/);
    expect(accounts().map((account) => account.name)).toEqual(['chair1', 'fra1']);

    expect(run(['user', 'disable', 'fra1', '--data', dir]).status).toBe(0);
    expect(accounts().find((account) => account.name === 'fra1')?.disabled).toBe(true);
    expect(run(['user', 'enable', 'fra1', '--data', dir]).status).toBe(0);
    expect(accounts().find((account) => account.name === 'fra1')?.disabled).toBe(false);

    expect(run(['doc', 'revoke', 'fra1', 'hrc-55-l1', '--data', dir]).stdout).toContain('may no longer open hrc-55-l1');
    expect(run(['doc', 'revoke', 'fra1', 'hrc-55-l1', '--data', dir]).stdout).toContain('had no grant');
    expect(run(['doc', 'grant', 'fra1', 'unep-ea-6', '--data', dir]).status).toBe(0);
    expect(accounts().find((account) => account.name === 'fra1')?.documents).toEqual(['ga-res-79', 'unep-ea-6']);

    expect(run(['user', 'reset-password', 'fra1', '--password-stdin', '--data', dir], { input: 'the new password\n' }).status).toBe(0);
  });

  it('refuses bad input with exit code 1, a clear message and nothing changed', () => {
    const add = (args: string[], input = PASSWORD) => run(['user', 'add', ...args, '--password-stdin', '--data', dir], { input });
    expect(add(['x'])).toMatchObject({ status: 1, stderr: expect.stringContaining('needs --role') });
    expect(add(['x', '--role', 'admin'])).toMatchObject({ status: 1, stderr: expect.stringContaining('The role "admin" does not exist') });
    expect(add(['x', '--role', 'delegation'])).toMatchObject({ status: 1, stderr: expect.stringContaining('delegation code') });
    expect(add(['x', '--role', 'chair', '--delegation', 'FRA'])).toMatchObject({ status: 1, stderr: expect.stringContaining('Only a delegation account') });
    expect(add(['x', '--role', 'chair'], 'short')).toMatchObject({ status: 1, stderr: expect.stringContaining('at least 8') });
    expect(add(['x', '--role', 'chair'], '')).toMatchObject({ status: 1, stderr: expect.stringContaining('No password arrived') });
    expect(add(['x', '--role', 'chair', '--doc', 'Bad Id'])).toMatchObject({ status: 1, stderr: expect.stringContaining('document id') });
    expect(add(['x\ty', '--role', 'chair'])).toMatchObject({ status: 1, stderr: expect.stringContaining('control characters') });
    expect(run(['user', 'add', 'x', '--role', 'chair', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('--password-stdin') });
    expect(accounts()).toEqual([]);
    expect(add(['x', '--role', 'chair']).status).toBe(0);
    expect(add(['x', '--role', 'chair'])).toMatchObject({ status: 1, stderr: expect.stringContaining('already an account named "x"') });
    expect(run(['user', 'disable', 'nobody', '--data', dir])).toMatchObject({ status: 1, stderr: 'Error: There is no account named "nobody".\n' });
    expect(run(['doc', 'grant', 'x', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('takes <name> <docId>') });
    expect(run(['doc', 'add', 'ga-res-79', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('needs --title') });
    expect(run(['doc', 'add', 'Bad Id', '--title', 'T', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('document id') });
    expect(accounts().map((account) => account.name)).toEqual(['x']);
  });

  it('takes settings from the flag, else the environment, else the config file, else the default', () => {
    const folder = (name: string) => path.join(dir, name);
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ data: folder('from-file') }));
    const add = (name: string, args: string[], env: Record<string, string> = {}) =>
      run(['user', 'add', name, '--role', 'observer', '--password-stdin', ...args], { input: PASSWORD, env });
    expect(add('a', ['--config', config, '--data', folder('from-flag')], { PENHOLDER_DATA: folder('from-env') }).status).toBe(0);
    expect(add('b', ['--config', config], { PENHOLDER_DATA: folder('from-env') }).status).toBe(0);
    expect(add('c', ['--config', config]).status).toBe(0);
    expect(add('d', []).status).toBe(0);
    expect(accounts(folder('from-flag')).map((a) => a.name)).toEqual(['a']);
    expect(accounts(folder('from-env')).map((a) => a.name)).toEqual(['b']);
    expect(accounts(folder('from-file')).map((a) => a.name)).toEqual(['c']);
    expect(accounts(path.join(dir, 'penholder-server-data')).map((a) => a.name)).toEqual(['d']);

    fs.writeFileSync(config, JSON.stringify({ data: 'x', colour: 'blue' }));
    expect(run(['user', 'list', '--config', config])).toMatchObject({ status: 1, stderr: expect.stringContaining('is not valid') });
    fs.writeFileSync(config, '{ not json');
    expect(run(['user', 'list', '--config', config])).toMatchObject({ status: 1, stderr: expect.stringContaining('is not valid JSON') });
  });
});

describe('serve', () => {
  it('prints one JSON line once ready, serves what doc add registered, and keeps every acknowledged change through kill -9', async () => {
    expect(run(['doc', 'add', 'ga-res-79', '--title', 'Draft resolution on oceans', '--data', dir]).stdout).toBe('Registered the document ga-res-79 "Draft resolution on oceans".\n');
    expect(run(['user', 'add', 'chair1', '--role', 'chair', '--doc', 'ga-res-79', '--password-stdin', '--data', dir], { input: PASSWORD }).status).toBe(0);

    const first = await serve(['--data', dir, '--port', '0']);
    expect(first.listening).toEqual({ event: 'listening', url: `ws://127.0.0.1:${first.listening.port}`, httpUrl: `http://127.0.0.1:${first.listening.port}`, port: first.listening.port });
    const token = await signIn(first.listening.httpUrl, 'chair1');
    const documents = (await (await fetch(`${first.listening.httpUrl}/api/documents`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      documents: Array<{ id: string; title: string }>;
    };
    expect(documents.documents.map(({ id, title }) => ({ id, title }))).toEqual([{ id: 'ga-res-79', title: 'Draft resolution on oceans' }]);

    const chair = openProvider({ url: first.listening.url, docName: 'ga-res-79/text', token });
    providers.push(chair);
    await chair.whenSynced();
    typeInto(chair.doc, 'Acknowledged, so it survives');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'every keystroke is acknowledged');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    chair.destroy();

    const second = await serve(['--data', dir, '--port', '0']);
    const reader = openProvider({ url: second.listening.url, docName: 'ga-res-79/text', token: await signIn(second.listening.httpUrl, 'chair1') });
    providers.push(reader);
    await reader.whenSynced();
    expect(typedText(reader.doc)).toBe('Acknowledged, so it survives');

    second.child.kill('SIGTERM');
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('prints the human line without --json, takes the port from the environment, and closes a live connection when the CLI disables its account', async () => {
    expect(run(['doc', 'add', 'ga-res-79', '--title', 'Oceans', '--data', dir]).status).toBe(0);
    expect(run(['user', 'add', 'fra1', '--role', 'delegation', '--delegation', 'FRA', '--doc', '*', '--password-stdin', '--data', dir], { input: PASSWORD }).status).toBe(0);
    const child = spawn(process.execPath, [CLI, 'serve', '--data', dir], { env: cleanEnv({ PENHOLDER_PORT: '0' }), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const line = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
    });
    const match = /^Penholder sync server listening on (ws:\/\/127\.0\.0\.1:(\d+)) \((http:\/\/127\.0\.0\.1:\2)\)$/.exec(line);
    expect(match).not.toBeNull();
    const [, url, , httpUrl] = match as RegExpExecArray;
    const fra = openProvider({ url: url as string, docName: 'ga-res-79/d/FRA', token: await signIn(httpUrl as string, 'fra1') });
    providers.push(fra);
    await fra.whenSynced();
    expect(run(['user', 'disable', 'fra1', '--data', dir]).status).toBe(0);
    await waitUntil(() => fra.closes.some((close) => close.code === SYNC_CLOSE.disabled.code), 'the server closes the disabled account', 15_000);
  });

  it('refuses an invalid port or Redis address before starting', () => {
    expect(run(['serve', '--port', '70000', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('The port must be a number from 0 to 65535') });
    expect(run(['serve', '--redis', 'localhost', '--data', dir])).toMatchObject({ status: 1, stderr: expect.stringContaining('HOST:PORT') });
  });
});
