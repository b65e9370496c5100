/**
 * The document list of the sidebar: documents on this computer (some of them mirrors of a server's documents)
 * and the documents a server offers this account that were never opened here, merged newest first.
 */
import type { DocumentSummary, RemoteDocumentSummary, RemoteServer } from '../../shared/ipc.ts';

/** One row of the list. */
export type ListedDocument =
  | {
      kind: 'local';
      key: string;
      doc: DocumentSummary;
      /** The server's name when the document is shared; null for a purely local document. */
      serverLabel: string | null;
      sortTime: number;
    }
  | {
      kind: 'remote';
      key: string;
      serverUrl: string;
      serverLabel: string;
      remote: RemoteDocumentSummary;
      sortTime: number;
    };

/** The name a person knows a server by: "this computer" for the hosted one, else host and port. */
export function serverLabel(server: Pick<RemoteServer, 'url' | 'hosted'> | undefined, serverUrl: string): string {
  if (server?.hosted) return 'this computer';
  try {
    return new URL(serverUrl).host || serverUrl;
  } catch {
    return serverUrl;
  }
}

/**
 * Merges local documents with the server documents not mirrored among them. A server document is mirrored when a
 * live local document links to it, whatever `localId` says (the list may have been read before the mirror was
 * made); one whose mirror is in the trash is offered again, and opening it brings that mirror back.
 */
export function listDocuments(
  local: readonly DocumentSummary[],
  remoteByServer: ReadonlyMap<string, readonly RemoteDocumentSummary[]>,
  servers: readonly RemoteServer[],
): ListedDocument[] {
  const serverByUrl = new Map(servers.map((s) => [s.url, s]));
  const mirrored = new Set(local.flatMap((d) => (d.remote ? [`${d.remote.serverUrl}\n${d.remote.documentId}`] : [])));
  const rows: ListedDocument[] = local.map((doc) => ({
    kind: 'local',
    key: `local:${doc.id}`,
    doc,
    serverLabel: doc.remote ? serverLabel(serverByUrl.get(doc.remote.serverUrl), doc.remote.serverUrl) : null,
    sortTime: doc.modifiedAt,
  }));
  for (const [serverUrl, documents] of remoteByServer) {
    for (const remote of documents) {
      if (mirrored.has(`${serverUrl}\n${remote.id}`)) continue;
      rows.push({
        kind: 'remote',
        key: `remote:${serverUrl}:${remote.id}`,
        serverUrl,
        serverLabel: serverLabel(serverByUrl.get(serverUrl), serverUrl),
        remote,
        sortTime: remote.updatedAt,
      });
    }
  }
  return rows.sort((a, b) => b.sortTime - a.sortTime);
}
