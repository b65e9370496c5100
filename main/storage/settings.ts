/**
 * Workspace settings: a small JSON object of strings in `<dir>/settings.json`, replaced atomically on every
 * change. A damaged file is moved aside and reported; the app then starts with defaults rather than not at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StorageProblem } from '../../shared/ipc.ts';
import { StorageError, toStorageError } from './errors.ts';
import { moveAside, writeFileAtomic } from './files.ts';

const MAX_KEY_LENGTH = 100;
const MAX_VALUE_LENGTH = 64 * 1024;

/** The settings of one workspace, cached in memory and written through to disk. */
export class WorkspaceSettings {
  readonly file: string;
  readonly #values: Map<string, string>;

  private constructor(file: string, values: Map<string, string>) {
    this.file = file;
    this.#values = values;
  }

  /**
   * Reads `file`; a file that is not a JSON object of strings is moved into `damagedDir` and reported through
   * `report`, and the settings start empty.
   */
  static load(file: string, damagedDir: string, report: (problem: StorageProblem) => void): WorkspaceSettings {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new WorkspaceSettings(file, new Map());
      throw toStorageError(error, 'reading the workspace settings');
    }
    const values = parseSettings(text);
    if (values) return new WorkspaceSettings(file, values);
    const at = Date.now();
    const movedTo = moveAside(file, damagedDir, at);
    report({
      file,
      movedTo,
      message: `The settings file ${path.basename(file)} could not be read (it is not a JSON object of text values) and was moved to ${movedTo}; nothing was overwritten. Settings start from their defaults.`,
      at,
    });
    return new WorkspaceSettings(file, new Map());
  }

  /** The value of a setting, or null when it was never set. */
  get(key: string): string | null {
    checkKey(key);
    return this.#values.get(key) ?? null;
  }

  /** Sets (or with null, removes) a setting and writes the whole file atomically before returning. */
  set(key: string, value: string | null): void {
    checkKey(key);
    if (value !== null && (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH)) {
      throw new StorageError('invalid', `A setting value is text of at most ${MAX_VALUE_LENGTH} characters.`);
    }
    const next = new Map(this.#values);
    if (value === null) next.delete(key);
    else next.set(key, value);
    try {
      writeFileAtomic(this.file, `${JSON.stringify(Object.fromEntries(next), null, 2)}\n`);
    } catch (error) {
      throw toStorageError(error, 'saving the workspace settings');
    }
    // Only after the file is on disk, so memory never claims a setting a restart would not see.
    if (value === null) this.#values.delete(key);
    else this.#values.set(key, value);
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new StorageError('invalid', `A setting name is 1 to ${MAX_KEY_LENGTH} characters.`);
  }
}

function parseSettings(text: string): Map<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') return null;
    values.set(key, value);
  }
  return values;
}
