// Randomized convergence of the negotiation model, in the style of Yjs's applyRandomTests: five clients (two of
// the chair's team, two delegations and a group) each hold replicas of D/text, D/chair and every D/d/<code>; a
// simulated server per Y.Doc relays updates only from clients allowed to write that doc, with random delays,
// reordering, duplication, disconnects and state-vector resync on reconnect. After random text edits, proposals,
// positions, withdrawals, decisions, undo and status changes, and a full sync, every client must read the same
// negotiation, lose no proposal, misattribute none, and hold only values that pass their schemas.
//
// NEGOTIATION_SEED=<n> replays a run; NEGOTIATION_ROUNDS=<n> changes its length.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { b, body, np } from '../../shared/schema/test-builder.ts';
import { mayWrite, type Principal } from '../../shared/sync.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import {
  ChairNegotiator,
  DelegationNegotiator,
  Decision,
  FloorPosition,
  FloorWithdrawal,
  LogEntry,
  NegotiationError,
  NegotiationIndex,
  NegotiationUndo,
  ParagraphStatus,
  Position,
  Proposal,
  STORED_STATUSES,
  Withdrawal,
  indexParagraphs,
  lockedPids,
  lockedPidsTouched,
  paragraphWording,
  readNegotiation,
  textFragment,
  type NegotiationView,
  type ProposalDraft,
  type ProposalKind,
} from '../../shared/model/negotiation/index.ts';
import { editAsChair, readText } from '../../shared/model/negotiation/test-setup.ts';
import { seededRandom } from '../helpers/random.ts';

const SEED = Number(process.env['NEGOTIATION_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env['NEGOTIATION_ROUNDS'] ?? 1200);
const random = seededRandom(SEED);
const chance = (p: number): boolean => random() < p;
const int = (n: number): number => Math.floor(random() * n);
function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[int(items.length)];
}
const token = (): string => Math.floor(random() * 36 ** 6).toString(36);

const CODES = ['FRA', 'BRA', 'G77'] as const;
/** Known to the registry but with no client and no doc: proposals for it come only from the floor. */
const ABSENT = 'USA';
const KNOWN = new Set<string>([...CODES, ABSENT]);
const DOC_NAMES = ['text', 'chair', ...CODES.map((code) => `d/${code}`)];
const WORDS = ['cooperation', 'States', 'security', 'responsible', 'capacity', 'norms', 'the', 'and', 'international', 'peace'];
const START = Date.UTC(2025, 0, 1);
let round = 0;
const clock = (): Date => new Date(START + round * 1000);

/** The origin of updates a replica receives from the network (they are not sent back). */
const NETWORK = Symbol('network');

interface Client {
  readonly name: string;
  readonly principal: Principal;
  readonly docs: Map<string, Y.Doc>;
  readonly delegations: Map<string, Y.Doc>;
  connected: boolean;
  readonly chair: ChairNegotiator | null;
  readonly undo: NegotiationUndo | null;
  readonly delegation: DelegationNegotiator | null;
  readonly index: NegotiationIndex;
}

/** One Y.Doc's server and the links to each client: queued messages that may be delayed, reordered or duplicated. */
class DocNetwork {
  readonly server = new Y.Doc();
  readonly toServer = new Map<string, Uint8Array[]>();
  readonly toClient = new Map<string, Uint8Array[]>();
  refused = 0;
  readonly name: string;
  readonly clients: readonly Client[];

  constructor(name: string, clients: readonly Client[]) {
    this.name = name;
    this.clients = clients;
    for (const client of clients) {
      this.toServer.set(client.name, []);
      this.toClient.set(client.name, []);
      const doc = client.docs.get(name) as Y.Doc;
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === NETWORK || !client.connected) return;
        (this.toServer.get(client.name) as Uint8Array[]).push(update);
      });
    }
  }

  /** The server's side of an update: refused (as the real server does) unless the client may write this doc. */
  #serverReceives(client: Client, update: Uint8Array): void {
    if (!mayWrite(client.principal, this.name)) {
      this.refused += 1;
      return;
    }
    Y.applyUpdate(this.server, update, client.name);
    for (const other of this.clients) if (other !== client && other.connected) (this.toClient.get(other.name) as Uint8Array[]).push(update);
  }

  pending(): number {
    let count = 0;
    for (const queue of this.toServer.values()) count += queue.length;
    for (const queue of this.toClient.values()) count += queue.length;
    return count;
  }

  /** Delivers one random queued message (any link, any position in its queue); sometimes keeps a duplicate. */
  deliverOne(duplicate: number): boolean {
    const queues: Array<[Client, 'up' | 'down', Uint8Array[]]> = [];
    for (const client of this.clients) {
      const up = this.toServer.get(client.name) as Uint8Array[];
      const down = this.toClient.get(client.name) as Uint8Array[];
      if (up.length) queues.push([client, 'up', up]);
      if (down.length) queues.push([client, 'down', down]);
    }
    const chosen = pick(queues);
    if (!chosen) return false;
    const [client, direction, queue] = chosen;
    const at = int(queue.length);
    const update = queue[at] as Uint8Array;
    if (!chance(duplicate)) queue.splice(at, 1);
    if (direction === 'up') this.#serverReceives(client, update);
    else Y.applyUpdate(client.docs.get(this.name) as Y.Doc, update, NETWORK);
    return true;
  }

  /** A dropped connection loses whatever was in flight on it. */
  disconnect(client: Client): void {
    (this.toServer.get(client.name) as Uint8Array[]).length = 0;
    (this.toClient.get(client.name) as Uint8Array[]).length = 0;
  }

  /** On (re)connect: sync step 1 and 2 both ways, by state vectors; a read-only client has nothing to send. */
  resync(client: Client): void {
    const doc = client.docs.get(this.name) as Y.Doc;
    (this.toClient.get(client.name) as Uint8Array[]).push(Y.encodeStateAsUpdate(this.server, Y.encodeStateVector(doc)));
    if (mayWrite(client.principal, this.name)) {
      (this.toServer.get(client.name) as Uint8Array[]).push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.server)));
    }
  }
}

