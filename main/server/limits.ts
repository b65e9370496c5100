/**
 * Limits on what one socket may send, checked on every frame before Hocuspocus reads it (a {@link SocketGuard}):
 * a message larger than the limit closes the socket with 4413, more messages or bytes per second than its budget
 * with 4429, and bytes that are not a message a client may send (a truncated update, an unknown type, a text
 * frame) with 4400. Only the offending socket is closed; nothing it sent after the limit reaches a Y.Doc.
 */
import type { Extension } from '@hocuspocus/server';
import { DEFAULT_MAX_MESSAGE_BYTES, SYNC_CLOSE } from '../../shared/sync.ts';
import type { CloseReason, SocketHandle } from './context.ts';
import type { SyncLog } from './logging.ts';
import { MalformedMessage, readClientMessage } from './messages.ts';
import type { FrameGuard, SocketGuard } from './transport.ts';

/**
 * Default budget per socket: 200 messages and 4 MiB a second. A fast typist sends about 15 updates a second plus
 * as many awareness (cursor) updates, on one Y.Doc.
 */
export const DEFAULT_BUDGET = { messagesPerSecond: 200, bytesPerSecond: 4 * 1024 * 1024 } as const;

/**
 * Seconds of message budget a socket may spend at once: opening a negotiation sends three or four small messages
 * for each of its Y.Docs (the text, the chair's, one per delegation that wrote) in one go.
 */
const MESSAGE_BURST_SECONDS = 5;

/** Seconds of byte budget a socket may spend at once. */
const BYTE_BURST_SECONDS = 2;

/** Options of {@link LimitsExtension}. */
export interface LimitsOptions {
  readonly maxMessageBytes?: number;
  readonly budget?: { readonly messagesPerSecond: number; readonly bytesPerSecond: number };
  readonly log: SyncLog;
}

/** A token bucket: `rate` tokens a second, at most `capacity` saved up. */
export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  #tokens: number;
  #at: number;

  constructor(rate: number, capacity: number, now: number = performance.now()) {
    this.#rate = rate;
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#at = now;
  }

  /** Takes `amount` tokens if there are enough; false (taking none) otherwise. */
  take(amount: number, now: number = performance.now()): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens < amount) return false;
    this.#tokens -= amount;
    return true;
  }
}

/** The limits extension (see the module comment). */
export class LimitsExtension implements Extension, SocketGuard {
  readonly extensionName = 'penholder-limits';
  readonly maxMessageBytes: number;
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
  /**
   * Frames up to four times the limit are read and refused with 4413; beyond that `ws` stops reading them and
   * closes with 1009 (Message Too Big), so a huge frame is never buffered whole.
   */
  readonly maxFrameBytes: number;
  readonly #log: SyncLog;

  constructor(options: LimitsOptions) {
    this.maxMessageBytes = positive(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, 'maxMessageBytes');
    this.messagesPerSecond = positive(options.budget?.messagesPerSecond ?? DEFAULT_BUDGET.messagesPerSecond, 'budget.messagesPerSecond');
    this.bytesPerSecond = positive(options.budget?.bytesPerSecond ?? DEFAULT_BUDGET.bytesPerSecond, 'budget.bytesPerSecond');
    this.maxFrameBytes = this.maxMessageBytes * 4;
    this.#log = options.log;
  }

  guardSocket(socket: SocketHandle): FrameGuard {
    const messages = new TokenBucket(this.messagesPerSecond, this.messagesPerSecond * MESSAGE_BURST_SECONDS);
    // Room for at least one largest message, whatever the byte rate.
    const bytes = new TokenBucket(this.bytesPerSecond, Math.max(this.bytesPerSecond * BYTE_BURST_SECONDS, this.maxMessageBytes));
    const refuse = (reason: CloseReason, limit: string, size: number, why?: string): CloseReason => {
      this.#log.warn('limit.hit', { socket: socket.id, limit, bytes: size, code: reason.code, why });
      return reason;
    };
    return {
      inspect: (frame, binary) => {
        if (frame.byteLength > this.maxMessageBytes) return refuse(SYNC_CLOSE.messageTooLarge, 'message-size', frame.byteLength);
        if (!messages.take(1)) return refuse(SYNC_CLOSE.overBudget, 'messages-per-second', frame.byteLength);
        if (!bytes.take(frame.byteLength)) return refuse(SYNC_CLOSE.overBudget, 'bytes-per-second', frame.byteLength);
        if (!binary) return refuse(SYNC_CLOSE.malformed, 'malformed', frame.byteLength, 'a text frame');
        try {
          readClientMessage(frame);
        } catch (error) {
          const why = error instanceof MalformedMessage ? error.message : 'undecodable';
          return refuse(SYNC_CLOSE.malformed, 'malformed', frame.byteLength, why);
        }
        return null;
      },
    };
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number.`);
  return value;
}
