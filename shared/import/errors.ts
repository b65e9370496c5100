/**
 * What can go wrong when reading a Word file, and the limits that keep a hostile file from exhausting memory or
 * time. Every refusal is a DocxImportError whose message is a sentence a delegate can act on.
 */

/** Why a Word file was refused. */
export type DocxImportErrorCode =
  | 'not-docx'
  | 'corrupt'
  | 'too-large'
  | 'zip-bomb'
  | 'encrypted'
  | 'macro-enabled'
  | 'external-entity'
  | 'malformed-xml'
  | 'too-complex';

/** Every code, for validating an error that crossed a thread or process boundary. */
export const DOCX_IMPORT_ERROR_CODES: readonly DocxImportErrorCode[] = [
  'not-docx',
  'corrupt',
  'too-large',
  'zip-bomb',
  'encrypted',
  'macro-enabled',
  'external-entity',
  'malformed-xml',
  'too-complex',
];

/** A Word file the import refused, with the reason as a code and as a sentence for the user. */
export class DocxImportError extends Error {
  readonly code: DocxImportErrorCode;

  constructor(code: DocxImportErrorCode, message: string) {
    super(message);
    this.name = 'DocxImportError';
    this.code = code;
  }
}

/** Whether a value names a DocxImportErrorCode. */
export function isDocxImportErrorCode(value: unknown): value is DocxImportErrorCode {
  return typeof value === 'string' && (DOCX_IMPORT_ERROR_CODES as readonly string[]).includes(value);
}

/** The bounds within which a Word file is read; anything beyond is refused before it costs memory. */
export interface DocxImportLimits {
  /** The size of the .docx file itself. */
  maxFileBytes: number;
  /** The sum of the declared uncompressed sizes of all entries, and of the bytes actually inflated. */
  maxUncompressedBytes: number;
  /** The number of files inside the zip. */
  maxEntries: number;
  /** Uncompressed / compressed size of one entry above 1 MiB; deflate of real XML stays far below it. */
  maxCompressionRatio: number;
  /** Paragraphs and table cells together. */
  maxBlocks: number;
}

/**
 * Bounds that a 1,000-page negotiating text with images fits comfortably (its XML is some tens of MB), while a
 * zip bomb, a million-entry archive or a multi-gigabyte part is refused up front.
 */
export const DEFAULT_DOCX_IMPORT_LIMITS: DocxImportLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxEntries: 5000,
  maxCompressionRatio: 200,
  maxBlocks: 100_000,
};

/** The limits in force: the defaults overridden by the given ones (each must be a positive number). */
export function resolveLimits(limits: Partial<DocxImportLimits> = {}): DocxImportLimits {
  const resolved = { ...DEFAULT_DOCX_IMPORT_LIMITS };
  for (const key of Object.keys(DEFAULT_DOCX_IMPORT_LIMITS) as (keyof DocxImportLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`the import limit ${key} must be a positive number`);
    resolved[key] = value;
  }
  return resolved;
}

/** A byte count for messages: "12.3 MB". */
export function formatBytes(bytes: number): string {
  // Each unit runs up to 1000 of itself, so 1023.9 MB reads "1.0 GB" rather than "1023.9 MB".
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1000 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1000 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** The refusal of a file larger than the limits allow, or null when its size is fine (checked before anything is read). */
export function fileSizeRefusal(size: number, limits: DocxImportLimits): DocxImportError | null {
  if (size <= limits.maxFileBytes) return null;
  return new DocxImportError(
    'too-large',
    `This file is ${formatBytes(size)}, more than the ${formatBytes(limits.maxFileBytes)} a Word document may have to be imported. Remove large images or split the document.`,
  );
}
