import { describe, expect, it } from 'vitest';
import { toBase64 } from 'lib0/buffer';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { body, fn, np } from '../../schema/test-builder.ts';
import { ChairNegotiator } from '../negotiation/chair.ts';
import { DelegationNegotiator } from '../negotiation/delegation.ts';
import { editAsChair, readText, setupDocs, spanOf, steppingClock, testOptions, type TestDocs } from '../negotiation/test-setup.ts';
import { blockWording, proposalFate, proposalRevisionFate, RevisionFates, revisionsAround } from './fate.ts';
import { cutRevision, listRevisions, revisionDocument, revisionsArray } from './store.ts';
import { RevisionError } from './types.ts';

function setup(): { docs: TestDocs; fra: DelegationNegotiator; chair: ChairNegotiator; now: () => Date } {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful practices.'),
      np({ pid: 'p2' }, 'Capacity-building remains a priority for all States.'),
      np({ pid: 'p3' }, 'The group will meet again in 2026.'),
    ),
  );
  let pid = 0;
  const now = steppingClock(Date.UTC(2025, 5, 1));
  return {
    docs,
    fra: new DelegationNegotiator('FRA', docs, { ...testOptions('Marie'), now }),
    chair: new ChairNegotiator(docs, { ...testOptions('The Chair'), now, newPid: () => `new${++pid}` }),
    now,
  };
}

/** Replaces the first occurrence of `needle` in paragraph `pid` with `text`, as the chair typing would. */
function rewrite(docs: TestDocs, pid: string, needle: string, text: string): void {
  const span = spanOf(docs.text, pid, needle);
  editAsChair(docs.text, (tr) => {
    tr.doc.forEach((node, offset) => {
      if (node.attrs['pid'] === pid) tr.insertText(text, offset + 1 + span.from, offset + 1 + span.to);
    });
  });
}

/** Cuts a revision now and opens it, as the fate display would. */
function nextRevision(docs: TestDocs, now: () => Date): ProseMirrorNode {
  return revisionDocument(cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now }));
}

describe('proposal fate: replacements', () => {
  it('is incorporated when the chair accepted it', () => {
    const { docs, fra, chair, now } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall' });
    chair.accept(proposal.id, 'Support');
    expect(proposalFate(proposal, nextRevision(docs, now))).toBe('incorporated');
  });

  it('is incorporated when the replacement contains the quote ("should" -> "should not")', () => {
    const { docs, fra, now } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p3', span: spanOf(docs.text, 'p3', 'again'), text: 'again soon' });
    rewrite(docs, 'p3', 'again', 'again soon');
    expect(proposalFate(proposal, nextRevision(docs, now))).toBe('incorporated');
  });

  it('is incorporated in part when only some of its words made it in', () => {
    const { docs, fra, now } = setup();
    const base = readText(docs.text);
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate'), text: 'work together closely' });
    rewrite(docs, 'p1', 'cooperate', 'work together');
    const next = nextRevision(docs, now);
    expect(proposalFate(proposal, next)).toBe('incorporated in part');
    expect(proposalFate(proposal, next, base)).toBe('incorporated in part');
  });

  it('is incorporated in part when the quoted words went but other words than its own came', () => {
    const { docs, fra, now } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall' });
    rewrite(docs, 'p1', 'should', 'must');
    expect(proposalFate(proposal, nextRevision(docs, now))).toBe('incorporated in part');
  });

  it('is not incorporated when the paragraph still reads as before', () => {
    const { docs, fra, chair, now } = setup();
    const base = readText(docs.text);
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'the priority' });
    chair.reject(proposal.id, 'No support');
    const next = nextRevision(docs, now);
    expect(proposalFate(proposal, next)).toBe('not incorporated');
    expect(proposalFate(proposal, next, base)).toBe('not incorporated');
  });

  it('counts an added word already in the paragraph only with the text it was made against', () => {
    const { docs, fra, now } = setup();
    const base = readText(docs.text);
    // "States" is already in p2: without the base text it looks added, with it it does not.
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'all'), text: 'all Member States' });
    rewrite(docs, 'p3', 'again', 'later');
    const next = nextRevision(docs, now);
    expect(proposalFate(proposal, next)).toBe('incorporated in part');
    expect(proposalFate(proposal, next, base)).toBe('not incorporated');
  });

  it('is marked paragraph removed when its paragraph is gone', () => {
    const { docs, fra, chair, now } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p3', span: spanOf(docs.text, 'p3', '2026'), text: '2027' });
    const deletion = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    chair.accept(deletion.id, 'Overtaken by events');
    expect(proposalFate(proposal, nextRevision(docs, now))).toBe('paragraph removed');
  });
});

