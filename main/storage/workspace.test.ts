import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DISK_FULL_MESSAGE, StorageError, Workspace } from './index.ts';

let dir: string;
const opened: Workspace[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-storage-'));
});

afterEach(() => {
  for (const workspace of opened.splice(0)) workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openWorkspace(options?: Parameters<typeof Workspace.open>[1]): Workspace {
  const workspace = Workspace.open(dir, options);
  opened.push(workspace);
  return workspace;
}

/** A Y.Doc that records every update it emits, like the renderer does. */
function recordingDoc(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

/** Types a paragraph into the document's prosemirror fragment one keystroke per update. */
function typeParagraph(doc: Y.Doc, pid: string, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.setAttribute('pid', pid);
  const content = new Y.XmlText();
  paragraph.insert(0, [content]);
  const fragment = doc.getXmlFragment('prosemirror');
  fragment.insert(fragment.length, [paragraph]);
  for (const [i, char] of [...text].entries()) content.insert(i, char);
}

function docFrom(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

function storageCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof StorageError) return error.code;
    throw error;
  }
  return 'no error';
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Workspace documents', () => {
  it('creates the folder layout and starts empty', () => {
    const workspace = openWorkspace();
    expect(fs.statSync(path.join(dir, 'docs')).isDirectory()).toBe(true);
    expect(workspace.list({ trashed: false })).toEqual([]);
    expect(workspace.problems).toEqual([]);
    expect(workspace.dir).toBe(path.resolve(dir));
  });

  it('creates, renames, trashes, restores and purges, listing newest modified first', async () => {
    const workspace = openWorkspace();
    const a = workspace.create('  First report  ');
    await pause(3);
    const b = workspace.create('Second report');
    expect(a.title).toBe('First report');
    expect(a.id).toMatch(/^[a-z0-9][a-z0-9-]{2,63}$/);
    expect(a.id).not.toBe(b.id);
    expect(fs.existsSync(path.join(dir, 'docs', `${a.id}.penholder`))).toBe(true);
    expect(a.sizeBytes).toBeGreaterThan(0);
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([b.id, a.id]);

    await pause(3);
    const renamed = workspace.rename(a.id, 'Zero draft');
    expect(renamed.title).toBe('Zero draft');
    expect(renamed.modifiedAt).toBeGreaterThan(a.modifiedAt);
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([a.id, b.id]);

    const trashed = workspace.trash(b.id);
    expect(trashed.trashedAt).not.toBeNull();
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([a.id]);
    expect(workspace.list({ trashed: true }).map((d) => d.id)).toEqual([b.id]);

    expect(workspace.restore(b.id).trashedAt).toBeNull();
    expect(workspace.list({ trashed: true })).toEqual([]);

    expect(storageCode(() => workspace.purge(b.id))).toBe('invalid');
    workspace.trash(b.id);
    workspace.append(b.id, 'text', textUpdate('x'));
    workspace.purge(b.id);
    expect(fs.readdirSync(path.join(dir, 'docs')).filter((n) => n.startsWith(b.id))).toEqual([]);
    expect(storageCode(() => workspace.get(b.id))).toBe('not-found');
    expect(storageCode(() => workspace.load(b.id, 'text'))).toBe('not-found');
  });

  it('rejects titles that are empty or too long', () => {
    const workspace = openWorkspace();
    expect(storageCode(() => workspace.create('   '))).toBe('invalid');
    expect(storageCode(() => workspace.create('x'.repeat(201)))).toBe('invalid');
    const doc = workspace.create('Report');
    expect(storageCode(() => workspace.rename(doc.id, ''))).toBe('invalid');
    expect(workspace.get(doc.id).title).toBe('Report');
  });

  it('finds everything again after close and reopen', () => {
    const first = openWorkspace();
    const { doc, updates } = recordingDoc();
    const live = first.create('Annual progress report');
    const gone = first.create('Old paper');
    typeParagraph(doc, 'p1', 'States recall');
    for (const update of updates) first.append(live.id, 'text', update);
    first.rename(live.id, 'APR 2025');
    first.trash(gone.id);
    first.setSetting('lastOpenedId', live.id);
    const lastModified = first.get(live.id).modifiedAt;
    first.close();
    expect(storageCode(() => first.list({ trashed: false }))).toBe('storage');

    const second = openWorkspace();
    expect(second.problems).toEqual([]);
    expect(second.list({ trashed: false }).map((d) => [d.id, d.title])).toEqual([[live.id, 'APR 2025']]);
    expect(second.list({ trashed: true }).map((d) => d.id)).toEqual([gone.id]);
    expect(second.getSetting('lastOpenedId')).toBe(live.id);
    expect(second.get(live.id).modifiedAt).toBe(lastModified);
    const loaded = second.load(live.id, 'text');
    expect(loaded.updateCount).toBe(updates.length);
    expect(docFrom(loaded.state).getXmlFragment('prosemirror').toString()).toBe(doc.getXmlFragment('prosemirror').toString());
  });

  it('loads an absent Y.Doc as an empty document', () => {
    const workspace = openWorkspace();
    const doc = workspace.create('Report');
    const loaded = workspace.load(doc.id, 'd/FRA');
    expect(loaded.updateCount).toBe(0);
    expect(Array.from(loaded.state)).toEqual(Array.from(Y.encodeStateAsUpdate(new Y.Doc())));
    expect(workspace.ydocs(doc.id)).toEqual([]);
  });

  it('merges every row of a Y.Doc on load and keeps Y.Docs apart', () => {
    const workspace = openWorkspace();
    const stored = workspace.create('Report');
    const text = recordingDoc();
    typeParagraph(text.doc, 'p1', 'The Group affirms');
    typeParagraph(text.doc, 'p2', 'The Group recommends');
    text.doc.getXmlFragment('prosemirror').delete(0, 1);
    const chair = recordingDoc();
    chair.doc.getMap('statuses').set('p2', 'agreed-ad-ref');

    const seqs = text.updates.map((u) => workspace.append(stored.id, 'text', u).seq);
    for (const u of chair.updates) workspace.append(stored.id, 'chair', u);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    const loaded = workspace.load(stored.id, 'text');
    expect(loaded.updateCount).toBe(text.updates.length);
    const restored = docFrom(loaded.state);
    expect(restored.getXmlFragment('prosemirror').toString()).toBe('<paragraph pid="p2">The Group recommends</paragraph>');
    expect(docFrom(workspace.load(stored.id, 'chair').state).getMap('statuses').get('p2')).toBe('agreed-ad-ref');
    expect(workspace.ydocs(stored.id)).toEqual(['chair', 'text']);
  });

  it('updates modifiedAt and size as changes are appended', async () => {
    const workspace = openWorkspace();
    const stored = workspace.create('Report');
    await pause(3);
    workspace.append(stored.id, 'text', textUpdate('x'.repeat(20_000)));
    const after = workspace.get(stored.id);
    expect(after.modifiedAt).toBeGreaterThan(stored.modifiedAt);
    expect(after.sizeBytes).toBeGreaterThan(stored.sizeBytes + 20_000);
  });

  it('stores an update that is a view into a larger buffer exactly as the view reads', () => {
    const workspace = openWorkspace();
    const stored = workspace.create('Report');
    const update = textUpdate('view');
    const big = new Uint8Array(update.length + 20);
    big.set(update, 10);
    workspace.append(stored.id, 'text', big.subarray(10, 10 + update.length));
    expect(docFrom(workspace.load(stored.id, 'text').state).getText('t').toString()).toBe('view');
  });

  it('keeps only a few files open and still saves to every document', () => {
    const workspace = openWorkspace({ maxOpenFiles: 2 });
    const ids = ['A', 'B', 'C', 'D'].map((title) => workspace.create(title).id);
    for (let round = 0; round < 3; round += 1) {
      for (const [i, id] of ids.entries()) workspace.append(id, 'text', textUpdate(`${i}/${round}`));
    }
    for (const id of ids) expect(workspace.load(id, 'text').updateCount).toBe(3);
    workspace.close();
    const reopened = openWorkspace();
    expect(ids.map((id) => reopened.load(id, 'text').updateCount)).toEqual([3, 3, 3, 3]);
  });

  it('duplicates every Y.Doc compacted, under "<title> (copy)"', () => {
    const workspace = openWorkspace();
    const source = workspace.create('Discussion paper');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'Elements for a mechanism');
    for (const u of updates) workspace.append(source.id, 'text', u);
    workspace.append(source.id, 'd/EU', textUpdate('support'));

    const copy = workspace.duplicate(source.id);
    expect(copy.id).not.toBe(source.id);
    expect(copy.title).toBe('Discussion paper (copy)');
    expect(workspace.ydocs(copy.id)).toEqual(['d/EU', 'text']);
    const copied = workspace.load(copy.id, 'text');
    expect(copied.updateCount).toBe(1);
    expect(docFrom(copied.state).getXmlFragment('prosemirror').toString()).toBe(doc.getXmlFragment('prosemirror').toString());
    expect(workspace.duplicate(source.id, 'Rev.1 draft').title).toBe('Rev.1 draft');
    // The copy is independent of its source.
    workspace.append(copy.id, 'text', textUpdate('only in the copy'));
    expect(workspace.load(source.id, 'text').updateCount).toBe(updates.length);
  });
});

