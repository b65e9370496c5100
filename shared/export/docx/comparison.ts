/**
 * The comparison of two versions as a Word document with real tracked changes (w:ins / w:del, each with the
 * author and date given), so a Word user can review them, Accept All to get exactly `after`'s text or Reject All
 * to get `before`'s.
 *
 * Paragraphs are matched by pid through shared/compare. A paragraph in both versions carries its word diff (and
 * formatting changes as tracked formatting, footnote text changes inside the footnote); an added or deleted
 * paragraph is one whole-paragraph insertion or deletion, its paragraph mark included. Word has no "moved"
 * paragraph that every word processor understands, so a moved paragraph is deleted where it stood in `before`
 * and inserted where it stands in `after`. Labels are typed (they carry bis/ter and deleted numbers), so a
 * renumbered paragraph shows its old number struck out and the new one inserted.
 *
 * Tables: a table edited in place is written once, its rows paired by the paragraphs they share; rows added or
 * removed are tracked row insertions or deletions. Where rows cannot be paired (a cell moved across columns,
 * merged cells, a different number of columns), the old table is deleted whole and the new one inserted whole.
 *
 * Paragraph marks: in the body every paragraph keeps its own mark (an untracked empty paragraph ends the body
 * when its last paragraph is tracked); inside a table cell, which must end with an untracked mark, the last
 * paragraph of each version takes the cell's final mark, so a cell whose text was replaced outright reads as one
 * paragraph with the old words deleted and the new inserted.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { compareDocuments, type ComparisonEntry, type ComparisonSide } from '../../compare/compare.ts';
import { AFTER_TABLE, CELL_MARGINS, columnWidths, pidOf, span, TABLE_BORDERS, TABLE_WIDTH, tableColumns } from './body.ts';
import { documentParts, documentTitle } from './clean.ts';
import { comparedHeader, headerBlock, headerTexts } from './header.ts';
import { layoutBlocks, type LaidBlock } from './layout.ts';
import { Progress, type DocxExportOptions } from './options.ts';
import { roleProperties, type Role } from './paragraphs.ts';
import { redlinePieces } from './redline.ts';
import { inlinePieces, textPieces, WordWriter, type Op, type ParagraphOptions, type Piece } from './runs.ts';
import { HANG, packDocument, STYLE } from './style.ts';
import { table as tableXml, type TableCellSpec, type TableRowSpec } from './wordml.ts';
import type { Xml } from './xml.ts';

/** Options of {@link comparisonDocx}. */
export interface ComparisonDocxOptions extends DocxExportOptions {
  /** The author of every tracked change (who cut the later revision). */
  author: string;
  /** When the changes were made, ISO 8601 (when the later revision was cut). */
  date: string;
  /** What the earlier version is called ("Zero draft", "Rev.1"). */
  beforeLabel: string;
  /** What the later version is called ("Rev.2", "current text"). */
  afterLabel: string;
  /** The numbering `before` is numbered against (its previous revision's pid -> number); without it 1..N. */
  baseline?: ReadonlyMap<string, number>;
}

/** One paragraph of the comparison: in both versions, only in `before` (deleted), or only in `after` (inserted). */
interface Item {
  readonly kind: 'both' | 'deleted' | 'inserted';
  readonly before: LaidBlock | null;
  readonly after: LaidBlock | null;
  readonly entry: ComparisonEntry;
}

/** A block of the body: a paragraph, or a table holding the items of its cells. */
type Unit = { readonly kind: 'paragraph'; readonly item: Item } | { readonly kind: 'table'; readonly group: string };

/** The label a block prints in one version ("12.", "12 bis.", "A.", "(a)"), or ''. */
function sideLabel(block: LaidBlock | null, side: ComparisonSide | undefined): string {
  if (block === null) return '';
  switch (block.role.kind) {
    case 'numbered':
      return side?.number ? `${side.number}.` : '';
    case 'heading':
      return block.label ?? '';
    case 'lettered':
      return block.role.first ? (block.label ?? '') : '';
    default:
      return '';
  }
}

