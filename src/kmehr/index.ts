// Public API of the KMEHR module. Sub-folders (identifiers, codelists, rules, xsd, testing) are added by the lead.
export * from './model.js';
export { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from './xml-limits.js';
export { parseKmehr, type ParseOutcome } from './parse-kmehr.js';
export { streamKmehr, type KmehrStreamHandlers } from './stream-kmehr.js';
export { writeItem, writeKmehr } from './write-kmehr.js';