describe('Workspace input checks', () => {
  it('rejects ids that could reach outside docs/ and never touches such paths', () => {
    const workspace = openWorkspace();
    fs.writeFileSync(path.join(dir, 'secret.penholder'), 'outside');
    for (const id of ['../secret', '..', 'a/../../b', 'ABC', 'ab', 'abc/def', 'abc\\def', '', 'nul', 'con', `a${'b'.repeat(64)}`]) {
      expect(storageCode(() => workspace.get(id))).toBe('invalid');
      expect(storageCode(() => workspace.load(id, 'text'))).toBe('invalid');
      expect(storageCode(() => workspace.append(id, 'text', textUpdate('x')))).toBe('invalid');
    }
    expect(storageCode(() => workspace.get(undefined as unknown as string))).toBe('invalid');
    expect(fs.readFileSync(path.join(dir, 'secret.penholder'), 'utf8')).toBe('outside');
  });

  it('refuses empty, non-byte, malformed updates and unknown Y.Doc names, storing nothing', () => {
    const workspace = openWorkspace();
    const stored = workspace.create('Report');
    const good = textUpdate('ok');
    expect(storageCode(() => workspace.append(stored.id, 'text', new Uint8Array()))).toBe('invalid');
    expect(storageCode(() => workspace.append(stored.id, 'text', [1, 2, 3] as unknown as Uint8Array))).toBe('invalid');
    expect(storageCode(() => workspace.append(stored.id, 'text', 'abc' as unknown as Uint8Array))).toBe('invalid');
    expect(storageCode(() => workspace.append(stored.id, 'text', good.subarray(0, good.length - 3)))).toBe('invalid');
    expect(storageCode(() => workspace.append(stored.id, 'text', new Uint8Array([5, 6, 7, 8, 9])))).toBe('invalid');
    for (const name of ['notes', 'd/fr', 'd/', '../text', 'text/../chair', 'D/text']) {
      expect(storageCode(() => workspace.append(stored.id, name, good))).toBe('invalid');
      expect(storageCode(() => workspace.load(stored.id, name))).toBe('invalid');
    }
    expect(storageCode(() => workspace.create('Report', [{ ydoc: 'text', update: new Uint8Array([1]) }]))).toBe('invalid');
    expect(workspace.list({ trashed: false })).toHaveLength(1);
    expect(workspace.ydocs(stored.id)).toEqual([]);
  });

  it('stores only updates that still load: random mutations of real updates never break a load', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Fuzzed');
    const { doc, updates } = recordingDoc();
    // A fixed client and seed: with only Y.decodeUpdate as the gate, this sequence stores rows that no Y.Doc can load.
    doc.clientID = 4242;
    typeParagraph(doc, 'p1', 'Recalling agreed language');
    doc.getText('t').insert(0, 'abc');
    doc.getText('t').delete(1, 1);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 3000; i += 1) {
      const mutated = (updates[random(updates.length)] as Uint8Array).slice();
      for (let flips = 1 + random(3); flips > 0; flips -= 1) mutated[random(mutated.length)] = random(256);
      try {
        workspace.append(stored.id, 'text', mutated);
        accepted += 1;
      } catch (error) {
        expect(error).toBeInstanceOf(StorageError);
        rejected += 1;
      }
    }
    expect(rejected).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
    const loaded = workspace.load(stored.id, 'text');
    expect(loaded.updateCount).toBe(accepted);
    expect(() => docFrom(loaded.state).getXmlFragment('prosemirror').toString()).not.toThrow();
  });
});

