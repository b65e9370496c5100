/**
 * The Penholder window: the document list, the open document's editor with its outline and status bar, and
 * the dialogs and messages around them. Talks to main only through renderer/bridge.ts.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, DocumentSummary, HostingStatus, MenuCommand, RemoteDocumentSummary, RemoteServer, RemoteSession } from '../shared/ipc.ts';
import { IpcCallError, describeError, mainApi, type MainApi } from './bridge.ts';
import { listDocuments, serverLabel } from './collab/documentList.ts';
import { existingConnection } from './collab/serverConnection.ts';
import { DocumentSession, subscribeSessions, type SharedOrigin } from './editor/session.ts';
import type { EditorController } from './editor/editorController.ts';
import { uniqueTitle } from './format.ts';
import { EditorArea } from './components/EditorArea.tsx';
import { Icon } from './components/Icons.tsx';
import { Modal } from './components/Modal.tsx';
import { Notices, type Notice } from './components/Notices.tsx';
import { ConnectDialog } from './components/ConnectDialog.tsx';
import { HostDialog } from './components/HostDialog.tsx';
import { PublishDialog } from './components/PublishDialog.tsx';
import { ProblemsBanner } from './components/ProblemsBanner.tsx';
import { Sidebar, type SidebarView } from './components/Sidebar.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ImportProposalsDialog } from './components/import/ImportProposalsDialog.tsx';
import { ImportReportDialog } from './components/import/ImportReportDialog.tsx';
import { ImportWordIcon } from './components/import/ImportIcons.tsx';
import { ExportDialog, type ExportChoice } from './components/export/ExportDialog.tsx';
import type { ImportReport } from '../shared/import/index.ts';
import type { NegotiationSession } from './negotiation/negotiationSession.ts';

const BLANK_TITLE = 'Untitled document';
const SAMPLE_TITLE = 'Sample negotiation';
const OUTLINE_SETTING = 'penholder.outlineVisible';

type Dialog =
  | { kind: 'purge'; doc: DocumentSummary }
  | { kind: 'about' }
  | { kind: 'connect'; serverUrl?: string; name?: string }
  | { kind: 'publish'; doc: DocumentSummary }
  | { kind: 'host' }
  | { kind: 'import-report'; fileName: string; title: string; report: ImportReport }
  | { kind: 'import-proposals'; negotiation: NegotiationSession }
  | { kind: 'export'; initial?: Partial<ExportChoice>; author?: string }
  | null;

/** How often the servers' document lists are read again while the window is open. */
const REMOTE_LIST_REFRESH_MS = 30_000;

/** A server a shared document names but this app no longer knows (forgotten): signed out, so read-only. */
function unknownServer(url: string): RemoteServer {
  return { url, wsUrl: '', serverId: '', schemaVersion: 0, account: null, credentialsPersist: false, hosted: false };
}

/** Narrower than this, the outline starts closed so the page and its margin keep a readable width. */
const WIDE_WINDOW_PX = 1280;

function readOutlineSetting(): boolean {
  // Until the person chooses, a narrow window (a small laptop) gives the page the outline's room.
  const wide = window.innerWidth >= WIDE_WINDOW_PX;
  try {
    const stored = localStorage.getItem(OUTLINE_SETTING);
    return stored === null ? wide : stored !== 'false';
  } catch {
    return wide;
  }
}

/** Whether a keyboard focus is in a text field of the chrome (not the document), where menu undo means the field's. */
function focusedField(): HTMLInputElement | HTMLTextAreaElement | null {
  const active = document.activeElement;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return active;
  return null;
}

function byModified(a: DocumentSummary, b: DocumentSummary): number {
  return b.modifiedAt - a.modifiedAt;
}

/** The whole window. */
export function App() {
  const api = useMemo<MainApi | null>(() => {
    try {
      return mainApi();
    } catch {
      return null;
    }
  }, []);
  if (!api) {
    return (
      <div className="fatal" role="alert">
        Penholder cannot reach its storage: open this page through the app.
      </div>
    );
  }
  return <Window api={api} />;
}