/** A doc's whole state as bytes, normalized through a fresh replica (undo keeps deleted items a fresh doc drops). */
function normalizedState(doc: Y.Doc): Uint8Array {
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
  return Y.encodeStateAsUpdate(fresh);
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/** Numbered paragraphs at top level of a ProseMirror document, with their positions. */
function topParagraphs(doc: ProseMirrorNode): Array<{ pos: number; node: ProseMirrorNode; pid: string }> {
  const found: Array<{ pos: number; node: ProseMirrorNode; pid: string }> = [];
  doc.forEach((node, pos) => {
    if (node.type.name === 'numbered_paragraph') found.push({ pos, node, pid: String(node.attrs['pid']) });
  });
  return found;
}

/** Word boundaries of a paragraph's text: 0, each space, the end. */
function boundaries(text: string): number[] {
  const cuts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === ' ') cuts.push(i);
  cuts.push(text.length);
  return [...new Set(cuts)];
}

const stats = new Map<string, number>();
const count = (key: string): void => {
  stats.set(key, (stats.get(key) ?? 0) + 1);
};

/** Runs a writer's action; a NegotiationError is an expected refusal (counted), anything else fails the test. */
function attempt<T>(label: string, action: () => T): T | null {
  try {
    const result = action();
    count(`${label}: done`);
    return result;
  } catch (error) {
    if (error instanceof NegotiationError) {
      count(`${label}: refused ${error.code}`);
      return null;
    }
    throw error;
  }
}

