import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { body, np } from '../../schema/test-builder.ts';
import { filterActivity, proposalHistory } from './activity.ts';
import { ChairNegotiator } from './chair.ts';
import { DelegationNegotiator } from './delegation.ts';
import { floorMap, logArray, positionsMap, proposalsMap, withdrawalsMap } from './store.ts';
import { readNegotiation } from './view.ts';
import { editAsChair, readText, setupDocs, spanOf, steppingClock, testOptions, type TestDocs } from './test-setup.ts';

function setup() {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful ICT practices.'),
      np({ pid: 'p2' }, 'Capacity-building remains a priority for all.'),
      np({ pid: 'p3' }, 'The group will meet again.'),
    ),
  );
  // One clock for everyone, a second per action: the order of events is the order of the calls.
  const now = steppingClock();
  return {
    docs,
    fra: new DelegationNegotiator('FRA', docs, { ...testOptions('Marie'), now }),
    bra: new DelegationNegotiator('BRA', docs, { ...testOptions('João'), now }),
    g77: new DelegationNegotiator('G77', docs, { ...testOptions('Group chair'), now }),
    chair: new ChairNegotiator(docs, { ...testOptions('The Chair'), now }),
  };
}

function view(docs: TestDocs) {
  return readNegotiation(docs.text, docs.chair, docs.delegations);
}

