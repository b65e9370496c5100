/**
 * The centre of the window for one open document: toolbar, the grey workspace with the white page (the
 * ProseMirror editor and the footnotes at its foot), the outline pane and the status bar.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { EditorController, type EditorSnapshot } from '../editor/editorController.ts';
import type { RemoteBinding } from '../collab/remoteBinding.ts';
import type { DocumentSession } from '../editor/session.ts';
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
  /** Opens the sign-in dialog for a server. */
  onSignIn: (serverUrl: string) => void;
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
  const openLinkRef = useRef(openLink);
  openLinkRef.current = openLink;
  const onControllerRef = useRef(onController);
  onControllerRef.current = onController;
  const selectTitleRef = useRef(selectTitle);

  // A new editor whenever who may write or the live link changes: read-only and cursors are fixed per editor.
  useEffect(() => {
    const element = mount.current;
    if (!element || !textReady) return;
    const created = new EditorController(element, session.ydoc, {
      openLink: (href) => openLinkRef.current(href),
      readOnly: !textWritable,
      awareness: binding?.awareness ?? null,
    });
    setController(created);
    onControllerRef.current(created);
    if (selectTitleRef.current && textWritable) created.selectTitle();
    else created.focus();
    selectTitleRef.current = false;
    return () => {
      onControllerRef.current(null);
      setController(null);
      created.destroy();
    };
  }, [session, binding, textWritable, textReady]);

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
      <Toolbar controller={controller} state={snapshot?.toolbar ?? null} outlineVisible={outlineVisible} onToggleOutline={onToggleOutline} />
      <CollabBar sharing={sharing} serverLabel={props.serverLabel} onPublish={props.onPublish} onSignIn={props.onSignIn} />
      <div className="editor-columns">
        <div className="workspace" data-testid="workspace">
          {textReady ? (
            <article className={`page${textWritable ? '' : ' read-only'}`} aria-label={`Page of ${title}`}>
              <div ref={mount} className="page-text" />
              <Footnotes footnotes={snapshot?.footnotes ?? []} onOpen={onOpenFootnote} />
            </article>
          ) : (
            <WaitingForServer binding={binding} serverLabel={props.serverLabel} />
          )}
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
    </div>
  );
}