function makeClients(): Client[] {
  const seedText = new Y.Doc();
  seedText.clientID = 1;
  const initial = body(
    ...Array.from({ length: 8 }, (_, i) =>
      np({ pid: `p${i + 1}` }, `Paragraph ${i + 1}: States `, b('should'), ` ${WORDS.slice(i % 5, (i % 5) + 4).join(' ')} in good faith.`),
    ),
  );
  // The chair's team publishes the zero draft: one update everyone starts from.
  prosemirrorToYXmlFragment(initial, seedText.getXmlFragment(TEXT_FRAGMENT));
  const zeroDraft = Y.encodeStateAsUpdate(seedText);
  const specs: Array<{ name: string; principal: Principal }> = [
    { name: 'chair-1', principal: { role: 'chair', delegation: null } },
    { name: 'chair-2', principal: { role: 'chair', delegation: null } },
    ...CODES.map((code) => ({ name: code, principal: { role: 'delegation' as const, delegation: code } })),
  ];
  return specs.map((spec, clientIndex) => {
    const docs = new Map<string, Y.Doc>();
    DOC_NAMES.forEach((docName, docIndex) => {
      const doc = new Y.Doc();
      // Fixed client ids, so conflict resolution (and the whole run) replays from the seed.
      doc.clientID = 100 + clientIndex * 10 + docIndex;
      if (docName === 'text') Y.applyUpdate(doc, zeroDraft, NETWORK);
      docs.set(docName, doc);
    });
    const delegations = new Map(CODES.map((code) => [code, docs.get(`d/${code}`) as Y.Doc]));
    const negotiationDocs = { text: docs.get('text') as Y.Doc, chair: docs.get('chair') as Y.Doc, delegations };
    const options = { person: `${spec.name} person`, isKnownCode: (code: string) => KNOWN.has(code), now: clock, randomId: token };
    const isChair = spec.principal.role === 'chair';
    const undo = isChair ? new NegotiationUndo(negotiationDocs.text, negotiationDocs.chair) : null;
    return {
      name: spec.name,
      principal: spec.principal,
      docs,
      delegations,
      connected: true,
      undo,
      chair: isChair ? new ChairNegotiator(negotiationDocs, { ...options, undo: undo ?? undefined, newPid: () => `n${token()}` }) : null,
      delegation: isChair ? null : new DelegationNegotiator(spec.name, negotiationDocs, options),
      index: new NegotiationIndex(negotiationDocs.text, negotiationDocs.chair, delegations),
    };
  });
}

function viewOf(client: Client): NegotiationView {
  return readNegotiation(client.docs.get('text') as Y.Doc, client.docs.get('chair') as Y.Doc, client.delegations);
}

/** A random proposal draft against the client's current text. */
function randomDraft(client: Client): ProposalDraft | null {
  const textDoc = client.docs.get('text') as Y.Doc;
  const index = indexParagraphs(textFragment(textDoc));
  const pids = index.order.filter((pid) => pid !== 'title');
  const pid = pick(pids);
  if (pid === undefined) return null;
  const wording = paragraphWording(index.elements.get(pid) as Y.XmlElement);
  const cuts = boundaries(wording);
  const kind = pick<ProposalKind>(['replace', 'replace', 'replace', 'new-paragraph', 'delete-paragraph', 'move-paragraph', 'comment']) as ProposalKind;
  const from = pick(cuts) as number;
  const to = chance(0.3) ? from : Math.max(from, pick(cuts) as number);
  const cosponsors = chance(0.2) ? [pick([...KNOWN]) as string] : [];
  switch (kind) {
    case 'replace':
      return { kind, pid, span: { from, to }, text: chance(0.2) ? '' : `${pick(WORDS)} ${pick(WORDS)}`, cosponsors, rationale: 'Because.' };
    case 'comment':
      return { kind, pid, span: chance(0.5) ? { from, to } : null, text: `Comment ${token()}` };
    case 'new-paragraph':
      return { kind, pid, text: `New paragraph ${token()} on ${pick(WORDS)}.`, cosponsors };
    case 'delete-paragraph':
      return { kind, pid };
    case 'move-paragraph':
      return { kind, pid, afterPid: chance(0.2) ? null : (pick(pids) as string) };
  }
}

/** One random edit of the text by a chair client, refused (as the editor does) when it touches a locked paragraph. */
function randomTextEdit(client: Client): void {
  const textDoc = client.docs.get('text') as Y.Doc;
  const locked = lockedPids(client.docs.get('chair') as Y.Doc);
  const operation = pick(['insert', 'insert', 'delete', 'split', 'join']) as string;
  editAsChair(textDoc, (tr) => {
    const paragraphs = topParagraphs(tr.doc);
    const index = int(paragraphs.length);
    const target = paragraphs[index];
    if (!target) return;
    const next = paragraphs[index + 1];
    const touched = operation === 'join' && next ? [target.pid, next.pid] : [target.pid];
    if (lockedPidsTouched(touched, locked).length > 0) {
      count(`text ${operation}: refused locked`);
      return;
    }
    const cuts = boundaries(target.node.textContent);
    const start = target.pos + 1;
    switch (operation) {
      case 'insert':
        tr.insertText(` ${pick(WORDS)}`, start + (pick(cuts) as number));
        break;
      case 'delete': {
        const from = pick(cuts) as number;
        const to = Math.min(target.node.content.size, from + 1 + int(12));
        tr.delete(start + from, start + to);
        break;
      }
      case 'split':
        tr.split(start + (pick(cuts) as number), 1, [{ type: schema.nodes.numbered_paragraph, attrs: { pid: `s${token()}` } }]);
        break;
      case 'join':
        // Keep a few paragraphs: the schema needs one, and concurrent joins elsewhere may take more.
        if (!next || next.pos !== target.pos + target.node.nodeSize || paragraphs.length <= 4) return;
        tr.join(next.pos);
        break;
    }
    count(`text ${operation}: done`);
  });
}

