import { ExcC14nWriter, type C14nElement, type ExcC14nOptions } from './exc-c14n.js';
import { createXmlEventReader } from './xml-event-reader.js';

export interface CanonicalizeXmlOptions extends ExcC14nOptions {
  /** Picks the apex: the first element (document order) for which this returns true. Default: the document element. */
  readonly select?: (el: C14nElement, depth: number) => boolean;
}

/**
 * Exclusive C14N of one element of an XML document held in memory (used by the signer and by tests).
 * Namespaces declared on the apex's ancestors count as in scope for the PrefixList. Throws on malformed XML
 * or when no element matches.
 */
export function canonicalizeXml(xml: string, options: CanonicalizeXmlOptions = {}): string {
  const select = options.select ?? ((_el: C14nElement, depth: number) => depth === 0);
  const parts: string[] = [];
  const ancestors: C14nElement[] = [];
  let writer: ExcC14nWriter | undefined;
  let done = false;
  const reader = createXmlEventReader({
    open(el) {
      if (done) return;
      if (writer === undefined && select(el, ancestors.length)) {
        const inScope: Record<string, string> = { ...options.inScope };
        for (const a of ancestors) Object.assign(inScope, a.ns);
        writer = new ExcC14nWriter((s) => parts.push(s), { ...options, inScope });
      }
      if (writer !== undefined) writer.startElement(el);
      else ancestors.push(el);
    },
    close() {
      if (done) return;
      if (writer === undefined) {
        ancestors.pop();
        return;
      }
      writer.endElement();
      if (writer.depth === 0) done = true;
    },
    text(t) {
      if (!done && writer !== undefined) writer.text(t);
    },
    processingInstruction(target, body) {
      if (!done && writer !== undefined) writer.processingInstruction(target, body);
    },
  });
  reader.write(xml);
  reader.end();
  if (!done) throw new Error('canonicalizeXml: no element matched');
  return parts.join('');
}
