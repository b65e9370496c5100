import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { b, body, li, ll, np, p, posOf } from '../../schema/test-builder.ts';
import { ChairNegotiator } from './chair.ts';
import { DelegationNegotiator } from './delegation.ts';
import { isLocked, lockedPids } from './statuses.ts';
import { decisionsMap, floorMap, floorPositionsMap, floorWithdrawalsMap, logArray, statusesMap } from './store.ts';
import { NegotiationError, type NegotiationErrorCode } from './types.ts';
import { readNegotiation } from './view.ts';
import { editAsChair, pidsOf, readText, setupDocs, spanOf, testOptions, wordingOf, type TestDocs } from './test-setup.ts';

function setup(): { docs: TestDocs; fra: DelegationNegotiator; bra: DelegationNegotiator; chair: ChairNegotiator } {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should ', b('cooperate'), ' to prevent harmful ICT practices.'),
      ll(li(p({ pid: 's1' }, 'by sharing information;'))),
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

function refusal(action: () => unknown): NegotiationErrorCode {
  try {
    action();
  } catch (error) {
    if (error instanceof NegotiationError) return error.code;
    throw error;
  }
  throw new Error('the action was not refused');
}

function at(textDoc: Y.Doc, needle: string): number {
  return posOf(readText(textDoc), needle);
}

describe('ChairNegotiator decisions', () => {
  it('accepts a replacement: the text changes (keeping its marks) and the decision is recorded and logged', () => {
    const { docs, fra, chair } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate'), text: 'work together' });
    const decision = chair.accept(proposal.id, 'Broad support');
    expect(decision).toMatchObject({ kind: 'accepted', reason: 'Broad support', by: 'The Chair' });
    expect(readText(docs.text).child(1).toJSON()).toEqual(np({ pid: 'p1' }, 'States should ', b('work together'), ' to prevent harmful ICT practices.').toJSON());
    expect(decisionsMap(docs.chair).get(proposal.id)).toEqual(decision);
    expect(logArray(docs.chair).toArray()).toEqual([{ type: 'decision', proposalId: proposal.id, pid: 'p1', ...decision }]);
    expect(readNegotiation(docs.text, docs.chair, docs.delegations).byId.get(proposal.id)).toMatchObject({ status: 'accepted', overtaken: false });
  });

  it('new paragraphs proposed after the same paragraph read in the order they were proposed, whatever order they are accepted in', () => {
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]]) {
      const { docs, fra, chair } = setup();
      const texts = ['Alpha first.', 'Beta second.', 'Gamma third.'];
      const proposals = texts.map((text) => fra.propose({ kind: 'new-paragraph', pid: 'p2', text }));
      for (const index of order) chair.accept((proposals[index] as (typeof proposals)[number]).id, 'Agreed');
      const after = pidsOf(docs.text).slice(pidsOf(docs.text).indexOf('p2') + 1, -1);
      expect(after.map((pid) => wordingOf(docs.text, pid)), `accepted in the order ${order.join(', ')}`).toEqual(texts);
      expect(pidsOf(docs.text).at(-1)).toBe('p3');
    }
  });

  it('an earlier-proposed new paragraph accepted as modified, or one the chair has since edited, still orders correctly or falls back to right after the anchor', () => {
    const { docs, fra, chair } = setup();
    const first = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'First as proposed.' });
    const second = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'Second.' });
    chair.acceptAsModified(first.id, 'First as the chair put it.', 'Compromise');
    chair.accept(second.id, 'Agreed');
    const pids = pidsOf(docs.text);
    const after = pids.slice(pids.indexOf('p2') + 1, pids.indexOf('p3'));
    expect(after.map((pid) => wordingOf(docs.text, pid))).toEqual(['First as the chair put it.', 'Second.']);
  });

  it('applies insertions, deletions of words, new, deleted and moved paragraphs', () => {
    const { docs, fra, chair } = setup();
    const point = spanOf(docs.text, 'p3', 'again').from;
    const insert = fra.propose({ kind: 'replace', pid: 'p3', span: { from: point, to: point }, text: 'soon ' });
    const cut = fra.propose({ kind: 'replace', pid: 's1', span: spanOf(docs.text, 's1', ' information'), text: '' });
    const added = fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'A new idea.' });
    const moved = fra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: null });
    const deleted = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    for (const proposal of [insert, cut, added, moved, deleted]) chair.accept(proposal.id, 'Agreed in the room');
    expect(wordingOf(docs.text, 'p3')).toBe('The group will meet soon again.');
    expect(wordingOf(docs.text, 's1')).toBe('by sharing;');
    // The new paragraph goes after p1's lettered sub-paragraphs, with a fresh pid.
    expect(pidsOf(docs.text)).toEqual(['title', 'p3', 'p1', 's1', 'new1']);
    expect(wordingOf(docs.text, 'new1')).toBe('A new idea.');
    readText(docs.text);
  });

  it('refuses to apply an overtaken proposal, and applies it as modified', () => {
    const { docs, fra, chair } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'the priority' });
    editAsChair(docs.text, (tr) => tr.insertText('key ', at(docs.text, 'priority')));
    const touched: string[] = [];
    docs.text.on('update', () => touched.push('text'));
    docs.chair.on('update', () => touched.push('chair'));
    expect(refusal(() => chair.accept(proposal.id, 'Support'))).toBe('overtaken');
    expect(touched).toEqual([]);
    chair.acceptAsModified(proposal.id, 'the key priority', 'Merged with the Chair\u2019s edit');
    expect(wordingOf(docs.text, 'p2')).toBe('Capacity-building remains the key priority for all.');
    expect(decisionsMap(docs.chair).get(proposal.id)).toMatchObject({ kind: 'accepted-as-modified', modifiedText: 'the key priority' });
  });

  it('finds a proposal\u2019s words again after a move copied its paragraph, when they occur once', () => {
    const { docs, fra, bra, chair } = setup();
    const wording = fra.propose({ kind: 'replace', pid: 'p3', span: spanOf(docs.text, 'p3', 'meet'), text: 'convene' });
    const ambiguous = fra.propose({ kind: 'replace', pid: 'p3', span: { from: 2, to: 3 }, text: 'E' });
    const move = bra.propose({ kind: 'move-paragraph', pid: 'p3', afterPid: null });
    chair.accept(move.id, 'Logical order');
    const view = readNegotiation(docs.text, docs.chair, docs.delegations);
    expect(view.byId.get(wording.id)).toMatchObject({ overtaken: false, wording: { quoted: 'meet', current: 'meet' }, span: { from: 15, to: 19 } });
    // "e" occurs many times: its place is lost, and the chair is told so.
    expect(view.byId.get(ambiguous.id)).toMatchObject({ overtaken: true, wording: { quoted: 'e', current: null } });
    expect(refusal(() => chair.acceptAsModified(ambiguous.id, 'E', 'Capital'))).toBe('overtaken');
    chair.accept(wording.id, 'Fine');
    expect(wordingOf(docs.text, 'p3')).toBe('The group will convene again.');
  });

  it('applies the modified wording to every kind', () => {
    const { docs, fra, chair } = setup();
    const added = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'Draft.' });
    const kept = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const moved = fra.propose({ kind: 'move-paragraph', pid: 'p2', afterPid: 'p3' });
    chair.acceptAsModified(added.id, 'Better draft.', 'Reworded');
    chair.acceptAsModified(kept.id, 'The group will meet.', 'Kept, shorter');
    chair.acceptAsModified(moved.id, 'Capacity-building remains a priority.', 'Moved and trimmed');
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 's1', 'new1', 'p3', 'p2']);
    expect(wordingOf(docs.text, 'new1')).toBe('Better draft.');
    expect(wordingOf(docs.text, 'p3')).toBe('The group will meet.');
    expect(wordingOf(docs.text, 'p2')).toBe('Capacity-building remains a priority.');
    const comment = fra.comment('p1', 'Noted?');
    expect(refusal(() => chair.acceptAsModified(comment.id, 'x', 'y'))).toBe('not-applicable');
    expect(chair.accept(comment.id, 'Noted').kind).toBe('accepted');
  });

  it('refuses deciding unknown, withdrawn, decided, orphaned or locked proposals, and empty reasons', () => {
    const { docs, fra, chair } = setup();
    const withdrawn = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    fra.withdraw(withdrawn.id);
    const decided = fra.propose({ kind: 'new-paragraph', pid: 'p3', text: 'More.' });
    chair.reject(decided.id, 'No support');
    const orphan = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'priority'), text: 'goal' });
    const locked = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'harmful'), text: 'malicious' });
    editAsChair(docs.text, (tr) => {
      const start = at(docs.text, 'Capacity') - 1;
      tr.delete(start, start + tr.doc.resolve(start + 1).parent.nodeSize);
    });
    chair.setStatus('p1', 'agreed', 'Agreed ad ref');
    expect(refusal(() => chair.accept('FRA-0-zz', 'x'))).toBe('unknown-proposal');
    expect(refusal(() => chair.accept(withdrawn.id, 'x'))).toBe('withdrawn');
    expect(refusal(() => chair.reject(decided.id, 'x'))).toBe('already-decided');
    expect(refusal(() => chair.accept(orphan.id, 'x'))).toBe('overtaken');
    expect(refusal(() => chair.acceptAsModified(orphan.id, 'goal', 'x'))).toBe('overtaken');
    expect(refusal(() => chair.accept(locked.id, 'x'))).toBe('locked');
    expect(refusal(() => chair.reject(orphan.id, '  '))).toBe('invalid');
    // Rejecting is always possible while pending.
    expect(chair.reject(orphan.id, 'Paragraph deleted').kind).toBe('rejected');
    expect(chair.reject(locked.id, 'Paragraph agreed').kind).toBe('rejected');
  });

  it('refuses to delete or move a paragraph whose agreed sub-paragraph would go with it', () => {
    const { fra, chair } = setup();
    const deletion = fra.propose({ kind: 'delete-paragraph', pid: 'p1' });
    const move = fra.propose({ kind: 'move-paragraph', pid: 'p1', afterPid: 'p3' });
    chair.setStatus('s1', 'agreed', 'Ad ref');
    expect(refusal(() => chair.accept(deletion.id, 'x'))).toBe('locked');
    expect(refusal(() => chair.acceptAsModified(move.id, 'New words.', 'x'))).toBe('locked');
    chair.reopen('s1', 'Back to the table');
    expect(chair.accept(move.id, 'Order').kind).toBe('accepted');
  });

  it('refuses to delete the last paragraph of the body', () => {
    const docs = setupDocs(body(np({ pid: 'only' }, 'Alone.')));
    const fra = new DelegationNegotiator('FRA', docs, testOptions('Marie'));
    const chair = new ChairNegotiator(docs, testOptions('The Chair'));
    const proposal = fra.propose({ kind: 'delete-paragraph', pid: 'only' });
    expect(refusal(() => chair.accept(proposal.id, 'x'))).toBe('not-applicable');
  });

  it('merges proposals into a Chair\u2019s compromise that is accepted later', () => {
    const { docs, fra, bra, chair } = setup();
    const one = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'the top priority' });
    const two = bra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'an urgent priority' });
    const { compromise, decisions } = chair.merge(
      [one.id, two.id],
      { kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'an urgent and top priority' },
      'Bridging proposal',
    );
    expect(compromise.author).toEqual({ code: 'CHAIR', name: 'The Chair' });
    expect(compromise.recordedBy).toBe('The Chair');
    expect(decisions.map((decision) => decision.compromiseId)).toEqual([compromise.id, compromise.id]);
    expect(floorMap(docs.chair).get(compromise.id)).toEqual(compromise);
    const view = readNegotiation(docs.text, docs.chair, docs.delegations);
    expect(view.byId.get(one.id)).toMatchObject({ status: 'merged', compromiseId: compromise.id });
    expect(view.byId.get(compromise.id)).toMatchObject({ status: 'pending', mergedFrom: [one.id, two.id].sort() });
    chair.accept(compromise.id, 'Consensus');
    expect(wordingOf(docs.text, 'p2')).toBe('Capacity-building remains an urgent and top priority for all.');
    expect(refusal(() => chair.merge([one.id], { kind: 'comment', pid: 'p2', text: 'x' }, 'again'))).toBe('already-decided');
    expect(refusal(() => chair.merge([], { kind: 'comment', pid: 'p2', text: 'x' }, 'none'))).toBe('invalid');
  });
});

