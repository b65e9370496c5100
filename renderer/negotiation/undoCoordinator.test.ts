import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NegotiationUndo, textFragment } from '../../shared/model/negotiation/index.ts';
import { UndoCoordinator, type UndoSide } from './undoCoordinator.ts';

/** A text doc with one paragraph run, an editor-like undo manager on it, and the chair's doc. */
function setup() {
  const text = new Y.Doc();
  const chair = new Y.Doc();
  const paragraph = new Y.XmlElement('numbered_paragraph');
  const run = new Y.XmlText();
  textFragment(text).insert(0, [paragraph]);
  paragraph.insert(0, [run]);
  run.insert(0, 'Base.');
  const typing = { name: 'typing' };
  const editorManager = new Y.UndoManager(textFragment(text), { trackedOrigins: new Set([typing]), captureTimeout: 0 });
  const editor: UndoSide = {
    canUndo: () => editorManager.undoStack.length > 0,
    canRedo: () => editorManager.redoStack.length > 0,
    undo: () => editorManager.undo() !== null,
    redo: () => editorManager.redo() !== null,
  };
  const negotiation = new NegotiationUndo(text, chair);
  const coordinator = new UndoCoordinator(negotiation);
  coordinator.attachEditor(editorManager, editor);
  const type = (words: string) => text.transact(() => run.insert(run.length, words), typing);
  const decide = (words: string) => {
    negotiation.transact(() => {
      run.insert(run.length, words);
      chair.getMap('decisions').set(words, { kind: 'accepted' });
    });
    coordinator.recordNegotiation();
  };
  return { run, chair, coordinator, type, decide };
}

describe('UndoCoordinator', () => {
  it('undoes typing and a decision in the order they were made, the decision with its text', () => {
    const { run, chair, coordinator, type, decide } = setup();
    type(' one');
    decide(' accepted');
    type(' two');
    expect(run.toString()).toBe('Base. one accepted two');

    expect(coordinator.undo()).toBe(true);
    expect(run.toString()).toBe('Base. one accepted');
    expect(coordinator.undo()).toBe(true);
    // One undo took back the text change and the decision together.
    expect(run.toString()).toBe('Base. one');
    expect(chair.getMap('decisions').size).toBe(0);
    expect(coordinator.undo()).toBe(true);
    expect(run.toString()).toBe('Base.');
    expect(coordinator.undo()).toBe(false);

    expect(coordinator.redo()).toBe(true);
    expect(coordinator.redo()).toBe(true);
    expect(run.toString()).toBe('Base. one accepted');
    expect(chair.getMap('decisions').has(' accepted')).toBe(true);
    expect(coordinator.redo()).toBe(true);
    expect(run.toString()).toBe('Base. one accepted two');
    expect(coordinator.canRedo()).toBe(false);
  });

  it('forgets what could be redone once something new is done', () => {
    const { run, coordinator, type, decide } = setup();
    decide(' accepted');
    coordinator.undo();
    type(' typed');
    expect(coordinator.redo()).toBe(false);
    expect(run.toString()).toBe('Base. typed');
  });
});
