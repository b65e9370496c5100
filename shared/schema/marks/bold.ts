import type { MarkSpec } from 'prosemirror-model';
import { inlineStyle, fromElement } from '../dom.ts';

/** Whether a CSS font-weight value is bold (Google Docs writes 700, Word "bold"). */
function isBoldWeight(value: string): boolean {
  return /^(bold|bolder)$/.test(value) || (/^\d+$/.test(value) && Number(value) >= 600);
}

/** Bold text. */
export const bold: MarkSpec = {
  parseDOM: [
    { tag: 'strong' },
    {
      tag: 'b',
      // Google Docs wraps a whole paste in <b style="font-weight:normal">: that is not bold.
      getAttrs: fromElement((dom) => {
        const weight = inlineStyle(dom, 'font-weight');
        return weight !== null && !isBoldWeight(weight) ? false : null;
      }),
    },
    { style: 'font-weight', getAttrs: (value: string) => (isBoldWeight(value.trim().toLowerCase()) ? null : false) },
    { style: 'font-weight=normal', clearMark: (mark) => mark.type.name === 'bold' },
    { style: 'font-weight=400', clearMark: (mark) => mark.type.name === 'bold' },
  ],
  toDOM: () => ['strong', 0],
};
