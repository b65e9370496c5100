/**
 * What kind of paragraph each textblock becomes in Word (its role: numbered paragraph, heading, sub-paragraph,
 * bullet, table text ...), and the paragraph properties of each role. A clean text lets Word number paragraphs,
 * headings and sub-paragraphs itself (real numbering definitions, so Word renumbers as the user edits); the
 * compilation and the comparison type their labels, because those carry bis/ter and deleted paragraphs.
 */
import { Paragraph, Tab, TextRun, type IParagraphOptions, type ParagraphChild } from 'docx';
import { bulletIndent, letteredIndent, NUMBERING, STYLE } from './style.ts';

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
export function roleProperties(role: Role, numbering: Numbering): IParagraphOptions {
  switch (role.kind) {
    case 'title':
      return { style: STYLE.title };
    case 'heading':
      return {
        style: role.level === 2 ? STYLE.heading2 : STYLE.heading1,
        ...(numbering === 'word' ? { numbering: { reference: NUMBERING.headings, level: role.level - 1, custom: true } } : {}),
      };
    case 'numbered':
      return { style: STYLE.numbered, ...(numbering === 'word' ? { numbering: { reference: NUMBERING.paragraphs, level: 0, custom: true } } : {}) };
    case 'body':
      return { style: STYLE.body };
    case 'lettered': {
      const indent = letteredIndent(role.depth);
      if (!role.first) return { style: STYLE.lettered, indent: { left: indent.left } };
      if (numbering === 'word') {
        return { style: STYLE.lettered, numbering: { reference: NUMBERING.lettered, level: level(role.depth), instance: role.instance, custom: true } };
      }
      return { style: STYLE.lettered, indent };
    }
    case 'bullet':
      // Bullets carry no number, so Word's bullets serve every export alike.
      if (!role.first) return { style: STYLE.bullet, indent: { left: bulletIndent(role.depth).left } };
      return { style: STYLE.bullet, numbering: { reference: NUMBERING.bullets, level: level(role.depth), custom: true } };
    case 'cell':
      return { style: STYLE.tableText };
  }
}

/** Whether a role prints a label before its text. */
export function hasLabel(role: Role): boolean {
  return role.kind === 'heading' || role.kind === 'numbered' || (role.kind === 'lettered' && role.first);
}

/** A typed label and the tab that takes the text to the hanging indent. */
export function labelRuns(label: string): ParagraphChild[] {
  return label === '' ? [] : [new TextRun({ children: [label, new Tab()] })];
}

/** A paragraph of `role` with its children, a typed label first when `label` is given. */
export function roleParagraph(role: Role, numbering: Numbering, children: ParagraphChild[], label: string | null, extra: IParagraphOptions = {}): Paragraph {
  return new Paragraph({
    ...roleProperties(role, numbering),
    ...extra,
    children: label === null ? children : [...labelRuns(label), ...children],
  });
}
