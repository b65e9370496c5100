/**
 * The style sheet of a Word file (word/styles.xml), reduced to what the import uses: which paragraph styles are
 * headings (by outline level, by built-in or localized name, by UN style id) or the title, which carry numbering,
 * and the bold/italic/underline of character styles; `basedOn` chains are followed.
 */
import type { XmlAttrs, XmlSink } from './xml.ts';

/** Bold, italic, underline and the formatting the schema cannot hold; undefined means "inherit". */
export interface RunFormat {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  /** Superscript or subscript. */
  shifted?: boolean;
  highlight?: boolean;
  hidden?: boolean;
}

/** A paragraph's numbering reference (w:numPr). */
export interface NumberingRef {
  numId: string;
  ilvl: number;
}

/** One w:style as written. */
interface RawStyle {
  id: string;
  type: string;
  name: string;
  basedOn: string | null;
  outline: number | null;
  numId: string | null;
  ilvl: number | null;
  run: RunFormat;
}

/** What the import needs to know of a paragraph style. */
export interface ParagraphStyleInfo {
  /** 0-based outline level when the style is a heading, else null. */
  outline: number | null;
  /** Whether it is the document title style. */
  title: boolean;
  /** Numbering the style applies (a style-linked list), or null. */
  numbering: NumberingRef | null;
  /** Whether the style makes its text bold (a title or heading style usually does). */
  bold: boolean;
}

/** Words for "heading" in the names Word and LibreOffice give built-in heading styles in their UI languages. */
const HEADING_NAME =
  /^(?:heading|berschrift|überschrift|titre|título|titulo|titolo|kop|nagłówek|naglowek|заголовок|标题|標題|見出し|제목|rubrik|otsikko|overskrift|başlık|baslik|عنوان|encabezado|nadpis|címsor|cimsor|antraštė)\s*([1-9])$/iu;
/** UN house styles: HCh (chapter), H1 (section), H23 (subsection), H4, H56, with or without the "G" suffix. */
const UN_HEADING: ReadonlyMap<string, number> = new Map([
  ['hch', 0],
  ['h1', 0],
  ['h23', 1],
  ['h4', 2],
  ['h56', 3],
]);
/**
 * Names of the document title style: Word's built-in "Title" (stored in English), localized names LibreOffice may
 * write, and house variants such as "UN Title" or "TitleG".
 */
const TITLE_NAME = /^(?:un\s*)?(?:title|titel|titre|título|titulo|titolo|tytuł|название)(?:_?g)?$/iu;

/** Whether an on/off property (w:b, w:i, w:strike ...) is on: absent val, "true", "1", "on". */
export function onOff(attrs: XmlAttrs): boolean {
  const value = attrs['w:val'];
  return value === undefined || !/^(false|0|off|none)$/i.test(value);
}

/** Reads a run-property element into `format`; returns whether it was one the import knows. */
export function readRunProperty(name: string, attrs: XmlAttrs, format: RunFormat): boolean {
  switch (name) {
    case 'w:b':
      format.bold = onOff(attrs);
      return true;
    case 'w:i':
      format.italic = onOff(attrs);
      return true;
    case 'w:u':
      format.underline = (attrs['w:val'] ?? 'single').toLowerCase() !== 'none';
      return true;
    case 'w:strike':
    case 'w:dstrike':
      format.strike = onOff(attrs);
      return true;
    case 'w:vertAlign':
      format.shifted = attrs['w:val'] === 'superscript' || attrs['w:val'] === 'subscript';
      return true;
    case 'w:highlight':
      format.highlight = (attrs['w:val'] ?? 'none') !== 'none';
      return true;
    case 'w:vanish':
      format.hidden = onOff(attrs);
      return true;
    default:
      return false;
  }
}

function parseLevel(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,2}$/.test(value)) return null;
  return Number(value);
}

/** The styles of a document, resolved on demand along `basedOn` chains (loops and depth are bounded). */
export class StyleSheet {
  readonly #styles = new Map<string, RawStyle>();
  readonly #paragraphs = new Map<string, ParagraphStyleInfo>();
  readonly #characters = new Map<string, RunFormat>();