/** Bytes that Y.decodeUpdate reads but no Y.Doc can apply (a content reference Yjs does not know): found by fuzzing. */
const UNAPPLICABLE_UPDATE = new Uint8Array([0, 1, 146, 33, 1, 1, 0]);

/** The stored rows of one Y.Doc, read straight from the file in seq order. */
function rowsOnDisk(id: string, ydoc: string): Array<{ seq: number; data: Uint8Array; at: number }> {
  const db = new Database(path.join(dir, 'docs', `${id}.penholder`), { readonly: true });
  try {
    return db.prepare('SELECT seq, data, at FROM updates WHERE ydoc = ? ORDER BY seq').all(ydoc) as Array<{ seq: number; data: Uint8Array; at: number }>;
  } finally {
    db.close();
  }
}

describe('Workspace appendMany (group commit)', () => {
  it('stores a group of updates in one transaction, in order, one row each, and sets modifiedAt', async () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'The Group affirms');
    await pause(3);
    const { seqs } = workspace.appendMany(stored.id, 'text', updates);
    expect(seqs).toHaveLength(updates.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(workspace.get(stored.id).modifiedAt).toBeGreaterThan(stored.modifiedAt);

    const loaded = workspace.load(stored.id, 'text');
    expect(loaded.updateCount).toBe(updates.length);
    expect(docFrom(loaded.state).getXmlFragment('prosemirror').toString()).toBe('<paragraph pid="p1">The Group affirms</paragraph>');
    const rows = rowsOnDisk(stored.id, 'text');
    expect(rows.map((row) => row.seq)).toEqual(seqs);
    expect(rows.map((row) => Array.from(row.data))).toEqual(updates.map((u) => Array.from(u)));
    // One transaction: every row carries the same commit time.
    expect(new Set(rows.map((row) => row.at)).size).toBe(1);

    // Later single appends and groups continue the same log.
    const more = textUpdate('and more');
    expect(workspace.append(stored.id, 'chair', more).seq).toBeGreaterThan(seqs.at(-1) as number);
    expect(workspace.appendMany(stored.id, 'text', [])).toEqual({ seqs: [] });
    expect(workspace.load(stored.id, 'text').updateCount).toBe(updates.length);
  });

  it('stores none of the group when one update is not a readable update or cannot be applied', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'Recalling');
    workspace.append(stored.id, 'text', updates[0] as Uint8Array);
    const rest = updates.slice(1);
    expect(rest.length).toBeGreaterThan(2);

    expect(() => Y.decodeUpdate(UNAPPLICABLE_UPDATE)).not.toThrow();
    for (const bad of [new Uint8Array([1, 2, 3]), new Uint8Array(), UNAPPLICABLE_UPDATE, 'abc' as unknown as Uint8Array]) {
      const group = [...rest];
      group.splice(1, 0, bad);
      expect(storageCode(() => workspace.appendMany(stored.id, 'text', group))).toBe('invalid');
      expect(workspace.load(stored.id, 'text').updateCount).toBe(1);
    }
    expect(storageCode(() => workspace.appendMany(stored.id, 'text', 'not a list' as unknown as Uint8Array[]))).toBe('invalid');
    expect(storageCode(() => workspace.appendMany(stored.id, '../text', rest))).toBe('invalid');
    expect(storageCode(() => workspace.appendMany('no-such-document', 'text', rest))).toBe('not-found');

    // The refused groups left nothing behind, not even in the check of what applies: the good updates still go in.
    workspace.appendMany(stored.id, 'text', rest);
    expect(workspace.load(stored.id, 'text').updateCount).toBe(updates.length);
    expect(docFrom(workspace.load(stored.id, 'text').state).getXmlFragment('prosemirror').toString()).toBe(
      doc.getXmlFragment('prosemirror').toString(),
    );
  });

  it('stores none of the group on a full disk, and the whole group once there is room again', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    const text = doc.getText('t');
    text.insert(0, 'seed');
    workspace.append(stored.id, 'text', updates.at(-1) as Uint8Array);
    workspace.limitDiskForTest(stored.id, 0);
    const group: Uint8Array[] = [];
    for (let i = 0; i < 5; i += 1) {
      text.insert(text.length, `${i}:${'x'.repeat(20_000)}|`);
      group.push(updates.at(-1) as Uint8Array);
    }
    let failure: unknown;
    try {
      workspace.appendMany(stored.id, 'text', group);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).code).toBe('disk-full');
    expect(workspace.load(stored.id, 'text').updateCount).toBe(1);
    expect(docFrom(workspace.load(stored.id, 'text').state).getText('t').toString()).toBe('seed');

    workspace.limitDiskForTest(stored.id, null);
    expect(workspace.appendMany(stored.id, 'text', group).seqs).toHaveLength(5);
    workspace.close();
    const reopened = openWorkspace();
    const final = reopened.load(stored.id, 'text');
    expect(final.updateCount).toBe(6);
    expect(docFrom(final.state).getText('t').toString()).toBe(text.toString());
  });

  it('counts the stored rows of a Y.Doc through appends and compaction', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    expect(workspace.rowCount(stored.id, 'text')).toBe(0);
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'Noting');
    workspace.appendMany(stored.id, 'text', updates);
    workspace.append(stored.id, 'text', textUpdate('one more'));
    expect(workspace.rowCount(stored.id, 'text')).toBe(updates.length + 1);
    expect(workspace.rowCount(stored.id, 'chair')).toBe(0);
    workspace.compact(stored.id, 'text');
    expect(workspace.rowCount(stored.id, 'text')).toBe(1);
    expect(storageCode(() => workspace.rowCount(stored.id, 'bad name'))).toBe('invalid');
  });

  it('compacts after a group that takes the Y.Doc past the threshold', () => {
    const workspace = openWorkspace({ compactThreshold: 20 });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'a'.repeat(30));
    expect(updates.length).toBeGreaterThan(20);
    workspace.appendMany(stored.id, 'text', updates);
    const loaded = workspace.load(stored.id, 'text');
    expect(loaded.updateCount).toBe(1);
    expect(docFrom(loaded.state).getXmlFragment('prosemirror').toString()).toBe(doc.getXmlFragment('prosemirror').toString());
  });
});