/** The label pieces of an item: unchanged, or the old label deleted and the new one inserted, then the tab. */
function labelPieces(item: Item): Piece[] {
  const old = item.kind === 'inserted' ? '' : sideLabel(item.before, item.entry.before);
  const now = item.kind === 'deleted' ? '' : sideLabel(item.after, item.entry.after);
  if (old === now) return old === '' ? [] : textPieces(`${now}\t`, item.kind === 'both' ? 'equal' : item.kind === 'deleted' ? 'delete' : 'insert');
  if (old === '') return textPieces(`${now}\t`, 'insert');
  if (now === '') return textPieces(`${old}\t`, 'delete');
  return [...textPieces(old, 'delete'), ...textPieces(now, 'insert'), ...textPieces('\t')];
}

/** The pieces of an item: label, then its words (diffed, or all deleted, or all inserted). */
function itemPieces(item: Item): Piece[] {
  const label = labelPieces(item);
  if (item.kind === 'deleted') return [...label, ...inlinePieces((item.before as LaidBlock).node, 'delete')];
  if (item.kind === 'inserted') return [...label, ...inlinePieces((item.after as LaidBlock).node, 'insert')];
  return [...label, ...redlinePieces(item.entry.words, (item.before as LaidBlock).node, (item.after as LaidBlock).node)];
}

/** Whether two roles print alike with typed labels (which lettered list a sub-paragraph is in does not show). */
function sameRole(x: Role, y: Role): boolean {
  return JSON.stringify(roleProperties(x, 'typed')) === JSON.stringify(roleProperties(y, 'typed'));
}

/** The key of the table a block sits in, per version ('b12' for the table at 12 in `before`), or null. */
function tableKey(block: LaidBlock | null, side: 'b' | 'a'): string | null {
  return block?.cell ? `${side}${block.cell.tablePos}` : null;
}

/** Whether a table has a cell merged down several rows (tracked row changes would tear it). */
function hasRowSpan(table: ProseMirrorNode): boolean {
  let found = false;
  table.forEach((row) => row.forEach((cell) => {
    if (span(cell.attrs['rowspan']) > 1) found = true;
  }));
  return found;
}

/** The colspans of a row's cells, for comparing two rows' shapes. */
function rowShape(row: ProseMirrorNode): string {
  const spans: number[] = [];
  row.forEach((cell) => spans.push(span(cell.attrs['colspan'])));
  return spans.join(',');
}

/** A before table paired with an after table: their rows paired by the paragraphs they share. */
interface TablePair {
  readonly before: ProseMirrorNode;
  readonly after: ProseMirrorNode;
  /** after row -> before row. */
  readonly rows: ReadonlyMap<number, number>;
}

/**
 * Pairs the tables edited in place: a before table and an after table whose in-place paragraphs link only each
 * other, with the same columns, no merged-down cells, and rows that pair one to one, in order, cell for cell.
 */
