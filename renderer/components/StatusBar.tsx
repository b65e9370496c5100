/**
 * The status bar: whether the open document is on disk ("Saved" only once every change is), the word and
 * paragraph counts, and the document's title.
 */
import { memo, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { SaveState, UpdateQueue } from '../editor/persistence.ts';
import { describeSaveState } from '../editor/persistence.ts';
import { backgroundSaveState, retryAllSaves, subscribeSessions } from '../editor/session.ts';
import { formatCount } from '../format.ts';
import { Icon } from './Icons.tsx';

/** The status bar's props. */
export interface StatusBarProps {
  /** The open document's save queue; null when no document is open. */
  queue: UpdateQueue | null;
  words: number | null;
  paragraphs: number | null;
  title: string | null;
}

function failureOf(queue: UpdateQueue | null): string | null {
  const state = queue?.state;
  return state?.status === 'failed' ? describeSaveState(state) : null;
}

/**
 * "Saved" / "Saving…" / "Not saved — reason". Saved and Saving alternate on every keystroke, so they are written
 * straight into the element instead of re-rendering React each time; a failure (rare) re-renders for the retry.
 */
function SaveIndicator({ queue }: { queue: UpdateQueue | null }) {
  const root = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const failure = useSyncExternalStore(queue?.subscribe ?? noSubscribe, () => failureOf(queue));
  // Documents closed but still being written, so the person knows the app is not idle.
  const background = useSyncExternalStore(subscribeSessions, backgroundSaveState);

  useLayoutEffect(() => {
    const show = (state: SaveState | null) => {
      root.current?.setAttribute('data-status', state?.status ?? 'none');
      if (label.current) label.current.textContent = state ? describeSaveState(state) : '';
    };
    show(queue?.state ?? null);
    return queue?.subscribe(show);
  }, [queue]);

  const onRetry = () => {
    queue?.retryNow();
    retryAllSaves();
  };
  return (
    <div ref={root} className="save-state" role="status" aria-live="polite">
      {queue && (
        <span className="save-icon">
          <Icon name="check" size={14} />
          <Icon name="spinner" size={14} />
          <Icon name="warning" size={14} />
        </span>
      )}
      <span ref={label} data-testid="save-state" title={failure ? 'Retrying automatically; Retry now tries at once.' : undefined} />
      {background.status !== 'saved' && (
        <span className="save-background" data-testid="background-save-state">
          {background.status === 'failed' ? `Another document is not saved — ${background.message}` : 'Saving another document…'}
        </span>
      )}
      {(failure || background.status === 'failed') && (
        <button type="button" className="link-button" onClick={onRetry} data-testid="save-retry">
          Retry now
        </button>
      )}
    </div>
  );
}

const noSubscribe = () => () => {};

/** The bottom line of the window; re-renders only when the counts or the title change. */
export const StatusBar = memo(function StatusBar({ queue, words, paragraphs, title }: StatusBarProps) {
  return (
    <footer className="statusbar" aria-label="Status">
      <SaveIndicator queue={queue} />
      <div className="counts" data-testid="word-count">
        {words !== null && paragraphs !== null ? `${formatCount(words, 'word', 'words')} · ${formatCount(paragraphs, 'paragraph', 'paragraphs')}` : ''}
      </div>
      <div className="status-title" data-testid="status-title" title={title ?? undefined}>
        {title ?? ''}
      </div>
    </footer>
  );
});
