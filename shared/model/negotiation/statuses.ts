/**
 * Paragraph statuses: what the chair stored (open, bracketed, alternatives, agreed ad ref) and what a paragraph
 * shows ('under negotiation' is computed, never stored). An agreed paragraph is locked until the chair reopens it.
 */
import type * as Y from 'yjs';
import { readStatus, statusesMap } from './store.ts';
import { ParagraphStatus, type DisplayedStatus, type StoredStatus } from './types.ts';

/** Whether the paragraph is agreed ad ref, so neither proposals nor edits may touch it. */
export function isLocked(chairDoc: Y.Doc, pid: string): boolean {
  return readStatus(chairDoc, pid)?.status === 'agreed';
}

/** Every locked (agreed ad ref) pid. */
export function lockedPids(chairDoc: Y.Doc): Set<string> {
  const locked = new Set<string>();
  statusesMap(chairDoc).forEach((value, pid) => {
    const parsed = ParagraphStatus.safeParse(value);
    if (parsed.success && parsed.data.status === 'agreed') locked.add(pid);
  });
  return locked;
}

/**
 * The locked pids among those a change touches, in the order given, each once: the editor refuses a transaction
 * when this is non-empty (and can name the paragraphs). Pure, so the editor computes the touched pids its way.
 */
export function lockedPidsTouched(touched: Iterable<string>, locked: ReadonlySet<string> | ((pid: string) => boolean)): string[] {
  const isLockedPid = typeof locked === 'function' ? locked : (pid: string) => locked.has(pid);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const pid of touched) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (isLockedPid(pid)) found.push(pid);
  }
  return found;
}

/** What a paragraph shows: its stored status, or 'under negotiation' when open with proposals still pending. */
export function displayedStatus(stored: StoredStatus | null, pendingProposals: number): DisplayedStatus {
  const status = stored ?? 'open';
  return status === 'open' && pendingProposals > 0 ? 'under negotiation' : status;
}
