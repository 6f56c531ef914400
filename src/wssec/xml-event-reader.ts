import type { XmlEventHandlers, XmlEventReader } from './xml-events.js';
import { createXmlScanner } from './xml-scanner.js';

export { XmlReadError, type XmlEventHandlers, type XmlEventReader } from './xml-events.js';

/**
 * The reader the signature path uses: strict, namespace-aware, streaming (see xml-scanner.ts for why it is not
 * saxes). Handlers may throw to abort; the error propagates out of `write`/`end`.
 */
export function createXmlEventReader(handlers: XmlEventHandlers): XmlEventReader {
  return createXmlScanner(handlers);
}
