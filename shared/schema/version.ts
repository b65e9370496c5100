/**
 * The version of the document schema. The sync server and the stored files compare it on connect and on load,
 * because y-prosemirror silently deletes content a client's schema cannot represent: bump it whenever a node,
 * mark or attribute is added, and never remove a shipped node type (add, deprecate, migrate).
 */
export const SCHEMA_VERSION = 1;