describe('proposal fate: paragraphs and comments', () => {
  it('finds a new paragraph taken whole, mostly, in part or not at all', () => {
    const { docs, fra, chair, now } = setup();
    const base = readText(docs.text);
    const whole = fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'States should share threat information promptly.' });
    const mostly = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'Donors should fund regional capacity-building centres in every region of the world.' });
    const half = fra.propose({ kind: 'new-paragraph', pid: 'p3', text: 'The group will report to the General Assembly at its eighty-first session.' });
    const never = fra.propose({ kind: 'new-paragraph', pid: 'p3', text: 'A glossary of terms is annexed.' });
    chair.accept(whole.id, 'Support');
    chair.acceptAsModified(mostly.id, 'Donors should fund regional capacity-building centres in every region of the globe.', 'Wording');
    chair.acceptAsModified(half.id, 'The group will report to the Secretary-General annually.', 'Compromise');
    const next = nextRevision(docs, now);
    expect([whole, mostly, half, never].map((proposal) => proposalFate(proposal, next))).toEqual([
      'incorporated',
      'incorporated',
      'incorporated in part',
      'not incorporated',
    ]);
    expect(proposalFate(never, next, base)).toBe('not incorporated');
  });

  it('does not take a paragraph that was already there for the new one', () => {
    const { docs, fra, now } = setup();
    const base = readText(docs.text);
    const proposal = fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'The group will meet again in 2026.' });
    const next = nextRevision(docs, now);
    expect(proposalFate(proposal, next)).toBe('incorporated');
    expect(proposalFate(proposal, next, base)).toBe('not incorporated');
  });

  it('sees a deletion incorporated when the paragraph is gone, and not while it stands', () => {
    const { docs, fra, chair, now } = setup();
    const taken = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const refused = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    chair.accept(taken.id, 'Support');
    chair.reject(refused.id, 'Opposed');
    const next = nextRevision(docs, now);
    expect(proposalFate(taken, next)).toBe('incorporated');
    expect(proposalFate(refused, next)).toBe('not incorporated');
  });

  it('sees a move incorporated when the paragraph follows its target, including to the top', () => {
    const { docs, fra, chair, now } = setup();
    const toTop = fra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: null });
    const afterP1 = fra.propose({ kind: 'move-paragraph', pid: 'p2', afterPid: 'p3' });
    chair.accept(toTop.id, 'Support');
    const next = nextRevision(docs, now);
    expect(proposalFate(toTop, next)).toBe('incorporated');
    expect(proposalFate(afterP1, next)).toBe('not incorporated');
  });

  it('gives a comment no fate', () => {
    const { docs, fra, now } = setup();
    const comment = fra.comment('p1', 'Why "should"?');
    expect(proposalFate(comment, nextRevision(docs, now))).toBe('not applicable');
  });

  it('reads footnotes as proposals quote them', () => {
    expect(blockWording(np({ pid: 'x' }, 'Text', fn('Note.'), ' more'))).toBe('Text[^Note.] more');
  });
});

