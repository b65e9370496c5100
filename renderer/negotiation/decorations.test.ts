// @vitest-environment jsdom
import { EditorState, TextSelection } from 'prosemirror-state';
import { DecorationSet, EditorView, type Decoration } from 'prosemirror-view';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { schema } from '../../shared/schema/index.ts';
import { numberingPlugin } from '../editor/numberingPlugin.ts';
import { doc, letters, np, p } from '../editor/testDocs.ts';
import { ghostLabel, negotiationDecorationsKey, negotiationDecorationsPlugin } from './decorations.ts';
import { NegotiationSession, type NegotiationIdentity } from './negotiationSession.ts';

const FRA: NegotiationIdentity = { role: 'delegation', code: 'FRA', person: 'Ana', local: false };
const CHAIR: NegotiationIdentity = { role: 'chair', code: null, person: 'Chair', local: true };

/** The text as ProseMirror and as Yjs, the chair's doc and FRA's doc, and a negotiation session over them. */
function setup(identity: NegotiationIdentity = FRA) {
  const root = doc(np('a', 'The OEWG recalled the report.'), np('b', 'Second paragraph.'), letters(p('la', 'first sub-paragraph')), np('c', 'Third.'));
  const text = new Y.Doc();
  prosemirrorToYXmlFragment(root, text.getXmlFragment(TEXT_FRAGMENT));
  const chair = new Y.Doc();
  const delegations = new Map([['FRA', new Y.Doc()]]);
  const session = new NegotiationSession(
    { ydoc: text, chairYDoc: chair, delegationYDocs: () => delegations, subscribeYDocs: () => () => {} },
    identity,
  );
  const state = EditorState.create({ schema, doc: root, plugins: [numberingPlugin(), negotiationDecorationsPlugin(session)] });
  return { root, text, chair, session, state };
}

/** Where the n-th top-level block starts, and the block. */
function child(state: EditorState, index: number) {
  let offset = 0;
  for (let i = 0; i < index; i++) offset += state.doc.child(i).nodeSize;
  return { offset, node: state.doc.child(index) };
}

/** The decorations the plugin hands ProseMirror for the n-th top-level block. */
function decorationsOf(state: EditorState, index: number): { set: DecorationSet; list: Decoration[] } {
  const source = negotiationDecorationsKey.getState(state);
  if (!source) throw new Error('no negotiation decorations');
  const { offset, node } = child(state, index);
  const set = source.forChild(offset, node);
  return { set, list: set.find() };
}

function classOf(decoration: Decoration): string {
  return String((decoration as unknown as { type: { attrs?: Record<string, string> } }).type.attrs?.['class'] ?? '');
}

let views: EditorView[] = [];
afterEach(() => {
  for (const view of views) view.destroy();
  views = [];
});

describe('ghostLabel', () => {
  it('numbers a proposed paragraph after its anchor with bis, ter …', () => {
    expect(ghostLabel('12')).toBe('12 bis');
    expect(ghostLabel('12 bis')).toBe('12 ter');
    expect(ghostLabel('A.')).toBe('A. bis');
    expect(ghostLabel(null)).toBe('New paragraph');
  });

  it('numbers several new paragraphs after one paragraph as the sequence they make', () => {
    expect([1, 2, 3].map((nth) => ghostLabel('7', nth))).toEqual(['7 bis', '7 ter', '7 quater']);
    expect(ghostLabel('7 bis', 2)).toBe('7 quater');
    expect(ghostLabel('A.', 2)).toBe('A. bis (2)');
  });
});

