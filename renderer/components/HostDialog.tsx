/**
 * "Host on this computer": an explicit choice to run the sync server inside Penholder, so delegates in the room
 * connect to this computer. It listens on this computer only (127.0.0.1) unless the host picks one of the
 * network addresses; the host is the chair; delegation accounts are added here with their passwords.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HostedAccount, HostingStatus, NetworkInterfaceInfo } from '../../shared/ipc.ts';
import { DELEGATION_CODE, type Role } from '../../shared/sync.ts';
import { describeError, type MainApi } from '../bridge.ts';
import { describeRole } from '../collab/presence.ts';
import { FormDialog } from './FormDialog.tsx';

/** The dialog's props. */
export interface HostDialogProps {
  api: MainApi;
  /** Told when hosting starts or stops, so the server list follows. */
  onChanged: (status: HostingStatus) => void;
  /** Publishes the open document to the hosted session; omitted when the open document is not a local one. */
  onPublishOpen?: (serverUrl: string) => void;
  openTitle?: string | null;
  onClose: () => void;
}

const LOOPBACK = '127.0.0.1';

/** The address and port delegates type, from a hosted server's address. */
export function addressForDelegates(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function AccountsTable({ accounts, hostAccount }: { accounts: readonly HostedAccount[]; hostAccount: string | null }) {
  if (accounts.length === 0) return <p className="muted">No accounts yet.</p>;
  return (
    <table className="accounts" data-testid="host-accounts">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Role</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.name} data-testid="host-account">
            <td>
              {a.name}
              {a.name === hostAccount && <span className="muted"> (you)</span>}
            </td>
            <td>
              {describeRole(a.role, a.delegation)}
              {a.disabled && <span className="muted"> · disabled</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddAccountForm({ api, onAdded }: { api: MainApi; onAdded: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('delegation');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; password: string; role: string } | null>(null);

  const add = async () => {
    const delegation = role === 'delegation' ? code.trim().toUpperCase() : null;
    if (!name.trim()) return setError('Enter a name for the account.');
    if (role === 'delegation' && (!delegation || !DELEGATION_CODE.test(delegation))) {
      return setError('Enter the delegation’s code: 2 to 16 capital letters or digits, such as FRA or G77.');
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.hostAddAccount({ name: name.trim(), role, delegation, ...(password ? { password } : {}) });
      setCreated({ name: result.account.name, password: result.password, role: describeRole(result.account.role, result.account.delegation) });
      setName('');
      setCode('');
      setPassword('');
      onAdded();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="add-account" data-testid="host-add-account">
      <h3>Add an account</h3>
      <div className="field-row">
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} disabled={busy} spellCheck={false} data-testid="host-account-name" />
        </label>
        <label className="field narrow">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={busy} data-testid="host-account-role">
            <option value="delegation">Delegation</option>
            <option value="chair">Chair’s team</option>
            <option value="secretariat">Secretariat</option>
            <option value="observer">Observer</option>
          </select>
        </label>
        {role === 'delegation' && (
          <label className="field narrow">
            <span>Code</span>
            <input
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
              disabled={busy}
              placeholder="FRA"
              maxLength={16}
              spellCheck={false}
              data-testid="host-account-code"
            />
          </label>
        )}
      </div>
      <label className="field">
        <span>Password (leave empty to generate one)</span>
        <input type="text" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} autoComplete="off" spellCheck={false} data-testid="host-account-password" />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="add-account-actions">
        <button type="button" className="button" onClick={() => void add()} disabled={busy} data-testid="host-account-add">
          {busy ? 'Adding…' : 'Add account'}
        </button>
      </div>
      {created && (
        <div className="created-account" role="status" data-testid="host-account-created">
          Give <strong>{created.name}</strong> ({created.role}) this password, shown only now:{' '}
          <code className="secret" data-testid="host-account-secret">
            {created.password}
          </code>
        </div>
      )}
    </div>
  );
}

/** The hosting dialog. */
export function HostDialog(props: HostDialogProps) {
  const { api, onChanged } = props;
  const [status, setStatus] = useState<HostingStatus | null>(null);
  const [interfaces, setInterfaces] = useState<NetworkInterfaceInfo[]>([]);
  const [bind, setBind] = useState(LOOPBACK);
  const [port, setPort] = useState('');
  const [hostName, setHostName] = useState('Chair');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const next = await api.hostingStatus({});
    setStatus(next);
    return next;
  }, [api]);

  useEffect(() => {
    void (async () => {
      try {
        const [current, found] = await Promise.all([api.hostingStatus({}), api.listNetworkInterfaces({})]);
        setStatus(current);
        setInterfaces(found);
      } catch (caught) {
        setError(describeError(caught));
      }
    })();
  }, [api]);

  const start = async () => {
    const portNumber = port.trim() === '' ? undefined : Number(port);
    if (portNumber !== undefined && (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)) {
      return setError('The port is a whole number from 1 to 65535, or empty for any free port.');
    }
    setBusy(true);
    setError(null);
    try {
      const started = await api.startHosting({ bindAddress: bind, ...(portNumber !== undefined ? { port: portNumber } : {}), hostName: hostName.trim() || 'Chair' });
      setStatus(started);
      onChanged(started);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      const stopped = await api.stopHosting({});
      setStatus(stopped);
      onChanged(stopped);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const external = interfaces.filter((i) => !i.internal);
  const running = status?.running === true;

  return (
    <FormDialog
      title={running ? 'Hosting on this computer' : 'Host on this computer'}
      submitLabel={running ? undefined : 'Start hosting'}
      busy={busy}
      busyLabel="Starting…"
      error={error}
      onSubmit={running || status === null ? undefined : () => void start()}
      onClose={props.onClose}
      closeLabel="Close"
      testId="host-dialog"
      wide
    >
      {status === null && !error && <p className="muted">Reading this computer’s addresses…</p>}
      {status !== null && !running && (
        <>
          <p>
            Penholder will run the session’s server on this computer. You are the chair; delegations connect to this computer with the accounts you add. Keep
            this computer on and Penholder open during the meeting.
          </p>
          <fieldset className="choice-list" data-testid="host-bind">
            <legend>Who can connect</legend>
            <label className="choice">
              <input type="radio" name="bind" value={LOOPBACK} checked={bind === LOOPBACK} onChange={() => setBind(LOOPBACK)} disabled={busy} />
              <span>
                <strong>This computer only</strong> <span className="muted">(127.0.0.1): to try it out; nobody else can connect</span>
              </span>
            </label>
            {external.map((i) => (
              <label className="choice" key={`${i.name}-${i.address}`}>
                <input type="radio" name="bind" value={i.address} checked={bind === i.address} onChange={() => setBind(i.address)} disabled={busy} />
                <span>
                  <strong>Network {i.name}</strong> <span className="muted">({i.address}): anyone on this network who has an account</span>
                </span>
              </label>
            ))}
            {external.length === 0 && interfaces.length > 0 && <p className="muted small">This computer has no network address besides itself right now.</p>}
          </fieldset>
          <div className="field-row">
            <label className="field">
              <span>Your name (the chair’s account)</span>
              <input value={hostName} onChange={(e) => setHostName(e.target.value)} disabled={busy} data-testid="host-name" />
            </label>
            <label className="field narrow">
              <span>Port</span>
              <input value={port} onChange={(e) => setPort(e.target.value)} placeholder="any" inputMode="numeric" disabled={busy} data-testid="host-port" />
            </label>
          </div>
        </>
      )}
      {running && status && (
        <>
          <div className="host-addresses" data-testid="host-addresses">
            <p>
              Give delegates this address{status.addresses.length > 1 ? ' (one of them)' : ''}, with their account name and password:
            </p>
            <ul>
              {status.addresses.map((address) => (
                <li key={address}>
                  <code className="address" data-testid="host-address">
                    {addressForDelegates(address)}
                  </code>
                </li>
              ))}
            </ul>
            {status.bindAddress === LOOPBACK && <p className="muted small">Listening on this computer only: other computers cannot connect. Stop and choose a network to invite delegates.</p>}
          </div>
          <AccountsTable accounts={status.accounts} hostAccount={status.hostAccount} />
          <AddAccountForm api={api} onAdded={() => void refresh()} />
          <div className="host-actions">
            {props.onPublishOpen && status.serverUrl && (
              <button
                type="button"
                className="button primary"
                onClick={() => status.serverUrl && props.onPublishOpen?.(status.serverUrl)}
                title={props.openTitle ?? undefined}
                data-testid="host-publish-open"
              >
                <span className="button-text">Share the open document in this session</span>
              </button>
            )}
            <button type="button" className="button danger" onClick={() => void stop()} disabled={busy} data-testid="host-stop">
              Stop hosting
            </button>
          </div>
        </>
      )}
    </FormDialog>
  );
}