describe('readNegotiation', () => {
  it('gathers proposals from every delegation and the floor, oldest first, with derived statuses', () => {
    const { docs, fra, bra, chair } = setup();
    const a = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter' });
    const b = bra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const c = chair.recordFromFloor('G77', { kind: 'comment', pid: 'p1', text: 'We need more time.' }, 'Delegate of the Group');
    const d = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'Extra.' });
    chair.reject(b.id, 'No support');
    fra.withdraw(d.id);
    const result = view(docs);
    expect(result.proposals.map((proposal) => proposal.id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(result.proposals.map((proposal) => [proposal.source, proposal.status])).toEqual([
      ['delegation', 'pending'],
      ['delegation', 'rejected'],
      ['floor', 'pending'],
      ['delegation', 'withdrawn'],
    ]);
    expect(result.byId.get(d.id)?.withdrawal).toMatchObject({ code: 'FRA', by: 'Marie', recordedBy: null });
    expect(result.problems).toEqual([]);
  });

  it('counts proposals per paragraph and shows "under negotiation" while open with pending proposals', () => {
    const { docs, fra, bra, chair } = setup();
    fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter' });
    const rejected = bra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'harmful'), text: 'malicious' });
    fra.comment('p2', 'Only a comment.');
    chair.reject(rejected.id, 'No');
    chair.setStatus('p3', 'bracketed');
    const result = view(docs);
    expect(result.paragraphs.map((paragraph) => [paragraph.pid, paragraph.displayed])).toEqual([
      ['title', 'open'],
      ['p1', 'under negotiation'],
      ['p2', 'open'],
      ['p3', 'bracketed'],
    ]);
    expect(result.byPid.get('p1')?.counts).toMatchObject({ total: 2, pending: 1, byStatus: { pending: 1, rejected: 1 }, byKind: { replace: 2 } });
    expect(result.byPid.get('p2')?.counts).toMatchObject({ total: 1, pending: 1, byKind: { comment: 1 } });
    chair.setStatus('p1', 'agreed', 'Ad ref');
    const locked = view(docs);
    expect(locked.byPid.get('p1')).toMatchObject({ displayed: 'agreed', locked: true });
    expect(locked.byPid.get('p1')?.proposals.find((proposal) => proposal.status === 'pending')?.lockedTarget).toBe(true);
  });

  it('tallies positions: own over floor over listed co-sponsors, the author never counted', () => {
    const { docs, fra, bra, g77, chair } = setup();
    const proposal = fra.propose({ kind: 'delete-paragraph', pid: 'p3', cosponsors: ['BRA', 'G77'] });
    chair.recordPositionFromFloor('G77', proposal.id, 'support', 'Group delegate');
    bra.oppose(proposal.id);
    // FRA cannot support its own proposal through the writer; a stray entry is ignored all the same.
    positionsMap(docs.delegations.get('FRA') as Y.Doc).set(proposal.id, { proposalId: proposal.id, kind: 'support', by: 'Marie', at: '2025-01-01T00:00:00.000Z' });
    const first = view(docs).byId.get(proposal.id)?.positions;
    expect(first?.counts).toEqual({ support: 1, oppose: 1, cosponsor: 0 });
    expect(first?.support).toMatchObject([{ code: 'G77', recordedBy: 'The Chair', by: 'Group delegate', listedByAuthor: false }]);
    expect(first?.oppose).toMatchObject([{ code: 'BRA', by: 'João', recordedBy: null }]);
    g77.cosponsor(proposal.id);
    bra.clearPosition(proposal.id);
    const second = view(docs).byId.get(proposal.id)?.positions;
    expect(second?.cosponsor.map((entry) => [entry.code, entry.listedByAuthor])).toEqual([
      ['BRA', true],
      ['G77', false],
    ]);
    expect(second?.counts).toEqual({ support: 0, oppose: 0, cosponsor: 2 });
  });

  it('shows overtaken proposals with old and new wording, and paragraphs gone with their proposals', () => {
    const { docs, fra } = setup();
    const edited = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'harmful ICT'), text: 'malicious ICT' });
    const orphan = fra.propose({ kind: 'replace', pid: 'p3', span: spanOf(docs.text, 'p3', 'meet'), text: 'gather' });
    editAsChair(docs.text, (tr) => {
      const doc = readText(docs.text);
      let p1 = 0;
      let p3 = 0;
      doc.forEach((node, offset) => {
        if (node.attrs['pid'] === 'p1') p1 = offset;
        if (node.attrs['pid'] === 'p3') p3 = offset;
      });
      tr.delete(p3, p3 + (doc.nodeAt(p3)?.nodeSize ?? 0));
      tr.insertText('and malicious ', p1 + 1 + 'States should cooperate to prevent harmful '.length);
    });
    const result = view(docs);
    expect(result.byId.get(edited.id)).toMatchObject({ overtaken: true, wording: { quoted: 'harmful ICT', current: 'harmful and malicious ICT' } });
    expect(result.byId.get(orphan.id)).toMatchObject({ overtaken: true, orphaned: true, wording: { quoted: 'meet', current: null } });
    expect(result.paragraphs.map((paragraph) => [paragraph.pid, paragraph.exists])).toEqual([
      ['title', true],
      ['p1', true],
      ['p2', true],
      ['p3', false],
    ]);
  });

  it('leaves out and reports malformed or mis-attributed entries, keeping the rest', () => {
    const { docs, fra } = setup();
    const good = fra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    const fraDoc = docs.delegations.get('FRA') as Y.Doc;
    const braDoc = docs.delegations.get('BRA') as Y.Doc;
    proposalsMap(fraDoc).set('FRA-x-y', { nonsense: true });
    // BRA's doc claiming a proposal by FRA: a forged attribution.
    proposalsMap(braDoc).set(good.id, good);
    floorMap(docs.chair).set('BRA-1-2', { ...good, id: 'BRA-1-2', author: { code: 'BRA', name: 'x' } });
    positionsMap(braDoc).set('other-key', { proposalId: good.id, kind: 'support', by: 'João', at: '2025-01-01T00:00:00.000Z' });
    withdrawalsMap(fraDoc).set(good.id, { by: '', at: 'yesterday', reason: 3 });
    logArray(docs.chair).push([{ type: 'status' }]);
    const result = view(docs);
    expect(result.proposals.map((proposal) => proposal.id)).toEqual([good.id]);
    expect(result.byId.get(good.id)?.status).toBe('pending');
    expect(result.problems.map((problem) => `${problem.doc} ${problem.container} ${problem.key}`).sort()).toEqual([
      `chair floor BRA-1-2`,
      `chair log 0`,
      `d/BRA positions other-key`,
      `d/BRA proposals ${good.id}`,
      `d/FRA proposals FRA-x-y`,
      `d/FRA withdrawals ${good.id}`,
    ]);
  });

  it('reads the same on every replica', () => {
    const { docs, fra, bra, chair } = setup();
    const one = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'the priority' });
    bra.support(one.id);
    chair.accept(one.id, 'Support');
    chair.setStatus('p2', 'agreed', 'Ad ref');
    const copy = (doc: Y.Doc) => {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
      return replica;
    };
    const replicas = new Map([...docs.delegations].map(([code, doc]) => [code, copy(doc)]));
    expect(readNegotiation(copy(docs.text), copy(docs.chair), replicas)).toEqual(view(docs));
  });
});

