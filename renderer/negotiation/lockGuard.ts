/**
 * Paragraphs agreed ad ref are locked: the chair's team cannot change their text until the Chair reopens them. The
 * editor asks {@link pidsTouchedBy} which pids a transaction would change and refuses it when one is locked, so a
 * keystroke, a paste, a drop, a mark or a join into a locked paragraph changes nothing.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import type { Transaction } from 'prosemirror-state';

function pidOf(node: ProseMirrorNode): string | null {
  const pid = node.attrs['pid'] as unknown;
  return typeof pid === 'string' && pid !== '' ? pid : null;
}

/** Adds the pids of the blocks around `pos` (every ancestor that carries one). */
function addAround(doc: ProseMirrorNode, pos: number, pids: Set<string>): void {
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)));
  for (let depth = $pos.depth; depth >= 1; depth -= 1) {
    const pid = pidOf($pos.node(depth));
    if (pid !== null) pids.add(pid);
  }
}

/** Adds the pids of every block the range overlaps, and of the blocks holding its ends. */
function addRange(doc: ProseMirrorNode, from: number, to: number, pids: Set<string>): void {
  addAround(doc, from, pids);
  addAround(doc, to, pids);
  if (to > from) {
    doc.nodesBetween(from, to, (node) => {
      const pid = pidOf(node);
      if (pid !== null) pids.add(pid);
      // Inside a textblock nothing else carries a pid.
      return !node.isTextblock;
    });
  }
}

/**
 * The pids of the blocks a transaction changes: those its steps replace, insert into, join, split, re-mark or
 * re-attribute, read in the document each step applies to.
 */
export function pidsTouchedBy(tr: Transaction): Set<string> {
  const pids = new Set<string>();
  tr.steps.forEach((step, index) => {
    const doc = tr.docs[index] ?? tr.doc;
    const range = step as unknown as { from?: unknown; to?: unknown; pos?: unknown };
    if (typeof range.from === 'number' && typeof range.to === 'number') addRange(doc, range.from, range.to, pids);
    else if (typeof range.pos === 'number') {
      const node = doc.nodeAt(range.pos);
      addRange(doc, range.pos, range.pos + (node?.nodeSize ?? 0), pids);
    } else {
      // A step of a kind not known here: whatever its map says it touched.
      step.getMap().forEach((start, end) => addRange(doc, start, end, pids));
    }
  });
  return pids;
}
