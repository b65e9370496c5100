import { describe, expect, it } from 'vitest';
import type { DocumentSummary, RemoteDocumentSummary, RemoteServer } from '../../shared/ipc.ts';
import { listDocuments, serverLabel } from './documentList.ts';

const server: RemoteServer = {
  url: 'http://10.0.0.5:4321',
  wsUrl: 'ws://10.0.0.5:4321/?schema=1',
  serverId: 's1',
  schemaVersion: 1,
  account: { name: 'france', role: 'delegation', delegation: 'FRA' },
  credentialsPersist: false,
  hosted: false,
};

const local = (id: string, modifiedAt: number, remote: DocumentSummary['remote'] = null): DocumentSummary => ({
  id,
  title: id,
  createdAt: 0,
  modifiedAt,
  sizeBytes: 10,
  trashedAt: null,
  remote,
});

const remote = (id: string, updatedAt: number, localId: string | null = null): RemoteDocumentSummary => ({ id, title: `R ${id}`, updatedAt, localId });

describe('listDocuments', () => {
  it('merges server documents not mirrored here with local ones, newest first, marked with the server', () => {
    const rows = listDocuments(
      [local('mine', 300), local('mirror', 100, { serverUrl: server.url, documentId: 'shared-1' })],
      new Map([[server.url, [remote('shared-1', 500, 'mirror'), remote('shared-2', 200)]]]),
      [server],
    );
    expect(rows.map((r) => [r.kind, r.key, r.kind === 'local' ? r.serverLabel : r.serverLabel])).toEqual([
      ['local', 'local:mine', null],
      ['remote', `remote:${server.url}:shared-2`, '10.0.0.5:4321'],
      ['local', 'local:mirror', '10.0.0.5:4321'],
    ]);
  });

  it('offers again a server document whose mirror is in the trash (opening it restores the mirror)', () => {
    const rows = listDocuments([], new Map([[server.url, [remote('shared-1', 500, 'trashed-mirror')]]]), [server]);
    expect(rows.map((r) => r.key)).toEqual([`remote:${server.url}:shared-1`]);
  });
});

describe('serverLabel', () => {
  it('calls the hosted server "this computer" and others by host and port', () => {
    expect(serverLabel({ url: 'http://127.0.0.1:9', hosted: true }, 'http://127.0.0.1:9')).toBe('this computer');
    expect(serverLabel(undefined, 'https://sync.example.org')).toBe('sync.example.org');
    expect(serverLabel(undefined, 'not a url')).toBe('not a url');
  });
});
