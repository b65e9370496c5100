/**
 * A minimal DOM for testing parse rules and toDOM on Node, where there is no browser: just enough of Node,
 * Element, CSSStyleDeclaration and Document for ProseMirror's DOMParser and DOMSerializer, plus a small parser
 * for the well-formed HTML snippets tests write. Test-only: application code never imports it.
 *
 * Selectors: `tag`, `.class`, `[attr]`, `[attr=value]` and their combinations (`p.ph-numbered`, `a[href]`),
 * which is all the schema's parse rules use.
 */

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'col', 'wbr']);

/** A node of the test DOM. */
export class TestNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly ownerDocument: TestDocument;
  parentNode: TestNode | null = null;
  readonly childNodes: TestNode[] = [];

  constructor(nodeType: number, nodeName: string, ownerDocument: TestDocument) {
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.ownerDocument = ownerDocument;
  }

  get firstChild(): TestNode | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): TestNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }

  get nextSibling(): TestNode | null {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
  }

  get previousSibling(): TestNode | null {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) - 1] ?? null) : null;
  }

  get textContent(): string {
    return this.childNodes.map((child) => child.textContent).join('');
  }

  appendChild<T extends TestNode>(child: T): T {
    if (child.nodeType === 11) {
      for (const inner of [...child.childNodes]) this.appendChild(inner);
      return child;
    }
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  contains(other: TestNode | null): boolean {
    for (let node = other; node; node = node.parentNode) if (node === this) return true;
    return false;
  }
}

/** A text node. */
export class TestText extends TestNode {
  nodeValue: string;

  constructor(text: string, ownerDocument: TestDocument) {
    super(3, '#text', ownerDocument);
    this.nodeValue = text;
  }

  override get textContent(): string {
    return this.nodeValue;
  }
}

/** The inline style of an element, read from and written to its `style` attribute. */
export class TestStyle {
  readonly #element: TestElement;

  constructor(element: TestElement) {
    this.#element = element;
  }

  #declarations(): Array<[string, string]> {
    const css = this.#element.getAttribute('style') ?? '';
    const out: Array<[string, string]> = [];
    for (const declaration of css.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      out.push([declaration.slice(0, colon).trim().toLowerCase(), declaration.slice(colon + 1).trim()]);
    }
    return out;
  }

  get length(): number {
    return this.#declarations().length;
  }

  item(index: number): string {
    return this.#declarations()[index]?.[0] ?? '';
  }

  getPropertyValue(name: string): string {
    let value = '';
    for (const [property, v] of this.#declarations()) if (property === name) value = v;
    return value;
  }

  get whiteSpace(): string {
    return this.getPropertyValue('white-space');
  }

  set cssText(css: string) {
    this.#element.setAttribute('style', css);
  }
}

/** An element. */
export class TestElement extends TestNode {
  readonly tagName: string;
  readonly namespaceURI = 'http://www.w3.org/1999/xhtml';
  readonly attributes = new Map<string, string>();
  readonly style: TestStyle = new TestStyle(this);

  constructor(tag: string, ownerDocument: TestDocument) {
    super(1, tag.toUpperCase(), ownerDocument);
    this.tagName = tag.toUpperCase();
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attributes.has(name.toLowerCase());
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name.toLowerCase(), String(value));
  }

  removeAttribute(name: string): void {
    this.attributes.delete(name.toLowerCase());
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }

  /** Matches a compound selector such as `p.ph-numbered` or `a[href]`; a comma list matches any of its parts. */
  matches(selector: string): boolean {
    return selector.split(',').some((part) => this.#matchesCompound(part.trim()));
  }

  #matchesCompound(selector: string): boolean {
    const parts = selector.match(/^[a-z0-9]+|\.[\w-]+|\[[^\]]+\]/gi);
    if (!parts || parts.join('') !== selector) throw new Error(`test DOM cannot match selector "${selector}"`);
    return parts.every((part) => {
      if (part.startsWith('.')) return this.className.split(/\s+/).includes(part.slice(1));
      if (part.startsWith('[')) {
        const [name, value] = part.slice(1, -1).split('=') as [string, string | undefined];
        if (value === undefined) return this.hasAttribute(name);
        return this.getAttribute(name) === value.replace(/^["']|["']$/g, '');
      }
      return this.tagName === part.toUpperCase();
    });
  }

  querySelector(selector: string): TestElement | null {
    for (const child of this.childNodes) {
      if (!(child instanceof TestElement)) continue;
      if (child.matches(selector)) return child;
      const inner = child.querySelector(selector);
      if (inner) return inner;
    }
    return null;
  }

  /** The element's HTML, for assertions on what toDOM produced. */
  get outerHTML(): string {
    const tag = this.tagName.toLowerCase();
    const attrs = [...this.attributes].map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
    if (VOID_ELEMENTS.has(tag)) return `<${tag}${attrs}>`;
    return `<${tag}${attrs}>${this.innerHTML}</${tag}>`;
  }

  get innerHTML(): string {
    return this.childNodes
      .map((child) => (child instanceof TestElement ? child.outerHTML : escapeHtml((child as TestText).nodeValue)))
      .join('');
  }
}

/** A document fragment (what DOMSerializer.serializeFragment returns). */
export class TestFragment extends TestNode {
  constructor(ownerDocument: TestDocument) {
    super(11, '#document-fragment', ownerDocument);
  }

  get innerHTML(): string {
    return this.childNodes
      .map((child) => (child instanceof TestElement ? child.outerHTML : escapeHtml((child as TestText).nodeValue)))
      .join('');
  }
}

/** The document that creates nodes, as DOMSerializer expects. */
export class TestDocument {
  createElement(tag: string): TestElement {
    return new TestElement(tag, this);
  }

  createElementNS(_namespace: string, tag: string): TestElement {
    return new TestElement(tag, this);
  }

  createTextNode(text: string): TestText {
    return new TestText(text, this);
  }

  createDocumentFragment(): TestFragment {
    return new TestFragment(this);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Parses a well-formed HTML snippet into a `body`-like container element. End tags must match (void elements
 * such as `br` need none); comments are dropped. Enough for tests, not for arbitrary web pages.
 */
export function parseHtml(html: string, document = new TestDocument()): TestElement {
  const root = document.createElement('body');
  const stack: TestElement[] = [root];
  const token = /<!--[\s\S]*?-->|<\/([a-z0-9]+)\s*>|<([a-z0-9]+)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/gi;
  for (let match = token.exec(html); match; match = token.exec(html)) {
    const [whole, closing, opening, attrText, text] = match;
    const top = stack[stack.length - 1] as TestElement;
    if (whole.startsWith('<!--')) continue;
    if (text !== undefined) {
      top.appendChild(document.createTextNode(decodeEntities(text)));
    } else if (closing !== undefined) {
      if (top.tagName !== closing.toUpperCase()) throw new Error(`test HTML: </${closing}> closes <${top.tagName.toLowerCase()}>`);
      stack.pop();
    } else if (opening !== undefined) {
      const element = document.createElement(opening);
      const attr = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
      for (let a = attr.exec(attrText ?? ''); a; a = attr.exec(attrText ?? '')) {
        element.setAttribute(a[1] as string, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
      }
      top.appendChild(element);
      if (!VOID_ELEMENTS.has(opening.toLowerCase()) && !whole.endsWith('/>')) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`test HTML: <${(stack[stack.length - 1] as TestElement).tagName.toLowerCase()}> is not closed`);
  return root;
}
