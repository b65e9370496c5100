/**
 * Paragraph numbers, section letters, sub-paragraph labels and footnote numbers shown beside the text:
 * computed by shared/model/analyze.ts, never stored, recomputed only when the block structure changes.
 *
 * Labels of top-level blocks (numbered paragraphs, headings) are not decorations: ProseMirror keeps node
 * decorations of top-level nodes in one flat list that it scans for every child on every update, which is
 * quadratic in a 2,500-block report. They live in a pid -> label map instead, written as data attributes by
 * {@link LabelledBlockView} and refreshed in place after a structural change. Labels inside blocks (lettered
 * sub-paragraphs, footnotes) stay decorations; ProseMirror stores those per block, which is cheap.
 */
import { DOMSerializer, type Node as ProseMirrorNode } from 'prosemirror-model';
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView, type NodeView, type ViewMutationRecord } from 'prosemirror-view';
import { analyzeDocument } from '../../shared/model/analyze.ts';
import { changesBlockStructure } from './structure.ts';

/** What the plugin keeps about the current document's numbering. */
export interface NumberingPluginState {
  /** Labels of lettered sub-paragraphs and footnote numbers. */
  decorations: DecorationSet;
  /** Number of each numbered paragraph and label of each heading, by pid. */
  labels: ReadonlyMap<string, string>;
  /**
   * How each paragraph is cited, by pid: "12", "A." for a heading, "12 (a)" for a sub-paragraph; the negotiation
   * panes name paragraphs with it.
   */
  references: ReadonlyMap<string, string>;
  /** Incremented on each recomputation, so views can tell a structural change from typing. */
  structureVersion: number;
}

/** The key under which the numbering state can be read from an EditorState. */
export const numberingPluginKey = new PluginKey<NumberingPluginState>('penholder-numbering');

/** The node types whose label is a data attribute on their own element, and which attribute. */
export const LABELLED_BLOCKS: Readonly<Record<string, 'data-number' | 'data-label'>> = {
  numbered_paragraph: 'data-number',
  heading: 'data-label',
};

/** A heading's computed label as printed before its text: "A." for sections, "1." for subsections. */
export function headingLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) return '';
  return /[.)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Computes every number and letter of the document; with a `baseline` (pid -> number in the last revision) the
 * paragraphs of that revision keep their numbers and those added since read "7 bis".
 */
export function computeNumbering(doc: ProseMirrorNode, structureVersion = 0, baseline?: ReadonlyMap<string, number>): NumberingPluginState {
  const analysis = analyzeDocument(doc, baseline);
  const labels = new Map<string, string>();
  for (const paragraph of analysis.paragraphs) if (paragraph.pid) labels.set(paragraph.pid, String(paragraph.number));
  for (const heading of analysis.headings) if (heading.pid) labels.set(heading.pid, headingLabel(heading.label));
  const references = new Map(labels);
  for (const sub of analysis.subparagraphs) {
    if (!sub.pid) continue;
    const owner = sub.ownerPid ? labels.get(sub.ownerPid) : undefined;
    references.set(sub.pid, owner ? `${owner} ${sub.label}` : sub.label);
  }
  const decorations: Decoration[] = [];
  const mark = (pos: number, attrs: Record<string, string>) => {
    const node = doc.nodeAt(pos);
    if (node) decorations.push(Decoration.node(pos, pos + node.nodeSize, attrs));
  };
  for (const sub of analysis.subparagraphs) mark(sub.pos, { 'data-label': sub.label });
  // Not data-number: that attribute means a paragraph number, and selectors like [data-number="2"] must find only those.
  for (const footnote of analysis.footnotes) mark(footnote.pos, { 'data-footnote': String(footnote.number) });
  return { decorations: DecorationSet.create(doc, decorations), labels, references, structureVersion };
}

/** The label a block shows, from the current numbering. */
export function labelFor(state: EditorState, node: ProseMirrorNode): string | null {
  const pid = node.attrs.pid;
  if (typeof pid !== 'string' || !pid) return null;
  return numberingPluginKey.getState(state)?.labels.get(pid) ?? null;
}

function setAttr(dom: HTMLElement, name: string, value: string | null): void {
  if (value === null) {
    if (dom.hasAttribute(name)) dom.removeAttribute(name);
  } else if (dom.getAttribute(name) !== value) {
    dom.setAttribute(name, value);
  }
}

