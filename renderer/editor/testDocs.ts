/**
 * Tiny document builders for the editor's unit tests, on the real schema: `doc(np('one'), np('two'))`.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';

type Inline = string | ProseMirrorNode;

function inline(content: readonly Inline[]): ProseMirrorNode[] {
  return content.filter((c) => c !== '').map((c) => (typeof c === 'string' ? schema.text(c) : c));
}

let counter = 0;
/** A pid that is unique within one test run. */
export function testPid(prefix = 'p'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

/** The header with a title. */
export function header(title = 'Title'): ProseMirrorNode {
  return schema.nodes.header.create({ symbol: 'A/AC.1/2026/L.1' }, schema.nodes.title.create({ pid: 'title' }, inline([title])));
}

/** A document: the header, then the given blocks. */
export function doc(...blocks: ProseMirrorNode[]): ProseMirrorNode {
  return schema.nodes.doc.create(null, [header(), ...blocks]);
}

/** A numbered paragraph. */
export function np(pid: string, ...content: Inline[]): ProseMirrorNode {
  return schema.nodes.numbered_paragraph.create({ pid }, inline(content));
}

/** An unnumbered paragraph. */
export function p(pid: string, ...content: Inline[]): ProseMirrorNode {
  return schema.nodes.paragraph.create({ pid }, inline(content));
}

/** A heading of level 1 or 2. */
export function h(level: 1 | 2, pid: string, text: string): ProseMirrorNode {
  return schema.nodes.heading.create({ pid, level }, inline([text]));
}

/** A footnote holding the text. */
export function fn(text: string): ProseMirrorNode {
  return schema.nodes.footnote.create(null, text ? schema.text(text) : null);
}

/** A lettered list; each item is a paragraph, optionally followed by a nested lettered list. */
export function letters(...items: (ProseMirrorNode | [ProseMirrorNode, ProseMirrorNode])[]): ProseMirrorNode {
  return schema.nodes.lettered_list.create(
    null,
    items.map((item) => schema.nodes.lettered_item.create(null, Array.isArray(item) ? item : [item])),
  );
}

/** Where the text `marker` starts inside the document (the first occurrence), for placing a caret. */
export function posOf(root: ProseMirrorNode, marker: string): number {
  let found = -1;
  root.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText && node.text?.includes(marker)) {
      found = pos + (node.text.indexOf(marker));
      return false;
    }
    return true;
  });
  if (found < 0) throw new Error(`"${marker}" is not in the document`);
  return found;
}