function pairTables(items: readonly Item[], refused: ReadonlySet<string>): Map<string, TablePair> {
  const links = new Map<string, Set<string>>();
  const link = (from: string, to: string): void => {
    const set = links.get(from) ?? new Set<string>();
    set.add(to);
    links.set(from, set);
  };
  for (const item of items) {
    if (item.kind !== 'both') continue;
    const kb = tableKey(item.before, 'b');
    const ka = tableKey(item.after, 'a');
    if (kb !== null && ka !== null) {
      link(kb, ka);
      link(ka, kb);
    }
  }
  const pairs = new Map<string, TablePair>();
  for (const [kb, targets] of links) {
    if (!kb.startsWith('b') || targets.size !== 1) continue;
    const ka = [...targets][0] as string;
    if ((links.get(ka)?.size ?? 0) !== 1 || refused.has(`${kb}|${ka}`)) continue;
    const rows = new Map<number, number>();
    const backwards = new Map<number, number>();
    let before: ProseMirrorNode | null = null;
    let after: ProseMirrorNode | null = null;
    let ok = true;
    for (const item of items) {
      if (item.kind !== 'both' || tableKey(item.before, 'b') !== kb) continue;
      const b = (item.before as LaidBlock).cell as NonNullable<LaidBlock['cell']>;
      const a = (item.after as LaidBlock).cell as NonNullable<LaidBlock['cell']>;
      before = b.table;
      after = a.table;
      if (b.cell !== a.cell || (rows.get(a.row) ?? b.row) !== b.row || (backwards.get(b.row) ?? a.row) !== a.row) ok = false;
      rows.set(a.row, b.row);
      backwards.set(b.row, a.row);
    }
    if (!ok || before === null || after === null) continue;
    if (tableColumns(before) !== tableColumns(after) || hasRowSpan(before) || hasRowSpan(after)) continue;
    let last = -1;
    for (const [afterRow, beforeRow] of [...rows].sort((x, y) => x[0] - y[0])) {
      if (beforeRow <= last || rowShape(after.child(afterRow)) !== rowShape(before.child(beforeRow))) ok = false;
      last = beforeRow;
    }
    if (ok) pairs.set(`${kb}|${ka}`, { before, after, rows });
  }
  return pairs;
}

/** The items of the comparison, in order: moved paragraphs split into a deletion where they stood and an insertion. */
function baseItems(entries: readonly ComparisonEntry[], before: readonly LaidBlock[], after: readonly LaidBlock[]): Item[] {
  const blockOf = (blocks: readonly LaidBlock[], side: ComparisonSide | undefined): LaidBlock | null => {
    if (side === undefined) return null;
    const block = blocks[side.index];
    if (block === undefined) throw new Error(`docx comparison: no block ${side.index} in the laid-out document`);
    return block;
  };
  const items: Item[] = [];
  const ghosts: Item[] = [];
  for (const entry of entries) {
    const b = blockOf(before, entry.before);
    const a = blockOf(after, entry.after);
    if (b !== null && a !== null) {
      if (entry.moved) {
        items.push({ kind: 'inserted', before: null, after: a, entry });
        ghosts.push({ kind: 'deleted', before: b, after: null, entry });
      } else items.push({ kind: 'both', before: b, after: a, entry });
    } else if (b !== null) items.push({ kind: 'deleted', before: b, after: null, entry });
    else if (a !== null) items.push({ kind: 'inserted', before: null, after: a, entry });
  }
  if (ghosts.length === 0) return items;
  // A moved paragraph's deletion goes where it stood: before the first item of `before` that came after it.
  const beforeIndex = (item: Item): number => item.entry.before?.index ?? -1;
  ghosts.sort((x, y) => beforeIndex(x) - beforeIndex(y));
  const out: Item[] = [];
  let next = 0;
  for (const item of items) {
    if (item.before !== null) {
      while (next < ghosts.length && beforeIndex(ghosts[next] as Item) < beforeIndex(item)) out.push(ghosts[next++] as Item);
    }
    out.push(item);
  }
  while (next < ghosts.length) out.push(ghosts[next++] as Item);
  return out;
}

/** Items with every in-place paragraph split in two when its table is not written as one (or it left or joined a table). */
function expandItems(items: readonly Item[], pairs: ReadonlyMap<string, TablePair>): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    if (item.kind === 'both') {
      const kb = tableKey(item.before, 'b');
      const ka = tableKey(item.after, 'a');
      if ((kb !== null || ka !== null) && !pairs.has(`${kb}|${ka}`)) {
        out.push({ kind: 'deleted', before: item.before, after: null, entry: item.entry });
        out.push({ kind: 'inserted', before: null, after: item.after, entry: item.entry });
        continue;
      }
    }
    out.push(item);
  }
  return out;
}

