/**
 * How another member of the chair's team appears in the text: a thin caret in their colour with their name
 * above it, and their selection tinted in the same colour (y-prosemirror's cursor plugin draws them).
 */
import type { DecorationAttrs } from 'prosemirror-view';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour from awareness (which anyone may write) that is safe to put in a style attribute. */
function safeColor(value: unknown): string {
  return typeof value === 'string' && HEX_COLOR.test(value) ? value : '#5f6b7a';
}

/** A name from awareness, bounded so a forged state cannot blow up the page. */
function safeName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  return name === '' ? 'Someone' : name.slice(0, 60);
}

/** The caret widget of one remote person. */
export function buildRemoteCursor(user: { name?: unknown; color?: unknown }): HTMLElement {
  const color = safeColor(user.color);
  const cursor = document.createElement('span');
  cursor.className = 'remote-cursor';
  cursor.style.borderColor = color;
  cursor.setAttribute('data-testid', 'remote-cursor');
  const label = document.createElement('span');
  label.className = 'remote-cursor-label';
  label.style.backgroundColor = color;
  // textContent, never HTML: the name comes from another client.
  label.textContent = safeName(user.name);
  cursor.append('\u2060', label, '\u2060');
  return cursor;
}

/** The tint of one remote person's selection. */
export function remoteSelectionAttrs(user: { color?: unknown }): DecorationAttrs {
  return { style: `background-color: ${safeColor(user.color)}33`, class: 'remote-selection' };
}
