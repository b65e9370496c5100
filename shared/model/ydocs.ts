/**
 * The Y.Doc layout of one negotiated document D (../shared/DESIGN.md): write permission is the Y.Doc boundary.
 */

/** The negotiating text, written by the chair's team only. */
export const TEXT_YDOC = 'text';

/** Statuses, decisions, proposals from the floor and revisions, written by the chair's team only. */
export const CHAIR_YDOC = 'chair';

/** The name of the Y.XmlFragment inside `D/text` that y-prosemirror binds to the editor. */
export const TEXT_FRAGMENT = 'prosemirror';

/** The local Y.Doc name of one delegation's (or group's) proposals and positions. */
export function delegationYDoc(code: string): string {
  return `d/${code}`;
}

/** The full Y.Doc name the sync server uses: `<documentId>/<local name>`. */
export function ydocName(documentId: string, local: string): string {
  return `${documentId}/${local}`;
}