/** Whether a group is a pair of tables written as one (its id joins the two tables' keys). */
function isPair(group: string): boolean {
  return group.includes('|');
}

/** The group (table as written) an item belongs to, or null for a body paragraph. */
function groupOf(item: Item, pairOf: ReadonlyMap<string, string>): string | null {
  const key = tableKey(item.before, 'b') ?? tableKey(item.after, 'a');
  return key === null ? null : (pairOf.get(key) ?? key);
}

/**
 * Lays the items out as body units. A table is written where its first item stands; items met while a table is
 * still open are written after it, which is allowed only when that keeps both versions in order. Returns the
 * units, or the pair that could not be kept together.
 */
function layoutUnits(items: readonly Item[], pairOf: ReadonlyMap<string, string>): { units: Unit[]; members: Map<string, Item[]> } | { refuse: string } {
  const members = new Map<string, Item[]>();
  const last = new Map<string, number>();
  const lastBefore = new Map<string, number>();
  const lastAfter = new Map<string, number>();
  items.forEach((item, index) => {
    const group = groupOf(item, pairOf);
    if (group === null) return;
    (members.get(group) ?? members.set(group, []).get(group) as Item[]).push(item);
    last.set(group, index);
    if (item.before !== null) lastBefore.set(group, index);
    if (item.after !== null) lastAfter.set(group, index);
  });
  const units: Unit[] = [];
  const started = new Set<string>();
  let open: string | null = null;
  let pending: Unit[] = [];
  let pendingGroups: string[] = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as Item;
    const group = groupOf(item, pairOf);
    if (open !== null && group !== open) {
      // Written after the open table: fine unless the table still has items of a version this item is in.
      const late = (item.before !== null && (lastBefore.get(open) ?? -1) > index) || (item.after !== null && (lastAfter.get(open) ?? -1) > index);
      if (late) {
        // Only a pair can be given up (and written as two whole tables); a lone table never straddles its own version.
        const culprit = isPair(open) ? open : group !== null && isPair(group) ? group : null;
        if (culprit !== null) return { refuse: culprit };
      }
      if (group === null) pending.push({ kind: 'paragraph', item });
      else if (!started.has(group)) {
        started.add(group);
        pending.push({ kind: 'table', group });
        pendingGroups.push(group);
      }
      continue;
    }
    if (group === null) {
      units.push({ kind: 'paragraph', item });
      continue;
    }
    if (!started.has(group)) {
      started.add(group);
      units.push({ kind: 'table', group });
    }
    open = (last.get(group) as number) > index ? group : null;
    if (open === null) {
      units.push(...pending);
      const unfinished = pendingGroups.filter((other) => (last.get(other) as number) > index);
      pending = [];
      pendingGroups = [];
      if (unfinished.length > 1) {
        const merged = unfinished.find(isPair);
        if (merged !== undefined) return { refuse: merged };
      }
      open = unfinished[0] ?? null;
    }
  }
  units.push(...pending);
  return { units, members };
}

/**
 * Writes comparison paragraphs with their tracked paragraph marks. `ownMarks`: every item keeps its own mark (the
 * body); otherwise the container's last paragraph must stay untracked (a table cell), so the last paragraph of
 * each version takes that final mark and an item whose mark belongs to neither version runs on into the next.
 */
class ComparisonWriter {
  readonly word: WordWriter;
  readonly #progress: Progress;
  /** The pids of `after`'s textblocks. */
  readonly #afterPids: ReadonlySet<string>;

  constructor(word: WordWriter, progress: Progress, afterPids: ReadonlySet<string>) {
    this.word = word;
    this.#progress = progress;
    this.#afterPids = afterPids;
  }

