import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NegotiationError } from '../../shared/model/negotiation/index.ts';
import { cutRevision } from '../../shared/model/revisions/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { doc, np } from '../editor/testDocs.ts';
import { NegotiationSession, passesFilters, type NegotiationIdentity, type NegotiationUpdate } from './negotiationSession.ts';

/** The Y.Docs of a small document, and a source that can announce a delegation doc later. */
function docs() {
  const text = new Y.Doc();
  prosemirrorToYXmlFragment(doc(np('a', 'The OEWG recalled the report.'), np('b', 'Second.')), text.getXmlFragment(TEXT_FRAGMENT));
  const chair = new Y.Doc();
  const delegations = new Map<string, Y.Doc>();
  const listeners = new Set<() => void>();
  const source = {
    ydoc: text,
    chairYDoc: chair,
    delegationYDocs: () => delegations,
    subscribeYDocs: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const announce = (code: string, ydoc: Y.Doc) => {
    delegations.set(code, ydoc);
    for (const listener of listeners) listener();
  };
  return { text, chair, delegations, source, announce };
}

const chairHere: NegotiationIdentity = { role: 'chair', code: null, person: 'Chair', local: true };

describe('NegotiationSession', () => {
  it('records a proposal from the floor on a delegation’s behalf, marked as recorded by the chair’s team', () => {
    const { source } = docs();
    const session = new NegotiationSession(source, chairHere);
    const proposal = session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' }, { code: 'FRA', speaker: 'Ms. Dupont' });
    expect(proposal).toMatchObject({ author: { code: 'FRA', name: 'Ms. Dupont' }, recordedBy: 'Chair' });
    expect(session.paragraph('a').proposals.map((p) => p.id)).toEqual([proposal.id]);
    expect(() => session.propose({ kind: 'comment', pid: 'a', text: 'x' })).toThrow(NegotiationError);
    session.destroy();
  });

  it('lets a delegation table proposals in its own doc, and refuses a reader', () => {
    const { source, announce } = docs();
    const own = new Y.Doc();
    announce('FRA', own);
    const fra = new NegotiationSession(source, { role: 'delegation', code: 'FRA', person: 'Ana', local: false });
    fra.propose({ kind: 'comment', pid: 'b', text: 'Too short.' });
    expect(own.getMap('proposals').size).toBe(1);
    const reader = new NegotiationSession(source, { role: 'reader', code: null, person: 'Obs', local: false });
    expect(() => reader.propose({ kind: 'comment', pid: 'b', text: 'No.' })).toThrow(/not take part/);
    expect(() => fra.accept('FRA-1-x', 'No.')).toThrow(/Only the chair/);
    fra.destroy();
    reader.destroy();
  });

  it('follows delegation docs that appear later, and tells one update per burst with the pids that changed', async () => {
    const { source, announce, chair } = docs();
    const session = new NegotiationSession(source, { role: 'reader', code: null, person: 'Obs', local: false });
    const updates: NegotiationUpdate[] = [];
    session.subscribe((update) => updates.push(update));

    // BRA's doc arrives from the server with a proposal already in it.
    const bra = new Y.Doc();
    const writer = new NegotiationSession(
      { ...source, delegationYDocs: () => new Map([['BRA', bra]]), subscribeYDocs: () => () => {} },
      { role: 'delegation', code: 'BRA', person: 'Bia', local: false },
    );
    writer.propose({ kind: 'comment', pid: 'a', text: 'Hello.' });
    announce('BRA', bra);
    await Promise.resolve();
    expect(session.activePids().has('a')).toBe(true);
    expect(session.paragraph('a').counts.total).toBe(1);
    expect(updates.at(-1)?.pids.has('a')).toBe(true);

    // A status makes a paragraph active and locked.
    const chairSession = new NegotiationSession({ ...source, subscribeYDocs: () => () => {} }, chairHere);
    chairSession.setStatus('b', 'agreed', 'Agreed at the reading.');
    await Promise.resolve();
    expect(session.isLocked('b')).toBe(true);
    expect(session.activePids().has('b')).toBe(true);
    expect(chair.getMap('statuses').has('b')).toBe(true);
    const count = updates.length;
    expect(count).toBeGreaterThan(1);
    for (const one of [session, writer, chairSession]) one.destroy();
  });

  it('filters by delegation, kind and status', () => {
    const filters = { codes: ['FRA'], kinds: ['replace' as const], statuses: null, hidden: [] };
    expect(passesFilters(filters, 'FRA', 'replace', 'pending')).toBe(true);
    expect(passesFilters(filters, 'BRA', 'replace', 'pending')).toBe(false);
    expect(passesFilters(filters, 'FRA', 'comment', 'pending')).toBe(false);
    expect(passesFilters({ ...filters, statuses: ['accepted'] }, 'FRA', 'replace', 'pending')).toBe(false);
  });

  it('undoes an accepted proposal and its decision together', () => {
    const { source, text } = docs();
    const session = new NegotiationSession(source, chairHere);
    const proposal = session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' }, { code: 'FRA' });
    session.accept(proposal.id, 'Agreed.');
    const wording = () => text.getXmlFragment(TEXT_FRAGMENT).toJSON();
    expect(wording()).toContain('reaffirmed');
    expect(session.history?.undo()).toBe(true);
    expect(wording()).toContain('recalled');
    expect(session.index.proposalView(proposal.id)?.status).toBe('pending');
    // The floor record itself is the step before.
    expect(session.history?.undo()).toBe(true);
    expect(session.index.proposalView(proposal.id)).toBeUndefined();
    session.destroy();
  });

  it('records the revision in force on each proposal, and tells its fate once the next revision is cut', () => {
    const { source, text, chair } = docs();
    const session = new NegotiationSession(source, chairHere);
    const later = (seconds: number) => () => new Date(Date.now() + seconds * 1000);
    let cuts = 0;
    const stop = session.subscribeRevisions(() => (cuts += 1));
    const early = session.propose({ kind: 'comment', pid: 'b', text: 'Before any revision.' }, { code: 'BRA' });
    expect(early.revision).toBeNull();
    expect(session.revisionNote(early)).toEqual({ madeAgainst: null, next: null, fate: null, problem: null });

    cutRevision({ textDoc: text, chairDoc: chair, by: 'Chair', label: 'Rev.1', now: later(1) });
    expect(cuts).toBe(1);
    expect(session.revisions.map((entry) => entry.label)).toEqual(['Rev.1']);
    const taken = session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' }, { code: 'FRA' });
    const refused = session.propose({ kind: 'replace', pid: 'b', span: { from: 0, to: 6 }, text: 'Next.' }, { code: 'BRA' });
    expect(taken.revision).toBe('Rev.1');
    expect(session.revisionNote(taken)).toMatchObject({ madeAgainst: 'Rev.1', next: null, fate: null });
    session.accept(taken.id, 'Agreed.');
    session.reject(refused.id, 'No support.');

    cutRevision({ textDoc: text, chairDoc: chair, by: 'Chair', now: later(2) });
    expect(cuts).toBe(2);
    expect(session.revisionNote(taken)).toEqual({ madeAgainst: 'Rev.1', next: 'Rev.2', fate: 'incorporated', problem: null });
    expect(session.revisionNote(refused)).toMatchObject({ next: 'Rev.2', fate: 'not incorporated' });
    expect(session.revisionNote(early)).toMatchObject({ madeAgainst: null, next: 'Rev.1', fate: 'not applicable' });
    stop();
    session.destroy();
  });
});
