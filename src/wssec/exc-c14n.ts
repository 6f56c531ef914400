/**
 * Exclusive XML Canonicalization 1.0 without comments (W3C xml-exc-c14n, http://www.w3.org/2001/10/xml-exc-c14n#),
 * written as an event-driven writer so it can canonicalise an element while its bytes stream past.
 *
 * Why by hand: the maintained implementations (xml-crypto's ExclusiveCanonicalization, xmldom-based) need a DOM of
 * the whole document. Measured here that costs ~21 ms per 5 KB SOAP message (mostly XPath) and GBs of memory for a
 * 120 MB BatchUpload body, so neither the signed-request rate nor the batch memory target can be met with them.
 * This writer is fed parser events (saxes) and produces the canonical form in one pass with memory bounded by the
 * element depth. Its output is tested against xml-crypto and xmlsec1 (libxml2) on many inputs.
 *
 * What it does, per the spec: namespace declarations only where visibly utilised (element prefix, attribute
 * prefixes, default namespace for unprefixed elements) or listed in the InclusiveNamespaces PrefixList, and only
 * when the nearest rendered ancestor did not already render the same value; declarations sorted by prefix,
 * attributes by (namespace URI, local name); text and attribute escaping; empty elements written as start+end
 * tags; comments dropped; processing instructions kept. Line-end and attribute-value normalisation happen in the
 * XML parser (saxes does both as XML 1.0 requires); character references to CR survive and are written `&#xD;`.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface C14nAttribute {
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** '' for an unprefixed attribute (no namespace). */
  readonly uri: string;
  readonly value: string;
}

export interface C14nElement {
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** '' when the element is in no namespace. */
  readonly uri: string;
  /** The element's attributes without namespace declarations. */
  readonly attributes: readonly C14nAttribute[];
  /** Namespace declarations written on this element: prefix ('' = default) → URI. */
  readonly ns: Readonly<Record<string, string>>;
}

/** prefix → URI; objects chained by prototype so a lookup sees the nearest declaration. */
type NsMap = Record<string, string>;

export interface ExcC14nOptions {
  /** InclusiveNamespaces PrefixList: prefixes treated per inclusive C14N; `#default` means the default namespace. */
  readonly inclusivePrefixes?: readonly string[];
  /** Namespaces in scope at the apex's parent (declared outside the canonicalised subtree). */
  readonly inScope?: Readonly<Record<string, string>>;
}

export function escapeC14nText(text: string): string {
  if (!/[&<>\r]/.test(text)) return text;
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'));
}

export function escapeC14nAttribute(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '"' ? '&quot;' : c === '\t' ? '&#x9;' : c === '\n' ? '&#xA;' : '&#xD;',
  );
}

/** Code-unit order, as the spec's "lexicographic" sort (locale-independent, unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareAttributes(a: C14nAttribute, b: C14nAttribute): number {
  return compare(a.uri, b.uri) || compare(a.local, b.local);
}

/** Adds prefix → uri unless the nearest rendered ancestor already has it, or it is `xml`, or it is listed. */
function addDecl(decls: [string, string][] | undefined, rendered: NsMap, prefix: string, uri: string): [string, string][] | undefined {
  if (prefix === 'xml' || rendered[prefix] === uri) return decls;
  if (decls === undefined) return [[prefix, uri]];
  for (const d of decls) if (d[0] === prefix) return decls;
  decls.push([prefix, uri]);
  return decls;
}

/**
 * Canonicalises one element subtree from parser events. Call `startElement` for the apex and every descendant,
 * `text` / `processingInstruction` for content, `endElement` for each close; output goes to `sink` in order.
 */
export class ExcC14nWriter {
  readonly #sink: (chunk: string) => void;
  readonly #inclusive: readonly string[];
  /** Per open element: what is rendered in the output (for "already rendered by an output ancestor"). */
  readonly #rendered: NsMap[] = [];
  /** Per open element: the full in-scope namespaces (for the PrefixList, which is inclusive-style). */
  readonly #scope: NsMap[] = [];
  readonly #names: string[] = [];

  constructor(sink: (chunk: string) => void, options: ExcC14nOptions = {}) {
    this.#sink = sink;
    this.#inclusive = (options.inclusivePrefixes ?? []).map((p) => (p === '#default' ? '' : p));
    const root = Object.create(null) as NsMap;
    root[''] = '';
    this.#rendered.push(root);
    const scope = Object.create(null) as NsMap;
    Object.assign(scope, options.inScope ?? {});
    this.#scope.push(scope);
  }

  get depth(): number {
    return this.#names.length;
  }

  startElement(el: C14nElement): void {
    const parentRendered = this.#rendered[this.#rendered.length - 1] as NsMap;
    const parentScope = this.#scope[this.#scope.length - 1] as NsMap;
    let scope = parentScope;
    for (const p in el.ns) {
      if (scope === parentScope) scope = Object.create(parentScope) as NsMap;
      scope[p] = el.ns[p] as string;
    }
    // Declarations this element must render (no closures here: this runs once per element of a 120 MB body).
    let decls: [string, string][] | undefined;
    decls = addDecl(decls, parentRendered, el.prefix, el.uri);
    for (const a of el.attributes) if (a.prefix !== '' && a.uri !== XML_NS) decls = addDecl(decls, parentRendered, a.prefix, a.uri);
    for (const p of this.#inclusive) {
      const uri = scope[p];
      if (p === '') decls = addDecl(decls, parentRendered, '', uri ?? '');
      else if (uri !== undefined && uri !== '') decls = addDecl(decls, parentRendered, p, uri);
    }
    let out = `<${el.name}`;
    let rendered = parentRendered;
    if (decls !== undefined) {
      rendered = Object.create(parentRendered) as NsMap;
      if (decls.length > 1) decls.sort((a, b) => compare(a[0], b[0]));
      for (const [p, uri] of decls) {
        rendered[p] = uri;
        out += p === '' ? ` xmlns="${escapeC14nAttribute(uri)}"` : ` xmlns:${p}="${escapeC14nAttribute(uri)}"`;
      }
    }
    const attrs = el.attributes.length > 1 ? [...el.attributes].sort(compareAttributes) : el.attributes;
    for (const a of attrs) out += ` ${a.name}="${escapeC14nAttribute(a.value)}"`;
    this.#sink(`${out}>`);
    this.#rendered.push(rendered);
    this.#scope.push(scope);
    this.#names.push(el.name);
  }

  text(text: string): void {
    if (text.length > 0) this.#sink(escapeC14nText(text));
  }

  processingInstruction(target: string, body: string): void {
    this.#sink(body === '' ? `<?${target}?>` : `<?${target} ${body}?>`);
  }

  endElement(): void {
    const name = this.#names.pop();
    if (name === undefined) throw new Error('endElement without startElement');
    this.#rendered.pop();
    this.#scope.pop();
    this.#sink(`</${name}>`);
  }
}