describe('the activity log', () => {
  it('lists proposals, positions, withdrawals, decisions and statuses in order, filterable and per proposal', () => {
    const { docs, fra, bra, chair } = setup();
    const one = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'a priority'), text: 'the priority' });
    const two = bra.propose({ kind: 'delete-paragraph', pid: 'p3' });
    bra.support(one.id);
    bra.withdraw(two.id, 'Changed our mind');
    chair.accept(one.id, 'Support');
    chair.setStatus('p2', 'agreed', 'Ad ref');
    const { activity } = view(docs);
    expect(activity.map((entry) => [entry.at.slice(11, 19), entry.kind, entry.code])).toEqual([
      ['00:00:00', 'proposal', 'FRA'],
      ['00:00:01', 'proposal', 'BRA'],
      ['00:00:02', 'position', 'BRA'],
      ['00:00:03', 'withdrawal', 'BRA'],
      ['00:00:04', 'decision', 'CHAIR'],
      ['00:00:05', 'status', 'CHAIR'],
    ]);
    expect(filterActivity(activity, { codes: ['BRA'] }).map((entry) => entry.kind)).toEqual(['proposal', 'position', 'withdrawal']);
    expect(filterActivity(activity, { kinds: ['decision', 'status'] })).toHaveLength(2);
    expect(filterActivity(activity, { statuses: ['withdrawn'] }).map((entry) => entry.kind)).toEqual(['proposal', 'withdrawal']);
    expect(filterActivity(activity, { pid: 'p2' }).map((entry) => entry.kind)).toEqual(['proposal', 'position', 'decision', 'status']);
    expect(proposalHistory(activity, one.id).map((entry) => entry.kind)).toEqual(['proposal', 'position', 'decision']);
    expect(proposalHistory(activity, one.id)[2]).toMatchObject({ kind: 'decision', decision: 'accepted', reason: 'Support', proposalStatus: 'accepted' });
  });

  it('orders simultaneous entries alike on every replica: by kind, then proposal, then delegation', () => {
    const docs = setupDocs(body(np({ pid: 'p1' }, 'Text.')));
    const fixed = () => new Date(Date.UTC(2025, 0, 1));
    const g77 = new DelegationNegotiator('G77', docs, { ...testOptions('G'), now: fixed });
    const bra = new DelegationNegotiator('BRA', docs, { ...testOptions('B'), now: fixed });
    const fra = new DelegationNegotiator('FRA', docs, { ...testOptions('F'), now: fixed });
    const chair = new ChairNegotiator(docs, { ...testOptions('C'), now: fixed });
    const proposal = g77.comment('p1', 'Note.');
    fra.support(proposal.id);
    bra.oppose(proposal.id);
    chair.setStatus('p1', 'bracketed');
    chair.reject(proposal.id, 'Noted');
    expect(view(docs).activity.map((entry) => `${entry.kind} ${entry.code}`)).toEqual([
      'proposal G77',
      'position BRA',
      'position FRA',
      'decision CHAIR',
      'status CHAIR',
    ]);
  });

  it('keeps the history of a status through reopening', () => {
    const { docs, chair } = setup();
    chair.setStatus('p1', 'agreed', 'Ad ref');
    chair.reopen('p1', 'Capital objects');
    chair.setStatus('p1', 'agreed', 'Confirmed');
    const statuses = filterActivity(view(docs).activity, { pid: 'p1', kinds: ['status'] });
    expect(statuses.map((entry) => (entry.kind === 'status' ? [entry.previous, entry.status, entry.reason] : null))).toEqual([
      [null, 'agreed', 'Ad ref'],
      ['agreed', 'open', 'Capital objects'],
      ['open', 'agreed', 'Confirmed'],
    ]);
  });
});
