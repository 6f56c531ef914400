import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { C14nAttribute, C14nElement } from './exc-c14n.js';
import { XmlReadError, type XmlEventHandlers, type XmlEventReader } from './xml-events.js';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export function toC14nElement(tag: SaxesTagNS): C14nElement {
  const attributes: C14nAttribute[] = [];
  for (const name in tag.attributes) {
    const a = tag.attributes[name] as C14nAttribute;
    if (a.uri === XMLNS_NS) continue;
    attributes.push({ name: a.name, prefix: a.prefix, local: a.local, uri: a.uri, value: a.value });
  }
  return { name: tag.name, prefix: tag.prefix, local: tag.local, uri: tag.uri, attributes, ns: tag.ns };
}

/**
 * The same events from saxes (the project's general XML reader). Kept as the reference the fast scanner is
 * differentially tested against; handlers may throw to abort.
 */
export function createSaxesEventReader(handlers: XmlEventHandlers): XmlEventReader {
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
    get offset(): number {
      return parser.position;
    },
  };
}
