/**
 * Generates large, realistic UN-style documents (ProseMirror JSON for shared/schema) for benchmarks and scale tests.
 *
 * Deterministic: the same options give the same document, so figures from different runs compare.
 */
import { seededRandom } from './random.ts';

/** ProseMirror JSON, loosely typed: the schema checks it when it is loaded. */
export interface NodeJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJSON[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

/** Options for {@link generateDocument}. */
export interface GenerateOptions {
  /** Number of top-level and nested textblocks to produce (about 25 per A4 page). */
  blocks: number;
  /** Average characters per textblock. */
  charsPerBlock: number;
  /** Seed for the pseudo-random generator. */
  seed?: number;
}

/** What {@link generateDocument} produced, for the benchmark report. */
export interface GeneratedDocument {
  json: NodeJSON;
  blocks: number;
  characters: number;
  numberedParagraphs: number;
  pids: string[];
}

const SUBJECTS = [
  'States', 'The Group', 'Delegations', 'The working group', 'Member States', 'Several delegations', 'The Chair',
  'Regional organizations', 'Stakeholders', 'The secretariat',
];
const VERBS = [
  'recognized', 'reaffirmed', 'underscored', 'noted with concern', 'welcomed', 'recalled', 'emphasized', 'acknowledged',
  'encouraged', 'concluded',
];
const OBJECTS = [
  'the importance of sharing hydrological data across borders',
  'the need for capacity-building tailored to national priorities',
  'the value of voluntary commitments in building confidence',
  'the role of regular institutional dialogue under the auspices of the United Nations',
  'the applicability of existing agreements to transboundary basins',
  'the contribution of scientific and technical bodies to the work of the Group',
  'that further discussions are needed on the modalities of the future mechanism',
  'the importance of gender equality and the meaningful participation of women',
  'the usefulness of a global directory of points of contact',
  'that cooperation should be consistent with the principles of the Charter of the United Nations',
];
const TAILS = [
  'in accordance with the mandate of the Group', 'as reflected in previous reports', 'on a voluntary basis',
  'taking into account national circumstances', 'with a view to building consensus', 'at its next substantive session',
];

/** Builds a document of roughly `blocks` textblocks: sections, numbered paragraphs, lettered lists, footnotes, a table. */
export function generateDocument(options: GenerateOptions): GeneratedDocument {
  const next = seededRandom(options.seed ?? 42);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const pids: string[] = [];
  let characters = 0;
  let numbered = 0;
  let blocks = 0;

  const pid = (prefix: string): string => {
    const id = `${prefix}${String(pids.length + 1).padStart(6, '0')}`;
    pids.push(id);
    return id;
  };
  const sentence = (): string => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}, ${pick(TAILS)}.`;
  const prose = (target: number): string => {
    let s = sentence();
    while (s.length < target) s += ` ${sentence()}`;
    return s;
  };
  const textblock = (type: string, text: string, extra: Record<string, unknown> = {}): NodeJSON => {
    blocks += 1;
    characters += text.length;
    return { type, attrs: { pid: pid('g'), ...extra }, content: [{ type: 'text', text }] };
  };

  const content: NodeJSON[] = [
    {
      type: 'header',
      attrs: {
        symbol: 'A/AC.999/2026/L.1',
        distribution: 'General',
        date: '22 November 2026',
        originalLanguage: 'English',
        session: 'Open-ended working group on benchmark documents\nFirst session\nNew York, 1-5 June 2026',
        agenda: 'Item 3 of the provisional agenda',
      },
      content: [textblock('title', 'Generated report for measuring Penholder')],
    },
  ];

  let section = 0;
  while (blocks < options.blocks) {
    if (blocks === 1 || next() < 0.02) {
      section += 1;
      content.push(textblock('heading', `Section ${section}: ${pick(OBJECTS).slice(0, 48)}`, { level: 1 }));
      continue;
    }
    const length = Math.max(40, Math.round(options.charsPerBlock * (0.4 + next() * 1.2)));
    const paragraph = textblock('numbered_paragraph', prose(length));
    numbered += 1;
    if (next() < 0.03) {
      paragraph.content?.push({ type: 'footnote', content: [{ type: 'text', text: `See A/80/${100 + numbered}, para. ${1 + (numbered % 40)}.` }] });
    }
    content.push(paragraph);
    if (next() < 0.08) {
      const items: NodeJSON[] = [];
      const count = 2 + Math.floor(next() * 4);
      for (let i = 0; i < count; i += 1) {
        items.push({ type: 'lettered_item', content: [textblock('paragraph', prose(options.charsPerBlock * 0.6))] });
      }
      content.push({ type: 'lettered_list', content: items });
    }
  }

  const cell = (type: string, text: string): NodeJSON => ({ type, content: [textblock('paragraph', text)] });
  content.push({
    type: 'table',
    content: [
      { type: 'table_row', content: ['Date', 'Time', 'Agenda item'].map((t) => cell('table_header', t)) },
      ...Array.from({ length: 6 }, (_, i) => ({
        type: 'table_row',
        content: [cell('table_cell', `${i + 1} June 2026`), cell('table_cell', '10 a.m.-1 p.m.'), cell('table_cell', `Item ${i + 3}`)],
      })),
    ],
  });

  return { json: { type: 'doc', content }, blocks, characters, numberedParagraphs: numbered, pids };
}
