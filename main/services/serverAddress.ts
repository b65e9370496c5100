/**
 * A sync server's address, parsed once at the edge: the canonical `http(s)://host:port[/prefix]` that names the
 * server everywhere (settings, credentials, document links), and the WebSocket address the renderer connects to.
 */
import { SCHEMA_VERSION_PARAM } from '../../shared/sync.ts';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { ServiceError } from './errors.ts';

/** A checked server address. */
export interface ServerAddress {
  /** Canonical form: http or https, host, port when not the default, path prefix without a trailing slash. */
  readonly url: string;
  /** The HocuspocusProvider URL: ws or wss, same host and prefix, with the schema version parameter. */
  readonly wsUrl: string;
}

const TO_HTTP: Readonly<Record<string, string>> = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' };

/**
 * Parses what a person typed (ws, wss, http or https); refuses anything else, and any user name or password in the
 * address (credentials belong in the sign-in form, never in a URL that lands in settings and logs). Query and
 * fragment are dropped: the server has no use for them.
 */
export function parseServerAddress(raw: string): ServerAddress {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ServiceError('invalid-request', 'That is not a server address; it looks like ws://192.168.1.20:4321 or https://penholder.example.org.');
  }
  const protocol = TO_HTTP[parsed.protocol];
  if (protocol === undefined) {
    throw new ServiceError('invalid-request', `A server address starts with ws://, wss://, http:// or https://, not ${parsed.protocol}//.`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ServiceError('invalid-request', 'A server address must not contain a name or password; type them in the sign-in form instead.');
  }
  if (parsed.hostname === '') throw new ServiceError('invalid-request', 'That server address has no host name.');
  const prefix = parsed.pathname.replace(/\/+$/, '');
  // URL.host omits the port when it is the protocol's default, so ws://h:80 and http://h name the same server.
  const httpUrl = new URL(`${protocol}//${parsed.host}`);
  const url = `${httpUrl.protocol}//${httpUrl.host}${prefix}`;
  const wsProtocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsUrl = `${wsProtocol}//${httpUrl.host}${prefix}/?${SCHEMA_VERSION_PARAM}=${SCHEMA_VERSION}`;
  return { url, wsUrl };
}

/** The address only if it parses, else null; for values read back from settings. */
export function tryParseServerAddress(raw: string): ServerAddress | null {
  try {
    return parseServerAddress(raw);
  } catch {
    return null;
  }
}
