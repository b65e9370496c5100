import { describe, expect, it } from 'vitest';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { EditorState, TextSelection, type Command, type Transaction } from 'prosemirror-state';
import { joinBackward, splitBlock } from 'prosemirror-commands';
import { splitListItem } from 'prosemirror-schema-list';
import { schema } from '../schema/index.ts';
import { body, doc, fn, header, li, ll, np, p, posOf, td, table, title, tr } from '../schema/test-builder.ts';
import { assignMissingPids, ensurePids, hasPid, newPid, pidPlugin, pidPluginKey } from './pids.ts';
import { seededRandom } from '../../tests/helpers/random.ts';

/** Every pid in document order (null where missing). */
function pids(root: ProseMirrorNode): Array<string | null> {
  const out: Array<string | null> = [];
  root.descendants((node) => {
    if (hasPid(node.type)) out.push((node.attrs['pid'] as string | null) ?? null);
    return !node.inlineContent;
  });
  return out;
}

/** The pid of the block whose text contains `needle`. */
function pidAt(root: ProseMirrorNode, needle: string): string | null {
  const $pos = root.resolve(posOf(root, needle));
  return $pos.parent.attrs['pid'] as string | null;
}

/** Every pid present and unique. */
function expectPidsSound(root: ProseMirrorNode): void {
  const all = pids(root);
  expect(all.every((pid) => typeof pid === 'string' && pid.length > 0), `pids ${JSON.stringify(all)}`).toBe(true);
  expect(new Set(all).size, `pids ${JSON.stringify(all)}`).toBe(all.length);
}

/** Pids sound and the document valid. */
function expectSound(root: ProseMirrorNode): void {
  expectPidsSound(root);
  root.check();
}

function stateOf(root: ProseMirrorNode, options?: Parameters<typeof pidPlugin>[0]): EditorState {
  return EditorState.create({ doc: root, plugins: [pidPlugin(options)] });
}

/** Puts the caret at `pos`. */
function at(state: EditorState, pos: number): EditorState {
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)));
}

/** Runs a command like the view would, appended transactions included; fails if the command does not apply. */
function run(state: EditorState, command: Command): EditorState {
  let next: EditorState | null = null;
  const applied = command(state, (tr) => {
    next = state.applyTransaction(tr).state;
  });
  expect(applied).toBe(true);
  return next as unknown as EditorState;
}

/** Applies a transaction with the plugins' appended transactions, and returns those too. */
function dispatch(state: EditorState, tr: Transaction): { state: EditorState; transactions: readonly Transaction[] } {
  return state.applyTransaction(tr);
}

const sample = () =>
  body(
    np({ pid: 'p1' }, 'First paragraph.'),
    np({ pid: 'p2' }, 'Second paragraph.'),
    p({ pid: 'p3' }, 'Chapeau line:'),
    ll(li(p({ pid: 'p4' }, 'alpha one')), li(p({ pid: 'p5' }, 'beta two'))),
    np({ pid: 'p6' }, 'Last paragraph.'),
  );

describe('newPid', () => {
  it('makes 10 base-36 characters starting with a letter', () => {
    for (let i = 0; i < 200; i += 1) expect(newPid()).toMatch(/^[a-z][a-z0-9]{9}$/);
  });

  it('does not repeat itself', () => {
    const many = new Set(Array.from({ length: 10_000 }, () => newPid()));
    expect(many.size).toBe(10_000);
  });
});

