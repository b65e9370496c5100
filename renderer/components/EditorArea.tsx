/**
 * The centre of the window for one open document: toolbar, the grey workspace with the white page (the
 * ProseMirror editor and the footnotes at its foot), the outline pane and the status bar.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { EditorController, type EditorSnapshot } from '../editor/editorController.ts';
import type { DocumentSession } from '../editor/session.ts';
import type { FootnoteEntry } from '../editor/outline.ts';
import { OutlinePane } from './OutlinePane.tsx';
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

/** The editing surface of one document. */
export function EditorArea({ session, title, outlineVisible, onToggleOutline, onController, openLink, selectTitle = false }: EditorAreaProps) {
  const mount = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<EditorController | null>(null);
  const openLinkRef = useRef(openLink);
  openLinkRef.current = openLink;
  const onControllerRef = useRef(onController);
  onControllerRef.current = onController;
  const selectTitleRef = useRef(selectTitle);

  useEffect(() => {
    const element = mount.current;
    if (!element) return;
    const created = new EditorController(element, session.ydoc, { openLink: (href) => openLinkRef.current(href) });
    setController(created);
    onControllerRef.current(created);
    if (selectTitleRef.current) created.selectTitle();
    else created.focus();
    return () => {
      onControllerRef.current(null);
      setController(null);
      created.destroy();
    };
  }, [session]);

  const snapshot = useSyncExternalStore(controller?.subscribe ?? noSubscribe, controller?.getSnapshot ?? noSnapshot);

  const onJump = useCallback((pid: string) => controller?.jumpTo(pid), [controller]);
  const onOpenFootnote = useCallback((index: number) => controller?.openFootnote(index), [controller]);

  return (
    <div className={`editor-area${outlineVisible ? ' with-outline' : ''}`}>
      <Toolbar controller={controller} state={snapshot?.toolbar ?? null} outlineVisible={outlineVisible} onToggleOutline={onToggleOutline} />
      <div className="editor-columns">
        <div className="workspace" data-testid="workspace">
          <article className="page" aria-label={`Page of ${title}`}>
            <div ref={mount} className="page-text" />
            <Footnotes footnotes={snapshot?.footnotes ?? []} onOpen={onOpenFootnote} />
          </article>
        </div>
        {outlineVisible && <OutlinePane entries={snapshot?.outline ?? []} currentIndex={snapshot?.currentOutlineIndex ?? -1} onJump={onJump} />}
      </div>
      <StatusBar queue={session.queue} words={snapshot?.words ?? null} paragraphs={snapshot?.paragraphs ?? null} title={title} />
    </div>
  );
}
