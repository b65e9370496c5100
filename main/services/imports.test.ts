import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { strToU8, zipSync } from 'fflate';
import { AlignmentType, Document, FootnoteReferenceRun, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { MAX_WORD_FILE_BYTES } from '../../shared/ipc.ts';
import { TEXT_FRAGMENT, TEXT_YDOC } from '../../shared/model/ydocs.ts';
import { schema } from '../../shared/schema/index.ts';
import { Workspace } from '../storage/index.ts';
import { createIpcHandlers } from './handlers.ts';
import { createWordImports, documentTitle, readWordFile } from './imports.ts';
import { ServiceError } from './errors.ts';
import { ok } from '../../tests/helpers/ipc.ts';

let dir: string;
let workspace: Workspace;
let logged: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-imports-'));
  workspace = Workspace.open(join(dir, 'workspace'));
  logged = [];
});

afterEach(() => {
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A short draft with Word auto-numbering, a footnote and a table, as the `docx` package writes it. */
async function draftDocx(): Promise<Uint8Array> {
  const numbered = (text: string, footnote?: number) =>
    new Paragraph({ numbering: { reference: 'paragraphs', level: 0 }, children: [new TextRun(text), ...(footnote ? [new FootnoteReferenceRun(footnote)] : [])] });
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    numbering: { config: [{ reference: 'paragraphs', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
    footnotes: { 1: { children: [new Paragraph('See A/80/123.')] } },
    sections: [
      {
        children: [
          numbered('The working group met three times.'),
          numbered('Delegations welcomed the consultations.', 1),
          new Table({ rows: [new TableRow({ children: [cell('Date'), cell('Item')] })] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A one-paragraph Word file with "following" deleted and "these" inserted, by Marie Dupont. */
function trackedDocx(): Uint8Array {
  const w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body =
    '<w:p><w:r><w:t xml:space="preserve">The OEWG held the </w:t></w:r>' +
    '<w:del w:id="1" w:author="Marie Dupont" w:date="2026-02-03T10:00:00Z"><w:r><w:delText>following</w:delText></w:r></w:del>' +
    '<w:ins w:id="2" w:author="Marie Dupont" w:date="2026-02-03T10:00:00Z"><w:r><w:t>these</w:t></w:r></w:ins>' +
    '<w:r><w:t xml:space="preserve"> meetings.</w:t></w:r></w:p>';
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${w}"><w:body>${body}</w:body></w:document>`),
  });
}

/** The stored text of a document, read back the way the editor will. */
function storedText(id: string): ProseMirrorNode {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, workspace.load(id, TEXT_YDOC).state);
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
}

/** Every file under the workspace with its size, to prove a refused file wrote nothing. */
function filesOnDisk(): string[] {
  const root = join(dir, 'workspace');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile() && !/-(wal|shm)$/.test(path))
    .sort();
}

describe('importing a Word document', () => {
  it('stores its text as a new document, every paragraph with its own pid, and reports what was kept', async () => {
    const imports = createWordImports({ workspace, log: (m) => void logged.push(m) });
    const { document, report } = await imports.importDocument('Intersessional draft.docx', await draftDocx());
    expect(workspace.list({ trashed: false }).map((d) => d.id)).toEqual([document.id]);
    expect(document.title).toMatch(/\S/);

    const text = storedText(document.id);
    text.check();
    const numbered: string[] = [];
    const pids: string[] = [];
    let footnotes = 0;
    let tables = 0;
    text.descendants((node) => {
      if (node.type.name === 'numbered_paragraph') numbered.push(node.textContent);
      if (node.type.name === 'footnote') footnotes += 1;
      if (node.type.name === 'table') tables += 1;
      if (node.type.spec.attrs?.['pid'] !== undefined) pids.push(String(node.attrs['pid'] ?? ''));
      return true;
    });
    expect(numbered).toEqual(['The working group met three times.', 'Delegations welcomed the consultations.See A/80/123.']);
    expect(footnotes).toBe(1);
    expect(tables).toBe(1);
    expect(pids.every((pid) => pid !== '')).toBe(true);
    expect(new Set(pids).size).toBe(pids.length);
    expect(Object.values(report.counts).some((count) => count > 0)).toBe(true);
  });

  it('refuses a damaged file with a sentence naming it, and creates nothing', async () => {
    const imports = createWordImports({ workspace, log: (m) => void logged.push(m) });
    const before = filesOnDisk();
    const damaged = new Uint8Array(2048).fill(0x41);
    damaged.set([0x50, 0x4b, 3, 4]);
    const refused = await imports.importDocument('Damaged.docx', damaged).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).code).toBe('bad-file');
    expect((refused as ServiceError).message).toMatch(/^“Damaged\.docx” could not be imported: .+ Nothing was created\.$/);
    expect(workspace.list({ trashed: false })).toEqual([]);
    expect(filesOnDisk()).toEqual(before);
  });

  it('refuses a document the schema would not accept, and a parser that fails unexpectedly, creating nothing', async () => {
    const broken = createWordImports({
      workspace,
      log: (m) => void logged.push(m),
      parse: async () => ({ doc: { type: 'doc', content: [{ type: 'no_such_node' }] }, title: 'T', report: { counts: {}, notKept: [] }, tracked: [] }),
    });
    await expect(broken.importDocument('Odd.docx', new Uint8Array([1]))).rejects.toThrow(/“Odd\.docx” could not be imported: its content could not be turned/);
    const crashing = createWordImports({
      workspace,
      log: (m) => void logged.push(m),
      parse: async () => {
        throw new TypeError('worker exited with code 1');
      },
    });
    await expect(crashing.importDocument('Crash.docx', new Uint8Array([1]))).rejects.toThrow(/unexpected problem; details are in the log/);
    expect(logged.some((line) => line.includes('worker exited with code 1'))).toBe(true);
    expect(workspace.list({ trashed: false })).toEqual([]);
  });

  it('titles the document as the file states, else by its file name, never beyond the length allowed', () => {
    expect(documentTitle('  Draft   report ', 'x.docx')).toBe('Draft report');
    expect(documentTitle('', 'France returns.DOCX')).toBe('France returns');
    expect(documentTitle('', '.docx')).toBe('Imported document');
    const long = documentTitle('word '.repeat(100), 'x.docx');
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith('word…')).toBe(true);
  });
});

describe('reading tracked changes', () => {
  it('answers each paragraph with its insertions and deletions, author and date, and writes nothing', async () => {
    const imports = createWordImports({ workspace });
    const before = filesOnDisk();
    const { tracked } = await imports.readChanges('France.docx', trackedDocx());
    expect(tracked).toHaveLength(1);
    expect(tracked[0]).toMatchObject({ original: 'The OEWG held the following meetings.', proposed: 'The OEWG held the these meetings.' });
    expect(tracked[0]?.changes.map((c) => [c.kind, c.text, c.author, c.date])).toEqual([
      ['delete', 'following', 'Marie Dupont', '2026-02-03T10:00:00Z'],
      ['insert', 'these', 'Marie Dupont', '2026-02-03T10:00:00Z'],
    ]);
    expect(filesOnDisk()).toEqual(before);
  });
});

describe('the IPC operations', () => {
  it('import through the handlers, check the file at the edge, and leave choosing the file to the shell', async () => {
    const handlers = createIpcHandlers({ workspace, shell: 'web', version: '1', openExternal: async () => {}, log: (m) => void logged.push(m) });
    const imported = ok(await handlers.importDocx({ fileName: '/home/delegate/Drafts/Draft.docx', bytes: await draftDocx() }));
    expect(workspace.get(imported.document.id).title).toBe(imported.document.title);

    const empty = await handlers.importDocx({ fileName: 'Empty.docx', bytes: new Uint8Array(0) });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(!empty.ok && empty.error.message).toMatch(/the file is empty/);
    const damaged = await handlers.readDocxChanges({ fileName: 'C:\\Users\\x\\Bad.docx', bytes: strToU8('not a zip at all') });
    expect(damaged).toMatchObject({ ok: false, error: { code: 'bad-file' } });
    // Only the file's own name reaches the message, never the folder it came from.
    expect(!damaged.ok && damaged.error.message).toMatch(/^“Bad\.docx” could not be imported/);
    expect(await handlers.chooseWordFile({ purpose: 'document' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const chosen = createIpcHandlers({
      workspace,
      shell: 'electron',
      version: '1',
      openExternal: async () => {},
      chooseWordFile: async (purpose) => (purpose === 'proposals' ? { fileName: 'France.docx', bytes: new Uint8Array(trackedDocx()) } : null),
    });
    expect(ok(await chosen.chooseWordFile({ purpose: 'document' }))).toBeNull();
    expect(ok(await chosen.chooseWordFile({ purpose: 'proposals' }))?.fileName).toBe('France.docx');
    expect(workspace.list({ trashed: false })).toHaveLength(1);
  });
});

describe('reading the chosen file from disk', () => {
  it('reads a file, and refuses an empty, a missing or a too large one before reading it', async () => {
    const path = join(dir, 'Draft.docx');
    writeFileSync(path, trackedDocx());
    const file = await readWordFile(path);
    expect(file.fileName).toBe('Draft.docx');
    expect(file.bytes).toEqual(trackedDocx());

    const empty = join(dir, 'Empty.docx');
    writeFileSync(empty, '');
    await expect(readWordFile(empty)).rejects.toThrow(/“Empty\.docx” is empty/);
    await expect(readWordFile(join(dir, 'Gone.docx'))).rejects.toThrow(/“Gone\.docx” could not be read/);
    const huge = join(dir, 'Huge.docx');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_WORD_FILE_BYTES + 1);
    await expect(readWordFile(huge)).rejects.toThrow(/“Huge\.docx” is too large to import \(16\.0 MB; at most 16\.0 MB\)/);
  });
});