describe('pidPlugin: Enter (splitBlock)', () => {
  it('keeps the pid on the first half when splitting in the middle', () => {
    let state = at(stateOf(sample()), posOf(sample(), 'paragraph.'));
    state = run(state, splitBlock);
    expect(pidAt(state.doc, 'First ')).toBe('p1');
    const second = pidAt(state.doc, 'paragraph.');
    expect(second).not.toBe('p1');
    expect(second).toMatch(/^[a-z][a-z0-9]{9}$/);
    expectSound(state.doc);
  });

  it('gives the new block a pid when pressing Enter at the end', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'First paragraph.') + 'First paragraph.'.length);
    state = run(state, splitBlock);
    expect(pidAt(state.doc, 'First')).toBe('p1');
    expect(pids(state.doc)).toHaveLength(pids(start).length + 1);
    expectSound(state.doc);
  });

  it('keeps the pid with the text when pressing Enter at the start of a paragraph', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'Chapeau'));
    state = run(state, splitBlock);
    expect(pidAt(state.doc, 'Chapeau')).toBe('p3');
    // The empty paragraph before it is the new one.
    const $text = state.doc.resolve(posOf(state.doc, 'Chapeau'));
    const before = state.doc.resolve($text.before()).nodeBefore;
    expect(before?.content.size).toBe(0);
    expect(before?.attrs['pid']).not.toBe('p3');
    expectSound(state.doc);
  });

  it('keeps the pid with the text at the start of a numbered paragraph too', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'Second'));
    state = run(state, splitBlock);
    expect(pidAt(state.doc, 'Second')).toBe('p2');
    expect(state.doc.resolve(posOf(state.doc, 'Second')).parent.type.name).toBe('numbered_paragraph');
    expectSound(state.doc);
  });

  it('gives a new lettered item its own pid (splitListItem)', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'two'));
    state = run(state, splitListItem(schema.nodes.lettered_item));
    expect(pidAt(state.doc, 'beta')).toBe('p5');
    expect(pidAt(state.doc, 'two')).not.toBe('p5');
    expect(state.doc.resolve(posOf(state.doc, 'two')).node(-1).type.name).toBe('lettered_item');
    expectSound(state.doc);
  });

  it('splits a paragraph inside a table cell with a fresh pid', () => {
    const start = body(table(tr(td(p({ pid: 'c1' }, 'cell text')))));
    let state = at(stateOf(start), posOf(start, 'text'));
    state = run(state, splitBlock);
    expect(pidAt(state.doc, 'cell')).toBe('c1');
    expect(pidAt(state.doc, 'text')).not.toBe('c1');
    expectSound(state.doc);
  });
});

describe('pidPlugin: Backspace (joinBackward)', () => {
  it('keeps the first paragraph’s pid when joining two paragraphs', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'Second'));
    state = run(state, joinBackward);
    expect(state.doc.textContent).toContain('First paragraph.Second paragraph.');
    expect(pidAt(state.doc, 'Second')).toBe('p1');
    expect(pids(state.doc)).not.toContain('p2');
    expectSound(state.doc);
  });

  it('stays unique when Enter then Backspace restores the paragraph', () => {
    const start = sample();
    let state = at(stateOf(start), posOf(start, 'paragraph.'));
    state = run(state, splitBlock);
    state = run(state, joinBackward);
    expect(pidAt(state.doc, 'First paragraph.')).toBe('p1');
    expect(pids(state.doc)).toEqual(pids(start));
    expectSound(state.doc);
  });
});

