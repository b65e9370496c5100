/**
 * "Connect to a server": the address the secretariat or the host gave, the account name and its password.
 * Main checks the address is a Penholder server of a compatible version, signs in and keeps the refresh token;
 * every refusal (wrong password, unreachable, needs a newer Penholder) is shown here, with what was typed kept.
 */
import { useState } from 'react';
import type { RemoteSession } from '../../shared/ipc.ts';
import { IpcCallError, describeError, type MainApi } from '../bridge.ts';
import { FormDialog } from './FormDialog.tsx';

/** The dialog's props. */
export interface ConnectDialogProps {
  api: MainApi;
  /** A known server to sign in to again; the address is then fixed. */
  serverUrl?: string;
  /** A name to start from (signing in again). */
  name?: string;
  onSignedIn: (session: RemoteSession) => void;
  onClose: () => void;
}

/** What to tell the person for each refusal; main's sentence is kept and completed where it helps. */
export function signInErrorMessage(error: unknown): string {
  const message = describeError(error);
  if (!(error instanceof IpcCallError)) return message;
  switch (error.code) {
    case 'wrong-password':
      return 'Wrong name or password. Check both with the secretariat; names and passwords are case-sensitive.';
    case 'unreachable':
      return `${message} Check the address and that this computer is on the meeting's network.`;
    case 'not-penholder':
      return `${message} Check the address: it should be the one the secretariat gave for Penholder.`;
    case 'version-mismatch':
      return /update/i.test(message) ? message : `${message} Please update Penholder.`;
    default:
      return message;
  }
}

/** The sign-in dialog. */
export function ConnectDialog(props: ConnectDialogProps) {
  const [address, setAddress] = useState(props.serverUrl ?? '');
  const [name, setName] = useState(props.name ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!address.trim()) return setError('Enter the server address, for example 192.168.1.20:4321 or https://sync.example.org.');
    if (!name.trim()) return setError('Enter your account name.');
    if (!password) return setError('Enter your password.');
    setBusy(true);
    setError(null);
    try {
      const session = await props.api.signIn({ serverUrl: normaliseAddress(address), name: name.trim(), password });
      props.onSignedIn(session);
    } catch (caught) {
      setError(signInErrorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={props.serverUrl ? 'Sign in again' : 'Connect to a server'}
      submitLabel="Sign in"
      busy={busy}
      busyLabel="Signing in…"
      error={error}
      onSubmit={() => void submit()}
      onClose={props.onClose}
      testId="connect-dialog"
    >
      <p className="muted">Use the address and account the secretariat (or the chair hosting the session) gave you.</p>
      <label className="field">
        <span>Server address</span>
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          placeholder="192.168.1.20:4321"
          disabled={busy || !!props.serverUrl}
          autoComplete="url"
          spellCheck={false}
          data-testid="connect-address"
        />
      </label>
      <label className="field">
        <span>Account name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} disabled={busy} autoComplete="username" spellCheck={false} data-testid="connect-name" />
      </label>
      <label className="field">
        <span>Password</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} autoComplete="current-password" data-testid="connect-password" />
      </label>
    </FormDialog>
  );
}

/** "192.168.1.20:4321" is what people write; main wants a scheme. */
export function normaliseAddress(typed: string): string {
  const address = typed.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
}
