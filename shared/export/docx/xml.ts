/**
 * The XML text of the parts the Word exports write themselves (the body and the footnotes: ./wordml.ts). A 100-page
 * compilation holds a hundred thousand runs; writing them as strings instead of the `docx` library's object tree
 * keeps an export within its time and memory. Everything that enters the XML passes through this module: text and
 * attribute values are escaped here, and characters XML 1.0 cannot carry are dropped here, so no caller can forget.
 * {@link Xml} marks the strings this module produced, so a plain string cannot be spliced in by mistake.
 */

declare const XML_BRAND: unique symbol;

/** A fragment of well-formed XML built by this module, every text and attribute value in it escaped. */
export type Xml = string & { readonly [XML_BRAND]: true };

/** Attribute values of an element, written in the order given; undefined leaves the attribute out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

/**
 * The characters XML 1.0 cannot carry at all, which are dropped: controls other than tab, newline and carriage
 * return, lone surrogate halves (a surrogate pair, an astral character, is kept), U+FFFE and U+FFFF.
 */
const NOT_XML_SOURCE = String.raw`[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;

const NOT_XML = new RegExp(NOT_XML_SOURCE, 'g');

/** What must change in text: markup characters (escaped) and characters XML cannot carry (dropped). */
const TEXT_SPECIAL = new RegExp(`[&<>"']|${NOT_XML_SOURCE}`, 'g');

/** The same in an attribute value, plus the whitespace a parser would otherwise fold into spaces there. */
const ATTRIBUTE_SPECIAL = new RegExp(`[&<>"'\t\n\r]|${NOT_XML_SOURCE}`, 'g');

/**
 * `value` without the characters XML 1.0 cannot carry, not escaped: for text handed to the `docx` library (which
 * escapes markup, but keeps lone surrogates and U+FFFF) or cleaned before it is written here.
 */
export function xmlCharacters(value: string): string {
  return value.replace(NOT_XML, '');
}

/** What each special character becomes; anything not listed (a character XML cannot hold) becomes nothing. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function replace(char: string): string {
  return REPLACEMENTS[char] ?? '';
}

/** Text made safe as element content: markup characters escaped, characters XML 1.0 cannot carry dropped. */
export function escapeText(value: string): string {
  TEXT_SPECIAL.lastIndex = 0;
  return TEXT_SPECIAL.test(value) ? value.replace(TEXT_SPECIAL, replace) : value;
}

/** A value made safe inside a double-quoted attribute, tabs and line breaks kept as character references. */
export function escapeAttribute(value: string): string {
  ATTRIBUTE_SPECIAL.lastIndex = 0;
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIAL, replace) : value;
}

/** Element and attribute names are the exporter's own constants; a name from anywhere else is refused. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?$/;

/** Checked names, so the check runs once per name rather than once per element written. */
const checkedNames = new Set<string>();

function checkName(name: string): string {
  if (!checkedNames.has(name)) {
    if (!NAME.test(name)) throw new Error(`docx export: "${name}" is not an XML name`);
    checkedNames.add(name);
  }
  return name;
}

function attributeText(attributes: Attributes | undefined): string {
  if (attributes === undefined) return '';
  let out = '';
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    out += ` ${checkName(key)}="${typeof value === 'number' ? numberText(value) : escapeAttribute(value)}"`;
  }
  return out;
}

/** A number as an attribute value: finite numbers only, so NaN or Infinity never reach a Word part. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`docx export: ${value} is not a number Word can read`);
  return String(value);
}

/**
 * An element: `<name attributes/>` when it has no content, else `<name attributes>content</name>`. Content is XML
 * built by this module (text goes in through {@link textElement}).
 */
export function element(name: string, attributes?: Attributes, content?: Xml | readonly Xml[]): Xml {
  const open = `<${checkName(name)}${attributeText(attributes)}`;
  const inner = content === undefined ? '' : typeof content === 'string' ? content : content.join('');
  return (inner === '' ? `${open}/>` : `${open}>${inner}</${name}>`) as Xml;
}

/**
 * An element holding text: `<name attributes>escaped text</name>`, written even when the text is empty (a w:t
 * must keep its tag). The text is escaped here.
 */
export function textElement(name: string, attributes: Attributes | undefined, text: string): Xml {
  return `<${checkName(name)}${attributeText(attributes)}>${escapeText(text)}</${name}>` as Xml;
}

/** Fragments one after another. */
export function concat(fragments: readonly Xml[]): Xml {
  return fragments.join('') as Xml;
}

/** No XML at all. */
export const EMPTY_XML = '' as Xml;
