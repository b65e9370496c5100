import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { body, fn, li, ll, np, p } from '../../schema/test-builder.ts';
import { ChairNegotiator } from './chair.ts';
import { DelegationNegotiator } from './delegation.ts';
import { newProposalId } from './proposals.ts';
import { codeOfProposalId, positionsMap, proposalsMap, withdrawalsMap } from './store.ts';
import { NegotiationError, Proposal, type NegotiationErrorCode } from './types.ts';
import { setupDocs, spanOf, testOptions, type TestDocs } from './test-setup.ts';

function setup(): { docs: TestDocs; fra: DelegationNegotiator; bra: DelegationNegotiator; g77: DelegationNegotiator; chair: ChairNegotiator } {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful ICT practices.'),
      ll(li(p({ pid: 's1' }, 'by sharing information;'))),
      np({ pid: 'p2' }, 'Capacity-building remains a priority', fn('See A/78/265.'), ' for all.'),
      np({ pid: 'p3' }, 'The group will meet again.'),
    ),
  );
  return {
    docs,
    fra: new DelegationNegotiator('FRA', docs, testOptions('Marie')),
    bra: new DelegationNegotiator('BRA', docs, testOptions('João')),
    g77: new DelegationNegotiator('G77', docs, testOptions('Chair of the Group')),
    chair: new ChairNegotiator(docs, testOptions('The Chair')),
  };
}

/** Runs `action` and returns the code of the NegotiationError it throws. */
function refusal(action: () => unknown): NegotiationErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof NegotiationError) return error.code;
    throw error;
  }
  throw new Error('the action was not refused');
}

/** Every update any of the docs emits while `action` runs, by doc name. */
function updatesDuring(docs: TestDocs, action: () => void): string[] {
  const touched: string[] = [];
  const all: Array<[string, Y.Doc]> = [['text', docs.text], ['chair', docs.chair], ...[...docs.delegations].map(([code, doc]): [string, Y.Doc] => [`d/${code}`, doc])];
  const off = all.map(([name, doc]) => {
    const handler = () => touched.push(name);
    doc.on('update', handler);
    return () => doc.off('update', handler);
  });
  try {
    action();
  } finally {
    off.forEach((stop) => stop());
  }
  return touched;
}

