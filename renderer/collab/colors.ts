/**
 * One colour per person, the same on every screen and in every session: derived from the account name only,
 * so the chair's cursor, their presence chip and their selection always match without anyone storing a colour.
 */

/** Distinct, readable on white, 6-digit hex (y-prosemirror's cursor plugin accepts only that form). */
export const PRESENCE_COLORS: readonly string[] = [
  '#1f6fc5',
  '#c2410c',
  '#15803d',
  '#9333ea',
  '#b91c1c',
  '#0e7490',
  '#a16207',
  '#be185d',
  '#4d7c0f',
  '#4338ca',
  '#7c2d12',
  '#047857',
];

/** FNV-1a over UTF-16 code units: tiny, stable across browsers and sessions, and spreads similar names apart. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The colour of the person signed in as `accountName` (case and surrounding spaces do not matter). */
export function colorForUser(accountName: string): string {
  const key = accountName.trim().toLowerCase();
  return PRESENCE_COLORS[stableHash(key) % PRESENCE_COLORS.length] ?? '#1f6fc5';
}

/** One or two letters for a person's chip: "Ana Ruiz" -> "AR", "FRA" -> "FR", "chair" -> "CH". */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return '?';
  if (words.length === 1) return (words[0] ?? '?').slice(0, 2).toUpperCase();
  return `${(words[0] ?? '?')[0] ?? ''}${(words[words.length - 1] ?? '?')[0] ?? ''}`.toUpperCase();
}
