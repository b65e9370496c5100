/**
 * Structured logging of the sync server: one JSON object per event with small facts (names, ids, sizes, codes),
 * never document text or update bytes. The default sink writes JSON lines on stderr.
 */
import type { Extension } from '@hocuspocus/server';
import type { SyncLogEntry } from './api.ts';
import type { SyncContext } from './context.ts';

/** The facts of one log entry: only scalars, so no document content can slip in as an object. */
export type LogFacts = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Writes log entries; each method takes an event name such as `auth.refused` and its facts. */
export interface SyncLog {
  info(event: string, facts?: LogFacts): void;
  warn(event: string, facts?: LogFacts): void;
  error(event: string, facts?: LogFacts): void;
}

/** Writes one entry as a JSON line on stderr. */
export function stderrSink(entry: SyncLogEntry): void {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

/** A log writing to `sink` (default: JSON lines on stderr); a failing sink never breaks the server. */
export function createSyncLog(sink: (entry: SyncLogEntry) => void = stderrSink): SyncLog {
  const write = (level: SyncLogEntry['level'], event: string, facts: LogFacts = {}): void => {
    const entry: SyncLogEntry = { ...facts, time: new Date().toISOString(), level, event };
    try {
      sink(entry);
    } catch {
      // A log sink that throws (closed pipe, a test's assertion) must not take a connection down with it.
    }
  };
  return {
    info: (event, facts) => write('info', event, facts),
    warn: (event, facts) => write('warn', event, facts),
    error: (event, facts) => write('error', event, facts),
  };
}

/** A short description of an error for a log entry: its code and message, never a stack or attached data. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${error.message}`;
  }
  if (typeof error === 'object' && error !== null && 'reason' in error) return String((error as { reason: unknown }).reason);
  return String(error);
}

/** Logs the life of connections and documents: who connected to which Y.Doc, disconnects, loads and unloads. */
export class LoggingExtension implements Extension {
  readonly extensionName = 'penholder-logging';
  readonly #log: SyncLog;

  constructor(log: SyncLog) {
    this.#log = log;
  }

  async connected({ context, documentName, connection }: { context: SyncContext; documentName: string; connection: { readOnly: boolean } }): Promise<void> {
    this.#log.info('doc.connected', {
      doc: documentName,
      name: context.principal?.name,
      role: context.principal?.role,
      delegation: context.principal?.delegation,
      readOnly: connection.readOnly,
      socket: context.socket.id,
    });
  }

  async onDisconnect({ context, documentName }: { context: SyncContext; documentName: string }): Promise<void> {
    this.#log.info('doc.disconnected', { doc: documentName, name: context.principal?.name, socket: context.socket.id });
  }

  async afterLoadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.#log.info('doc.loaded', { doc: documentName });
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.#log.info('doc.unloaded', { doc: documentName });
  }
}
