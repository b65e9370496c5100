/**
 * Word (.docx) import: a document for penholderSchema, a report of what was not kept, and the tracked changes of
 * a returned file planned as proposals. Pure TypeScript (fflate + saxes); it trusts neither the zip nor the XML,
 * and main/services/docxImport.ts runs it in a worker with memory and time limits on top.
 */
import { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { DocumentBuilder } from './build.ts';
import { ContentReader, type ContentContext } from './content.ts';
import { DocxImportError, resolveLimits, type DocxImportLimits } from './errors.ts';
import { NumberingDefinitions } from './numbering.ts';
import { openPackage, scanOtherParts } from './package.ts';
import { readPageHeaders, reportPageHeaders, runningSymbol } from './pageHeaders.ts';
import { ReportBuilder, type ImportReport } from './report.ts';
import { StyleSheet } from './styles.ts';
import type { TrackedParagraph } from './tracked.ts';
import { readXmlPart } from './xml.ts';

export {
  DEFAULT_DOCX_IMPORT_LIMITS,
  DOCX_IMPORT_ERROR_CODES,
  DocxImportError,
  fileSizeRefusal,
  isDocxImportErrorCode,
  resolveLimits,
  type DocxImportErrorCode,
  type DocxImportLimits,
} from './errors.ts';
export type { ImportReport } from './report.ts';
export type { TrackedParagraph } from './tracked.ts';
export { planTrackedProposals, TEXT_MATCH_THRESHOLD, NUMBER_MATCH_THRESHOLD, type ProposalPlan, type UnmatchedTrackedParagraph } from './plan.ts';

/** A Word file read into a Penholder document. */
export interface DocxImport {
  /** ProseMirror JSON of penholderSchema: `Node.fromJSON(schema, doc).check()` passes; every pid is fresh and unique. */
  doc: unknown;
  /** The document title ('' when it has none). */
  title: string;
  report: ImportReport;
  /**
   * The paragraphs with tracked changes, in document order, plus before each wholly inserted paragraph up to three
   * unchanged ones (empty `changes`) that planTrackedProposals places it after; [] for a file without tracked changes.
   */
  tracked: TrackedParagraph[];
}

/** The dc:title of docProps/core.xml, or ''. */
function coreTitle(pkg: ReturnType<typeof openPackage>): string {
  if (!pkg.core) return '';
  let inTitle = false;
  let title = '';
  readXmlPart(pkg.zip, pkg.core, {
    open: (name) => {
      inTitle = name === 'dc:title';
    },
    close: () => {
      inTitle = false;
    },
    text: (text) => {
      if (inTitle && title.length < 1000) title += text;
    },
  });
  return title.replace(/\s+/g, ' ').trim();
}

/**
 * Reads a .docx into a Penholder document. The imported text is the ORIGINAL text of a file with tracked changes
 * (insertions left out, deletions kept), so nothing is silently accepted; `tracked` holds what the author wants.
 * Throws DocxImportError, with a message a delegate can act on, for anything it refuses.
 */
export function importDocx(bytes: Uint8Array, limits?: Partial<DocxImportLimits>): DocxImport {
  const resolved = resolveLimits(limits);
  try {
    const pkg = openPackage(bytes, resolved);
    // Every part is checked for entity declarations before any content is interpreted.
    scanOtherParts(pkg);
    const report = new ReportBuilder();
    const styles = new StyleSheet();
    if (pkg.styles) readXmlPart(pkg.zip, pkg.styles, styles.sink());
    const numbering = new NumberingDefinitions(styles);
    if (pkg.numbering) readXmlPart(pkg.zip, pkg.numbering, numbering.sink());
    const context: ContentContext = { styles, rels: pkg.rels, report, maxBlocks: resolved.maxBlocks };
    const footnotes = new ContentReader(context, true);
    if (pkg.footnotes) readXmlPart(pkg.zip, pkg.footnotes, footnotes);
    const endnotes = new ContentReader(context, true);
    if (pkg.endnotes) readXmlPart(pkg.zip, pkg.endnotes, endnotes);
    const body = new ContentReader(context, false);
    readXmlPart(pkg.zip, pkg.main, body);
    body.finish();
    // Read only now: the body's section properties say which header and footer parts the pages show.
    const pageHeaders = readPageHeaders(pkg, body.sections, { styles, maxBlocks: resolved.maxBlocks });

    const built = new DocumentBuilder({
      body: body.body,
      footnotes: footnotes.notes,
      endnotes: endnotes.notes,
      styles,
      numbering,
      report,
      pageHeader: { firstPage: pageHeaders.first?.candidates ?? [], runningSymbol: runningSymbol(pageHeaders) },
    }).build();
    const header = built.doc.content?.[0];
    const symbol = header?.attrs?.['symbol'];
    reportPageHeaders(pageHeaders, built.firstPageHeaderUsed, typeof symbol === 'string' ? symbol : '', report);
    // The guarantee callers rely on: the JSON is a valid document of the schema.
    ProseMirrorNode.fromJSON(schema, built.doc).check();
    return { doc: built.doc, title: built.title || coreTitle(pkg), report: report.build(), tracked: built.tracked };
  } catch (error) {
    if (error instanceof DocxImportError) throw error;
    if (error instanceof RangeError) {
      throw new DocxImportError('too-complex', 'This Word file is too complex to import (it exhausted the reader\'s limits). Split it into smaller documents.');
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new DocxImportError('corrupt', `This Word file could not be read (${detail}). Open it in Word, save it again as .docx and retry.`);
  }
}
