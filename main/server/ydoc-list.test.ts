import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { YDocListMessage } from './ydoc-list.ts';
import { startTestServer, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestProvider, TestServer } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
let t: TestServer;
const tokens: Record<string, string> = {};

beforeEach(async () => {
  t = await startTestServer();
  await t.server.store.putDocument(DOC, 'Oceans');
  t.account('chair1', 'chair');
  t.account('fra1', 'delegation', { delegation: 'FRA' });
  t.account('bra1', 'delegation', { delegation: 'BRA' });
  t.account('obs1', 'observer');
  for (const name of ['chair1', 'fra1', 'bra1', 'obs1']) tokens[name] = (await t.signIn(name)).token;
});

afterEach(async () => {
  await t.close();
});

/** Every Y.Doc list a provider received (presence messages left out). */
function lists(provider: TestProvider): YDocListMessage[] {
  return provider.stateless.map((payload) => JSON.parse(payload) as YDocListMessage).filter((m) => m.type === 'ydocs');
}

/** The last Y.Doc list a provider received, joined, or '' when none came. */
function lastList(provider: TestProvider): string {
  return lists(provider).at(-1)?.ydocs.join(',') ?? '';
}

describe('the list of a document’s Y.Docs', () => {
  it('is sent on D/text on connect and again when a delegation’s doc appears', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: tokens.chair1 as string });
    await chair.whenSynced();
    await waitUntil(() => lastList(chair) === 'chair,text', 'the chair gets the list on connect');

    const fra = t.provider({ docName: `${DOC}/d/FRA`, token: tokens.fra1 as string });
    await fra.whenSynced();
    await waitUntil(() => lastList(chair) === 'chair,d/FRA,text', 'the chair learns of d/FRA');
    // Not sent on other docs.
    expect(fra.stateless).toEqual([]);

    // A reader opening a made-up (or another delegation's not yet existing) doc announces nothing.
    const sent = lists(chair).length;
    const peek = t.provider({ docName: `${DOC}/d/ZZZ`, token: tokens.obs1 as string });
    await peek.whenSynced();
    const bra = t.provider({ docName: `${DOC}/d/BRA`, token: tokens.bra1 as string });
    await bra.whenSynced();
    await waitUntil(() => lastList(chair) === 'chair,d/BRA,d/FRA,text', 'the chair learns of d/BRA, not d/ZZZ');
    expect(lists(chair).length).toBe(sent + 1);
  });

  it('lists the stored docs to a new reader, and GET /api/documents names them', async () => {
    const doc = new Y.Doc();
    const fra = t.provider({ docName: `${DOC}/d/FRA`, token: tokens.fra1 as string, doc });
    await fra.whenSynced();
    doc.getMap('proposals').set('FRA-1-a', { kind: 'comment' });
    // Every accepted update is stored before it is acknowledged: once nothing is unsynced, it is on disk.
    await waitUntil(() => fra.provider.unsyncedChanges === 0, 'the proposal reached the server');
    expect(await t.server.store.listYDocs(DOC)).toEqual(['d/FRA']);
    fra.destroy();

    const reader = t.provider({ docName: `${DOC}/text`, token: tokens.obs1 as string });
    await reader.whenSynced();
    await waitUntil(() => lastList(reader) === 'chair,d/FRA,text', 'the reader gets the stored doc');

    const response = await fetch(`${t.server.httpUrl}/api/documents`, { headers: { Authorization: `Bearer ${tokens.obs1 as string}` } });
    const body = (await response.json()) as { documents: Array<{ id: string; ydocs: string[] }> };
    expect(body.documents.find((d) => d.id === DOC)?.ydocs).toEqual(['d/FRA']);
    expect(await t.server.store.listYDocs('not-published')).toEqual([]);
  });
});
