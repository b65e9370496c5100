import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deflateSync } from 'fflate';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { body, li, ll, np, p } from '../../schema/test-builder.ts';
import { schema } from '../../schema/index.ts';
import { ChairNegotiator } from '../negotiation/chair.ts';
import { isLocked } from '../negotiation/statuses.ts';
import { readStatus } from '../negotiation/store.ts';
import { editAsChair, readText, setupDocs, steppingClock, testOptions, type TestDocs } from '../negotiation/test-setup.ts';
import {
  currentBaseline,
  cutRevision,
  inflateRevisionState,
  findRevision,
  isFinal,
  latestRevision,
  listRevisions,
  nextRevisionLabel,
  numbersInForce,
  revisionDocument,
  revisionProblems,
  revisionLabelInForce,
  revisionsArray,
  revisionState,
} from './store.ts';
import { MAX_REVISION_STATE_BYTES, MAX_REVISION_STATE_CHARS, RevisionEntry, RevisionError, type RevisionErrorCode } from './types.ts';

function setup(): TestDocs {
  return setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate.'),
      ll(li(p({ pid: 's1' }, 'by sharing information;'))),
      np({ pid: 'p2' }, 'Capacity-building remains a priority.'),
      p({ pid: 'u1' }, 'An unnumbered paragraph.'),
      np({ pid: 'p3' }, 'The group will meet again.'),
    ),
  );
}

/** Cuts with a pinned clock, so dates and times are reproducible. */
function cut(docs: TestDocs, extra: { label?: string; date?: string; note?: string; by?: string } = {}, now = steppingClock()) {
  return cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now, ...extra });
}

function refusal(action: () => unknown): RevisionErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof RevisionError) return error.code;
    throw error;
  }
  throw new Error('the action was not refused');
}

/** Inserts a numbered paragraph after the top-level block holding `afterPid` (null: first in the body). */
function insertAfter(docs: TestDocs, afterPid: string | null, pid: string, text: string): void {
  editAsChair(docs.text, (tr) => {
    let at = tr.doc.child(0).nodeSize;
    tr.doc.forEach((node, offset) => {
      if (afterPid !== null && node.attrs['pid'] === afterPid) at = offset + node.nodeSize;
    });
    tr.insert(at, np({ pid }, text));
  });
}

function deleteBlock(docs: TestDocs, pid: string): void {
  editAsChair(docs.text, (tr) => {
    tr.doc.forEach((node, offset) => {
      if (node.attrs['pid'] === pid) tr.delete(offset, offset + node.nodeSize);
    });
  });
}