describe('ChairNegotiator floor records', () => {
  it('records proposals, positions and withdrawals from the floor on a delegation\u2019s behalf', () => {
    const { docs, fra, chair } = setup();
    const mine = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const spoken = chair.recordFromFloor('BRA', { kind: 'new-paragraph', pid: 'p1', text: 'From the floor.' }, 'Ambassador of Brazil');
    expect(spoken).toMatchObject({ author: { code: 'BRA', name: 'Ambassador of Brazil' }, recordedBy: 'The Chair' });
    expect(chair.recordPositionFromFloor('BRA', mine.id, 'support')).toMatchObject({ code: 'BRA', kind: 'support', recordedBy: 'The Chair' });
    expect(chair.recordPositionFromFloor('FRA', spoken.id, 'oppose')).toMatchObject({ code: 'FRA', kind: 'oppose' });
    expect(refusal(() => chair.recordPositionFromFloor('FRA', mine.id, 'support'))).toBe('own-proposal');
    expect(refusal(() => chair.recordFromFloor('XXX', { kind: 'comment', pid: 'p1', text: 'x' }))).toBe('unknown-delegation');
    expect(refusal(() => chair.recordFromFloor('CHAIR', { kind: 'comment', pid: 'p1', text: 'x' }))).toBe('unknown-delegation');
    chair.recordWithdrawalFromFloor(spoken.id, 'Withdrawn in the room', 'Ambassador of Brazil');
    expect(floorWithdrawalsMap(docs.chair).get(spoken.id)).toMatchObject({ code: 'BRA', recordedBy: 'The Chair' });
    const view = readNegotiation(docs.text, docs.chair, docs.delegations);
    expect(view.byId.get(spoken.id)).toMatchObject({ source: 'floor', status: 'withdrawn' });
    expect(view.byId.get(mine.id)?.positions.counts).toEqual({ support: 1, oppose: 0, cosponsor: 0 });
    chair.recordPositionFromFloor('BRA', mine.id, null);
    expect(floorPositionsMap(docs.chair).size).toBe(1);
  });
});

