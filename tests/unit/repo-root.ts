/**
 * The repository root, for unit tests that read project files.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRootForTests = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