describe('proposal fate across the revision history', () => {
  it('names the revision a proposal was made against and judges it in the next one cut after it', () => {
    const { docs, fra, chair, now } = setup();
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall', revision: 'Zero draft' });
    expect(proposalRevisionFate(proposal, docs.chair)).toMatchObject({ madeAgainst: { label: 'Zero draft' }, next: null, fate: null });
    chair.accept(proposal.id, 'Support');
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    rewrite(docs, 'p1', 'shall', 'should');
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    const documents = new Map<string, ProseMirrorNode>();
    const result = proposalRevisionFate(proposal, docs.chair, { documents });
    expect(result.next?.label).toBe('Rev.1');
    expect(result.fate).toBe('incorporated');
    expect([...documents.keys()]).toHaveLength(2);
  });
});

describe('the fates a window shows on its cards', () => {
  it('names the revision made against, and once the next is cut its fate there, judged once per pair', () => {
    const { docs, fra, chair, now } = setup();
    const fates = new RevisionFates();
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    const rev1 = cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    fates.setRevisions(listRevisions(docs.chair));
    const taken = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall', revision: rev1.label });
    const refused = fra.propose({ kind: 'delete-paragraph', pid: 'p2', revision: rev1.label });
    const comment = fra.comment('p3', 'Which meeting?');
    expect(fates.noteOf(taken)).toEqual({ madeAgainst: 'Rev.1', next: null, fate: null, problem: null });
    expect(fates.decodedTexts).toBe(0);

    chair.accept(taken.id, 'Support');
    chair.reject(refused.id, 'Opposed');
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    fates.setRevisions(listRevisions(docs.chair));
    const note = fates.noteOf(taken);
    expect(note).toEqual({ madeAgainst: 'Rev.1', next: 'Rev.2', fate: 'incorporated', problem: null });
    expect(fates.noteOf(refused)).toMatchObject({ next: 'Rev.2', fate: 'not incorporated' });
    expect(fates.noteOf(comment)).toMatchObject({ madeAgainst: null, next: 'Rev.2', fate: 'not applicable' });
    expect(fates.decodedTexts).toBe(2);

    // Typing in the current text changes no judgement; the same note comes back without judging again.
    rewrite(docs, 'p1', 'shall', 'must');
    expect(fates.noteOf(taken)).toBe(note);
    cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    fates.setRevisions(listRevisions(docs.chair));
    expect(fates.noteOf(taken)).toBe(note);
    expect(fates.decodedTexts).toBe(2);
  });

  it('judges a proposal in the revision after the one it was made against, cut after it was made', () => {
    const { docs, fra, now } = setup();
    const before = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall' });
    const zero = cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    const rev1 = cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    // Made offline against the zero draft after Rev.1 was cut: Rev.1 never saw it.
    const late = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'must', revision: 'zero draft' });
    const revisions = listRevisions(docs.chair);
    expect(revisionsAround(before, revisions)).toEqual({ madeAgainst: null, next: zero });
    expect(revisionsAround(late, revisions)).toEqual({ madeAgainst: zero, next: null });
    const rev2 = cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    expect(revisionsAround(late, listRevisions(docs.chair))).toEqual({ madeAgainst: zero, next: rev2 });
    expect(rev1.label).toBe('Rev.1');
  });

  it('says so, and throws nothing, when the next revision cannot be opened', () => {
    const { docs, fra, now } = setup();
    const zero = cutRevision({ textDoc: docs.text, chairDoc: docs.chair, by: 'The Chair', now });
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'should'), text: 'shall', revision: zero.label });
    const damaged = { ...zero, id: 'damaged', label: 'Rev.1', at: now().toISOString(), state: toBase64(new Uint8Array([1, 2, 3, 4, 5, 6])) };
    revisionsArray(docs.chair).push([damaged]);
    const fates = new RevisionFates();
    fates.setRevisions(listRevisions(docs.chair));
    const note = fates.noteOf(proposal);
    expect(note).toMatchObject({ madeAgainst: 'Zero draft', next: 'Rev.1', fate: null });
    expect(note.problem).toMatch(/Rev\.1.*does not hold a readable text/);
    expect(() => proposalRevisionFate(proposal, docs.chair)).toThrow(RevisionError);
  });
});
