import { describe, expect, it } from 'vitest';
import { MAX_EXPORT_AUTHOR_LENGTH, ipcRequestSchemas } from './ipc.ts';

const exportRequest = ipcRequestSchemas.exportDocument;
const base = { id: 'doc-1', kind: 'comparison', format: 'docx', from: 'rev-1', to: 'current' } as const;

describe('the author of an exported comparison', () => {
  it('is optional, and trimmed when given', () => {
    expect(exportRequest.parse(base)).not.toHaveProperty('author');
    expect(exportRequest.parse({ ...base, author: '  Ana Ortiz ' }).author).toBe('Ana Ortiz');
    expect(exportRequest.parse({ ...base, author: 'Ambassador of Côte d’Ivoire' }).author).toBe('Ambassador of Côte d’Ivoire');
  });

  it('refuses an empty name, one too long for Word, control characters and anything but a string', () => {
    const refused = (author: unknown) => exportRequest.safeParse({ ...base, author }).success === false;
    expect(refused('   ')).toBe(true);
    expect(refused('x'.repeat(MAX_EXPORT_AUTHOR_LENGTH + 1))).toBe(true);
    expect(refused('x'.repeat(MAX_EXPORT_AUTHOR_LENGTH))).toBe(false);
    expect(refused('Ana\u0000Ortiz')).toBe(true);
    expect(refused('Ana\nOrtiz')).toBe(true);
    expect(refused('Ana\u0085Ortiz')).toBe(true);
    expect(refused(42)).toBe(true);
    expect(exportRequest.safeParse({ ...base, author: 'Ana\u0007' }).error?.issues[0]?.message).toBe('an author name cannot contain control characters');
  });
});
