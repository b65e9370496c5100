/**
 * The names of the workspace settings main keeps (Workspace.getSetting / setSetting), in one place.
 */

/** The id of the document that was open when the app last closed. */
export const LAST_OPENED_SETTING = 'lastOpened';

/** `"true"` once the first-run sample negotiation was created (or found unneeded), so it is never created twice. */
export const SAMPLE_CREATED_SETTING = 'sampleCreated';

/** The sync servers this workspace knows: a JSON array of `{url, serverId, schemaVersion, hosted}` (no secrets). */
export const SYNC_SERVERS_SETTING = 'syncServers';

/** The port the hosted session last listened on, so delegates' saved addresses keep working across restarts. */
export const HOSTING_PORT_SETTING = 'hostingPort';

/** The name of the host's own chair account on the hosted server. */
export const HOSTING_ACCOUNT_SETTING = 'hostingAccount';
