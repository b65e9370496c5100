/**
 * Paragraph identities. Every node with a `pid` attribute (title, heading, paragraph, numbered_paragraph) carries
 * a stable id that is never empty and unique in the document; statuses, proposals and numbers refer to it.
 */
import type { Node as ProseMirrorNode, NodeType } from 'prosemirror-model';
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import {
  AddMarkStep,
  AddNodeMarkStep,
  AttrStep,
  Mapping,
  RemoveMarkStep,
  RemoveNodeMarkStep,
  ReplaceStep,
  Transform,
  type Step,
} from 'prosemirror-transform';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PID_LENGTH = 10;

/**
 * A fresh random pid: 10 base-36 characters, the first a letter so it is also a valid HTML id and CSS name.
 * Drawn with crypto.getRandomValues and rejection sampling, so every character is uniform (about 2.6e15 pids).
 */
export function newPid(): string {
  let pid = '';
  const bytes = new Uint8Array(16);
  while (pid.length < PID_LENGTH) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      const range = pid.length === 0 ? 26 : 36;
      // Keep only bytes below the largest multiple of the range, so the modulo is unbiased.
      if (byte >= 256 - (256 % range)) continue;
      pid += ALPHABET[byte % range];
      if (pid.length === PID_LENGTH) break;
    }
  }
  return pid;
}

/** Whether nodes of this type carry a pid. */
export function hasPid(type: NodeType): boolean {
  return type.spec.attrs?.['pid'] !== undefined;
}

/** The key of the pid plugin; transactions it appends carry this key as meta (value `true`). */
export const pidPluginKey = new PluginKey('penholder-pids');

/** A node that carries a pid and where it is. */
interface PidHolder {
  pos: number;
  node: ProseMirrorNode;
  pid: string | null;
}

/** Changed ranges [from, to] in the final document, sorted and merged. */
type Ranges = Array<[number, number]>;

function holderAt(node: ProseMirrorNode, pos: number): PidHolder {
  const pid = node.attrs['pid'];
  return { pos, node, pid: typeof pid === 'string' && pid !== '' ? pid : null };
}

/** Calls `f` for every pid-carrying node in document order; pid nodes are textblocks, so it never enters one. */
function eachHolder(doc: ProseMirrorNode, f: (node: ProseMirrorNode, pos: number) => void): void {
  doc.descendants((node, pos) => {
    if (hasPid(node.type)) f(node, pos);
    return !node.inlineContent;
  });
}

/**
 * The pid-carrying nodes that overlap the changed ranges, in document order. Overlap is strict: content
 * inserted right before or after a node does not make that node new.
 */
function touchedHolders(doc: ProseMirrorNode, ranges: Ranges): PidHolder[] {
  const touched: PidHolder[] = [];
  for (const [from, to] of ranges) {
    doc.nodesBetween(from, to, (node, pos) => {
      if (hasPid(node.type)) {
        const end = pos + node.nodeSize;
        const last = touched[touched.length - 1];
        // A node can overlap two ranges; ranges are sorted, so a repeat is always the last one found.
        if (from < end && to > pos && last?.pos !== pos) touched.push(holderAt(node, pos));
      }
      return !node.inlineContent;
    });
  }
  return touched;
}

/**
 * Decides which nodes need a fresh pid, given the changed ranges of the transactions (null: check the whole
 * document, as on load). The rule for duplicates: a node outside the changed ranges was already there and keeps
 * its pid, so the copy gets a fresh one (copy and paste, inserting a duplicate). When every holder of the pid is
 * inside the changed ranges (splitting a paragraph with Enter), the first in the document keeps it, except when
 * the first is empty and a later one holds text (Enter at the very start of a paragraph): the text is the
 * paragraph that existed, so it keeps its identity. On a whole-document check the first always keeps it.
 * Missing pids are always filled, inside the ranges or not.
 */
function pidFixes(doc: ProseMirrorNode, ranges: Ranges | null): Array<{ pos: number; pid: string }> {
  // Holders grouped by pid: the touched ones when ranges are given, every one on a whole-document check.
  const groups = new Map<string, PidHolder[]>();
  const needFresh: PidHolder[] = [];
  const group = (holder: PidHolder): void => {
    if (holder.pid === null) needFresh.push(holder);
    else {
      const same = groups.get(holder.pid);
      if (same) same.push(holder);
      else groups.set(holder.pid, [holder]);
    }
  };
  // Every pid in the document, so a fresh pid is never one already used.
  const taken = new Set<string>();
  // Pids that a node outside the changed ranges holds: that node keeps them.
  const heldOutside = new Set<string>();

  if (ranges === null) {
    eachHolder(doc, (node, pos) => group(holderAt(node, pos)));
    for (const pid of groups.keys()) taken.add(pid);
  } else {
    const touched = touchedHolders(doc, ranges);
    if (touched.length === 0) return [];
    touched.forEach(group);
    const touchedAt = new Set(touched.map((holder) => holder.pos));
    eachHolder(doc, (node, pos) => {
      if (touchedAt.has(pos)) return;
      const holder = holderAt(node, pos);
      // A missing pid outside the ranges (content a skipped transaction brought) is filled all the same.
      if (holder.pid === null) needFresh.push(holder);
      else {
        taken.add(holder.pid);
        if (groups.has(holder.pid)) heldOutside.add(holder.pid);
      }
    });
    for (const pid of groups.keys()) taken.add(pid);
  }

  for (const [pid, same] of groups) {
    if (heldOutside.has(pid)) {
      needFresh.push(...same);
    } else if (same.length > 1) {
      const first = same[0] as PidHolder;
      const splitAtStart = ranges !== null && first.node.content.size === 0;
      const keeper = splitAtStart ? (same.find((h) => h.node.content.size > 0) ?? first) : first;
      for (const holder of same) if (holder !== keeper) needFresh.push(holder);
    }
  }
  if (needFresh.length === 0) return [];
  return needFresh
    .sort((x, y) => x.pos - y.pos)
    .map((holder) => {
      let pid = newPid();
      while (taken.has(pid)) pid = newPid();
      taken.add(pid);
      return { pos: holder.pos, pid };
    });
}

