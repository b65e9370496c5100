import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { body, np } from '../../schema/test-builder.ts';
import { ChairNegotiator } from './chair.ts';
import { DelegationNegotiator } from './delegation.ts';
import { NegotiationIndex } from './live.ts';
import { findParagraph, paragraphSize, replaceRange } from './text.ts';
import { readNegotiation } from './view.ts';
import { editAsChair, pidsOf, readText, setupDocs, spanOf, testOptions, type TestDocs } from './test-setup.ts';

function setup() {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful ICT practices.'),
      np({ pid: 'p2' }, 'Capacity-building remains a priority for all.'),
      np({ pid: 'p3' }, 'The group will meet again.'),
    ),
  );
  let pid = 0;
  return {
    docs,
    fra: new DelegationNegotiator('FRA', docs, testOptions('Marie')),
    bra: new DelegationNegotiator('BRA', docs, testOptions('João')),
    chair: new ChairNegotiator(docs, { ...testOptions('The Chair'), newPid: () => `new${++pid}` }),
  };
}

/** Every paragraph the snapshot knows, compared with the live index's view of it. */
function expectAgrees(index: NegotiationIndex, docs: TestDocs): void {
  const snapshot = readNegotiation(docs.text, docs.chair, docs.delegations);
  for (const paragraph of snapshot.paragraphs) expect(index.paragraphView(paragraph.pid), paragraph.pid).toEqual(paragraph);
  for (const proposal of snapshot.proposals) expect(index.proposalView(proposal.id)).toEqual(proposal);
}

/** Types one character at the end of a paragraph, as the chair's editor would. */
function typeInto(textDoc: Y.Doc, pid: string, char: string): void {
  const paragraph = findParagraph(textDoc, pid) as Y.XmlElement;
  textDoc.transact(() => replaceRange(paragraph, paragraphSize(paragraph), paragraphSize(paragraph), char));
}

describe('NegotiationIndex', () => {
  it('agrees with the snapshot after every kind of change', () => {
    const { docs, fra, bra, chair } = setup();
    const index = new NegotiationIndex(docs.text, docs.chair, docs.delegations);
    const steps: Array<() => void> = [];
    let one = '';
    let two = '';
    let three = '';
    steps.push(() => (one = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter' }).id));
    steps.push(() => (two = bra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: 'p1' }).id));
    steps.push(() => (three = chair.recordFromFloor('G77', { kind: 'new-paragraph', pid: 'p2', text: 'From the floor.' }).id));
    steps.push(() => bra.support(one));
    steps.push(() => chair.recordPositionFromFloor('FRA', three, 'oppose'));
    steps.push(() => editAsChair(docs.text, (tr) => tr.insertText('X', 3)));
    steps.push(() => editAsChair(docs.text, (tr) => tr.insertText('really ', 1 + readText(docs.text).child(0).nodeSize + 'States should cooperate to '.length)));
    steps.push(() => chair.accept(two, 'Order'));
    steps.push(() => chair.acceptAsModified(one, 'deter', 'Reworded'));
    steps.push(() => chair.merge([three], { kind: 'comment', pid: 'p2', text: 'Chair: see new text.' }, 'Merged'));
    steps.push(() => chair.setStatus('p2', 'agreed', 'Ad ref'));
    steps.push(() => fra.withdraw(fra.comment('p3', 'Hmm.').id));
    steps.push(() => bra.clearPosition(one));
    for (const step of steps) {
      step();
      expectAgrees(index, docs);
    }
    index.destroy();
  });

  it('marks stale only the paragraphs a change concerns, and keeps the other views cached', () => {
    const { docs, fra, bra, chair } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'priority'), text: 'goal' });
    const index = new NegotiationIndex(docs.text, docs.chair, docs.delegations);
    const seen: string[][] = [];
    index.onChange((change) => seen.push([...change.pids].sort()));
    const p1 = index.paragraphView('p1');
    const p2 = index.paragraphView('p2');

    typeInto(docs.text, 'p1', '!');
    expect(seen.pop()).toEqual(['p1']);
    expect(index.paragraphView('p2')).toBe(p2);
    expect(index.paragraphView('p1')).not.toBe(p1);

    bra.oppose(proposal.id);
    expect(seen.pop()).toEqual(['p2']);
    chair.setStatus('p3', 'bracketed');
    expect(seen.pop()).toEqual(['p3']);
    chair.recordFromFloor('BRA', { kind: 'comment', pid: 'p1', text: 'Noted.' });
    expect(seen.pop()).toEqual(['p1']);

    const before = index.paragraphView('p3');
    const addition = fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'Inserted.' });
    seen.length = 0;
    chair.accept(addition.id, 'Yes');
    // The decision concerns p1; the new paragraph is a new pid; p2 and p3 are untouched.
    expect([...new Set(seen.flat())].sort()).toEqual(['new1', 'p1']);
    expect(index.paragraphView('p3')).toBe(before);
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 'new1', 'p2', 'p3']);
    expectAgrees(index, docs);
    index.destroy();
  });

  it('follows delegations added and removed later', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const index = new NegotiationIndex(docs.text, docs.chair);
    expect(index.paragraphView('p3').counts.total).toBe(0);
    index.addDelegation('FRA', docs.delegations.get('FRA') as Y.Doc);
    expect(index.paragraphView('p3').proposals.map((view) => view.id)).toEqual([proposal.id]);
    index.addDelegation('BRA', docs.delegations.get('BRA') as Y.Doc);
    new DelegationNegotiator('BRA', docs, testOptions('João')).support(proposal.id);
    expect(index.proposalView(proposal.id)?.positions.counts.support).toBe(1);
    index.removeDelegation('FRA');
    expect(index.proposalView(proposal.id)).toBeUndefined();
    expect(index.paragraphView('p3').counts.total).toBe(0);
    index.destroy();
  });

  it('keeps a keystroke cheap in a large negotiation (figures printed, not asserted)', () => {
    const paragraphs = Array.from({ length: 2500 }, (_, i) => np({ pid: `p${i}` }, `Paragraph ${i} says that States should cooperate in good faith.`));
    const docs = setupDocs(body(...paragraphs));
    const fra = new DelegationNegotiator('FRA', docs, testOptions('Marie'));
    for (let i = 0; i < 1000; i += 1) {
      const pid = `p${(i * 7) % 2500}`;
      fra.propose({ kind: 'replace', pid, span: spanOf(docs.text, pid, 'cooperate'), text: `work together ${i}` });
    }
    let started = performance.now();
    const index = new NegotiationIndex(docs.text, docs.chair, docs.delegations);
    const build = performance.now() - started;
    for (const pid of ['p0', 'p7', 'p14']) index.paragraphView(pid);
    started = performance.now();
    const keystrokes = 200;
    for (let i = 0; i < keystrokes; i += 1) {
      typeInto(docs.text, 'p7', 'x');
      index.paragraphView('p7');
    }
    const perKeystroke = (performance.now() - started) / keystrokes;
    started = performance.now();
    readNegotiation(docs.text, docs.chair, docs.delegations);
    const snapshot = performance.now() - started;
    console.log(
      `negotiation index, 2,500 paragraphs, 1,000 proposals: build ${build.toFixed(1)} ms, ` +
        `keystroke + paragraph view ${perKeystroke.toFixed(3)} ms, full snapshot ${snapshot.toFixed(1)} ms`,
    );
    expect(index.paragraphView('p7').proposals).toHaveLength(1);
    expect(index.paragraphView('p7').proposals[0]?.overtaken).toBe(false);
    index.destroy();
  });
});