describe('cutting revisions', () => {
  it('labels them Zero draft, Rev.1, Rev.2 ... by default and records who, when and the note', () => {
    const docs = setup();
    const now = steppingClock(Date.UTC(2025, 2, 10, 9));
    expect(revisionLabelInForce(docs.chair)).toBeNull();
    const zero = cut(docs, { note: 'Circulated to all delegations' }, now);
    expect(zero).toMatchObject({ label: 'Zero draft', date: '2025-03-10', note: 'Circulated to all delegations', by: 'The Chair', at: '2025-03-10T09:00:00.000Z' });
    expect(cut(docs, {}, now).label).toBe('Rev.1');
    expect(cut(docs, { label: 'Chair\u2019s non-paper', date: '2025-03-12' }, now).date).toBe('2025-03-12');
    expect(cut(docs, {}, now).label).toBe('Rev.2');
    const final = cut(docs, { label: 'Final' }, now);
    expect(isFinal(final)).toBe(true);
    expect(listRevisions(docs.chair).map((entry) => entry.label)).toEqual(['Zero draft', 'Rev.1', 'Chair\u2019s non-paper', 'Rev.2', 'Final']);
    expect(latestRevision(docs.chair)?.id).toBe(final.id);
    expect(revisionLabelInForce(docs.chair)).toBe('Final');
    expect(findRevision(docs.chair, zero.id)?.note).toBe('Circulated to all delegations');
    expect(new Set(listRevisions(docs.chair).map((entry) => entry.id)).size).toBe(5);
  });

  it('continues one past the highest Rev.N, whatever else was cut in between', () => {
    expect(nextRevisionLabel([])).toBe('Zero draft');
    expect(nextRevisionLabel(['Zero draft'])).toBe('Rev.1');
    expect(nextRevisionLabel(['Zero draft', 'Rev.1', 'rev. 4', 'Informal'])).toBe('Rev.5');
    expect(nextRevisionLabel(['Informal'])).toBe('Rev.1');
  });

  it('refuses a label already used (ignoring case and spacing) and writes nothing', () => {
    const docs = setup();
    cut(docs);
    cut(docs);
    expect(refusal(() => cut(docs, { label: ' rev.1 ' }))).toBe('duplicate-label');
    expect(refusal(() => cut(docs, { label: 'ZERO  DRAFT' }))).toBe('duplicate-label');
    expect(revisionsArray(docs.chair).length).toBe(2);
    expect(cut(docs).label).toBe('Rev.2');
  });

  it('refuses an invalid date, an empty label or a missing name with a clear error, writing nothing', () => {
    const docs = setup();
    expect(refusal(() => cut(docs, { date: '2025-13-45' }))).toBe('invalid');
    expect(refusal(() => cut(docs, { label: '   ' }))).toBe('invalid');
    expect(refusal(() => cut(docs, { by: '' }))).toBe('invalid');
    expect(() => cut(docs, { date: 'tomorrow' })).toThrow(/date/);
    expect(revisionsArray(docs.chair).length).toBe(0);
  });

  it('skips an entry that does not validate when listing, and names it', () => {
    const docs = setup();
    cut(docs);
    revisionsArray(docs.chair).push([{ label: 'Rev.9', state: 42 }]);
    cut(docs);
    expect(listRevisions(docs.chair).map((entry) => entry.label)).toEqual(['Zero draft', 'Rev.1']);
    expect(revisionProblems(docs.chair)).toHaveLength(1);
    expect(revisionProblems(docs.chair)[0]).toMatch(/^revision #2: /);
  });

  it('records the numbering 1..N of the numbered paragraphs only', () => {
    const docs = setup();
    expect(cut(docs).numbers).toEqual({ p1: 1, p2: 2, p3: 3 });
  });
});

describe('opening a revision', () => {
  it('gives back the text exactly as it stood at the cut', () => {
    const docs = setup();
    const zero = cut(docs);
    const opened = revisionDocument(zero, schema);
    opened.check();
    expect(opened.toJSON()).toEqual(readText(docs.text).toJSON());
  });

  it('is immutable: editing the text after the cut changes neither the entry nor its document', () => {
    const docs = setup();
    const zero = cut(docs);
    const before = revisionDocument(zero).toJSON();
    insertAfter(docs, 'p1', 'n1', 'A new paragraph.');
    deleteBlock(docs, 'p3');
    const rev1 = cut(docs);
    expect(revisionDocument(zero).toJSON()).toEqual(before);
    expect(listRevisions(docs.chair)[0]).toEqual(zero);
    expect(revisionDocument(rev1).toJSON()).toEqual(readText(docs.text).toJSON());
    expect(revisionDocument(rev1).toJSON()).not.toEqual(before);
    expect(revisionDocument(zero).textContent).toContain('The group will meet again.');
    expect(revisionDocument(rev1).textContent).not.toContain('The group will meet again.');
  });

  it('opens from a replica of D/chair alone, without the live text', () => {
    const docs = setup();
    cut(docs, { note: 'for the replica' });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(docs.chair));
    const [entry] = listRevisions(replica);
    if (!entry) throw new Error('the revision did not replicate');
    expect(entry.note).toBe('for the replica');
    expect(revisionDocument(entry).toJSON()).toEqual(readText(docs.text).toJSON());
  });

  it('refuses an entry whose state is not a Yjs update', () => {
    const docs = setup();
    const entry = { ...cut(docs), state: 'AAEC' };
    expect(refusal(() => revisionDocument(entry))).toBe('unreadable');
  });
});

