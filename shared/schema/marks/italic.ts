import type { MarkSpec } from 'prosemirror-model';

/** Italic text (titles of documents, Latin terms such as ad referendum). */
export const italic: MarkSpec = {
  parseDOM: [
    { tag: 'i' },
    { tag: 'em' },
    { style: 'font-style=italic' },
    { style: 'font-style=normal', clearMark: (mark) => mark.type.name === 'italic' },
  ],
  toDOM: () => ['em', 0],
};
