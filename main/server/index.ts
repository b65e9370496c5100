/**
 * The Penholder sync server: Hocuspocus 4.7 with small single-purpose extensions, each in its own file with its
 * own test against a real server.
 *
 *   version-gate.ts  VersionGateExtension  onConnect: the `schema` URL parameter must be >= SCHEMA_VERSION (4426)
 *   auth.ts          AuthExtension         onAuthenticate: token, Y.Doc name, grant, published document; read-only
 *                                          connections; beforeHandleMessage refuses their writes, awareness and
 *                                          stateless messages (4403); closes a disabled account's sockets (4423)
 *   persistence.ts   PersistenceExtension  onLoadDocument from the SyncStore; beforeHandleMessage stores every
 *                                          update before Hocuspocus applies, broadcasts and acknowledges it
 *   limits.ts        LimitsExtension       every frame, before Hocuspocus: size (4413), budget (4429), malformed (4400)
 *   presence.ts      PresenceExtension     server-authored presence as a stateless message on `<docId>/text`
 *   ydoc-list.ts     YDocListExtension     the list of D's Y.Docs as a stateless message on `<docId>/text`
 *   logging.ts       LoggingExtension      structured JSON entries, never document text
 *   http.ts          HttpApiExtension      onRequest: /api/login, /api/refresh, /api/documents, /api/info
 *   throttle.ts      LoginThrottle         failed sign-ins per account name and per client address: 429 + Retry-After
 *   scale-out.ts     (Redis, when options.redis is set; store-postgres.ts when options.store is PostgreSQL)
 *
 * transport.ts is the node wiring (HTTP server + `ws`) that feeds Hocuspocus and runs the frame guards;
 * accounts.ts, tokens.ts and store-sqlite.ts are the account store, the token service and the default store.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Hocuspocus } from '@hocuspocus/server';
import type { Extension } from '@hocuspocus/server';
import { SqliteAccountStore } from './accounts.ts';
import type { RunningSyncServer, SyncServerOptions, SyncStore } from './api.ts';
import { AuthExtension } from './auth.ts';
import type { SyncContext } from './context.ts';
import { HttpApiExtension } from './http.ts';
import { LimitsExtension } from './limits.ts';
import { createSyncLog, describeError, LoggingExtension, stderrSink } from './logging.ts';
import { PersistenceExtension } from './persistence.ts';
import { PresenceExtension } from './presence.ts';
import { SqliteSyncStore } from './store-sqlite.ts';
import { LoginThrottle } from './throttle.ts';
import { TokenService } from './tokens.ts';
import { listenTransport } from './transport.ts';
import { VersionGateExtension } from './version-gate.ts';
import { YDocListExtension } from './ydoc-list.ts';

export type { Account, AccountStore, LoginThrottleOptions, RunningSyncServer, SyncLogEntry, SyncServerOptions, SyncStore } from './api.ts';
export { STORE_FAILED } from './persistence.ts';

/** Starts a sync server on `options.host:options.port` (default 127.0.0.1, a free port) serving `options.dataDir`. */
export async function startSyncServer(options: SyncServerOptions): Promise<RunningSyncServer> {
  const host = options.host ?? '127.0.0.1';
  const serverId = options.serverId ?? defaultServerId();
  const sink = options.log ?? stderrSink;
  const log = createSyncLog(sink);
  // Built first: a bad trusted-proxy entry or limit is refused before any file is opened.
  const throttle = new LoginThrottle({ ...options.loginThrottle, trustedProxies: options.trustedProxies, log });
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });

  const accounts = SqliteAccountStore.open(options.dataDir);
  const cleanup: Array<() => Promise<void> | void> = [() => accounts.close()];
  try {
    const tokens = TokenService.open(options.dataDir, accounts, { accessTokenTtlSeconds: options.tokenTtlSeconds });
    accounts.pruneRefreshTokens();
    const store = await openStore(options);
    cleanup.unshift(() => store.close());

    const extensions: Extension[] = [
      new VersionGateExtension(log),
      new LimitsExtension({ maxMessageBytes: options.maxMessageBytes, budget: options.budget, log }),
      new AuthExtension({ accounts, tokens, store, log }),
      new PersistenceExtension({ store, log }),
      new PresenceExtension(),
      new YDocListExtension({ store, log }),
      new LoggingExtension(log),
      new HttpApiExtension({ accounts, tokens, store, log, serverId, throttle }),
    ];
    if (options.redis) {
      const { createRedisExtension } = await import('./scale-out.ts');
      extensions.push(createRedisExtension({ ...options.redis, serverId, log: sink }));
    }
    const hocuspocus = new Hocuspocus<SyncContext>({
      name: serverId,
      quiet: true,
      extensions,
      // One socket carries every Y.Doc of a negotiation (the text, the chair's, one per delegation), all
      // authenticated at once when a client opens it; Hocuspocus's default of 100 pending documents is too few.
      maxPendingDocuments: 512,
    });
    const transport = await listenTransport({ hocuspocus, host, port: options.port ?? 0, log });
    const authority = host.includes(':') ? `[${host}]` : host;
    const url = `ws://${authority}:${transport.port}`;
    log.info('server.listening', { url, port: transport.port, serverId, store: options.store?.kind ?? 'sqlite', redis: options.redis !== undefined });

    let closing: Promise<void> | null = null;
    const close = async (): Promise<void> => {
      await transport.close();
      for (const step of cleanup) {
        try {
          await step();
        } catch (error) {
          log.error('server.close-failed', { error: describeError(error) });
        }
      }
      log.info('server.closed', { serverId });
    };
    return {
      url,
      httpUrl: `http://${authority}:${transport.port}`,
      port: transport.port,
      accounts,
      store,
      close: () => (closing ??= close()),
    };
  } catch (error) {
    for (const step of cleanup) await step();
    throw error;
  }
}

async function openStore(options: SyncServerOptions): Promise<SyncStore> {
  if (options.store?.kind === 'postgres') {
    const { createPostgresStore } = await import('./store-postgres.ts');
    return createPostgresStore(options.store.connectionString);
  }
  return SqliteSyncStore.open(options.dataDir);
}

/** A process name for logs and Redis: host name and process id, in the characters scale-out accepts. */
function defaultServerId(): string {
  const host = os.hostname().replace(/[^\w.-]/g, '-').slice(0, 40) || 'server';
  return `${host}-${process.pid}`;
}
