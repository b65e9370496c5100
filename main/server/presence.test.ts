import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRESENCE_INTERVAL_MS } from './presence.ts';
import type { PresenceMessage, PresentUser } from './presence.ts';
import { startTestServer, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer, TestProvider } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
let t: TestServer;
const tokens: Record<string, string> = {};

beforeEach(async () => {
  t = await startTestServer();
  await t.server.store.putDocument(DOC, 'Oceans');
  await t.server.store.putDocument('other-doc', 'Elsewhere');
  t.account('chair1', 'chair');
  t.account('fra1', 'delegation', { delegation: 'FRA' });
  t.account('obs1', 'observer');
  for (const name of ['chair1', 'fra1', 'obs1']) tokens[name] = (await t.signIn(name)).token;
});

afterEach(async () => {
  await t.close();
});

/** The last presence list a provider received. */
function lastPresence(provider: TestProvider): PresentUser[] | null {
  const last = provider.stateless.map((payload) => JSON.parse(payload) as PresenceMessage).filter((m) => m.type === 'presence').at(-1);
  return last?.users ?? null;
}

/** How many presence messages a provider received (the server also sends the Y.Doc list on D/text). */
function presenceCount(provider: TestProvider): number {
  return provider.stateless.filter((payload) => (JSON.parse(payload) as { type: string }).type === 'presence').length;
}

function names(provider: TestProvider): string {
  return (lastPresence(provider) ?? []).map((user) => `${user.name}:${user.connections}`).join(',');
}

describe('presence', () => {
  it('sends the signed-in users of every Y.Doc of D on D/text, once on connect and on every change', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: tokens.chair1 as string });
    await chair.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1', 'the chair sees itself');

    // A delegation on its own Y.Doc only (not on the text) is present on D.
    const fra = t.provider({ docName: `${DOC}/d/FRA`, token: tokens.fra1 as string });
    await fra.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1,fra1:1', 'the chair sees the delegation');
    expect(lastPresence(chair)).toEqual([
      { name: 'chair1', role: 'chair', delegation: null, connections: 1 },
      { name: 'fra1', role: 'delegation', delegation: 'FRA', connections: 1 },
    ]);
    // Not sent on the delegation's own Y.Doc.
    expect(fra.stateless).toEqual([]);

    // A second client of the same delegate counts as a second connection; its Y.Docs on one socket count once.
    const socket = t.socket();
    const fraText = t.provider({ docName: `${DOC}/text`, token: tokens.fra1 as string, socket });
    const fraChair = t.provider({ docName: `${DOC}/chair`, token: tokens.fra1 as string, socket });
    await Promise.all([fraText.whenSynced(), fraChair.whenSynced()]);
    await waitUntil(() => names(chair) === 'chair1:1,fra1:2', 'two connections of fra1');
    // The new D/text connection got the current list on connect.
    await waitUntil(() => names(fraText) === 'chair1:1,fra1:2', 'the new connection has the list');

    // A user on another document is not present on D.
    const elsewhere = t.provider({ docName: 'other-doc/text', token: tokens.obs1 as string });
    await elsewhere.whenSynced();
    await waitUntil(() => names(elsewhere) === 'obs1:1', 'the observer sees its own document');

    fraText.destroy();
    fraChair.destroy();
    socket.destroy();
    await waitUntil(() => names(chair) === 'chair1:1,fra1:1', 'the second client left');
    fra.destroy();
    await waitUntil(() => names(chair) === 'chair1:1', 'the delegation left');
    expect(chair.stateless.every((payload) => !payload.includes('obs1'))).toBe(true);
  });

  it('does not repeat an unchanged list', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: tokens.chair1 as string });
    await chair.whenSynced();
    const socket = t.socket();
    const text = t.provider({ docName: `${DOC}/text`, token: tokens.obs1 as string, socket });
    await text.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1,obs1:1', 'the observer is present');
    // Only presence messages: the server also sends the list of D's Y.Docs on D/text (ydoc-list.ts).
    const sent = presenceCount(chair);
    // The observer opens another Y.Doc on the same socket: same users, same counts.
    const chairDoc = t.provider({ docName: `${DOC}/chair`, token: tokens.obs1 as string, socket });
    await chairDoc.whenSynced();
    // A marker change that does alter the list, to know everything before it has arrived.
    const fra = t.provider({ docName: `${DOC}/d/FRA`, token: tokens.fra1 as string });
    await fra.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1,fra1:1,obs1:1', 'fra1 is present');
    expect(presenceCount(chair)).toBe(sent + 1);
  });

  it('coalesces the sends while many clients connect: at most one list per interval, not one per connect', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: tokens.chair1 as string });
    await chair.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1', 'the chair sees itself');
    const clients = 40;
    const started = performance.now();
    const observers = Array.from({ length: clients }, () => t.provider({ docName: `${DOC}/text`, token: tokens.obs1 as string }));
    await Promise.all(observers.map((observer) => observer.whenSynced()));
    const everyone = `chair1:1,obs1:${clients}`;
    await waitUntil(() => [chair, ...observers].every((provider) => names(provider) === everyone), 'everyone has the final list', 20_000);
    const elapsedMs = performance.now() - started;
    // Each connection gets at most one list per interval while the others arrive (plus its own first one); sending
    // on every connect would give 40 + 39 + ... + 1 = 820 lists to the observers.
    const perConnectionBound = 2 + Math.ceil(elapsedMs / PRESENCE_INTERVAL_MS);
    const received = observers.map(presenceCount);
    for (const count of received) expect(count).toBeGreaterThanOrEqual(1);
    for (const count of received) expect(count).toBeLessThanOrEqual(perConnectionBound);
    expect(presenceCount(chair)).toBeLessThanOrEqual(perConnectionBound + 1);
  });

  it('sends the list once to a new D/text connection that does not change it, and to nobody else', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: tokens.chair1 as string });
    await chair.whenSynced();
    const socket = t.socket();
    const fraOwn = t.provider({ docName: `${DOC}/d/FRA`, token: tokens.fra1 as string, socket });
    await fraOwn.whenSynced();
    await waitUntil(() => names(chair) === 'chair1:1,fra1:1', 'the chair sees the delegation');
    const chairBefore = presenceCount(chair);
    // The same socket opens the text: fra1 is already present with this socket, so the list is unchanged.
    const fraText = t.provider({ docName: `${DOC}/text`, token: tokens.fra1 as string, socket });
    await fraText.whenSynced();
    await waitUntil(() => names(fraText) === 'chair1:1,fra1:1', 'the new connection has the list');
    // A marker that changes the list, so everything sent before it has arrived.
    const obs = t.provider({ docName: `${DOC}/chair`, token: tokens.obs1 as string });
    await obs.whenSynced();
    await waitUntil(() => names(fraText) === 'chair1:1,fra1:1,obs1:1' && names(chair) === 'chair1:1,fra1:1,obs1:1', 'both see the observer');
    expect(presenceCount(fraText)).toBe(2);
    expect(presenceCount(chair)).toBe(chairBefore + 1);
  });
});
