/**
 * Offline editing: three clients of one team each make thousands of edits (inserts, deletes, formatting, new
 * paragraphs or proposals) while cut off from the server, then reconnect. All replicas and the server's store must
 * converge to the same state, and every unique marker a client inserted must survive unless that client deleted
 * it itself (a model of each client's text says which).
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { addAccounts, login, openProvider, startTestServer, storedDoc, waitUntil, type TestServer, type TestProvider } from '../helpers/sync-server.ts';
import { seededRandom } from '../helpers/random.ts';

const DOC = 'offline-doc';
const OPS_PER_CLIENT = 5_000;
const CLIENTS = ['a', 'b', 'c'] as const;

/** A marker is `⟦` + client letter + five digits + `⟧`; the base text never contains the brackets. */
const MARKER = /⟦([abc])(\d{5})⟧/gu;

/** How one kind of Y.Doc holds editable texts: the editor's paragraphs, or a delegation's proposals. */
interface TextLayout {
  readonly name: string;
  seed(doc: Y.Doc): void;
  /** The editable texts in a deterministic order. */
  texts(doc: Y.Doc): Y.Text[];
  /** Adds a new empty text (a paragraph or a proposal) and returns it. */
  addText(doc: Y.Doc, random: () => number, id: string): Y.Text;
}

const editorLayout: TextLayout = {
  name: 'editor paragraphs (Y.XmlFragment of Y.XmlText)',
  seed(doc) {
    const fragment = doc.getXmlFragment(TEXT_FRAGMENT);
    const sentences = ['The General Assembly,', 'Recalling its resolution 70/1 of 25 September 2015,', 'Decides to remain seized of the matter.'];
    fragment.insert(
      0,
      sentences.map((sentence) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.setAttribute('pid', `seed-${sentence.length}`);
        paragraph.insert(0, [new Y.XmlText(sentence)]);
        return paragraph;
      }),
    );
  },
  texts(doc) {
    return doc
      .getXmlFragment(TEXT_FRAGMENT)
      .toArray()
      .map((node) => (node as Y.XmlElement).get(0) as Y.XmlText);
  },
  addText(doc, random, id) {
    const fragment = doc.getXmlFragment(TEXT_FRAGMENT);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('pid', id);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph]);
    return text;
  },
};

const delegationLayout: TextLayout = {
  name: 'delegation proposals (Y.Map of Y.Map with Y.Text)',
  seed(doc) {
    const proposals = doc.getMap<Y.Map<unknown>>('proposals');
    for (const [id, text] of [
      ['seed-1', 'Replace "recalling" with "reaffirming".'],
      ['seed-2', 'Add a reference to the 2030 Agenda.'],
    ] as const) {
      const proposal = new Y.Map<unknown>();
      proposal.set('kind', 'replace');
      proposal.set('text', new Y.Text(text));
      proposals.set(id, proposal);
    }
  },
  texts(doc) {
    const proposals = doc.getMap<Y.Map<unknown>>('proposals');
    return [...proposals.keys()].sort().map((id) => (proposals.get(id) as Y.Map<unknown>).get('text') as Y.Text);
  },
  addText(doc, _random, id) {
    const proposal = new Y.Map<unknown>();
    const text = new Y.Text();
    proposal.set('kind', 'comment');
    proposal.set('text', text);
    doc.getMap<Y.Map<unknown>>('proposals').set(id, proposal);
    return text;
  },
};

/** The plain text of a Y.Text or Y.XmlText (formatting dropped). */
function plainText(text: Y.Text): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

function markerSpans(text: string): Array<{ start: number; end: number; marker: string }> {
  return [...text.matchAll(MARKER)].map((match) => ({ start: match.index, end: match.index + match[0].length, marker: match[0] }));
}

/** Moves `position` out of any marker it falls inside (to the marker's end), so edits never split a marker. */
function snapOutOfMarkers(text: string, position: number, direction: 'start' | 'end'): number {
  for (const span of markerSpans(text)) {
    if (position > span.start && position < span.end) return direction === 'start' ? span.start : span.end;
  }
  return position;
}

/** What one client did offline: its model of every text it edited and the markers still alive in it. */
interface OfflineModel {
  readonly texts: Map<Y.Text, string>;
  readonly live: Set<string>;
  readonly inserted: number;
  readonly deletedOwn: number;
  readonly counts: Record<'insert' | 'delete' | 'format' | 'add', number>;
}