describe('numbering in force', () => {
  it('runs 1..N before any revision', () => {
    const docs = setup();
    expect(currentBaseline(docs.chair)).toBeUndefined();
    expect([...numbersInForce(readText(docs.text), docs.chair)]).toEqual([
      ['p1', '1'],
      ['p2', '2'],
      ['p3', '3'],
    ]);
  });

  it('keeps the revision\u2019s numbers and numbers new paragraphs bis, ter until the next cut renumbers 1..N', () => {
    const docs = setup();
    cut(docs);
    insertAfter(docs, 'p1', 'n1', 'First new paragraph.');
    insertAfter(docs, 'n1', 'n2', 'Second new paragraph.');
    insertAfter(docs, null, 'n0', 'A new first paragraph.');
    deleteBlock(docs, 'p2');
    expect(currentBaseline(docs.chair)).toEqual(new Map([['p1', 1], ['p2', 2], ['p3', 3]]));
    expect([...numbersInForce(readText(docs.text), docs.chair)]).toEqual([
      ['n0', '0 bis'],
      ['p1', '1'],
      ['n1', '1 bis'],
      ['n2', '1 ter'],
      ['p3', '3'],
    ]);
    const rev1 = cut(docs);
    expect(rev1.numbers).toEqual({ n0: 1, p1: 2, n1: 3, n2: 4, p3: 5 });
    expect([...numbersInForce(readText(docs.text), docs.chair).values()]).toEqual(['1', '2', '3', '4', '5']);
    insertAfter(docs, 'p3', 'n3', 'After the last.');
    expect(numbersInForce(readText(docs.text), docs.chair).get('n3')).toBe('5 bis');
  });

  it('opens an old revision with its own numbers, whatever the current ones are', () => {
    const docs = setup();
    const zero = cut(docs);
    insertAfter(docs, null, 'n0', 'A new first paragraph.');
    cut(docs);
    expect(zero.numbers).toEqual({ p1: 1, p2: 2, p3: 3 });
    expect(latestRevision(docs.chair)?.numbers).toEqual({ n0: 1, p1: 2, p2: 3, p3: 4 });
  });
});

describe('statuses across revisions', () => {
  it('keeps a paragraph status through cuts and edits, because statuses are keyed by pid', () => {
    const docs = setup();
    const chair = new ChairNegotiator(docs, testOptions('The Chair'));
    chair.setStatus('p2', 'agreed', 'Agreed ad ref in informals');
    chair.setStatus('p3', 'bracketed', 'No consensus');
    cut(docs);
    insertAfter(docs, null, 'n0', 'A new first paragraph.');
    const rev1 = cut(docs);
    expect(rev1.numbers['p2']).toBe(3);
    expect(readStatus(docs.chair, 'p2')).toMatchObject({ status: 'agreed', reason: 'Agreed ad ref in informals' });
    expect(readStatus(docs.chair, 'p3')?.status).toBe('bracketed');
    expect(isLocked(docs.chair, 'p2')).toBe(true);
    expect(isLocked(docs.chair, 'n0')).toBe(false);
  });
});

