/**
 * Whether a proposal still fits the text: a proposal is overtaken when its span no longer reads what it quoted
 * (or its anchors no longer resolve into its paragraph), orphaned when its paragraph is gone. Deleting a paragraph
 * (and a comment on a whole paragraph) quotes all its words; a new paragraph and a move are about place, so only a
 * missing anchor or target overtakes them. Never re-applied silently: the chair sees the old and the new wording.
 */
import type * as Y from 'yjs';
import { paragraphWording, resolveSpan } from './text.ts';
import type { Proposal } from './types.ts';

/** How a proposal stands against the current text. */
export interface TextCheck {
  /** The paragraph the proposal is against is gone. */
  readonly orphaned: boolean;
  /** A move's target (the paragraph it should follow) is gone. */
  readonly targetGone: boolean;
  /** The text no longer reads as quoted, or the proposal cannot be placed (orphaned, target gone, lost anchors). */
  readonly overtaken: boolean;
  /** What the span (or, for paragraph kinds, the paragraph) reads now; null when it cannot be found. */
  readonly current: string | null;
  /** The span's current offsets in its paragraph (ProseMirror offsets from the content start), when it has one. */
  readonly span: { readonly from: number; readonly to: number } | null;
}

/** Finds the element of a pid, from a PidIndex or a live index. */
export type ParagraphLookup = (pid: string) => Y.XmlElement | null;

/** Checks a proposal against the current `D/text`. */
export function checkAgainstText(textDoc: Y.Doc, proposal: Proposal, paragraphs: ParagraphLookup): TextCheck {
  const paragraph = paragraphs(proposal.pid);
  if (paragraph === null) return { orphaned: true, targetGone: false, overtaken: true, current: null, span: null };
  if (proposal.from !== null && proposal.to !== null) {
    const span = resolveSpan(textDoc, paragraph, proposal.from, proposal.to, proposal.quote);
    if (span === null) return { orphaned: false, targetGone: false, overtaken: true, current: null, span: null };
    return {
      orphaned: false,
      targetGone: false,
      overtaken: span.wording !== proposal.quote,
      current: span.wording,
      span: { from: span.from, to: span.to },
    };
  }
  const current = paragraphWording(paragraph);
  switch (proposal.kind) {
    case 'new-paragraph':
      // Placed after its anchor: a change to the anchor's words does not make it wrong.
      return { orphaned: false, targetGone: false, overtaken: false, current, span: null };
    case 'move-paragraph': {
      // A move is about place, not words: the paragraph goes as it now reads, unless its target is gone.
      const targetGone = proposal.afterPid !== null && paragraphs(proposal.afterPid) === null;
      return { orphaned: false, targetGone, overtaken: targetGone, current, span: null };
    }
    default:
      // Deleting a paragraph, or a comment on it: the words it was about must still stand.
      return { orphaned: false, targetGone: false, overtaken: current !== proposal.quote, current, span: null };
  }
}