describe('the negotiation decorations', () => {
  it('draw a replacement on its paragraph only, and answer again from the cache', () => {
    const { session, state } = setup();
    session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' });
    // Block 0 is the header; 'a' is block 1.
    const { set, list } = decorationsOf(state, 1);
    const struck = list.find((d) => classOf(d).includes('ph-prop-del'));
    expect(struck).toMatchObject({ from: 9, to: 17 });
    expect(list.some((d) => d.from === 17 && d.spec.key === `${session.paragraph('a').proposals[0]?.id}:ins`)).toBe(true);
    // The count badge.
    expect(list.some((d) => String(d.spec.key).startsWith('badge:a:1:1'))).toBe(true);
    expect(decorationsOf(state, 1).set).toBe(set);
    expect(decorationsOf(state, 2).set).toBe(DecorationSet.empty);
  });

  it('map the typed-in paragraph’s marks at once, before the index has seen the keystroke', () => {
    const { session, state } = setup();
    session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' });
    decorationsOf(state, 1);
    // Two characters typed at the paragraph's start: the ProseMirror document only (Yjs does not have them yet).
    const typed = state.apply(state.tr.insertText('A ', child(state, 1).offset + 1));
    const struck = decorationsOf(typed, 1).list.find((d) => classOf(d).includes('ph-prop-del'));
    expect(struck).toMatchObject({ from: 11, to: 19 });
    expect(typed.doc.child(1).textBetween(11, 19)).toBe('recalled');
  });

  it('repaint a paragraph when its proposals change, and draw proposals on sub-paragraphs inside their list', async () => {
    const { session, state } = setup();
    const before = decorationsOf(state, 4).set;
    expect(before).toBe(DecorationSet.empty);
    session.propose({ kind: 'comment', pid: 'c', span: { from: 0, to: 5 }, text: 'Why third?' });
    session.propose({ kind: 'new-paragraph', pid: 'la', text: 'A second sub-paragraph.' });
    await Promise.resolve();
    const source = negotiationDecorationsKey.getState(state);
    source?.painter.touch(new Set(['c', 'la']));
    const refreshed = state.apply(state.tr.setMeta(negotiationDecorationsKey, { pids: new Set(['c', 'la']) }));
    const comment = decorationsOf(refreshed, 4).list.find((d) => classOf(d).includes('ph-prop-comment'));
    expect(comment).toMatchObject({ from: 0, to: 5 });
    // The sub-paragraph sits inside list > item: its content starts 2 positions into the list's content.
    const inList = decorationsOf(refreshed, 3).list;
    const end = 2 + 'first sub-paragraph'.length;
    expect(child(refreshed, 3).node.textBetween(2, end)).toBe('first sub-paragraph');
    expect(inList.some((d) => String(d.spec.key).includes(':ghost:') && d.from === end)).toBe(true);
  });

  it('leave out proposals the filters hide, and the marks of a hidden delegation', () => {
    const { session, state } = setup();
    session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' });
    session.setFilters({ codes: null, kinds: null, statuses: null, hidden: ['FRA'] });
    const source = negotiationDecorationsKey.getState(state);
    const hidden = state.apply(state.tr.setMeta(negotiationDecorationsKey, { all: true }));
    expect(source).not.toBe(negotiationDecorationsKey.getState(hidden));
    const list = decorationsOf(hidden, 1).list;
    expect(list.some((d) => classOf(d).includes('ph-prop'))).toBe(false);
    // The badge still counts it: its card still shows.
    expect(list.some((d) => String(d.spec.key).startsWith('badge:a'))).toBe(true);
  });

  it('render in a real editor view, and refuse nothing there but what the lock guard refuses', () => {
    const { session, state } = setup();
    session.propose({ kind: 'replace', pid: 'a', span: { from: 9, to: 17 }, text: 'reaffirmed' });
    const mount = document.createElement('div');
    document.body.append(mount);
    const view = new EditorView(mount, { state });
    views.push(view);
    const del = mount.querySelector('.ph-prop-del');
    expect(del?.textContent).toBe('recalled');
    expect(mount.querySelector('ins.ph-prop-ins')?.textContent).toBe('reaffirmed');
    expect(mount.querySelector('[data-badge-pid="a"]')?.textContent).toBe('1');
    // Typing elsewhere keeps the marks where they belong.
    const at = child(view.state, 2).offset + 1;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, at)).insertText('New '));
    expect(mount.querySelector('.ph-prop-del')?.textContent).toBe('recalled');
  });
});

