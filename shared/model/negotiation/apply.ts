/**
 * What accepting a proposal does to `D/text`. Planning checks everything and only then returns the edit, so a
 * refusal writes nothing; the chair's writer runs the edit and records the decision in one user action.
 * An overtaken proposal is never applied as it stands: the chair accepts it as modified, with the wording to use.
 */
import * as Y from 'yjs';
import { newPid as randomPid } from '../pids.ts';
import { checkAgainstText } from './overtaken.ts';
import {
  blockGroup,
  bodyBlockCount,
  deleteBlock,
  findUniqueQuote,
  indexParagraphs,
  insertParagraph,
  insertionIndexAfter,
  isBodyBlock,
  moveBlock,
  paragraphSize,
  paragraphWording,
  pidOfElement,
  replaceRange,
  textFragment,
} from './text.ts';
import { NegotiationError, type Proposal } from './types.ts';

/** How a decision applies: as proposed, or with the chair's modified wording. */
export interface ApplyOptions {
  /** The wording the chair settled on (accepted as modified); undefined applies the proposal as made. */
  readonly modifiedText?: string;
  /** Fresh pids for new paragraphs (tests make them reproducible). */
  readonly newPid?: () => string;
  /** Whether a pid is agreed ad ref: a deletion or move that would carry a locked sub-paragraph along is refused. */
  readonly isLockedPid?: (pid: string) => boolean;
  /**
   * For a new paragraph: the wordings of paragraphs already accepted from proposals made earlier to follow the same
   * paragraph. The new one goes after those of them that still follow it, so new paragraphs proposed in one order
   * (a Word file's three inserted paragraphs) read in that order whatever order the chair accepts them in.
   */
  readonly earlierSiblings?: readonly string[];
}

/** The pids inside a run of top-level blocks (a paragraph and its lettered sub-paragraphs). */
function pidsWithin(blocks: readonly Y.XmlElement[]): string[] {
  const pids: string[] = [];
  const walk = (element: Y.XmlElement): void => {
    const pid = pidOfElement(element);
    if (pid !== null) pids.push(pid);
    for (const child of element.toArray()) if (child instanceof Y.XmlElement) walk(child);
  };
  blocks.forEach(walk);
  return pids;
}

/**
 * The block a new paragraph goes after: the anchor, or the last of the consecutive blocks right after it whose
 * wordings are among `siblings` (each wording used once), i.e. the earlier-proposed new paragraphs already accepted.
 */
function afterEarlierSiblings(fragment: Y.XmlFragment, anchor: Y.XmlElement, siblings: readonly string[]): Y.XmlElement {
  if (siblings.length === 0) return anchor;
  const remaining = new Map<string, number>();
  for (const wording of siblings) remaining.set(wording, (remaining.get(wording) ?? 0) + 1);
  const children = fragment.toArray();
  let after = anchor;
  let next = insertionIndexAfter(fragment, anchor);
  while (next < children.length) {
    const block = children[next];
    if (!(block instanceof Y.XmlElement) || block.nodeName !== 'numbered_paragraph') break;
    const wording = paragraphWording(block);
    const count = remaining.get(wording) ?? 0;
    if (count === 0) break;
    remaining.set(wording, count - 1);
    after = block;
    next = insertionIndexAfter(fragment, block);
  }
  return after;
}

/** Quotes a wording for an error message, shortened. */
function quoted(text: string): string {
  return `\u201c${text.length > 80 ? `${text.slice(0, 77)}...` : text}\u201d`;
}

/**
 * Checks that a proposal can be applied to the current text and returns the edit (to run inside the caller's
 * transaction on `D/text`), or refuses with a NegotiationError.
 */
