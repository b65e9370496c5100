/**
 * Starts a server under test in its own process (server-process.ts), so its CPU time and memory (proc.ts) are its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ServerReady, ServerStopped } from './server-process.ts';
import type { ServerKind } from './wire.ts';

/** A server process that listens. */
export interface LaunchedServer {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly ready: ServerReady;
  /** Asks the server to close, waits for it to exit (killing it after a while) and returns its log counts. */
  stop(): Promise<ServerStopped | null>;
}

/** Starts `kind` in a child process and resolves when it listens. */
export async function launchServer(kind: ServerKind): Promise<LaunchedServer> {
  // SYNC_BENCH_PROFILE=<folder> writes a V8 CPU profile of each server process there (open it in Chrome DevTools).
  const profileDir = process.env.SYNC_BENCH_PROFILE;
  const child: ChildProcess = fork(new URL('./server-process.ts', import.meta.url), [kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: profileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`] : process.execArgv,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: ServerStopped | null = null;
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 30 s`)), 30_000);
    child.on('message', (message: ServerReady | ServerStopped | { type: 'failed'; message: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${kind} server failed to start: ${message.message}`));
      } else if (message.type === 'stopped') {
        stopped = message;
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited before listening (code ${child.exitCode})`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind} server has no pid`);
  return {
    kind,
    pid,
    ready,
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      return stopped;
    },
  };
}
