/**
 * The sync-server side of the handlers, built once per shell: sign-in and remote documents ({@link RemoteService})
 * and the hosted session ({@link HostingService}), which the shell must close when it shuts down.
 */
import type { Workspace } from '../storage/index.ts';
import { MemoryCredentialVault, type CredentialVault } from './credentials.ts';
import { HostingService, type StartSyncServer } from './hosting.ts';
import { RemoteService } from './remote.ts';

/** Sign-in, remote documents and hosting for one workspace. */
export interface SyncServices {
  readonly remote: RemoteService;
  readonly hosting: HostingService;
  /** Stops hosting; credentials stay in the vault. */
  close(): Promise<void>;
}

/** Options of {@link createSyncServices}. */
export interface SyncServicesOptions {
  workspace: Workspace;
  /** Where refresh tokens go; memory only when omitted. */
  vault?: CredentialVault;
  log?: (message: string) => void;
  /** Timeout of each HTTP call to a server. */
  timeoutMs?: number;
  /** How close to expiry an access token is refreshed. */
  refreshMarginMs?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
  /** Another sync server factory, for tests. */
  startServer?: StartSyncServer;
}

/** Builds the services over one workspace. */
export function createSyncServices(options: SyncServicesOptions): SyncServices {
  const log = options.log ?? ((message: string) => console.error(message));
  const remote = new RemoteService({
    workspace: options.workspace,
    vault: options.vault ?? new MemoryCredentialVault(),
    log,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const hosting = new HostingService({ workspace: options.workspace, remote, log, ...(options.startServer ? { startServer: options.startServer } : {}) });
  return { remote, hosting, close: () => hosting.close() };
}
