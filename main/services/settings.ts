/**
 * The names of the workspace settings main keeps (Workspace.getSetting / setSetting), in one place.
 */

/** The id of the document that was open when the app last closed. */
export const LAST_OPENED_SETTING = 'lastOpened';

/** `"true"` once the first-run sample negotiation was created (or found unneeded), so it is never created twice. */
export const SAMPLE_CREATED_SETTING = 'sampleCreated';
