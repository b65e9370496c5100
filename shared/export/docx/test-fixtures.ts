/**
 * Realistic inputs for the Word export tests (test-only: application code never imports this file): the sample
 * zero draft with a negotiation on it (every kind of proposal, positions, decisions, a withdrawal, an overtaken
 * proposal, a proposal on a table cell, a paragraph agreed ad ref), and a second revision of the sample with the
 * changes a comparison must show (words, a new paragraph, a deleted one, a moved one, a footnote, a table cell, a
 * heading, a formatting change, the header date).
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../schema/index.ts';
import { posOf } from '../../schema/test-builder.ts';
import { ChairNegotiator, DelegationNegotiator, readNegotiation, type NegotiationView } from '../../model/negotiation/index.ts';
import { editAsChair, readText, setupDocs, spanOf, steppingClock, testOptions } from '../../model/negotiation/test-setup.ts';

/** The delegations of the sample negotiation and their names. */
export const SAMPLE_NAMES: Readonly<Record<string, string>> = {
  FRA: 'France',
  BRA: 'Brazil',
  G77: 'Group of 77 and China',
  CHN: 'China',
  DEU: 'Germany',
};

/** The sample negotiation: the text as it now reads (accepted proposals applied) and the negotiation view. */
export interface SampleNegotiation {
  readonly doc: ProseMirrorNode;
  readonly negotiation: NegotiationView;
  readonly name: (code: string) => string;
  /** The ids of the proposals, by what they are, for assertions. */
  readonly ids: Readonly<Record<string, string>>;
}

/** Builds the sample negotiation on `zeroDraft` (the sample document, resources/sample/zero-draft.json). */
export function sampleNegotiation(zeroDraft: ProseMirrorNode): SampleNegotiation {
  const codes = Object.keys(SAMPLE_NAMES);
  const docs = setupDocs(zeroDraft, codes);
  const now = steppingClock(Date.UTC(2026, 5, 15, 9));
  const delegation = (code: string, person: string) => new DelegationNegotiator(code, docs, { ...testOptions(person, codes), now });
  const fra = delegation('FRA', 'Marie Dupont');
  const bra = delegation('BRA', 'João Silva');
  const g77 = delegation('G77', 'Chair of the Group');
  const chn = delegation('CHN', 'Li Wei');
  const deu = delegation('DEU', 'Anna Schmidt');
  const chair = new ChairNegotiator(docs, { ...testOptions('Ambassador Rivera', codes), now, newPid: () => 'zd-p02-bis' });

  const replace = fra.propose({
    kind: 'replace',
    pid: 'zd-p01',
    span: spanOf(docs.text, 'zd-p01', 'promoting common understandings'),
    text: 'building shared understandings',
    cosponsors: ['DEU'],
    rationale: 'Closer to the language the Group agreed last year.',
    agreedLanguage: 'A/80/123, para. 17',
  });
  bra.support(replace.id);
  chn.oppose(replace.id);
  const newParagraph = bra.propose({ kind: 'new-paragraph', pid: 'zd-p02', text: 'The OEWG also took note of the contributions of the regional economic commissions.' });
  const accepted = bra.propose({ kind: 'replace', pid: 'zd-p10', span: spanOf(docs.text, 'zd-p10', 'timely exchange'), text: 'timely and regular exchange' });
  const deleted = g77.propose({ kind: 'delete-paragraph', pid: 'zd-p06', rationale: 'Repeats paragraph 7.' });
  const comment = chn.comment('zd-p08', 'We need more time to consider this paragraph with capital.');
  const withdrawn = deu.propose({ kind: 'replace', pid: 'zd-p14-a', span: spanOf(docs.text, 'zd-p14-a', 'existing and emerging'), text: 'current' });
  const rejected = fra.propose({ kind: 'replace', pid: 'zd-p09', span: spanOf(docs.text, 'zd-p09', 'climate change'), text: 'climate variability and change' });
  const overtaken = chn.propose({ kind: 'replace', pid: 'zd-p11', span: spanOf(docs.text, 'zd-p11', 'satellite altimetry'), text: 'satellite-based altimetry' });
  const moved = g77.propose({ kind: 'move-paragraph', pid: 'zd-p13', afterPid: 'zd-p08' });
  const cell = fra.propose({ kind: 'replace', pid: 'zd-t-r2c2', span: spanOf(docs.text, 'zd-t-r2c2', '1 p.m.'), text: '1.30 p.m.' });

  chair.accept(accepted.id, 'Broad support in the room.');
  chair.reject(rejected.id, 'No consensus.');
  deu.withdraw(withdrawn.id, 'Overtaken by the informal consultations.');
  chair.setStatus('zd-p07', 'agreed', 'Agreed in the first reading.');
  // The chair rewrites the words a pending proposal quoted: that proposal is now overtaken.
  editAsChair(docs.text, (tr) => {
    const at = posOf(tr.doc, 'satellite altimetry');
    tr.insertText('satellite radar altimetry', at, at + 'satellite altimetry'.length);
  });

  return {
    doc: readText(docs.text),
    negotiation: readNegotiation(docs.text, docs.chair, docs.delegations),
    name: (code) => SAMPLE_NAMES[code] ?? code,
    ids: {
      replace: replace.id,
      newParagraph: newParagraph.id,
      accepted: accepted.id,
      deleted: deleted.id,
      comment: comment.id,
      withdrawn: withdrawn.id,
      rejected: rejected.id,
      overtaken: overtaken.id,
      moved: moved.id,
      cell: cell.id,
    },
  };
}

