/**
 * The document list on the left: live documents (open, rename in place, duplicate, move to trash), the documents
 * the servers offer this account (marked with the server's name), and the trash (restore, delete forever), with
 * New and New from sample on top and the servers (sign in, sign out, host) at the foot.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_TITLE_LENGTH, type DocumentSummary, type RemoteDocumentSummary, type RemoteServer } from '../../shared/ipc.ts';
import { serverLabel, type ListedDocument } from '../collab/documentList.ts';
import { describeRole } from '../collab/presence.ts';
import { formatBytes, formatFullDate, formatModified } from '../format.ts';
import { Icon, type IconName } from './Icons.tsx';
import { ImportProposalsIcon, ImportWordIcon } from './import/ImportIcons.tsx';

/** Which list the sidebar shows. */
export type SidebarView = 'documents' | 'trash';

/** What the sidebar shows and what it asks the App to do. */
export interface SidebarProps {
  view: SidebarView;
  onViewChange: (view: SidebarView) => void;
  /** Local documents and the servers' documents not yet on this computer, merged (collab/documentList.ts). */
  entries: readonly ListedDocument[];
  /** Known servers, with who is signed in. */
  servers: readonly RemoteServer[];
  /** Whether this app hosts a session. */
  hosting: boolean;
  /** Servers whose document list could not be read, with why. */
  serverProblems: ReadonlyMap<string, string>;
  onOpenRemote: (serverUrl: string, remote: RemoteDocumentSummary) => void;
  onConnect: () => void;
  onHost: () => void;
  onSignIn: (serverUrl: string) => void;
  onSignOut: (serverUrl: string) => void;
  trash: readonly DocumentSummary[];
  openId: string | null;
  renamingId: string | null;
  /** True while the lists are first loading. */
  loading: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
  onNewFromSample: () => void;
  /** Imports a Word document as a new document. */
  onImportWord: () => void;
  /** True while a Word document is being imported. */
  importingWord: boolean;
  /** Imports proposals from a Word file with tracked changes into the open document. */
  onImportProposals: () => void;
  onStartRename: (id: string) => void;
  /** Resolves to an error message to show under the field, or null when the rename is done. */
  onRename: (id: string, title: string) => Promise<string | null>;
  onCancelRename: () => void;
  onDuplicate: (id: string) => void;
  onTrash: (id: string) => void;
  onRestore: (id: string) => void;
  onPurge: (id: string) => void;
}

function IconButton(props: { icon: IconName; label: string; testId: string; onClick: () => void; danger?: boolean }) {
  return (
    <button
      type="button"
      className={`icon-button${props.danger ? ' danger' : ''}`}
      aria-label={props.label}
      title={props.label}
      data-testid={props.testId}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
    </button>
  );
}

