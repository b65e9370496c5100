/**
 * The UN house style in Word terms: A4 with the margins of the HTML export, Times New Roman 12 pt, hanging
 * paragraph numbers of 1.5 cm, lettered sub-paragraphs and bullets indented as in shared/export/html.ts, and the
 * numbering definitions Word uses to renumber a clean text. Every exporter builds its document through
 * {@link packDocument}, so the three files look alike.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  LevelFormat,
  LevelSuffix,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type FileChild,
  type ILevelsOptions,
  type IParagraphStyleOptions,
  type NumberingDefinition,
} from 'docx';

/** Twips (twentieths of a point) in one centimetre. */
const TWIPS_PER_CM = 566.929;

/** A length in centimetres as whole twips. */
export function cm(value: number): number {
  return Math.round(value * TWIPS_PER_CM);
}

/** A4 in twips. */
export const PAGE = { width: 11906, height: 16838 } as const;

/** The page margins of the HTML export's `@page` rule: 2.5 cm top and bottom, 2.2 cm left and right. */
export const MARGIN = { top: cm(2.5), bottom: cm(2.5), left: cm(2.2), right: cm(2.2), header: cm(1.2), footer: cm(1.2) } as const;

/** The width of the text column. */
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** The hanging indent of paragraph numbers and section letters, and the left edge of body text. */
export const HANG = cm(1.5);

/** How far each level of lettered sub-paragraphs steps in, and the space its label hangs in. */
export const LETTER_STEP = cm(1);

/** Where a bullet's text starts (2.2 cm, as the HTML export), how far the bullet hangs, each nested step. */
export const BULLET = { left: cm(2.2), hanging: cm(0.7), step: cm(1) } as const;

/** Font sizes in half-points, as Word stores them. */
export const SIZE = { body: 24, small: 20, footnote: 20, title: 28, organ: 40, symbol: 32, meta: 20 } as const;

/** The one typeface of the house style. */
export const FONT = 'Times New Roman';

/** Paragraph style ids; Heading1/Heading2 keep Word's own ids so the navigation pane and outline view work. */
export const STYLE = {
  body: 'UNBody',
  numbered: 'UNNumbered',
  heading1: 'Heading1',
  heading2: 'Heading2',
  title: 'UNTitle',
  lettered: 'UNLettered',
  bullet: 'UNBullet',
  tableText: 'UNTableText',
  masthead: 'UNMasthead',
  session: 'UNSession',
  note: 'UNExportNote',
  proposalHead: 'UNProposalHead',
  proposalText: 'UNProposalText',
  proposalMeta: 'UNProposalMeta',
} as const;

/** Numbering references (clean text: Word numbers paragraphs, headings and sub-paragraphs itself). */
export const NUMBERING = {
  paragraphs: 'un-paragraphs',
  headings: 'un-headings',
  lettered: 'un-lettered',
  bullets: 'un-bullets',
} as const;

/** The left indent and hanging of a lettered sub-paragraph at `depth` (1 for (a), 2 for (i) ...). */
export function letteredIndent(depth: number): { left: number; hanging: number } {
  return { left: HANG + depth * LETTER_STEP, hanging: LETTER_STEP };
}

/** The left indent and hanging of a bullet at `depth` (1 for the outer list). */
export function bulletIndent(depth: number): { left: number; hanging: number } {
  return { left: BULLET.left + (depth - 1) * BULLET.step, hanging: BULLET.hanging };
}

/** The bullet characters by nesting depth: UN texts use a bullet, then a dash. */
const BULLET_CHARS = ['\u2022', '\u2013', '\u2022', '\u2013', '\u2022', '\u2013', '\u2022', '\u2013', '\u2022'];

