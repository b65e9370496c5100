import type { NodeSpec } from 'prosemirror-model';

/** The document: the header block (symbol, session lines, title) followed by the body. */
export const doc: NodeSpec = {
  content: 'header block+',
};
