import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { body, fn, h1, li, ll, np, p, b, br } from '../schema/test-builder.ts';
import { TEXT_FRAGMENT } from '../model/ydocs.ts';
import { indexParagraphs, paragraphWording, spanWording, textFragment } from '../model/negotiation/text.ts';
import { changeRegions, planTrackedProposals, wordSimilarity, TEXT_MATCH_THRESHOLD, type ProposalPlan } from './plan.ts';
import type { TrackedParagraph } from './tracked.ts';

const RURITANIA = 'Delegation of Ruritania';

function tracked(partial: Partial<TrackedParagraph> & Pick<TrackedParagraph, 'original'>): TrackedParagraph {
  return { index: 0, number: null, proposed: partial.original, changes: [], wholeParagraph: null, pid: null, ...partial };
}

function insert(text: string, offset: number): TrackedParagraph['changes'][number] {
  return { kind: 'insert', author: RURITANIA, date: '2026-07-01T10:00:00Z', text, offset };
}

function remove(text: string, offset: number): TrackedParagraph['changes'][number] {
  return { kind: 'delete', author: RURITANIA, date: '2026-07-01T10:00:00Z', text, offset };
}

/** The document as `D/text` holds it, to read spans exactly as stored proposals do. */
function asText(doc: ProseMirrorNode): Y.Doc {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment(TEXT_FRAGMENT));
  return ydoc;
}

function spanOf(ydoc: Y.Doc, plan: ProposalPlan): string {
  const element = indexParagraphs(textFragment(ydoc)).elements.get(plan.pid);
  if (!element) throw new Error(`no paragraph ${plan.pid}`);
  return spanWording(element, plan.from, plan.to);
}

const current = body(
  h1({ pid: 'h' }, 'Introduction'),
  np({ pid: 'p1' }, 'The working group met in New York.'),
  np({ pid: 'p2' }, 'States should cooperate ', b('closely'), ' on data', fn('See A/78/265.'), ' and on capacity-building.'),
  ll(li(p({ pid: 'p2a' }, 'by sharing information;')), li(p({ pid: 'p2b' }, 'by building confidence.'))),
  np({ pid: 'p3' }, 'The Chair will report', br(), 'to the General Assembly.'),
);