/** Word numbering definitions: paragraphs "1.", headings "A." / "1.", sub-paragraphs "(a)" / "(i)", bullets. */
export function numberingDefinitions(): NumberingDefinition[] {
  const levels = (make: (level: number) => ILevelsOptions): ILevelsOptions[] => Array.from({ length: 9 }, (_, level) => make(level));
  return [
    {
      reference: NUMBERING.paragraphs,
      levels: [
        {
          level: 0,
          format: LevelFormat.DECIMAL,
          text: '%1.',
          alignment: AlignmentType.LEFT,
          suffix: LevelSuffix.TAB,
          style: { paragraph: { indent: { left: HANG, hanging: HANG } } },
        },
      ],
    },
    {
      reference: NUMBERING.headings,
      levels: [
        {
          level: 0,
          format: LevelFormat.UPPER_LETTER,
          text: '%1.',
          alignment: AlignmentType.LEFT,
          suffix: LevelSuffix.TAB,
          style: { paragraph: { indent: { left: HANG, hanging: HANG } } },
        },
        {
          level: 1,
          format: LevelFormat.DECIMAL,
          text: '%2.',
          alignment: AlignmentType.LEFT,
          suffix: LevelSuffix.TAB,
          style: { paragraph: { indent: { left: HANG, hanging: HANG } } },
        },
      ],
    },
    {
      reference: NUMBERING.lettered,
      // Level 0 is (a), (b) ... (z), (aa): Word's lowerLetter doubles after z exactly as UN resolutions do.
      levels: levels((level) => ({
        level,
        format: level === 0 ? LevelFormat.LOWER_LETTER : LevelFormat.LOWER_ROMAN,
        text: `(%${level + 1})`,
        alignment: AlignmentType.LEFT,
        suffix: LevelSuffix.TAB,
        style: { paragraph: { indent: letteredIndent(level + 1) } },
      })),
    },
    {
      reference: NUMBERING.bullets,
      levels: levels((level) => ({
        level,
        format: LevelFormat.BULLET,
        text: BULLET_CHARS[level] as string,
        alignment: AlignmentType.LEFT,
        suffix: LevelSuffix.TAB,
        style: { paragraph: { indent: bulletIndent(level + 1) }, run: { font: FONT } },
      })),
    },
  ];
}

/** Spacing after a paragraph of body text (6 pt) and single line spacing. */
const BODY_SPACING = { after: 120, line: 240 } as const;

/** The paragraph styles of the house style. */
function paragraphStyles(): IParagraphStyleOptions[] {
  const based = { basedOn: 'Normal', next: STYLE.body, quickFormat: true } as const;
  return [
    {
      id: STYLE.body,
      name: 'UN Body Text',
      ...based,
      paragraph: { indent: { left: HANG }, spacing: BODY_SPACING, alignment: AlignmentType.JUSTIFIED },
    },
    {
      id: STYLE.numbered,
      name: 'UN Numbered Paragraph',
      ...based,
      next: STYLE.numbered,
      paragraph: { indent: { left: HANG, hanging: HANG }, spacing: BODY_SPACING, alignment: AlignmentType.JUSTIFIED },
    },
    {
      id: STYLE.heading1,
      name: 'heading 1',
      ...based,
      run: { bold: true, size: SIZE.body, color: '000000' },
      paragraph: { indent: { left: HANG, hanging: HANG }, spacing: { before: 240, after: 120, line: 240 }, keepNext: true, keepLines: true, outlineLevel: 0 },
    },
    {
      id: STYLE.heading2,
      name: 'heading 2',
      ...based,
      run: { bold: true, size: SIZE.body, color: '000000' },
      paragraph: { indent: { left: HANG, hanging: HANG }, spacing: { before: 200, after: 120, line: 240 }, keepNext: true, keepLines: true, outlineLevel: 1 },
    },
    {
      id: STYLE.title,
      name: 'UN Title',
      ...based,
      run: { bold: true, size: SIZE.title },
      paragraph: { indent: { left: HANG }, spacing: { before: 280, after: 240, line: 240 }, keepNext: true },
    },
    {
      id: STYLE.lettered,
      name: 'UN Sub-paragraph',
      ...based,
      next: STYLE.lettered,
      paragraph: { indent: letteredIndent(1), spacing: BODY_SPACING, alignment: AlignmentType.JUSTIFIED },
    },
    {
      id: STYLE.bullet,
      name: 'UN Bullet',
      ...based,
      next: STYLE.bullet,
      paragraph: { indent: bulletIndent(1), spacing: BODY_SPACING, alignment: AlignmentType.JUSTIFIED },
    },
    {
      id: STYLE.tableText,
      name: 'UN Table Text',
      ...based,
      next: STYLE.tableText,
      paragraph: { spacing: { before: 40, after: 40, line: 240 }, alignment: AlignmentType.LEFT },
    },
    {
      id: STYLE.masthead,
      name: 'UN Masthead',
      ...based,
      next: STYLE.masthead,
      run: { size: SIZE.small },
      paragraph: { spacing: { after: 0, line: 240 } },
    },
    {
      id: STYLE.session,
      name: 'UN Session Line',
      ...based,
      next: STYLE.session,
      paragraph: { spacing: { after: 0, line: 240 } },
    },
    {
      id: STYLE.note,
      name: 'UN Export Note',
      ...based,
      run: { italics: true, size: SIZE.small },
      paragraph: { indent: { left: HANG }, spacing: { after: 200, line: 240 } },
    },
    {
      id: STYLE.proposalHead,
      name: 'UN Proposal Heading',
      ...based,
      next: STYLE.proposalText,
      run: { size: SIZE.meta },
      paragraph: {
        indent: { left: HANG + cm(0.5) },
        spacing: { before: 80, after: 40, line: 240 },
        keepNext: true,
        border: { left: { style: BorderStyle.SINGLE, size: 12, color: '7F7F7F', space: 6 } },
      },
    },
    {
      id: STYLE.proposalText,
      name: 'UN Proposal Text',
      ...based,
      next: STYLE.proposalMeta,
      paragraph: {
        indent: { left: HANG + cm(0.5) },
        spacing: { after: 40, line: 240 },
        alignment: AlignmentType.LEFT,
        border: { left: { style: BorderStyle.SINGLE, size: 12, color: '7F7F7F', space: 6 } },
      },
    },
    {
      id: STYLE.proposalMeta,
      name: 'UN Proposal Details',
      ...based,
      next: STYLE.body,
      run: { size: SIZE.meta },
      paragraph: {
        indent: { left: HANG + cm(0.5) },
        spacing: { after: 160, line: 240 },
        alignment: AlignmentType.LEFT,
        border: { left: { style: BorderStyle.SINGLE, size: 12, color: '7F7F7F', space: 6 } },
      },
    },
  ];
}