describe('revision states stored compressed', () => {
  /** An entry as the first clients wrote it: the plain state, no encoding. */
  function legacyEntry(docs: TestDocs, label: string): Record<string, unknown> {
    return {
      id: `legacy-${label}`,
      label,
      date: '2025-01-31',
      note: 'written before compression',
      by: 'The Chair',
      at: '2025-01-31T10:00:00.000Z',
      state: toBase64(Y.encodeStateAsUpdate(docs.text)),
      numbers: { p1: 1, p2: 2, p3: 3 },
    };
  }

  /** A cut revision with its stored state replaced by `bytes` (as a damaged or hostile replica would hold). */
  function withState(entry: RevisionEntry, bytes: Uint8Array): RevisionEntry {
    return { ...entry, state: toBase64(bytes) };
  }

  it('stores a new revision deflated, names the encoding, and reopens it exactly', () => {
    const docs = setup();
    const entry = cut(docs);
    expect(entry.encoding).toBe('deflate-raw');
    const plain = Y.encodeStateAsUpdate(docs.text);
    expect(revisionState(entry)).toEqual(plain);
    expect(fromBase64(entry.state).length).toBeLessThan(plain.length);
    expect(revisionDocument(entry).toJSON()).toEqual(readText(docs.text).toJSON());
    // And through a replica of D/chair, as another client receives it.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(docs.chair));
    expect(RevisionEntry.parse(listRevisions(replica)[0])).toEqual(entry);
  });

  it('still opens a legacy entry with a plain state, alongside compressed ones', () => {
    const docs = setup();
    const zero = readText(docs.text);
    revisionsArray(docs.chair).push([legacyEntry(docs, 'Zero draft')]);
    insertAfter(docs, 'p1', 'n1', 'A new paragraph.');
    const rev1 = cut(docs);
    const [legacy, compressed] = listRevisions(docs.chair);
    expect(revisionProblems(docs.chair)).toEqual([]);
    expect(legacy?.encoding).toBeUndefined();
    expect(compressed?.id).toBe(rev1.id);
    if (!legacy) throw new Error('the legacy entry was not listed');
    expect(revisionDocument(legacy).toJSON()).toEqual(zero.toJSON());
    expect(revisionDocument(rev1).toJSON()).toEqual(readText(docs.text).toJSON());
    expect(rev1.label).toBe('Rev.1');
  });

  it('refuses damaged compressed states as unreadable, and throws nowhere else', () => {
    const docs = setup();
    const good = cut(docs);
    const deflated = fromBase64(good.state);
    const damaged: RevisionEntry[] = [
      withState(good, new Uint8Array([0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05])), // not DEFLATE
      withState(good, deflated.subarray(0, Math.floor(deflated.length / 2))), // cut short
      withState(good, deflateSync(new TextEncoder().encode('not a Yjs update at all'))), // DEFLATE, but not a text
      { ...good, state: toBase64(Y.encodeStateAsUpdate(docs.text)) }, // plain bytes labelled deflated
    ];
    for (const entry of damaged) {
      expect(RevisionEntry.safeParse(entry).success).toBe(true);
      expect(refusal(() => revisionDocument(entry))).toBe('unreadable');
    }
    expect(() => revisionState(damaged[0] as RevisionEntry)).toThrow(/does not hold a readable text: its compressed state is damaged/);
    // Stored in D/chair, they are listed (they validate) and everything that does not open them keeps working.
    revisionsArray(docs.chair).push(damaged.map((entry, index) => ({ ...entry, id: `bad-${index}`, label: `Damaged ${index}` })));
    expect(listRevisions(docs.chair)).toHaveLength(5);
    expect(revisionProblems(docs.chair)).toEqual([]);
    expect(currentBaseline(docs.chair)).toEqual(new Map(Object.entries(good.numbers)));
    expect([...numbersInForce(readText(docs.text), docs.chair).values()]).toEqual(['1', '2', '3']);
    expect(cut(docs).label).toBe('Rev.1');
  });

  it('refuses a state that would inflate past the limit', () => {
    const docs = setup();
    const good = cut(docs);
    // 33 MiB of zeros deflate to about 33 KB: a small entry that would balloon if inflated blindly.
    const bomb = deflateSync(new Uint8Array(MAX_REVISION_STATE_BYTES + 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const entry = withState(good, bomb);
    expect(RevisionEntry.safeParse(entry).success).toBe(true);
    expect(refusal(() => revisionDocument(entry))).toBe('unreadable');
    expect(() => revisionState(entry)).toThrow(new RegExp(`inflates to more than ${MAX_REVISION_STATE_BYTES} bytes`));
    // The limit holds at any size: a small one refuses what a larger one lets through.
    const state = Y.encodeStateAsUpdate(docs.text);
    const packed = deflateSync(state);
    expect(inflateRevisionState(packed, state.length)).toEqual(state);
    expect(() => inflateRevisionState(packed, state.length - 1)).toThrow(/inflates to more than/);
    expect(() => inflateRevisionState(new Uint8Array(0))).toThrow(/empty/);
  });

  it('keeps validation strict: an unknown encoding or an oversized state is not listed, and is named', () => {
    const docs = setup();
    const good = cut(docs);
    revisionsArray(docs.chair).push([
      { ...good, id: 'zstd', label: 'Rev.8', encoding: 'zstd' },
      { ...good, id: 'huge', label: 'Rev.9', state: 'A'.repeat(MAX_REVISION_STATE_CHARS + 4) },
    ]);
    expect(listRevisions(docs.chair).map((entry) => entry.id)).toEqual([good.id]);
    const problems = revisionProblems(docs.chair);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^revision #2: /);
    expect(problems[1]).toMatch(/^revision #3: .*too large/);
  });
});