function randomChairAction(client: Client): void {
  const chair = client.chair as ChairNegotiator;
  const undo = client.undo as NegotiationUndo;
  const roll = random();
  if (roll < 0.4) return randomTextEdit(client);
  const view = viewOf(client);
  const pending = view.proposals.filter((proposal) => proposal.status === 'pending');
  const target = pick(pending);
  if (roll < 0.6) {
    if (!target) return;
    const decide = random();
    if (decide < 0.45) {
      if (target.overtaken || target.lockedTarget) {
        const wording = target.proposal.kind === 'replace' ? `${pick(WORDS)} ${target.wording.current ?? ''}`.trim() : `Settled ${token()}.`;
        attempt('accept as modified', () => chair.acceptAsModified(target.id, wording, 'Accepted with changes'));
      } else attempt('accept', () => chair.accept(target.id, 'Consensus in the room'));
    } else if (decide < 0.8) attempt('reject', () => chair.reject(target.id, 'No consensus'));
    else {
      const others = pending.filter((proposal) => proposal.proposal.pid === target.proposal.pid && proposal.id !== target.id);
      const ids = [target.id, ...others.slice(0, 1).map((proposal) => proposal.id)];
      attempt('merge', () => chair.merge(ids, { kind: 'new-paragraph', pid: target.proposal.pid, text: `Chair's compromise ${token()}.` }, 'Bridging text'));
    }
  } else if (roll < 0.7) {
    const draft = randomDraft(client);
    if (draft) attempt('floor proposal', () => chair.recordFromFloor(pick([...KNOWN]) as string, draft, 'Delegate on the floor'));
  } else if (roll < 0.76) {
    if (target) attempt('floor position', () => chair.recordPositionFromFloor(pick([...KNOWN]) as string, target.id, pick(['support', 'oppose', 'cosponsor', null] as const) ?? null));
  } else if (roll < 0.79) {
    if (target) attempt('floor withdrawal', () => chair.recordWithdrawalFromFloor(target.id, 'Withdrawn on the floor'));
  } else if (roll < 0.92) {
    const pid = pick(indexParagraphs(textFragment(client.docs.get('text') as Y.Doc)).order);
    if (pid === undefined) return;
    const status = pick(STORED_STATUSES) as (typeof STORED_STATUSES)[number];
    attempt('status', () => chair.setStatus(pid, status, chance(0.8) ? 'Decided in the reading' : ''));
  } else if (chance(0.6)) {
    count(`undo: ${undo.undo() ? 'done' : 'nothing'}`);
  } else {
    count(`redo: ${undo.redo() ? 'done' : 'nothing'}`);
  }
}

function randomDelegationAction(client: Client, created: Map<string, string>): void {
  const delegation = client.delegation as DelegationNegotiator;
  const roll = random();
  if (roll < 0.45) {
    const draft = randomDraft(client);
    if (!draft) return;
    const proposal = attempt('propose', () => delegation.propose(draft));
    if (proposal) created.set(proposal.id, client.name);
    return;
  }
  const view = viewOf(client);
  const pending = view.proposals.filter((proposal) => proposal.status === 'pending');
  if (roll < 0.8) {
    const target = pick(pending);
    if (target) attempt('position', () => delegation.setPosition(target.id, pick(['support', 'oppose', 'cosponsor'] as const) ?? 'support'));
  } else if (roll < 0.9) {
    const own = pending.filter((proposal) => proposal.proposal.author.code === client.name);
    const target = pick(own);
    if (target) attempt('withdraw', () => delegation.withdraw(target.id, 'Overtaken by events'));
  } else {
    const target = pick(view.proposals);
    if (target) count(`clear position: ${delegation.clearPosition(target.id) ? 'done' : 'none held'}`);
  }
}

