/**
 * The import report: how much of each kind was imported, and everything the schema could not keep (images,
 * comments, text boxes, unsafe links ...) with counts and one example each, so nothing is lost silently.
 */

/** What an import kept and what it left out. */
export interface ImportReport {
  /** What was imported, by kind: numberedParagraphs, headings, footnotes, tables, links, trackedChanges ... */
  counts: Record<string, number>;
  /** What could not be kept, in the order first met; `example` is a short sample (a link target, a text). */
  notKept: { what: string; count: number; example?: string }[];
}

/** The longest example kept in a report entry. */
const EXAMPLE_LENGTH = 80;

/** Shortens a sample for the report: one line, at most 80 characters. */
export function exampleOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXAMPLE_LENGTH ? `${line.slice(0, EXAMPLE_LENGTH - 1)}…` : line;
}

/** Collects counts and losses while a file is read. */
export class ReportBuilder {
  readonly #counts = new Map<string, number>();
  readonly #lost = new Map<string, { what: string; count: number; example?: string }>();

  /** Adds to a count of what was imported. */
  count(key: string, by = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }

  /** Records something not kept; the first non-empty example is the one shown. */
  lost(what: string, example?: string, by = 1): void {
    let entry = this.#lost.get(what);
    if (!entry) {
      entry = { what, count: 0 };
      this.#lost.set(what, entry);
    }
    entry.count += by;
    if (entry.example === undefined && example !== undefined && example.trim() !== '') entry.example = exampleOf(example);
  }

  /** The report as plain data. */
  build(): ImportReport {
    return {
      counts: Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b))),
      notKept: [...this.#lost.values()].map((entry) => ({ ...entry })),
    };
  }
}