describe('pidPlugin: copy and paste', () => {
  /** The slice of the whole blocks holding `fromText` .. `toText`, as a copy in the editor makes it. */
  function copyBlocks(root: ProseMirrorNode, fromText: string, toText: string) {
    const from = root.resolve(posOf(root, fromText)).before();
    const to = root.resolve(posOf(root, toText)).after();
    return root.slice(from, to);
  }

  it('gives pasted copies fresh pids and leaves the originals alone', () => {
    const start = sample();
    const slice = copyBlocks(start, 'First', 'Second');
    let state = stateOf(start);
    const end = state.doc.content.size;
    state = dispatch(state, state.tr.setSelection(TextSelection.create(state.doc, end - 1)).replaceSelection(slice)).state;
    const all = pids(state.doc);
    expect(all.filter((pid) => pid === 'p1')).toHaveLength(1);
    expect(all.filter((pid) => pid === 'p2')).toHaveLength(1);
    // The originals, first in the document, kept theirs.
    expect(pidAt(state.doc, 'First paragraph.')).toBe('p1');
    expectSound(state.doc);
  });

  it('keeps the original’s pid when its copy is pasted right before it', () => {
    const start = sample();
    const slice = copyBlocks(start, 'Last', 'Last');
    let state = stateOf(start);
    const before = state.doc.resolve(posOf(state.doc, 'Last')).before();
    state = dispatch(state, state.tr.replace(before, before, slice)).state;
    const lastPos = state.doc.content.size - 1;
    // The original is now the last block and still p6; the copy before it has a fresh pid.
    expect(state.doc.resolve(lastPos).parent.attrs['pid']).toBe('p6');
    expect(state.doc.child(state.doc.childCount - 2).attrs['pid']).not.toBe('p6');
    expect(state.doc.child(state.doc.childCount - 2).textContent).toBe('Last paragraph.');
    expectSound(state.doc);
  });

  it('handles a slice open on both sides pasted inside a paragraph', () => {
    const start = sample();
    // "paragraph." of p1 .. "Second" of p2: open at both ends.
    const slice = start.slice(posOf(start, 'paragraph.'), posOf(start, 'Second') + 'Second'.length);
    expect(slice.openStart).toBeGreaterThan(0);
    let state = at(stateOf(start), posOf(start, 'Last') + 2);
    state = dispatch(state, state.tr.replaceSelection(slice)).state;
    expect(pidAt(state.doc, 'First')).toBe('p1');
    expect(pidAt(state.doc, 'Second paragraph.')).toBe('p2');
    expectSound(state.doc);
  });

  it('lets a moved paragraph (cut, then paste) keep its pid', () => {
    const start = sample();
    const slice = copyBlocks(start, 'First', 'First');
    let state = stateOf(start);
    const from = state.doc.resolve(posOf(state.doc, 'First')).before();
    state = dispatch(state, state.tr.delete(from, from + slice.size)).state;
    const end = state.doc.content.size;
    state = dispatch(state, state.tr.replace(end, end, slice)).state;
    expect(state.doc.lastChild?.textContent).toBe('First paragraph.');
    expect(state.doc.lastChild?.attrs['pid']).toBe('p1');
    expectSound(state.doc);
  });
});

describe('pidPlugin: insertions', () => {
  it('fills the pid of an inserted block that has none', () => {
    let state = stateOf(sample());
    const pos = state.doc.content.size;
    state = dispatch(state, state.tr.insert(pos, np('New paragraph.'))).state;
    expect(pidAt(state.doc, 'New paragraph.')).toMatch(/^[a-z][a-z0-9]{9}$/);
    expectSound(state.doc);
  });

  it('gives an inserted duplicate a fresh pid, wherever it lands', () => {
    let state = stateOf(sample());
    const first = state.doc.resolve(posOf(state.doc, 'First')).before();
    state = dispatch(state, state.tr.insert(first, np({ pid: 'p6' }, 'Impostor.'))).state;
    expect(pidAt(state.doc, 'Last')).toBe('p6');
    expect(pidAt(state.doc, 'Impostor')).not.toBe('p6');
    expectSound(state.doc);
  });

  it('separates duplicates a single transaction inserts side by side, first keeps', () => {
    let state = stateOf(sample());
    const end = state.doc.content.size;
    state = dispatch(state, state.tr.insert(end, [np({ pid: 'dup' }, 'One.'), np({ pid: 'dup' }, 'Two.')])).state;
    expect(pidAt(state.doc, 'One.')).toBe('dup');
    expect(pidAt(state.doc, 'Two.')).not.toBe('dup');
    expectSound(state.doc);
  });

  it('repairs a pid cleared by an attribute step', () => {
    let state = stateOf(sample());
    const pos = state.doc.resolve(posOf(state.doc, 'Second')).before();
    state = dispatch(state, state.tr.setNodeAttribute(pos, 'pid', null)).state;
    expect(pidAt(state.doc, 'Second')).toMatch(/^[a-z][a-z0-9]{9}$/);
    expectSound(state.doc);
  });

  it('fixes the pid of footnote-bearing and header blocks alike', () => {
    let state = stateOf(doc(header(title({ pid: 't' }, 'T')), np({ pid: 'a' }, 'x', fn('note'))));
    const end = state.doc.content.size;
    state = dispatch(state, state.tr.insert(end, np({ pid: 't' }, 'copy of title id'))).state;
    expect(pidAt(state.doc, 'T')).toBe('t');
    expectSound(state.doc);
  });
});

