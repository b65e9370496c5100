/**
 * File-system steps that must survive a crash: atomic replacement, moving a damaged file aside without ever
 * overwriting anything, and making renames durable by syncing the directory.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The files SQLite keeps beside a database; they belong to it and move or go with it. */
export const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/**
 * Makes a rename or unlink in `dir` durable. Windows cannot open a directory for syncing and NTFS journals
 * metadata itself, so a failure there is not an error.
 */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `data` to `file` so that after a crash the file holds either the old or the new content, never a mix. */
export function writeFileAtomic(file: string, data: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(path.dirname(file));
}

/** A UTC time usable in a file name on every system (no colons): 20250131T142501123Z. */
export function fileTimestamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:.]/g, '');
}

/**
 * Moves `file` and its SQLite side files into `intoDir` as `<name>.<timestamp>` (side files keep their suffix
 * after it, so SQLite still pairs the moved database with its log), never replacing an existing file.
 * Returns the new path of `file`.
 */
export function moveAside(file: string, intoDir: string, at: number): string {
  fs.mkdirSync(intoDir, { recursive: true });
  const stem = path.join(intoDir, `${path.basename(file)}.${fileTimestamp(at)}`);
  let target = stem;
  for (let n = 1; [target, ...SQLITE_SIDE_SUFFIXES.map((s) => target + s)].some((f) => fs.existsSync(f)); n += 1) {
    target = `${stem}-${n}`;
  }
  fs.renameSync(file, target);
  for (const suffix of SQLITE_SIDE_SUFFIXES) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  fsyncDir(path.dirname(file));
  fsyncDir(intoDir);
  return target;
}

/** Size in bytes of a file, 0 when it does not exist. */
export function sizeOrZero(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
