import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { body, np, posOf } from '../../schema/test-builder.ts';
import { schema } from '../../schema/index.ts';
import { DelegationNegotiator } from './delegation.ts';
import { checkAgainstText, type TextCheck } from './overtaken.ts';
import { indexParagraphs, textFragment } from './text.ts';
import type { Proposal } from './types.ts';
import { editAsChair, readText, setupDocs, spanOf, testOptions, type TestDocs } from './test-setup.ts';

function setup(): { docs: TestDocs; fra: DelegationNegotiator } {
  const docs = setupDocs(
    body(
      np({ pid: 'p1' }, 'States should cooperate to prevent harmful ICT practices.'),
      np({ pid: 'p2' }, 'Capacity-building remains a priority for all.'),
    ),
  );
  return { docs, fra: new DelegationNegotiator('FRA', docs, testOptions('Marie')) };
}

function check(textDoc: Y.Doc, proposal: Proposal): TextCheck {
  const index = indexParagraphs(textFragment(textDoc));
  return checkAgainstText(textDoc, proposal, (pid) => index.elements.get(pid) ?? null);
}

/** The document position of `needle` in the current text. */
function at(textDoc: Y.Doc, needle: string, offset = 0): number {
  return posOf(readText(textDoc), needle) + offset;
}

describe('overtaken proposals', () => {
  it('stand while edits happen elsewhere, even right next to the span', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'prevent'), text: 'deter' });
    editAsChair(docs.text, (tr) => tr.insertText('All ', at(docs.text, 'Capacity')));
    editAsChair(docs.text, (tr) => tr.insertText('Member ', at(docs.text, 'States')));
    editAsChair(docs.text, (tr) => tr.insertText('and ', at(docs.text, 'prevent')));
    editAsChair(docs.text, (tr) => tr.insertText(' and mitigate', at(docs.text, ' harmful')));
    editAsChair(docs.text, (tr) => tr.delete(at(docs.text, 'ICT'), at(docs.text, 'ICT', 4)));
    const result = check(docs.text, proposal);
    expect(result).toMatchObject({ overtaken: false, orphaned: false, current: 'prevent' });
    expect(readText(docs.text).child(1).textContent).toBe('Member States should cooperate to and prevent and mitigate harmful practices.');
    // The span moved with its words.
    expect(result.span).toEqual({ from: 'Member States should cooperate to and '.length, to: 'Member States should cooperate to and prevent'.length });
  });

  it('are overtaken by an edit inside the span, with the old and the new wording', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'harmful ICT practices'), text: 'malicious uses' });
    editAsChair(docs.text, (tr) => tr.insertText('malicious ', at(docs.text, 'ICT')));
    expect(check(docs.text, proposal)).toMatchObject({ overtaken: true, orphaned: false, current: 'harmful malicious ICT practices' });
    expect(proposal.quote).toBe('harmful ICT practices');
  });

  it('are overtaken when the quoted words are deleted', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'harmful '), text: 'malicious ' });
    editAsChair(docs.text, (tr) => tr.delete(at(docs.text, 'harmful'), at(docs.text, 'ICT')));
    expect(check(docs.text, proposal)).toMatchObject({ overtaken: true, current: '' });
  });

  it('see an insertion point overtaken only by words typed exactly there', () => {
    const { docs, fra } = setup();
    const point = spanOf(docs.text, 'p1', 'harmful').from;
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: { from: point, to: point }, text: 'seriously ' });
    editAsChair(docs.text, (tr) => tr.insertText('all ', at(docs.text, 'practices')));
    expect(check(docs.text, proposal)).toMatchObject({ overtaken: false, current: '' });
    editAsChair(docs.text, (tr) => tr.insertText('very ', at(docs.text, 'harmful')));
    expect(check(docs.text, proposal)).toMatchObject({ overtaken: true, current: 'very ' });
  });

  it('are orphaned when their paragraph is deleted', () => {
    const { docs, fra } = setup();
    const span = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'priority'), text: 'goal' });
    const whole = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    editAsChair(docs.text, (tr) => {
      const start = at(docs.text, 'Capacity') - 1;
      tr.delete(start, start + tr.doc.resolve(start + 1).parent.nodeSize);
    });
    expect(check(docs.text, span)).toEqual({ orphaned: true, targetGone: false, overtaken: true, current: null, span: null });
    expect(check(docs.text, whole)).toMatchObject({ orphaned: true, overtaken: true });
  });

  it('are orphaned when the chair joins their paragraph into the one before', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p2', span: spanOf(docs.text, 'p2', 'priority'), text: 'goal' });
    editAsChair(docs.text, (tr) => tr.join(at(docs.text, 'Capacity') - 1));
    expect(readText(docs.text).childCount).toBe(2);
    expect(check(docs.text, proposal)).toMatchObject({ orphaned: true, overtaken: true });
  });

  it('stand when the chair splits the paragraph after the span', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate'), text: 'work together' });
    editAsChair(docs.text, (tr) => tr.split(at(docs.text, ' harmful'), 1, [{ type: schema.nodes.numbered_paragraph, attrs: { pid: 'p1b' } }]));
    expect(readText(docs.text).child(2).textContent).toBe(' harmful ICT practices.');
    expect(check(docs.text, proposal)).toMatchObject({ overtaken: false, current: 'cooperate' });
  });

  it('show a paragraph-level proposal overtaken once the paragraph reads differently', () => {
    const { docs, fra } = setup();
    const deletion = fra.propose({ kind: 'delete-paragraph', pid: 'p2' });
    const addition = fra.propose({ kind: 'new-paragraph', pid: 'p2', text: 'A new paragraph.' });
    expect(check(docs.text, deletion).overtaken).toBe(false);
    editAsChair(docs.text, (tr) => tr.insertText(' Indeed.', at(docs.text, 'all.', 4)));
    expect(check(docs.text, deletion)).toMatchObject({ overtaken: true, current: 'Capacity-building remains a priority for all. Indeed.' });
    // A new paragraph goes after its anchor whatever the anchor now says.
    expect(check(docs.text, addition).overtaken).toBe(false);
  });

  it('resolve alike on every replica', () => {
    const { docs, fra } = setup();
    const proposal = fra.propose({ kind: 'replace', pid: 'p1', span: spanOf(docs.text, 'p1', 'cooperate to prevent'), text: 'act' });
    editAsChair(docs.text, (tr) => tr.insertText('jointly ', at(docs.text, 'to prevent')));
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(docs.text));
    expect(check(replica, proposal)).toEqual(check(docs.text, proposal));
    expect(check(replica, proposal)).toMatchObject({ overtaken: true, current: 'cooperate jointly to prevent' });
  });
});
