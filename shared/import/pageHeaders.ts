/**
 * The page headers and footers of a Word file. UN templates put the masthead (United Nations, symbol, "Distr.",
 * date, "Original:") in the first page's header and repeat the symbol in the running header of later pages, so
 * the import reads the parts the first section refers to through the relationships: the first-page header feeds
 * the masthead test, the running header gives the symbol, and everything else there is reported as not kept.
 */
import { ContentReader, PAGE_NUMBERS_NOT_KEPT, type WordBlock, type WordSection } from './content.ts';
import { mastheadLines, isDocumentSymbol, type MastheadCandidate } from './masthead.ts';
import { partRelationships, relatedPart, type WordPackage } from './package.ts';
import { ReportBuilder, type ImportReport } from './report.ts';
import type { StyleSheet } from './styles.ts';
import { readXmlPart } from './xml.ts';
import type { ZipEntry } from './zip.ts';

/** What the report calls everything in headers and footers that did not go into the masthead. */
export const PAGE_HEADERS_NOT_KEPT = 'page headers and footers';

/** One header or footer part, read. */
export interface PageHeaderPart {
  readonly entry: ZipEntry;
  /** Its paragraphs and tables as masthead candidates (blank ones left out); never a title. */
  readonly candidates: readonly MastheadCandidate[];
  /** What its content held that text cannot carry (a logo, a PAGE field ...), as the content reader reported it. */
  readonly losses: ImportReport['notKept'];
}

/** The headers and footers of a document. */
export interface PageHeaders {
  /** The header printed on the first page: the first-page header with w:titlePg, else the default one. */
  readonly first: PageHeaderPart | null;
  /** The headers of the later pages (default and even), which repeat the symbol. */
  readonly running: readonly PageHeaderPart[];
  /** Every header and footer part any section refers to, each once. */
  readonly all: readonly PageHeaderPart[];
}

/** What the rest of the import lends the reader. */
export interface PageHeaderContext {
  readonly styles: StyleSheet;
  readonly maxBlocks: number;
}

/** The lines of a block, tables flattened cell by cell, insertions left out (the original text, as in the body). */
function blockLines(block: WordBlock): string[] {
  if (block.kind === 'table') return block.rows.flatMap((row) => row.cells.flatMap((cell) => cell.blocks.flatMap(blockLines)));
  let text = '';
  for (const piece of block.pieces) {
    if (piece.change?.kind === 'insert') continue;
    if (piece.kind === 'text') text += piece.text;
    else if (piece.kind === 'break') text += '\n';
  }
  return mastheadLines(text);
}

/** Reads one part with the body's reader, into a report of its own (the caller decides what of it was lost). */
function readPart(pkg: WordPackage, entry: ZipEntry, context: PageHeaderContext): PageHeaderPart {
  const report = new ReportBuilder();
  // The part's own relationships: a link or image in a header points through its rels, not the document's.
  const reader = new ContentReader({ styles: context.styles, rels: partRelationships(pkg, entry), report, maxBlocks: context.maxBlocks }, false);
  readXmlPart(pkg.zip, entry, reader);
  reader.finish();
  const candidates: MastheadCandidate[] = [];
  for (const block of reader.body) {
    const lines = blockLines(block);
    // A header is never the title: the title is the body's first bold paragraph after the masthead.
    if (lines.length > 0) candidates.push({ lines, allBold: false, titleStyle: false, table: block.kind === 'table' });
  }
  return { entry, candidates, losses: report.build().notKept };
}

/**
 * Reads the headers and footers the body's sections refer to. The first section's references say what the first
 * page shows (in a one-section document that is the body's own w:sectPr); later sections only add running headers.
 */
export function readPageHeaders(pkg: WordPackage, sections: readonly WordSection[], context: PageHeaderContext): PageHeaders {
  const read = new Map<ZipEntry, PageHeaderPart>();
  const part = (id: string | undefined, type: 'header' | 'footer'): PageHeaderPart | null => {
    if (id === undefined) return null;
    const entry = relatedPart(pkg, id, type);
    if (!entry) return null;
    let done = read.get(entry);
    if (!done) {
      done = readPart(pkg, entry, context);
      read.set(entry, done);
    }
    return done;
  };
  const firstSection = sections[0];
  let first: PageHeaderPart | null = null;
  if (firstSection) first = part(firstSection.headers.get(firstSection.titlePage ? 'first' : 'default'), 'header');
  const running: PageHeaderPart[] = [];
  for (const section of sections) {
    for (const type of ['default', 'even']) {
      const header = part(section.headers.get(type), 'header');
      if (header && !running.includes(header)) running.push(header);
    }
    for (const id of section.headers.values()) part(id, 'header');
    for (const id of section.footers.values()) part(id, 'footer');
  }
  return { first, running, all: [...read.values()] };
}

/** The document symbol in a line: the line itself or one of its words ("A/78/265", "A/78/265  2/15"). */
function symbolOf(line: string): string | null {
  if (isDocumentSymbol(line)) return line;
  return line.split(' ').find(isDocumentSymbol) ?? null;
}

/** The symbol the running headers print, or null. */
export function runningSymbol(headers: PageHeaders): string | null {
  for (const header of headers.running) {
    for (const candidate of header.candidates) {
      for (const line of candidate.lines) {
        const symbol = symbolOf(line);
        if (symbol !== null) return symbol;
      }
    }
  }
  return null;
}

/** A short description of something a header held that is not text: "PAGE field", "images". */
function lossExample(loss: ImportReport['notKept'][number]): string {
  if (loss.what.startsWith('fields') && loss.example !== undefined) return `${loss.example} field`;
  return loss.example !== undefined ? `${loss.what}: ${loss.example}` : loss.what;
}

/**
 * Reports every header and footer part that held something the document does not keep: any text beyond the
 * masthead lines taken from the first-page header (`mastheadCandidates` of them) and the symbol the header node
 * now carries (which the house format prints again), and whatever the part held besides text (logos, fields), except
 * page-number fields: the house format prints page numbers itself. Counted once per part, with the first such thing
 * as the example.
 */
export function reportPageHeaders(headers: PageHeaders, mastheadCandidates: number, symbol: string, report: ReportBuilder): void {
  for (const header of headers.all) {
    const lost: string[] = [];
    header.candidates.forEach((candidate, index) => {
      if (header === headers.first && index < mastheadCandidates) return;
      for (const line of candidate.lines) if (symbol === '' || line !== symbol) lost.push(line);
    });
    // Page numbers are printed again by the house format: a footer holding only them loses nothing.
    const losses = header.losses.filter((loss) => loss.what !== PAGE_NUMBERS_NOT_KEPT);
    const first = lost[0] ?? (losses[0] ? lossExample(losses[0]) : undefined);
    if (first !== undefined) report.lost(PAGE_HEADERS_NOT_KEPT, first);
  }
}
