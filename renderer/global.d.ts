/**
 * The one global the renderer relies on: the API the preload (Electron) or the web bridge (browser) installs.
 */
import type { PenholderApi } from '../shared/ipc.ts';

declare global {
  interface Window {
    /** One function per operation of shared/ipc.ts; absent only if the page was opened outside the app. */
    penholder?: PenholderApi;
  }
}

export {};
