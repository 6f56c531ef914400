import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { C14nAttribute, C14nElement } from './exc-c14n.js';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** What the reader reports; text arrives decoded (entities resolved, line ends normalised by saxes). */
export interface XmlEventHandlers {
  open(el: C14nElement): void;
  close(): void;
  text(text: string): void;
  processingInstruction(target: string, body: string): void;
}

/** Raised for input that is not well-formed XML or carries a DOCTYPE (never accepted on the wire). */
export class XmlReadError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'doctype',
  ) {
    super(message);
    this.name = 'XmlReadError';
  }
}

export function toC14nElement(tag: SaxesTagNS): C14nElement {
  const attributes: C14nAttribute[] = [];
  for (const name in tag.attributes) {
    const a = tag.attributes[name] as C14nAttribute;
    if (a.uri === XMLNS_NS) continue;
    attributes.push({ name: a.name, prefix: a.prefix, local: a.local, uri: a.uri, value: a.value });
  }
  return { name: tag.name, prefix: tag.prefix, local: tag.local, uri: tag.uri, attributes, ns: tag.ns };
}

export interface XmlEventReader {
  /** Feed decoded text; throws XmlReadError on the first well-formedness problem. */
  write(text: string): void;
  /** Signal the end of input; throws XmlReadError when the document is incomplete. */
  end(): void;
}

/**
 * A namespace-aware streaming reader on saxes (well-formedness checked, no DTD, no external entities).
 * Handlers may throw to abort; the error propagates out of `write`.
 */
export function createXmlEventReader(handlers: XmlEventHandlers): XmlEventReader {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (err) => {
    throw new XmlReadError(err.message, 'malformed');
  });
  parser.on('doctype', () => {
    throw new XmlReadError('a DOCTYPE is not allowed', 'doctype');
  });
  parser.on('opentag', (tag) => handlers.open(toC14nElement(tag)));
  parser.on('closetag', () => handlers.close());
  parser.on('text', (t) => handlers.text(t));
  parser.on('cdata', (t) => handlers.text(t));
  parser.on('processinginstruction', (pi) => handlers.processingInstruction(pi.target, pi.body));
  return {
    write(text: string): void {
      parser.write(text);
    },
    end(): void {
      parser.close();
    },
  };
}
