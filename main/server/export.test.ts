import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextSelection } from 'prosemirror-state';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DelegationNegotiator } from '../../shared/model/negotiation/delegation.ts';
import { editAsChair, spanOf, testOptions } from '../../shared/model/negotiation/test-setup.ts';
import { cutRevision } from '../../shared/model/revisions/index.ts';
import { posOf } from '../../shared/schema/test-builder.ts';
import { sampleUpdate } from '../services/sample.ts';
import { SqliteSyncStore } from './store-sqlite.ts';
import { documentXmlOf } from '../../shared/export/docx/test-xml.ts';

const CLI = path.resolve(import.meta.dirname, 'cli.ts');
const DOC = 'ga-res-79';
const ADDED = 'The secretariat circulated the compilation';
let dir: string;
let data: string;
let out: string;

/** A real server store holding the sample: zero draft cut, a sentence added since, and a proposal from France. */
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-export-cli-'));
  data = path.join(dir, 'data');
  out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const text = new Y.Doc();
  Y.applyUpdate(text, sampleUpdate());
  const chair = new Y.Doc();
  cutRevision({ textDoc: text, chairDoc: chair, by: 'Ms. Chair', label: 'Zero draft', date: '2026-06-12', id: 'rev-zero' });
  editAsChair(text, (tr) => {
    const at = posOf(tr.doc, 'The open-ended working group on the governance');
    tr.setSelection(TextSelection.create(tr.doc, at)).insertText(`${ADDED}. `);
  });
  const fra = new Y.Doc();
  const pid = (text.getXmlFragment('prosemirror').toArray().find((node) => node instanceof Y.XmlElement && node.toString().includes(ADDED)) as Y.XmlElement).getAttribute('pid') as string;
  new DelegationNegotiator('FRA', { text, chair, delegations: new Map([['FRA', fra]]) }, testOptions('Marie')).propose({
    kind: 'replace',
    pid,
    span: spanOf(text, pid, 'circulated'),
    text: 'distributed',
    rationale: '',
    agreedLanguage: null,
    cosponsors: [],
  });
  const store = SqliteSyncStore.open(data);
  try {
    await store.putDocument(DOC, 'Draft resolution on rivers');
    await store.append(`${DOC}/text`, Y.encodeStateAsUpdate(text));
    await store.append(`${DOC}/chair`, Y.encodeStateAsUpdate(chair));
    await store.append(`${DOC}/d/FRA`, Y.encodeStateAsUpdate(fra));
  } finally {
    await store.close();
  }
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PENHOLDER_')));
  const result = spawnSync(process.execPath, [CLI, 'export', '--data', data, ...args], { encoding: 'utf8', env, cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function documentXml(file: string): string {
  return documentXmlOf(fs.readFileSync(file));
}

describe('npm run server -- export', () => {
  it('writes the clean text as Word into a folder under the suggested name', () => {
    const result = run(['--doc', DOC, '--kind', 'clean', '--format', 'docx', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const file = path.join(out, 'A-AC.301-2026-CRP.1 (clean).docx');
    expect(result.stdout).toContain(`to ${file}`);
    expect(documentXml(file)).toContain(ADDED);
    expect(fs.readdirSync(out)).toEqual(['A-AC.301-2026-CRP.1 (clean).docx']);
  });

  it('writes a comparison from a revision named by its label to the current text, as tracked changes', () => {
    const file = path.join(out, 'changes.docx');
    const result = run(['--doc', DOC, '--kind', 'comparison', '--format', 'docx', '--from', 'Zero draft', '--out', file]);
    expect(result.status, result.stderr).toBe(0);
    const xml = documentXml(file);
    expect(xml).toMatch(/<w:ins\b[^>]*>(?:(?!<\/w:ins>).)*secretariat circulated the compilation/s);
  });

  it('writes the compilation with France’s proposal, and refuses it as Markdown', () => {
    const file = path.join(out, 'compilation.html');
    expect(run(['--doc', DOC, '--kind', 'compilation', '--format', 'html', '--out', file]).status).toBe(0);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('France');
    expect(html).toContain('<del>circulated</del> <ins>distributed</ins>');
    const markdown = run(['--doc', DOC, '--kind', 'compilation', '--format', 'md', '--out', path.join(out, 'c.md')]);
    expect(markdown.status).toBe(1);
    expect(markdown.stderr).toBe('Error: A compilation export comes as docx, pdf, html, not md.\n');
    expect(fs.existsSync(path.join(out, 'c.md'))).toBe(false);
  });

  it('prints a revision as PDF with Chromium', () => {
    const file = path.join(out, 'zero.pdf');
    const result = run(['--doc', DOC, '--kind', 'clean', '--format', 'pdf', '--to', 'Zero draft', '--out', file]);
    expect(result.status, result.stderr).toBe(0);
    const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(words).toContain('The open-ended working group on the governance');
    expect(words).not.toContain(ADDED);
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('explains what is wrong and writes nothing', () => {
    const unknown = run(['--doc', 'no-such-doc', '--kind', 'clean', '--format', 'docx', '--out', out]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`Error: There is no text for the document no-such-doc. The documents in this store are: ${DOC}.\n`);
    const revision = run(['--doc', DOC, '--kind', 'comparison', '--format', 'docx', '--from', 'Rev.4', '--out', out]);
    expect(revision.stderr).toBe('Error: There is no revision “Rev.4”. The revisions are: Zero draft.\n');
    const noChromium = run(['--doc', DOC, '--kind', 'clean', '--format', 'pdf', '--chromium', path.join(dir, 'none'), '--out', out]);
    expect(noChromium.stderr).toMatch(/^Error: PDF is printed by Chromium, which is not at .*none: install it/);
    expect(run(['--doc', DOC, '--kind', 'summary', '--format', 'docx', '--out', out]).stderr).toBe('Error: --kind is one of clean, compilation, comparison, not "summary".\n');
    expect(run(['--doc', DOC, '--kind', 'clean', '--format', 'docx']).stderr).toBe('Error: "export" needs --out. Run "export --help" for examples.\n');
    expect(fs.readdirSync(out)).toEqual([]);
    const elsewhere = spawnSync(process.execPath, [CLI, 'export', '--data', path.join(dir, 'empty'), '--doc', DOC, '--kind', 'clean', '--format', 'docx', '--out', out], { encoding: 'utf8' });
    expect(elsewhere.stderr).toMatch(/^Error: There is no Penholder server data in .*empty/);
    expect(fs.existsSync(path.join(dir, 'empty'))).toBe(false);
  });

  it('has help with examples', () => {
    const help = spawnSync(process.execPath, [CLI, 'export', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--kind comparison');
    expect(help.stdout).toContain('Examples:');
    const overview = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(overview.stdout).toContain('export --doc ID --kind K --format F --out FILE');
  });
});