describe('DelegationNegotiator', () => {
  it('tables a replacement with anchors, quote, author and time, in its own doc only', () => {
    const { docs, fra } = setup();
    let proposal: Proposal | undefined;
    const touched = updatesDuring(docs, () => {
      proposal = fra.propose({
        kind: 'replace',
        pid: 'p1',
        span: spanOf(docs.text, 'p1', 'prevent'),
        text: 'deter',
        rationale: 'Stronger.',
        agreedLanguage: 'A/78/265, para. 23',
        cosponsors: ['BRA'],
      });
    });
    expect(touched).toEqual(['d/FRA']);
    expect(proposal).toMatchObject({
      kind: 'replace',
      pid: 'p1',
      quote: 'prevent',
      text: 'deter',
      author: { code: 'FRA', name: 'Marie' },
      recordedBy: null,
      cosponsors: ['BRA'],
      agreedLanguage: 'A/78/265, para. 23',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    expect(proposal?.from).not.toBeNull();
    expect(codeOfProposalId(proposal?.id ?? '')).toBe('FRA');
    expect(proposalsMap(docs.delegations.get('FRA') as Y.Doc).get(proposal?.id ?? '')).toEqual(proposal);
    expect(Proposal.safeParse(proposal).success).toBe(true);
  });

  it('tables every kind: insertion, deletion of words, new, deleted and moved paragraphs, comments', () => {
    const { docs, fra } = setup();
    const point = spanOf(docs.text, 'p3', 'again').from;
    expect(fra.propose({ kind: 'replace', pid: 'p3', span: { from: point, to: point }, text: 'soon ' }).quote).toBe('');
    expect(fra.propose({ kind: 'replace', pid: 'p3', span: spanOf(docs.text, 'p3', ' again'), text: '' }).text).toBe('');
    expect(fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'A new idea.' }).quote).toBe(
      'States should cooperate to prevent harmful ICT practices.',
    );
    expect(fra.propose({ kind: 'delete-paragraph', pid: 'p3' }).quote).toBe('The group will meet again.');
    expect(fra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: null }).afterPid).toBeNull();
    expect(fra.propose({ kind: 'move-paragraph', pid: 'p1', afterPid: 'p2' }).afterPid).toBe('p2');
    expect(fra.comment('p2', 'Which capacity?').quote).toBe('Capacity-building remains a priority[^See A/78/265.] for all.');
    expect(fra.comment('p1', 'Too weak.', spanOf(docs.text, 'p1', 'should')).quote).toBe('should');
    expect(proposalsMap(docs.delegations.get('FRA') as Y.Doc).size).toBe(8);
  });

  it('refuses proposals that cannot stand, writing nothing', () => {
    const { docs, fra, chair } = setup();
    chair.setStatus('p3', 'agreed', 'Agreed in the first reading');
    const touched = updatesDuring(docs, () => {
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'nope', span: { from: 0, to: 1 }, text: 'x' }))).toBe('unknown-paragraph');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p3', span: { from: 0, to: 3 }, text: 'A' }))).toBe('locked');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', span: { from: 4, to: 4 }, text: '' }))).toBe('empty-replacement');
      expect(refusal(() => fra.propose({ kind: 'new-paragraph', pid: 'p1', text: '  ' }))).toBe('empty-replacement');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', span: { from: 0, to: 6 }, text: 'States' }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', text: 'x' }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', span: { from: 0, to: 999 }, text: 'x' }))).toBe('invalid');
      // Offset 38 is inside the footnote of p2.
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p2', span: { from: 30, to: 38 }, text: 'x' }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', span: { from: 0, to: 1 }, text: 'x', cosponsors: ['XXX'] }))).toBe('unknown-delegation');
      expect(refusal(() => fra.propose({ kind: 'replace', pid: 'p1', span: { from: 0, to: 1 }, text: 'x', cosponsors: ['FRA'] }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'delete-paragraph', pid: 's1' }))).toBe('not-applicable');
      expect(refusal(() => fra.propose({ kind: 'delete-paragraph', pid: 'title' }))).toBe('not-applicable');
      expect(refusal(() => fra.propose({ kind: 'move-paragraph', pid: 'p1' }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'move-paragraph', pid: 'p1', afterPid: 'gone' }))).toBe('unknown-paragraph');
      expect(refusal(() => fra.propose({ kind: 'move-paragraph', pid: 'p1', afterPid: 's1' }))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'move-paragraph', pid: 'p2', afterPid: 'p1' }))).toBe('invalid');
      expect(refusal(() => fra.comment('p1', ' '))).toBe('invalid');
      expect(refusal(() => fra.propose({ kind: 'bogus', pid: 'p1' } as never))).toBe('invalid');
    });
    expect(touched).toEqual([]);
  });

  it('refuses an unknown delegation, CHAIR, or a doc the client does not hold', () => {
    const { docs } = setup();
    expect(refusal(() => new DelegationNegotiator('XXX', docs, testOptions('X')))).toBe('unknown-delegation');
    expect(refusal(() => new DelegationNegotiator('CHAIR', docs, testOptions('X', ['CHAIR'])))).toBe('unknown-delegation');
    expect(refusal(() => new DelegationNegotiator('USA', docs, testOptions('X', ['USA'])))).toBe('unknown-delegation');
    // A registry that drops a code stops its writer at the next write.
    let known = true;
    const writer = new DelegationNegotiator('FRA', docs, { ...testOptions('Marie'), isKnownCode: () => known });
    known = false;
    expect(refusal(() => writer.comment('p1', 'Late.'))).toBe('unknown-delegation');
  });

  it('states positions on others\u2019 proposals in its own doc, one per proposal', () => {
    const { docs, fra, bra, g77 } = setup();
    const proposal = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const touched = updatesDuring(docs, () => {
      bra.support(proposal.id);
      bra.oppose(proposal.id);
    });
    expect(touched).toEqual(['d/BRA', 'd/BRA']);
    g77.cosponsor(proposal.id);
    expect(positionsMap(docs.delegations.get('BRA') as Y.Doc).get(proposal.id)).toMatchObject({ proposalId: proposal.id, kind: 'oppose', by: 'João' });
    expect(bra.clearPosition(proposal.id)).toBe(true);
    expect(bra.clearPosition(proposal.id)).toBe(false);
    expect(positionsMap(docs.delegations.get('BRA') as Y.Doc).size).toBe(0);
    expect(positionsMap(docs.delegations.get('G77') as Y.Doc).get(proposal.id)).toMatchObject({ kind: 'cosponsor' });
  });

  it('refuses positions on unknown, own, withdrawn or decided proposals', () => {
    const { fra, bra, chair } = setup();
    const mine = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const withdrawn = fra.propose({ kind: 'new-paragraph', pid: 'p3', text: 'More.' });
    const decided = fra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: null });
    fra.withdraw(withdrawn.id, 'Superseded');
    chair.reject(decided.id, 'No support');
    expect(refusal(() => bra.support(newProposalId('FRA', new Date(), () => 'zzz')))).toBe('unknown-proposal');
    expect(refusal(() => bra.support('not-an-id'))).toBe('unknown-proposal');
    expect(refusal(() => fra.support(mine.id))).toBe('own-proposal');
    expect(refusal(() => bra.support(withdrawn.id))).toBe('withdrawn');
    expect(refusal(() => bra.oppose(decided.id))).toBe('already-decided');
    expect(refusal(() => bra.setPosition(mine.id, 'maybe' as never))).toBe('invalid');
  });

  it('withdraws only its own pending proposals, floor records for it included', () => {
    const { docs, fra, bra, chair } = setup();
    const own = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const floor = chair.recordFromFloor('FRA', { kind: 'new-paragraph', pid: 'p1', text: 'Said in the room.' }, 'Ambassador of France');
    expect(refusal(() => bra.withdraw(own.id))).toBe('not-own-proposal');
    expect(fra.withdraw(own.id, 'Changed our mind')).toMatchObject({ by: 'Marie', reason: 'Changed our mind' });
    expect(fra.withdraw(floor.id).reason).toBe('');
    expect(withdrawalsMap(docs.delegations.get('FRA') as Y.Doc).size).toBe(2);
    expect(refusal(() => fra.withdraw(own.id))).toBe('withdrawn');
    expect(refusal(() => fra.withdraw('FRA-zz-zz'))).toBe('unknown-proposal');
  });
});