describe('Workspace compaction', () => {
  it('merges rows into one with the state unchanged, and later appends still apply', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'Existing and potential threats');
    typeParagraph(doc, 'p2', 'Confidence-building measures');
    doc.getXmlFragment('prosemirror').delete(0, 1);
    for (const u of updates) workspace.append(stored.id, 'text', u);
    workspace.append(stored.id, 'chair', textUpdate('Rev.1'));

    const before = workspace.load(stored.id, 'text');
    const result = workspace.compact(stored.id, 'text');
    expect(result).toEqual({ rowsBefore: updates.length, rowsAfter: 1 });
    const after = workspace.load(stored.id, 'text');
    expect(after.updateCount).toBe(1);
    expect(Array.from(Y.encodeStateAsUpdate(docFrom(after.state)))).toEqual(Array.from(Y.encodeStateAsUpdate(docFrom(before.state))));
    expect(workspace.load(stored.id, 'chair').updateCount).toBe(1);

    const more = recordingDoc();
    Y.applyUpdate(more.doc, after.state);
    typeParagraph(more.doc, 'p3', 'Capacity-building');
    for (const u of more.updates) workspace.append(stored.id, 'text', u);
    expect(docFrom(workspace.load(stored.id, 'text').state).getXmlFragment('prosemirror').toString()).toBe(
      more.doc.getXmlFragment('prosemirror').toString(),
    );
    expect(workspace.compact(stored.id)).toEqual({ rowsBefore: 1 + more.updates.length + 1, rowsAfter: 2 });
  });

  it('empties the write-ahead log after compacting, so the listed size shrinks with the rows', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    // Many small edits of one paragraph: a long log whose merged state is small.
    typeParagraph(doc, 'p1', 'x');
    const text = (doc.getXmlFragment('prosemirror').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    for (let i = 0; i < 2000; i++) {
      text.insert(0, 'abcdefgh');
      text.delete(0, 8);
    }
    for (const u of updates) workspace.append(stored.id, 'text', u);
    const sizeBefore = workspace.get(stored.id).sizeBytes;
    workspace.compact(stored.id, 'text');
    const sizeAfter = workspace.get(stored.id).sizeBytes;
    const wal = `${path.join(workspace.dir, 'docs', stored.id)}.penholder-wal`;
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    expect(sizeAfter).toBeLessThan(sizeBefore / 2);
    expect(docFrom(workspace.load(stored.id, 'text').state).getXmlFragment('prosemirror').toString()).toBe(
      doc.getXmlFragment('prosemirror').toString(),
    );
  });

  it('compacts automatically past the threshold, keeping the newest seq on the merged row', () => {
    const workspace = openWorkspace({ compactThreshold: 20 });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    typeParagraph(doc, 'p1', 'a'.repeat(30));
    const seqs = updates.map((u) => workspace.append(stored.id, 'text', u).seq);
    const loaded = workspace.load(stored.id, 'text');
    expect(loaded.updateCount).toBeLessThanOrEqual(21);
    expect(loaded.updateCount).toBeLessThan(updates.length);
    expect(docFrom(loaded.state).getXmlFragment('prosemirror').toString()).toBe(doc.getXmlFragment('prosemirror').toString());
    workspace.close();
    const db = new Database(path.join(dir, 'docs', `${stored.id}.penholder`), { readonly: true });
    const stored_seqs = db.prepare('SELECT seq FROM updates ORDER BY seq').pluck().all() as number[];
    db.close();
    expect(stored_seqs.at(-1)).toBe(seqs.at(-1));
    expect(stored_seqs.every((s) => seqs.includes(s))).toBe(true);
  });
});