describe('pidPlugin: what it leaves alone', () => {
  it('appends nothing for typing', () => {
    const state = at(stateOf(sample()), posOf(sample(), 'paragraph.'));
    const result = dispatch(state, state.tr.insertText('new words '));
    expect(result.transactions).toHaveLength(1);
  });

  it('marks its own transactions and appends at most one', () => {
    const state = stateOf(sample());
    const result = dispatch(state, state.tr.insert(state.doc.content.size, [np('a'), np('b')]));
    expect(result.transactions).toHaveLength(2);
    expect(result.transactions[1]?.getMeta(pidPluginKey)).toBe(true);
    expectSound(result.state.doc);
  });

  it('fills a missing pid outside the changed ranges on the next edit', () => {
    let state = stateOf(body(np({ pid: 'a' }, 'kept'), np('left without a pid by a skipped change')));
    state = dispatch(state, state.tr.insert(state.doc.content.size, np({ pid: 'z' }, 'new'))).state;
    expect(pidAt(state.doc, 'left without')).toMatch(/^[a-z][a-z0-9]{9}$/);
    expect(pidAt(state.doc, 'kept')).toBe('a');
    expectSound(state.doc);
  });

  it('skips transactions the skip option names (remote changes)', () => {
    let state = stateOf(sample(), { skip: (tr) => tr.getMeta('remote') === true });
    const end = state.doc.content.size;
    state = dispatch(state, state.tr.insert(end, np({ pid: 'p1' }, 'Remote copy.')).setMeta('remote', true)).state;
    expect(pids(state.doc).filter((pid) => pid === 'p1')).toHaveLength(2);
  });
});

describe('pidPlugin: random editing', () => {
  it('keeps every pid present and unique through random splits, joins, pastes and deletions', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const next = seededRandom(seed);
      let state = stateOf(sample());
      for (let step = 0; step < 40; step += 1) {
        const size = state.doc.content.size;
        const pos = Math.floor(next() * size);
        const $pos = state.doc.resolve(pos);
        const roll = next();
        if (!$pos.parent.inlineContent) continue;
        state = at(state, pos);
        if (roll < 0.3) splitBlock(state, (tr) => (state = state.applyTransaction(tr).state));
        else if (roll < 0.5) joinBackward(state, (tr) => (state = state.applyTransaction(tr).state));
        else if (roll < 0.8) {
          const from = Math.floor(next() * size);
          const to = Math.min(size, from + Math.floor(next() * 60));
          const slice = state.doc.slice(from, to);
          try {
            state = dispatch(state, state.tr.replaceSelection(slice)).state;
          } catch {
            // Some random slices cannot be placed; that is the transform's business, not the plugin's.
          }
        } else {
          const to = Math.min(size, pos + Math.floor(next() * 40));
          if (state.doc.resolve(to).parent.inlineContent) {
            state = dispatch(state, state.tr.setSelection(TextSelection.create(state.doc, pos, to)).deleteSelection()).state;
          }
        }
        // Only the pids: ProseMirror's replace can leave an empty lettered_item when a deep slice lands in a paragraph.
        expectPidsSound(state.doc);
      }
    }
  });
});

describe('assignMissingPids and ensurePids', () => {
  const broken = () => body(np('no pid'), np({ pid: 'same' }, 'one'), p({ pid: 'same' }, 'two'), ll(li(p({ pid: '' }, 'empty id'))));

  it('fills missing pids and separates duplicates, first keeps', () => {
    const state = EditorState.create({ doc: broken() });
    const tr = assignMissingPids(state);
    expect(tr).not.toBeNull();
    expect(tr?.getMeta('addToHistory')).toBe(false);
    const fixed = state.apply(tr as Transaction).doc;
    expect(pidAt(fixed, 'one')).toBe('same');
    expect(pidAt(fixed, 'two')).not.toBe('same');
    expectSound(fixed);
  });

  it('returns null for a sound document', () => {
    const state = EditorState.create({ doc: sample() });
    expect(assignMissingPids(state)).toBeNull();
  });

  it('repairs a bare document and returns a sound one unchanged', () => {
    const fixed = ensurePids(broken());
    expectSound(fixed);
    const sound = sample();
    expect(ensurePids(sound)).toBe(sound);
  });

  it('knows which node types carry pids', () => {
    const carriers = Object.values(schema.nodes).filter(hasPid).map((type) => type.name).sort();
    expect(carriers).toEqual(['heading', 'numbered_paragraph', 'paragraph', 'title']);
  });
});
