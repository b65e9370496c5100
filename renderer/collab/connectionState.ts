/**
 * The status bar's connection fact for a shared document, reduced from what the socket and the providers report.
 * It is separate from "Saved" (on this computer's disk): a change can be saved here and not yet on the server.
 */

/** The WebSocket to the server, as the provider reports it. */
export type SocketStatus = 'connecting' | 'connected' | 'disconnected';

/** One Y.Doc's provider, reduced to what the status needs. */
export interface ProviderFacts {
  /** The first exchange with the server is complete since the socket last opened. */
  synced: boolean;
  /** Local changes to this Y.Doc the server has not yet confirmed (counted while connected or not). */
  pendingChanges: number;
}

/** Why the connection is not working, beyond being offline. */
export type ConnectionProblem =
  /** The server closed or refused the connection and retrying cannot help (shared/sync.ts codes). */
  | { kind: 'refused'; message: string }
  /** Not signed in (or the sign-in could not be renewed): the person must sign in again. */
  | { kind: 'signed-out'; message: string };

/** Everything the reduction reads. */
export interface ConnectionFacts {
  socket: SocketStatus;
  providers: readonly ProviderFacts[];
  problem: ConnectionProblem | null;
  /** A passing remark from the last close, e.g. "the server is limiting…"; shown while offline. */
  lastCloseMessage: string | null;
}

/** What the status bar shows. */
export interface ConnectionView {
  tone: 'online' | 'syncing' | 'offline' | 'problem';
  /** The words in the status bar. */
  label: string;
  /** A longer explanation for the tooltip, or null. */
  detail: string | null;
  /** Changes not yet on the server. */
  pending: number;
  /** What the person can do about it: sign in again, or nothing (it retries by itself). */
  action: 'sign-in' | null;
}

/** "1 change" / "12 changes". */
function changes(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'change' : 'changes'}`;
}

/** The first sentence of a message, for the status bar (the whole message goes in the tooltip). */
export function firstSentence(message: string): string {
  const match = /^(.*?[.!?])(\s|$)/.exec(message.trim());
  return (match?.[1] ?? message.trim()).replace(/[.]$/, '');
}

/** Reduces the facts to one status line; the same facts always give the same line. */
export function reduceConnection(facts: ConnectionFacts): ConnectionView {
  const pending = facts.providers.reduce((sum, p) => sum + Math.max(0, p.pendingChanges), 0);
  const notOnServer = pending > 0 ? ` — ${changes(pending)} not yet on the server` : '';
  if (facts.problem) {
    const signedOut = facts.problem.kind === 'signed-out';
    return {
      tone: 'problem',
      // A refusal says why in the bar itself ("Please update Penholder: …"); the tooltip has the whole message.
      label: `${signedOut ? 'Signed out' : firstSentence(facts.problem.message)}${notOnServer}`,
      detail: facts.problem.message,
      pending,
      action: signedOut ? 'sign-in' : null,
    };
  }
  if (facts.socket !== 'connected') {
    return {
      tone: 'offline',
      label: `Offline${notOnServer}`,
      detail:
        facts.lastCloseMessage ??
        (pending > 0
          ? 'Your changes are saved on this computer and will be sent when the server can be reached again.'
          : 'Trying to reach the server; you can keep working.'),
      pending,
      action: null,
    };
  }
  if (pending > 0 || facts.providers.some((p) => !p.synced)) {
    return { tone: 'syncing', label: 'Syncing…', detail: null, pending, action: null };
  }
  return { tone: 'online', label: 'Online', detail: 'Every change is on the server.', pending: 0, action: null };
}

/** Whether two views show the same thing (so subscribers are not woken for nothing). */
export function sameView(a: ConnectionView, b: ConnectionView): boolean {
  return a.tone === b.tone && a.label === b.label && a.detail === b.detail && a.pending === b.pending && a.action === b.action;
}
