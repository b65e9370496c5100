/**
 * Revision states at scale: the generated 100-page text (tests/helpers/generate-document.ts, as the benchmarks use
 * it) cut several times with edits in between. Prints the sizes; asserts that `D/chair` stays under the sync
 * server's message limit where plain states would not.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { generateDocument } from '../../../tests/helpers/generate-document.ts';
import { schema } from '../../schema/index.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../sync.ts';
import { TEXT_FRAGMENT } from '../ydocs.ts';
import { cutRevision, listRevisions, revisionDocument, revisionState } from './store.ts';

/** A stepping clock, a minute per reading, so the cuts are in order. */
function clock(): () => Date {
  let at = Date.UTC(2026, 0, 5, 9);
  return () => new Date((at += 60_000));
}

/** Every Y.XmlText of the text, in order (the words of each paragraph). */
function textsOf(fragment: Y.XmlFragment | Y.XmlElement, into: Y.XmlText[] = []): Y.XmlText[] {
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlText) into.push(child);
    else if (child instanceof Y.XmlElement) textsOf(child, into);
  }
  return into;
}

/** A reading's worth of editing: `count` small insertions and deletions, typed a character at a time, at seeded places. */
function edit(textDoc: Y.Doc, count: number, seed: number): void {
  const texts = textsOf(textDoc.getXmlFragment(TEXT_FRAGMENT));
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < count; i += 1) {
    const text = texts[Math.floor(random() * texts.length)] as Y.XmlText;
    const at = Math.floor(random() * text.length);
    if (random() < 0.6) [...' as agreed'].forEach((character, offset) => text.insert(Math.min(at + offset, text.length), character));
    else text.delete(at, Math.min(8, text.length - at));
  }
}

describe('revision states of a 100-page text', () => {
  it('are stored at a fraction of their size, so several revisions fit in one sync message', () => {
    const generated = generateDocument({ blocks: 2500, charsPerBlock: 120, seed: 7 });
    const textDoc = new Y.Doc();
    prosemirrorToYXmlFragment(schema.nodeFromJSON(generated.json), textDoc.getXmlFragment(TEXT_FRAGMENT));
    const chairDoc = new Y.Doc();
    const now = clock();
    const rows: string[] = [];
    const ratios: number[] = [];
    let plainTotal = 0;
    for (let cut = 0; cut < 6; cut += 1) {
      if (cut > 0) edit(textDoc, 400, cut);
      const entry = cutRevision({ textDoc, chairDoc, by: 'The Chair', now });
      const plain = Y.encodeStateAsUpdate(textDoc).length;
      const stored = fromBase64(entry.state).length;
      plainTotal += plain;
      ratios.push(plain / stored);
      rows.push(`${entry.label.padEnd(10)} state ${plain} B, stored ${stored} B deflated (${(plain / stored).toFixed(1)} to 1), ${entry.state.length} base64 characters`);
      expect(revisionState(entry).length).toBe(plain);
    }
    const chairBytes = Y.encodeStateAsUpdate(chairDoc).length;
    console.log(
      `${generated.blocks} blocks, ${generated.characters} characters\n${rows.join('\n')}\n` +
        `D/chair with ${rows.length} revisions: ${chairBytes} B (plain base64 states alone would be about ${Math.round((plainTotal * 4) / 3)} B; limit ${DEFAULT_MAX_MESSAGE_BYTES} B)`,
    );
    // The fresh text deflates best; the edited ones, full of one-character insertions, still by well over 3 to 1.
    expect(ratios[0]).toBeGreaterThan(6);
    for (const ratio of ratios) expect(ratio).toBeGreaterThan(3);
    expect(chairBytes).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES);
    expect((plainTotal * 4) / 3).toBeGreaterThan(DEFAULT_MAX_MESSAGE_BYTES);
    const last = listRevisions(chairDoc).at(-1);
    if (!last) throw new Error('the revisions were not listed');
    expect(revisionDocument(last).childCount).toBeGreaterThan(2000);
  });
});

