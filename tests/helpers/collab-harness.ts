/**
 * Collaboration harness: a real sync server in the test process (port 0, its own data folder), one real web host
 * and workspace per participant, each in its own Chromium context, and a TCP "network switch" per participant that
 * can cut that participant off the server the way a lost Wi-Fi does (live sockets reset, new ones refused).
 *
 * Why a TCP switch: Chromium's offline emulation (context.setOffline) does not close a WebSocket that is already
 * open (playwright#4910: frames keep flowing), and routeWebSocket replaces the page's WebSocket with a relay whose
 * "offline" is a mock that still opens. Resetting the TCP connections is what a real outage does, for the page's
 * socket and for main's HTTP calls (token refresh) alike.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningSyncServer } from '../../main/server/index.ts';
import { startWebHost, type WebHost } from '../../main/web/host.ts';
import { addAccounts, removeDir, startTestServer, tempDir, type TestAccount } from './sync-server.ts';
import { webDist } from './web-harness.ts';

/** A TCP relay to the sync server that can be switched off and on. */
export interface NetworkSwitch {
  /** `http://127.0.0.1:PORT`: the server address this participant signs in with. */
  readonly address: string;
  readonly online: boolean;
  /** Resets every live connection through the switch and refuses new ones. */
  goOffline(): void;
  goOnline(): void;
  close(): Promise<void>;
}

/** Starts a relay from a free local port to `targetPort`. */
export async function startNetworkSwitch(targetPort: number): Promise<NetworkSwitch> {
  const live = new Set<Socket>();
  let online = true;
  const server: Server = createServer((client) => {
    if (!online) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    live.add(client);
    live.add(upstream);
    const drop = () => {
      live.delete(client);
      live.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The network switch has no port.');
  return {
    address: `http://127.0.0.1:${address.port}`,
    get online() {
      return online;
    },
    goOffline() {
      online = false;
      for (const socket of live) socket.resetAndDestroy();
      live.clear();
    },
    goOnline() {
      online = true;
    },
    close() {
      online = false;
      for (const socket of live) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One person at one computer: their own web host and workspace, browser window and network. */
export interface Participant {
  readonly name: string;
  readonly password: string;
  readonly host: WebHost;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly network: NetworkSwitch;
  /** Script errors seen in the page. */
  readonly errors: string[];
}

/** A sync server with accounts, and the participants started on it. */
export interface CollabHarness {
  readonly server: RunningSyncServer;
  readonly participants: Participant[];
  /** Starts one participant (web host + workspace + context + switch) and opens the app. */
  join(name: string, password: string): Promise<Participant>;
  close(): Promise<void>;
}

/** An account to create on the server before anyone joins (it is granted every document). */
export type HarnessAccount = Omit<TestAccount, 'documents'>;

/** Starts the sync server with `accounts` (each granted every document). */
export async function startCollabHarness(browser: Browser, accounts: readonly HarnessAccount[]): Promise<CollabHarness> {
  const root = tempDir('collab');
  const running = await startTestServer({ dataDir: join(root, 'server') });
  const server = running.server;
  addAccounts(server, accounts.map((account) => ({ ...account, documents: ['*'] })));
  const participants: Participant[] = [];
  const switches: NetworkSwitch[] = [];
  return {
    server,
    participants,
    async join(name, password) {
      const network = await startNetworkSwitch(server.port);
      switches.push(network);
      const host = await startWebHost({ workspaceDir: join(root, `workspace-${participants.length}-${name}`), port: 0, staticDir: webDist, log: () => {} });
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // PENHOLDER_E2E_CONSOLE=1 prints every participant's console, to see what a failing page said.
      if (process.env.PENHOLDER_E2E_CONSOLE) page.on('console', (message) => console.log(`[${name}] ${message.type()}: ${message.text()}`));
      page.on('dialog', (dialog) => {
        errors.push(`unexpected dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await page.goto(host.url);
      await page.waitForSelector('[data-testid="connect-server"]');
      const participant: Participant = { name, password, host, context, page, network, errors };
      participants.push(participant);
      return participant;
    },
    async close() {
      for (const participant of participants) {
        await participant.context.close().catch(() => undefined);
        await participant.host.close().catch(() => undefined);
      }
      for (const network of switches) await network.close().catch(() => undefined);
      await running.close();
      removeDir(root);
    },
  };
}
