import { SaxesParser } from 'saxes';

/** A tiny element tree by local name, for reading small SOAP responses on the client side. */
export interface XmlNode {
  readonly name: string;
  readonly ns: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
}

/** Parses a (small, trusted-size) XML document into a tree; namespaces resolved, prefixes dropped. */
export function parseSmallXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('doctype', () => {
    throw new Error('DOCTYPE not allowed in a response');
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attributes[a.local] = a.value;
    const node: XmlNode = { name: tag.local, ns: tag.uri, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
    root ??= node;
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('empty response');
  return root;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

export function textOf(node: XmlNode | undefined): string | undefined {
  return node?.text.trim();
}
