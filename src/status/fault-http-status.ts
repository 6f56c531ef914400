import { CATALOGUE, type StatusCode } from './catalogue.js';
import type { StatusEntry } from './status-entry.js';

/** SOAP 1.1 §6.2: a fault travels with HTTP 500. */
const SOAP_1_1_FAULT = 500;

/**
 * The HTTP status a SOAP Fault with this code travels with: SOAP 1.1's 500, unless its catalogue entry names another
 * (`faultHttp`), so no adapter hard-codes a status. our choice: XML_TOO_LARGE goes with 413, so a proxy or client
 * sees a size refusal without reading the body; STORE_UNAVAILABLE with 503, so it is retried.
 */
export function faultHttpStatus(code: StatusCode): number {
  const entry: StatusEntry = CATALOGUE[code];
  return entry.faultHttp ?? SOAP_1_1_FAULT;
}
