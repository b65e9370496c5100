/**
 * What kind of paragraph each textblock becomes in Word (its role: numbered paragraph, heading, sub-paragraph,
 * bullet, table text ...), and the paragraph properties of each role. A clean text lets Word number paragraphs,
 * headings and sub-paragraphs itself (real numbering definitions, so Word renumbers as the user edits); the
 * compilation and the comparison type their labels, because those carry bis/ter and deleted paragraphs.
 */
import type { ParagraphOptions, WordWriter } from './runs.ts';
import { bulletIndent, letteredIndent, NUMBERING, STYLE } from './style.ts';
import { run, TAB, text } from './wordml.ts';
import { EMPTY_XML, type Xml } from './xml.ts';

/** The role of a textblock in the printed document. */
export type Role =
  | { readonly kind: 'title' }
  | { readonly kind: 'heading'; readonly level: 1 | 2 }
  | { readonly kind: 'numbered' }
  | { readonly kind: 'body' }
  /** `first`: the item's own paragraph, which carries the label; `instance`: the top-level list, for Word numbering. */
  | { readonly kind: 'lettered'; readonly depth: number; readonly first: boolean; readonly instance: number }
  | { readonly kind: 'bullet'; readonly depth: number; readonly first: boolean }
  | { readonly kind: 'cell' };

/** How labels are written: by Word's numbering, or typed into the text. */
export type Numbering = 'word' | 'typed';

/** The deepest list level Word numbering definitions have (levels 0..8). */
const MAX_LEVEL = 8;

function level(depth: number): number {
  return Math.max(0, Math.min(MAX_LEVEL, depth - 1));
}

/** The paragraph properties of a role (style, Word numbering or indents). */
export function roleProperties(role: Role, numbering: Numbering): ParagraphOptions {
  switch (role.kind) {
    case 'title':
      return { style: STYLE.title };
    case 'heading':
      return {
        style: role.level === 2 ? STYLE.heading2 : STYLE.heading1,
        ...(numbering === 'word' ? { list: { reference: NUMBERING.headings, level: role.level - 1 } } : {}),
      };
    case 'numbered':
      return { style: STYLE.numbered, ...(numbering === 'word' ? { list: { reference: NUMBERING.paragraphs, level: 0 } } : {}) };
    case 'body':
      return { style: STYLE.body };
    case 'lettered': {
      const indent = letteredIndent(role.depth);
      if (!role.first) return { style: STYLE.lettered, indent: { left: indent.left } };
      if (numbering === 'word') {
        return { style: STYLE.lettered, list: { reference: NUMBERING.lettered, level: level(role.depth), instance: role.instance } };
      }
      return { style: STYLE.lettered, indent };
    }
    case 'bullet':
      // Bullets carry no number, so Word's bullets serve every export alike.
      if (!role.first) return { style: STYLE.bullet, indent: { left: bulletIndent(role.depth).left } };
      return { style: STYLE.bullet, list: { reference: NUMBERING.bullets, level: level(role.depth) } };
    case 'cell':
      return { style: STYLE.tableText };
  }
}

/** Whether a role prints a label before its text. */
export function hasLabel(role: Role): boolean {
  return role.kind === 'heading' || role.kind === 'numbered' || (role.kind === 'lettered' && role.first);
}

/** A typed label and the tab that takes the text to the hanging indent. */
export function labelRun(label: string): Xml {
  return label === '' ? EMPTY_XML : run(EMPTY_XML, [text(label), TAB]);
}

/** A paragraph of `role` with its runs, a typed label first when `label` is given. */
export function roleParagraph(
  word: WordWriter,
  role: Role,
  numbering: Numbering,
  content: readonly Xml[],
  label: string | null,
  extra: ParagraphOptions = {},
): Xml {
  return word.paragraph({ ...roleProperties(role, numbering), ...extra }, label === null ? content : [labelRun(label), ...content]);
}