/** What {@link packDocument} assembles into a .docx. */
export interface DocumentParts {
  /** The document title (core properties). */
  title: string;
  /** The symbol, printed in the running header of every page but the first. */
  symbol: string;
  /** The body: header block, then the text. */
  children: FileChild[];
  /** Footnote id -> its paragraphs. */
  footnotes: Record<string, { children: Paragraph[] }>;
  /** Whether Word should keep tracking changes when the user edits (the comparison). */
  trackRevisions?: boolean;
  /** Who the file says wrote it. */
  creator?: string;
}

/** The running header of the pages after the first: the symbol, right-aligned, as UN documents print it. */
function runningHeader(symbol: string): Header {
  return new Header({
    children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: symbol, size: SIZE.small, bold: true })] })],
  });
}

/** The footer: the page number, centred. */
function pageFooter(): Footer {
  return new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: SIZE.small })] })],
  });
}

/** Builds the Word document of the house style around `parts` and packs it into the bytes of a .docx. */
export async function packDocument(parts: DocumentParts): Promise<Uint8Array> {
  const document = new Document({
    title: parts.title,
    creator: parts.creator ?? 'Penholder',
    lastModifiedBy: parts.creator ?? 'Penholder',
    styles: {
      default: {
        document: {
          run: { font: FONT, size: SIZE.body },
          paragraph: { spacing: { after: 0, line: 240 } },
        },
        hyperlink: { run: { color: '0000EE', underline: {} } },
        // The note's number hangs in the margin of 1.5 cm, as paragraph numbers do in the text.
        footnoteText: { run: { size: SIZE.footnote }, paragraph: { indent: { left: HANG, hanging: HANG }, spacing: { after: 40, line: 240 } } },
      },
      paragraphStyles: paragraphStyles(),
    },
    numbering: { config: numberingDefinitions() },
    footnotes: parts.footnotes,
    features: parts.trackRevisions ? { trackRevisions: true } : {},
    sections: [
      {
        properties: {
          page: { size: { width: PAGE.width, height: PAGE.height }, margin: MARGIN },
          titlePage: true,
        },
        headers: { default: runningHeader(parts.symbol), first: new Header({ children: [] }) },
        footers: { default: pageFooter(), first: pageFooter() },
        children: parts.children,
      },
    ],
  });
  return Packer.pack(document, 'uint8array');
}
