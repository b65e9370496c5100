/**
 * A zip reader that trusts nothing: the central directory is checked (entry count, declared sizes, compression
 * ratios, overlapping entries, bounds) before a single byte is inflated, and inflation then runs in small steps
 * that count the bytes really produced, because a declared size can lie.
 */
import { Inflate, strFromU8 } from 'fflate';
import { DocxImportError, formatBytes, type DocxImportLimits } from './errors.ts';

/** One file inside the zip, as its central directory describes it. */
export interface ZipEntry {
  /** The name as stored ("word/document.xml"). */
  readonly name: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  /** The declared uncompressed size. */
  readonly size: number;
  readonly crc: number;
  /** Where the compressed bytes start in the file. */
  readonly dataStart: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Entries below this size are not ratio-checked: a small, very repetitive XML part is normal and harmless. */
const RATIO_CHECK_FROM = 1024 * 1024;
/** Compressed bytes handed to the inflater per step: at most about 4 MB of output per step (deflate tops out near 1032:1). */
const INFLATE_STEP = 4096;

let crcTable: Int32Array | null = null;

/** The CRC-32 table of zip (polynomial 0xEDB88320), built on first use. */
function table(): Int32Array {
  if (crcTable) return crcTable;
  crcTable = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c;
  }
  return crcTable;
}

