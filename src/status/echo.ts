import { maskInsz } from './mask-insz.js';

/**
 * What a status text may repeat of the caller's input (issue 11.5). Every placeholder of every status text, and the
 * `value` of a SOAP Fault's detail, passes through {@link echoParam}: there is no other way for a value to reach a
 * text, so no refusal can forget it.
 *
 * our choice: a value is echoed up to {@link ECHO_MAX} characters, then `…` (a 1.9 MB softwareID answers a few
 * hundred bytes); our own texts that may quote input (`detail`, e.g. a libxml2 message) and XPaths (`location`,
 * which can name a hostile document's elements) up to {@link TEXT_MAX}. An INSZ is masked as in the logs
 * (`850714*****`, anything not 11 digits entirely) whether it is valid or not: in the `value` of the codes that
 * carry a patient's number and wherever the location names a patient id; `SSIN=` followed by 11 digits (certificate
 * subjects) anywhere.
 */
export const ECHO_MAX = 64;
export const TEXT_MAX = 256;
export const ELLIPSIS = '…';

/** Codes whose `value` is a patient's INSZ as submitted. */
const INSZ_VALUE_CODES: ReadonlySet<string> = new Set([
  'INSZ_FORMAT',
  'INSZ_CHECKSUM',
  'INSZ_DATE',
  'INSZ_BIRTH_IN_FUTURE',
  'INSZ_UNKNOWN',
  'PATIENT_ID_MISMATCH',
]);

/**
 * Codes whose `value` is a certificate's subject (SSINs masked): up to {@link TEXT_MAX}, since an eHealth subject
 * runs to 100–200 characters and the part that tells the integrator which certificate it was (CN, the SSIN/NIHII
 * OU) comes last.
 */
const SUBJECT_VALUE_CODES: ReadonlySet<string> = new Set([
  'AUTH_CERT_UNTRUSTED',
  'AUTH_CERT_EXPIRED',
  'AUTH_CERT_NOT_YET_VALID',
  'AUTH_CERT_REVOKED',
  'AUTH_CERT_USAGE',
  'AUTH_CERT_SUBJECT',
  'AUTH_CRL_EXPIRED',
  'AUTH_IDENTITY_MISMATCH',
]);

/** `PatientId`, `/kmehrmessage/folder[1]/patient/id[2]`: places whose value is a patient's INSZ. */
const PATIENT_ID_LOCATION = /(?:^|\/|:)PatientId$|\/patient\/id(?:\[\d+\])?$/;
const SSIN_IN_TEXT = /SSIN=(\d{11})/g;
// Already masked by an earlier pass (stored findings are rendered again): keep as it is.
const MASKED = /^(?:\d{6})?\*+$/;

/** `value` cut to `max` characters, then `…`. Counts UTF-16 units; a cut surrogate pair is dropped whole. */
export function bound(value: string, max: number = ECHO_MAX): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** An INSZ as it may appear in an answer: masked, valid or not. Idempotent. */
export function maskEchoedInsz(value: string): string {
  return MASKED.test(value) ? value : maskInsz(value.length > ECHO_MAX ? value.slice(0, ECHO_MAX) : value);
}

/** Whether the `value` of a finding with this code at this location is a patient's INSZ. */
export function isInszValue(code: string, location: string | number | undefined): boolean {
  return INSZ_VALUE_CODES.has(code) || (typeof location === 'string' && PATIENT_ID_LOCATION.test(location));
}

/**
 * One placeholder's value as it may be shown to the caller.
 * @param code - the status code whose text is rendered
 * @param name - the placeholder (`value`, `detail`, `location`, …)
 * @param value - its raw value
 * @param location - the finding's location (decides whether `value` is an INSZ)
 */
export function echoParam(code: string, name: string, value: string | number, location?: string | number): string {
  if (typeof value === 'number') return String(value);
  if (name === 'value' && isInszValue(code, location)) return maskEchoedInsz(value);
  // Masked before it is cut: a cut could leave a partial SSIN the pattern no longer finds.
  const masked = value.includes('SSIN=') ? value.replace(SSIN_IN_TEXT, (_, ssin: string) => `SSIN=${maskInsz(ssin)}`) : value;
  const long = name === 'detail' || name === 'location' || (name === 'value' && SUBJECT_VALUE_CODES.has(code));
  return long ? bound(masked, TEXT_MAX) : bound(masked);
}