export function planApplication(textDoc: Y.Doc, proposal: Proposal, options: ApplyOptions = {}): () => void {
  const fragment = textFragment(textDoc);
  const index = indexParagraphs(fragment);
  const lookup = (pid: string): Y.XmlElement | null => index.elements.get(pid) ?? null;
  const check = checkAgainstText(textDoc, proposal, lookup);
  const paragraph = lookup(proposal.pid);
  const modified = options.modifiedText;
  if (paragraph === null) {
    throw new NegotiationError('overtaken', `Paragraph ${proposal.pid} has been deleted since the proposal was made: it can only be rejected.`);
  }
  if (modified === undefined && check.overtaken) {
    const current = check.current === null ? 'can no longer be found' : `now reads ${quoted(check.current)}`;
    throw new NegotiationError(
      'overtaken',
      `The text has changed since the proposal was made: it quoted ${quoted(proposal.quote)}, which ${current}. Accept it as modified, with the wording to use.`,
    );
  }
  const fresh = (): string => {
    const make = options.newPid ?? randomPid;
    let pid = make();
    while (index.elements.has(pid)) pid = make();
    return pid;
  };
  const requireBody = (): void => {
    if (!isBodyBlock(fragment, paragraph)) {
      throw new NegotiationError('not-applicable', `Paragraph ${proposal.pid} is no longer a paragraph of the body.`);
    }
    const group = blockGroup(fragment, paragraph) as { start: number; length: number };
    const carried = pidsWithin(fragment.toArray().slice(group.start, group.start + group.length) as Y.XmlElement[]);
    const locked = options.isLockedPid ? carried.filter(options.isLockedPid) : [];
    if (locked.length > 0) {
      throw new NegotiationError('locked', `Paragraph ${locked.join(', ')} is agreed ad ref and would go with it: reopen it first.`);
    }
  };

  switch (proposal.kind) {
    case 'comment':
      if (modified !== undefined) throw new NegotiationError('not-applicable', 'A comment changes no text: accept or reject it.');
      return () => {};
    case 'replace': {
      const text = modified ?? proposal.text;
      // Already reads so (the chair typed it in meanwhile): the decision is recorded and the text left alone.
      if (check.span !== null && check.current === text) return () => {};
      const span = check.span ?? findUniqueQuote(paragraph, proposal.quote);
      if (span === null) {
        throw new NegotiationError(
          'overtaken',
          `The words the proposal quoted (${quoted(proposal.quote)}) can no longer be found in paragraph ${proposal.pid}: reject it and record a new proposal.`,
        );
      }
      return () => replaceRange(paragraph, span.from, span.to, text);
    }
    case 'new-paragraph': {
      const text = modified ?? proposal.text;
      if (text.trim() === '') throw new NegotiationError('empty-replacement', 'A new paragraph needs its text.');
      const pid = fresh();
      const after = afterEarlierSiblings(fragment, paragraph, options.earlierSiblings ?? []);
      return () => {
        insertParagraph(fragment, after, pid, text);
      };
    }
    case 'delete-paragraph': {
      requireBody();
      if (modified !== undefined && modified !== '') {
        // Accepted as modified: the paragraph stays, with the chair's wording.
        const size = paragraphSize(paragraph);
        return () => replaceRange(paragraph, 0, size, modified);
      }
      const group = blockGroup(fragment, paragraph) as { start: number; length: number };
      if (bodyBlockCount(fragment) <= group.length) {
        throw new NegotiationError('not-applicable', 'The document must keep at least one paragraph.');
      }
      return () => deleteBlock(fragment, paragraph);
    }
    case 'move-paragraph': {
      requireBody();
      if (modified !== undefined && modified.trim() === '') {
        throw new NegotiationError('empty-replacement', 'A moved paragraph keeps some text: give its wording.');
      }
      const target = proposal.afterPid === null ? null : lookup(proposal.afterPid);
      if (proposal.afterPid !== null && target === null) {
        throw new NegotiationError('overtaken', `Paragraph ${proposal.afterPid}, after which it was to go, has been deleted: reject it and record a new proposal.`);
      }
      const group = blockGroup(fragment, paragraph) as { start: number; length: number };
      const destination = insertionIndexAfter(fragment, target);
      if (destination > group.start && destination < group.start + group.length) {
        throw new NegotiationError('not-applicable', 'A paragraph cannot be moved after one of its own sub-paragraphs.');
      }
      const alreadyThere = destination === group.start || destination === group.start + group.length;
      return () => {
        const moved = alreadyThere ? paragraph : moveBlock(fragment, paragraph, target);
        if (modified !== undefined && modified !== paragraphWording(moved)) replaceRange(moved, 0, paragraphSize(moved), modified);
      };
    }
  }
}