/** Continues a CRC-32 over `chunk` (start with 0xFFFFFFFF, finish with `~crc >>> 0`). */
function crcUpdate(crc: number, chunk: Uint8Array): number {
  const t = table();
  let c = crc;
  for (let i = 0; i < chunk.length; i += 1) c = (t[(c ^ (chunk[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c;
}

function corrupt(detail: string): DocxImportError {
  return new DocxImportError('corrupt', `This Word file is damaged and cannot be opened (${detail}). Ask the sender for a fresh copy, or open it in Word and save it again.`);
}

/** The CRC-32 of zip entries. */
export function crc32(data: Uint8Array): number {
  return ~crcUpdate(0xffffffff, data) >>> 0;
}

/** Whether the bytes start with the OLE compound-file signature (an encrypted .docx or a Word 97-2003 .doc). */
export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0 && bytes[4] === 0xa1 && bytes[5] === 0xb1;
}

/** A checked zip archive in memory; `read` inflates one entry in bounded steps. */
export class SafeZip {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #limits: DocxImportLimits;
  readonly #entries = new Map<string, ZipEntry>();
  #inflated = 0;

  constructor(bytes: Uint8Array, limits: DocxImportLimits) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#limits = limits;
    this.#readDirectory();
  }

  /** Every entry name, in directory order. */
  names(): string[] {
    return [...this.#entries.values()].map((entry) => entry.name);
  }

  /** The entry of a part name, matched without case as OPC part names are (a leading "/" is ignored). */
  entry(name: string): ZipEntry | null {
    return this.#entries.get(normalizeName(name)) ?? null;
  }

  /** Bytes inflated so far, over every entry read. */
  get inflatedBytes(): number {
    return this.#inflated;
  }

  #u16(at: number): number {
    return this.#view.getUint16(at, true);
  }

  #u32(at: number): number {
    return this.#view.getUint32(at, true);
  }

  #readDirectory(): void {
    const bytes = this.#bytes;
    const limits = this.#limits;
    if (bytes.length < 22) throw corrupt('the file is too short to be a zip archive');
    // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
    let eocd = -1;
    const stop = Math.max(0, bytes.length - 22 - 0xffff);
    for (let at = bytes.length - 22; at >= stop; at -= 1) {
      if (this.#u32(at) === END_OF_CENTRAL_DIRECTORY) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) throw corrupt('the end of the zip archive is missing; the file was probably cut off while copying');
    const disk = this.#u16(eocd + 4);
    const directoryDisk = this.#u16(eocd + 6);
    const count = this.#u16(eocd + 10);
    const directorySize = this.#u32(eocd + 12);
    const directoryOffset = this.#u32(eocd + 16);
    if (disk !== 0 || directoryDisk !== 0) throw corrupt('it is one part of a multi-volume zip archive');
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      throw new DocxImportError('too-large', 'This file uses the ZIP64 format for archives over 4 GB, which no negotiating text needs; it cannot be imported.');
    }
    if (count > limits.maxEntries) {
      throw new DocxImportError('too-large', `This file holds ${count} files inside its archive, more than the ${limits.maxEntries} a Word document may have; it cannot be imported.`);
    }
    if (directoryOffset + directorySize > eocd) throw corrupt('its table of contents points outside the file');

    let at = directoryOffset;
    let declaredTotal = 0;
    const ranges: Array<{ start: number; end: number; name: string }> = [];
    for (let index = 0; index < count; index += 1) {
      if (at + 46 > eocd || this.#u32(at) !== CENTRAL_HEADER) throw corrupt('its table of contents is cut short');
      const flags = this.#u16(at + 8);
      const method = this.#u16(at + 10);
      const crc = this.#u32(at + 16);
      const compressedSize = this.#u32(at + 20);
      const size = this.#u32(at + 24);
      const nameLength = this.#u16(at + 28);
      const extraLength = this.#u16(at + 30);
      const commentLength = this.#u16(at + 32);
      const localOffset = this.#u32(at + 42);
      const nameEnd = at + 46 + nameLength;
      if (nameEnd > eocd) throw corrupt('its table of contents is cut short');
      // Bit 11: the name is UTF-8; otherwise code page 437, which is ASCII for every name a docx uses.
      const name = strFromU8(bytes.subarray(at + 46, nameEnd), (flags & 0x800) === 0);
      at = nameEnd + extraLength + commentLength;

      if (flags & 0x1) {
        throw new DocxImportError('encrypted', 'This Word file is password-protected. Open it in Word, remove the password (File > Info > Protect Document), save it as .docx and import it again.');
      }
      if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
        throw new DocxImportError('too-large', 'This file uses the ZIP64 format for archives over 4 GB, which no negotiating text needs; it cannot be imported.');
      }
      if (method !== 0 && method !== 8) throw corrupt(`the part "${name}" uses compression method ${method}, which Word never writes`);
      if (method === 0 && compressedSize !== size) throw corrupt(`the stored part "${name}" has inconsistent sizes`);
      if (size > RATIO_CHECK_FROM && size / Math.max(1, compressedSize) > limits.maxCompressionRatio) {
        throw new DocxImportError(
          'zip-bomb',
          `This file looks like a "zip bomb": its part "${name}" would expand ${Math.round(size / Math.max(1, compressedSize))} times, to ${formatBytes(size)}. It was not opened.`,
        );
      }
      declaredTotal += size;
      if (declaredTotal > limits.maxUncompressedBytes) {
        throw new DocxImportError(
          'too-large',
          `This Word file expands to more than ${formatBytes(limits.maxUncompressedBytes)} once unpacked, more than a negotiating text needs; it cannot be imported. Remove large images or split the document.`,
        );
      }

      if (localOffset + 30 > directoryOffset || this.#u32(localOffset) !== LOCAL_HEADER) throw corrupt(`the part "${name}" is missing`);
      const dataStart = localOffset + 30 + this.#u16(localOffset + 26) + this.#u16(localOffset + 28);
      if (dataStart + compressedSize > directoryOffset) throw corrupt(`the part "${name}" is cut short`);
      ranges.push({ start: localOffset, end: dataStart + compressedSize, name });

      const key = normalizeName(name);
      if (this.#entries.has(key)) throw corrupt(`the part "${name}" appears twice`);
      this.#entries.set(key, { name, method, compressedSize, size, crc, dataStart });
    }
    // Entries sharing compressed bytes are the "overlapping files" zip bomb: many names, one huge stream.
    ranges.sort((x, y) => x.start - y.start);
    for (let index = 1; index < ranges.length; index += 1) {
      const previous = ranges[index - 1] as { end: number; name: string };
      const current = ranges[index] as { start: number; name: string };
      if (current.start < previous.end) {
        throw new DocxImportError('zip-bomb', `This file looks like a "zip bomb": the parts "${previous.name}" and "${current.name}" share their compressed data. It was not opened.`);
      }
    }
  }

  /**
   * Inflates an entry, handing its bytes to `sink` in chunks of at most about 4 MB, and refuses it as soon as it
   * produces more than it declared (or more than the total budget), before the excess is ever kept.
   */
  read(entry: ZipEntry, sink: (chunk: Uint8Array) => void): void {
    const compressed = this.#bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    let produced = 0;
    let crc = 0xffffffff;
    const take = (chunk: Uint8Array): void => {
      if (chunk.length === 0) return;
      produced += chunk.length;
      this.#inflated += chunk.length;
      if (produced > entry.size) {
        throw new DocxImportError(
          'zip-bomb',
          `This file looks like a "zip bomb": its part "${entry.name}" declares ${formatBytes(entry.size)} but expands to more. It was not opened.`,
        );
      }
      if (this.#inflated > this.#limits.maxUncompressedBytes) {
        throw new DocxImportError('zip-bomb', `This file expands to more than ${formatBytes(this.#limits.maxUncompressedBytes)}; it looks like a "zip bomb" and was not opened.`);
      }
      crc = crcUpdate(crc, chunk);
      sink(chunk);
    };
    if (entry.method === 0) {
      for (let at = 0; at < compressed.length; at += 64 * 1024) take(compressed.subarray(at, Math.min(compressed.length, at + 64 * 1024)));
    } else {
      const inflater = new Inflate((chunk) => take(chunk));
      try {
        if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
        for (let at = 0; at < compressed.length; at += INFLATE_STEP) {
          const end = Math.min(compressed.length, at + INFLATE_STEP);
          inflater.push(compressed.subarray(at, end), end === compressed.length);
        }
      } catch (error) {
        if (error instanceof DocxImportError) throw error;
        throw corrupt(`the part "${entry.name}" cannot be decompressed`);
      }
    }
    if (produced !== entry.size) throw corrupt(`the part "${entry.name}" is shorter than it declares`);
    if ((~crc >>> 0) !== entry.crc) throw corrupt(`the part "${entry.name}" fails its checksum`);
  }
}

/** The lookup key of a part name: no leading slash, backslashes as slashes, lower case. */
function normalizeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}
