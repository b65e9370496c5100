import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { awarenessUpdateFor, encodeAuth, encodeAwareness, encodeStateless, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from '../../tests/helpers/raw-sync-client.ts';
import { startTestServer, storedDoc, typedText, typeInto, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';

const DOC = 'ga-res-79';
let t: TestServer;
let chairToken: string;
let fraToken: string;

beforeEach(async () => {
  t = await startTestServer();
  await t.server.store.putDocument(DOC, 'Draft resolution on oceans');
  await t.server.store.putDocument('other-doc', 'Another negotiation');
  t.account('chair1', 'chair');
  t.account('fra1', 'delegation', { delegation: 'FRA', documents: [DOC] });
  chairToken = (await t.signIn('chair1')).token;
  fraToken = (await t.signIn('fra1')).token;
});

afterEach(async () => {
  await t.close();
});

/** The stored state of one Y.Doc, read back from the store. */
async function storedText(docName: string): Promise<string> {
  return typedText(await storedDoc(t.server.store, docName));
}

describe('authentication', () => {
  it('lets the chair write the text and a delegation read it', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: chairToken });
    await chair.whenSynced();
    typeInto(chair.doc, 'The General Assembly');
    const fra = t.provider({ docName: `${DOC}/text`, token: fraToken });
    await fra.whenSynced();
    await waitUntil(() => typedText(fra.doc) === 'The General Assembly', 'the delegation sees the text');
    expect(fra.provider.authorizedScope).toBe('readonly');
    expect(chair.provider.authorizedScope).toBe('read-write');
  });

  it('refuses a bad token, an expired one, and one signed with another key, as 4401', async () => {
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, 'not-a-token')).toEqual({ status: 'denied', reason: SYNC_CLOSE.unauthenticated.reason });

    const key = new Uint8Array(fs.readFileSync(path.join(t.dataDir, 'token.key')));
    const sign = (signingKey: Uint8Array, expiresAt: number) =>
      new SignJWT({ name: 'chair1', role: 'chair', delegation: null })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('chair1')
        .setIssuer('penholder')
        .setAudience('penholder-sync')
        .setIssuedAt(expiresAt - 900)
        .setExpirationTime(expiresAt)
        .sign(signingKey);
    const expired = await sign(key, Math.floor(Date.now() / 1000) - 60);
    expect(await raw.authenticate(`${DOC}/chair`, expired)).toEqual({ status: 'denied', reason: SYNC_CLOSE.unauthenticated.reason });
    const forged = await sign(new Uint8Array(32).fill(7), Math.floor(Date.now() / 1000) + 600);
    expect(await raw.authenticate(`${DOC}/d/FRA`, forged)).toEqual({ status: 'denied', reason: SYNC_CLOSE.unauthenticated.reason });
    // The same key's fresh token is accepted, so the refusals above were about the tokens.
    const fresh = await sign(key, Math.floor(Date.now() / 1000) + 600);
    expect(await raw.authenticate(`${DOC}/text`, fresh)).toEqual({ status: 'authenticated', scope: 'read-write' });
    const refused = t.logs.filter((entry) => entry.event === 'auth.refused');
    expect(refused.map((entry) => entry.code)).toEqual([4401, 4401, 4401]);
  });

  it('refuses a document without a grant, an unpublished one and a name that is not a Penholder Y.Doc, as 4403', async () => {
    const raw = await t.raw();
    for (const name of ['other-doc/text', 'not-published/text', `${DOC}/secret`, 'x', `${DOC}/d/fra`]) {
      expect(await raw.authenticate(name, fraToken)).toEqual({ status: 'denied', reason: SYNC_CLOSE.forbidden.reason });
    }
    // The socket stays usable for the documents the account may open.
    expect(await raw.authenticate(`${DOC}/d/FRA`, fraToken)).toEqual({ status: 'authenticated', scope: 'read-write' });
    expect(await raw.authenticate(`${DOC}/d/GBR`, fraToken)).toEqual({ status: 'authenticated', scope: 'readonly' });
  });

  it('lets a delegation write only its own Y.Doc', async () => {
    const own = t.provider({ docName: `${DOC}/d/FRA`, token: fraToken });
    await own.whenSynced();
    own.doc.getMap('proposals').set('p1', 'replace "shall" by "should"');
    await waitUntil(() => !own.provider.hasUnsyncedChanges, 'the proposal is acknowledged');
    const stored = await storedDoc(t.server.store, `${DOC}/d/FRA`);
    expect(stored.getMap('proposals').get('p1')).toBe('replace "shall" by "should"');
  });
});

describe('token renewal on a live connection', () => {
  it('accepts a fresh token of the same account and closes the socket with 4401 for a bad one', async () => {
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, chairToken)).toMatchObject({ status: 'authenticated' });
    const renewed = (await t.signIn('chair1')).token;
    // A token refresh on a live connection, as the provider sends it: the Auth message without a version.
    raw.send(encodeAuth(`${DOC}/text`, renewed, null));
    const since = raw.received.length;
    raw.send(encodeSyncStep1(`${DOC}/text`));
    expect(await raw.waitFor((m) => m.kind === 'sync-step2', { since })).not.toBeNull();
    raw.send(encodeAuth(`${DOC}/text`, fraToken, null));
    expect(await raw.waitClosed()).toEqual({ code: SYNC_CLOSE.unauthenticated.code, reason: SYNC_CLOSE.unauthenticated.reason });
  });
});

