/**
 * The kinds and formats of export, what each is called and which formats each kind comes in: light enough for the
 * renderer's export dialog and the IPC contract to import without the Word writers.
 */

/** What can be exported. */
export const EXPORT_KINDS = ['clean', 'compilation', 'comparison'] as const;

/** One kind of export. */
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The file formats. PDF is built as HTML and printed by the caller's Chromium. */
export const EXPORT_FORMATS = ['docx', 'pdf', 'html', 'md'] as const;

/** One file format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The formats each kind comes in: Markdown has no way to show insertions and deletions, so only the clean text. */
export const FORMATS_BY_KIND: Readonly<Record<ExportKind, readonly ExportFormat[]>> = {
  clean: ['docx', 'pdf', 'html', 'md'],
  compilation: ['docx', 'pdf', 'html'],
  comparison: ['docx', 'pdf', 'html'],
};

/** Stands for the text as it is now, where a revision id is expected. */
export const CURRENT_TEXT = 'current';

/**
 * What to export. `from` and `to` are revision ids (or labels) or {@link CURRENT_TEXT}: a comparison needs both; the
 * clean text is of `to` (else `from`, else the current text); a compilation is always of the current text.
 */
export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  from?: string;
  to?: string;
}

/** The MIME type of each format. */
export const MIME_TYPES: Readonly<Record<ExportFormat, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** What a format is called in sentences and file dialogs. */
export const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = {
  docx: 'Word document',
  pdf: 'PDF',
  html: 'Web page',
  md: 'Markdown',
};

/** What a kind is called in sentences and file names. */
export const KIND_NAMES: Readonly<Record<ExportKind, string>> = {
  clean: 'clean',
  compilation: 'compilation',
  comparison: 'comparison',
};

