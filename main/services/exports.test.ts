import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { TextSelection } from 'prosemirror-state';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ExportProgress } from '../../shared/ipc.ts';
import { editAsChair } from '../../shared/model/negotiation/test-setup.ts';
import { cutRevision } from '../../shared/model/revisions/index.ts';
import { CHAIR_YDOC, TEXT_YDOC } from '../../shared/model/ydocs.ts';
import { posOf } from '../../shared/schema/test-builder.ts';
import { Workspace } from '../storage/index.ts';
import { chromiumPdfPrinter, findChromium } from './chromiumPdf.ts';
import { ServiceError } from './errors.ts';
import { exportDocument, loadExportDocs, suggestedFileName, withExtension, writeFileAtomic } from './exports.ts';
import { createIpcHandlers, type IpcCaller } from './handlers.ts';
import { sampleUpdate } from './sample.ts';
import { documentXmlOf } from '../../shared/export/docx/test-xml.ts';
import { ok } from '../../tests/helpers/ipc.ts';

const ADDED = 'Delegations welcomed the revised timetable';

let dir: string;
let workspace: Workspace;
let id: string;

/** The sample in a fresh workspace, with a zero draft cut and a sentence typed into the title since. */
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-exports-'));
  workspace = Workspace.open(join(dir, 'workspace'));
  id = workspace.create('Sample negotiation', [{ ydoc: TEXT_YDOC, update: sampleUpdate() }]).id;
  const text = new Y.Doc();
  Y.applyUpdate(text, workspace.load(id, TEXT_YDOC).state);
  const chair = new Y.Doc();
  cutRevision({ textDoc: text, chairDoc: chair, by: 'Ms. Chair', label: 'Zero draft', date: '2026-06-12', id: 'rev-zero' });
  workspace.append(id, CHAIR_YDOC, Y.encodeStateAsUpdate(chair));
  const updates: Uint8Array[] = [];
  text.on('update', (update: Uint8Array) => updates.push(update));
  editAsChair(text, (tr) => {
    const at = posOf(tr.doc, 'The open-ended working group on the governance');
    tr.setSelection(TextSelection.create(tr.doc, at)).insertText(`${ADDED}. `);
  });
  for (const update of updates) workspace.append(id, TEXT_YDOC, update);
});

afterEach(() => {
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});


describe('loadExportDocs', () => {
  it('reads what is saved: the text with the typed sentence, the revision in the chair doc', () => {
    const docs = loadExportDocs(workspace, id);
    expect(docs.text.getXmlFragment('prosemirror').toString()).toContain(ADDED);
    expect(docs.chair.getArray('revisions').length).toBe(1);
    expect(docs.delegations.size).toBe(0);
  });

  it('refuses a document that does not exist, with the storage error', () => {
    expect(() => loadExportDocs(workspace, 'no-such-document')).toThrow(/not found|does not exist|no document/i);
  });
});

describe('exportDocument', () => {
  it('builds the clean text as Word from the saved document, reporting each stage', async () => {
    const stages: string[] = [];
    const file = await exportDocument(workspace, id, { kind: 'clean', format: 'docx' }, { onProgress: (progress) => stages.push(progress.stage) });
    expect(file.fileName).toBe('A-AC.301-2026-CRP.1 (clean).docx');
    expect(file.format).toBe('docx');
    expect(file.bytes.buffer).toBeInstanceOf(ArrayBuffer);
    expect(documentXmlOf(file.bytes)).toContain(ADDED);
    expect(stages[0]).toBe('loading');
    expect(stages).toContain('building');
    expect(stages.at(-1)).toBe('done');
  });

  it('builds the comparison of the zero draft with the saved text as tracked changes', async () => {
    const file = await exportDocument(workspace, id, { kind: 'comparison', format: 'docx', from: 'Zero draft', to: 'current' });
    expect(file.fileName).toBe('A-AC.301-2026-CRP.1 Zero draft to current text (comparison).docx');
    const xml = documentXmlOf(file.bytes);
    expect(xml).toMatch(/<w:ins\b[^>]*>(?:(?!<\/w:ins>).)*Delegations welcomed/s);
  });

  it('refuses PDF without a printer, and a kind/format pair that does not exist, as service errors', async () => {
    await expect(exportDocument(workspace, id, { kind: 'clean', format: 'pdf' })).rejects.toThrow(/no Chromium is available/);
    const refused = await exportDocument(workspace, id, { kind: 'comparison', format: 'md', from: 'rev-zero', to: 'current' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).code).toBe('invalid-request');
    const unknown = await exportDocument(workspace, id, { kind: 'clean', format: 'html', to: 'Rev.9' }).catch((error: unknown) => error);
    expect((unknown as ServiceError).code).toBe('not-found');
  });

  it('prints the clean text as an A4 PDF through Chromium', async () => {
    const chromium = findChromium();
    if (chromium === null) throw new Error('Chromium is needed: apt-get install -y chromium (or set PENHOLDER_CHROMIUM).');
    const printer = chromiumPdfPrinter(chromium);
    const file = await exportDocument(workspace, id, { kind: 'clean', format: 'pdf' }, { printPdf: printer });
    expect(file.fileName).toBe('A-AC.301-2026-CRP.1 (clean).pdf');
    expect(strFromU8(file.bytes.subarray(0, 5))).toBe('%PDF-');
    const pdf = join(dir, 'clean.pdf');
    writeFileSync(pdf, file.bytes);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(1);
    // A4 is 595 x 842 points.
    expect(info).toMatch(/Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595\.\d* x 842/);
    const words = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(words).toContain('A/AC.301/2026/CRP.1');
    expect(words).toContain(ADDED);
  });
});

