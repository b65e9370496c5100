/**
 * What a closed connection to a sync server means for the person at the keyboard: a sentence, and whether
 * reconnecting can help. The codes are the server's (shared/sync.ts SYNC_CLOSE) plus the WebSocket standard ones.
 */
import { SYNC_CLOSE, syncCloseByCode } from '../../shared/sync.ts';

/** How the client reacts to a close: try again by itself, or stop and wait for the person. */
export type CloseVerdict =
  | { kind: 'retry'; message: string | null }
  /** Reconnecting with the same credentials cannot help; the sentence says what to do. */
  | { kind: 'stop'; message: string }
  /** The access token was refused: get a fresh one, then reconnect. */
  | { kind: 'reauthenticate'; message: string };

/** Sentences for a person, one per server close code. */
const SENTENCES: Record<number, string> = {
  [SYNC_CLOSE.unauthenticated.code]: 'Your sign-in to this server has expired. Please sign in again.',
  [SYNC_CLOSE.forbidden.code]: 'This account is not permitted to open this document on the server.',
  [SYNC_CLOSE.messageTooLarge.code]: 'A change was too large for the server to accept. It is kept on this computer.',
  [SYNC_CLOSE.overBudget.code]: 'The server is limiting how fast this computer sends changes; reconnecting shortly.',
  [SYNC_CLOSE.malformed.code]: 'The server could not read a message from this computer. Your changes are kept on this computer.',
  [SYNC_CLOSE.upgradeRequired.code]: 'Please update Penholder: this server needs a newer version. Your changes are kept on this computer.',
  [SYNC_CLOSE.disabled.code]: 'This account has been disabled on the server. Ask the secretariat.',
  [SYNC_CLOSE.storeFailed.code]: 'The server could not save a change (its disk may be full). It is kept on this computer and will be sent again.',
  [SYNC_CLOSE.loadFailed.code]: 'The server could not read this document; trying again shortly.',
};

/** Codes after which the same connection would only be refused again. */
const STOP_CODES = new Set<number>([
  SYNC_CLOSE.forbidden.code,
  SYNC_CLOSE.messageTooLarge.code,
  SYNC_CLOSE.malformed.code,
  SYNC_CLOSE.upgradeRequired.code,
  SYNC_CLOSE.disabled.code,
]);

/** Decides what a close with `code` means; an unknown or network close is a retry without a sentence. */
export function closeVerdict(code: number | undefined): CloseVerdict {
  if (code === undefined) return { kind: 'retry', message: null };
  if (code === SYNC_CLOSE.unauthenticated.code) return { kind: 'reauthenticate', message: SENTENCES[code] ?? '' };
  // A code added to the server before this client knew it: its own reason is still better than nothing.
  const message = SENTENCES[code] ?? (syncCloseByCode(code) ? `${syncCloseByCode(code)?.reason}.` : null);
  if (STOP_CODES.has(code)) return { kind: 'stop', message: message ?? '' };
  return { kind: 'retry', message };
}

/** The sentence for a close code, or null when the code says nothing a person needs to know. */
export function describeClose(code: number | undefined): string | null {
  return closeVerdict(code).message;
}