  /**
   * The pid an item's paragraph is bookmarked with: its pid in `after`, where the text now stands. A paragraph only
   * in `before` keeps its pid unless `after` has it elsewhere (a moved paragraph, or one that left a table): the
   * bookmark then goes on the copy in `after` and the deleted copy carries none.
   */
  #pid(item: Item): string | null {
    if (item.after !== null) return pidOf(item.after.node);
    const pid = item.before === null ? null : pidOf(item.before.node);
    return pid !== null && this.#afterPids.has(pid) ? null : pid;
  }

  /** The paragraph properties of an item: its role in the version it shows, a tracked style change if it changed. */
  #properties(item: Item): ParagraphOptions {
    const role = (item.after ?? item.before as LaidBlock).role;
    const properties = roleProperties(role, 'typed');
    if (item.kind !== 'both' || sameRole((item.before as LaidBlock).role, role)) return properties;
    const former = roleProperties((item.before as LaidBlock).role, 'typed');
    return {
      ...properties,
      former: { change: this.word.change(), ...(former.style ? { style: former.style } : {}), ...(former.indent ? { indent: former.indent } : {}) },
    };
  }

  /** The runs of an item. */
  #children(item: Item): Xml[] {
    const header = (item.after ?? item.before)?.cell?.header ?? false;
    return this.word.runs(itemPieces(item), { changes: 'tracked', ...(header ? { base: { bold: true } } : {}) });
  }

  /** Paragraphs for a run of items in one container; `first` is added to the first paragraph's properties. */
  paragraphs(items: readonly Item[], ownMarks: boolean, first: ParagraphOptions = {}): Xml[] {
    const out: Xml[] = [];
    let lastBefore = -1;
    let lastAfter = -1;
    items.forEach((item, index) => {
      if (item.before !== null) lastBefore = index;
      if (item.after !== null) lastAfter = index;
    });
    let carried: Xml[] = [];
    items.forEach((item, index) => {
      const children = [...carried, ...this.#children(item)];
      carried = [];
      this.#progress.step();
      const final = index === items.length - 1;
      let inBefore = item.before !== null;
      let inAfter = item.after !== null;
      if (!ownMarks) {
        inBefore = final || (inBefore && index !== lastBefore);
        inAfter = final || (inAfter && index !== lastAfter);
      }
      if (!inBefore && !inAfter) {
        carried = children;
        return;
      }
      const mark: Op = inBefore && inAfter ? 'equal' : inBefore ? 'delete' : 'insert';
      // The mark's change is numbered before a style change's (the ids follow the order they are made in).
      const tracked: ParagraphOptions = mark === 'equal' ? {} : { mark: { kind: mark, change: this.word.change() } };
      // A paragraph that carries items run on from before it is bookmarked with its own item's pid only.
      out.push(this.word.paragraph({ ...this.#properties(item), ...(out.length === 0 ? first : {}), ...tracked, pid: this.#pid(item) }, children));
    });
    if (carried.length > 0) out.push(this.word.paragraph({ style: STYLE.tableText }, carried));
    return out;
  }

  /** One cell of a written table. */
  cell(items: readonly Item[], source: ProseMirrorNode): TableCellSpec {
    const paragraphs = this.paragraphs(items, false);
    return {
      paragraphs: paragraphs.length > 0 ? paragraphs : [this.word.paragraph({ style: STYLE.tableText }, [])],
      columnSpan: span(source.attrs['colspan']),
      rowSpan: span(source.attrs['rowspan']),
      margins: CELL_MARGINS,
    };
  }

  /** A row whose cells hold `items`, tracked as inserted or deleted when `op` says so. */
  row(source: ProseMirrorNode, items: readonly Item[], place: (item: Item) => { row: number; cell: number } | null, rowIndex: number, op: Op): TableRowSpec {
    const cells: TableCellSpec[] = [];
    source.forEach((cell, _offset, cellIndex) => {
      const mine = items.filter((item) => {
        const at = place(item);
        return at !== null && at.row === rowIndex && at.cell === cellIndex;
      });
      cells.push(this.cell(mine, cell));
    });
    return op === 'equal' ? { cells } : { cells, change: { kind: op, change: this.word.change() } };
  }

  /** A table written whole: every row inserted (`after`'s table) or deleted (`before`'s). */
  wholeTable(items: readonly Item[], table: ProseMirrorNode, side: 'before' | 'after'): Xml {
    const op: Op = side === 'after' ? 'insert' : 'delete';
    const rows: TableRowSpec[] = [];
    const place = (item: Item) => item[side]?.cell ?? null;
    table.forEach((row, _offset, index) => rows.push(this.row(row, items, place, index, op)));
    return tableOf(rows, table);
  }

  /** A table edited in place: paired rows with their changes, unpaired rows tracked as inserted or deleted. */
  pairedTable(items: readonly Item[], pair: TablePair): Xml {
    const rows: TableRowSpec[] = [];
    const pairedBefore = new Set(pair.rows.values());
    const afterPlace = (item: Item) => item.after?.cell ?? null;
    const beforePlace = (item: Item) => item.before?.cell ?? null;
    let nextBefore = 0;
    const deleteUpTo = (limit: number): void => {
      for (; nextBefore < limit; nextBefore += 1) {
        if (!pairedBefore.has(nextBefore)) rows.push(this.row(pair.before.child(nextBefore), items.filter((item) => item.after === null), beforePlace, nextBefore, 'delete'));
      }
    };
    const pairedAfter = [...pair.rows.keys()].sort((x, y) => x - y);
    pair.after.forEach((row, _offset, afterRow) => {
      const beforeRow = pair.rows.get(afterRow);
      if (beforeRow === undefined) {
        // Rows removed here go first, as a word diff puts deletions before insertions.
        const next = pairedAfter.find((other) => other > afterRow);
        deleteUpTo(next === undefined ? pair.before.childCount : (pair.rows.get(next) as number));
        rows.push(this.row(row, items.filter((item) => item.before === null), afterPlace, afterRow, 'insert'));
        return;
      }
      deleteUpTo(beforeRow);
      nextBefore = beforeRow + 1;
      // Both versions of this row: an item is in it by its `after` cell, or (deleted) by its `before` cell.
      const place = (item: Item) => {
        if (item.after?.cell) return item.after.cell.row === afterRow ? { row: afterRow, cell: item.after.cell.cell } : null;
        return item.before?.cell && item.before.cell.row === beforeRow ? { row: afterRow, cell: item.before.cell.cell } : null;
      };
      rows.push(this.row(row, items, place, afterRow, 'equal'));
    });
    deleteUpTo(pair.before.childCount);
    return tableOf(rows, pair.after);
  }
}

/** A body table in the house style. */
function tableOf(rows: TableRowSpec[], source: ProseMirrorNode): Xml {
  return tableXml({ rows, width: TABLE_WIDTH, indent: HANG, columnWidths: columnWidths(tableColumns(source)), borders: TABLE_BORDERS });
}

/** Checks that the layout has one block per compared block (the two walks must agree). */
function checkLayout(blocks: readonly LaidBlock[], count: number, which: string): void {
  if (blocks.length !== count) throw new Error(`docx comparison: ${which} has ${count} compared blocks but ${blocks.length} laid out`);
}

/**
 * Real tracked changes (w:ins / w:del with w:author, w:date) from `before` to `after`; paragraphs matched by pid
 * via shared/compare (added/deleted/moved paragraphs as whole-paragraph insertions/deletions).
 */
export async function comparisonDocx(before: ProseMirrorNode, after: ProseMirrorNode, options: ComparisonDocxOptions): Promise<Uint8Array> {
  if (Number.isNaN(new Date(options.date).getTime())) throw new Error(`docx comparison: the date "${options.date}" is not an ISO 8601 date`);
  const author = options.author.trim() || 'Penholder';
  const comparison = compareDocuments(before, after, options.baseline ? { baseline: options.baseline } : {});
  const beforeBlocks = layoutBlocks(before);
  const afterBlocks = layoutBlocks(after);
  checkLayout(beforeBlocks, comparison.entries.filter((entry) => entry.before !== undefined).length, 'before');
  checkLayout(afterBlocks, comparison.entries.filter((entry) => entry.after !== undefined).length, 'after');

  const all = baseItems(comparison.entries, beforeBlocks, afterBlocks);
  const isTitle = (item: Item): boolean => (item.after ?? item.before)?.role.kind === 'title';
  const titleItems = all.filter(isTitle);
  const bodyItems = all.filter((item) => !isTitle(item));

  // Pair the tables edited in place; a pair whose rows cannot be written in order is refused and written whole.
  const refused = new Set<string>();
  let pairs = pairTables(bodyItems, refused);
  let layout: { units: Unit[]; members: Map<string, Item[]> };
  let items: Item[];
  for (;;) {
    items = expandItems(bodyItems, pairs);
    const pairOf = new Map<string, string>();
    for (const key of pairs.keys()) {
      const [kb, ka] = key.split('|') as [string, string];
      pairOf.set(kb, key);
      pairOf.set(ka, key);
    }
    const result = layoutUnits(items, pairOf);
    if ('units' in result) {
      layout = result;
      break;
    }
    refused.add(result.refuse);
    pairs = pairTables(bodyItems, refused);
  }

  const progress = new Progress(titleItems.length + items.length + 1, options.onProgress);
  const word = new WordWriter({ author, date: options.date });
  const afterPids = new Set<string>();
  for (const block of afterBlocks) {
    const pid = pidOf(block.node);
    if (pid !== null) afterPids.add(pid);
  }
  const writer = new ComparisonWriter(word, progress, afterPids);
  const { header: beforeHeader } = documentParts(before);
  const { header: afterHeader, title } = documentParts(after);

  const { summary } = comparison;
  const note =
    `Comparison of ${options.beforeLabel} with ${options.afterLabel}: ${summary.changed} paragraph${summary.changed === 1 ? '' : 's'} changed, ` +
    `${summary.added} added, ${summary.deleted} deleted, ${summary.moved} moved. Changes are tracked (by ${author}): accept them all to obtain ` +
    `${options.afterLabel}, reject them all to obtain ${options.beforeLabel}. A moved paragraph is shown deleted where it stood and inserted where it now stands.`;
  const titleChildren: Xml[] = [...writer.paragraphs(titleItems, true), word.paragraph({ style: STYLE.note }, word.runs(textPieces(note)))];
  const children: Xml[] = headerBlock(comparedHeader(beforeHeader, afterHeader), word, { title: titleChildren, changes: 'tracked' });

  let lastWasPlainParagraph = false;
  let run: Item[] = [];
  let afterTable = false;
  const flush = (): void => {
    if (run.length > 0) children.push(...writer.paragraphs(run, true, afterTable ? AFTER_TABLE : {}));
    run = [];
  };
  for (const unit of layout.units) {
    if (unit.kind === 'paragraph') {
      run.push(unit.item);
      lastWasPlainParagraph = unit.item.kind === 'both';
      continue;
    }
    flush();
    afterTable = false;
    const members = layout.members.get(unit.group) ?? [];
    const pair = pairs.get(unit.group);
    if (pair) children.push(writer.pairedTable(members, pair));
    else {
      const side = unit.group.startsWith('a') ? 'after' : 'before';
      const source = members[0]?.[side]?.cell?.table;
      if (source) children.push(writer.wholeTable(members, source, side));
    }
    lastWasPlainParagraph = false;
    afterTable = true;
  }
  flush();
  // Word ends a body with a paragraph, and a tracked last paragraph needs an untracked one after it.
  if (!lastWasPlainParagraph) children.push(word.paragraph({ style: STYLE.body }, []));

  const bytes = await packDocument({
    title: documentTitle(title, afterHeader, options.title),
    symbol: headerTexts(afterHeader).symbol,
    body: children,
    word,
    trackRevisions: true,
    creator: author,
  });
  progress.finish();
  return bytes;
}
