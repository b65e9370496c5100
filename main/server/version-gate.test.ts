import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { startTestServer, waitUntil } from '../../tests/helpers/sync-server.ts';
import type { TestServer } from '../../tests/helpers/sync-server.ts';
import { clientSchemaVersion } from './version-gate.ts';

const DOC = 'ga-res-79';
let t: TestServer;
let token: string;

beforeEach(async () => {
  t = await startTestServer();
  await t.server.store.putDocument(DOC, 'Oceans');
  t.account('chair1', 'chair');
  token = (await t.signIn('chair1')).token;
});

afterEach(async () => {
  await t.close();
});

describe('the version gate', () => {
  it.each([
    ['no schema parameter', null],
    ['an older schema', SCHEMA_VERSION - 1],
    ['a schema that is not a number', 'latest'],
  ])('closes a client with %s with 4426 "Please update Penholder"', async (_what, schemaVersion) => {
    const raw = await t.raw({ schemaVersion });
    void raw.authenticate(`${DOC}/text`, token);
    expect(await raw.waitClosed()).toEqual({ code: 4426, reason: SYNC_CLOSE.upgradeRequired.reason });
    // Closed before anything of the document was sent.
    expect(raw.received).toEqual([]);
    expect(SYNC_CLOSE.upgradeRequired.reason).toMatch(/^Please update Penholder/);
    expect(t.logs.find((entry) => entry.event === 'version.refused')).toMatchObject({ serverSchema: SCHEMA_VERSION, code: 4426 });
  });

  it('lets a client with the current or a newer schema through', async () => {
    for (const version of [SCHEMA_VERSION, SCHEMA_VERSION + 1]) {
      const raw = await t.raw({ schemaVersion: version });
      expect(await raw.authenticate(`${DOC}/text`, token)).toMatchObject({ status: 'authenticated' });
    }
  });

  it('tells a provider why it was closed', async () => {
    const outdated = t.provider({ docName: `${DOC}/text`, token, schemaVersion: 0 });
    await waitUntil(() => outdated.closes.length > 0, 'the provider sees the close');
    expect(outdated.closes[0]).toEqual({ code: 4426, reason: SYNC_CLOSE.upgradeRequired.reason });
    expect(outdated.doc.share.size).toBe(0);
  });

  it('reads the version from the URL parameters', () => {
    expect(clientSchemaVersion(new URLSearchParams('schema=3'))).toBe(3);
    expect(clientSchemaVersion(new URLSearchParams('schema=-1'))).toBeNull();
    expect(clientSchemaVersion(new URLSearchParams('schema=1.5'))).toBeNull();
    expect(clientSchemaVersion(new URLSearchParams(''))).toBeNull();
  });
});