describe('read-only connections', () => {
  it('refuse an update that would change the Y.Doc: not applied, not stored, not broadcast, socket closed 4403', async () => {
    const chair = t.provider({ docName: `${DOC}/text`, token: chairToken });
    await chair.whenSynced();
    typeInto(chair.doc, 'Agreed text');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the chair is acknowledged');

    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, fraToken)).toMatchObject({ scope: 'readonly' });
    const forged = new Y.Doc();
    typeInto(forged, 'Forged by a modified client');
    raw.send(encodeSyncUpdate(`${DOC}/text`, Y.encodeStateAsUpdate(forged)));
    expect(await raw.waitClosed()).toEqual({ code: SYNC_CLOSE.forbidden.code, reason: SYNC_CLOSE.forbidden.reason });

    expect(raw.messages().some((m) => m.kind === 'sync-status' && m.applied)).toBe(false);
    expect(await storedText(`${DOC}/text`)).toBe('Agreed text');
    // The chair's next change arrives and nothing of the forged one did.
    typeInto(chair.doc, '.');
    await waitUntil(() => !chair.provider.hasUnsyncedChanges, 'the chair is acknowledged again');
    expect(typedText(chair.doc)).toBe('Agreed text.');
    expect(await storedText(`${DOC}/text`)).toBe('Agreed text.');
    expect(t.logs.find((entry) => entry.event === 'message.refused')).toMatchObject({ name: 'fra1', kind: 'update', code: 4403 });
  });

  it('refuse a SyncStep2 with new content the same way', async () => {
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/chair`, fraToken)).toMatchObject({ status: 'authenticated' });
    const forged = new Y.Doc();
    forged.getMap('decisions').set('p1', 'accepted');
    raw.send(encodeSyncStep2(`${DOC}/chair`, Y.encodeStateAsUpdate(forged)));
    expect((await raw.waitClosed())?.code).toBe(4403);
    const stored = await storedDoc(t.server.store, `${DOC}/chair`);
    expect(stored.getMap('decisions').size).toBe(0);
  });

  it('accept an empty SyncStep2 (what a read-only provider answers) without effect', async () => {
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/text`, fraToken)).toMatchObject({ status: 'authenticated' });
    raw.send(encodeSyncStep1(`${DOC}/text`));
    raw.send(encodeSyncStep2(`${DOC}/text`, Y.encodeStateAsUpdate(new Y.Doc())));
    expect(await raw.waitFor((m) => m.kind === 'sync-status')).not.toBeNull();
    // Still open: a later message is answered.
    const since = raw.received.length;
    raw.send(encodeSyncStep1(`${DOC}/text`));
    expect(await raw.waitFor((m) => m.kind === 'sync-step2', { since })).not.toBeNull();
    expect(raw.open).toBe(true);
  });

  it('refuse awareness and stateless messages with 4403, while a writer may send awareness', async () => {
    const reader = await t.raw();
    expect(await reader.authenticate(`${DOC}/text`, fraToken)).toMatchObject({ status: 'authenticated' });
    reader.send(encodeAwareness(`${DOC}/text`, awarenessUpdateFor(42, 1, { user: { name: 'Chair (forged)' }, cursor: null })));
    expect((await reader.waitClosed())?.code).toBe(4403);

    const reader2 = await t.raw();
    expect(await reader2.authenticate(`${DOC}/text`, fraToken)).toMatchObject({ status: 'authenticated' });
    reader2.send(encodeStateless(`${DOC}/text`, JSON.stringify({ type: 'presence', users: [] })));
    expect((await reader2.waitClosed())?.code).toBe(4403);

    const writer = await t.raw();
    expect(await writer.authenticate(`${DOC}/d/FRA`, fraToken)).toMatchObject({ status: 'authenticated' });
    writer.send(encodeAwareness(`${DOC}/d/FRA`, awarenessUpdateFor(43, 1, { user: { name: 'fra1' } })));
    writer.send(encodeSyncStep1(`${DOC}/d/FRA`));
    expect(await writer.waitFor((m) => m.kind === 'sync-step2')).not.toBeNull();
    expect(writer.open).toBe(true);
  });
});

describe('disabled accounts', () => {
  it('have their live connections closed with 4423 and cannot reconnect', async () => {
    const fra = t.provider({ docName: `${DOC}/d/FRA`, token: fraToken });
    await fra.whenSynced();
    t.server.accounts.disable('fra1');
    await waitUntil(() => fra.closes.some((close) => close.code === SYNC_CLOSE.disabled.code), 'the socket is closed with 4423');
    const raw = await t.raw();
    expect(await raw.authenticate(`${DOC}/d/FRA`, fraToken)).toEqual({ status: 'denied', reason: SYNC_CLOSE.disabled.reason });
  });
});