describe('Workspace damaged files', () => {
  /** Builds a workspace with two sound documents and returns their ids and text. */
  function twoDocuments(): { keep: string; victim: string } {
    const workspace = Workspace.open(dir);
    const keep = workspace.create('Sound');
    workspace.append(keep.id, 'text', textUpdate('still here'));
    const victim = workspace.create('Victim');
    for (let i = 0; i < 200; i += 1) workspace.append(victim.id, 'text', textUpdate(`row ${i} `.repeat(20)));
    workspace.close();
    return { keep: keep.id, victim: victim.id };
  }

  function expectMovedAside(workspace: Workspace, victim: string, original: Buffer, reason: RegExp): void {
    expect(workspace.problems).toHaveLength(1);
    const [problem] = workspace.problems;
    const file = path.join(dir, 'docs', `${victim}.penholder`);
    expect(problem?.file).toBe(file);
    expect(problem?.movedTo.startsWith(path.join(dir, 'damaged', `${victim}.penholder.`))).toBe(true);
    expect(problem?.message).toMatch(reason);
    expect(problem?.message).toContain('nothing was overwritten');
    expect(problem?.message).toContain(problem?.movedTo);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(problem?.movedTo as string).equals(original)).toBe(true);
    expect(workspace.list({ trashed: false }).map((d) => d.title)).toEqual(['Sound']);
    expect(storageCode(() => workspace.get(victim))).toBe('not-found');
  }

  it('moves aside a file of random bytes; the other document still loads', () => {
    const { keep, victim } = twoDocuments();
    const junk = Buffer.alloc(8192);
    for (let i = 0; i < junk.length; i += 1) junk[i] = (i * 7919 + 13) % 251;
    fs.writeFileSync(path.join(dir, 'docs', `${victim}.penholder`), junk);
    const workspace = openWorkspace();
    expectMovedAside(workspace, victim, junk, /could not be read \(file is not a database\) and was moved to/);
    expect(docFrom(workspace.load(keep, 'text').state).getText('t').toString()).toBe('still here');
  });

  it('moves aside a truncated real database', () => {
    const { keep, victim } = twoDocuments();
    const file = path.join(dir, 'docs', `${victim}.penholder`);
    const whole = fs.readFileSync(file);
    expect(whole.length).toBeGreaterThan(8 * 4096);
    const truncated = whole.subarray(0, Math.floor(whole.length / 4096 / 2) * 4096 + 1000);
    fs.writeFileSync(file, truncated);
    const workspace = openWorkspace();
    expectMovedAside(workspace, victim, truncated, /could not be read \(.+\) and was moved to/);
    expect(workspace.load(keep, 'text').updateCount).toBe(1);
  });

  it('moves aside a zero-length file', () => {
    const { keep, victim } = twoDocuments();
    fs.writeFileSync(path.join(dir, 'docs', `${victim}.penholder`), '');
    const workspace = openWorkspace();
    expectMovedAside(workspace, victim, Buffer.alloc(0), /could not be read \(the file is empty\)/);
    expect(workspace.load(keep, 'text').updateCount).toBe(1);
  });

  it('moves aside an unrelated SQLite database and never overwrites an earlier damaged copy', () => {
    const { victim } = twoDocuments();
    const file = path.join(dir, 'docs', `${victim}.penholder`);
    for (let round = 0; round < 2; round += 1) {
      fs.rmSync(file, { force: true });
      const other = new Database(file);
      other.exec(`CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('round ${round}')`);
      other.close();
      const workspace = openWorkspace();
      expect(workspace.problems[0]?.message).toMatch(/not a Penholder document/);
      workspace.close();
    }
    const moved = fs.readdirSync(path.join(dir, 'damaged'));
    expect(moved).toHaveLength(2);
    const texts = moved.map((name) => {
      const db = new Database(path.join(dir, 'damaged', name), { readonly: true });
      const text = db.prepare('SELECT text FROM notes').pluck().get();
      db.close();
      return text;
    });
    expect(texts.sort()).toEqual(['round 0', 'round 1']);
  });

  it('moves aside a document found damaged while in use and says where it went', () => {
    const { keep, victim } = twoDocuments();
    const workspace = openWorkspace();
    expect(workspace.problems).toEqual([]);
    const file = path.join(dir, 'docs', `${victim}.penholder`);
    const bytes = fs.readFileSync(file);
    // Keep page 1 (header and schema) so opening works; ruin every page after it.
    for (let offset = 4096; offset < bytes.length; offset += 1) bytes[offset] = (offset * 31) % 256;
    fs.writeFileSync(file, bytes);
    let failure: unknown;
    try {
      workspace.load(victim, 'text');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).code).toBe('corrupt');
    expect((failure as StorageError).message).toContain(workspace.problems[0]?.movedTo);
    expectMovedAside(workspace, victim, bytes, /could not be read \(.+\) and was moved to/);
    expect(workspace.load(keep, 'text').updateCount).toBe(1);
  });

  it('survives a docs/ folder full of junk and leaves files it did not name alone', () => {
    const { keep } = twoDocuments();
    const docs = path.join(dir, 'docs');
    fs.writeFileSync(path.join(docs, 'README.txt'), 'hello');
    fs.writeFileSync(path.join(docs, 'Not An Id.penholder'), 'junk');
    fs.writeFileSync(path.join(docs, 'abc-orphan.penholder-wal'), 'junk');
    fs.mkdirSync(path.join(docs, 'folder-like.penholder'));
    fs.writeFileSync(path.join(docs, `.${keep}x.penholder.creating`), 'unfinished create');
    for (let i = 0; i < 20; i += 1) fs.writeFileSync(path.join(docs, `junk-${i}.penholder`), Buffer.alloc(i * 37, i));
    const workspace = openWorkspace();
    expect(workspace.list({ trashed: false }).map((d) => d.title).sort()).toEqual(['Sound', 'Victim']);
    expect(workspace.problems).toHaveLength(20);
    expect(workspace.problems.every((p) => p.movedTo.includes(`${path.sep}damaged${path.sep}`))).toBe(true);
    expect(fs.readFileSync(path.join(docs, 'README.txt'), 'utf8')).toBe('hello');
    expect(fs.existsSync(path.join(docs, 'Not An Id.penholder'))).toBe(true);
    expect(fs.existsSync(path.join(docs, `.${keep}x.penholder.creating`))).toBe(false);
    expect(workspace.load(keep, 'text').updateCount).toBe(1);
  });

  it('leaves a file from a newer Penholder in place, unlisted, and says so', () => {
    const { keep, victim } = twoDocuments();
    const file = path.join(dir, 'docs', `${victim}.penholder`);
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schemaVersion'").run();
    db.close();
    const workspace = openWorkspace();
    expect(workspace.problems).toHaveLength(1);
    expect(workspace.problems[0]?.movedTo).toBe(file);
    expect(workspace.problems[0]?.message).toMatch(/newer version of Penholder .* left where it is/);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'damaged'))).toBe(false);
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([keep]);
  });

  it('moves a corrupt settings.json aside and starts from defaults', () => {
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"lastOpenedId": ');
    const workspace = openWorkspace();
    expect(workspace.problems).toHaveLength(1);
    expect(workspace.problems[0]?.message).toMatch(/settings file settings\.json could not be read/);
    expect(fs.readFileSync(workspace.problems[0]?.movedTo as string, 'utf8')).toBe('{"lastOpenedId": ');
    expect(workspace.getSetting('lastOpenedId')).toBeNull();
    workspace.setSetting('lastOpenedId', 'abc-123');
    workspace.setSetting('sampleCreated', 'true');
    workspace.setSetting('sampleCreated', null);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({ lastOpenedId: 'abc-123' });
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(storageCode(() => workspace.setSetting('', 'x'))).toBe('invalid');
  });
});

