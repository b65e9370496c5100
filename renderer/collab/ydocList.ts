/**
 * The server's list of a document's Y.Docs (a stateless message on `D/text`, main/server/ydoc-list.ts): which
 * delegation docs exist, so this window opens every one of them (read-only but its own) and shows their proposals.
 */
import { ydocLocalNameSchema } from '../../shared/ipc.ts';
import { statelessMessageOfType } from './stateless.ts';

/** At most this many names are taken from one message: more would be a broken or hostile server. */
export const MAX_LISTED_YDOCS = 1000;

/**
 * Reads a stateless payload; returns the Y.Doc names it lists (each a valid `text`, `chair` or `d/<CODE>`, once),
 * or null when the payload is not a Y.Doc list (presence and other messages share the channel).
 */
export function parseYDocList(payload: string): string[] | null {
  const message = statelessMessageOfType(payload, 'ydocs');
  const ydocs = message?.['ydocs'];
  if (!Array.isArray(ydocs)) return null;
  const names = new Set<string>();
  for (const name of ydocs.slice(0, MAX_LISTED_YDOCS)) {
    if (typeof name === 'string' && ydocLocalNameSchema.safeParse(name).success) names.add(name);
  }
  return [...names];
}