describe('planTrackedProposals', () => {
  it('matches by number and turns each contiguous change region into one replace plan with offsets as D/text reads them', () => {
    const original = 'States should cooperate closely on data[^See A/78/265.] and on capacity-building.';
    const entry = tracked({
      number: '2',
      original,
      proposed: 'States should continue to cooperate on data[^See A/78/265.] and on capacity-building and training.',
      changes: [insert('continue to ', 14), remove('closely ', 24), insert(' and training', 80)],
    });
    const { plans, unmatched } = planTrackedProposals([entry], current);
    expect(unmatched).toEqual([]);
    expect(plans).toHaveLength(3);
    const ydoc = asText(current);
    for (const plan of plans) {
      expect(plan).toMatchObject({ kind: 'replace', pid: 'p2', matchedBy: 'number', paragraphNumber: '2', author: RURITANIA });
      // The span reads the quote in D/text, as the proposal writer will store it.
      expect(spanOf(ydoc, plan)).toBe(plan.quote);
    }
    expect(plans.map((plan) => [plan.quote, plan.text])).toEqual([
      ['', 'continue to '],
      ['closely ', ''],
      ['', ' and training'],
    ]);
    // After the footnote, ProseMirror offsets are one less than wording offsets ([^...] vs the node's size).
    expect(plans[2]?.from).toBe(79);
    const element = indexParagraphs(textFragment(ydoc)).elements.get('p2') as Y.XmlElement;
    expect(paragraphWording(element)).toBe(original);
  });

  it('groups a deletion and the insertion beside it into one replacement', () => {
    const entry = tracked({ number: '1', original: 'The working group met in New York.', changes: [remove('New York', 25), insert('Geneva', 33)] });
    const { plans } = planTrackedProposals([entry], current);
    expect(plans).toEqual([
      expect.objectContaining({ kind: 'replace', pid: 'p1', from: 25, to: 33, quote: 'New York', text: 'Geneva', matchedBy: 'number' }),
    ]);
  });

  it('falls back to text similarity when the number points at a different paragraph', () => {
    // In the file this was paragraph 7; here it is paragraph 1.
    const entry = tracked({ number: '7', original: 'The working group met in New York.', changes: [insert(' last year', 33)] });
    const { plans } = planTrackedProposals([entry], current);
    expect(plans[0]).toMatchObject({ pid: 'p1', matchedBy: 'text', paragraphNumber: '1', from: 33, to: 33, text: ' last year' });
  });

  it('maps offsets through small differences between the file and the current text', () => {
    // The chair has since changed "met" to "convened"; the delegation's change is further on.
    const entry = tracked({ number: '1', original: 'The working group convened in New York.', changes: [insert('in person ', 30)] });
    const { plans } = planTrackedProposals([entry], current);
    expect(plans[0]).toMatchObject({ pid: 'p1', matchedBy: 'number', from: 25, to: 25, text: 'in person ' });
    expect(spanOf(asText(current), { ...(plans[0] as ProposalPlan), to: 33 })).toBe('New York');
  });

  it('matches lettered sub-paragraphs by "2 (b)" and paragraphs with line breaks by their wording', () => {
    const { plans } = planTrackedProposals(
      [
        tracked({ number: '2 (b)', original: 'by building confidence.', changes: [insert('mutual ', 12)] }),
        tracked({ original: 'The Chair will report\nto the General Assembly.', changes: [remove('General Assembly', 29)] }),
      ],
      current,
    );
    expect(plans.map((plan) => [plan.pid, plan.matchedBy, plan.paragraphNumber])).toEqual([
      ['p2b', 'number', '2 (b)'],
      ['p3', 'text', '3'],
    ]);
    expect(spanOf(asText(current), plans[1] as ProposalPlan)).toBe('General Assembly');
  });

  it('uses the numbers in force (bis/ter) when given', () => {
    const numbers = new Map([
      ['p1', '1'],
      ['p2', '1 bis'],
      ['p3', '2'],
    ]);
    const entry = tracked({ number: '1 bis', original: 'States should cooperate closely on data[^See A/78/265.] and on capacity-building.', changes: [remove('closely ', 24)] });
    const { plans } = planTrackedProposals([entry], current, numbers);
    expect(plans[0]).toMatchObject({ pid: 'p2', matchedBy: 'number', paragraphNumber: '1 bis' });
  });

  it('plans a wholly inserted paragraph after the paragraph before it, and a deleted one as delete-paragraph', () => {
    const { plans, unmatched } = planTrackedProposals(
      [
        tracked({ number: '1', original: 'The working group met in New York.' }),
        tracked({ number: '1 bis', original: '', proposed: 'A new paragraph.', wholeParagraph: 'inserted', changes: [insert('A new paragraph.', 0)] }),
        tracked({ number: '3', original: 'The Chair will report\nto the General Assembly.', proposed: '', wholeParagraph: 'deleted', changes: [remove('The Chair will report\nto the General Assembly.', 0)] }),
      ],
      current,
    );
    expect(unmatched).toEqual([]);
    expect(plans).toEqual([
      expect.objectContaining({ kind: 'new-paragraph', pid: 'p1', text: 'A new paragraph.', quote: '', matchedBy: 'number', paragraphNumber: '1' }),
      expect.objectContaining({ kind: 'delete-paragraph', pid: 'p3', from: 0, to: 46, quote: 'The Chair will report\nto the General Assembly.', text: '' }),
    ]);
  });

  it('puts a paragraph inserted before everything after the title', () => {
    const { plans } = planTrackedProposals(
      [tracked({ original: '', proposed: 'Preamble.', wholeParagraph: 'inserted', changes: [insert('Preamble.', 0)] })],
      current,
    );
    expect(plans[0]).toMatchObject({ kind: 'new-paragraph', pid: 'title', text: 'Preamble.' });
  });

  it('returns paragraphs that match nothing well enough as unmatched', () => {
    const stranger = tracked({ number: '9', original: 'Entirely different words about fisheries and oceans.', changes: [insert('deep ', 0)] });
    const inserted = tracked({ original: '', proposed: 'New.', wholeParagraph: 'inserted', changes: [insert('New.', 0)] });
    const { plans, unmatched } = planTrackedProposals([stranger, inserted], current);
    expect(plans).toEqual([]);
    expect(unmatched).toEqual([stranger, inserted]);
  });

  it('ignores paragraphs without changes (they only anchor insertions)', () => {
    expect(planTrackedProposals([tracked({ number: '1', original: 'The working group met in New York.' })], current).plans).toEqual([]);
  });
});

