import type { SaxesTagNS } from 'saxes';
import { escapeAttribute } from '../../kmehr/xml-escape.js';
import type { EnvelopeWalker } from './envelope-walker.js';

/**
 * Passes the inline `kmehr:kmehrmessage` on as a standalone document while the envelope is read: the tokenizer's
 * copier (`RangeSubtreeCopier`, by source ranges) or, for bodies saxes reads, `RawSubtreeCopier` (by held chunks).
 */
export interface SubtreeCopier {
  /** At the subtree root's start tag; `inherited`: the namespace bindings in scope at its parent. */
  start(tag: SaxesTagNS, inherited: ReadonlyMap<string, string>, w: EnvelopeWalker): void;
  /** At the subtree root's end tag: everything before it, then the end tag. */
  end(tag: SaxesTagNS, w: EnvelopeWalker): void;
  /** After each chunk was read: pass on what is known to be inside the subtree. */
  flush(): void;
}

/**
 * The copy's first piece: an XML declaration and the root's start tag rebuilt — its attributes and namespace
 * declarations (`attributes`, qualified name and decoded value, in source order) after the namespace declarations it
 * inherited from the SOAP envelope (`inherited`, those it does not redeclare), so the subtree means the same on its
 * own. Ends with `/>` for an empty-element root, else `>`. One rule for both copiers, so both give the same bytes.
 */
export function standaloneStartTag(
  name: string,
  inherited: ReadonlyMap<string, string>,
  own: Readonly<Record<string, string>>,
  attributes: Iterable<readonly [string, string]>,
  selfClosing: boolean,
): string {
  let s = `<?xml version="1.0" encoding="UTF-8"?>\n<${name}`;
  for (const [prefix, uri] of inherited) {
    if (Object.hasOwn(own, prefix) || (prefix === '' && uri === '')) continue;
    s += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
  }
  for (const [qname, value] of attributes) s += ` ${qname}="${escapeAttribute(value)}"`;
  return selfClosing ? `${s}/>` : `${s}>`;
}
