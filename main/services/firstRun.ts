/**
 * First start: a new workspace opens on the sample negotiation, so a person sees what Penholder is for
 * instead of an empty list.
 */
import type { DocumentSummary } from '../../shared/ipc.ts';
import type { Workspace } from '../storage/index.ts';
import { LAST_OPENED_SETTING, SAMPLE_CREATED_SETTING } from './settings.ts';
import { TEXT_YDOC } from '../../shared/model/ydocs.ts';
import { defaultResourcesDir, sampleTitle, sampleUpdate } from './sample.ts';


/** Where the sample comes from and where to report trouble. */
export interface FirstRunOptions {
  resourcesDir?: string;
  log?: (message: string) => void;
}

/**
 * Creates the sample document once per workspace: only if it was never created and the workspace holds no
 * document at all (live or trashed), so a person who deleted it or already has work never gets it back
 * unasked. Returns the created document, or null when nothing was done.
 */
export function ensureFirstRun(workspace: Workspace, options: FirstRunOptions = {}): DocumentSummary | null {
  if (workspace.getSetting(SAMPLE_CREATED_SETTING) !== null) return null;
  const empty = workspace.list({ trashed: false }).length === 0 && workspace.list({ trashed: true }).length === 0;
  if (!empty) {
    workspace.setSetting(SAMPLE_CREATED_SETTING, 'true');
    return null;
  }
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  let title: string;
  let update: Uint8Array;
  try {
    title = sampleTitle(resourcesDir);
    update = sampleUpdate(resourcesDir);
  } catch (error) {
    // A broken installation must not stop the app from opening the person's workspace.
    (options.log ?? console.error)(`[penholder] first run: the sample could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  const created = workspace.create(title, [{ ydoc: TEXT_YDOC, update }]);
  workspace.setSetting(SAMPLE_CREATED_SETTING, 'true');
  workspace.setSetting(LAST_OPENED_SETTING, created.id);
  return created;
}
