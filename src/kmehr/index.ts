// Public API of the KMEHR module: model, reader (whole and streaming), writer, input limits, identifiers, code lists,
// the registry's message rules, XSD validation and the whole check of one message.
export * from './model.js';
export { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from './xml-limits.js';
export { parseKmehr, type ParseOutcome } from './parse-kmehr.js';
export { streamKmehr, type KmehrStreamHandlers } from './stream-kmehr.js';
export { writeItem, writeKmehr } from './write-kmehr.js';
export { writeVitalinkVaccination, type VitalinkMessageInput, type VitalinkVaccination } from './vitalink-vaccination.js';
export { readVitalinkVaccination, type VitalinkRead } from './read-vitalink-vaccination.js';
export { formatVitalinkUri, parseVitalinkUri, type VitalinkAddress } from './vitalink-uri.js';
export * from './identifiers/index.js';
export * from './codelists/index.js';
export { checkMessage, checkTransaction, type RuleContext } from './rules/check-message.js';
export { createXsdValidator, type XsdValidator } from './xsd/xsd-validator.js';
export { validateFileInWorker } from './xsd/validate-file-in-worker.js';
export { validateKmehr, type KmehrValidation, type ValidateKmehrOptions } from './validate-kmehr.js';
