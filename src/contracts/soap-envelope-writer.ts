import { SOAP11_NS } from './namespaces.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body>`;
const TAIL = '</soap:Body></soap:Envelope>';

/** Wraps one body element (already serialised) in a SOAP 1.1 envelope. */
export function soapEnvelope(bodyElement: string): string {
  return HEAD + bodyElement + TAIL;
}

/** The envelope in three parts, for writers that stream a large body between them. */
export const SOAP_ENVELOPE_HEAD = HEAD;
export const SOAP_ENVELOPE_TAIL = TAIL;
