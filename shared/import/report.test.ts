import { describe, expect, it } from 'vitest';
import { ReportBuilder, exampleOf } from './report.ts';

describe('ReportBuilder', () => {
  it('counts and lists losses with their first example, in the order met', () => {
    const report = new ReportBuilder();
    report.count('links');
    report.count('links', 2);
    report.lost('images');
    report.lost('unsafe links', '  ');
    report.lost('unsafe links', 'javascript:alert(1)');
    report.lost('images', 'ignored, the first example stays empty until one is given');
    expect(report.build()).toEqual({
      counts: { links: 3 },
      notKept: [
        { what: 'images', count: 2, example: 'ignored, the first example stays empty until one is given' },
        { what: 'unsafe links', count: 2, example: 'javascript:alert(1)' },
      ],
    });
  });

  it('shortens examples to one line of at most 80 characters', () => {
    expect(exampleOf('a\n b')).toBe('a b');
    expect(exampleOf('x'.repeat(100))).toHaveLength(80);
  });
});
