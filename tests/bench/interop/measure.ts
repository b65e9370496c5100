/**
 * One measurement of the Word-interoperability benchmark, run in its own Node process so that its peak memory
 * (maxRSS) belongs to it alone: `node tests/bench/interop/measure.ts run <task> <dir>` prints one JSON line.
 *
 * Every task starts from the same negotiation: the generated 100-page document with 5,000 proposals from 150
 * delegations (1,000 with --quick), two revisions cut from it (Rev.1 as generated, Rev.2 with about one paragraph in
 * eight reworded, some deleted, some added and one moved) and the current text equal to Rev.2. `prepare` writes
 * them once as a store holds them (encoded Y.Doc states) plus a 100-page .docx of Rev.2; each `run` loads them in a
 * fresh process (untimed: an export loads them from its store too), then runs the task three times, each timed.
 * maxRSS is therefore the whole cost of one export in a fresh process: loading the 152 Y.Docs, and the task.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc } from 'y-prosemirror';
import { buildExport, type ExportRequest } from '../../../shared/export/build.ts';
import { cleanDocx } from '../../../shared/export/docx/index.ts';
import { importDocx } from '../../../shared/import/index.ts';
import { compareDocuments } from '../../../shared/compare/index.ts';
import { cutRevision, listRevisions, revisionDocument } from '../../../shared/model/revisions/index.ts';
import { schema } from '../../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../../shared/model/ydocs.ts';
import type { NodeJSON } from '../../helpers/generate-document.ts';
import { generateNegotiation } from '../negotiation/generate-negotiation.ts';
import { INTEROP_TASKS, type InteropMeasurement, type InteropTask, type PreparedMeta } from './tasks.ts';

/** Rewords about one paragraph in eight, deletes one in 37, adds one after one in 41 and moves one: Rev.2. */
function reviseJson(json: NodeJSON): NodeJSON {
  const content = [...(json.content ?? [])];
  const out: NodeJSON[] = [];
  let moved: NodeJSON | null = null;
  content.forEach((block, index) => {
    if (block.type !== 'numbered_paragraph') {
      out.push(block);
      return;
    }
    if (index % 37 === 5) return; // deleted
    if (moved === null && index > 20) {
      moved = block; // moved to the end of the document
      return;
    }
    out.push(index % 8 === 3 ? reword(block) : block);
    if (index % 41 === 7) {
      out.push({
        type: 'numbered_paragraph',
        attrs: { ...(block.attrs ?? {}), pid: `added-${index}` },
        content: [{ type: 'text', text: 'The Group further agreed to review the implementation of these recommendations at its next session.' }],
      });
    }
  });
  if (moved !== null) out.push(moved);
  return { ...json, content: out };
}

/** The same paragraph with every fifth word of its first text node replaced. */
function reword(block: NodeJSON): NodeJSON {
  const content = (block.content ?? []).map((child, index) => {
    if (index !== 0 || child.type !== 'text' || typeof child.text !== 'string') return child;
    const words = child.text.split(' ').map((word, i) => (i % 5 === 2 ? 'substantially' : word));
    return { ...child, text: words.join(' ') };
  });
  return { ...block, content };
}

/** Writes the negotiation's Y.Docs (as a store holds them) and a 100-page .docx into `dir`, for the tasks. */
async function prepare(dir: string, quick: boolean): Promise<void> {
  const negotiation = generateNegotiation({ blocks: 2500, proposals: quick ? 1000 : 5000, delegations: 150, positions: quick ? 600 : 3000 });
  const { docs } = negotiation;
  const rev1 = cutRevision({ chairDoc: docs.chair, textDoc: docs.text, by: 'Chair', label: 'Rev.1', date: '2026-06-01' });
  // Rev.2 is cut from a second text doc holding the reworded JSON (pids kept, so paragraphs match by pid), which
  // then becomes the current text.
  const revisedText = prosemirrorJSONToYDoc(schema, reviseJson(negotiation.document.json), TEXT_FRAGMENT);
  const rev2 = cutRevision({ chairDoc: docs.chair, textDoc: revisedText, by: 'Chair', label: 'Rev.2', date: '2026-07-01' });
  mkdirSync(join(dir, 'd'), { recursive: true });
  writeFileSync(join(dir, 'text.bin'), Y.encodeStateAsUpdate(revisedText));
  writeFileSync(join(dir, 'chair.bin'), Y.encodeStateAsUpdate(docs.chair));
  for (const [code, doc] of docs.delegations) writeFileSync(join(dir, 'd', `${code}.bin`), Y.encodeStateAsUpdate(doc));
  writeFileSync(join(dir, 'rev2.docx'), await cleanDocx(revisionDocument(rev2)));
  const meta: PreparedMeta = { rev1: rev1.id, rev2: rev2.id, blocks: negotiation.document.blocks, characters: negotiation.document.characters, proposals: negotiation.proposals.length };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
}

