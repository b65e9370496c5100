/**
 * Builds one export of a negotiated document from its Y.Docs: the clean text, the compilation of proposals or the
 * comparison of two versions, as Word, HTML, Markdown or (through a printer the caller supplies) PDF. Pure: the
 * desktop app, the web host and the server's command line all call this with the Y.Docs they hold.
 */
import type * as Y from 'yjs';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { encodeUtf8 } from 'lib0/string';
import { compareDocuments, documentBlocks } from '../compare/index.ts';
import { readNegotiation, textDocument } from '../model/negotiation/index.ts';
import { bundledRegistry } from '../model/participants.ts';
import { currentBaseline, listRevisions, numbersInForce, revisionDocument, RevisionError, type RevisionEntry } from '../model/revisions/index.ts';
import { schema } from '../schema/index.ts';
import { cleanDocx, compilationDocx, comparisonDocx } from './docx/index.ts';
import { exportHtml } from './html.ts';
import { headerField } from './labels.ts';
import { exportMarkdown } from './markdown.ts';
import { compilationHtml, redlineHtml } from './negotiation-html.ts';
import {
  CURRENT_TEXT,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  FORMAT_NAMES,
  FORMATS_BY_KIND,
  KIND_NAMES,
  MIME_TYPES,
  type ExportFormat,
  type ExportKind,
  type ExportRequest,
} from './formats.ts';

export * from './formats.ts';

/** The Y.Docs of one negotiated document: `D/text`, `D/chair` and the delegations' `D/d/<CODE>` by code. */
export interface ExportDocs {
  text: Y.Doc;
  chair: Y.Doc;
  delegations: ReadonlyMap<string, Y.Doc>;
}

/** Options of {@link buildExport}. */
export interface BuildExportOptions {
  /** Told how far the build is, `done` of `total` steps (the Word writers report per paragraph). */
  onProgress?: (done: number, total: number) => void;
  /** The clock: the compilation's date and a comparison's date when its later side is the current text. */
  now?: Date;
  /** Who the tracked changes of a comparison with the current text are attributed to (default "Penholder"). */
  author?: string;
}

/** A built export: the file's bytes, or for PDF the page the caller prints. */
export interface BuiltExport {
  /** A suggested file name, safe on every operating system. */
  fileName: string;
  mimeType: string;
  /** The file, for every format but PDF. */
  bytes?: Uint8Array;
  /** For PDF: the standalone HTML page to print (A4, house style, no script). */
  html?: string;
}

/** Why an export was refused, so a caller can pick its wording or exit code. */
export type ExportErrorCode = 'unsupported' | 'not-found' | 'empty' | 'unreadable' | 'invalid';

/** An export that cannot be built; the message is a sentence for a person. */
export class ExportError extends Error {
  /** Why. */
  readonly code: ExportErrorCode;

  constructor(code: ExportErrorCode, message: string) {
    super(message);
    this.name = 'ExportError';
    this.code = code;
  }
}

/** Longest file name stem in UTF-8 bytes: well under the 255 bytes every common file system allows, extension apart. */
const MAX_STEM_BYTES = 180;

