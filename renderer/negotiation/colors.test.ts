import { describe, expect, it } from 'vitest';
import { CHAIR_COLOR, delegationColor } from './colors.ts';

describe('delegationColor', () => {
  it('is a stable hex colour per code, the Chair in its own ink', () => {
    expect(delegationColor('FRA')).toMatch(/^#[0-9a-f]{6}$/);
    expect(delegationColor('FRA')).toBe(delegationColor('fra '));
    expect(delegationColor('CHAIR')).toBe(CHAIR_COLOR);
  });

  it('spreads codes over many colours, dark enough to read on white', () => {
    const codes = ['FRA', 'BRA', 'DEU', 'USA', 'CHN', 'IND', 'ZAF', 'EU', 'G77', 'JPN', 'MEX', 'EGY'];
    const colors = new Set(codes.map(delegationColor));
    expect(colors.size).toBeGreaterThanOrEqual(10);
    for (const color of colors) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255) as [number, number, number];
      const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      // Contrast with white of at least 3:1 (large text, underlines and strike-through marks).
      expect(1.05 / (luminance + 0.05)).toBeGreaterThanOrEqual(3);
    }
  });
});
