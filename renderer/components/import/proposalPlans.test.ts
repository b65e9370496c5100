import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import type { TrackedParagraph } from '../../../shared/import/index.ts';
import { TEXT_FRAGMENT } from '../../../shared/model/ydocs.ts';
import { doc, fn, np, p } from '../../editor/testDocs.ts';
import { NegotiationSession, type NegotiationIdentity } from '../../negotiation/negotiationSession.ts';
import {
  currentDocument,
  formatWordDate,
  importRationale,
  numbersInForce,
  recordPlannedProposals,
  reviewTrackedChanges,
  speakerOf,
} from './proposalPlans.ts';

const FIRST = 'Since the adoption of its first report, the OEWG has held the following meetings:';
const SECOND = 'The OEWG continued to benefit from the engagement of interested stakeholders, including river basin organizations and academia.';
const THIRD = 'The OEWG recalled that its work proceeds on the basis of consensus.';

/** The Y.Docs of a three-paragraph text, with FRA's doc, and a session over them. */
function session(identity: NegotiationIdentity, blocks: ProseMirrorNode[] = [np('a', FIRST), np('b', SECOND), np('c', THIRD)]) {
  const text = new Y.Doc();
  prosemirrorToYXmlFragment(doc(...blocks), text.getXmlFragment(TEXT_FRAGMENT));
  const chair = new Y.Doc();
  const delegations = new Map<string, Y.Doc>([['FRA', new Y.Doc()]]);
  const source = { ydoc: text, chairYDoc: chair, delegationYDocs: () => delegations, subscribeYDocs: () => () => {} };
  return { negotiation: new NegotiationSession(source, identity), text, chair, delegations };
}

const chairHere: NegotiationIdentity = { role: 'chair', code: null, person: 'Chair', local: true };

/** A tracked paragraph as the parser reports one: `deleted` (found in `original`, or before `before`) replaced by `inserted`. */
function replaced(number: string | null, original: string, deleted: string, inserted: string, before = deleted): TrackedParagraph {
  const author = 'Marie Dupont';
  const offset = original.indexOf(before);
  const proposed = original.slice(0, offset) + inserted + original.slice(offset + deleted.length);
  const date = '2026-02-03T10:00:00Z';
  return {
    index: 0,
    number,
    original,
    proposed,
    changes: [
      ...(deleted ? [{ kind: 'delete' as const, author, date, text: deleted, offset }] : []),
      ...(inserted ? [{ kind: 'insert' as const, author, date, text: inserted, offset: offset + deleted.length }] : []),
    ],
    wholeParagraph: null,
    pid: null,
  };
}

describe('what is recorded with each proposal', () => {
  it('says where it came from, who made the change in Word and when', () => {
    expect(importRationale({ author: 'Marie Dupont', date: '2026-02-03T10:00:00Z' }, 'France.docx')).toBe(
      'From the Word file “France.docx”: tracked change by Marie Dupont on 3 Feb 2026.',
    );
    expect(importRationale({ author: '  ', date: null }, 'x.docx')).toBe('From the Word file “x.docx”: tracked change.');
    expect(formatWordDate('not a date')).toBe('not a date');
    expect(speakerOf({ author: ' Marie   Dupont ' })).toBe('Marie Dupont');
    expect(speakerOf({ author: '' })).toBeUndefined();
    expect(speakerOf({ author: 'x'.repeat(300) })).toBeUndefined();
  });

  it('numbers paragraphs as in force: after a revision, one added since reads bis', () => {
    const text = doc(np('a', 'One.'), np('new', 'Inserted.'), np('b', 'Two.'));
    expect([...numbersInForce(text)]).toEqual([
      ['a', '1'],
      ['new', '2'],
      ['b', '3'],
    ]);
    expect(numbersInForce(text, new Map([['a', 1], ['b', 2]])).get('new')).toBe('1 bis');
  });
});