describe('Workspace disk full', () => {
  it('reports SQLITE_FULL as disk-full, loses nothing stored, and saves again once there is room', () => {
    const workspace = openWorkspace({ compactThreshold: Number.POSITIVE_INFINITY });
    const stored = workspace.create('Report');
    const { doc, updates } = recordingDoc();
    const text = doc.getText('t');
    text.insert(0, 'seed');
    workspace.append(stored.id, 'text', updates.at(-1) as Uint8Array);
    workspace.limitDiskForTest(stored.id, 4);

    let failure: unknown;
    let saved = 0;
    for (let i = 0; i < 500 && failure === undefined; i += 1) {
      text.insert(text.length, `${i}:${'x'.repeat(900)}|`);
      try {
        workspace.append(stored.id, 'text', updates.at(-1) as Uint8Array);
        saved += 1;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).code).toBe('disk-full');
    expect((failure as StorageError).message).toBe(DISK_FULL_MESSAGE);
    expect(saved).toBeGreaterThan(0);

    const afterFailure = workspace.load(stored.id, 'text');
    expect(afterFailure.updateCount).toBe(1 + saved);
    const savedText = docFrom(afterFailure.state).getText('t').toString();
    expect(savedText.length).toBeGreaterThan(4);
    expect(savedText).toBe(text.toString().slice(0, savedText.length));
    expect(savedText.length).toBeLessThan(text.length);

    workspace.limitDiskForTest(stored.id, null);
    workspace.append(stored.id, 'text', updates.at(-1) as Uint8Array);
    workspace.close();

    const reopened = openWorkspace();
    const final = reopened.load(stored.id, 'text');
    expect(final.updateCount).toBe(2 + saved);
    expect(docFrom(final.state).getText('t').toString()).toBe(text.toString());
  });
});

/** A whole Y.Doc whose text `t` reads `content`, as one update. */
function textUpdate(content: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, content);
  return Y.encodeStateAsUpdate(doc);
}
