/**
 * Clipboard input: strips what Word and similar editors wrap around their HTML before ProseMirror parses it
 * (in an inert document, never in the live page), and gives pasted paragraphs fresh pids so a copy never
 * shares an identity with its original.
 */
import { Fragment, Slice, type Node as ProseMirrorNode, type ResolvedPos } from 'prosemirror-model';

/**
 * Removes Word's conditional comments, Office XML tags (<o:p>, <w:…>), style and meta blocks, `mso-` style
 * declarations and `Mso…` classes, and anything that could act (scripts, embedded objects, images, event handler
 * attributes). Works on the HTML string, before any element exists.
 */
export function cleanPastedHtml(html: string): string {
  let out = html;
  // Conditional comments (<!--[if gte mso 9]>…<![endif]-->) and ordinary comments.
  out = out.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '');
  out = out.replace(/<!\[if[\s\S]*?<!\[endif\]>/gi, '');
  out = out.replace(/<!--[\s\S]*?-->/g, '');
  // Blocks that carry no content of the document, or could act: ProseMirror parses in a detached document, where
  // Chromium still fetches images and would fire their handlers (the CSP blocks them; this keeps them from existing).
  out = out.replace(/<(style|script|xml|title|iframe|object|embed|svg|math|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  out = out.replace(/<\/?(meta|link|img|image|video|audio|source|picture|iframe|object|embed|base|form|input|button)\b[^>]*>/gi, '');
  // Office namespaced elements: keep their text, drop the tags (<o:p>&nbsp;</o:p> is an empty paragraph mark).
  out = out.replace(/<o:p>\s*(&nbsp;|\u00a0)?\s*<\/o:p>/gi, '');
  out = out.replace(/<\/?[a-z]+:[a-z0-9-]+\b[^>]*>/gi, '');
  // Attributes only inside start tags, so text that merely looks like an attribute is left alone.
  out = out.replace(/<[a-z][a-z0-9]*\b[^>]*>/gi, cleanTagAttributes);
  return out;
}

/** Drops event handler attributes, mso- style declarations (and style attributes left empty), Mso classes and lang attributes from one tag. */
function cleanTagAttributes(tag: string): string {
  let out = tag.replace(/\sstyle\s*=\s*(["'])([\s\S]*?)\1/gi, (_match, quote: string, css: string) => {
    const kept = css
      .split(';')
      .map((declaration) => declaration.trim())
      .filter((declaration) => declaration && !/^mso-/i.test(declaration) && !/^tab-stops/i.test(declaration))
      .join('; ');
    return kept ? ` style=${quote}${kept}${quote}` : '';
  });
  out = out.replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
  // Word writes these values unquoted as often as quoted.
  out = out.replace(/\sclass\s*=\s*("\s*Mso[\w-]*\s*"|'\s*Mso[\w-]*\s*'|Mso[\w-]*(?=[\s/>]))/gi, '');
  out = out.replace(/\slang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
  return out;
}

/** Makes a new pid; injected so this module stays testable and agrees with shared/model/pids.ts. */
export type PidMaker = () => string;

function withFreshPids(fragment: Fragment, makePid: PidMaker, numberParagraphs: boolean, depth: number): Fragment {
  const nodes: ProseMirrorNode[] = [];
  fragment.forEach((node) => {
    let type = node.type;
    const schema = node.type.schema;
    const numbered = schema.nodes.numbered_paragraph;
    // Only top-level plain paragraphs become numbered: a paragraph in a list item or a cell must stay one.
    if (numberParagraphs && depth === 0 && numbered && type === schema.nodes.paragraph) type = numbered;
    const attrs = 'pid' in node.attrs ? { ...node.attrs, pid: makePid() } : node.attrs;
    const content = node.isTextblock ? node.content : withFreshPids(node.content, makePid, numberParagraphs, depth + 1);
    if (node.isText) nodes.push(node);
    else nodes.push(type.create(attrs, content, node.marks));
  });
  return Fragment.from(nodes);
}

/** Whether a paste at this position lands among numbered paragraphs, so pasted plain paragraphs are numbered too. */
export function pasteLandsInNumberedText($pos: ResolvedPos): boolean {
  if ($pos.depth === 0) {
    const before = $pos.nodeBefore;
    const after = $pos.nodeAfter;
    return before?.type.name === 'numbered_paragraph' || after?.type.name === 'numbered_paragraph';
  }
  return $pos.depth === 1 && $pos.parent.type.name === 'numbered_paragraph';
}

/**
 * Gives every block of a pasted slice a fresh pid and, when the paste lands among numbered paragraphs, turns
 * its top-level plain paragraphs into numbered ones. The open ends of the slice merge into the surrounding
 * paragraphs, so their types do not matter there.
 */
export function preparePastedSlice(slice: Slice, $at: ResolvedPos, makePid: PidMaker): Slice {
  const numberParagraphs = pasteLandsInNumberedText($at);
  const content = withFreshPids(slice.content, makePid, numberParagraphs, 0);
  return new Slice(content, slice.openStart, slice.openEnd);
}
