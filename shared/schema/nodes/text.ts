import type { NodeSpec } from 'prosemirror-model';

/** Text, carrying marks. */
export const text: NodeSpec = {
  group: 'inline',
};