function Window({ api }: { api: MainApi }) {
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);
  const [documents, setDocuments] = useState<DocumentSummary[]>([]);
  const [trash, setTrash] = useState<DocumentSummary[]>([]);
  const [listsLoaded, setListsLoaded] = useState(false);
  const [view, setView] = useState<SidebarView>('documents');
  const [session, setSession] = useState<DocumentSession | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [outlineVisible, setOutlineVisible] = useState(readOutlineSetting);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [problemsDismissed, setProblemsDismissed] = useState(false);
  const [servers, setServers] = useState<RemoteServer[]>([]);
  const [remoteDocs, setRemoteDocs] = useState<ReadonlyMap<string, RemoteDocumentSummary[]>>(new Map());
  const [serverProblems, setServerProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [hosting, setHosting] = useState(false);
  const [importingWord, setImportingWord] = useState(false);
  const sessionRef = useRef<DocumentSession | null>(null);
  const documentsRef = useRef<DocumentSummary[]>([]);
  const serversRef = useRef<RemoteServer[]>([]);
  // The account last signed in on each server, so signing in again only asks for the password.
  const lastAccountName = useRef(new Map<string, string>());
  const controllerRef = useRef<EditorController | null>(null);
  const openSeq = useRef(0);
  const started = useRef(false);
  // A document just created from the blank template opens with its title selected, ready to be typed over.
  const freshDocId = useRef<string | null>(null);
  const noticeSeq = useRef(0);

  const notify = useCallback((message: string, tone: Notice['tone'] = 'error') => {
    const id = ++noticeSeq.current;
    setNotices((list) => [...list.slice(-3), { id, message, tone }]);
  }, []);
  const dismissNotice = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);

  const refreshLists = useCallback(async (): Promise<DocumentSummary[]> => {
    const [live, trashed] = await Promise.all([api.listDocuments({ trashed: false }), api.listDocuments({ trashed: true })]);
    const sortedLive = [...live].sort(byModified);
    documentsRef.current = sortedLive;
    setDocuments(sortedLive);
    setTrash([...trashed].sort((a, b) => (b.trashedAt ?? 0) - (a.trashedAt ?? 0)));
    setListsLoaded(true);
    return sortedLive;
  }, [api]);

  /** Where a document is shared and as whom, from the latest lists; null for a purely local document. */
  const originOf = useCallback((id: string): SharedOrigin | null => {
    const link = documentsRef.current.find((d) => d.id === id)?.remote ?? null;
    if (!link) return null;
    return { server: serversRef.current.find((s) => s.url === link.serverUrl) ?? unknownServer(link.serverUrl), link };
  }, []);

  /** Reads the known servers and, for each signed-in one, the documents it offers this account. */
  const refreshServers = useCallback(async (): Promise<RemoteServer[]> => {
    const known = await api.listServers({});
    for (const server of known) if (server.account) lastAccountName.current.set(server.url, server.account.name);
    serversRef.current = known;
    setServers(known);
    const lists = new Map<string, RemoteDocumentSummary[]>();
    const problems = new Map<string, string>();
    await Promise.all(
      known
        .filter((server) => server.account)
        .map(async (server) => {
          try {
            lists.set(server.url, await api.listRemoteDocuments({ serverUrl: server.url }));
          } catch (error) {
            problems.set(server.url, error instanceof IpcCallError && error.code === 'unreachable' ? 'offline' : describeError(error));
          }
        }),
    );
    // A server that cannot be reached keeps the list last read: its documents can still be opened from their mirrors.
    setRemoteDocs((previous) => {
      const next = new Map(lists);
      for (const url of problems.keys()) {
        const kept = previous.get(url);
        if (kept) next.set(url, kept);
      }
      return next;
    });
    setServerProblems(problems);
    return known;
  }, [api]);

  /** Binds the open document to its server again after the servers changed (signed in or out, hosting). */
  const rebindOpenSession = useCallback(async () => {
    const current = sessionRef.current;
    if (!current || current.closing) return;
    try {
      await current.share(originOf(current.id));
    } catch (error) {
      notify(`The document could not be connected to its server: ${describeError(error)}`);
    }
  }, [originOf, notify]);

  const openDocument = useCallback(
    async (id: string) => {
      if (sessionRef.current?.id === id && !sessionRef.current.closing) {
        controllerRef.current?.focus();
        return;
      }
      const seq = ++openSeq.current;
      setOpening(id);
      try {
        const next = await DocumentSession.open(api, id, originOf(id));
        if (seq !== openSeq.current) {
          // Another document was chosen meanwhile; let this one go (it has no edits).
          if (next !== sessionRef.current) void next.close();
          return;
        }
        const previous = sessionRef.current;
        sessionRef.current = next;
        setSession(next);
        if (previous && previous !== next) void previous.close();
        api.setLastOpened({ id }).catch((error: unknown) => console.warn('[penholder] could not remember the open document', error));
      } catch (error) {
        notify(`The document could not be opened: ${describeError(error)}`);
      } finally {
        if (seq === openSeq.current) setOpening(null);
      }
    },
    [api, notify, originOf],
  );

  const openRemoteDocument = useCallback(
    async (serverUrl: string, remote: RemoteDocumentSummary) => {
      try {
        const local = remote.localId && documentsRef.current.some((d) => d.id === remote.localId) ? remote.localId : null;
        if (local) {
          await openDocument(local);
          return;
        }
        const mirror = await api.openRemoteDocument({ serverUrl, documentId: remote.id, title: remote.title });
        await refreshLists();
        await openDocument(mirror.id);
        refreshServers().catch(() => undefined);
      } catch (error) {
        notify(`“${remote.title}” could not be opened: ${describeError(error)}`);
      }
    },
    [api, openDocument, refreshLists, refreshServers, notify],
  );

  const onSignedIn = useCallback(
    async (signedIn: RemoteSession) => {
      setDialog(null);
      const untilRestart = signedIn.server.credentialsPersist ? '' : ' This computer keeps the sign-in until Penholder restarts.';
      notify(`Signed in to ${serverLabel(signedIn.server, signedIn.server.url)} as ${signedIn.account.name}.${untilRestart}`, 'info');
      try {
        await refreshServers();
        // A connection that stopped because the sign-in had expired may go again.
        existingConnection(signedIn.server.url)?.reconnect();
        await rebindOpenSession();
      } catch (error) {
        notify(`The server's documents could not be listed: ${describeError(error)}`);
      }
    },
    [refreshServers, rebindOpenSession, notify],
  );

  const signOut = useCallback(
    async (serverUrl: string) => {
      try {
        await api.signOut({ serverUrl });
        await refreshServers();
        await rebindOpenSession();
      } catch (error) {
        notify(`Signing out did not complete: ${describeError(error)}`);
      }
    },
    [api, refreshServers, rebindOpenSession, notify],
  );

  const onPublished = useCallback(
    async (doc: DocumentSummary, server: RemoteServer) => {
      setDialog(null);
      try {
        await refreshLists();
        await refreshServers();
        await rebindOpenSession();
        notify(`“${doc.title}” is now shared on ${serverLabel(server, server.url)}.`, 'info');
      } catch (error) {
        notify(`“${doc.title}” was published, but could not be connected: ${describeError(error)}`);
      }
    },
    [refreshLists, refreshServers, rebindOpenSession, notify],
  );

  const onHostingChanged = useCallback(
    async (status: HostingStatus) => {
      setHosting(status.running);
      try {
        await refreshServers();
        await rebindOpenSession();
      } catch (error) {
        notify(`The servers could not be read: ${describeError(error)}`);
      }
    },
    [refreshServers, rebindOpenSession, notify],
  );

  const publishOpenTo = useCallback(
    async (serverUrl: string) => {
      const id = sessionRef.current?.id;
      const doc = documentsRef.current.find((d) => d.id === id);
      if (!doc) return;
      try {
        const published = await api.publishDocument({ id: doc.id, serverUrl });
        const server = (await refreshServers()).find((s) => s.url === serverUrl) ?? unknownServer(serverUrl);
        await onPublished(published, server);
      } catch (error) {
        notify(`“${doc.title}” could not be shared: ${describeError(error)}`);
      }
    },
    [api, refreshServers, onPublished, notify],
  );

  const closeDocument = useCallback(() => {
    openSeq.current++;
    const previous = sessionRef.current;
    sessionRef.current = null;
    setSession(null);
    if (previous) void previous.close();
    api.setLastOpened({ id: null }).catch(() => undefined);
  }, [api]);

  // Start: app facts, the lists, and the document that was open when the app last closed.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const info = await api.getAppInfo({});
        setAppInfo(info);
        // Servers first: a shared document reopened at start needs to know who is signed in.
        await refreshServers().catch((error: unknown) => console.warn('[penholder] could not read the servers', error));
        api
          .hostingStatus({})
          .then((status) => setHosting(status.running))
          .catch(() => undefined);
        const live = await refreshLists();
        const target = info.lastOpenedId && live.some((d) => d.id === info.lastOpenedId) ? info.lastOpenedId : (live[0]?.id ?? null);
        if (target) await openDocument(target);
      } catch (error) {
        setListsLoaded(true);
        notify(`Penholder could not read its workspace: ${describeError(error)}`);
      }
    })();
  }, [api, refreshLists, refreshServers, openDocument, notify]);

  // Documents published on a server while this window is open appear without a restart.
  useEffect(() => {
    const timer = setInterval(() => {
      if (serversRef.current.some((s) => s.account)) refreshServers().catch(() => undefined);
    }, REMOTE_LIST_REFRESH_MS);
    const onFocus = () => {
      if (serversRef.current.some((s) => s.account)) refreshServers().catch(() => undefined);
    };
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [refreshServers]);

  // The list shows modified times and sizes: refresh it a moment after the open document is saved.
  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let wasSaved = session.queue.state.status === 'saved';
    const unsubscribe = subscribeSessions(() => {
      const saved = session.queue.state.status === 'saved';
      const justSaved = saved && !wasSaved;
      wasSaved = saved;
      if (!justSaved) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        refreshLists().catch(() => undefined);
      }, 1500);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [session, refreshLists]);

  const openId = session?.id ?? null;
  const openDoc = documents.find((d) => d.id === openId) ?? null;
  const entries = useMemo(() => listDocuments(documents, remoteDocs, servers), [documents, remoteDocs, servers]);
  const openServerLabel = openDoc?.remote ? serverLabel(servers.find((s) => s.url === openDoc.remote?.serverUrl), openDoc.remote.serverUrl) : null;

  useEffect(() => {
    document.title = openDoc ? `${openDoc.title} — Penholder` : 'Penholder';
  }, [openDoc]);

  const createDocument = useCallback(
    async (template: 'blank' | 'sample') => {
      try {
        const title = uniqueTitle(template === 'blank' ? BLANK_TITLE : SAMPLE_TITLE, documents.map((d) => d.title));
        const created = await api.createDocument({ title, template });
        freshDocId.current = template === 'blank' ? created.id : null;
        setView('documents');
        await refreshLists();
        await openDocument(created.id);
      } catch (error) {
        notify(`A new document could not be created: ${describeError(error)}`);
      }
    },
    [api, documents, refreshLists, openDocument, notify],
  );

  // A Word document becomes a new local document, opened at once, with the report of what was and was not kept.
  const importWordDocument = useCallback(async () => {
    if (importingWord) return;
    let file;
    try {
      // First, before any await: the browser build opens its file chooser only inside the click.
      file = await api.chooseWordFile({ purpose: 'document' });
    } catch (error) {
      notify(describeError(error));
      return;
    }
    if (!file) return;
    setImportingWord(true);
    try {
      const { document: created, report } = await api.importDocx(file);
      setView('documents');
      await refreshLists();
      await openDocument(created.id);
      setDialog({ kind: 'import-report', fileName: file.fileName, title: created.title, report });
    } catch (error) {
      notify(describeError(error));
    } finally {
      setImportingWord(false);
    }
  }, [api, importingWord, refreshLists, openDocument, notify]);

  // Proposals from a returned Word file go into the negotiation of the open document, as this window takes part in it.
  const importProposals = useCallback(() => {
    const negotiation = controllerRef.current?.negotiation ?? null;
    if (!negotiation) {
      notify('Open a document first: proposals from Word are recorded in the open document.');
      return;
    }
    if (!negotiation.canPropose) {
      notify('You can read this document but not table proposals in it.');
      return;
    }
    setDialog({ kind: 'import-proposals', negotiation });
  }, [notify]);

  const renameDocument = useCallback(
    async (id: string, title: string): Promise<string | null> => {
      try {
        await api.renameDocument({ id, title });
        setRenamingId(null);
        await refreshLists();
        return null;
      } catch (error) {
        return describeError(error);
      }
    },
    [api, refreshLists],
  );

  const duplicateDocument = useCallback(
    async (id: string) => {
      try {
        const copy = await api.duplicateDocument({ id });
        await refreshLists();
        await openDocument(copy.id);
      } catch (error) {
        notify(`The document could not be duplicated: ${describeError(error)}`);
      }
    },
    [api, refreshLists, openDocument, notify],
  );

  const trashDocument = useCallback(
    async (id: string) => {
      const index = documents.findIndex((d) => d.id === id);
      const title = documents[index]?.title ?? 'The document';
      try {
        if (sessionRef.current?.id === id) {
          // Let the editor go first; its last edits still reach the disk before or after the move.
          const neighbour = documents[index + 1] ?? documents[index - 1] ?? null;
          closeDocument();
          await api.trashDocument({ id });
          const live = await refreshLists();
          const next = neighbour && live.some((d) => d.id === neighbour.id) ? neighbour.id : (live[0]?.id ?? null);
          if (next) await openDocument(next);
        } else {
          await api.trashDocument({ id });
          await refreshLists();
        }
        notify(`“${title}” was moved to the trash.`, 'info');
      } catch (error) {
        notify(`The document could not be moved to the trash: ${describeError(error)}`);
      }
    },
    [api, documents, closeDocument, refreshLists, openDocument, notify],
  );

  const restoreDocument = useCallback(
    async (id: string) => {
      try {
        const restored = await api.restoreDocument({ id });
        await refreshLists();
        notify(`“${restored.title}” was restored.`, 'info');
      } catch (error) {
        notify(`The document could not be restored: ${describeError(error)}`);
      }
    },
    [api, refreshLists, notify],
  );

  const purgeDocument = useCallback(
    async (doc: DocumentSummary) => {
      setDialog(null);
      try {
        await api.purgeDocument({ id: doc.id });
        await refreshLists();
      } catch (error) {
        notify(`“${doc.title}” could not be deleted: ${describeError(error)}`);
      }
    },
    [api, refreshLists, notify],
  );

  const toggleOutline = useCallback(() => {
    setOutlineVisible((visible) => {
      try {
        localStorage.setItem(OUTLINE_SETTING, String(!visible));
      } catch {
        // Private windows may refuse storage; the choice then lasts for this session only.
      }
      return !visible;
    });
  }, []);

  const openLink = useCallback(
    (href: string) => {
      api.openExternal({ url: href }).then(
        (result) => {
          if (!result.opened) notify(`The link was not opened: ${result.reason ?? 'this kind of link is not allowed'}.`);
        },
        (error: unknown) => notify(`The link was not opened: ${describeError(error)}`),
      );
    },
    [api, notify],
  );

  /**
   * Opens the Export dialog: with no versions as the toolbar does (the clean current text); with `from` null, the
   * clean text of the version `to`; with both, their comparison. Stable, so the memoised toolbar does not redraw.
   */
  const openExport = useCallback((from?: string | null, to?: string) => {
    // The name the person gave ("Recording as", or the signed-in account) is who a comparison's changes are by in Word.
    const author = controllerRef.current?.negotiation?.identity.person;
    const initial: Partial<ExportChoice> | undefined =
      to === undefined ? undefined : from === null || from === undefined ? { kind: 'clean', to } : { kind: 'comparison', from, to };
    setDialog({ kind: 'export', ...(initial ? { initial } : {}), ...(author ? { author } : {}) });
  }, []);

  const onMenuCommand = (command: MenuCommand) => {
    const field = focusedField();
    const inEditor = field === null || !!field.closest('.ProseMirror');
    switch (command) {
      case 'new-document':
        void createDocument('blank');
        break;
      case 'new-from-sample':
        void createDocument('sample');
        break;
      case 'rename-document':
        if (openId) {
          setView('documents');
          setRenamingId(openId);
        }
        break;
      case 'duplicate-document':
        if (openId) void duplicateDocument(openId);
        break;
      case 'trash-document':
        if (openId) void trashDocument(openId);
        break;
      case 'show-documents':
        setView('documents');
        break;
      case 'show-trash':
        setView('trash');
        break;
      case 'undo':
      case 'redo':
        // In a text field of the chrome (a title being renamed) the menu acts on that field, as everywhere else.
        if (!inEditor) document.execCommand(command);
        else controllerRef.current?.run(command);
        break;
      case 'select-all':
        // A header field or the rename box selects its own text; the document text selects the whole document.
        if (field) field.select();
        else controllerRef.current?.run('select-all');
        break;
      case 'toggle-outline':
        toggleOutline();
        break;
      case 'about':
        setDialog({ kind: 'about' });
        break;
      case 'import-docx':
        void importWordDocument();
        break;
      case 'import-proposals':
        importProposals();
        break;
      case 'export-document':
        if (sessionRef.current) openExport();
        break;
    }
  };
  const menuHandler = useRef(onMenuCommand);
  menuHandler.current = onMenuCommand;
  useEffect(() => api.onMenuCommand(({ command }) => menuHandler.current(command)), [api]);

  const onController = useCallback((controller: EditorController | null) => {
    controllerRef.current = controller;
    // The review was planned against the negotiation of the editor that just went: start again with the new one.
    setDialog((current) => (current?.kind === 'import-proposals' && current.negotiation !== controller?.negotiation ? null : current));
  }, []);

  const problems = !problemsDismissed ? (appInfo?.problems ?? []) : [];

  return (
    <div className="app">
      <ProblemsBanner problems={problems} onDismiss={() => setProblemsDismissed(true)} />
      <div className="app-body">
        <Sidebar
          view={view}
          onViewChange={setView}
          entries={entries}
          servers={servers}
          hosting={hosting}
          serverProblems={serverProblems}
          onOpenRemote={(serverUrl, remote) => void openRemoteDocument(serverUrl, remote)}
          onConnect={() => setDialog({ kind: 'connect' })}
          onHost={() => setDialog({ kind: 'host' })}
          onSignIn={(serverUrl) => setDialog({ kind: 'connect', serverUrl, name: lastAccountName.current.get(serverUrl) })}
          onSignOut={(serverUrl) => void signOut(serverUrl)}
          trash={trash}
          openId={openId}
          renamingId={renamingId}
          loading={!listsLoaded}
          onOpen={(id) => void openDocument(id)}
          onNew={() => void createDocument('blank')}
          onNewFromSample={() => void createDocument('sample')}
          onImportWord={() => void importWordDocument()}
          importingWord={importingWord}
          onImportProposals={importProposals}
          onStartRename={setRenamingId}
          onRename={renameDocument}
          onCancelRename={() => setRenamingId(null)}
          onDuplicate={(id) => void duplicateDocument(id)}
          onTrash={(id) => void trashDocument(id)}
          onRestore={(id) => void restoreDocument(id)}
          onPurge={(id) => {
            const doc = trash.find((d) => d.id === id);
            if (doc) setDialog({ kind: 'purge', doc });
          }}
        />
        {session ? (
          <EditorArea
            key={session.id}
            session={session}
            title={openDoc?.title ?? ''}
            outlineVisible={outlineVisible}
            onToggleOutline={toggleOutline}
            onController={onController}
            openLink={openLink}
            selectTitle={freshDocId.current === session.id}
            serverLabel={openServerLabel}
            onPublish={() => openDoc && setDialog({ kind: 'publish', doc: openDoc })}
            onExport={openExport}
            onImportProposals={importProposals}
            onSignIn={(serverUrl) => setDialog({ kind: 'connect', serverUrl, name: lastAccountName.current.get(serverUrl) })}
            notify={notify}
          />
        ) : (
          <div className="editor-area empty">
            <div className="empty-state">
              {opening || !listsLoaded ? (
                <p className="muted">Opening…</p>
              ) : (
                <>
                  <Icon name="document" size={40} />
                  <h1>No document open</h1>
                  <p className="muted">Choose a document on the left, or start a new one.</p>
                  <div className="empty-actions">
                    <button type="button" className="button primary" onClick={() => void createDocument('blank')}>
                      <Icon name="plus" /> New document
                    </button>
                    <button type="button" className="button" onClick={() => void createDocument('sample')}>
                      <Icon name="sample" /> New from sample
                    </button>
                    <button type="button" className="button" onClick={() => void importWordDocument()} disabled={importingWord}>
                      <ImportWordIcon /> {importingWord ? 'Importing…' : 'Import Word…'}
                    </button>
                  </div>
                </>
              )}
            </div>
            <StatusBar queue={null} words={null} paragraphs={null} title={null} />
          </div>
        )}
      </div>
      <Notices notices={notices} onDismiss={dismissNotice} />
      {dialog?.kind === 'purge' && (
        <Modal
          title="Delete forever?"
          confirmLabel="Delete forever"
          danger
          onConfirm={() => void purgeDocument(dialog.doc)}
          onClose={() => setDialog(null)}
        >
          <p className="modal-subject" title={dialog.doc.title}>
            {dialog.doc.title}
          </p>
          <p>This document and all its history will be deleted from this computer. This cannot be undone.</p>
        </Modal>
      )}
      {dialog?.kind === 'connect' && (
        <ConnectDialog api={api} serverUrl={dialog.serverUrl} name={dialog.name} onSignedIn={(signedIn) => void onSignedIn(signedIn)} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'publish' && (
        <PublishDialog
          api={api}
          doc={dialog.doc}
          servers={servers}
          onPublished={(doc, server) => void onPublished(doc, server)}
          onConnect={() => setDialog({ kind: 'connect' })}
          onHost={() => setDialog({ kind: 'host' })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'host' && (
        <HostDialog
          api={api}
          onChanged={(status) => void onHostingChanged(status)}
          onPublishOpen={openDoc && !openDoc.remote ? (serverUrl) => void publishOpenTo(serverUrl) : undefined}
          openTitle={openDoc?.title ?? null}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'import-report' && (
        <ImportReportDialog fileName={dialog.fileName} title={dialog.title} report={dialog.report} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'import-proposals' && (
        <ImportProposalsDialog
          api={api}
          negotiation={dialog.negotiation}
          onClose={() => setDialog(null)}
          onDone={(message, pids) => {
            setDialog(null);
            notify(message, 'info');
            // The first recorded proposal's paragraph comes into view, its card beside it.
            if (pids[0] !== undefined) controllerRef.current?.jumpTo(pids[0]);
          }}
        />
      )}
      {dialog?.kind === 'export' && session && (
        <ExportDialog
          api={api}
          session={session}
          initial={dialog.initial}
          author={dialog.author}
          onClose={() => setDialog(null)}
          onExported={(where) => {
            setDialog(null);
            notify(`Exported to ${where}.`, 'info');
          }}
        />
      )}
      {dialog?.kind === 'about' && (
        <Modal title="About Penholder" onClose={() => setDialog(null)}>
          <p>Penholder {appInfo?.version ?? ''}: drafting and negotiating consensus reports.</p>
          {appInfo && (
            <p className="muted">
              Workspace: <span className="path">{appInfo.workspaceDir}</span>
              <br />
              Document model version {appInfo.schemaVersion} · {appInfo.shell === 'electron' ? 'Desktop' : 'Browser'} build
            </p>
          )}
        </Modal>
      )}
    </div>
  );
}