/** ProseMirror JSON, loosely typed. */
interface NodeJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJson[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** Every node of a JSON tree with a pid, by pid. */
function byPid(root: NodeJson): Map<string, { node: NodeJson; parent: NodeJson }> {
  const found = new Map<string, { node: NodeJson; parent: NodeJson }>();
  const walk = (node: NodeJson): void => {
    for (const child of node.content ?? []) {
      const pid = child.attrs?.['pid'];
      if (typeof pid === 'string') found.set(pid, { node: child, parent: node });
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** Replaces `from` with `to` in the first text node of `node` that holds it. */
function replaceText(node: NodeJson, from: string, to: string): void {
  const walk = (current: NodeJson): boolean => {
    if (current.text !== undefined && current.text.includes(from)) {
      current.text = current.text.replace(from, to);
      return true;
    }
    return (current.content ?? []).some(walk);
  };
  if (!walk(node)) throw new Error(`"${from}" is not in the node`);
}

/** What the revised sample changed, for the comparison tests to look for. */
export const REVISION_CHANGES = {
  /** zd-p01: words replaced. */
  deletedWords: 'promoting common',
  insertedWords: 'building shared',
  /** A paragraph added after zd-p04. */
  addedParagraph: 'The OEWG welcomed the first meeting of the network of hydrological data focal points.',
  /** zd-p06, deleted. */
  deletedParagraphStart: 'The present report reflects the progress made',
  /** zd-p02's footnote. */
  footnoteBefore: 'paras. 17 and 52',
  footnoteAfter: 'paras. 17, 52 and 60',
  /** zd-h2, the heading. */
  headingAfter: 'Existing, emerging and potential challenges',
  /** The table cell zd-t-r2c2. */
  cellAfter: '10 a.m.\u20131.30 p.m.',
  /** The header date. */
  dateBefore: '12 June 2026',
  dateAfter: '3 July 2026',
} as const;

/**
 * A second revision of the sample (Rev.1): words replaced in paragraph 1, a footnote changed, a paragraph added
 * after paragraph 4, paragraph 6 deleted, paragraph 13 moved after paragraph 8, a heading reworded, a table cell
 * changed, words made bold, and the header dated anew.
 */
export function revisedSample(zeroDraftJson: unknown): ProseMirrorNode {
  const json = structuredClone(zeroDraftJson) as NodeJson;
  const nodes = byPid(json);
  const get = (pid: string): { node: NodeJson; parent: NodeJson } => {
    const found = nodes.get(pid);
    if (!found) throw new Error(`${pid} is not in the sample`);
    return found;
  };
  const header = (json.content ?? [])[0] as NodeJson;
  header.attrs = { ...header.attrs, date: REVISION_CHANGES.dateAfter };
  replaceText(get('zd-p01').node, 'promoting common understandings', 'building shared understandings');
  replaceText(get('zd-p02').node, REVISION_CHANGES.footnoteBefore, REVISION_CHANGES.footnoteAfter);
  replaceText(get('zd-h2').node, 'Existing and emerging challenges', REVISION_CHANGES.headingAfter);
  replaceText(get('zd-t-r2c2').node, '1 p.m.', '1.30 p.m.');
  // Words of paragraph 5 made bold: a formatting change only.
  const p05 = get('zd-p05').node;
  const first = p05.content?.[0];
  if (first?.text) {
    const cut = first.text.indexOf(' ', 30);
    p05.content = [{ type: 'text', text: first.text.slice(0, cut), marks: [{ type: 'bold' }] }, { type: 'text', text: first.text.slice(cut) }, ...(p05.content ?? []).slice(1)];
  }
  const body = json.content as NodeJson[];
  const indexOf = (pid: string): number => body.findIndex((node) => node.attrs?.['pid'] === pid);
  body.splice(indexOf('zd-p04') + 1, 0, { type: 'numbered_paragraph', attrs: { pid: 'rev1-new' }, content: [{ type: 'text', text: REVISION_CHANGES.addedParagraph }] });
  body.splice(indexOf('zd-p06'), 1);
  const [moved] = body.splice(indexOf('zd-p13'), 1);
  body.splice(indexOf('zd-p08') + 1, 0, moved as NodeJson);
  const doc = schema.nodeFromJSON(json);
  doc.check();
  return doc;
}
