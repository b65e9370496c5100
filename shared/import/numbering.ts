/**
 * Word's list definitions (word/numbering.xml): a paragraph's w:numPr names a w:num, which points at a
 * w:abstractNum whose levels say how it is numbered. The import needs each level's kind (numbered, lettered,
 * bullet) and the counters Word would show, to number paragraphs as the delegation saw them.
 */
import { romanNumeral } from '../model/numbering.ts';
import type { StyleSheet } from './styles.ts';
import type { XmlSink } from './xml.ts';

/** How a list level reads: numbered paragraphs (1.), lettered sub-paragraphs ((a), (i)), bullets, or nothing. */
export type ListKind = 'numbered' | 'lettered' | 'bullet' | 'none';

/** One level of a list definition. */
export interface ListLevel {
  /** The w:numFmt value ("decimal", "lowerLetter", "bullet" ...). */
  format: string;
  kind: ListKind;
  start: number;
}

interface AbstractNum {
  levels: Map<number, ListLevel>;
  /** w:numStyleLink: the definition lives in the numbering style of that id. */
  styleLink: string | null;
}

interface NumInstance {
  abstractId: string;
  starts: Map<number, number>;
  levels: Map<number, ListLevel>;
}

const LETTERED_FORMATS = new Set(['lowerLetter', 'upperLetter', 'lowerRoman', 'upperRoman']);

/** The kind of a w:numFmt value. */
export function listKindOf(format: string): ListKind {
  if (format === 'bullet') return 'bullet';
  if (format === 'none') return 'none';
  return LETTERED_FORMATS.has(format) ? 'lettered' : 'numbered';
}

/** The label Word prints for counter value `value` in `format` ("3", "c", "iii"), without punctuation. */
export function counterLabel(format: string, value: number): string {
  if (value < 1) return String(value);
  switch (format) {
    case 'lowerLetter':
    case 'upperLetter': {
      // Word repeats the letter past z: aa, bb ...
      const letter = String.fromCharCode(97 + ((value - 1) % 26)).repeat(Math.floor((value - 1) / 26) + 1);
      return format === 'upperLetter' ? letter.toUpperCase() : letter;
    }
    case 'lowerRoman':
      return romanNumeral(value);
    case 'upperRoman':
      return romanNumeral(value).toUpperCase();
    default:
      return String(value);
  }
}

function parseInt10(value: string | undefined, fallback: number): number {
  return value !== undefined && /^-?\d{1,6}$/.test(value) ? Number(value) : fallback;
}

/** The list definitions of a document. */
export class NumberingDefinitions {
  readonly #abstracts = new Map<string, AbstractNum>();
  readonly #nums = new Map<string, NumInstance>();
  readonly #styles: StyleSheet;

  constructor(styles: StyleSheet) {
    this.#styles = styles;
  }

  /** A sink that reads word/numbering.xml. */
  sink(): XmlSink {
    let abstract: AbstractNum | null = null;
    let num: NumInstance | null = null;
    let overrideLevel: number | null = null;
    let level: ListLevel | null = null;
    let levelIndex = 0;
    return {
      open: (name, attrs) => {
        switch (name) {
          case 'w:abstractNum': {
            abstract = { levels: new Map(), styleLink: null };
            const id = attrs['w:abstractNumId'];
            if (id !== undefined && !this.#abstracts.has(id)) this.#abstracts.set(id, abstract);
            break;
          }
          case 'w:num': {
            num = { abstractId: '', starts: new Map(), levels: new Map() };
            const id = attrs['w:numId'];
            if (id !== undefined && !this.#nums.has(id)) this.#nums.set(id, num);
            break;
          }
          case 'w:abstractNumId':
            if (num) num.abstractId = attrs['w:val'] ?? '';
            break;
          case 'w:lvlOverride':
            overrideLevel = parseInt10(attrs['w:ilvl'], 0);
            break;
          case 'w:startOverride':
            if (num && overrideLevel !== null) num.starts.set(overrideLevel, parseInt10(attrs['w:val'], 1));
            break;
          case 'w:numStyleLink':
            if (abstract) abstract.styleLink = attrs['w:val'] ?? null;
            break;
          case 'w:lvl':
            level = { format: 'decimal', kind: 'numbered', start: 1 };
            levelIndex = parseInt10(attrs['w:ilvl'], 0);
            break;
          case 'w:start':
            if (level) level.start = parseInt10(attrs['w:val'], 1);
            break;
          case 'w:numFmt':
            if (level) {
              level.format = attrs['w:val'] ?? 'decimal';
              level.kind = listKindOf(level.format);
            }
            break;
          default:
            break;
        }
      },
      close: (name) => {
        if (name === 'w:lvl' && level) {
          if (overrideLevel !== null && num) num.levels.set(levelIndex, level);
          else if (abstract && !abstract.levels.has(levelIndex)) abstract.levels.set(levelIndex, level);
          level = null;
        } else if (name === 'w:lvlOverride') overrideLevel = null;
        else if (name === 'w:abstractNum') abstract = null;
        else if (name === 'w:num') num = null;
      },
      text: () => {},
    };
  }

  /** The abstract definition behind a num, following one numStyleLink through the numbering style. */
  #abstractOf(numId: string): AbstractNum | null {
    const num = this.#nums.get(numId);
    if (!num) return null;
    const abstract = this.#abstracts.get(num.abstractId) ?? null;
    if (abstract?.styleLink) {
      const linkedNum = this.#styles.numberingOfStyle(abstract.styleLink);
      const linked = linkedNum !== null && linkedNum !== numId ? this.#nums.get(linkedNum) : undefined;
      const target = linked ? this.#abstracts.get(linked.abstractId) : undefined;
      if (target && !target.styleLink) return target;
    }
    return abstract;
  }

  /** The level `ilvl` of list `numId` with the num's overrides applied, or null when undefined (numId 0: no list). */
  level(numId: string, ilvl: number): ListLevel | null {
    const num = this.#nums.get(numId);
    if (!num || numId === '0') return null;
    const base = num.levels.get(ilvl) ?? this.#abstractOf(numId)?.levels.get(ilvl) ?? null;
    if (!base) return null;
    const start = num.starts.get(ilvl);
    return start === undefined ? base : { ...base, start };
  }

  /**
   * Which counters a num shares: Word continues numbering across nums of the same abstract definition unless a
   * num restarts it with a start override.
   */
  counterKey(numId: string): string {
    const num = this.#nums.get(numId);
    if (!num) return `num:${numId}`;
    return num.starts.size > 0 ? `num:${numId}` : `abstract:${num.abstractId}`;
  }
}

/** Word's list counters, advanced paragraph by paragraph in document order. */
export class ListCounters {
  readonly #counters = new Map<string, number[]>();

  /** Advances the counter of level `ilvl` (resetting deeper levels, as w:lvlRestart does by default) and returns it. */
  next(key: string, ilvl: number, start: number): number {
    let levels = this.#counters.get(key);
    if (!levels) {
      levels = [];
      this.#counters.set(key, levels);
    }
    const current = levels[ilvl];
    const value = current === undefined ? start : current + 1;
    levels[ilvl] = value;
    levels.length = ilvl + 1;
    return value;
  }
}
