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
  return { index: 0, number: null, proposed: partial.original, changes: [], wholeParagraph: null, ...partial };
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
