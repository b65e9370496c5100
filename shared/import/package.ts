/**
 * The Open Packaging layer of a .docx: refuses what is not a plain Word document (encrypted or legacy files,
 * macro-enabled files, other zips) and finds the parts the import reads through the relationships.
 */
import { DocxImportError, fileSizeRefusal, type DocxImportLimits } from './errors.ts';
import { readXmlPart, scanXmlPart } from './xml.ts';
import { SafeZip, isCompoundFile, type ZipEntry } from './zip.ts';

/** One relationship of a part: its type's last path segment ("styles", "hyperlink"), target and mode. */
export interface Relationship {
  readonly type: string;
  /** For an internal target, the resolved part name; for an external one, the target as written. */
  readonly target: string;
  readonly external: boolean;
}

/** The parts of a Word document the import reads. */
export interface WordPackage {
  readonly zip: SafeZip;
  readonly main: ZipEntry;
  /** The main document's relationships by id (hyperlink targets among them). */
  readonly rels: ReadonlyMap<string, Relationship>;
  readonly styles: ZipEntry | null;
  readonly numbering: ZipEntry | null;
  readonly footnotes: ZipEntry | null;
  readonly endnotes: ZipEntry | null;
  readonly core: ZipEntry | null;
  /** Every XML part the import does not parse, to be scanned for declarations all the same. */
  readonly otherXml: readonly ZipEntry[];
}

const MACRO_MESSAGE =
  'This is a macro-enabled Word file (.docm), which Penholder does not open because macros can run code. In Word, choose File > Save As, pick "Word Document (*.docx)" and import that file.';

/** The folder of a part name ("word/document.xml" -> "word/"). */
function folderOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return slash < 0 ? '' : part.slice(0, slash + 1);
}

/** Resolves a relationship target against its source part, as OPC does ("../media/a.png", "/word/x.xml"). */
export function resolveTarget(source: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : folderOf(source) + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}

/** The relationships part of a part ("word/document.xml" -> "word/_rels/document.xml.rels"). */
function relsPartOf(part: string): string {
  const folder = folderOf(part);
  return `${folder}_rels/${part.slice(folder.length)}.rels`;
}

/** Reads a relationships part into a map by id; an absent part is an empty map. */
function readRels(zip: SafeZip, source: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const entry = zip.entry(relsPartOf(source));
  if (!entry) return rels;
  readXmlPart(zip, entry, {
    open(name, attrs) {
      if (name !== 'rel:Relationship') return;
      const id = attrs['Id'];
      const type = attrs['Type'] ?? '';
      const target = attrs['Target'] ?? '';
      if (!id || rels.has(id)) return;
      const external = (attrs['TargetMode'] ?? '').toLowerCase() === 'external';
      rels.set(id, { type: type.slice(type.lastIndexOf('/') + 1), target: external ? target : resolveTarget(source, target), external });
    },
    close() {},
    text() {},
  });
  return rels;
}

/** The relationships of one part of the package (a page header's own links and images), by id. */
export function partRelationships(pkg: WordPackage, entry: ZipEntry): ReadonlyMap<string, Relationship> {
  return readRels(pkg.zip, entry.name);
}

/**
 * The part the main document's relationship `id` points to, if it is an internal relationship of `type`
 * ("header", "footer") whose part exists; a dangling or external reference is null (it has nothing to read).
 */
export function relatedPart(pkg: WordPackage, id: string, type: string): ZipEntry | null {
  const rel = pkg.rels.get(id);
  if (!rel || rel.external || rel.type !== type) return null;
  return pkg.zip.entry(rel.target);
}

/** The content types declared in [Content_Types].xml, all lower-cased. */
function readContentTypes(zip: SafeZip, entry: ZipEntry): string[] {
  const types: string[] = [];
  readXmlPart(zip, entry, {
    open(name, attrs) {
      if (name === 'ct:Override' || name === 'ct:Default') types.push((attrs['ContentType'] ?? '').toLowerCase());
    },
    close() {},
    text() {},
  });
  return types;
}

/**
 * Opens a .docx: size, signature and zip checks, refusal of encrypted, legacy and macro-enabled files, then the
 * main document part and its related parts found through the relationships.
 */
export function openPackage(bytes: Uint8Array, limits: DocxImportLimits): WordPackage {
  const oversized = fileSizeRefusal(bytes.length, limits);
  if (oversized) throw oversized;
  if (isCompoundFile(bytes)) {
    throw new DocxImportError(
      'encrypted',
      'This file is either password-protected or an old Word 97-2003 document (.doc). Open it in Word, remove any password (File > Info > Protect Document), save it as "Word Document (*.docx)" and import that file.',
    );
  }
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
  if (!isZip) {
    throw new DocxImportError('not-docx', 'This file is not a Word document (.docx). In Word, choose File > Save As and pick "Word Document (*.docx)".');
  }
  const zip = new SafeZip(bytes, limits);

  for (const name of zip.names()) {
    const lower = name.toLowerCase();
    if (lower.endsWith('vbaproject.bin') || lower.endsWith('vbadata.xml')) throw new DocxImportError('macro-enabled', MACRO_MESSAGE);
  }
  const contentTypesEntry = zip.entry('[Content_Types].xml');
  if (!contentTypesEntry) {
    throw new DocxImportError('not-docx', 'This file is a zip archive but not a Word document (.docx). In Word, choose File > Save As and pick "Word Document (*.docx)".');
  }
  const contentTypes = readContentTypes(zip, contentTypesEntry);
  if (contentTypes.some((type) => type.includes('macroenabled') || type.includes('vbaproject'))) throw new DocxImportError('macro-enabled', MACRO_MESSAGE);

  const packageRels = readRels(zip, '');
  let mainName = 'word/document.xml';
  for (const rel of packageRels.values()) {
    if (rel.type === 'officeDocument' && !rel.external) {
      mainName = rel.target;
      break;
    }
  }
  const main = zip.entry(mainName);
  if (!main) {
    const what = contentTypes.some((type) => type.includes('spreadsheetml'))
      ? 'an Excel workbook'
      : contentTypes.some((type) => type.includes('presentationml'))
        ? 'a PowerPoint presentation'
        : 'not a Word document';
    throw new DocxImportError('not-docx', `This file is ${what}, so it cannot be imported as a text. Save the text from Word as "Word Document (*.docx)".`);
  }
  const rels = readRels(zip, main.name);
  const related = (type: string): ZipEntry | null => {
    for (const rel of rels.values()) if (rel.type === type && !rel.external) return zip.entry(rel.target);
    return null;
  };
  let core: ZipEntry | null = null;
  for (const rel of packageRels.values()) if (rel.type === 'core-properties' && !rel.external) core = zip.entry(rel.target);

  const styles = related('styles');
  const numbering = related('numbering');
  const footnotes = related('footnotes');
  const endnotes = related('endnotes');
  const relsParts = [zip.entry(relsPartOf('')), zip.entry(relsPartOf(main.name))];
  const parsed = new Set([contentTypesEntry, main, styles, numbering, footnotes, endnotes, core, ...relsParts].filter((e) => e !== null));
  const otherXml = zip
    .names()
    .map((name) => zip.entry(name) as ZipEntry)
    .filter((entry) => !parsed.has(entry) && /\.(xml|rels|vml)$/i.test(entry.name));
  return { zip, main, rels, styles, numbering, footnotes, endnotes, core, otherXml };
}

/** Scans every XML part the import does not parse for DOCTYPE or ENTITY declarations. */
export function scanOtherParts(pkg: WordPackage): void {
  for (const entry of pkg.otherXml) scanXmlPart(pkg.zip, entry);
}
