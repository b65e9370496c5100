import type { MarkSpec } from 'prosemirror-model';

/** Whether a text-decoration value includes an underline ("underline", "underline solid"). */
function hasUnderline(value: string): null | false {
  return /\bunderline\b/i.test(value) ? null : false;
}

/** Underlined text. */
export const underline: MarkSpec = {
  parseDOM: [
    { tag: 'u' },
    { style: 'text-decoration', getAttrs: hasUnderline },
    { style: 'text-decoration-line', getAttrs: hasUnderline },
  ],
  toDOM: () => ['u', 0],
};
