/**
 * The shape of one entry in the status-code catalogue (wire-contracts.md §3).
 *
 * Every channel (RegistratieService, BatchUpload, web, FHIR, CLI) reports outcomes with these codes and
 * nothing else. Codes are stable: a retired code is never reused for another meaning.
 */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Where a SOAP service reports the outcome:
 * - `fault`: not a valid call at all (SOAP Fault, HTTP 500 per SOAP 1.1);
 * - `call`: call-level `Status` (RegistratieService) or `foutCode` (BatchUpload);
 * - `message`: per-message `Results/Status` or per-transaction `resultCode`.
 */
export const SOAP_LEVELS = ['fault', 'call', 'message'] as const;
export type SoapLevel = (typeof SOAP_LEVELS)[number];

export const AREAS = ['general', 'xml', 'soap', 'auth', 'profile', 'kmehr', 'identifier', 'registry', 'batch', 'access', 'fhir'] as const;
export type Area = (typeof AREAS)[number];

/** A message in the three languages of the registry; `{name}` placeholders are filled from the finding's params. */
export interface LocalisedText {
  readonly en: string;
  readonly nl: string;
  readonly fr: string;
}

export interface StatusEntry {
  readonly area: Area;
  readonly severity: Severity;
  readonly soap: SoapLevel;
  /** HTTP status used by the web application and FHIR API. */
  readonly http: number;
  /** HTTP status of a SOAP Fault with this code when not SOAP 1.1's 500 (see fault-http-status.ts). */
  readonly faultHttp?: number;
  /** Whether sending the same thing again later can succeed (internal errors, not-yet-processed batches). */
  readonly retry: boolean;
  /** Which rule of kmehr-vaccination.md / identity.md / wire-contracts.md this code implements, or "our choice". */
  readonly rule: string;
  readonly text: LocalisedText;
}