describe('planTrackedProposals with pids from the export\'s bookmarks', () => {
  // Since the export the chair has added a paragraph at the top (so every number moved down by one), one that reads
  // much like the old paragraph 1, and reworded old paragraph 2.
  const now = body(
    h1({ pid: 'h' }, 'Introduction'),
    np({ pid: 'pA' }, 'The working group met in Geneva.'),
    np({ pid: 'p1' }, 'The working group met in New York.'),
    np({ pid: 'p2' }, 'States must cooperate closely on data', fn('See A/78/265.'), ' and on capacity-building and training.'),
  );
  const P2_EXPORTED = 'States should cooperate closely on data[^See A/78/265.] and on capacity-building.';

  it('matches by pid even when the number now points at another, similar paragraph', () => {
    const entry = tracked({ number: '1', pid: 'p1', original: 'The working group met in New York.', changes: [remove('New York', 25), insert('Vienna', 33)] });
    const { plans, unmatched } = planTrackedProposals([entry], now);
    expect(unmatched).toEqual([]);
    expect(plans).toEqual([expect.objectContaining({ kind: 'replace', pid: 'p1', matchedBy: 'id', paragraphNumber: '2', quote: 'New York', text: 'Vienna' })]);
    expect(spanOf(asText(now), plans[0] as ProposalPlan)).toBe('New York');
    // Without the bookmark, the number misleads: paragraph 1 now reads closely enough like it.
    expect(planTrackedProposals([{ ...entry, pid: null }], now).plans[0]).toMatchObject({ pid: 'pA', matchedBy: 'number' });
  });

  it('keeps a paragraph named by pid for that Word paragraph: another one\'s number or wording does not take it', () => {
    const small = body(np({ pid: 'p0' }, 'Opening of the session.'), np({ pid: 'p1' }, 'The working group met in New York.'));
    const named = tracked({ number: '1', pid: 'p1', original: 'The working group met in New York.', changes: [insert(' last year', 33)] });
    // The same words again, numbered 2 (where p1 now stands), without a bookmark: it must not land on p1 as well.
    const copy = tracked({ index: 1, number: '2', original: 'The working group met in New York.', changes: [insert(' again', 33)] });
    const { plans, unmatched } = planTrackedProposals([named, copy], small);
    expect(plans.map((plan) => [plan.pid, plan.matchedBy, plan.text])).toEqual([['p1', 'id', ' last year']]);
    expect(unmatched).toEqual([copy]);
  });

  it('plans on a reworded paragraph only where the words a change needs still stand, and says why for the rest', () => {
    const original = P2_EXPORTED;
    const entry = tracked({
      number: '7',
      pid: 'p2',
      original,
      changes: [
        remove('should ', 7), // the chair has since replaced "should" by "must"
        insert(' effectively', 23), // after "cooperate": unchanged on both sides
        remove('closely ', 24), // still there
        insert(' and research', original.length - 1), // before the full stop, where the chair has added words
      ],
    });
    const { plans, unmatched } = planTrackedProposals([entry], now);
    expect(plans.map((plan) => [plan.kind, plan.pid, plan.matchedBy, plan.paragraphNumber, plan.quote, plan.text])).toEqual([
      ['replace', 'p2', 'id', '3', '', ' effectively'],
      ['replace', 'p2', 'id', '3', 'closely ', ''],
    ]);
    const ydoc = asText(now);
    // Every span reads its quote in the current text: never a span over other words.
    for (const plan of plans) expect(spanOf(ydoc, plan)).toBe(plan.quote);
    expect(plans[0]).toMatchObject({ from: 21, to: 21 });
    expect(spanOf(ydoc, { ...(plans[0] as ProposalPlan), from: 0 })).toBe('States must cooperate');
    expect(unmatched.map((part) => [part.pid, part.changes.map((change) => change.text), part.reason])).toEqual([
      ['p2', ['should '], expect.stringMatching(/^The words “should” that this change replaces are no longer in paragraph 3 of the current text/)],
      ['p2', [' and research'], expect.stringMatching(/^The words next to the insertion of “and research” have been reworded in paragraph 3/)],
    ]);
  });

  it('finds the replaced words where the diff cannot place them when they stand once in the paragraph, not when they stand twice', () => {
    // The chair turned the sentence round: the diff sees "the report" deleted and inserted elsewhere.
    const turned = body(np({ pid: 'q' }, 'The report was welcomed by ministers.'));
    const exported = tracked({ pid: 'q', original: 'Ministers welcomed the report.', changes: [remove('report', 23), insert('study', 29)] });
    expect(planTrackedProposals([exported], turned).plans).toEqual([expect.objectContaining({ pid: 'q', quote: 'report', text: 'study', from: 4, to: 10 })]);
    const once = tracked({ pid: 'q', original: 'The group welcomed the report on data.', changes: [remove('welcomed', 10), insert('noted', 18)] });
    // Here the chair replaced the words where they stood, and they occur twice further on: no sure place.
    const twice = body(np({ pid: 'q' }, 'The group noted the report; it welcomed data and welcomed water.'));
    const { plans, unmatched } = planTrackedProposals([once], twice);
    expect(plans).toEqual([]);
    expect(unmatched[0]?.reason).toMatch(/occur there more than once/);
  });

  it('falls back to the number, then the wording, when the pid is no longer in the text (the paragraph was deleted)', () => {
    const byNumber = tracked({ number: '2', pid: 'deleted-pid', original: 'The working group met in New York.', changes: [insert(' last year', 33)] });
    const byText = tracked({ number: '9', pid: 'another-deleted-pid', original: P2_EXPORTED, changes: [remove('closely ', 24)] });
    const { plans, unmatched } = planTrackedProposals([byNumber, byText], now);
    expect(unmatched).toEqual([]);
    expect(plans.map((plan) => [plan.pid, plan.matchedBy])).toEqual([
      ['p1', 'number'],
      ['p2', 'text'],
    ]);
  });

  it('places new paragraphs after the paragraph named by pid, and deletes a reworded paragraph named by pid', () => {
    const { plans, unmatched } = planTrackedProposals(
      [
        tracked({ number: '1', pid: 'p1', original: 'The working group met in New York.' }),
        tracked({ original: '', proposed: 'A new paragraph.', wholeParagraph: 'inserted', changes: [insert('A new paragraph.', 0)] }),
        tracked({ number: '2', pid: 'p2', original: P2_EXPORTED, proposed: '', wholeParagraph: 'deleted', changes: [remove(P2_EXPORTED, 0)] }),
      ],
      now,
    );
    expect(unmatched).toEqual([]);
    expect(plans).toEqual([
      expect.objectContaining({ kind: 'new-paragraph', pid: 'p1', matchedBy: 'id', paragraphNumber: '2' }),
      expect.objectContaining({ kind: 'delete-paragraph', pid: 'p2', matchedBy: 'id', paragraphNumber: '3', from: 0, to: 91 }),
    ]);
  });
});

describe('word similarity and regions', () => {
  it('is the Dice coefficient of the word multisets, case-insensitive', () => {
    const words = (text: string): Map<string, number> => {
      const map = new Map<string, number>();
      for (const word of text.toLowerCase().split(' ')) map.set(word, (map.get(word) ?? 0) + 1);
      return map;
    };
    expect(wordSimilarity(words('a b c d'), words('a b c d'))).toBe(1);
    expect(wordSimilarity(words('a b c d'), words('a b x y'))).toBe(0.5);
    expect(wordSimilarity(words('a b c d'), words('w x y z'))).toBe(0);
    expect(TEXT_MATCH_THRESHOLD).toBeGreaterThan(0.5);
  });

  it('joins changes that touch and separates changes with text between them', () => {
    const entry = tracked({ original: 'one two three', changes: [remove('one', 0), insert('1', 3), insert('!', 13)] });
    expect(changeRegions(entry)).toEqual([
      { from: 0, to: 3, text: '1', author: RURITANIA, date: '2026-07-01T10:00:00Z' },
      { from: 13, to: 13, text: '!', author: RURITANIA, date: '2026-07-01T10:00:00Z' },
    ]);
  });
});
