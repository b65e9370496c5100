/**
 * Every textblock of a document in document order (the order shared/compare/blocks.ts lists them, so the
 * comparison's indices point here), with the role it prints in, its own label (a section letter, a sub-paragraph
 * letter) and, inside a table, which table, row and cell it sits in.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { analyzeDocument } from '../../model/analyze.ts';
import type { Role } from './paragraphs.ts';

/** Where a textblock sits in a table. */
export interface CellPlace {
  /** The table node and its position (the table's identity within its document). */
  readonly table: ProseMirrorNode;
  readonly tablePos: number;
  readonly row: number;
  readonly cell: number;
  /** A header cell (its text prints bold). */
  readonly header: boolean;
}

/** One textblock as the comparison export places it. */
export interface LaidBlock {
  readonly node: ProseMirrorNode;
  readonly pos: number;
  readonly role: Role;
  /** The label computed for a heading ("A.") or a lettered item ("(a)"); numbered paragraphs take theirs from the comparison. */
  readonly label: string | null;
  readonly cell: CellPlace | null;
}

/** The textblocks of `doc` in document order, with their roles and places. */
export function layoutBlocks(doc: ProseMirrorNode): LaidBlock[] {
  const analysis = analyzeDocument(doc);
  const labels = new Map<number, string>();
  for (const heading of analysis.headings) labels.set(heading.pos, heading.label);
  for (const sub of analysis.subparagraphs) labels.set(sub.pos, sub.label);
  const out: LaidBlock[] = [];
  let instance = 0;

  const push = (node: ProseMirrorNode, pos: number, role: Role, cell: CellPlace | null = null): void => {
    out.push({ node, pos, role, label: labels.get(pos) ?? null, cell });
  };

  const walk = (node: ProseMirrorNode, pos: number, lettered: number, bullets: number, list: number): void => {
    const name = node.type.name;
    if (node.isTextblock) {
      if (name === 'title') push(node, pos, { kind: 'title' });
      else if (name === 'heading') push(node, pos, { kind: 'heading', level: node.attrs['level'] === 2 ? 2 : 1 });
      else if (name === 'numbered_paragraph') push(node, pos, { kind: 'numbered' });
      else push(node, pos, { kind: 'body' });
      return;
    }
    const start = name === 'doc' ? 0 : pos + 1;
    if (name === 'lettered_list' || name === 'bullet_list') {
      const isLettered = name === 'lettered_list';
      const depth = (isLettered ? lettered : bullets) + 1;
      const current = isLettered && depth === 1 ? ++instance : list;
      node.forEach((item, itemOffset) => {
        const itemPos = start + itemOffset;
        item.forEach((child, offset) => {
          const childPos = itemPos + 1 + offset;
          if (child.isTextblock) {
            const first = offset === 0;
            push(child, childPos, isLettered ? { kind: 'lettered', depth, first, instance: current } : { kind: 'bullet', depth, first });
          } else walk(child, childPos, isLettered ? depth : lettered, isLettered ? bullets : depth, current);
        });
      });
      return;
    }
    if (name === 'table') {
      node.forEach((row, rowOffset, rowIndex) => {
        const rowPos = start + rowOffset;
        row.forEach((cell, cellOffset, cellIndex) => {
          const cellPos = rowPos + 1 + cellOffset;
          const place: CellPlace = { table: node, tablePos: pos, row: rowIndex, cell: cellIndex, header: cell.type.name === 'table_header' };
          cell.forEach((child, offset) => {
            const childPos = cellPos + 1 + offset;
            if (child.isTextblock) push(child, childPos, { kind: 'cell' }, place);
            else walk(child, childPos, lettered, bullets, list);
          });
        });
      });
      return;
    }
    node.forEach((child, offset) => walk(child, start + offset, lettered, bullets, list));
  };

  walk(doc, 0, 0, 0, 0);
  return out;
}
