/**
 * A tiny document builder for tests across the repository, in the spirit of prosemirror-test-builder:
 * `doc(header(title('T')), np({ pid: 'p1' }, 'Text', fn('Note.')))`. Test-only: application code never imports it.
 *
 * Every block builder takes an optional attrs object first, then children: nodes, strings (become text) or
 * arrays of those (what the mark builders return). Only `body` sets a pid (its title's): tests of the pid plugin
 * need nulls.
 */
import { Node, type Attrs, type Mark } from 'prosemirror-model';
import { schema, type MarkName, type NodeName } from './index.ts';

/** A child given to a builder: a node, a string of text, or a list of those. */
export type Child = Node | string | readonly Child[];

/** What a block builder accepts: attrs first (optional), then children. */
type Args = readonly (Attrs | Child)[];

function isAttrs(value: Attrs | Child): value is Attrs {
  return typeof value === 'object' && value !== null && !(value instanceof Node) && !Array.isArray(value);
}

function flatten(children: readonly Child[], marks: readonly Mark[] = []): Node[] {
  const out: Node[] = [];
  for (const child of children) {
    if (typeof child === 'string') {
      if (child) out.push(schema.text(child, marks));
    } else if (child instanceof Node) {
      out.push(child);
    } else {
      out.push(...flatten(child as readonly Child[], marks));
    }
  }
  return out;
}

function split(args: Args): { attrs: Attrs | null; children: Node[] } {
  const [first, ...rest] = args;
  if (first !== undefined && isAttrs(first)) return { attrs: first, children: flatten(rest as Child[]) };
  return { attrs: null, children: flatten(args as Child[]) };
}

/** Makes a builder for a node type; `fixed` attrs (a heading level) are merged under the given ones. */
function builder(type: NodeName, fixed: Attrs = {}): (...args: Args) => Node {
  return (...args) => {
    const { attrs, children } = split(args);
    return schema.node(type, { ...fixed, ...attrs }, children);
  };
}

/** Makes a builder that adds a mark to every inline node among its children. */
function markBuilder(type: MarkName): (...args: Args) => Node[] {
  return (...args) => {
    const { attrs, children } = split(args);
    const mark = schema.mark(type, attrs);
    return children.map((node) => node.mark(mark.addToSet(node.marks)));
  };
}

/** The document. */
export const doc = builder('doc');
/** The header block; `header()` gives the default header around an empty title. */
export const header = (...args: Args): Node => {
  const { attrs, children } = split(args);
  return schema.node('header', attrs, children.length ? children : [schema.node('title')]);
};
/** The title inside the header. */
export const title = builder('title');
/** An unnumbered paragraph. */
export const p = builder('paragraph');
/** A numbered paragraph. */
export const np = builder('numbered_paragraph');
/** A section heading (level 1). */
export const h1 = builder('heading', { level: 1 });
/** A subsection heading (level 2). */
export const h2 = builder('heading', { level: 2 });
/** A lettered list. */
export const ll = builder('lettered_list');
/** A lettered item. */
export const li = builder('lettered_item');
/** A bullet list. */
export const ul = builder('bullet_list');
/** A bullet list item. */
export const bi = builder('list_item');
/** A table. */
export const table = builder('table');
/** A table row. */
export const tr = builder('table_row');
/** A table body cell. */
export const td = builder('table_cell');
/** A table header cell. */
export const th = builder('table_header');
/** A footnote. */
export const fn = builder('footnote');
/** A hard line break. */
export const br = (): Node => schema.node('hard_break');
/** Bold text. */
export const b = markBuilder('bold');
/** Italic text. */
export const i = markBuilder('italic');
/** Underlined text. */
export const u = markBuilder('underline');
/** A link: `a({ href: 'https://...' }, 'text')`. */
export const a = markBuilder('link');

/** A document with a default header, a title whose pid is 'title', and the given body blocks. */
export function body(...blocks: Node[]): Node {
  return doc(header(title({ pid: 'title' }, 'Title')), ...blocks);
}

/** The document position just before the first occurrence of `needle` in a text node, for placing selections. */
export function posOf(root: Node, needle: string): number {
  let found = -1;
  root.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText) {
      const at = (node.text ?? '').indexOf(needle);
      if (at >= 0) found = pos + at;
    }
    return true;
  });
  if (found < 0) throw new Error(`"${needle}" is not in the document`);
  return found;
}