describe('reviewing and recording tracked changes', () => {
  it('plans each change on its paragraph, by number or by text, and lists what matches nothing, writing nothing', () => {
    const { negotiation, chair, delegations } = session(chairHere);
    const tracked = [
      replaced('1', FIRST, 'following', 'these'),
      replaced(null, SECOND, '', 'all ', 'interested'),
      replaced('42', 'Delegations discussed the migration patterns of freshwater eels.', 'freshwater eels', 'eels'),
    ];
    const review = reviewTrackedChanges(negotiation, tracked, { code: 'FRA', fileName: 'France.docx' });
    expect(review.proposals.map((p) => [p.plan.pid, p.reference, p.plan.matchedBy, p.plan.quote, p.plan.text])).toEqual([
      ['a', '1', 'number', 'following', 'these'],
      ['b', '2', 'text', '', 'all '],
    ]);
    expect(review.proposals.every((p) => p.draft !== null && p.problem === null)).toBe(true);
    expect(review.proposals[0]?.context).toEqual({ before: '…report, the OEWG has held the ', after: ' meetings:' });
    expect(review.unmatched).toHaveLength(1);
    expect(review.unmatched[0]?.why).toMatch(/no paragraph 42/);
    // A paragraph whose number exists but whose words are another paragraph's is not forced onto it.
    const other = reviewTrackedChanges(negotiation, [replaced('3', 'Delegations discussed the migration patterns of freshwater eels.', 'freshwater eels', 'eels')], {
      code: 'FRA',
      fileName: 'France.docx',
    });
    expect(other.proposals).toEqual([]);
    expect(other.unmatched[0]?.why).toMatch(/^Paragraph 3 of the current text reads too differently/);
    expect(chair.getMap('floor').size).toBe(0);
    expect(delegations.get('FRA')?.getMap('proposals').size).toBe(0);
    negotiation.destroy();
  });

  it('plans by the pid the export bookmarked, whatever the number says, and says why a change on reworded words has no place', () => {
    const { negotiation } = session(chairHere);
    // Exported when it was paragraph 9 and read "universities" where the chair has since written "academia".
    const kept = { ...replaced('9', SECOND, 'interested', 'all interested'), pid: 'b' };
    const gone = { ...replaced('9', SECOND.replace('academia', 'universities'), 'universities', 'academia and universities'), pid: 'b' };
    const review = reviewTrackedChanges(negotiation, [kept, gone], { code: 'FRA', fileName: 'France.docx' });
    expect(review.proposals.map((p) => [p.plan.pid, p.reference, p.plan.matchedBy, p.quote, p.note])).toEqual([['b', '2', 'id', 'interested', null]]);
    expect(review.unmatched.map((u) => u.why)).toEqual([expect.stringMatching(/^The words “universities” that this change replaces are no longer in paragraph 2 of the current text/)]);
    negotiation.destroy();
  });

  it('records the chosen ones from the floor for the delegation, with the Word author as the speaker, and undo takes them back', () => {
    const { negotiation, chair } = session(chairHere);
    const review = reviewTrackedChanges(negotiation, [replaced('1', FIRST, 'following', 'these'), replaced(null, SECOND, '', 'all ', 'interested')], {
      code: 'FRA',
      fileName: 'France.docx',
    });
    const { recorded } = recordPlannedProposals(negotiation, [review.proposals[0]!], { code: 'FRA', fileName: 'France.docx' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      kind: 'replace',
      pid: 'a',
      quote: 'following',
      text: 'these',
      author: { code: 'FRA', name: 'Marie Dupont' },
      recordedBy: 'Chair',
      rationale: 'From the Word file “France.docx”: tracked change by Marie Dupont on 3 Feb 2026.',
    });
    expect(chair.getMap('floor').size).toBe(1);
    // The span reads as the card shows it: the struck words are the paragraph's.
    expect(negotiation.paragraph('a').proposals[0]?.proposal.quote).toBe('following');
    expect(negotiation.history?.canUndo()).toBe(true);
    negotiation.history?.undo();
    expect(chair.getMap('floor').size).toBe(0);
    negotiation.destroy();
  });

  it('several proposals recorded from one Word file are one undo step for the chair, and redo brings them all back', () => {
    const { negotiation, chair } = session(chairHere);
    const review = reviewTrackedChanges(negotiation, [replaced('1', FIRST, 'following', 'these'), replaced(null, SECOND, '', 'all ', 'interested')], {
      code: 'FRA',
      fileName: 'France.docx',
    });
    const { recorded } = recordPlannedProposals(negotiation, review.proposals, { code: 'FRA', fileName: 'France.docx' });
    expect(recorded).toHaveLength(2);
    expect(chair.getMap('floor').size).toBe(2);
    negotiation.history?.undo();
    expect(chair.getMap('floor').size).toBe(0);
    expect(negotiation.history?.canUndo()).toBe(false);
    negotiation.history?.redo();
    expect(chair.getMap('floor').size).toBe(2);
    negotiation.destroy();
  });

  it('records as the delegation itself into its own doc when this window is the delegation', () => {
    const { negotiation, chair, delegations } = session({ role: 'delegation', code: 'FRA', person: 'Ana Silva', local: false });
    const review = reviewTrackedChanges(negotiation, [replaced('1', FIRST, 'following', 'these')], { code: 'FRA', fileName: 'Ours.docx' });
    recordPlannedProposals(negotiation, review.proposals, { code: 'FRA', fileName: 'Ours.docx' });
    const own = [...(delegations.get('FRA')?.getMap('proposals').values() ?? [])] as Array<{ author: { code: string; name: string } }>;
    expect(own.map((p) => p.author)).toEqual([{ code: 'FRA', name: 'Ana Silva' }]);
    expect(chair.getMap('floor').size).toBe(0);
    // Another delegation's code is refused before anything is written.
    const other = reviewTrackedChanges(negotiation, [replaced('1', FIRST, 'following', 'those')], { code: 'BRA', fileName: 'Ours.docx' });
    expect(other.proposals[0]?.problem).toMatch(/only for FRA/);
    negotiation.destroy();
  });

  it('strikes the current words after a footnote, and says when they differ from the Word file’s', () => {
    const { negotiation } = session(chairHere, [np('f', 'Agreed', fn('See A/78/265.'), ' text and some more words here.'), np('g', SECOND)]);
    const review = reviewTrackedChanges(
      negotiation,
      [
        replaced('1', 'Agreed[^See A/78/265.] text and some more words here.', 'more', 'fewer'),
        // Received with "concerned" where the text now reads "interested": matched by text, and the words the file
        // deletes are no longer there, so the proposal only inserts, and the review says what the file had.
        replaced(null, SECOND.replace('interested', 'concerned'), 'concerned', 'all'),
      ],
      { code: 'FRA', fileName: 'France.docx' },
    );
    expect(review.proposals.map((p) => [p.reference, p.quote, p.plan.text, p.note])).toEqual([
      ['1', 'more', 'fewer', null],
      ['2', '', 'all', 'The Word file had “concerned” here.'],
    ]);
    const { recorded } = recordPlannedProposals(negotiation, review.proposals, { code: 'FRA', fileName: 'France.docx' });
    expect(recorded.map((p) => [p.quote, p.text])).toEqual([
      ['more', 'fewer'],
      ['', 'all'],
    ]);
    negotiation.destroy();
  });

  it('shows a proposal on a locked paragraph as not recordable, and refuses the whole set when the text changed since the review', () => {
    const { negotiation, chair, text } = session(chairHere, [np('a', FIRST), p('u', 'Unnumbered.'), np('b', SECOND)]);
    negotiation.setStatus('b', 'agreed', 'Agreed ad ref.');
    const review = reviewTrackedChanges(negotiation, [replaced('1', FIRST, 'following', 'these'), replaced(null, SECOND, '', 'all ', 'interested')], {
      code: 'FRA',
      fileName: 'France.docx',
    });
    expect(review.proposals[1]?.draft).toBeNull();
    expect(review.proposals[1]?.problem).toMatch(/agreed ad ref/);
    // The chair locks paragraph 1 after the review: nothing at all is recorded, and the refusal names the paragraph.
    negotiation.setStatus('a', 'agreed', 'Agreed ad ref.');
    expect(() => recordPlannedProposals(negotiation, [review.proposals[0]!], { code: 'FRA', fileName: 'France.docx' })).toThrow(/Nothing was recorded.*paragraph 1/);
    expect(chair.getMap('floor').size).toBe(0);
    expect(currentDocument({ text }).childCount).toBe(4);
    negotiation.destroy();
  });
});

