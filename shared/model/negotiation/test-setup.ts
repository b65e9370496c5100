/**
 * Test-only helpers for the negotiation model (application code never imports this file, as with
 * shared/schema/test-builder.ts): a document's Y.Docs laid out by y-prosemirror itself from a test-builder
 * document, a pinned clock, reproducible ids, and reading the text back through y-prosemirror and the schema.
 */
import * as Y from 'yjs';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { EditorState, type Transaction } from 'prosemirror-state';
import { initProseMirrorDoc, prosemirrorToYXmlFragment, updateYFragment, ySyncPluginKey, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { schema } from '../../schema/index.ts';
import { TEXT_FRAGMENT } from '../ydocs.ts';
import type { NegotiationDocs, WriterOptions } from './proposals.ts';
import { indexParagraphs, paragraphWording, textFragment } from './text.ts';

/** A document's Y.Docs for tests, with the delegations' docs in a mutable map. */
export interface TestDocs extends NegotiationDocs {
  readonly delegations: Map<string, Y.Doc>;
}

/** Y.Docs holding `doc` as `D/text` (laid out by y-prosemirror), an empty `D/chair`, and one empty doc per code. */
export function setupDocs(doc: ProseMirrorNode, codes: readonly string[] = ['FRA', 'BRA', 'G77']): TestDocs {
  const text = new Y.Doc();
  prosemirrorToYXmlFragment(doc, text.getXmlFragment(TEXT_FRAGMENT));
  const delegations = new Map(codes.map((code) => [code, new Y.Doc()]));
  return { text, chair: new Y.Doc(), delegations };
}

/** A registry predicate over a fixed list of codes. */
export function knownCodes(codes: readonly string[]): (code: string) => boolean {
  const set = new Set(codes);
  return (code) => set.has(code);
}

/** A clock that starts at 2025-01-01T00:00:00Z and advances one second per reading, so order is visible. */
export function steppingClock(start = Date.UTC(2025, 0, 1)): () => Date {
  let at = start;
  return () => {
    const now = new Date(at);
    at += 1000;
    return now;
  };
}

let idCounter = 10;

/** Id parts "a", "b" ... "z", "10" ...: reproducible within a test file and never repeated by two writers. */
export function countingIds(): () => string {
  return () => (idCounter++).toString(36);
}

/** Writer options for tests: a person, the default codes known, a stepping clock, counting ids. */
export function testOptions(person: string, codes: readonly string[] = ['FRA', 'BRA', 'G77']): WriterOptions {
  return { person, isKnownCode: knownCodes(codes), now: steppingClock(), randomId: countingIds() };
}

/**
 * The text as ProseMirror reads it, converted from a copy (y-prosemirror deletes what it cannot parse, and a test
 * must not change the doc it inspects). `check()` throws when the structure breaks the schema.
 */
export function readText(textDoc: Y.Doc): ProseMirrorNode {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(textDoc));
  const node = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(TEXT_FRAGMENT), schema);
  node.check();
  return node;
}

/** The wording of the paragraph holding `pid` (throws when it is not in the text). */
export function wordingOf(textDoc: Y.Doc, pid: string): string {
  const element = indexParagraphs(textFragment(textDoc)).elements.get(pid);
  if (!element) throw new Error(`${pid} is not in the text`);
  return paragraphWording(element);
}

/** The offsets of `needle` in a paragraph without footnotes (wording offsets are then ProseMirror offsets). */
export function spanOf(textDoc: Y.Doc, pid: string, needle: string): { from: number; to: number } {
  const at = wordingOf(textDoc, pid).indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in paragraph ${pid}`);
  return { from: at, to: at + needle.length };
}

/** The pids of the text in document order. */
export function pidsOf(textDoc: Y.Doc): readonly string[] {
  return indexParagraphs(textFragment(textDoc)).order;
}

/**
 * Edits `D/text` the way the chair's editor does: a ProseMirror transform on the document read from the Y.Doc,
 * written back by y-prosemirror's own diff (what its sync plugin runs after every transaction).
 */
export function editAsChair(textDoc: Y.Doc, edit: (tr: Transaction) => void): void {
  const fragment = textDoc.getXmlFragment(TEXT_FRAGMENT);
  const { doc, meta } = initProseMirrorDoc(fragment, schema);
  const tr = EditorState.create({ doc }).tr;
  edit(tr);
  textDoc.transact(() => updateYFragment(textDoc, fragment, tr.doc, meta), ySyncPluginKey);
}
