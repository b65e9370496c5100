/**
 * The one policy for links that leave the app: only web pages and e-mail addresses may be opened.
 */

/** Schemes a link may use to be handed to the system browser or mail client. */
export const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The verdict on one link: the normalized URL to open, or why it is refused. */
export type ExternalLinkVerdict = { allowed: true; url: string } | { allowed: false; reason: string };

/**
 * Decides whether a link may be opened outside the app.
 * Parsing with `new URL` (never a regex) means what we check is exactly what the OS will be given.
 */
export function checkExternalLink(raw: string, protocols: ReadonlySet<string> = EXTERNAL_PROTOCOLS): ExternalLinkVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'This is not a complete link (it should start with https://, http:// or mailto:).' };
  }
  if (!protocols.has(url.protocol)) {
    const scheme = url.protocol.replace(/:$/, '');
    return { allowed: false, reason: `Links of the kind "${scheme}:" are not opened for safety; only ${describe(protocols)} links are.` };
  }
  if (url.protocol !== 'mailto:' && !url.hostname) {
    return { allowed: false, reason: 'This link names no web site.' };
  }
  // user:password@host links are a classic way to disguise the real destination.
  if (url.username || url.password) {
    return { allowed: false, reason: 'Links that carry a user name or password are not opened.' };
  }
  return { allowed: true, url: url.href };
}

function describe(protocols: ReadonlySet<string>): string {
  return [...protocols].map((p) => p.replace(/:$/, '')).join(', ');
}
