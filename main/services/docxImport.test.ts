import { describe, expect, it } from 'vitest';
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { DocxImportError } from '../../shared/import/index.ts';
import { importDocxFile } from './docxImport.ts';
import { docxPackage, ins, manyRunsDocx, p, run } from '../../tests/fixtures/docx/package.ts';
import { zeroBombDocx } from '../../tests/fixtures/docx/zips.ts';

async function refusal(promise: Promise<unknown>): Promise<DocxImportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DocxImportError);
    return error as DocxImportError;
  }
  throw new Error('expected a refusal');
}

describe('importDocxFile (worker thread)', () => {
  it('imports a Word file in a worker and hands back the document, report and tracked changes', async () => {
    const bytes = docxPackage({ body: p('1.\tThe Group met.') + `<w:p>${run('2.\tStates should ')}${ins('continue to ')}${run('cooperate.')}</w:p>` });
    const before = bytes.slice();
    const imported = await importDocxFile(bytes);
    ProseMirrorNode.fromJSON(schema, imported.doc).check();
    expect(imported.report.counts['numberedParagraphs']).toBe(2);
    expect(imported.tracked).toEqual([
      expect.objectContaining({ number: '2', original: 'States should cooperate.', proposed: 'States should continue to cooperate.' }),
    ]);
    // The caller's bytes are neither detached nor changed.
    expect(bytes).toEqual(before);
  });

  it('passes refusals across the thread with their code and sentence', async () => {
    const bomb = await refusal(importDocxFile(zeroBombDocx()));
    expect(bomb.code).toBe('zip-bomb');
    expect(bomb.message).toMatch(/zip bomb/);
    expect((await refusal(importDocxFile(new TextEncoder().encode('not a zip')))).code).toBe('not-docx');
    const large = await refusal(importDocxFile(new Uint8Array(2048), { limits: { maxFileBytes: 1024 } }));
    expect(large.code).toBe('too-large');
  });

  it('stops an import that runs past the time limit, and the process carries on', async () => {
    const slow = manyRunsDocx(100_000);
    const error = await refusal(importDocxFile(slow, { timeoutMs: 150 }));
    expect(error.code).toBe('too-complex');
    expect(error.message).toMatch(/took longer than 150 milliseconds, so it was stopped/);
    expect((await importDocxFile(docxPackage({ body: p('Still here.') }))).report.counts['paragraphs']).toBe(1);
  });

  it('stops an import that needs more memory than allowed, and the process carries on', async () => {
    const hungry = manyRunsDocx(100_000);
    const error = await refusal(importDocxFile(hungry, { maxMemoryMb: 24 }));
    expect(error.code).toBe('too-complex');
    expect(error.message).toMatch(/needed more than 24 MB of memory/);
    expect((await importDocxFile(docxPackage({ body: p('Still here.') }))).report.counts['paragraphs']).toBe(1);
  });
});
