import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatModified, uniqueTitle } from './format.ts';

describe('formatBytes', () => {
  it('reads as a person would say it', () => {
    expect(formatBytes(820)).toBe('820 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(14 * 1024)).toBe('14 KB');
    expect(formatBytes(2.34 * 1024 * 1024)).toBe('2.3 MB');
  });
});

describe('formatModified', () => {
  const now = new Date(2026, 5, 12, 15, 30).getTime();
  it('shows the time for today, the day for this year and the year otherwise', () => {
    expect(formatModified(new Date(2026, 5, 12, 9, 5).getTime(), now)).toBe('09:05');
    expect(formatModified(new Date(2026, 0, 3, 9, 5).getTime(), now)).toBe('3 Jan');
    expect(formatModified(new Date(2024, 10, 30).getTime(), now)).toBe('30 Nov 2024');
  });
});

describe('uniqueTitle', () => {
  it('adds the first free number, ignoring case and spaces', () => {
    expect(uniqueTitle('Untitled document', ['Zero draft'])).toBe('Untitled document');
    expect(uniqueTitle('Untitled document', ['untitled document ', 'Untitled document 2'])).toBe('Untitled document 3');
  });
});

describe('formatCount', () => {
  it('agrees the noun with the number', () => {
    expect(formatCount(1, 'word', 'words')).toBe('1 word');
    expect(formatCount(12345, 'word', 'words')).toBe('12,345 words');
  });
});
