/**
 * The options every Word export takes, and the progress reporting they share: a long export (a 100-page text, a
 * compilation of thousands of proposals) reports as it builds, about a hundred times at most.
 */

/** Options of every Word export. */
export interface DocxExportOptions {
  /** Called as blocks are built: `done` of `total` steps (the last step is packing the file). */
  onProgress?: (done: number, total: number) => void;
  /** The document title in the file's properties; defaults to the printed title, then the symbol. */
  title?: string;
}

/** Counts the steps of an export and reports them to `onProgress`, throttled to about a hundred calls. */
export class Progress {
  readonly #total: number;
  readonly #report: ((done: number, total: number) => void) | undefined;
  readonly #every: number;
  #done = 0;
  #reported = -1;

  constructor(total: number, report: ((done: number, total: number) => void) | undefined) {
    this.#total = Math.max(1, total);
    this.#report = report;
    this.#every = Math.max(1, Math.floor(this.#total / 100));
    this.#emit();
  }

  /** One more step done. */
  step(): void {
    this.#done = Math.min(this.#total, this.#done + 1);
    if (this.#done - this.#reported >= this.#every) this.#emit();
  }

  /** Every step done (the file is packed). */
  finish(): void {
    this.#done = this.#total;
    this.#emit();
  }

  #emit(): void {
    if (this.#reported === this.#done) return;
    this.#reported = this.#done;
    this.#report?.(this.#done, this.#total);
  }
}
