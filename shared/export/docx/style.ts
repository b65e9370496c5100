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
  type ILevelsOptions,
  type IParagraphStyleOptions,
  type NumberingDefinition,
} from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { WordWriter } from './runs.ts';
import { concat, xmlCharacters, type Xml } from './xml.ts';

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
  /** The body: header block, then the text (paragraphs and tables). */
  body: readonly Xml[];
  /** The writer of the body: its footnotes, links and lists go into the package too. */
  word: WordWriter;
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

/** The relationship type of an external hyperlink. */
const HYPERLINK = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';

/**
 * How hard the parts are compressed: zip's usual level. On the 100-page compilation (6 MB of XML) levels 1 and 3
 * save 10-20 ms of about 80 for a file a fifth to a half larger, so the smaller file wins.
 */
const ZIP_LEVEL = 6;

/** `xml` with `insert` put just before `marker`, which must be there exactly once (else the library changed). */
function spliced(xml: string, marker: string, insert: Xml, part: string): string {
  const at = xml.indexOf(marker);
  if (at < 0 || xml.indexOf(marker, at + 1) >= 0) throw new Error(`docx export: ${part} is not laid out as expected (${marker})`);
  return xml.slice(0, at) + insert + xml.slice(at);
}

/**
 * Builds the Word document of the house style around `parts` and packs it into the bytes of a .docx. The `docx`
 * library writes the package (styles, numbering, settings, headers and footers, properties, relationships) around
 * an empty body; the body and the footnotes, which ./wordml.ts wrote, then go into word/document.xml before its
 * section properties and into word/footnotes.xml after its separators.
 */
export async function packDocument(parts: DocumentParts): Promise<Uint8Array> {
  const { word } = parts;
  // The library escapes what it writes but keeps characters XML cannot carry (a lone surrogate, U+FFFF), which
  // would make Word refuse the file: they are dropped from what it is given to write.
  const creator = xmlCharacters(parts.creator ?? 'Penholder');
  const document = new Document({
    title: xmlCharacters(parts.title),
    creator,
    lastModifiedBy: creator,
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
    features: parts.trackRevisions ? { trackRevisions: true } : {},
    sections: [
      {
        properties: {
          page: { size: { width: PAGE.width, height: PAGE.height }, margin: MARGIN },
          titlePage: true,
        },
        headers: { default: runningHeader(xmlCharacters(parts.symbol)), first: new Header({ children: [] }) },
        footers: { default: pageFooter(), first: pageFooter() },
        children: [],
      },
    ],
  });
  // The lists the body's paragraphs cite, made in the order they were first used, which gives them the ids the
  // body already cites; checked, so a change in how the library numbers lists cannot go unnoticed.
  for (const list of word.lists) document.Numbering.createConcreteNumberingInstance(list.reference, list.instance);
  for (const list of word.lists) {
    const made = document.Numbering.ConcreteNumbering.find((one) => one.reference === list.reference && one.instance === list.instance);
    if (made?.numId !== list.numId) throw new Error(`docx export: the list ${list.reference} ${list.instance} did not get the id ${list.numId}`);
  }
  for (const link of word.links) {
    const relationships = link.part === 'document' ? document.Document.Relationships : document.FootNotes.Relationships;
    relationships.addRelationship(link.name, HYPERLINK, link.target, 'External');
  }
  const files: Zippable = unzipSync(await Packer.pack(document, 'uint8array'));
  const documentXml = files['word/document.xml'];
  const footnotesXml = files['word/footnotes.xml'];
  if (!(documentXml instanceof Uint8Array) || !(footnotesXml instanceof Uint8Array)) throw new Error('docx export: the package has no document or footnotes part');
  files['word/document.xml'] = strToU8(spliced(strFromU8(documentXml), '<w:sectPr', concat(parts.body), 'word/document.xml'));
  files['word/footnotes.xml'] = strToU8(spliced(strFromU8(footnotesXml), '</w:footnotes>', concat(word.footnotes), 'word/footnotes.xml'));
  return zipSync(files, { level: ZIP_LEVEL });
}
