import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { MAX_UPDATE_BYTES, type IpcOperation, type IpcResult } from '../../shared/ipc.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { schema } from '../../shared/schema/index.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { Workspace } from '../storage/index.ts';
import { createIpcHandlers, type IpcHandlers } from './handlers.ts';
import { ensureFirstRun } from './firstRun.ts';
import { readSampleJson, sampleTitle } from './sample.ts';
import { ok } from '../../tests/helpers/ipc.ts';

let dir: string;
let workspace: Workspace;
let opened: string[];
let logged: string[];
let handlers: IpcHandlers;

function makeHandlers(options: { resourcesDir?: string; openExternal?: (url: string) => Promise<void> } = {}): IpcHandlers {
  return createIpcHandlers({
    workspace,
    shell: 'electron',
    version: '9.8.7',
    openExternal: options.openExternal ?? (async (url) => void opened.push(url)),
    log: (message) => void logged.push(message),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-handlers-'));
  workspace = Workspace.open(join(dir, 'workspace'));
  opened = [];
  logged = [];
  handlers = makeHandlers();
});

afterEach(() => {
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text Y.Doc state as a ProseMirror document, read back the way the editor will. */
function textDoc(state: Uint8Array): ProseMirrorNode {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
}

/** Every file under the workspace with its size and mtime, to prove a refused request wrote nothing. */
function snapshot(): string[] {
  const root = join(dir, 'workspace');
  return (readdirSync(root, { recursive: true }) as string[])
    .map((name) => {
      const stats = statSync(join(root, name));
      return `${name}:${stats.isFile() ? stats.size : 'dir'}:${stats.mtimeMs}`;
    })
    .sort();
}

describe('document operations', () => {
  it('creates a blank document with a header, its title and one empty numbered paragraph', async () => {
    const created = ok(await handlers.createDocument({ title: '  Programme of work  ', template: 'blank' }));
    expect(created.title).toBe('Programme of work');
    expect(ok(await handlers.listDocuments({ trashed: false })).map((d) => d.id)).toEqual([created.id]);

    const loaded = ok(await handlers.loadYDoc({ id: created.id, ydoc: 'text' }));
    expect(loaded.updateCount).toBeGreaterThanOrEqual(1);
    const doc = textDoc(loaded.state);
    doc.check();
    expect(doc.childCount).toBe(2);
    expect(doc.child(0).type.name).toBe('header');
    expect(doc.child(0).attrs.symbol).toBe('');
    expect(doc.child(0).firstChild?.type.name).toBe('title');
    expect(doc.child(0).textContent).toBe('Programme of work');
    expect(doc.child(1).type.name).toBe('numbered_paragraph');
    expect(doc.child(1).content.size).toBe(0);
    expect(typeof doc.child(1).attrs.pid).toBe('string');
  });

  it('creates a document from the sample whose text is exactly the sample', async () => {
    const created = ok(await handlers.createDocument({ title: 'Sample', template: 'sample' }));
    const doc = textDoc(ok(await handlers.loadYDoc({ id: created.id, ydoc: 'text' })).state);
    expect(doc.toJSON()).toEqual(schema.nodeFromJSON(readSampleJson()).toJSON());
  });

  it('renames, duplicates, trashes, restores and purges', async () => {
    const created = ok(await handlers.createDocument({ title: 'Rev.1', template: 'blank' }));
    expect(ok(await handlers.renameDocument({ id: created.id, title: 'Rev.2' })).title).toBe('Rev.2');

    const copy = ok(await handlers.duplicateDocument({ id: created.id }));
    expect(copy.id).not.toBe(created.id);
    const original = textDoc(ok(await handlers.loadYDoc({ id: created.id, ydoc: 'text' })).state);
    expect(textDoc(ok(await handlers.loadYDoc({ id: copy.id, ydoc: 'text' })).state).toJSON()).toEqual(original.toJSON());

    const live = await handlers.purgeDocument({ id: created.id });
    expect(live.ok ? 'ok' : live.error.code).toBe('invalid-request');

    expect(ok(await handlers.trashDocument({ id: created.id })).trashedAt).not.toBeNull();
    expect(ok(await handlers.listDocuments({ trashed: true })).map((d) => d.id)).toEqual([created.id]);
    expect(ok(await handlers.listDocuments({ trashed: false })).map((d) => d.id)).toEqual([copy.id]);
    expect(ok(await handlers.restoreDocument({ id: created.id })).trashedAt).toBeNull();

    ok(await handlers.trashDocument({ id: created.id }));
    expect(ok(await handlers.purgeDocument({ id: created.id }))).toBeNull();
    const gone = await handlers.loadYDoc({ id: created.id, ydoc: 'text' });
    expect(gone.ok ? 'ok' : gone.error.code).toBe('not-found');
    expect(ok(await handlers.listDocuments({ trashed: true }))).toEqual([]);
  });

  it('appends updates to each Y.Doc and loads them back merged', async () => {
    const created = ok(await handlers.createDocument({ title: 'Proposals', template: 'blank' }));
    const chair = new Y.Doc();
    const updates: Uint8Array[] = [];
    chair.on('update', (update: Uint8Array) => updates.push(update));
    chair.getMap('statuses').set('zd-p01', 'agreed-ad-ref');
    chair.getMap('statuses').set('zd-p02', 'open');

    const seqs = [];
    for (const update of updates) seqs.push(ok(await handlers.appendUpdate({ id: created.id, ydoc: 'chair', update })).seq);
    expect(seqs[1]).toBeGreaterThan(seqs[0]!);

    const delegation = new Y.Doc();
    delegation.getArray('proposals').push([{ id: 'pr-1', pid: 'zd-p01', text: 'shall' }]);
    ok(await handlers.appendUpdate({ id: created.id, ydoc: 'd/FRA', update: Y.encodeStateAsUpdate(delegation) }));

    const loadedChair = ok(await handlers.loadYDoc({ id: created.id, ydoc: 'chair' }));
    const back = new Y.Doc();
    Y.applyUpdate(back, loadedChair.state);
    expect(back.getMap('statuses').toJSON()).toEqual({ 'zd-p01': 'agreed-ad-ref', 'zd-p02': 'open' });

    const loadedFra = new Y.Doc();
    Y.applyUpdate(loadedFra, ok(await handlers.loadYDoc({ id: created.id, ydoc: 'd/FRA' })).state);
    expect(loadedFra.getArray('proposals').toJSON()).toEqual([{ id: 'pr-1', pid: 'zd-p01', text: 'shall' }]);
  });

  it('refuses bytes that are not a Yjs update and stores nothing', async () => {
    const created = ok(await handlers.createDocument({ title: 'Text', template: 'blank' }));
    const before = ok(await handlers.loadYDoc({ id: created.id, ydoc: 'chair' })).updateCount;
    const result = await handlers.appendUpdate({ id: created.id, ydoc: 'chair', update: new Uint8Array([255, 255, 255, 255, 1, 2, 3]) });
    expect(result.ok ? 'ok' : result.error.code).toBe('invalid-request');
    expect(ok(await handlers.loadYDoc({ id: created.id, ydoc: 'chair' })).updateCount).toBe(before);
  });

  it('answers not-found for a well-formed id that does not exist', async () => {
    const result = await handlers.renameDocument({ id: 'no-such-document', title: 'x' });
    expect(result.ok ? 'ok' : result.error.code).toBe('not-found');
  });

  it('answers storage errors as storage errors once the workspace is closed', async () => {
    workspace.close();
    const result = await handlers.listDocuments({ trashed: false });
    expect(result.ok ? 'ok' : result.error.code).toBe('storage');
  });
});

describe('app info and the last opened document', () => {
  it('reports the shell, version, schema version, workspace and problems', async () => {
    const info = ok(await handlers.getAppInfo({}));
    expect(info).toMatchObject({ shell: 'electron', version: '9.8.7', schemaVersion: SCHEMA_VERSION, workspaceDir: workspace.dir, lastOpenedId: null });
    expect(info.problems).toEqual(workspace.problems);
  });

  it('returns the last opened document only while it exists and is not in the trash', async () => {
    const created = ok(await handlers.createDocument({ title: 'Zero draft', template: 'blank' }));
    expect(ok(await handlers.setLastOpened({ id: created.id }))).toBeNull();
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBe(created.id);

    ok(await handlers.trashDocument({ id: created.id }));
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBeNull();
    ok(await handlers.restoreDocument({ id: created.id }));
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBe(created.id);

    ok(await handlers.trashDocument({ id: created.id }));
    ok(await handlers.purgeDocument({ id: created.id }));
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBeNull();

    const missing = await handlers.setLastOpened({ id: 'no-such-document' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('not-found');
    expect(ok(await handlers.setLastOpened({ id: null }))).toBeNull();
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBeNull();
  });
});

describe('invalid requests', () => {
  const oversized = new Uint8Array(MAX_UPDATE_BYTES + 1);
  const cases: Array<[IpcOperation, unknown, string]> = [
    ['listDocuments', undefined, 'the request'],
    ['listDocuments', null, 'the request'],
    ['listDocuments', [], 'the request'],
    ['listDocuments', { trashed: 'yes' }, '"trashed"'],
    ['listDocuments', { trashed: false, extra: 1 }, 'extra'],
    ['createDocument', { title: '   ', template: 'blank' }, '"title"'],
    ['createDocument', { title: 'x'.repeat(201), template: 'blank' }, '"title"'],
    ['createDocument', { title: 'Report', template: 'evil' }, '"template"'],
    ['createDocument', { title: 42, template: 'blank' }, '"title"'],
    ['renameDocument', { id: '../../etc/passwd', title: 'x' }, '"id"'],
    ['renameDocument', { id: 'ABC', title: 'x' }, '"id"'],
    ['duplicateDocument', {}, '"id"'],
    ['trashDocument', { id: '' }, '"id"'],
    ['restoreDocument', { id: 7 }, '"id"'],
    ['purgeDocument', { id: 'a'.repeat(65) }, '"id"'],
    ['loadYDoc', { id: 'doc-1', ydoc: 'text2' }, '"ydoc"'],
    ['loadYDoc', { id: 'doc-1', ydoc: 'd/../../x' }, '"ydoc"'],
    ['appendUpdate', { id: 'doc-1', ydoc: 'text', update: [1, 2, 3] }, '"update"'],
    ['appendUpdate', { id: 'doc-1', ydoc: 'text', update: 'AAEC' }, '"update"'],
    ['appendUpdate', { id: 'doc-1', ydoc: 'text', update: new Uint8Array(0) }, '"update"'],
    ['appendUpdate', { id: 'doc-1', ydoc: 'text', update: oversized }, '"update"'],
    ['getAppInfo', { verbose: true }, 'verbose'],
    ['setLastOpened', {}, '"id"'],
    ['setLastOpened', { id: 'has spaces' }, '"id"'],
    ['openExternal', { url: 12 }, '"url"'],
    ['openExternal', { url: `https://example.org/${'a'.repeat(5000)}` }, '"url"'],
    ['listServers', { all: true }, 'all'],
    ['addServer', {}, '"url"'],
    ['addServer', { url: 'ftp://example.org' }, '"url"'],
    ['addServer', { url: '   ' }, '"url"'],
    ['addServer', { url: `https://example.org/${'a'.repeat(3000)}` }, '"url"'],
    ['removeServer', { serverUrl: 42 }, '"serverUrl"'],
    ['signIn', { serverUrl: 'ws://127.0.0.1:1', name: '  ', password: 'secret-password' }, '"name"'],
    ['signIn', { serverUrl: 'ws://127.0.0.1:1', name: 'Chair', password: '' }, '"password"'],
    ['signIn', { serverUrl: 'ws://127.0.0.1:1', name: 'Chair', password: 12345678 }, '"password"'],
    ['signIn', { serverUrl: 'ws://127.0.0.1:1', name: 'Chair', password: 'x', refreshToken: 'y' }, 'refreshToken'],
    ['signOut', {}, '"serverUrl"'],
    ['getAccessToken', { serverUrl: 'javascript:alert(1)' }, '"serverUrl"'],
    ['listRemoteDocuments', { serverUrl: null }, '"serverUrl"'],
    ['openRemoteDocument', { serverUrl: 'ws://127.0.0.1:1', documentId: '../../etc', title: 'x' }, '"documentId"'],
    ['openRemoteDocument', { serverUrl: 'ws://127.0.0.1:1', documentId: 'doc-1', title: '' }, '"title"'],
    ['publishDocument', { id: 'ABC', serverUrl: 'ws://127.0.0.1:1' }, '"id"'],
    ['publishDocument', { id: 'doc-1' }, '"serverUrl"'],
    ['listNetworkInterfaces', null, 'the request'],
    ['startHosting', { port: 70000 }, '"port"'],
    ['startHosting', { port: 1.5 }, '"port"'],
    ['startHosting', { bindAddress: 'evil host; rm -rf' }, '"bindAddress"'],
    ['startHosting', { hostName: '' }, '"hostName"'],
    ['startHosting', { dataDir: '/etc' }, 'dataDir'],
    ['stopHosting', [], 'the request'],
    ['hostingStatus', { verbose: 1 }, 'verbose'],
    ['hostAddAccount', { name: 'France', role: 'delegation' }, '"delegation"'],
    ['hostAddAccount', { name: 'France', role: 'delegation', delegation: 'fra' }, '"delegation"'],
    ['hostAddAccount', { name: 'Bureau', role: 'chair', delegation: 'FRA' }, '"delegation"'],
    ['hostAddAccount', { name: 'King', role: 'king' }, '"role"'],
    ['hostAddAccount', { name: 'France', role: 'observer', password: '' }, '"password"'],
  ];

  // Labels summarize bytes: printing a 16 MB buffer in a test name would flood the report.
  const describeRaw = (raw: unknown): string =>
    (JSON.stringify(raw, (_key, v: unknown) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v)) ?? 'undefined').slice(0, 80);
  const labelled = cases.map(([operation, raw, field]) => [`${operation} ${describeRaw(raw)}`, operation, raw, field] as const);

  it.each(labelled)('refuses %s naming the field, and writes nothing', async (_label, operation, raw, field) => {
    const created = ok(await handlers.createDocument({ title: 'Existing', template: 'blank' }));
    ok(await handlers.setLastOpened({ id: created.id }));
    const before = snapshot();
    const handler = handlers[operation] as (raw: unknown) => Promise<IpcResult<unknown>>;
    const result = await handler(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-request');
    expect(result.error.message).toContain(operation);
    expect(result.error.message).toContain(field);
    expect(snapshot()).toEqual(before);
    expect(opened).toEqual([]);
    expect(ok(await handlers.listDocuments({ trashed: false })).map((d) => d.title)).toEqual(['Existing']);
  });
});

describe('sync server requests checked in main', () => {
  it.each([
    ['ws://chair:secret@127.0.0.1:1', /name or password/],
    ['http://[::1', /not a server address/],
  ])('refuses the address %j before any network call, and remembers nothing', async (url, reason) => {
    const result = await handlers.signIn({ serverUrl: url, name: 'Chair', password: 'secret-password' });
    expect(result.ok ? 'ok' : result.error.code).toBe('invalid-request');
    if (!result.ok) expect(result.error.message).toMatch(reason);
    expect(ok(await handlers.listServers({}))).toEqual([]);
  });
});

describe('openExternal', () => {
  const hostile = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(document.cookie)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'chrome://settings',
    'ms-msdt:/id PCWDiagnostic',
    'smb://attacker/share',
    'https://user:secret@example.org/',
    'http://',
    '/relative/path',
    '',
  ];

  it.each(hostile)('refuses %j with a reason and opens nothing', async (url) => {
    const result = ok(await handlers.openExternal({ url }));
    expect(result.opened).toBe(false);
    expect(result.reason).toMatch(/\w{4,}/);
    expect(opened).toEqual([]);
  });

  it('opens web pages and e-mail addresses, normalized', async () => {
    expect(ok(await handlers.openExternal({ url: 'https://www.un.org/en/ga' })).opened).toBe(true);
    expect(ok(await handlers.openExternal({ url: 'HTTP://Example.ORG' })).opened).toBe(true);
    expect(ok(await handlers.openExternal({ url: 'mailto:chair@example.org' })).opened).toBe(true);
    expect(opened).toEqual(['https://www.un.org/en/ga', 'http://example.org/', 'mailto:chair@example.org']);
  });

  it('says so when the system cannot open an allowed link', async () => {
    const failing = makeHandlers({ openExternal: async () => Promise.reject(new Error('no browser')) });
    const result = ok(await failing.openExternal({ url: 'https://example.org/' }));
    expect(result).toEqual({ opened: false, reason: expect.stringMatching(/could not open/) });
  });
});

describe('internal errors', () => {
  it('answers internal with a readable message and logs without the document title', async () => {
    const broken = makeHandlers({ resourcesDir: join(dir, 'missing-resources') });
    const result = await broken.createDocument({ title: 'Confidential draft on water basins', template: 'sample' });
    expect(result.ok ? 'ok' : result.error.code).toBe('internal');
    if (!result.ok) expect(result.error.message).not.toContain('Confidential');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain('Confidential');
    expect(ok(await handlers.listDocuments({ trashed: false }))).toEqual([]);
  });
});

describe('first run', () => {
  it('creates the sample exactly once, across reopening the workspace', async () => {
    const created = ensureFirstRun(workspace, { log: (m) => void logged.push(m) });
    expect(created?.title).toBe(sampleTitle());
    expect(ok(await handlers.getAppInfo({})).lastOpenedId).toBe(created?.id);
    expect(ensureFirstRun(workspace)).toBeNull();

    workspace.close();
    workspace = Workspace.open(join(dir, 'workspace'));
    expect(ensureFirstRun(workspace)).toBeNull();
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([created?.id]);

    // Deleting the sample for good is respected: it does not come back.
    workspace.trash(created!.id);
    workspace.purge(created!.id);
    workspace.close();
    workspace = Workspace.open(join(dir, 'workspace'));
    expect(ensureFirstRun(workspace)).toBeNull();
    expect(workspace.list({ trashed: false })).toEqual([]);
  });

  it('leaves a workspace that already holds documents alone', () => {
    workspace.create('Existing work');
    expect(ensureFirstRun(workspace)).toBeNull();
    workspace.purge(workspace.trash(workspace.list({ trashed: false })[0]!.id).id);
    expect(ensureFirstRun(workspace)).toBeNull();
    expect(workspace.list({ trashed: false })).toEqual([]);
  });

  it('does not stop the app when the sample is missing, and tries again next time', () => {
    expect(ensureFirstRun(workspace, { resourcesDir: join(dir, 'nowhere'), log: (m) => void logged.push(m) })).toBeNull();
    expect(logged.join('\n')).toMatch(/sample/);
    expect(workspace.list({ trashed: false })).toEqual([]);
    expect(ensureFirstRun(workspace)?.title).toBe(sampleTitle());
  });
});
