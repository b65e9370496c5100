/**
 * The version gate: a client states its document schema version in the `schema` query parameter of the WebSocket
 * URL; an older or missing one is closed with 4426 ("Please update Penholder"), because y-prosemirror silently
 * deletes content an older schema cannot represent. Checked in onConnect, the first hook of each Y.Doc connection,
 * where Hocuspocus hands over the upgrade request's parameters.
 */
import type { Extension, onConnectPayload } from '@hocuspocus/server';
import { SCHEMA_VERSION } from '../../shared/schema/version.ts';
import { SCHEMA_VERSION_PARAM, SYNC_CLOSE } from '../../shared/sync.ts';
import { refusal } from './context.ts';
import type { SyncContext } from './context.ts';
import type { SyncLog } from './logging.ts';

/** The client's schema version from the URL parameters, or null when missing or not a whole number. */
export function clientSchemaVersion(parameters: URLSearchParams): number | null {
  const value = parameters.get(SCHEMA_VERSION_PARAM);
  if (value === null || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

/** The version gate extension (see the module comment). */
export class VersionGateExtension implements Extension {
  readonly extensionName = 'penholder-version-gate';
  /** First of all: an outdated client gets no further than this. */
  readonly priority = 1000;
  readonly #log: SyncLog;
  readonly #required: number;

  constructor(log: SyncLog, required: number = SCHEMA_VERSION) {
    this.#log = log;
    this.#required = required;
  }

  async onConnect({ requestParameters, context, documentName }: onConnectPayload<SyncContext>): Promise<void> {
    const version = clientSchemaVersion(requestParameters);
    if (version !== null && version >= this.#required) return;
    this.#log.warn('version.refused', {
      doc: documentName,
      clientSchema: version,
      serverSchema: this.#required,
      code: SYNC_CLOSE.upgradeRequired.code,
      socket: context.socket.id,
    });
    // The whole socket: every Y.Doc on it speaks the same outdated schema.
    context.socket.close(SYNC_CLOSE.upgradeRequired);
    throw refusal(SYNC_CLOSE.upgradeRequired);
  }
}