describe('chromiumPdfPrinter', () => {
  it('gives up on a print that takes longer than its limit, with a sentence', async () => {
    const chromium = findChromium();
    if (chromium === null) throw new Error('Chromium is needed: apt-get install -y chromium (or set PENHOLDER_CHROMIUM).');
    // Thousands of paragraphs take Chromium far longer than 20 ms to lay out and print.
    const html = `<!DOCTYPE html><html><body>${'<p>A paragraph of the negotiated text, long enough to wrap on the page.</p>'.repeat(5000)}</body></html>`;
    await expect(chromiumPdfPrinter(chromium, 20)(html)).rejects.toThrow('Chromium did not finish printing within 0 seconds.');
  });
});

describe('the exportDocument and saveExport operations', () => {
  it('validate their arguments, tag progress with the job id and send it to the caller only', async () => {
    const handlers = createIpcHandlers({ workspace, shell: 'web', version: '1.0.0', openExternal: async () => {}, log: () => {} });
    const heard: ExportProgress[] = [];
    const caller: IpcCaller = { emit: (event, payload) => void (event === 'exportProgress' && heard.push(payload as ExportProgress)) };
    const file = ok(await handlers.exportDocument({ id, kind: 'clean', format: 'md', jobId: 'job-1' }, caller));
    expect(new TextDecoder().decode(file.bytes)).toContain(ADDED);
    expect(heard.length).toBeGreaterThanOrEqual(3);
    expect(heard.every((progress) => progress.jobId === 'job-1')).toBe(true);
    expect(heard.at(-1)?.stage).toBe('done');

    const badFormat = await handlers.exportDocument({ id, kind: 'clean', format: 'exe' });
    expect(badFormat.ok).toBe(false);
    if (!badFormat.ok) expect(badFormat.error.code).toBe('invalid-request');
    const badJob = await handlers.exportDocument({ id, kind: 'clean', format: 'md', jobId: '../../x' });
    expect(badJob.ok).toBe(false);
    const extra = await handlers.exportDocument({ id, kind: 'clean', format: 'md', path: '/etc/passwd' });
    expect(extra.ok).toBe(false);
    // The web host has no save dialog: the page downloads the file itself.
    const save = await handlers.saveExport({ fileName: 'x.docx', format: 'docx', bytes: new Uint8Array([1]) });
    expect(save.ok).toBe(false);
    if (!save.ok) expect(save.error.message).toMatch(/downloads in the page/);
  });

  it('hand saveExport to the shell with the checked arguments', async () => {
    const saved: Array<[string, string, number]> = [];
    const handlers = createIpcHandlers({
      workspace,
      shell: 'electron',
      version: '1.0.0',
      openExternal: async () => {},
      log: () => {},
      saveExport: async (fileName, format, bytes) => {
        saved.push([fileName, format, bytes.byteLength]);
        return '/home/me/report.docx';
      },
    });
    expect(ok(await handlers.saveExport({ fileName: 'report.docx', format: 'docx', bytes: new Uint8Array([1, 2, 3]) }))).toBe('/home/me/report.docx');
    expect(saved).toEqual([['report.docx', 'docx', 3]]);
    const empty = await handlers.saveExport({ fileName: 'report.docx', format: 'docx', bytes: new Uint8Array() });
    expect(empty.ok).toBe(false);
    expect(saved).toHaveLength(1);
  });
});

describe('saving a file', () => {
  it('writes atomically: the whole file or the old one, and no temporary file left', () => {
    const target = join(dir, 'report.docx');
    writeFileSync(target, 'old');
    writeFileAtomic(target, new Uint8Array([80, 75, 3, 4]));
    expect([...readFileSync(target)]).toEqual([80, 75, 3, 4]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a folder it cannot write to as a sentence and leaves nothing behind', () => {
    const missing = join(dir, 'no-such-folder', 'report.docx');
    expect(() => writeFileAtomic(missing, new Uint8Array([1]))).toThrow(ServiceError);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('suggests safe names and adds the extension a person left out', () => {
    expect(suggestedFileName('../../etc/A/AC.1 (clean).docx', 'docx')).toBe('AC.1 (clean).docx');
    expect(suggestedFileName('report.pdf', 'pdf')).toBe('report.pdf');
    expect(withExtension('/home/me/Report', 'docx')).toBe('/home/me/Report.docx');
    expect(withExtension('/home/me/Report.HTM', 'html')).toBe('/home/me/Report.HTM');
    expect(withExtension('/home/me/Report.v2', 'md')).toBe('/home/me/Report.v2.md');
  });
});
