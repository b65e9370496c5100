/**
 * The document list on the left: live documents (open, rename in place, duplicate, move to trash) and the
 * trash (restore, delete forever), with New and New from sample on top.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_TITLE_LENGTH, type DocumentSummary } from '../../shared/ipc.ts';
import { formatBytes, formatFullDate, formatModified } from '../format.ts';
import { Icon, type IconName } from './Icons.tsx';

/** Which list the sidebar shows. */
export type SidebarView = 'documents' | 'trash';

/** What the sidebar shows and what it asks the App to do. */
export interface SidebarProps {
  view: SidebarView;
  onViewChange: (view: SidebarView) => void;
  documents: readonly DocumentSummary[];
  trash: readonly DocumentSummary[];
  openId: string | null;
  renamingId: string | null;
  /** True while the lists are first loading. */
  loading: boolean;
  onOpen: (id: string) => void;
  onNew: () => void;
  onNewFromSample: () => void;
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

function DocumentItem(props: { doc: DocumentSummary; open: boolean; renaming: boolean } & SidebarProps) {
  const { doc } = props;
  const meta = `${formatModified(doc.modifiedAt)} · ${formatBytes(doc.sizeBytes)}`;
  return (
    <li className={`doc-item${props.open ? ' is-open' : ''}`} data-testid="doc-item" data-doc-id={doc.id}>
      {props.renaming ? (
        <RenameField doc={doc} onRename={props.onRename} onCancel={props.onCancelRename} />
      ) : (
        <button
          type="button"
          className="doc-open"
          aria-current={props.open ? 'page' : undefined}
          title={`${doc.title}\nModified ${formatFullDate(doc.modifiedAt)}`}
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
          <span className="doc-meta">{meta}</span>
        </button>
      )}
      {!props.renaming && (
        <div className="doc-actions">
          <IconButton icon="rename" label={`Rename “${doc.title}”`} testId="doc-rename" onClick={() => props.onStartRename(doc.id)} />
          <IconButton icon="duplicate" label={`Duplicate “${doc.title}”`} testId="doc-duplicate" onClick={() => props.onDuplicate(doc.id)} />
          <IconButton icon="trash" label={`Move “${doc.title}” to trash`} testId="doc-trash" onClick={() => props.onTrash(doc.id)} />
        </div>
      )}
    </li>
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
          Documents <span className="count">{props.documents.length}</span>
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
        ) : props.documents.length === 0 ? (
          <p className="sidebar-empty">{props.loading ? 'Loading…' : 'No documents yet. Start a new one, or one from the sample negotiation.'}</p>
        ) : (
          <ul className="doc-list" data-testid="doc-list">
            {props.documents.map((doc) => (
              <DocumentItem key={doc.id} doc={doc} open={doc.id === props.openId} renaming={doc.id === props.renamingId} {...props} />
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
