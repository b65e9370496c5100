/**
 * Child process of main/storage/crash.test.ts: appends real Yjs updates to one document as fast as it can and
 * reports each one on stdout only after `append` has returned, until the parent kills it with SIGKILL.
 *
 * Usage: node tests/helpers/storage-crash-writer.ts <workspaceDir> <documentId> <compactThreshold>
 * It starts writing when a line arrives on stdin.
 * Each line: `stored <seq> <ydoc> <sha256 hex> <update base64>`.
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import * as Y from 'yjs';
import { Workspace } from '../../main/storage/index.ts';

const [dir, id, threshold] = process.argv.slice(2);
if (!dir || !id || !threshold) {
  console.error('usage: storage-crash-writer.ts <workspaceDir> <documentId> <compactThreshold>');
  process.exit(2);
}

// Loading the modules is most of a start-up, so the parent starts the next writer early and says "go" when the
// previous one has been killed and checked.
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();

const workspace = Workspace.open(dir, { compactThreshold: Number(threshold) });
const ydocNames = ['text', 'chair'] as const;
const pending: Array<{ ydoc: string; update: Uint8Array }> = [];
const docs = new Map<string, Y.Doc>();
for (const name of ydocNames) {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, workspace.load(id, name).state);
  doc.on('update', (update: Uint8Array) => pending.push({ ydoc: name, update }));
  docs.set(name, doc);
}

const random = (n: number) => Math.floor(Math.random() * n);
const letters = 'abcdefghijklmnopqrstuvwxyz ';

/** One keystroke-like edit: mostly typing, some deleting, now and then a new paragraph or a chair decision. */
function edit(): void {
  const text = docs.get('text') as Y.Doc;
  const roll = random(100);
  if (roll < 15) {
    const statuses = (docs.get('chair') as Y.Doc).getMap('statuses');
    statuses.set(`p${random(50)}`, ['pending', 'agreed-ad-ref', 'rejected'][random(3)] as string);
    return;
  }
  const fragment = text.getXmlFragment('prosemirror');
  if (roll < 20 || fragment.length === 0) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('pid', `p${random(1e9).toString(36)}`);
    paragraph.insert(0, [new Y.XmlText('New paragraph')]);
    fragment.insert(random(fragment.length + 1), [paragraph]);
    return;
  }
  const paragraph = fragment.get(random(fragment.length)) as Y.XmlElement;
  const content = paragraph.get(0) as Y.XmlText;
  if (roll < 35 && content.length > 0) {
    content.delete(random(content.length), 1 + random(Math.min(5, content.length)));
  } else if (fragment.length > 40) {
    fragment.delete(random(fragment.length), 1);
  } else {
    content.insert(random(content.length + 1), letters[random(letters.length)] as string);
  }
}

for (let n = 0; ; n += 1) {
  edit();
  for (const { ydoc, update } of pending.splice(0)) {
    const { seq } = workspace.append(id, ydoc, update);
    const hash = createHash('sha256').update(update).digest('hex');
    // Synchronous write: once it returns the line is in the pipe, so the parent sees it even after SIGKILL.
    writeSync(1, `stored ${seq} ${ydoc} ${hash} ${Buffer.from(update).toString('base64')}\n`);
  }
  if (n % 150 === 149) workspace.compact(id);
}
