/**
 * Scale-out: several sync server processes share documents through Redis (the Hocuspocus Redis extension), so
 * clients connected to different processes see each other's edits, awareness and stateless messages, while
 * PostgreSQL (store-postgres.ts) holds the updates.
 *
 * How the extension moves a document between processes (@hocuspocus/extension-redis 4.7): each process subscribes
 * to one channel per loaded document (`<prefix>:<docName>`) and to its own reply channel. A change publishes the
 * process's state vector (SyncStep1, coalesced per event-loop turn); every peer answers on the requester's reply
 * channel with what the requester lacks (SyncStep2) plus its own state vector, which the requester answers in turn,
 * so one change syncs both ways. Updates that arrive this way carry the transaction origin `{source: 'redis'}` and
 * were already stored by the process that received them from a client. Awareness updates are published as they
 * are; stateless broadcasts are relayed to every process's connections.
 */
import crypto from 'node:crypto';
import { Redis } from '@hocuspocus/extension-redis';
import type { Extension, onStoreDocumentPayload } from '@hocuspocus/server';
import { OutgoingMessage } from '@hocuspocus/server';
import type { SyncLogEntry } from './api.ts';

/** Key and channel namespace in Redis when none is given. */
export const DEFAULT_REDIS_PREFIX = 'penholder';

/** Options of {@link createRedisExtension}. */
export interface RedisExtensionOptions {
  readonly host: string;
  readonly port: number;
  /** Namespace of every key and channel, so several deployments (or test runs) can share one Redis. */
  readonly prefix?: string;
  /** This process's name in logs; made unique with a random suffix, since Redis messages are filtered by it. */
  readonly serverId: string;
  /** Where losing and regaining Redis is reported; default JSON lines on stderr. */
  readonly log?: (entry: SyncLogEntry) => void;
}

/** Delay after Redis comes back before the documents are re-announced, so resubscription goes out first. */
const RESYNC_DELAY_MS = 100;

/**
 * The Hocuspocus Redis extension as Penholder runs it. It differs from the stock one in two ways:
 * - No store lock: the stock extension takes a Redis lock in onStoreDocument so that only one process writes a
 *   whole-document snapshot at a time. Penholder appends every update to the shared store before acknowledging it,
 *   so there is no snapshot race to prevent, and the lock would only turn a Redis outage into failed stores.
 * - Resync after an outage: pub/sub messages published while a process was cut off from Redis are lost, so when
 *   Redis is back each process announces its state vector for every loaded document; peers answer with what it
 *   lacks and ask for what they lack, and the processes converge without waiting for the next edit.
 */
class PenholderRedis extends Redis {
  readonly #log: (entry: SyncLogEntry) => void;
  readonly #prefix: string;
  /** Whether the current outage (or a failed first connection) has been logged already. */
  #outageReported = false;
  #everConnected = false;
  #resyncTimer: NodeJS.Timeout | undefined;

  constructor(options: RedisExtensionOptions, prefix: string, identifier: string) {
    super({
      host: options.host,
      port: options.port,
      prefix,
      identifier,
      options: {
        // Commands wait (queued) while Redis reconnects, and fail only after this many reconnect attempts: a brief
        // outage delays messages between processes but loses none of the updates, which are in the store.
        maxRetriesPerRequest: 20,
        retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
        connectionName: `penholder-${identifier}`,
      },
    });
    this.#log = options.log ?? logToStderr;
    this.#prefix = prefix;
    const facts = { serverId: options.serverId, redis: `${options.host}:${options.port}` };
    for (const client of [this.pub, this.sub]) {
      // Without a listener ioredis prints every failed reconnect attempt; one line per outage is enough.
      client.on('error', (error: Error) => {
        if (this.#outageReported) return;
        this.#outageReported = true;
        this.#log(entry('warn', 'redis-unavailable', { ...facts, message: error.message }));
      });
    }
    this.sub.on('ready', () => {
      const reconnected = this.#everConnected;
      this.#everConnected = true;
      this.#outageReported = false;
      if (!reconnected) return;
      this.#log(entry('info', 'redis-reconnected', facts));
      clearTimeout(this.#resyncTimer);
      this.#resyncTimer = setTimeout(() => void this.#announceLoadedDocuments(), RESYNC_DELAY_MS);
    });
  }

  /** No lock: see the class comment. Returning normally lets the other extensions' onStoreDocument run. */
  override async onStoreDocument(_payload: onStoreDocumentPayload): Promise<void> {}

  override async onDestroy(): Promise<void> {
    clearTimeout(this.#resyncTimer);
    await super.onDestroy();
  }

  /** Publishes every loaded document's state vector and asks for awareness, as a freshly loaded document does. */
  async #announceLoadedDocuments(): Promise<void> {
    if (!this.instance) return;
    const messages: Array<Promise<unknown>> = [];
    for (const [documentName, document] of this.instance.documents) {
      const channel = `${this.#prefix}:${documentName}`;
      const syncStep1 = new OutgoingMessage(documentName).createSyncMessage().writeFirstSyncStepFor(document);
      const queryAwareness = new OutgoingMessage(documentName).writeQueryAwareness();
      for (const message of [syncStep1, queryAwareness]) {
        messages.push(this.pub.publish(channel, Buffer.concat([this.messagePrefix, Buffer.from(message.toUint8Array())])));
      }
    }
    const failed = (await Promise.allSettled(messages)).filter((result) => result.status === 'rejected').length;
    if (failed > 0) this.#log(entry('warn', 'redis-resync-failed', { messages: messages.length, failed }));
  }
}

/**
 * The Hocuspocus Redis extension for this server process: keys and channels under `prefix` (default
 * {@link DEFAULT_REDIS_PREFIX}), messages tagged with `serverId` plus a random suffix so two processes never take
 * each other's messages for their own.
 */
export function createRedisExtension(options: RedisExtensionOptions): Extension {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (!/^[\w.:-]{1,100}$/.test(prefix)) throw new RangeError(`The Redis prefix "${prefix}" must be 1 to 100 letters, digits or . : _ -`);
  if (!/^[\w.:-]{1,64}$/.test(options.serverId)) {
    throw new RangeError(`The server id "${options.serverId}" must be 1 to 64 letters, digits or . : _ -`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`The Redis port ${options.port} is not a TCP port.`);
  }
  // The extension prefixes each message with its identifier's length in one byte: 64 + 1 + 12 stays well below.
  const identifier = `${options.serverId}-${crypto.randomUUID().slice(-12)}`;
  return new PenholderRedis(options, prefix, identifier);
}

function entry(level: SyncLogEntry['level'], event: string, facts: Record<string, string | number>): SyncLogEntry {
  return { time: new Date().toISOString(), level, event, ...facts };
}

function logToStderr(logEntry: SyncLogEntry): void {
  process.stderr.write(`${JSON.stringify(logEntry)}\n`);
}