function RenameField(props: { doc: DocumentSummary; onRename: SidebarProps['onRename']; onCancel: () => void }) {
  const [value, setValue] = useState(props.doc.title);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const commit = async () => {
    if (done.current || saving) return;
    const title = value.trim();
    if (title === props.doc.title) {
      done.current = true;
      props.onCancel();
      return;
    }
    if (!title) {
      setError('A title cannot be empty.');
      return;
    }
    setSaving(true);
    const problem = await props.onRename(props.doc.id, title);
    setSaving(false);
    if (problem) {
      setError(problem);
      input.current?.focus();
    } else {
      done.current = true;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void commit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      done.current = true;
      props.onCancel();
    }
  };

  return (
    <div className="rename-field">
      <input
        ref={input}
        value={value}
        maxLength={MAX_TITLE_LENGTH}
        aria-label="Document title"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `rename-error-${props.doc.id}` : undefined}
        data-testid="rename-input"
        disabled={saving}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => void commit()}
      />
      {error && (
        <div className="field-error" id={`rename-error-${props.doc.id}`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function DocumentItem(props: { doc: DocumentSummary; open: boolean; renaming: boolean; shared: string | null } & SidebarProps) {
  const { doc } = props;
  // A shared document's line is short on room: the server's name says more than the time and size (in the tooltip).
  const meta = props.shared ? '' : `${formatModified(doc.modifiedAt)} · ${formatBytes(doc.sizeBytes)}`;
  return (
    <li
      className={`doc-item${props.open ? ' is-open' : ''}`}
      data-testid="doc-item"
      data-doc-id={doc.id}
      data-remote-id={doc.remote?.documentId}
      data-shared={props.shared ? 'true' : 'false'}
    >
      {props.renaming ? (
        <RenameField doc={doc} onRename={props.onRename} onCancel={props.onCancelRename} />
      ) : (
        <button
          type="button"
          className="doc-open"
          aria-current={props.open ? 'page' : undefined}
          title={`${doc.title}\nModified ${formatFullDate(doc.modifiedAt)} · ${formatBytes(doc.sizeBytes)}${props.shared ? `\nShared on ${props.shared}` : ''}`}
          onClick={() => props.onOpen(doc.id)}
          onDoubleClick={() => props.onStartRename(doc.id)}
          onKeyDown={(event) => {
            if (event.key === 'F2') {
              event.preventDefault();
              props.onStartRename(doc.id);
            }
          }}
        >
          <span className="doc-title" data-testid="doc-title">
            {doc.title}
          </span>
          <span className="doc-meta">
            {props.shared && (
              <span className="server-tag" title={`Shared on ${props.shared}`}>
                <Icon name="server" size={11} /> {props.shared}
              </span>
            )}
            {meta}
          </span>
        </button>
      )}
      {!props.renaming && (
        <div className="doc-actions">
          <IconButton icon="rename" label={`Rename “${doc.title}”`} testId="doc-rename" onClick={() => props.onStartRename(doc.id)} />
          <IconButton icon="duplicate" label={`Duplicate “${doc.title}”`} testId="doc-duplicate" onClick={() => props.onDuplicate(doc.id)} />
          <IconButton icon="trash" label={`Move “${doc.title}” to trash`} testId="doc-trash" onClick={() => props.onTrash(doc.id)} />
          {props.open && (
            <button
              type="button"
              className="icon-button"
              aria-label={`Import proposals from Word into “${doc.title}”`}
              title="Import proposals from a Word file with tracked changes…"
              data-testid="doc-import-proposals"
              onClick={props.onImportProposals}
            >
              <ImportProposalsIcon />
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function RemoteItem(props: { serverUrl: string; label: string; remote: RemoteDocumentSummary } & SidebarProps) {
  const { remote } = props;
  return (
    <li className="doc-item remote-only" data-testid="remote-doc-item" data-remote-id={remote.id} data-server={props.serverUrl}>
      <button
        type="button"
        className="doc-open"
        title={`${remote.title}\nOn ${props.label}: opening it downloads it to this computer`}
        onClick={() => props.onOpenRemote(props.serverUrl, remote)}
      >
        <span className="doc-title" data-testid="doc-title">
          {remote.title}
        </span>
        <span className="doc-meta">
          <span className="server-tag">
            <Icon name="server" size={11} /> {props.label}
          </span>
          {formatModified(remote.updatedAt)} · not yet on this computer
        </span>
      </button>
    </li>
  );
}

function ServerRow(props: { server: RemoteServer; problem: string | null } & SidebarProps) {
  const { server } = props;
  const label = serverLabel(server, server.url);
  const account = server.account;
  return (
    <li className="server-row" data-testid="server-row" data-server={server.url} data-signed-in={account ? 'true' : 'false'}>
      <div className="server-text">
        <span className="server-name" title={server.url}>
          <Icon name={server.hosted ? 'computer' : 'server'} size={13} /> {label}
        </span>
        <span className="server-account">
          {account ? `${account.name} · ${describeRole(account.role, account.delegation)}` : 'Signed out'}
          {server.hosted && !props.hosting && ' · not running'}
          {props.problem && (
            <span className="server-problem" title={props.problem}>
              {' '}
              · {props.problem}
            </span>
          )}
        </span>
      </div>
      {account ? (
        <IconButton icon="sign-out" label={`Sign out of ${label}`} testId="server-sign-out" onClick={() => props.onSignOut(server.url)} />
      ) : (
        <button type="button" className="link-button small" onClick={() => props.onSignIn(server.url)} data-testid="server-sign-in">
          Sign in
        </button>
      )}
    </li>
  );
}

function ServersPanel(props: SidebarProps) {
  return (
    <section className="servers" aria-label="Servers" data-testid="servers">
      {props.servers.length > 0 && (
        <ul className="server-list">
          {props.servers.map((server) => (
            <ServerRow key={server.url} server={server} problem={props.serverProblems.get(server.url) ?? null} {...props} />
          ))}
        </ul>
      )}
      <div className="server-actions">
        <button type="button" className="button subtle" onClick={props.onConnect} data-testid="connect-server">
          <Icon name="signal" size={14} /> Connect to a server…
        </button>
        <button type="button" className="button subtle" onClick={props.onHost} data-testid="host-session">
          <Icon name="computer" size={14} /> {props.hosting ? 'Hosting on this computer' : 'Host on this computer…'}
        </button>
      </div>
    </section>
  );
}

function TrashItem(props: { doc: DocumentSummary } & SidebarProps) {
  const { doc } = props;
  return (
    <li className="doc-item trashed" data-testid="trash-item" data-doc-id={doc.id}>
      <div className="doc-open static" title={doc.title}>
        <span className="doc-title" data-testid="doc-title">
          {doc.title}
        </span>
        <span className="doc-meta">
          Deleted {doc.trashedAt !== null ? formatModified(doc.trashedAt) : ''} · {formatBytes(doc.sizeBytes)}
        </span>
      </div>
      <div className="doc-actions always">
        <IconButton icon="restore" label={`Restore “${doc.title}”`} testId="doc-restore" onClick={() => props.onRestore(doc.id)} />
        <IconButton icon="delete-forever" label={`Delete “${doc.title}” forever`} testId="doc-purge" danger onClick={() => props.onPurge(doc.id)} />
      </div>
    </li>
  );
}

/** The left column of the window. */
export function Sidebar(props: SidebarProps) {
  const showingTrash = props.view === 'trash';
  return (
    <aside className="sidebar" aria-label="Documents">
      <div className="sidebar-brand">Penholder</div>
      <div className="sidebar-new">
        <button type="button" className="button primary" onClick={props.onNew} data-testid="new-document">
          <Icon name="plus" /> New document
        </button>
        <button type="button" className="button" onClick={props.onNewFromSample} data-testid="new-from-sample" title="New document from the sample negotiation">
          <Icon name="sample" /> New from sample
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onImportWord}
          disabled={props.importingWord}
          aria-busy={props.importingWord}
          data-testid="import-word"
          title="New document from a Word file (.docx)"
        >
          <ImportWordIcon /> {props.importingWord ? 'Importing…' : 'Import Word…'}
        </button>
      </div>
      <div className="sidebar-tabs" role="tablist" aria-label="Document lists">
        <button
          type="button"
          role="tab"
          id="tab-documents"
          aria-selected={!showingTrash}
          aria-controls="sidebar-list"
          className="tab"
          data-testid="show-documents"
          onClick={() => props.onViewChange('documents')}
        >
          Documents <span className="count">{props.entries.length}</span>
        </button>
        <button
          type="button"
          role="tab"
          id="tab-trash"
          aria-selected={showingTrash}
          aria-controls="sidebar-list"
          className="tab"
          data-testid="show-trash"
          onClick={() => props.onViewChange('trash')}
        >
          Trash <span className="count">{props.trash.length}</span>
        </button>
      </div>
      <div className="sidebar-list" id="sidebar-list" role="tabpanel" aria-labelledby={showingTrash ? 'tab-trash' : 'tab-documents'}>
        {showingTrash ? (
          props.trash.length === 0 ? (
            <p className="sidebar-empty">The trash is empty. Documents you delete stay here until you delete them forever.</p>
          ) : (
            <ul className="doc-list" data-testid="trash-list">
              {props.trash.map((doc) => (
                <TrashItem key={doc.id} doc={doc} {...props} />
              ))}
            </ul>
          )
        ) : props.entries.length === 0 ? (
          <p className="sidebar-empty">{props.loading ? 'Loading…' : 'No documents yet. Start a new one, or one from the sample negotiation.'}</p>
        ) : (
          <ul className="doc-list" data-testid="doc-list">
            {props.entries.map((entry) =>
              entry.kind === 'local' ? (
                <DocumentItem
                  key={entry.key}
                  doc={entry.doc}
                  shared={entry.serverLabel}
                  open={entry.doc.id === props.openId}
                  renaming={entry.doc.id === props.renamingId}
                  {...props}
                />
              ) : (
                <RemoteItem key={entry.key} serverUrl={entry.serverUrl} label={entry.serverLabel} remote={entry.remote} {...props} />
              ),
            )}
          </ul>
        )}
      </div>
      <ServersPanel {...props} />
    </aside>
  );
}