/** Names Windows reserves for devices, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Controls, and invisible characters that could disguise an extension (bidi overrides, zero-width spaces). */
function isInvisible(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/**
 * A file name safe on Windows, macOS and Linux: no path separators or characters Windows refuses, no control or
 * direction-override characters, no leading or trailing dots or spaces, no device names, bounded length.
 */
export function safeFileName(stem: string, format: ExportFormat): string {
  let name = [...stem.normalize('NFC')]
    .map((char) => (isInvisible(char.codePointAt(0) ?? 0) ? ' ' : char))
    .join('')
    .replace(/[/\\:*?"<>|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+/, '')
    .replace(/[.\s]+$/, '');
  if (encodeUtf8(name).length > MAX_STEM_BYTES) {
    let cut = '';
    for (const char of name) {
      if (encodeUtf8(cut + char).length > MAX_STEM_BYTES) break;
      cut += char;
    }
    name = cut.replace(/[.\s]+$/, '');
  }
  if (name === '') name = 'Document';
  if (WINDOWS_RESERVED.test(name.split('.')[0] ?? '')) name = `_${name}`;
  return `${name}.${format}`;
}

/** One side of an export: a revision's text or the current one, with what it is called. */
interface Version {
  doc: ProseMirrorNode;
  /** "Rev.1", or "Current text". */
  label: string;
  /** The revision, or null for the current text. */
  entry: RevisionEntry | null;
  /** The numbering this version is printed against (the revision before it), for the comparison's numbers. */
  baseline?: ReadonlyMap<string, number>;
}

/**
 * The revision a reference names: its id, else its label (ignoring case and spacing), else null. The current text
 * is {@link CURRENT_TEXT}; a caller checks for it first.
 */
export function findRevisionByRef(revisions: readonly RevisionEntry[], ref: string): RevisionEntry | null {
  const byId = revisions.find((entry) => entry.id === ref);
  if (byId) return byId;
  const key = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase();
  return revisions.find((entry) => key(entry.label) === key(ref)) ?? null;
}

function resolveVersion(docs: ExportDocs, revisions: readonly RevisionEntry[], ref: string): Version {
  if (ref === CURRENT_TEXT) {
    const doc = textDocument(docs.text);
    if (doc.childCount === 0) throw new ExportError('empty', 'This document has no text yet: there is nothing to export.');
    const baseline = currentBaseline(docs.chair);
    return { doc, label: 'Current text', entry: null, ...(baseline ? { baseline } : {}) };
  }
  const entry = findRevisionByRef(revisions, ref);
  if (!entry) {
    const known = revisions.map((one) => one.label);
    const list = known.length ? ` The revisions are: ${known.join(', ')}.` : ' No revision has been cut yet.';
    throw new ExportError('not-found', `There is no revision “${ref}”.${list}`);
  }
  let doc: ProseMirrorNode;
  try {
    doc = revisionDocument(entry, schema);
  } catch (error) {
    throw new ExportError('unreadable', error instanceof RevisionError ? error.message : `Revision “${entry.label}” cannot be opened.`);
  }
  const previous = revisions[revisions.indexOf(entry) - 1];
  return { doc, label: entry.label, entry, ...(previous ? { baseline: new Map(Object.entries(previous.numbers)) } : {}) };
}

/** The document's symbol ("A/AC.301/2026/CRP.1") from its header, or ''. */
export function documentSymbol(doc: ProseMirrorNode): string {
  const first = doc.firstChild;
  return first?.type.name === 'header' ? headerField(first.attrs['symbol']) : '';
}

/** The document's title text from its header, or ''. */
export function documentTitle(doc: ProseMirrorNode): string {
  const first = doc.firstChild;
  if (first?.type.name !== 'header') return '';
  let title = '';
  first.forEach((child) => {
    if (child.type.name === 'title') title += child.textContent;
  });
  return title.replace(/\s+/g, ' ').trim();
}

/** The stem of a file name: the symbol (else the title), the version, the kind in brackets. */
function fileStem(doc: ProseMirrorNode, parts: readonly string[], kind: ExportKind): string {
  const who = documentSymbol(doc) || documentTitle(doc).slice(0, 80) || 'Document';
  return [who, ...parts.filter((part) => part !== ''), `(${KIND_NAMES[kind]})`].join(' ');
}

function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** On paper the printer sets the margins: the screen padding around the text would double them. */
const PRINT_STYLE = '<style>@media print { main { padding: 0 !important; max-width: none !important; } }</style>';

/** The page with {@link PRINT_STYLE} added at the end of its head. */
function forPrint(html: string): string {
  const at = html.indexOf('</head>');
  return at < 0 ? html : `${html.slice(0, at)}${PRINT_STYLE}\n${html.slice(at)}`;
}

/** The display name of a delegation or group code, from the bundled registry; the code itself when unknown. */
function participantName(code: string): string {
  try {
    return bundledRegistry().nameOf(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Builds one export. Throws {@link ExportError} for a request that cannot be met (a format the kind does not come
 * in, an unknown revision, a comparison without two sides, an empty document); the Word writers' own errors pass
 * through.
 */
export async function buildExport(docs: ExportDocs, request: ExportRequest, options: BuildExportOptions = {}): Promise<BuiltExport> {
  const { kind, format } = request;
  if (!EXPORT_KINDS.includes(kind)) throw new ExportError('unsupported', `There is no “${String(kind)}” export.`);
  if (!EXPORT_FORMATS.includes(format)) throw new ExportError('unsupported', `There is no “${String(format)}” format.`);
  if (!FORMATS_BY_KIND[kind].includes(format)) {
    const allowed = FORMATS_BY_KIND[kind].map((one) => FORMAT_NAMES[one]).join(', ');
    throw new ExportError(
      'unsupported',
      `A ${KIND_NAMES[kind]} export cannot be written as ${FORMAT_NAMES[format]}, which has no way to show insertions and deletions; choose ${allowed}.`,
    );
  }
  const now = options.now ?? new Date();
  const progress = options.onProgress;
  const revisions = listRevisions(docs.chair);
  const finish = (stem: string, content: Uint8Array | string): BuiltExport => {
    const fileName = safeFileName(stem, format);
    if (format === 'pdf') {
      if (typeof content !== 'string') throw new Error('a PDF export is printed from HTML');
      return { fileName, mimeType: MIME_TYPES.pdf, html: forPrint(content) };
    }
    return { fileName, mimeType: MIME_TYPES[format], bytes: typeof content === 'string' ? encodeUtf8(content) : content };
  };
  const textDone = <T>(value: T): T => {
    progress?.(1, 1);
    return value;
  };

  switch (kind) {
    case 'clean': {
      const version = resolveVersion(docs, revisions, request.to ?? request.from ?? CURRENT_TEXT);
      const stem = fileStem(version.doc, [version.entry?.label ?? ''], kind);
      const title = documentTitle(version.doc) || documentSymbol(version.doc);
      if (format === 'docx') return finish(stem, await cleanDocx(version.doc, { ...(progress ? { onProgress: progress } : {}), title }));
      if (format === 'md') return finish(stem, textDone(exportMarkdown(version.doc)));
      return finish(stem, textDone(exportHtml(version.doc)));
    }
    case 'compilation': {
      for (const side of [request.from, request.to]) {
        if (side !== undefined && side !== CURRENT_TEXT) {
          throw new ExportError('invalid', 'A compilation is always of the current text: proposals are made on the text as it stands.');
        }
      }
      const version = resolveVersion(docs, revisions, CURRENT_TEXT);
      const negotiation = readNegotiation(docs.text, docs.chair, docs.delegations);
      const stem = fileStem(version.doc, [], kind);
      const title = documentTitle(version.doc);
      if (format === 'docx') {
        return finish(
          stem,
          await compilationDocx(version.doc, negotiation, {
            ...(progress ? { onProgress: progress } : {}),
            title,
            numbers: numbersInForce(version.doc, docs.chair),
            participantName,
          }),
        );
      }
      const blocks = documentBlocks(version.doc, currentBaseline(docs.chair));
      return finish(stem, textDone(compilationHtml(blocks, negotiation, { symbol: documentSymbol(version.doc), title, asOf: todayOf(now), participantName })));
    }
    case 'comparison': {
      if (request.from === undefined || request.to === undefined) {
        throw new ExportError('invalid', 'A comparison needs two versions: choose the earlier one (from) and the later one (to).');
      }
      const before = resolveVersion(docs, revisions, request.from);
      const after = resolveVersion(docs, revisions, request.to);
      if (before.entry === after.entry) throw new ExportError('invalid', 'Choose two different versions to compare.');
      const stem = fileStem(after.doc, [`${before.label} to ${after.entry ? after.label : 'current text'}`], kind);
      const title = documentTitle(after.doc);
      if (format === 'docx') {
        // Tracked changes are attributed to whoever cut the later revision, when it was cut.
        const author = after.entry?.by ?? options.author ?? 'Penholder';
        const date = after.entry?.at ?? now.toISOString();
        return finish(
          stem,
          await comparisonDocx(before.doc, after.doc, {
            ...(progress ? { onProgress: progress } : {}),
            title,
            author,
            date,
            beforeLabel: before.label,
            afterLabel: after.label,
          }),
        );
      }
      const comparison = compareDocuments(before.doc, after.doc, before.baseline ? { baseline: before.baseline } : {});
      return finish(
        stem,
        textDone(redlineHtml(comparison, { symbol: documentSymbol(after.doc), title, beforeLabel: before.label, afterLabel: after.label })),
      );
    }
  }
}
