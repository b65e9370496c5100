/**
 * One colour per delegation (or group), the same on every screen: derived from the code only, so FRA's insertions,
 * its margin cards and its filter chip match everywhere without anyone storing a colour. With up to ~200
 * delegations some share a hue; the code printed on every mark and card tells them apart.
 */
import { CHAIR_CODE } from '../../shared/model/negotiation/index.ts';
import { stableHash } from '../collab/colors.ts';

function hex(value: number): string {
  return Math.round(value * 255)
    .toString(16)
    .padStart(2, '0');
}

/** HSL to `#rrggbb` (s and l in 0..1). */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12;
    return lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return `#${hex(channel(0))}${hex(channel(8))}${hex(channel(4))}`;
}

/** The Chair's compromises are in the chair's own ink. */
export const CHAIR_COLOR = '#334155';

/**
 * The colour of a delegation's marks: a hue from the code at a saturation and lightness that keep text and
 * underlines readable on white (contrast above 4.5:1 for the darker hues, never pale yellow).
 */
export function delegationColor(code: string): string {
  if (code === CHAIR_CODE) return CHAIR_COLOR;
  const h = stableHash(code.trim().toUpperCase());
  const hue = h % 360;
  // Yellows and greens look lighter at the same lightness: darken them so they stay readable.
  const lightness = hue > 40 && hue < 170 ? 0.3 : 0.4;
  return hslToHex(hue, 0.72, lightness);
}
