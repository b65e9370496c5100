/**
 * The initial text of new documents: the bundled sample negotiation (resources/sample/zero-draft.json) and
 * the blank template, each turned into one Yjs update of the `text` Y.Doc that main/storage can store.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as Y from 'yjs';
import { prosemirrorJSONToYDoc } from 'y-prosemirror';
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/model/ydocs.ts';
import { newPid } from '../../shared/model/pids.ts';
import { MAX_TITLE_LENGTH } from '../../shared/ipc.ts';

/** Where the sample lives inside the resources folder, both in the source tree and in a packaged app. */
export const SAMPLE_RELATIVE_PATH = join('sample', 'zero-draft.json');

/**
 * The resources folder when nobody says otherwise: `resources/` at the project root.
 * Both this file (main/services/) and the electron-vite bundle (out/main/) sit two levels below the root;
 * a packaged app passes `process.resourcesPath` instead, where electron-builder's extraResources put `sample/`.
 */
export function defaultResourcesDir(): string {
  return resolve(import.meta.dirname, '..', '..', 'resources');
}

/** Reads and parses the sample's ProseMirror JSON, with a clear error when the app was packaged without it. */
export function readSampleJson(resourcesDir: string = defaultResourcesDir()): unknown {
  const file = join(resourcesDir, SAMPLE_RELATIVE_PATH);
  if (!existsSync(file)) throw new Error(`The sample negotiation is missing: expected ${file}.`);
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

/** Checks ProseMirror JSON against the schema, so only a valid document ever reaches the store. */
export function parseDocumentJson(json: unknown): ProseMirrorNode {
  const doc = schema.nodeFromJSON(json);
  // nodeFromJSON builds nodes without checking content expressions; check() does.
  doc.check();
  return doc;
}

/** Encodes ProseMirror JSON as one update of a fresh `text` Y.Doc, the way y-prosemirror will read it back. */
export function documentJsonToUpdate(json: unknown): Uint8Array {
  parseDocumentJson(json);
  const ydoc = prosemirrorJSONToYDoc(schema, json, TEXT_FRAGMENT);
  try {
    return Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
}

/** The sample negotiation as one update of its `text` Y.Doc. */
export function sampleUpdate(resourcesDir: string = defaultResourcesDir()): Uint8Array {
  return documentJsonToUpdate(readSampleJson(resourcesDir));
}

/** The title printed in the sample's header, used as the title of the sample document in the list. */
export function sampleTitle(resourcesDir: string = defaultResourcesDir()): string {
  const doc = parseDocumentJson(readSampleJson(resourcesDir));
  let title = '';
  doc.descendants((node) => {
    if (title) return false;
    if (node.type.name === 'title') {
      title = node.textContent.replace(/\s+/g, ' ').trim();
      return false;
    }
    return true;
  });
  // The list shows titles of bounded length (shared/ipc.ts); a long printed title is cut at a word.
  if (title.length > MAX_TITLE_LENGTH) title = title.slice(0, MAX_TITLE_LENGTH - 1).replace(/\s+\S*$/, '') + '…';
  return title || 'Zero draft';
}

/**
 * The blank template: a header whose fields are still to be filled in (the two that are almost always the same
 * are preset), the title, and one empty numbered paragraph to start typing in.
 */
export function blankDocumentJson(title: string): unknown {
  return {
    type: 'doc',
    content: [
      {
        type: 'header',
        attrs: { symbol: '', distribution: 'General', date: '', originalLanguage: 'English', session: '', agenda: '' },
        content: [{ type: 'title', attrs: { pid: newPid() }, content: title ? [{ type: 'text', text: title }] : [] }],
      },
      { type: 'numbered_paragraph', attrs: { pid: newPid() }, content: [] },
    ],
  };
}

/** The blank template as one update of its `text` Y.Doc. */
export function blankUpdate(title: string): Uint8Array {
  return documentJsonToUpdate(blankDocumentJson(title));
}
