/**
 * The server's stateless messages on `D/text` share one channel (presence, the Y.Doc list, and kinds to come):
 * each is a JSON object with a `type`.
 */

/** The fields of the stateless message `payload` when it is a JSON object of type `type`; null for anything else. */
export function statelessMessageOfType(payload: string, type: string): Record<string, unknown> | null {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return null;
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return null;
  return (message as { type?: unknown }).type === type ? (message as Record<string, unknown>) : null;
}
