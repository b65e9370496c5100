/**
 * The status bar: whether the open document is on disk ("Saved" only once every change is), for a shared
 * document whether it is on the server (a separate fact: "Online", "Syncing…", "Offline — N changes not yet on
 * the server"), the word and paragraph counts, and the document's title.
 */
import { memo, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { RemoteBinding } from '../collab/remoteBinding.ts';
import type { SaveSource, SaveState } from '../editor/persistence.ts';
import { describeSaveState } from '../editor/persistence.ts';
import { backgroundSaveState, retryAllSaves, subscribeSessions, type SharingState } from '../editor/session.ts';
import { formatCount } from '../format.ts';
import { Icon } from './Icons.tsx';

/** The status bar's props. */
export interface StatusBarProps {
  /** The open document's save state; null when no document is open. */
  queue: SaveSource | null;
  /** The open document's sharing; null or a local origin for a document on this computer only. */
  sharing?: SharingState | null;
  /** Asks the person to sign in to the open document's server again. */
  onSignIn?: () => void;
  words: number | null;
  paragraphs: number | null;
  title: string | null;
}

function failureOf(queue: SaveSource | null): string | null {
  const state = queue?.state;
  return state?.status === 'failed' ? describeSaveState(state) : null;
}

/**
 * "Saved" / "Saving…" / "Not saved — reason". Saved and Saving alternate on every keystroke, so they are written
 * straight into the element instead of re-rendering React each time; a failure (rare) re-renders for the retry.
 */
function SaveIndicator({ queue }: { queue: SaveSource | null }) {
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
      <span
        ref={label}
        data-testid="save-state"
        title={failure ? 'Retrying automatically; Retry now tries at once.' : 'Whether every change is saved on this computer.'}
      />
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

function ConnectionLine(props: { tone: string; label: string; detail: string | null; onSignIn?: (() => void) | null }) {
  return (
    <div className="connection-state" data-tone={props.tone} role="status" aria-live="polite" title={props.detail ?? undefined}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label" data-testid="connection-state">
        {props.label}
      </span>
      {props.onSignIn && (
        <button type="button" className="link-button" onClick={props.onSignIn} data-testid="status-sign-in">
          Sign in
        </button>
      )}
    </div>
  );
}

/** The server fact of a bound document, re-rendered on the binding's changes only. */
function BoundConnection({ binding, onSignIn }: { binding: RemoteBinding; onSignIn?: () => void }) {
  const { connection } = useSyncExternalStore(binding.subscribe, binding.getSnapshot);
  return (
    <ConnectionLine tone={connection.tone} label={connection.label} detail={connection.detail} onSignIn={connection.action === 'sign-in' ? onSignIn : null} />
  );
}

/** "Online" / "Syncing…" / "Offline — N changes not yet on the server", or why it is not connected. */
function ConnectionIndicator({ sharing, onSignIn }: { sharing: SharingState | null | undefined; onSignIn?: () => void }) {
  if (!sharing?.origin) return null;
  if (!sharing.binding) {
    return <ConnectionLine tone="problem" label="Signed out" detail="Sign in to this document's server to see and send changes." onSignIn={onSignIn} />;
  }
  return <BoundConnection binding={sharing.binding} onSignIn={onSignIn} />;
}

/** The bottom line of the window; re-renders only when the counts, the title or the sharing change. */
export const StatusBar = memo(function StatusBar({ queue, sharing, onSignIn, words, paragraphs, title }: StatusBarProps) {
  return (
    <footer className="statusbar" aria-label="Status">
      <SaveIndicator queue={queue} />
      <ConnectionIndicator sharing={sharing} onSignIn={onSignIn} />
      <div className="counts" data-testid="word-count">
        {words !== null && paragraphs !== null ? `${formatCount(words, 'word', 'words')} · ${formatCount(paragraphs, 'paragraph', 'paragraphs')}` : ''}
      </div>
      <div className="status-title" data-testid="status-title" title={title ?? undefined}>
        {title ?? ''}
      </div>
    </footer>
  );
});
