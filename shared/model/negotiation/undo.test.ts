import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { body, np } from '../../schema/test-builder.ts';
import { ChairNegotiator } from './chair.ts';
import { DelegationNegotiator } from './delegation.ts';
import { decisionsMap, logArray } from './store.ts';
import { NegotiationUndo } from './undo.ts';
import { readNegotiation } from './view.ts';
import { editAsChair, pidsOf, readText, setupDocs, spanOf, testOptions, wordingOf } from './test-setup.ts';

function setup() {
  const docs = setupDocs(body(np({ pid: 'p1' }, 'States should cooperate.'), np({ pid: 'p2' }, 'The group will meet again.')));
  const undo = new NegotiationUndo(docs.text, docs.chair);
  let pid = 0;
  const chair = new ChairNegotiator(docs, { ...testOptions('The Chair'), undo, newPid: () => `new${++pid}` });
  const fra = new DelegationNegotiator('FRA', docs, testOptions('Marie'));
  return { docs, undo, chair, fra };
}

describe('NegotiationUndo', () => {
  it('undoes an accept in text and chair doc at once, and redoes both', () => {
    const { docs, undo, chair, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate'), text: 'work together' });
    chair.accept(proposal.id, 'Support');
    expect(wordingOf(docs.text, 'p1')).toBe('States should work together.');
    expect(undo.canUndo()).toBe(true);

    expect(undo.undo()).toBe(true);
    expect(wordingOf(docs.text, 'p1')).toBe('States should cooperate.');
    expect(decisionsMap(docs.chair).has(proposal.id)).toBe(false);
    expect(logArray(docs.chair).length).toBe(0);
    expect(readNegotiation(docs.text, docs.chair, docs.delegations).byId.get(proposal.id)).toMatchObject({ status: 'pending', overtaken: false });
    expect(undo.canRedo()).toBe(true);

    expect(undo.redo()).toBe(true);
    expect(wordingOf(docs.text, 'p1')).toBe('States should work together.');
    expect(decisionsMap(docs.chair).get(proposal.id)).toMatchObject({ kind: 'accepted' });
    expect(logArray(docs.chair).length).toBe(1);
    expect(undo.redo()).toBe(false);
  });

  it('keeps actions apart: each undo takes back one action, in order', () => {
    const { docs, undo, chair, fra } = setup();
    const added = fra.propose({ kind: 'new-paragraph', pid: 'p1', text: 'Inserted.' });
    const rejected = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    chair.accept(added.id, 'Yes');
    chair.reject(rejected.id, 'No');
    chair.setStatus('p1', 'agreed', 'Ad ref');
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 'new1', 'p2']);

    undo.undo();
    expect(readNegotiation(docs.text, docs.chair, docs.delegations).byPid.get('p1')?.status).toBe('open');
    expect(decisionsMap(docs.chair).has(rejected.id)).toBe(true);
    undo.undo();
    expect(decisionsMap(docs.chair).has(rejected.id)).toBe(false);
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 'new1', 'p2']);
    undo.undo();
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 'p2']);
    expect(decisionsMap(docs.chair).size).toBe(0);
    expect(undo.undo()).toBe(false);

    undo.redo();
    expect(pidsOf(docs.text)).toEqual(['title', 'p1', 'new1', 'p2']);
    expect(decisionsMap(docs.chair).has(added.id)).toBe(true);
    readText(docs.text);
  });

  it('leaves the editor\u2019s own typing and other people\u2019s changes alone', () => {
    const { docs, undo, chair, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'again'), text: 'soon' });
    chair.accept(proposal.id, 'Fine');
    editAsChair(docs.text, (tr) => tr.insertText('Later, ', readText(docs.text).child(0).nodeSize + 1));
    // A second chair member on another replica sets a status.
    const remoteChair = new Y.Doc();
    Y.applyUpdate(remoteChair, Y.encodeStateAsUpdate(docs.chair));
    const remoteText = new Y.Doc();
    Y.applyUpdate(remoteText, Y.encodeStateAsUpdate(docs.text));
    new ChairNegotiator({ text: remoteText, chair: remoteChair, delegations: docs.delegations }, testOptions('Deputy')).setStatus('p1', 'bracketed');
    Y.applyUpdate(docs.chair, Y.encodeStateAsUpdate(remoteChair));

    undo.undo();
    expect(wordingOf(docs.text, 'p2')).toBe('The group will meet again.');
    expect(wordingOf(docs.text, 'p1')).toBe('Later, States should cooperate.');
    expect(readNegotiation(docs.text, docs.chair, docs.delegations).byPid.get('p1')?.status).toBe('bracketed');
  });

  it('starts a fresh redo history after a new action, and can be cleared', () => {
    const { docs, undo, chair, fra } = setup();
    const one = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    const two = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'More.' });
    chair.reject(one.id, 'No');
    undo.undo();
    chair.reject(two.id, 'No');
    expect(undo.canRedo()).toBe(false);
    expect(undo.redo()).toBe(false);
    undo.clear();
    expect(undo.canUndo()).toBe(false);
    expect(decisionsMap(docs.chair).has(two.id)).toBe(true);
    undo.destroy();
  });
});
