import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { displayedStatus, isLocked, lockedPids, lockedPidsTouched } from './statuses.ts';
import { statusesMap } from './store.ts';

describe('paragraph statuses', () => {
  it('names the locked paragraphs a change touches, once each, in the order given', () => {
    const locked = new Set(['p2', 'p4']);
    expect(lockedPidsTouched(['p1', 'p4', 'p2', 'p4'], locked)).toEqual(['p4', 'p2']);
    expect(lockedPidsTouched(['p1', 'p3'], locked)).toEqual([]);
    expect(lockedPidsTouched(new Set(['p2']), (pid) => pid === 'p2')).toEqual(['p2']);
  });

  it('shows "under negotiation" only for an open paragraph with pending proposals', () => {
    expect(displayedStatus(null, 0)).toBe('open');
    expect(displayedStatus(null, 2)).toBe('under negotiation');
    expect(displayedStatus('open', 1)).toBe('under negotiation');
    expect(displayedStatus('bracketed', 3)).toBe('bracketed');
    expect(displayedStatus('agreed', 1)).toBe('agreed');
  });

  it('treats a malformed status as no status, never as a lock', () => {
    const chair = new Y.Doc();
    statusesMap(chair).set('p1', { status: 'agreed', reason: '', by: 'Chair', at: '2025-01-01T00:00:00.000Z' });
    statusesMap(chair).set('p2', { status: 'agreed' });
    statusesMap(chair).set('p3', { status: 'bracketed', reason: '', by: 'Chair', at: '2025-01-01T00:00:00.000Z' });
    expect(isLocked(chair, 'p1')).toBe(true);
    expect(isLocked(chair, 'p2')).toBe(false);
    expect(lockedPids(chair)).toEqual(new Set(['p1']));
  });
});
