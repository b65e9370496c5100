import { describe, expect, it } from 'vitest';
import { firstSentence, reduceConnection, sameView, type ConnectionFacts } from './connectionState.ts';

const facts = (change: Partial<ConnectionFacts>): ConnectionFacts => ({
  socket: 'connected',
  providers: [
    { synced: true, pendingChanges: 0 },
    { synced: true, pendingChanges: 0 },
  ],
  problem: null,
  lastCloseMessage: null,
  ...change,
});

describe('reduceConnection', () => {
  it('is Online when connected, synced and nothing is pending', () => {
    expect(reduceConnection(facts({}))).toMatchObject({ tone: 'online', label: 'Online', pending: 0 });
  });

  it('is Syncing… while a doc has not finished its first exchange or changes wait for the server', () => {
    expect(reduceConnection(facts({ providers: [{ synced: false, pendingChanges: 0 }] })).label).toBe('Syncing…');
    expect(reduceConnection(facts({ providers: [{ synced: true, pendingChanges: 2 }] }))).toMatchObject({ tone: 'syncing', pending: 2 });
  });

  it('counts the changes not yet on the server while offline, over every doc', () => {
    const view = reduceConnection(
      facts({
        socket: 'disconnected',
        providers: [
          { synced: false, pendingChanges: 3 },
          { synced: false, pendingChanges: 1 },
        ],
      }),
    );
    expect(view).toMatchObject({ tone: 'offline', label: 'Offline — 4 changes not yet on the server', pending: 4 });
    expect(reduceConnection(facts({ socket: 'connecting', providers: [{ synced: false, pendingChanges: 1 }] })).label).toBe(
      'Offline — 1 change not yet on the server',
    );
    expect(reduceConnection(facts({ socket: 'disconnected', providers: [{ synced: false, pendingChanges: 0 }] })).label).toBe('Offline');
  });

  it('shows a refusal as a problem with its sentence, keeping the pending count', () => {
    const view = reduceConnection(
      facts({ socket: 'disconnected', problem: { kind: 'refused', message: 'Please update Penholder.' }, providers: [{ synced: false, pendingChanges: 5 }] }),
    );
    expect(view).toEqual({ tone: 'problem', label: 'Please update Penholder — 5 changes not yet on the server', detail: 'Please update Penholder.', pending: 5, action: null });
    expect(reduceConnection(facts({ problem: { kind: 'signed-out', message: 'Sign in.' } }))).toMatchObject({ label: 'Signed out', action: 'sign-in' });
  });

  it('explains an offline state with the last close remark when there is one', () => {
    expect(reduceConnection(facts({ socket: 'disconnected', lastCloseMessage: 'The server is limiting…' })).detail).toBe('The server is limiting…');
  });

  it('compares views by what they show', () => {
    expect(sameView(reduceConnection(facts({})), reduceConnection(facts({})))).toBe(true);
    expect(sameView(reduceConnection(facts({})), reduceConnection(facts({ socket: 'disconnected' })))).toBe(false);
  });
});

describe('firstSentence', () => {
  it('keeps the first sentence of a close reason for the status bar', () => {
    expect(firstSentence('Please update Penholder: this server needs a newer version. Your changes are kept on this computer.')).toBe(
      'Please update Penholder: this server needs a newer version',
    );
    expect(firstSentence('No full stop')).toBe('No full stop');
  });
});
