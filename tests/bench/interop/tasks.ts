/**
 * The Word-interoperability benchmark's tasks and the shape of one measurement, shared by the script that measures
 * (./measure.ts, run as its own process) and the benchmark that runs it (../interop-bench.ts).
 */

/** The tasks this script knows, each a thing a user does. */
export const INTEROP_TASKS = [
  'clean-docx',
  'clean-pdf-html',
  'clean-html',
  'clean-md',
  'compilation-docx',
  'compilation-pdf-html',
  'comparison-docx',
  'comparison-pdf-html',
  'compare',
  'import-docx',
] as const;

/** One task's name. */
export type InteropTask = (typeof INTEROP_TASKS)[number];

/** What one measurement prints. */
export interface InteropMeasurement {
  task: InteropTask;
  /** Wall time of each of the three runs. */
  runsMs: number[];
  /** Size of what the task produced (bytes of the file, or entries of the comparison). */
  outputSize: number;
  /** Resident set size after the setup, before the first run. */
  rssBeforeMB: number;
  /** Peak resident set size of the whole process (loading included), from process.resourceUsage().maxRSS. */
  maxRssMB: number;
  setupMs: number;
}

/** What `measure.ts prepare` records beside the files. */
export interface PreparedMeta {
  rev1: string;
  rev2: string;
  blocks: number;
  characters: number;
  proposals: number;
}

/** The PDF tasks: each builds the page Chromium prints and leaves it as `<kind>.html` in the prepared folder. */
export const PDF_TASKS = ['clean-pdf-html', 'compilation-pdf-html', 'comparison-pdf-html'] as const satisfies readonly InteropTask[];
