import { CATALOGUE, type Language } from '../../status/catalogue.js';
import type { Finding } from '../../status/finding.js';
import type { BatchOperation, RegistratieOperation } from '../../contracts/operations.js';
import { batchFout, writeDeliveryResponse, writeResultResponse } from '../../contracts/write-batch-response.js';
import { SOAP_FAULT_HTTP_STATUS, writeFault } from './write-fault.js';
import { writeRegistratieRefusal } from './write-registratie-response.js';

/** What to send back: HTTP status and SOAP body. */
export interface SoapReply {
  readonly httpStatus: number;
  readonly body: string;
}

// Catalogue level `fault` (not a valid call), or no recognised operation to answer with → Fault; else a response.
function isFault(f: Finding, operation: string | undefined): boolean {
  return operation === undefined || CATALOGUE[f.code].soap === 'fault';
}

/**
 * The answer to a refused RegistratieService call: a SOAP Fault (HTTP 500) for codes of level `fault`, otherwise
 * the operation's response with a call-level `Status` (HTTP 200), as wire-contracts.md §3 / issue 4 ask.
 */
export function replyToRegistratieFailure(f: Finding, operation?: RegistratieOperation, language: Language = 'en'): SoapReply {
  if (isFault(f, operation)) return { httpStatus: SOAP_FAULT_HTTP_STATUS, body: writeFault(f, language) };
  return { httpStatus: 200, body: writeRegistratieRefusal(operation!, f, language) };
}

/** The answer to a refused BatchUpload call: a Fault for level `fault`, otherwise `foutCode` + `foutOmschrijving`. */
export function replyToBatchFailure(f: Finding, operation?: BatchOperation, language: Language = 'en'): SoapReply {
  if (isFault(f, operation)) return { httpStatus: SOAP_FAULT_HTTP_STATUS, body: writeFault(f, language) };
  const fout = batchFout(f, language);
  return {
    httpStatus: 200,
    body: operation === 'ResultaatVerwerking' ? writeResultResponse(fout) : writeDeliveryResponse(operation!, fout),
  };
}
