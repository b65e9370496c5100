import { describe, expect, it } from 'vitest';
import { Decision, LogEntry, NegotiationError, Proposal, parseOrRefuse } from './types.ts';

const base = {
  id: 'FRA-m5d4ruo0-ab12',
  kind: 'replace',
  pid: 'p1',
  from: { item: { client: 1, clock: 4 }, assoc: 0 },
  to: { item: { client: 1, clock: 9 }, assoc: -1 },
  quote: 'prevent',
  text: 'deter',
  afterPid: null,
  rationale: '',
  agreedLanguage: null,
  cosponsors: [],
  author: { code: 'FRA', name: 'Marie' },
  recordedBy: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  revision: null,
};

describe('stored shapes', () => {
  it('accepts a well-formed proposal and refuses the shapes a kind cannot have', () => {
    expect(Proposal.safeParse(base).success).toBe(true);
    const refused = (change: Record<string, unknown>) => Proposal.safeParse({ ...base, ...change }).success;
    expect(refused({ id: 'BRA-m5d4ruo0-ab12' })).toBe(false);
    expect(refused({ to: null })).toBe(false);
    expect(refused({ quote: '', text: '' })).toBe(false);
    expect(refused({ text: 'prevent' })).toBe(false);
    expect(refused({ kind: 'new-paragraph', from: null, to: null, text: ' ' })).toBe(false);
    expect(refused({ kind: 'move-paragraph', from: null, to: null, afterPid: 'p1' })).toBe(false);
    expect(refused({ afterPid: 'p2' })).toBe(false);
    expect(refused({ cosponsors: ['FRA'] })).toBe(false);
    expect(refused({ cosponsors: ['BRA', 'BRA'] })).toBe(false);
    expect(refused({ author: { code: 'fra', name: 'Marie' }, id: 'fra-m5d4ruo0-ab12' })).toBe(false);
    expect(refused({ createdAt: 'yesterday' })).toBe(false);
    expect(refused({ from: {}, to: {} })).toBe(false);
    expect(refused({ kind: 'comment', text: 'Why?' })).toBe(true);
  });

  it('pairs a decision\u2019s extra fields with its kind and wants a reason', () => {
    const decision = { kind: 'accepted', reason: 'Support', by: 'Chair', at: '2025-01-01T00:00:00.000Z' };
    expect(Decision.safeParse(decision).success).toBe(true);
    expect(Decision.safeParse({ ...decision, reason: ' ' }).success).toBe(false);
    expect(Decision.safeParse({ ...decision, kind: 'accepted-as-modified' }).success).toBe(false);
    expect(Decision.safeParse({ ...decision, kind: 'accepted-as-modified', modifiedText: '' }).success).toBe(true);
    expect(Decision.safeParse({ ...decision, kind: 'merged' }).success).toBe(false);
    expect(Decision.safeParse({ ...decision, compromiseId: 'CHAIR-1-a' }).success).toBe(false);
    expect(LogEntry.safeParse({ type: 'decision', proposalId: 'FRA-1-a', pid: 'p1', ...decision }).success).toBe(true);
    expect(LogEntry.safeParse({ type: 'other', ...decision }).success).toBe(false);
  });

  it('turns a schema failure into a NegotiationError that names the field', () => {
    try {
      parseOrRefuse(Proposal, { ...base, pid: '' }, 'The proposal');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(NegotiationError);
      expect((error as NegotiationError).code).toBe('invalid');
      expect((error as Error).message).toMatch(/^The proposal is not valid: pid: /);
    }
  });
});