describe('ChairNegotiator statuses', () => {
  it('locks agreed paragraphs and reopens them only with a reason', () => {
    const { docs, fra, chair } = setup();
    chair.setStatus('p2', 'bracketed');
    chair.setStatus('p1', 'agreed', 'Agreed ad ref');
    expect(isLocked(docs.chair, 'p1')).toBe(true);
    expect(isLocked(docs.chair, 'p2')).toBe(false);
    expect(lockedPids(docs.chair)).toEqual(new Set(['p1']));
    expect(refusal(() => fra.comment('p1', 'Too late?'))).toBe('locked');
    expect(refusal(() => chair.setStatus('p1', 'open'))).toBe('reason-required');
    expect(refusal(() => chair.reopen('p1', ' '))).toBe('reason-required');
    expect(refusal(() => chair.setStatus('gone', 'agreed'))).toBe('unknown-paragraph');
    expect(refusal(() => chair.setStatus('p1', 'under negotiation' as never))).toBe('invalid');
    chair.reopen('p1', 'Capital asked for one word');
    expect(isLocked(docs.chair, 'p1')).toBe(false);
    expect(statusesMap(docs.chair).get('p1')).toMatchObject({ status: 'open', reason: 'Capital asked for one word' });
    expect(logArray(docs.chair).toArray()).toMatchObject([
      { type: 'status', pid: 'p2', status: 'bracketed', previous: null },
      { type: 'status', pid: 'p1', status: 'agreed', previous: null },
      { type: 'status', pid: 'p1', status: 'open', previous: 'agreed', reason: 'Capital asked for one word' },
    ]);
    expect(fra.comment('p1', 'Now open.').kind).toBe('comment');
  });
});
