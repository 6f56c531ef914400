import { ExcC14nWriter, type C14nElement } from './exc-c14n.js';

/** A small recorded element (Security header parts): enough to read values and to canonicalise it later. */
export interface XmlSubtree {
  readonly el: C14nElement;
  readonly children: (XmlSubtree | string | { readonly target: string; readonly body: string })[];
  /** Namespaces in scope at this element's parent. */
  readonly inScope: Readonly<Record<string, string>>;
}

export function childElements(node: XmlSubtree, uri: string, local: string): XmlSubtree[] {
  return node.children.filter((c): c is XmlSubtree => typeof c === 'object' && 'el' in c && c.el.uri === uri && c.el.local === local);
}

export function elementChildren(node: XmlSubtree): XmlSubtree[] {
  return node.children.filter((c): c is XmlSubtree => typeof c === 'object' && 'el' in c);
}

export function textOf(node: XmlSubtree): string {
  let s = '';
  for (const c of node.children) {
    if (typeof c === 'string') s += c;
    else if ('el' in c) s += textOf(c);
  }
  return s;
}

export function attributeOf(node: XmlSubtree, local: string, uri = ''): string | undefined {
  return node.el.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

/** Exclusive C14N of a recorded subtree, as if it were canonicalised in its original document. */
export function canonicalizeSubtree(node: XmlSubtree, inclusivePrefixes: readonly string[] = []): string {
  const parts: string[] = [];
  const writer = new ExcC14nWriter((s) => parts.push(s), { inclusivePrefixes, inScope: node.inScope });
  writeSubtree(writer, node);
  return parts.join('');
}

// Recursive over the subtree; needs nothing from canonicalizeSubtree but the writer.
function writeSubtree(writer: ExcC14nWriter, n: XmlSubtree): void {
  writer.startElement(n.el);
  for (const c of n.children) {
    if (typeof c === 'string') writer.text(c);
    else if ('el' in c) writeSubtree(writer, c);
    else writer.processingInstruction(c.target, c.body);
  }
  writer.endElement();
}
