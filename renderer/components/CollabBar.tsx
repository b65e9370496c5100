/**
 * The line under the toolbar that says where the document lives: on this computer only (with a way to share
 * it), or on a server, as whom, whether the text can be changed here, and who is present right now.
 */
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { RemoteBinding } from '../collab/remoteBinding.ts';
import { initialsOf } from '../collab/colors.ts';
import { describeRole, presenceLabel, type PresentUser } from '../collab/presence.ts';
import type { SharingState } from '../editor/session.ts';
import { Icon } from './Icons.tsx';

/** How many people show as chips before the rest fold into "+N". */
const VISIBLE_CHIPS = 5;

/** The bar's props. */
export interface CollabBarProps {
  sharing: SharingState;
  /** The server's name as people know it ("this computer", "10.0.0.5:4321"). */
  serverLabel: string | null;
  /** Offers to publish a local document; omitted when nobody here could (no server, not chair). */
  onPublish: () => void;
  /** Asks the person to sign in to the document's server. */
  onSignIn: (serverUrl: string) => void;
  /** For a document on this computer only: who holds the pen (the negotiation's "Recording as" field). */
  person?: ReactNode;
}

function Avatar({ user }: { user: Pick<PresentUser, 'name' | 'color'> }) {
  return (
    <span className="avatar" style={{ backgroundColor: user.color }} aria-hidden="true">
      {initialsOf(user.name)}
    </span>
  );
}

function PresenceList({ binding }: { binding: RemoteBinding }) {
  const { presence } = useSyncExternalStore(binding.subscribe, binding.getSnapshot);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && event.target instanceof Node && !root.current.contains(event.target)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  if (presence.length === 0) return null;
  const visible = presence.slice(0, VISIBLE_CHIPS);
  const hidden = presence.length - visible.length;
  return (
    <div className="presence" ref={root} data-testid="presence">
      <ul className="presence-chips" aria-label={`${presence.length} present`}>
        {visible.map((user) => (
          <li
            key={user.name}
            className="presence-chip"
            data-testid="presence-user"
            data-name={user.name}
            data-role={user.role}
            data-delegation={user.delegation ?? ''}
            title={`${presenceLabel(user)}${user.connections > 1 ? ` (${user.connections} windows)` : ''}`}
          >
            <Avatar user={user} />
            <span className="presence-name">{user.name}</span>
            <span className="presence-role">{user.role === 'delegation' ? (user.delegation ?? 'Delegation') : describeRole(user.role, null)}</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="presence-more"
        aria-expanded={open}
        aria-haspopup="true"
        data-testid="presence-toggle"
        onClick={() => setOpen((v) => !v)}
        title="Everyone present"
      >
        {hidden > 0 ? `+${hidden}` : `${presence.length}`} <Icon name="people" size={14} />
      </button>
      {open && (
        <div className="presence-popover" role="dialog" aria-label="Everyone present">
          <div className="presence-popover-title">{presence.length === 1 ? '1 person present' : `${presence.length} people present`}</div>
          <ul>
            {presence.map((user) => (
              <li key={user.name} data-testid="presence-list-item">
                <Avatar user={user} />
                <span className="presence-popover-name">{user.name}</span>
                <span className="presence-popover-role">{describeRole(user.role, user.delegation)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The sharing line of the open document. */
export function CollabBar({ sharing, serverLabel, onPublish, onSignIn, person }: CollabBarProps) {
  const { origin, binding } = sharing;
  if (!origin) {
    return (
      <div className="collab-bar" data-testid="collab-bar" data-shared="false">
        <span className="collab-where">
          <Icon name="computer" size={14} /> On this computer only
        </span>
        {person}
        <span className="collab-spacer" />
        <button type="button" className="button small" onClick={onPublish} data-testid="publish-open">
          <Icon name="share" size={14} /> Share on a server…
        </button>
      </div>
    );
  }
  const account = origin.server.account;
  return (
    <div className="collab-bar" data-testid="collab-bar" data-shared="true">
      <span className="collab-where" title={origin.server.url}>
        <Icon name="server" size={14} /> Shared on {serverLabel ?? origin.server.url}
      </span>
      {account ? (
        <span className="collab-account" data-testid="collab-account">
          as {account.name} · {describeRole(account.role, account.delegation)}
        </span>
      ) : (
        <span className="collab-account">
          Signed out ·{' '}
          <button type="button" className="link-button" onClick={() => onSignIn(origin.server.url)} data-testid="collab-sign-in">
            Sign in
          </button>
        </span>
      )}
      {!sharing.textWritable && (
        <span className="badge" data-testid="read-only-badge" title="Only the chair's team changes the negotiating text. Proposals are made separately.">
          Read-only text
        </span>
      )}
      <span className="collab-spacer" />
      {binding && <PresenceList binding={binding} />}
    </div>
  );
}
