import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './index.ts';

let dir: string;
let workspace: Workspace;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-remote-link-'));
  workspace = Workspace.open(dir);
});
afterEach(() => {
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

const link = { serverUrl: 'http://192.0.2.2:4321', documentId: 'mhx0a1-abcdefghij' };

describe('remote link of a document', () => {
  it('is null for a local document and survives reopening once set', () => {
    const local = workspace.create('Local');
    expect(local.remote).toBeNull();
    const mirror = workspace.create('Mirror', [], { remote: link });
    expect(mirror.remote).toEqual(link);
    expect(workspace.setRemote(local.id, { serverUrl: 'https://example.org', documentId: local.id }).remote).toEqual({
      serverUrl: 'https://example.org',
      documentId: local.id,
    });

    workspace.close();
    workspace = Workspace.open(dir);
    expect(workspace.get(mirror.id).remote).toEqual(link);
    expect(workspace.get(local.id).remote?.documentId).toBe(local.id);
    expect(workspace.findRemote(link)?.id).toBe(mirror.id);
    expect(workspace.findRemote({ ...link, documentId: 'other-doc' })).toBeNull();
    expect(workspace.setRemote(local.id, null).remote).toBeNull();
  });

  it('is not copied by duplicate: a copy is a local document', () => {
    const mirror = workspace.create('Mirror', [], { remote: link });
    expect(workspace.duplicate(mirror.id).remote).toBeNull();
    expect(workspace.findRemote(link)?.id).toBe(mirror.id);
  });

  it('prefers a live mirror over a trashed one', () => {
    const old = workspace.create('Old', [], { remote: link });
    workspace.trash(old.id);
    expect(workspace.findRemote(link)?.id).toBe(old.id);
    const live = workspace.create('Live', [], { remote: link });
    expect(workspace.findRemote(link)?.id).toBe(live.id);
  });

  it('reads an unreadable link as local, keeping the document', () => {
    const mirror = workspace.create('Mirror', [], { remote: link });
    workspace.close();
    const db = new Database(join(dir, 'docs', `${mirror.id}.penholder`));
    db.prepare("UPDATE meta SET value = '{not json' WHERE key = 'remote'").run();
    db.close();
    workspace = Workspace.open(dir);
    expect(workspace.problems).toEqual([]);
    expect(workspace.get(mirror.id).remote).toBeNull();
    expect(workspace.get(mirror.id).title).toBe('Mirror');
  });
});