/** Applies `count` random operations to `doc`, each in its own transaction (one update each), mirrored in a model. */
function editOffline(doc: Y.Doc, layout: TextLayout, letter: string, count: number, random: () => number): OfflineModel {
  const texts = new Map<Y.Text, string>();
  for (const text of layout.texts(doc)) texts.set(text, plainText(text));
  const live = new Set<string>();
  const counts = { insert: 0, delete: 0, format: 0, add: 0 };
  let serial = 0;
  let deletedOwn = 0;
  const pick = () => {
    const all = [...texts.keys()];
    return all[Math.floor(random() * all.length)] as Y.Text;
  };
  for (let op = 0; op < count; op++) {
    const roll = random();
    if (roll < 0.05) {
      const text = layout.addText(doc, random, `${letter}-new-${op}`);
      texts.set(text, '');
      counts.add += 1;
      continue;
    }
    const text = pick();
    const model = texts.get(text) as string;
    if (roll < 0.6 || model.length === 0) {
      const marker = `⟦${letter}${String(serial++).padStart(5, '0')}⟧`;
      const at = snapOutOfMarkers(model, Math.floor(random() * (model.length + 1)), 'end');
      const attributes = random() < 0.2 ? { italic: true } : undefined;
      if (attributes) text.insert(at, marker, attributes);
      else text.insert(at, marker);
      texts.set(text, model.slice(0, at) + marker + model.slice(at));
      live.add(marker);
      counts.insert += 1;
    } else if (roll < 0.8) {
      const from = snapOutOfMarkers(model, Math.floor(random() * model.length), 'start');
      const to = snapOutOfMarkers(model, Math.min(model.length, from + 1 + Math.floor(random() * 12)), 'end');
      for (const span of markerSpans(model.slice(from, to))) {
        live.delete(span.marker);
        deletedOwn += 1;
      }
      text.delete(from, to - from);
      texts.set(text, model.slice(0, from) + model.slice(to));
      counts.delete += 1;
    } else {
      const from = Math.floor(random() * model.length);
      const length = 1 + Math.floor(random() * Math.min(20, model.length - from));
      text.format(from, length, { bold: random() < 0.7 ? true : null });
      counts.format += 1;
    }
  }
  return { texts, live, inserted: serial, deletedOwn, counts };
}