describe('new paragraphs inserted one after another in Word', () => {
  /** A paragraph Word marks as wholly inserted. */
  const inserted = (index: number, text: string): TrackedParagraph => ({
    index,
    number: null,
    original: '',
    proposed: text,
    changes: [{ kind: 'insert', author: 'Marie Dupont', date: '2026-02-03T10:00:00Z', text, offset: 0 }],
    wholeParagraph: 'inserted',
    pid: null,
  });
  const unchanged = (index: number, number: string, text: string): TrackedParagraph => ({ index, number, original: text, proposed: text, changes: [], wholeParagraph: null, pid: null });
  const WORD_ORDER = ['Alpha: the first new paragraph.', 'Beta: the second new paragraph.', 'Gamma: the third new paragraph.', 'Delta: the fourth new paragraph.'];

  it('are recorded after the same paragraph in Word’s order, and the margin and the compilation list them so', () => {
    const { negotiation } = session(chairHere);
    const tracked = [unchanged(0, '1', FIRST), ...WORD_ORDER.map((text, index) => inserted(index + 1, text))];
    const review = reviewTrackedChanges(negotiation, tracked, { code: 'FRA', fileName: 'France.docx' });
    expect(review.proposals.map((p) => [p.plan.kind, p.plan.pid, p.plan.text])).toEqual(WORD_ORDER.map((text) => ['new-paragraph', 'a', text]));
    // Recorded in one action, all within a millisecond or two: the order must not be left to the ids' random part.
    const { recorded } = recordPlannedProposals(negotiation, review.proposals, { code: 'FRA', fileName: 'France.docx' });
    const times = recorded.map((p) => p.createdAt);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort()).toEqual(times);
    // The margin cards and the compilation both read the paragraph's proposals, oldest first.
    expect(negotiation.paragraph('a').proposals.map((view) => view.proposal.text)).toEqual(WORD_ORDER);
    expect(negotiation.snapshot().byPid.get('a')?.proposals.map((view) => view.proposal.text)).toEqual(WORD_ORDER);
    negotiation.destroy();
  });
});
