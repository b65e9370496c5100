/**
 * The Content-Security-Policy of Penholder's own pages, one definition for the desktop shell and the web host.
 *
 * Scripts and style sheets come only from the app itself; nothing may be framed, embedded, posted or used as
 * a base URL. Inline style *attributes* stay allowed because ProseMirror and the schema's toDOM write them;
 * inline <style> and <script> elements do not.
 */

/** Options that widen the policy where the environment needs it. */
export interface CspOptions {
  /** Extra sources the page may connect to, e.g. the web host's own `ws://127.0.0.1:PORT`. */
  connectSrc?: readonly string[];
  /**
   * The Vite dev server (electron-vite dev) injects inline scripts and styles and talks over a HMR socket;
   * never set this for a built app.
   */
  dev?: boolean;
}

/** The policy as one header value. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.dev === true;
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src-attr', ["'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    // ws: and wss: let the renderer's HocuspocusProvider reach whichever sync server the person chose; the set
    // of servers is not known when the page loads. Every HTTP call to a server goes through main instead (so
    // the refresh token never reaches the page), and script-src stays 'self', so injected script cannot run
    // to abuse the wider connect-src.
    ['connect-src', ["'self'", ...(options.connectSrc ?? []), 'ws:', 'wss:', ...(dev ? ['ws://localhost:*', 'ws://127.0.0.1:*'] : [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['media-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
