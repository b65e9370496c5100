/**
 * Decides whether a transaction can change what the computed numbers and letters hang on (the order and kinds
 * of blocks, and footnotes), so the numbering decorations are rebuilt only then and merely mapped while a
 * person types inside a paragraph.
 */
import type { Fragment } from 'prosemirror-model';
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from 'prosemirror-transform';
import type { Transaction } from 'prosemirror-state';
import { ySyncPluginKey } from 'y-prosemirror';

/** Node types that are numbered themselves; any step that adds or removes one changes the structure. */
const NUMBERED_INLINE = new Set(['footnote']);

function isPlainInline(content: Fragment): boolean {
  let plain = true;
  content.forEach((node) => {
    if (!node.isInline || NUMBERED_INLINE.has(node.type.name)) plain = false;
  });
  return plain;
}

/**
 * True when the transaction may have added, removed, moved or retyped a block or a footnote (or it came from
 * Yjs, which replaces the whole document); false when it only changed text or marks inside single textblocks.
 */
export function changesBlockStructure(tr: Transaction): boolean {
  if (!tr.docChanged) return false;
  // y-prosemirror applies remote changes, undo and redo as one replacement of the whole document.
  if (tr.getMeta(ySyncPluginKey) !== undefined) return true;
  for (let i = 0; i < tr.steps.length; i++) {
    const step = tr.steps[i];
    const before = tr.docs[i];
    if (!step || !before) return true;
    if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) continue;
    if (!(step instanceof ReplaceStep)) return true;
    const { from, to, slice } = step;
    if (slice.openStart !== 0 || slice.openEnd !== 0) return true;
    if (!isPlainInline(slice.content)) return true;
    const $from = before.resolve(from);
    if (!$from.parent.inlineContent || to > $from.end()) return true;
    if (from < to) {
      let removesNumbered = false;
      const start = $from.start();
      // Only what lies inside the textblock: its ancestors (a footnote being edited) are not removed.
      $from.parent.nodesBetween(from - start, to - start, (node) => {
        if (NUMBERED_INLINE.has(node.type.name)) removesNumbered = true;
        return !removesNumbered;
      });
      if (removesNumbered) return true;
    }
  }
  return false;
}
