/**
 * Word exports in the UN house style: the clean text (Word numbering, so Word renumbers), the compilation (every
 * paragraph with its proposals under it) and the comparison of two versions (real tracked changes).
 */
export { cleanDocx } from './clean.ts';
export { compilationDocx, type CompilationDocxOptions } from './compilation.ts';
export { comparisonDocx, type ComparisonDocxOptions } from './comparison.ts';
export type { DocxExportOptions } from './options.ts';