/** A Y.Doc from a stored state. */
function loadDoc(file: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, readFileSync(file));
  return doc;
}

/** Loads the prepared documents (untimed: a real export loads them from its store too) and times the task. */
async function measure(task: InteropTask, dir: string): Promise<InteropMeasurement> {
  const setupStarted = performance.now();
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as PreparedMeta;
  let run: () => Promise<number>;
  const loadAll = () => ({
    text: loadDoc(join(dir, 'text.bin')),
    chair: loadDoc(join(dir, 'chair.bin')),
    delegations: new Map(readdirSync(join(dir, 'd')).map((name) => [basename(name, '.bin'), loadDoc(join(dir, 'd', name))])) as ReadonlyMap<string, Y.Doc>,
  });
  const exportTask = (request: ExportRequest) => {
    const docs = loadAll();
    return async () => {
      const result = await buildExport(docs, request, { now: new Date('2026-07-02T10:00:00Z') });
      // The page Chromium prints, for the parent to time the printing itself.
      if (request.format === 'pdf' && result.html !== undefined) writeFileSync(join(dir, `${request.kind}.html`), result.html);
      return result.bytes?.byteLength ?? result.html?.length ?? 0;
    };
  };
  switch (task) {
    case 'clean-docx':
      run = exportTask({ kind: 'clean', format: 'docx' });
      break;
    case 'clean-pdf-html':
      run = exportTask({ kind: 'clean', format: 'pdf' });
      break;
    case 'clean-html':
      run = exportTask({ kind: 'clean', format: 'html' });
      break;
    case 'clean-md':
      run = exportTask({ kind: 'clean', format: 'md' });
      break;
    case 'compilation-docx':
      run = exportTask({ kind: 'compilation', format: 'docx' });
      break;
    case 'compilation-pdf-html':
      run = exportTask({ kind: 'compilation', format: 'pdf' });
      break;
    case 'comparison-docx':
      run = exportTask({ kind: 'comparison', format: 'docx', from: meta.rev1, to: meta.rev2 });
      break;
    case 'comparison-pdf-html':
      run = exportTask({ kind: 'comparison', format: 'pdf', from: meta.rev1, to: meta.rev2 });
      break;
    case 'compare': {
      const chair = loadDoc(join(dir, 'chair.bin'));
      const revisions = listRevisions(chair);
      const [first, second] = [meta.rev1, meta.rev2].map((id) => revisions.find((entry) => entry.id === id));
      if (!first || !second) throw new Error('the prepared revisions are missing');
      run = async () => compareDocuments(revisionDocument(first), revisionDocument(second)).entries.length;
      break;
    }
    case 'import-docx': {
      const bytes = new Uint8Array(readFileSync(join(dir, 'rev2.docx')));
      run = async () => JSON.stringify(importDocx(bytes).doc).length;
      break;
    }
  }
  const setupMs = performance.now() - setupStarted;
  const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
  const runsMs: number[] = [];
  let outputSize = 0;
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    outputSize = await run();
    runsMs.push(performance.now() - started);
  }
  return { task, runsMs, outputSize, rssBeforeMB, maxRssMB: process.resourceUsage().maxRSS / 1024, setupMs };
}

const [command, argument, dir] = process.argv.slice(2);
if (command === 'prepare' && argument !== undefined) {
  await prepare(argument, process.argv.includes('--quick'));
} else if (command === 'run' && INTEROP_TASKS.includes(argument as InteropTask) && dir !== undefined) {
  console.log(JSON.stringify(await measure(argument as InteropTask, dir)));
} else {
  console.error(`usage: node tests/bench/interop/measure.ts prepare <dir> [--quick]\n       node tests/bench/interop/measure.ts run <${INTEROP_TASKS.join('|')}> <dir>`);
  process.exit(2);
}