function deliverAll(networks: readonly DocNetwork[]): void {
  for (let guard = 0; guard < 1_000_000; guard += 1) {
    const busy = networks.filter((network) => network.pending() > 0);
    if (busy.length === 0) return;
    (pick(busy) as DocNetwork).deliverOne(0);
  }
  throw new Error('the network did not drain');
}

/** Reconnects everyone and syncs until nothing is in flight and every replica equals its server. */
function fullSync(clients: readonly Client[], networks: readonly DocNetwork[]): void {
  for (const client of clients) client.connected = true;
  deliverAll(networks);
  for (let pass = 0; pass < 2; pass += 1) {
    for (const network of networks) for (const client of clients) network.resync(client);
    deliverAll(networks);
  }
}

/** Every stored value of every replica passes its schema (checked on one client's replicas after convergence). */
function expectSchemas(client: Client): void {
  const failures: string[] = [];
  const checkMap = (doc: Y.Doc, name: string, schemaOf: { safeParse: (value: unknown) => { success: boolean } }, label: string) => {
    doc.getMap<unknown>(name).forEach((value, key) => {
      if (!schemaOf.safeParse(value).success) failures.push(`${label} ${name} ${key}`);
    });
  };
  const chairDoc = client.docs.get('chair') as Y.Doc;
  checkMap(chairDoc, 'decisions', Decision, 'chair');
  checkMap(chairDoc, 'floor', Proposal, 'chair');
  checkMap(chairDoc, 'statuses', ParagraphStatus, 'chair');
  checkMap(chairDoc, 'floorPositions', FloorPosition, 'chair');
  checkMap(chairDoc, 'floorWithdrawals', FloorWithdrawal, 'chair');
  chairDoc.getArray<unknown>('log').forEach((value, index) => {
    if (!LogEntry.safeParse(value).success) failures.push(`chair log ${index}`);
  });
  for (const code of CODES) {
    const doc = client.delegations.get(code) as Y.Doc;
    checkMap(doc, 'proposals', Proposal, code);
    checkMap(doc, 'positions', Position, code);
    checkMap(doc, 'withdrawals', Withdrawal, code);
    doc.getMap<unknown>('proposals').forEach((value, key) => {
      const proposal = value as Proposal;
      // Attribution: a delegation's doc holds only its own proposals, which nobody recorded for it.
      if (proposal.author.code !== code || proposal.recordedBy !== null || proposal.id !== key) failures.push(`${code} misattributed ${key}`);
    });
  }
  floorMapEntries(chairDoc).forEach(([key, proposal]) => {
    if (proposal.recordedBy === null || proposal.id !== key) failures.push(`floor misattributed ${key}`);
  });
  expect(failures).toEqual([]);
}

function floorMapEntries(chairDoc: Y.Doc): Array<[string, Proposal]> {
  const entries: Array<[string, Proposal]> = [];
  chairDoc.getMap<unknown>('floor').forEach((value, key) => entries.push([key, value as Proposal]));
  return entries;
}

/** All replicas equal their server, all clients read the same negotiation, and the live indexes agree. */
function expectConverged(clients: readonly Client[], networks: readonly DocNetwork[]): NegotiationView {
  for (const network of networks) {
    const reference = normalizedState(network.server);
    for (const client of clients) {
      const doc = client.docs.get(network.name) as Y.Doc;
      expect(doc.store.pendingStructs, `${client.name} ${network.name} has pending structs`).toBeNull();
      expect(sameBytes(normalizedState(doc), reference), `${client.name} ${network.name} differs from the server`).toBe(true);
    }
  }
  const views = clients.map(viewOf);
  const first = views[0] as NegotiationView;
  for (const [i, view] of views.entries()) expect(view, `${clients[i]?.name} reads differently`).toEqual(first);
  const texts = clients.map((client) => readText(client.docs.get('text') as Y.Doc).toJSON());
  for (const text of texts) expect(text).toEqual(texts[0]);
  for (const client of clients) {
    for (const paragraph of first.paragraphs) expect(client.index.paragraphView(paragraph.pid), `${client.name} live ${paragraph.pid}`).toEqual(paragraph);
  }
  expect(first.problems).toEqual([]);
  return first;
}

