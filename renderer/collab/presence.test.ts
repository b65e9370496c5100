import { describe, expect, it } from 'vitest';
import { colorForUser } from './colors.ts';
import { describeRole, parsePresence, presenceLabel } from './presence.ts';

const message = (users: unknown[]) => JSON.stringify({ type: 'presence', users });

describe('parsePresence', () => {
  it('lists the chair first, then delegations by code, then the others', () => {
    const users = parsePresence(
      message([
        { name: 'observer-1', role: 'observer', delegation: null, connections: 1 },
        { name: 'brasil', role: 'delegation', delegation: 'BRA', connections: 2 },
        { name: 'Chair', role: 'chair', delegation: null, connections: 1 },
        { name: 'france', role: 'delegation', delegation: 'FRA', connections: 1 },
        { name: 'secretariat', role: 'secretariat', delegation: null, connections: 1 },
      ]),
    );
    expect(users?.map((u) => u.name)).toEqual(['Chair', 'brasil', 'france', 'secretariat', 'observer-1']);
    expect(users?.[1]).toEqual({ name: 'brasil', role: 'delegation', delegation: 'BRA', connections: 2, color: colorForUser('brasil') });
  });

  it('skips entries it cannot trust and repeated names', () => {
    const users = parsePresence(
      message([
        { name: 'Chair', role: 'chair' },
        { name: 'Chair', role: 'chair' },
        { name: '', role: 'chair' },
        { name: 'x', role: 'emperor' },
        { role: 'delegation', delegation: 'FRA' },
        'nonsense',
        null,
        { name: 'y', role: 'chair', delegation: 'FRA', connections: -3 },
      ]),
    );
    expect(users?.map((u) => [u.name, u.delegation, u.connections])).toEqual([
      ['Chair', null, 1],
      ['y', null, 1],
    ]);
  });

  it('is null for anything that is not a presence message', () => {
    expect(parsePresence('not json')).toBeNull();
    expect(parsePresence('"presence"')).toBeNull();
    expect(parsePresence(JSON.stringify({ type: 'other', users: [] }))).toBeNull();
    expect(parsePresence(JSON.stringify({ type: 'presence', users: 'all' }))).toBeNull();
    expect(parsePresence(message([]))).toEqual([]);
  });
});

describe('presenceLabel', () => {
  it('names the person and what they are', () => {
    expect(presenceLabel({ name: 'france', role: 'delegation', delegation: 'FRA' })).toBe('france — Delegation of FRA');
    expect(presenceLabel({ name: 'Ana', role: 'chair', delegation: null })).toBe('Ana — Chair');
    expect(describeRole('observer', null)).toBe('Observer');
  });
});