  /** A sink that reads word/styles.xml into this sheet. */
  sink(): XmlSink {
    let current: RawStyle | null = null;
    // Where inside the style we are: its own pPr/rPr, or somewhere to ignore (table style parts, revisions).
    const path: string[] = [];
    let ignoreDepth = 0;
    return {
      open: (name, attrs) => {
        if (ignoreDepth > 0) {
          ignoreDepth += 1;
          return;
        }
        if (name === 'w:style') {
          current = {
            id: attrs['w:styleId'] ?? '',
            type: attrs['w:type'] ?? 'paragraph',
            name: '',
            basedOn: null,
            outline: null,
            numId: null,
            ilvl: null,
            run: {},
          };
          path.length = 0;
          return;
        }
        if (!current) return;
        const style: RawStyle = current;
        if (name === 'w:tblStylePr' || name === 'w:pPrChange' || name === 'w:rPrChange' || name === 'w:tblPr' || name === 'w:trPr' || name === 'w:tcPr') {
          ignoreDepth = 1;
          return;
        }
        const parent = path[path.length - 1];
        path.push(name);
        if (parent === undefined) {
          if (name === 'w:name') style.name = attrs['w:val'] ?? '';
          else if (name === 'w:basedOn') style.basedOn = attrs['w:val'] ?? null;
        } else if (parent === 'w:pPr') {
          if (name === 'w:outlineLvl') style.outline = parseLevel(attrs['w:val']);
        } else if (parent === 'w:numPr') {
          if (name === 'w:numId') style.numId = attrs['w:val'] ?? null;
          else if (name === 'w:ilvl') style.ilvl = parseLevel(attrs['w:val']);
        } else if (parent === 'w:rPr' && path.length === 2) {
          readRunProperty(name, attrs, style.run);
        }
      },
      close: (name) => {
        if (ignoreDepth > 0) {
          ignoreDepth -= 1;
          return;
        }
        if (name === 'w:style') {
          if (current && current.id !== '' && !this.#styles.has(current.id)) this.#styles.set(current.id, current);
          current = null;
          return;
        }
        if (current) path.pop();
      },
      text: () => {},
    };
  }

  /** The chain of a style and its ancestors (at most 20, loops cut). */
  #chain(id: string): RawStyle[] {
    const chain: RawStyle[] = [];
    const seen = new Set<string>();
    let next: string | null = id;
    while (next !== null && !seen.has(next) && chain.length < 20) {
      seen.add(next);
      const style = this.#styles.get(next);
      if (!style) break;
      chain.push(style);
      next = style.basedOn;
    }
    return chain;
  }

  /** The heading level of a style from its name or id alone (built-in, localized or UN names), or null. */
  static outlineFromName(style: { id: string; name: string }): number | null {
    for (const candidate of [style.name, style.id]) {
      const match = HEADING_NAME.exec(candidate.trim());
      if (match) return Number(match[1]) - 1;
      const un = UN_HEADING.get(candidate.trim().toLowerCase().replace(/_/g, '').replace(/g$/, ''));
      if (un !== undefined) return un;
    }
    return null;
  }

  /** What the import needs of a paragraph style (the default paragraph style when id is null). */
  paragraph(id: string | null): ParagraphStyleInfo {
    const key = id ?? '';
    const cached = this.#paragraphs.get(key);
    if (cached) return cached;
    const chain = id === null ? [] : this.#chain(id);
    let outline: number | null = null;
    let numbering: NumberingRef | null = null;
    let title = false;
    let bold: boolean | undefined;
    for (const style of chain) {
      if (bold === undefined) bold = style.run.bold;
      if (outline === null) outline = style.outline ?? StyleSheet.outlineFromName(style);
      if (numbering === null && style.numId !== null) numbering = { numId: style.numId, ilvl: style.ilvl ?? 0 };
      if (TITLE_NAME.test(style.name.trim()) || TITLE_NAME.test(style.id.trim())) title = true;
    }
    // Outline level 9 is "body text" in Word.
    if (outline !== null && outline > 8) outline = null;
    const info: ParagraphStyleInfo = { outline, title: title && outline === null, numbering, bold: bold ?? false };
    this.#paragraphs.set(key, info);
    return info;
  }

  /** The run formatting a character style sets, nearest style first winning. */
  character(id: string): RunFormat {
    const cached = this.#characters.get(id);
    if (cached) return cached;
    const format: RunFormat = {};
    for (const style of this.#chain(id)) {
      for (const key of Object.keys(style.run) as (keyof RunFormat)[]) if (format[key] === undefined) format[key] = style.run[key];
    }
    this.#characters.set(id, format);
    return format;
  }

  /** The numbering a numbering style (w:type="numbering") points at, for w:numStyleLink. */
  numberingOfStyle(id: string): string | null {
    for (const style of this.#chain(id)) if (style.numId !== null) return style.numId;
    return null;
  }
}
