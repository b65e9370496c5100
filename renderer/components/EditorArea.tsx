/**
 * The centre of the window for one open document: toolbar, the grey workspace with the white page (the
 * ProseMirror editor and the footnotes at its foot) and the negotiation beside it (margin cards, compilation,
 * activity), the outline pane and the status bar.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { EditorController, type EditorSnapshot } from '../editor/editorController.ts';
import type { RemoteBinding } from '../collab/remoteBinding.ts';
import type { DocumentSession, SharingState } from '../editor/session.ts';
import { NegotiationSession, type NegotiationIdentity } from '../negotiation/negotiationSession.ts';
import { useNegotiationPanel } from './negotiation/NegotiationPanel.tsx';
import type { FootnoteEntry } from '../editor/outline.ts';
import { CollabBar } from './CollabBar.tsx';
import { OutlinePane } from './OutlinePane.tsx';
import { Icon } from './Icons.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Toolbar } from './Toolbar.tsx';

/** The editor area's props. */
export interface EditorAreaProps {
  session: DocumentSession;
  title: string;
  outlineVisible: boolean;
  onToggleOutline: () => void;
  /** Told about the controller once the editor exists (and null when it is gone), for menu commands. */
  onController: (controller: EditorController | null) => void;
  openLink: (href: string) => void;
  /** Select the title when the editor opens (a new document), so typing replaces it. */
  selectTitle?: boolean;
  /** The name of the open document's server as people know it; null for a local document. */
  serverLabel: string | null;
  /** Opens the dialog that publishes this document to a server. */
  onPublish: () => void;
  /**
   * Opens the Export dialog for this document: with no versions as the toolbar does; with `from` null, the clean text
   * of version `to` (a revision opened read-only); with both, the comparison of those two versions (a revision id or
   * 'current' each).
   */
  onExport?: (from?: string | null, to?: string) => void;
  /** Opens the review of proposals from a returned Word file with tracked changes (shown only to who may propose). */
  onImportProposals?: () => void;
  /** Opens the sign-in dialog for a server. */
  onSignIn: (serverUrl: string) => void;
  /** Shows a message to the person (a refused edit, a recorded proposal). */
  notify: (message: string, tone?: 'error' | 'info') => void;
}

const PERSON_SETTING = 'penholder.personName';
const DEFAULT_PERSON = 'Chair';

function readPerson(): string {
  try {
    return localStorage.getItem(PERSON_SETTING)?.trim() || DEFAULT_PERSON;
  } catch {
    return DEFAULT_PERSON;
  }
}

/**
 * Who takes part in the negotiation from this window: on a document on this computer only, the chair's team (who
 * records what delegations say from the floor); on a shared one, the signed-in account's role.
 */
export function negotiationIdentity(sharing: SharingState, person: string): NegotiationIdentity {
  const account = sharing.origin?.server.account ?? null;
  if (!sharing.origin) return { role: 'chair', code: null, person, local: true };
  if (!account || !sharing.binding) return { role: 'reader', code: null, person: account?.name ?? person, local: false };
  if (account.role === 'chair') return { role: 'chair', code: null, person: account.name, local: false };
  if (account.role === 'delegation' && account.delegation) return { role: 'delegation', code: account.delegation, person: account.name, local: false };
  return { role: 'reader', code: null, person: account.name, local: false };
}

const noSubscribe = () => () => {};
const noSnapshot = (): EditorSnapshot | null => null;