/** Everything a replica holds, for comparison: each text's plain content and its formatted delta. */
function contentOf(doc: Y.Doc, layout: TextLayout): { plain: string[]; deltas: string } {
  const texts = layout.texts(doc);
  return { plain: texts.map(plainText), deltas: JSON.stringify(texts.map((text) => text.toDelta())) };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('offline edits converge on reconnect and lose nothing', () => {
  let running: TestServer;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    running = await startTestServer();
    await running.server.store.putDocument(DOC, 'Offline draft');
    addAccounts(running.server, [
      { name: 'chair-a', password: 'pass-chair-a', role: 'chair', documents: [DOC] },
      { name: 'chair-b', password: 'pass-chair-b', role: 'chair', documents: [DOC] },
      { name: 'chair-c', password: 'pass-chair-c', role: 'chair', documents: [DOC] },
      { name: 'france', password: 'pass-france', role: 'delegation', delegation: 'FRA', documents: [DOC] },
    ]);
    for (const name of ['chair-a', 'chair-b', 'chair-c', 'france']) tokens.set(name, (await login(running.server.httpUrl, name, `pass-${name}`)).token);
  }, 30_000);

  afterAll(async () => {
    await running?.close();
    vi.restoreAllMocks();
  });

  const scenarios = [
    { label: 'the chair team on D/text, providers disconnected and reconnected', local: 'text', layout: editorLayout, accounts: ['chair-a', 'chair-b', 'chair-c'], mode: 'disconnect' },
    { label: 'a delegation on D/d/FRA, providers not yet connected', local: 'd/FRA', layout: delegationLayout, accounts: ['france', 'france', 'france'], mode: 'not-yet-connected' },
  ] as const;

  for (const scenario of scenarios) {
    it(`${scenario.label}: ${CLIENTS.length} x ${OPS_PER_CLIENT} operations`, async () => {
      const docName = `${DOC}/${scenario.local}`;
      const seed = Date.now() % 1_000_000;
      console.log(`offline ${docName}: random seed ${seed}`);

      // A first client writes the base text and every client starts from it.
      const author = openProvider({ url: running.server.url, docName, token: tokens.get(scenario.accounts[0]) as string, awareness: true, quickReconnect: true });
      await author.whenSynced();
      scenario.layout.seed(author.doc);
      await author.whenSynced();
      const baseUpdate = Y.encodeStateAsUpdate(author.doc);
      author.destroy();

      const clients: TestProvider[] = [];
      const docs: Y.Doc[] = [];
      for (let i = 0; i < CLIENTS.length; i++) {
        const doc = new Y.Doc();
        docs.push(doc);
        if (scenario.mode === 'disconnect') {
          const client = openProvider({ url: running.server.url, docName, token: tokens.get(scenario.accounts[i] as string) as string, doc, awareness: true, quickReconnect: true });
          await client.whenSynced();
          client.disconnect();
          await waitUntil(() => client.socket.status === 'disconnected', 'provider to disconnect');
          clients.push(client);
        } else {
          Y.applyUpdate(doc, baseUpdate);
        }
      }
      for (const doc of docs) expect(contentOf(doc, scenario.layout).plain).toEqual(contentOf(docs[0] as Y.Doc, scenario.layout).plain);

      // Offline: each client edits alone; its model must match its own replica exactly.
      const models = CLIENTS.map((letter, i) => editOffline(docs[i] as Y.Doc, scenario.layout, letter, OPS_PER_CLIENT, seededRandom(seed + i)));
      for (const [i, model] of models.entries()) {
        for (const [text, expected] of model.texts) expect(plainText(text), `client ${CLIENTS[i]} model`).toBe(expected);
        const found = new Set(scenario.layout.texts(docs[i] as Y.Doc).flatMap((text) => markerSpans(plainText(text)).map((span) => span.marker)));
        expect(found).toEqual(model.live);
        expect(model.counts.insert + model.counts.delete + model.counts.format + model.counts.add).toBe(OPS_PER_CLIENT);
      }

      // Reconnect everyone at once.
      if (scenario.mode === 'disconnect') {
        for (const client of clients) void client.connect();
      } else {
        for (const [i, doc] of docs.entries()) clients.push(openProvider({ url: running.server.url, docName, token: tokens.get(scenario.accounts[i] as string) as string, doc, awareness: true, quickReconnect: true }));
      }
      await waitUntil(
        async () => {
          const vectors = docs.map((doc) => hex(Y.encodeStateVector(doc)));
          if (new Set(vectors).size !== 1) return false;
          const stored = await storedDoc(running.server.store, docName);
          return hex(Y.encodeStateVector(stored)) === vectors[0] && clients.every((client) => client.provider.unsyncedChanges === 0);
        },
        `${docName}: replicas and store to converge`,
        120_000,
        100,
      );

      // Converged: same state vector, same content and formatting everywhere, the store included.
      const stored = await storedDoc(running.server.store, docName);
      const reference = contentOf(docs[0] as Y.Doc, scenario.layout);
      for (const doc of [...docs, stored]) {
        expect(hex(Y.encodeStateVector(doc))).toBe(hex(Y.encodeStateVector(docs[0] as Y.Doc)));
        const content = contentOf(doc, scenario.layout);
        expect(content.plain).toEqual(reference.plain);
        expect(content.deltas).toBe(reference.deltas);
      }

      // Nothing lost: exactly the markers each client still had, each once.
      const merged = reference.plain.join('\n');
      const markersFound = markerSpans(merged).map((span) => span.marker);
      const expected = models.flatMap((model) => [...model.live]);
      expect(markersFound.length, 'each surviving marker appears once').toBe(new Set(markersFound).size);
      expect(new Set(markersFound)).toEqual(new Set(expected));
      const totals = models.map((model) => `${model.inserted} inserted, ${model.deletedOwn} deleted by itself, ${model.live.size} alive`);
      console.log(`offline ${docName}: ${totals.join(' | ')}; merged ${merged.length} characters in ${reference.plain.length} texts; provider closes seen: ${JSON.stringify(clients.flatMap((client) => client.closes.map((close) => close.code)))}`);
      expect(expected.length).toBeGreaterThan(CLIENTS.length * 1_000);

      for (const client of clients) client.destroy();
    }, 240_000);
  }
});
