/**
 * Word-interoperability benchmark (issue 5): on the 100-page document with 5,000 proposals, each export kind, the
 * import of a 100-page .docx and the comparison of two 100-page revisions. Targets: each under 2 s, peak memory
 * under 500 MB.
 *
 * Each task runs in its own Node process (tests/bench/interop/measure.ts) so its peak memory is its own. A PDF is
 * measured in two parts: building the page in Node (a task like the others), then Chromium printing it
 * (page.setContent + page.pdf, as the browser build does; the desktop app uses Electron's printToPDF, the same
 * engine). Chromium's memory is its own processes' and is not in the Node figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../helpers/browser.ts';
import { INTEROP_TASKS, PDF_TASKS, type InteropMeasurement, type PreparedMeta } from './interop/tasks.ts';
import { percentile, round } from './stats.ts';

const measureScript = join(dirname(fileURLToPath(import.meta.url)), 'interop', 'measure.ts');

/** Figures of the whole benchmark. */
export interface InteropFigures {
  document: PreparedMeta;
  prepareMs: number;
  tasks: InteropMeasurement[];
  /** Chromium printing each kind's page to PDF: each run's time, the PDF's size and its page count. */
  pdf: PdfPrint[];
}

/** Chromium printing one kind's page. */
export interface PdfPrint {
  kind: string;
  printMs: number[];
  bytes: number;
  pages: number;
}

/** Runs every task in a fresh process over one prepared negotiation and prints nothing; see formatInteropReport. */
export async function runInteropBench(options: { quick: boolean }): Promise<InteropFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'penholder-interop-bench-'));
  try {
    let started = performance.now();
    execFileSync(process.execPath, [measureScript, 'prepare', dir, ...(options.quick ? ['--quick'] : [])], { stdio: 'inherit' });
    const prepareMs = performance.now() - started;
    const document = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as PreparedMeta;
    const tasks: InteropMeasurement[] = [];
    for (const task of INTEROP_TASKS) {
      const output = execFileSync(process.execPath, [measureScript, 'run', task, dir], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const lastLine = output.trim().split('\n').pop() ?? '';
      tasks.push(JSON.parse(lastLine) as InteropMeasurement);
    }

    const browser = await launchChromium();
    const pdf: PdfPrint[] = [];
    try {
      for (const task of PDF_TASKS) {
        const kind = task.replace('-pdf-html', '');
        const html = readFileSync(join(dir, `${kind}.html`), 'utf8');
        const printed: PdfPrint = { kind, printMs: [], bytes: 0, pages: 0 };
        for (let i = 0; i < 3; i += 1) {
          const page = await browser.newPage();
          started = performance.now();
          await page.setContent(html, { waitUntil: 'load' });
          const bytes = await page.pdf({ format: 'A4', preferCSSPageSize: true });
          printed.printMs.push(performance.now() - started);
          printed.bytes = bytes.byteLength;
          // Each page is one /Type /Page object (not /Pages): enough to count pages without a PDF library.
          printed.pages = (Buffer.from(bytes).toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
          await page.close();
        }
        pdf.push(printed);
      }
    } finally {
      await browser.close();
    }
    return { document, prepareMs, tasks, pdf };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report lines, with the targets beside the figures. */
export function formatInteropReport(figures: InteropFigures): string[] {
  const { document } = figures;
  const lines = [
    `  document: ${document.blocks} blocks, ${document.characters} characters, ${document.proposals} proposals; prepared in ${round(figures.prepareMs / 1000, 1)} s`,
  ];
  for (const task of figures.tasks) {
    const median = percentile(task.runsMs, 50);
    lines.push(
      `  ${task.task.padEnd(17)} ${task.runsMs.map((v) => round(v, 0)).join(' / ')} ms (median ${round(median, 0)} ms; target < 2000 ms), ` +
        `peak RSS ${round(task.maxRssMB, 0)} MB (after loading ${round(task.rssBeforeMB, 0)} MB; target < 500 MB), output ${task.outputSize}`,
    );
  }
  for (const printed of figures.pdf) {
    lines.push(
      `  Chromium prints the ${printed.kind} to PDF: ${printed.printMs.map((v) => round(v, 0)).join(' / ')} ms ` +
        `(median ${round(percentile(printed.printMs, 50), 0)} ms; ${printed.pages} pages, ${round(printed.bytes / 1024, 0)} KiB)`,
    );
  }
  return lines;
}

/** The figures rounded for the results file. */
export function roundInteropFigures(figures: InteropFigures): InteropFigures {
  return {
    ...figures,
    prepareMs: round(figures.prepareMs, 0),
    tasks: figures.tasks.map((task) => ({
      ...task,
      runsMs: task.runsMs.map((v) => round(v, 1)),
      rssBeforeMB: round(task.rssBeforeMB, 1),
      maxRssMB: round(task.maxRssMB, 1),
      setupMs: round(task.setupMs, 0),
    })),
    pdf: figures.pdf.map((printed) => ({ ...printed, printMs: printed.printMs.map((v) => round(v, 0)) })),
  };
}