/** Applies fixes as attribute steps, which move no positions. */
function applyFixes<T extends Transform>(tr: T, fixes: ReadonlyArray<{ pos: number; pid: string }>): T {
  for (const fix of fixes) tr.setNodeAttribute(fix.pos, 'pid', fix.pid);
  return tr;
}

/** Whether a step can neither create a pid-carrying node nor change a pid: typing, deleting text, marks. */
function leavesPidsAlone(step: Step): boolean {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return true;
  if (step instanceof AddNodeMarkStep || step instanceof RemoveNodeMarkStep) return true;
  if (step instanceof ReplaceStep) {
    // A closed slice of inline content: the blocks around it keep their node and attrs (a join keeps the first).
    const { slice } = step;
    if (slice.openStart !== 0 || slice.openEnd !== 0) return false;
    let inlineOnly = true;
    slice.content.forEach((node) => {
      if (!node.isInline) inlineOnly = false;
    });
    return inlineOnly;
  }
  return false;
}

/** The ranges the transactions changed, mapped into the final document, sorted and merged. */
function changedRanges(transactions: readonly Transaction[]): Ranges {
  const maps = new Mapping();
  const steps: Step[] = [];
  for (const tr of transactions) {
    tr.steps.forEach((step, index) => {
      steps.push(step);
      maps.appendMap(tr.mapping.maps[index] ?? step.getMap());
    });
  }
  const ranges: Ranges = [];
  steps.forEach((step, index) => {
    const after = maps.slice(index + 1);
    const add = (from: number, to: number) => ranges.push([after.map(from, -1), after.map(to, 1)]);
    // An attribute step moves nothing, so its map is empty; the node it changed counts as changed.
    if (step instanceof AttrStep) add(step.pos, step.pos + 1);
    else maps.maps[index]?.forEach((_oldStart, _oldEnd, newStart, newEnd) => add(newStart, newEnd));
  });
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Ranges = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Options of {@link pidPlugin}. */
export interface PidPluginOptions {
  /** Transactions to leave alone, such as those y-prosemirror makes from remote changes. */
  skip?: (tr: Transaction) => boolean;
}

/**
 * Keeps every pid present and unique through split (Enter), join (Backspace), copy and paste and node
 * insertions, by appending a transaction that sets fresh pids; which duplicate keeps its pid is decided by
 * `pidFixes` above (the node that was already there; on a split, the part that holds the text).
 */
export function pidPlugin(options: PidPluginOptions = {}): Plugin {
  const skip = options.skip;
  return new Plugin({
    key: pidPluginKey,
    appendTransaction: (transactions, _oldState, newState) => {
      const relevant = transactions.filter((tr) => tr.docChanged && !tr.getMeta(pidPluginKey) && !(skip && skip(tr)));
      if (relevant.length === 0) return null;
      if (relevant.every((tr) => tr.steps.every(leavesPidsAlone))) return null;
      const docChanging = transactions.filter((tr) => tr.docChanged);
      const fixes = pidFixes(newState.doc, changedRanges(docChanging));
      if (fixes.length === 0) return null;
      return applyFixes(newState.tr, fixes).setMeta(pidPluginKey, true);
    },
  });
}

/**
 * On load: a transaction that fills missing pids and separates duplicates (the first in the document keeps
 * its pid), or null when the document is already sound. Not added to the undo history.
 */
export function assignMissingPids(state: EditorState): Transaction | null {
  const fixes = pidFixes(state.doc, null);
  if (fixes.length === 0) return null;
  return applyFixes(state.tr, fixes).setMeta(pidPluginKey, true).setMeta('addToHistory', false);
}

/** The same repair as {@link assignMissingPids} on a bare document (import, sample, server): the doc itself when sound. */
export function ensurePids(doc: ProseMirrorNode): ProseMirrorNode {
  const fixes = pidFixes(doc, null);
  if (fixes.length === 0) return doc;
  return applyFixes(new Transform(doc), fixes).doc;
}