function Footnotes({ footnotes, onOpen }: { footnotes: readonly FootnoteEntry[]; onOpen: (index: number) => void }) {
  if (footnotes.length === 0) return null;
  return (
    <section className="page-footnotes" aria-label="Footnotes" data-testid="footnotes">
      <ol>
        {footnotes.map((footnote, index) => (
          <li key={`${index}-${footnote.pos}`} data-testid="footnote-item" data-footnote={footnote.number}>
            <button type="button" className="footnote-entry" onClick={() => onOpen(index + 1)} title="Edit this footnote">
              <sup className="footnote-entry-number">{footnote.number}</sup>
              <span className="footnote-entry-text">{footnote.text || <em className="muted">Empty footnote</em>}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function WaitingMessage({ serverLabel, problem }: { serverLabel: string | null; problem: string | null }) {
  return (
    <div className="page-waiting" data-testid="waiting-for-server" data-problem={problem ? 'true' : 'false'}>
      {problem ? <Icon name="warning" size={20} /> : <Icon name="spinner" size={20} />}
      <p>{problem ? 'This document has not been downloaded to this computer yet.' : `Downloading this document from ${serverLabel ?? 'the server'}…`}</p>
      <p className="muted">{problem ?? 'It opens as soon as the server answers, and works offline from then on.'}</p>
    </div>
  );
}

function BoundWaiting({ binding, serverLabel }: { binding: RemoteBinding; serverLabel: string | null }) {
  const { connection } = useSyncExternalStore(binding.subscribe, binding.getSnapshot);
  const problem =
    connection.tone === 'problem'
      ? connection.detail
      : connection.tone === 'offline'
        ? `${serverLabel ?? 'The server'} cannot be reached right now; it opens as soon as it can.`
        : null;
  return <WaitingMessage serverLabel={serverLabel} problem={problem} />;
}

/** Shown instead of the page while a shared document never downloaded here waits for the server's copy. */
function WaitingForServer({ binding, serverLabel }: { binding: RemoteBinding | null; serverLabel: string | null }) {
  if (!binding) return <WaitingMessage serverLabel={serverLabel} problem="Sign in to its server to download it." />;
  return <BoundWaiting binding={binding} serverLabel={serverLabel} />;
}

/** The editing surface of one document. */
export function EditorArea(props: EditorAreaProps) {
  const { session, title, outlineVisible, onToggleOutline, onController, openLink, selectTitle = false } = props;
  const mount = useRef<HTMLDivElement>(null);
  const sharing = useSyncExternalStore(session.subscribeSharing, session.getSharing);
  const { binding, textWritable, textReady } = sharing;
  const [controller, setController] = useState<EditorController | null>(null);
  const [negotiation, setNegotiation] = useState<NegotiationSession | null>(null);
  const [person, setPerson] = useState(readPerson);
  const personRef = useRef(person);
  personRef.current = person;
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const [page, setPage] = useState<HTMLElement | null>(null);
  const notifyRef = useRef(props.notify);
  notifyRef.current = props.notify;
  const openLinkRef = useRef(openLink);
  openLinkRef.current = openLink;
  const onControllerRef = useRef(onController);
  onControllerRef.current = onController;
  const selectTitleRef = useRef(selectTitle);

  // A new editor whenever who may write or the live link changes: read-only and cursors are fixed per editor.
  useEffect(() => {
    const element = mount.current;
    if (!element || !textReady) return;
    // The negotiation first: its index must follow the text before the editor's binding does (decorations.ts).
    const identity = negotiationIdentity(session.sharing, personRef.current);
    const negotiating = new NegotiationSession(session, identity);
    const created = new EditorController(element, session.ydoc, {
      openLink: (href) => openLinkRef.current(href),
      readOnly: !textWritable,
      awareness: binding?.awareness ?? null,
      negotiation: negotiating,
      onRefused: (message) => notifyRef.current(message, 'error'),
    });
    setNegotiation(negotiating);
    setController(created);
    onControllerRef.current(created);
    if (selectTitleRef.current && textWritable) created.selectTitle();
    else created.focus();
    selectTitleRef.current = false;
    return () => {
      onControllerRef.current(null);
      setController(null);
      setNegotiation(null);
      created.destroy();
      negotiating.destroy();
    };
  }, [session, binding, textWritable, textReady]);

  const changePerson = useCallback(
    (name: string) => {
      setPerson(name);
      const trimmed = name.trim();
      if (trimmed) negotiation?.setPerson(trimmed);
      try {
        localStorage.setItem(PERSON_SETTING, trimmed);
      } catch {
        // Private windows may refuse storage; the name then lasts for this session only.
      }
    },
    [negotiation],
  );
  const panel = useNegotiationPanel({
    negotiation,
    controller,
    scroller,
    page,
    notify: props.notify,
    person,
    onPerson: changePerson,
    onExport: props.onExport,
    onImportProposals: props.onImportProposals,
  });
  // The toolbar's button passes its click event: the plain dialog must not take it for a version.
  const exportFromApp = props.onExport;
  const onToolbarExport = useMemo(() => (exportFromApp ? () => exportFromApp() : undefined), [exportFromApp]);
  // The text keeps its place while the compilation or the activity log is open; they open at their top.
  const textScroll = useRef(0);
  const previousMode = useRef(panel.mode);
  useLayoutEffect(() => {
    if (!scroller || previousMode.current === panel.mode) return;
    if (previousMode.current === 'text') textScroll.current = scroller.scrollTop;
    scroller.scrollTop = panel.mode === 'text' ? textScroll.current : 0;
    previousMode.current = panel.mode;
  }, [panel.mode, scroller]);

  const snapshot = useSyncExternalStore(controller?.subscribe ?? noSubscribe, controller?.getSnapshot ?? noSnapshot);

  const onJump = useCallback((pid: string) => controller?.jumpTo(pid), [controller]);
  const serverUrl = sharing.origin?.server.url ?? null;
  const requestSignIn = props.onSignIn;
  const onSignInHere = useCallback(() => {
    if (serverUrl) requestSignIn(serverUrl);
  }, [serverUrl, requestSignIn]);
  const onOpenFootnote = useCallback((index: number) => controller?.openFootnote(index), [controller]);

  return (
    <div className={`editor-area${outlineVisible ? ' with-outline' : ''}`}>
      <Toolbar controller={controller} state={snapshot?.toolbar ?? null} outlineVisible={outlineVisible} onToggleOutline={onToggleOutline} onExport={onToolbarExport} />
      <CollabBar sharing={sharing} serverLabel={props.serverLabel} onPublish={props.onPublish} onSignIn={props.onSignIn} person={panel.person} />
      {panel.bar}
      <div className="editor-columns">
        <div className={`workspace${panel.margin ? ' with-margin' : ''}`} data-testid="workspace" ref={setScroller}>
          {textReady ? (
            <div className="page-row" hidden={panel.mode !== 'text'}>
              <article ref={setPage} className={`page${textWritable ? '' : ' read-only'}`} aria-label={`Page of ${title}`}>
                <div ref={mount} className="page-text" />
                <Footnotes footnotes={snapshot?.footnotes ?? []} onOpen={onOpenFootnote} />
              </article>
              {panel.margin}
            </div>
          ) : (
            <WaitingForServer binding={binding} serverLabel={props.serverLabel} />
          )}
          {panel.overlay}
        </div>
        {outlineVisible && <OutlinePane entries={snapshot?.outline ?? []} currentIndex={snapshot?.currentOutlineIndex ?? -1} onJump={onJump} />}
      </div>
      <StatusBar
        queue={session.queue}
        sharing={sharing}
        onSignIn={onSignInHere}
        words={snapshot?.words ?? null}
        paragraphs={snapshot?.paragraphs ?? null}
        title={title}
      />
      {panel.dialogs}
    </div>
  );
}