/**
 * The element of a numbered paragraph or heading, rendered by the schema's toDOM, carrying its computed label
 * as a data attribute (`data-number="12"`, `data-label="A."`) that the stylesheet hangs in the margin.
 */
export class LabelledBlockView implements NodeView {
  dom: HTMLElement;
  contentDOM: HTMLElement;
  #node: ProseMirrorNode;
  readonly #view: EditorView;
  readonly #attribute: 'data-number' | 'data-label';

  constructor(node: ProseMirrorNode, view: EditorView) {
    const toDOM = node.type.spec.toDOM;
    if (!toDOM) throw new Error(`${node.type.name} has no toDOM`);
    const rendered = DOMSerializer.renderSpec(document, toDOM(node));
    if (!(rendered.dom instanceof HTMLElement) || !rendered.contentDOM) throw new Error(`${node.type.name} must render one element with a hole`);
    this.dom = rendered.dom;
    this.contentDOM = rendered.contentDOM;
    this.#node = node;
    this.#view = view;
    this.#attribute = LABELLED_BLOCKS[node.type.name] ?? 'data-label';
    setAttr(this.dom, this.#attribute, labelFor(view.state, node));
  }

  /** Same kind of block: keep the element, refresh pid and label; a heading changing level needs a new tag. */
  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.#node.type || node.attrs.level !== this.#node.attrs.level) return false;
    if (node.attrs.pid !== this.#node.attrs.pid) setAttr(this.dom, 'data-pid', typeof node.attrs.pid === 'string' ? node.attrs.pid : null);
    this.#node = node;
    setAttr(this.dom, this.#attribute, labelFor(this.#view.state, node));
    return true;
  }

  /** Label, pid and selection class changes on the element are ours, not content to read back. */
  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type === 'attributes' && mutation.target === this.dom;
  }
}

/** Writes the labels onto every labelled block element, after a structural change renumbered them. */
function refreshLabels(view: EditorView): void {
  const labels = numberingPluginKey.getState(view.state)?.labels;
  if (!labels) return;
  const selector = Object.keys(LABELLED_BLOCKS)
    .map((name) => `[data-pid].${name === 'heading' ? 'ph-heading' : 'ph-numbered'}`)
    .join(',');
  for (const element of view.dom.querySelectorAll<HTMLElement>(selector)) {
    const attribute = element.classList.contains('ph-heading') ? 'data-label' : 'data-number';
    setAttr(element, attribute, labels.get(element.getAttribute('data-pid') ?? '') ?? null);
  }
}

/** Options of {@link numberingPlugin}. */
export interface NumberingOptions {
  /** The numbering in force (the last revision's pid -> number), read afresh at each recomputation. */
  baseline?: () => ReadonlyMap<string, number> | undefined;
}

/** Transaction meta that makes the plugin renumber without a change of the text (a revision was cut). */
const RENUMBER = 'penholder-renumber';

/** Renumbers the text now: the numbering in force changed (a revision was cut or arrived from the chair's doc). */
export function renumber(view: EditorView): void {
  view.dispatch(view.state.tr.setMeta(RENUMBER, true).setMeta('addToHistory', false));
}

/** The plugin that shows computed numbering; typing inside a paragraph only maps the existing decorations. */
export function numberingPlugin(options: NumberingOptions = {}): Plugin<NumberingPluginState> {
  const baseline = () => options.baseline?.();
  return new Plugin<NumberingPluginState>({
    key: numberingPluginKey,
    state: {
      init: (_config, state) => computeNumbering(state.doc, 0, baseline()),
      apply: (tr, value, _oldState, newState) => {
        if (tr.getMeta(RENUMBER) === true) return computeNumbering(newState.doc, value.structureVersion + 1, baseline());
        if (!tr.docChanged) return value;
        if (changesBlockStructure(tr)) return computeNumbering(newState.doc, value.structureVersion + 1, baseline());
        return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
      },
    },
    props: {
      decorations: (state) => numberingPluginKey.getState(state)?.decorations ?? DecorationSet.empty,
      nodeViews: {
        numbered_paragraph: (node, view) => new LabelledBlockView(node, view),
        heading: (node, view) => new LabelledBlockView(node, view),
      },
    },
    view: () => ({
      update: (view, previous) => {
        const before = numberingPluginKey.getState(previous)?.structureVersion;
        if (numberingPluginKey.getState(view.state)?.structureVersion !== before) refreshLabels(view);
      },
    }),
  });
}