describe('negotiation convergence', () => {
  it(`converges after ${ROUNDS} random rounds over an unreliable network`, () => {
    console.log(`negotiation convergence: seed ${SEED} (replay with NEGOTIATION_SEED=${SEED}), ${ROUNDS} rounds`);
    const started = performance.now();
    const clients = makeClients();
    const networks = DOC_NAMES.map((name) => new DocNetwork(name, clients));
    // The server starts from the zero draft the chair's team published.
    Y.applyUpdate(networks[0]?.server as Y.Doc, Y.encodeStateAsUpdate(clients[0]?.docs.get('text') as Y.Doc));
    const created = new Map<string, string>();
    const floorCreated = new Map<string, string>();
    const floorCreator = new Map<string, string>();
    let checkpoints = 0;

    for (round = 1; round <= ROUNDS; round += 1) {
      const client = pick(clients) as Client;
      const before = client.chair ? new Set(floorMapEntries(client.docs.get('chair') as Y.Doc).map(([key]) => key)) : null;
      if (client.chair) randomChairAction(client);
      else randomDelegationAction(client, created);
      if (before) {
        for (const [key, proposal] of floorMapEntries(client.docs.get('chair') as Y.Doc)) {
          if (!before.has(key) && !floorCreated.has(key)) {
            floorCreated.set(key, proposal.author.code);
            floorCreator.set(key, client.name);
          }
        }
      }
      // The network: a few deliveries per round, in random order, some duplicated; now and then a dropped link.
      const deliveries = int(6);
      for (let i = 0; i < deliveries; i += 1) pick(networks)?.deliverOne(0.05);
      if (chance(0.04)) {
        const flaky = pick(clients) as Client;
        if (flaky.connected) {
          flaky.connected = false;
          for (const network of networks) network.disconnect(flaky);
          count('disconnect');
        } else {
          flaky.connected = true;
          for (const network of networks) network.resync(flaky);
          count('reconnect');
        }
      }
      if (round % 400 === 0) {
        fullSync(clients, networks);
        expectConverged(clients, networks);
        checkpoints += 1;
      }
    }

    // A chair member's undo may take back its own floor record or compromise; nothing else deletes one. So what
    // each creator's own replica still holds before the last sync is what every client must end up with.
    for (const [id, creator] of floorCreator) {
      const holder = clients.find((client) => client.name === creator) as Client;
      if (!(holder.docs.get('chair') as Y.Doc).getMap<unknown>('floor').has(id)) {
        floorCreated.delete(id);
        count('floor record undone');
      }
    }
    fullSync(clients, networks);
    const view = expectConverged(clients, networks);
    checkpoints += 1;
    expectSchemas(clients[0] as Client);

    // No proposal lost or misattributed: every one a delegation tabled is there, as that delegation's own.
    for (const [id, code] of created) {
      const proposal = view.byId.get(id);
      expect(proposal, `lost ${id}`).toBeDefined();
      expect(proposal?.source).toBe('delegation');
      expect(proposal?.proposal.author.code).toBe(code);
      expect(proposal?.proposal.recordedBy).toBeNull();
    }
    // Every one recorded from the floor is there too, for the delegation it was recorded for.
    for (const [id, code] of floorCreated) {
      const proposal = view.byId.get(id);
      expect(proposal, `lost floor ${id}`).toBeDefined();
      expect(proposal?.source).toBe('floor');
      expect(proposal?.proposal.author.code).toBe(code);
      expect(proposal?.proposal.recordedBy).not.toBeNull();
    }
    expect(view.proposals.length).toBe(created.size + floorCreated.size);
    // Writers write only their own docs: the server never had to refuse an update.
    expect(networks.map((network) => network.refused)).toEqual(networks.map(() => 0));
    // Every decision names a proposal that exists, and every decided proposal shows its decision.
    for (const proposal of view.proposals) if (proposal.decision) expect(proposal.status).toBe(proposal.decision.kind);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = [...stats.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, value]) => `${key} ${value}`);
    console.log(
      `negotiation convergence: seed ${SEED}, ${ROUNDS} rounds, ${checkpoints} full syncs compared, ${view.proposals.length} proposals, ` +
        `${view.paragraphs.filter((paragraph) => paragraph.exists).length} paragraphs, ${seconds} s\n  ${summary.join('\n  ')}`,
    );
    // The run must have exercised the model, not refused its way through.
    for (const key of ['propose: done', 'accept: done', 'reject: done', 'position: done', 'status: done', 'text insert: done', 'text split: done']) {
      expect(stats.get(key) ?? 0, key).toBeGreaterThan(0);
    }
  });
});
