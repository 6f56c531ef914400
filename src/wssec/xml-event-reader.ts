import { createScannerEventReader } from './scanner-event-reader.js';
import type { XmlEventHandlers, XmlEventReader, XmlSourceWindow } from './xml-events.js';

export { XmlReadError, type XmlEventHandlers, type XmlEventReader, type XmlSourceWindow } from './xml-events.js';

/**
 * The reader the signature path uses: strict, namespace-aware, streaming — the project's one XML tokenizer
 * (src/kmehr/xml/fast-xml-scanner.ts) through the adapter in scanner-event-reader.ts. Handlers may throw to abort;
 * the error propagates out of `write`/`end`.
 */
export function createXmlEventReader(handlers: XmlEventHandlers): XmlEventReader & XmlSourceWindow {
  return createScannerEventReader(handlers);
}
