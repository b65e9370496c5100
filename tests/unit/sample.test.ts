// The sample negotiation is the first thing every user sees: it must load into the real schema and
// exercise every structure the editor, numbering and exports have to handle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';

const samplePath = new URL('../../resources/sample/zero-draft.json', import.meta.url);
const sampleJson: unknown = JSON.parse(readFileSync(samplePath, 'utf8'));
const zeroDraft = schema.nodeFromJSON(sampleJson);

/** Every node of the document (the doc itself excluded), in document order. */
function allNodes(root: ProseMirrorNode): ProseMirrorNode[] {
  const found: ProseMirrorNode[] = [];
  root.descendants((node) => {
    found.push(node);
  });
  return found;
}

function countOfType(typeName: string): number {
  return allNodes(zeroDraft).filter((node) => node.type.name === typeName).length;
}

function topLevelBlocks(): ProseMirrorNode[] {
  const blocks: ProseMirrorNode[] = [];
  zeroDraft.forEach((node) => blocks.push(node));
  return blocks;
}

describe('sample zero draft', () => {
  it('is a valid document of the shared schema', () => {
    expect(() => zeroDraft.check()).not.toThrow();
    expect(zeroDraft.type.name).toBe('doc');
  });

  it('has a complete header with a title', () => {
    const header = zeroDraft.firstChild;
    expect(header?.type.name).toBe('header');
    for (const field of ['symbol', 'distribution', 'date', 'originalLanguage', 'session', 'agenda']) {
      expect(typeof header?.attrs[field]).toBe('string');
      expect((header?.attrs[field] as string).trim()).not.toBe('');
    }
    // The session block prints as three lines: group, session, place and dates.
    expect((header?.attrs['session'] as string).split('\n')).toHaveLength(3);
    expect(header?.firstChild?.type.name).toBe('title');
    expect(header?.firstChild?.textContent).toMatch(/^Zero draft of the .*annual progress report/);
  });

  it('has about forty numbered paragraphs under five sections', () => {
    const numbered = countOfType('numbered_paragraph');
    expect(numbered).toBeGreaterThanOrEqual(38);
    expect(numbered).toBeLessThanOrEqual(42);
    const sections = topLevelBlocks().filter((node) => node.type.name === 'heading' && node.attrs['level'] === 1);
    expect(sections).toHaveLength(5);
    // Section letters are computed, so a heading that already carries "A." would print it twice.
    const headings = allNodes(zeroDraft).filter((node) => node.type.name === 'heading');
    for (const heading of headings) {
      expect(heading.textContent).not.toMatch(/^\s*([A-Z]|\d+)\.\s/);
      expect([1, 2]).toContain(heading.attrs['level']);
    }
  });

  it('has exactly three footnotes, each with text', () => {
    const footnotes = allNodes(zeroDraft).filter((node) => node.type.name === 'footnote');
    expect(footnotes).toHaveLength(3);
    for (const footnote of footnotes) expect(footnote.textContent.trim()).not.toBe('');
  });

  it('has one programme-of-work table with a header row', () => {
    const tables = allNodes(zeroDraft).filter((node) => node.type.name === 'table');
    expect(tables).toHaveLength(1);
    const table = tables[0];
    if (!table) throw new Error('no table');
    const headerRow = table.firstChild;
    const headerTexts: string[] = [];
    headerRow?.forEach((cell) => {
      expect(cell.type.name).toBe('table_header');
      headerTexts.push(cell.textContent);
    });
    expect(headerTexts).toEqual(['Date', 'Time', 'Agenda item', 'Format']);
    expect(table.childCount - 1).toBeGreaterThanOrEqual(5);
    expect(table.childCount - 1).toBeLessThanOrEqual(8);
    table.forEach((row, _offset, rowIndex) => {
      expect(row.childCount).toBe(4);
      if (rowIndex > 0) row.forEach((cell) => expect(cell.type.name).toBe('table_cell'));
    });
  });

  it('has lettered sub-paragraphs that follow a numbered chapeau, one of them nested', () => {
    const blocks = topLevelBlocks();
    const letteredLists = blocks.filter((node) => node.type.name === 'lettered_list');
    expect(letteredLists.length).toBeGreaterThanOrEqual(3);
    blocks.forEach((node, index) => {
      if (node.type.name !== 'lettered_list') return;
      // A lettered list belongs to the numbered paragraph before it ("23 (a)"), whose chapeau ends with a colon.
      const chapeau = blocks[index - 1];
      expect(chapeau?.type.name).toBe('numbered_paragraph');
      expect(chapeau?.textContent.trimEnd()).toMatch(/:$/);
    });
    const nested = allNodes(zeroDraft).filter(
      (node) => node.type.name === 'lettered_item' && node.lastChild?.type.name === 'lettered_list',
    );
    expect(nested.length).toBeGreaterThanOrEqual(1);
  });

  it('has a bullet list', () => {
    expect(countOfType('bullet_list')).toBeGreaterThanOrEqual(1);
  });

  it('gives every paragraph-like node a unique, non-empty pid', () => {
    const pids: unknown[] = allNodes(zeroDraft)
      .filter((node) => 'pid' in node.attrs)
      .map((node) => node.attrs['pid']);
    // Title, headings, numbered paragraphs and the paragraphs in lists and cells all carry one.
    expect(pids.length).toBeGreaterThan(countOfType('numbered_paragraph') + countOfType('heading'));
    for (const pid of pids) {
      expect(typeof pid).toBe('string');
      expect((pid as string).trim()).not.toBe('');
    }
    expect(new Set(pids).size).toBe(pids.length);
  });

  it('links only to https addresses', () => {
    const hrefs: string[] = [];
    for (const node of allNodes(zeroDraft)) {
      for (const mark of node.marks) {
        if (mark.type.name === 'link') hrefs.push(mark.attrs['href'] as string);
      }
    }
    expect(hrefs.length).toBeGreaterThanOrEqual(1);
    for (const href of hrefs) expect(new URL(href).protocol).toBe('https:');
  });

  it('survives the trip through the text Y.Doc unchanged', () => {
    // First start stores the sample as a Yjs update; anything y-prosemirror cannot carry would be lost silently.
    const ydoc = prosemirrorJSONToYDoc(schema, sampleJson, TEXT_FRAGMENT);
    try {
      const reloaded = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
      expect(reloaded.eq(zeroDraft)).toBe(true);
    } finally {
      ydoc.destroy();
    }
  });
});
