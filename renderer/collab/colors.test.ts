import { describe, expect, it } from 'vitest';
import { PRESENCE_COLORS, colorForUser, initialsOf } from './colors.ts';

describe('colorForUser', () => {
  it('gives the same person the same colour every time, whatever the case and spaces', () => {
    expect(colorForUser('Ana Ruiz')).toBe(colorForUser('  ana ruiz '));
    expect(colorForUser('chair')).toBe(colorForUser('chair'));
  });

  it('always answers a 6-digit hex colour from the palette', () => {
    for (const name of ['', 'x', 'FRA', 'Délégation du Brésil', '主席']) {
      const color = colorForUser(name);
      expect(color).toMatch(/^#[0-9a-f]{6}$/);
      expect(PRESENCE_COLORS).toContain(color);
    }
  });

  it('spreads a room of people over several colours', () => {
    const names = ['chair', 'vice-chair', 'FRA', 'BRA', 'USA', 'CHN', 'IND', 'ZAF', 'DEU', 'JPN'];
    expect(new Set(names.map(colorForUser)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('initialsOf', () => {
  it('takes the first and last word, or the first two letters', () => {
    expect(initialsOf('Ana Maria Ruiz')).toBe('AR');
    expect(initialsOf('fra')).toBe('FR');
    expect(initialsOf('vice-chair')).toBe('VC');
    expect(initialsOf('   ')).toBe('?');
  });
});
