/**
 * What the sync benchmark's writers type: one negotiating text (`<id>/text`, a ProseMirror fragment of numbered
 * paragraphs) and, for each writer, a script of real Yjs updates and cursor (awareness) updates made ahead of time.
 *
 * Each writer is its own Y.Doc (its own Yjs client id) typing at the end of its own paragraph, so the server receives
 * the same updates a real editor would send. Each typed piece reads `[writer.seq]`: a receiving client recovers the
 * writer and sequence number from the text and looks the send time up in the generator's table.
 */
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { TEXT_FRAGMENT, TEXT_YDOC, ydocName } from '../../../shared/model/ydocs.ts';

/** The negotiated document the benchmark opens (its id as the server registers it). */
export const BENCH_DOCUMENT_ID = 'sync-bench';

/** The one Y.Doc every client opens: the negotiating text. */
export const BENCH_DOC_NAME = ydocName(BENCH_DOCUMENT_ID, TEXT_YDOC);

/** Paragraphs in the starting text; writer w types into paragraph w, so at most this many writers. */
export const BASE_PARAGRAPHS = 200;

/** The awareness state a writer publishes at each step: who it is, where its caret is, and which step this is. */
export interface CursorState {
  readonly user: { readonly name: string; readonly color: string };
  readonly cursor: { readonly anchor: unknown; readonly head: unknown };
  /** Writer number and step, so a receiver can time the cursor's journey too. */
  readonly bench: { readonly w: number; readonly s: number };
}

/** One writer's prepared steps: step s sends `updates[s]` and then `cursors[s]`. */
export interface WriterScript {
  readonly writer: number;
  /** Yjs updates, one per step. */
  readonly updates: Uint8Array[];
  /** Encoded awareness updates (the writer's own client only), one per step. */
  readonly cursors: Uint8Array[];
  /** The same cursor states as objects, for full clients that publish through their own Awareness. */
  readonly cursorStates: CursorState[];
}

/** Text of each typed step: the writer and the step number, recoverable by {@link readMarks}. */
export function stepText(writer: number, step: number): string {
  return ` [${writer}.${step}]`;
}

const MARK = /\[(\d+)\.(\d+)\]/g;

/** Calls `found(writer, step)` for every step mark in a piece of inserted text. */
export function readMarks(text: string, found: (writer: number, step: number) => void): void {
  for (const match of text.matchAll(MARK)) found(Number(match[1]), Number(match[2]));
}

/** The starting text as one Yjs update: BASE_PARAGRAPHS paragraphs of about 110 characters, each with a pid. */
export function buildBaseDocument(): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(TEXT_FRAGMENT);
  doc.transact(() => {
    for (let i = 0; i < BASE_PARAGRAPHS; i += 1) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('pid', `p${i}`);
      paragraph.insert(0, [new Y.XmlText(`${i + 1}. The Group recalls that States have affirmed the applicability of international law in this field.`)]);
      fragment.insert(i, [paragraph]);
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Prepares `writers` scripts of `steps` steps each on top of `base`. */
export function buildWriterScripts(base: Uint8Array, writers: number, steps: number): WriterScript[] {
  if (writers > BASE_PARAGRAPHS) throw new Error(`At most ${BASE_PARAGRAPHS} writers (one paragraph each), got ${writers}`);
  const scripts: WriterScript[] = [];
  for (let w = 0; w < writers; w += 1) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    const awareness = new Awareness(doc);
    const paragraph = doc.getXmlFragment(TEXT_FRAGMENT).get(w) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    const updates: Uint8Array[] = [];
    const cursors: Uint8Array[] = [];
    const cursorStates: CursorState[] = [];
    const record = (update: Uint8Array): void => {
      updates.push(update);
    };
    doc.on('update', record);
    for (let s = 0; s < steps; s += 1) {
      text.insert(text.length, stepText(w, s));
      const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length));
      const state: CursorState = {
        user: { name: `Writer ${w + 1}`, color: `hsl(${(w * 47) % 360} 70% 45%)` },
        cursor: { anchor: caret, head: caret },
        bench: { w, s },
      };
      awareness.setLocalState(state);
      cursors.push(encodeAwarenessUpdate(awareness, [doc.clientID]));
      cursorStates.push(state);
    }
    doc.off('update', record);
    awareness.destroy();
    doc.destroy();
    scripts.push({ writer: w, updates, cursors, cursorStates });
  }
  return scripts;
}
