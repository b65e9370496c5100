/**
 * Publishing a document of this computer to a server, so the delegations can follow it: only an account of the
 * chair's team may publish. The document stays on this computer too, and keeps working offline.
 */
import { useState } from 'react';
import type { DocumentSummary, RemoteServer } from '../../shared/ipc.ts';
import { describeError, type MainApi } from '../bridge.ts';
import { serverLabel } from '../collab/documentList.ts';
import { describeRole } from '../collab/presence.ts';
import { FormDialog } from './FormDialog.tsx';

/** The dialog's props. */
export interface PublishDialogProps {
  api: MainApi;
  doc: DocumentSummary;
  servers: readonly RemoteServer[];
  onPublished: (doc: DocumentSummary, server: RemoteServer) => void;
  onConnect: () => void;
  onHost: () => void;
  onClose: () => void;
}

/** The publish dialog. */
export function PublishDialog(props: PublishDialogProps) {
  const eligible = props.servers.filter((s) => s.account?.role === 'chair');
  const [chosen, setChosen] = useState<string | null>(eligible[0]?.url ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const others = props.servers.filter((s) => s.account && s.account.role !== 'chair');

  const submit = async () => {
    const server = eligible.find((s) => s.url === chosen);
    if (!server) return setError('Choose a server where you are signed in as the chair.');
    setBusy(true);
    setError(null);
    try {
      const published = await props.api.publishDocument({ id: props.doc.id, serverUrl: server.url });
      props.onPublished(published, server);
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title="Share on a server"
      submitLabel={eligible.length > 0 ? 'Publish' : undefined}
      busy={busy}
      busyLabel="Publishing…"
      error={error}
      onSubmit={eligible.length > 0 ? () => void submit() : undefined}
      onClose={props.onClose}
      testId="publish-dialog"
    >
      <p className="modal-subject" title={props.doc.title}>
        {props.doc.title}
      </p>
      {eligible.length === 0 ? (
        <>
          <p>To share a document, sign in to a server as the chair, or host the session on this computer.</p>
          <div className="dialog-choices">
            <button type="button" className="button" onClick={props.onConnect} data-testid="publish-connect">
              Connect to a server…
            </button>
            <button type="button" className="button" onClick={props.onHost} data-testid="publish-host">
              Host on this computer…
            </button>
          </div>
        </>
      ) : (
        <fieldset className="choice-list">
          <legend>Publish to</legend>
          {eligible.map((server) => (
            <label key={server.url} className="choice">
              <input type="radio" name="publish-server" value={server.url} checked={chosen === server.url} onChange={() => setChosen(server.url)} disabled={busy} />
              <span>
                <strong>{serverLabel(server, server.url)}</strong>
                <span className="muted"> · as {server.account?.name}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {others.length > 0 && (
        <p className="muted small">
          {others.map((s) => `${serverLabel(s, s.url)} (signed in as ${s.account?.name}, ${describeRole(s.account?.role ?? 'observer', s.account?.delegation ?? null)})`).join('; ')}:
          only the chair's team publishes.
        </p>
      )}
      <p className="muted small">Everyone granted the document on that server will see the text as you write it. It stays on this computer too.</p>
    </FormDialog>
  );
}
