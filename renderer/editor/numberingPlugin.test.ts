import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Decoration } from 'prosemirror-view';
import { schema } from '../../shared/schema/index.ts';
import { pidPlugin } from '../../shared/model/pids.ts';
import { numberingPlugin, numberingPluginKey } from './numberingPlugin.ts';
import { splitParagraph } from './commands.ts';
import { doc, fn, h, letters, np, p, posOf } from './testDocs.ts';

function create() {
  const root = doc(h(1, 'h1', 'Introduction'), np('a', 'Alpha', fn('note one')), np('b', 'Beta'), letters(p('la', 'first'), p('lb', 'second')), h(1, 'h2', 'Next'), h(2, 'h3', 'Sub'), np('c', 'Gamma'));
  return EditorState.create({ schema, doc: root, plugins: [pidPlugin(), numberingPlugin()] });
}

/** Every label, from the pid map and the decorations, keyed by the text of the node it belongs to. */
function labels(state: EditorState): Record<string, string> {
  const { decorations: set, labels: byPid } = numberingPluginKey.getState(state)!;
  const out: Record<string, string> = {};
  state.doc.descendants((node) => {
    const label = byPid.get(String(node.attrs.pid));
    if (label !== undefined) out[node.textContent] = label;
  });
  for (const deco of set.find() as (Decoration & { type: { attrs: Record<string, string> } })[]) {
    const node = state.doc.nodeAt(deco.from)!;
    const attrs = deco.type.attrs;
    out[node.textContent] = attrs['data-footnote'] ?? attrs['data-label'] ?? '';
  }
  return out;
}

describe('numberingPlugin', () => {
  it('labels paragraphs, headings, sub-paragraphs and footnotes', () => {
    expect(labels(create())).toEqual({
      Introduction: 'A.',
      'Alphanote one': '1',
      'note one': '1',
      Beta: '2',
      first: '(a)',
      second: '(b)',
      Next: 'B.',
      Sub: '1.',
      Gamma: '3',
    });
  });

  it('keeps top-level labels out of the decorations, which ProseMirror would scan for every block', () => {
    const state = create();
    const decorated = numberingPluginKey.getState(state)!.decorations.find().map((d) => state.doc.nodeAt(d.from)!.type.name);
    expect(decorated.sort()).toEqual(['footnote', 'paragraph', 'paragraph']);
  });

  it('maps the decorations while typing inside a paragraph, without recomputing', () => {
    let state = create();
    const version = numberingPluginKey.getState(state)!.structureVersion;
    state = state.apply(state.tr.insertText('Very ', posOf(state.doc, 'Beta')));
    expect(numberingPluginKey.getState(state)!.structureVersion).toBe(version);
    expect(labels(state)['Very Beta']).toBe('2');
    expect(labels(state).Gamma).toBe('3');
  });

  it('rebuilds when Enter adds a paragraph, so the numbers after it follow', () => {
    let state = create();
    const version = numberingPluginKey.getState(state)!.structureVersion;
    const endOfBeta = posOf(state.doc, 'Beta') + 4;
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, endOfBeta)));
    splitParagraph(state, (tr) => (state = state.apply(tr.insertText('Inserted'))));
    // The split and the pid plugin's fresh pid for the new paragraph each count as a structural change.
    expect(numberingPluginKey.getState(state)!.structureVersion).toBeGreaterThan(version);
    expect(labels(state)).toMatchObject({ Beta: '2', Inserted: '3', Gamma: '4' });
  });
});