describe('the destination marker of a proposed move', () => {
  /** The editor in a real view, with FRA's doc already loaded; waits for the session's coalesced updates. */
  function mounted(identity: NegotiationIdentity = FRA) {
    const setupResult = setup(identity);
    const mount = document.createElement('div');
    document.body.append(mount);
    const view = new EditorView(mount, { state: setupResult.state });
    views.push(view);
    return { ...setupResult, view, mount };
  }
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const markers = (mount: HTMLElement) => [...mount.querySelectorAll<HTMLElement>('.ph-move-arrival')];

  it('appears after the destination’s lettered sub-paragraphs, reading the source’s number, in FRA’s colour', async () => {
    const { session, mount } = mounted();
    const proposal = session.propose({ kind: 'move-paragraph', pid: 'a', afterPid: 'b' });
    await settle();
    const [marker, ...others] = markers(mount);
    expect(others).toEqual([]);
    expect(marker?.textContent).toBe('⇅ FRA proposes to move ¶1 here');
    // Drawn in the last sub-paragraph of 2's group (where accepting puts it), not in 2 itself.
    expect(marker?.closest('[data-pid]')?.getAttribute('data-pid')).toBe('la');
    expect(mount.querySelector('[data-pid="b"] .ph-move-arrival')).toBeNull();
    expect(marker?.getAttribute('data-proposal')).toBe(proposal.id);
    expect(marker?.getAttribute('data-code')).toBe('FRA');
    expect(marker?.getAttribute('style')).toMatch(/--prop-color: #[0-9a-f]{6}/i);
    expect(marker?.getAttribute('tabindex')).toBe('0');
    // The source still carries its chip.
    expect(mount.querySelector('[data-pid="a"] .ph-prop-move')?.textContent).toBe('⇅ FRA: move to after 2');
  });

  it('marks the top of the body, after the header, for a move to the top', async () => {
    const { session, mount } = mounted();
    session.propose({ kind: 'move-paragraph', pid: 'c', afterPid: null });
    await settle();
    const [marker] = markers(mount);
    expect(marker?.textContent).toBe('⇅ FRA proposes to move ¶3 here');
    expect(marker?.closest('[data-pid]')?.getAttribute('data-pid')).toBe('title');
    expect(marker?.getAttribute('title')).toMatch(/to the top of the text/);
  });

  it('disappears when the proposal is withdrawn', async () => {
    const { session, mount } = mounted();
    const proposal = session.propose({ kind: 'move-paragraph', pid: 'a', afterPid: 'c' });
    await settle();
    expect(markers(mount).map((marker) => marker.textContent)).toEqual(['⇅ FRA proposes to move ¶1 here']);
    expect(markers(mount)[0]?.closest('[data-pid]')?.getAttribute('data-pid')).toBe('c');
    session.withdraw(proposal.id, 'Overtaken by events.');
    await settle();
    expect(markers(mount)).toEqual([]);
  });

  it('disappears when the chair decides on it, and follows the filters', async () => {
    const { session, mount } = mounted(CHAIR);
    const first = session.propose({ kind: 'move-paragraph', pid: 'c', afterPid: 'a' }, { code: 'FRA' });
    const second = session.propose({ kind: 'move-paragraph', pid: 'a', afterPid: 'b' }, { code: 'FRA' });
    await settle();
    expect(markers(mount).map((marker) => marker.getAttribute('data-proposal')).sort()).toEqual([first.id, second.id].sort());
    session.setFilters({ codes: null, kinds: null, statuses: null, hidden: ['FRA'] });
    await settle();
    expect(markers(mount)).toEqual([]);
    session.setFilters({ codes: null, kinds: null, statuses: null, hidden: [] });
    await settle();
    expect(markers(mount)).toHaveLength(2);
    session.reject(first.id, 'No support.');
    await settle();
    expect(markers(mount).map((marker) => marker.getAttribute('data-proposal'))).toEqual([second.id]);
    session.accept(second.id, 'Consensus.');
    await settle();
    expect(markers(mount)).toEqual([]);
  });

  it('reads the new number after a renumbering, and says so when the source paragraph is gone', async () => {
    const { session, mount, view } = mounted();
    session.propose({ kind: 'move-paragraph', pid: 'c', afterPid: 'a' });
    await settle();
    expect(markers(mount)[0]?.textContent).toBe('⇅ FRA proposes to move ¶3 here');
    // A paragraph inserted before 'a' renumbers everything after it.
    view.dispatch(view.state.tr.insert(child(view.state, 1).offset, schema.nodes.numbered_paragraph.create({ pid: 'z' }, schema.text('New first.'))));
    expect(markers(mount)[0]?.textContent).toBe('⇅ FRA proposes to move ¶4 here');
    expect(markers(mount)[0]?.closest('[data-pid]')?.getAttribute('data-pid')).toBe('a');
    // The source paragraph deleted from the text.
    const source = child(view.state, 5);
    expect(source.node.attrs['pid']).toBe('c');
    view.dispatch(view.state.tr.delete(source.offset, source.offset + source.node.nodeSize));
    const [orphan] = markers(mount);
    expect(orphan?.textContent).toBe('⇅ FRA proposes to move a paragraph no longer in the text here');
    expect(orphan?.hasAttribute('tabindex')).toBe(false);
  });

  it('is kept while typing elsewhere and in its own paragraph (no flicker), and a click goes to the source', async () => {
    const { session, mount, view } = mounted();
    session.propose({ kind: 'move-paragraph', pid: 'c', afterPid: 'a' });
    await settle();
    const marker = markers(mount)[0];
    view.dispatch(view.state.tr.insertText('Typed ', child(view.state, 2).offset + 1));
    view.dispatch(view.state.tr.insertText(' more', child(view.state, 1).offset + 1 + child(view.state, 1).node.content.size));
    await settle();
    expect(markers(mount)).toEqual([marker]);
    expect(child(view.state, 1).node.textContent).toBe('The OEWG recalled the report. more');
    const scrolled: Element[] = [];
    const scrollIntoView = vi.fn(function (this: Element) {
      scrolled.push(this);
    });
    Element.prototype.scrollIntoView = scrollIntoView;
    marker?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(scrolled.map((element) => element.getAttribute('data-pid'))).toEqual(['c']);
    expect(view.state.selection.$from.parent.attrs['pid']).toBe('c');
    marker?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(scrolled).toHaveLength(2);
  });
});
