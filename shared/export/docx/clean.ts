/**
 * The clean text as a Word document: the UN header block, then the body with paragraphs numbered by Word's own
 * numbering definitions (1..N, headings A., B. and 1., 2., sub-paragraphs (a) and (i)), so Word renumbers as
 * people edit the file; real footnotes, tables with borders, bold, italic, underline and safe links.
 */
import type { Node as ProseMirrorNode } from 'prosemirror-model';
import { exportLabels } from '../labels.ts';
import { BodyWriter, pidOf } from './body.ts';
import { headerBlock, headerTexts, plainHeader } from './header.ts';
import { Progress, type DocxExportOptions } from './options.ts';
import { roleParagraph } from './paragraphs.ts';
import { inlinePieces, WordWriter } from './runs.ts';
import { packDocument } from './style.ts';
import type { Xml } from './xml.ts';

/** The header node of a document and its body blocks with their positions. */
export function documentParts(doc: ProseMirrorNode): { header: ProseMirrorNode | null; title: ProseMirrorNode | null; blocks: { node: ProseMirrorNode; pos: number }[] } {
  let header: ProseMirrorNode | null = null;
  const blocks: { node: ProseMirrorNode; pos: number }[] = [];
  doc.forEach((child, offset) => {
    if (child.type.name === 'header' && header === null) header = child;
    else blocks.push({ node: child, pos: offset });
  });
  let title: ProseMirrorNode | null = null;
  (header as ProseMirrorNode | null)?.forEach((child) => {
    if (child.type.name === 'title' && title === null) title = child;
  });
  return { header, title, blocks };
}

/** The title the file's properties carry: the option, else the printed title, else the symbol. */
export function documentTitle(title: ProseMirrorNode | null, header: ProseMirrorNode | null, option: string | undefined): string {
  return option ?? (title?.textContent.replace(/\s+/g, ' ').trim() || headerTexts(header).symbol || 'Document');
}

/** Clean text, renumbered 1..N, Word numbering definitions so Word continues numbering. */
export async function cleanDocx(doc: ProseMirrorNode, options: DocxExportOptions = {}): Promise<Uint8Array> {
  const { header, title, blocks } = documentParts(doc);
  const progress = new Progress(blocks.length + 1, options.onProgress);
  const word = new WordWriter();
  const body = new BodyWriter(word, { numbering: 'word', labels: exportLabels(doc) });
  const titleParagraph = roleParagraph(word, { kind: 'title' }, 'word', title ? word.runs(inlinePieces(title)) : [], null, { pid: title ? pidOf(title) : null });
  const children: Xml[] = headerBlock(plainHeader(header), word, { title: [titleParagraph], changes: 'formatted' });
  blocks.forEach(({ node, pos }, index) => {
    body.block(node, pos, children, blocks[index + 1]?.node ?? null);
    progress.step();
  });
  const bytes = await packDocument({
    title: documentTitle(title, header, options.title),
    symbol: headerTexts(header).symbol,
    body: children,
    word,
  });
  progress.finish();
  return bytes;
}
