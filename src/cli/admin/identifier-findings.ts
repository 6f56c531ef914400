import { checkCbe, checkInsz, checkNihii, checkSoftwareId, maskInsz } from '../../kmehr/identifiers/index.js';
import { IDENTIFIER_LENGTHS } from '../../pki/ehealth-subject.js';
import { finding, type Finding } from '../../status/finding.js';
import { UsageError } from '../client-options.js';

/*
 * The admin commands validate every identifier before it reaches the store, with the same checks and catalogue
 * codes the SOAP services use, so an operator cannot create a profile that no real message could ever match.
 * Each function returns the findings (empty = valid); INSZ/SSIN values are masked in them.
 */

/** A doctor's NIHII: 11 digits (person) with valid check digits. */
export function doctorNihiiFindings(value: string, location: string): Finding[] {
  const check = checkNihii(value);
  if (!check.ok) return [finding(check.code, { location, value })];
  if (check.kind !== 'person') return [finding('NIHII_FORMAT', { location, value })];
  return [];
}

/** An INSZ/SSIN: check digits, a possible birth date, not born after `today` (YYYY-MM-DD). */
export function inszFindings(value: string, location: string, today: string): Finding[] {
  const check = checkInsz(value, today);
  return check.ok ? [] : [finding(check.code, { location, value: maskInsz(value), params: { detail: check.detail } })];
}

/** Identifier types an organisation certificate can carry (identity.md §2). */
export const ORGANISATION_ID_TYPES: readonly string[] = Object.freeze(Object.keys(IDENTIFIER_LENGTHS).filter((t) => t !== 'SSIN' && t !== 'NIHII11'));

/**
 * An organisation's certificate identifier: NIHII types are 8-digit NIHII numbers, CBE types KBO numbers with their
 * check digits, EHP 10 digits (no published check-digit rule).
 * @throws UsageError for an unknown type or an EHP number that is not 10 digits (no catalogue code fits those)
 */
export function organisationIdFindings(idType: string, id: string, location: string): Finding[] {
  const type = idType.toUpperCase();
  if (!ORGANISATION_ID_TYPES.includes(type)) throw new UsageError(`unknown --id-type ${idType}; one of ${ORGANISATION_ID_TYPES.join(', ')}`);
  if (type.startsWith('NIHII')) {
    const check = checkNihii(id);
    if (!check.ok) return [finding(check.code, { location, value: id })];
    return check.kind === 'organisation' ? [] : [finding('NIHII_FORMAT', { location, value: id })];
  }
  if (type.startsWith('CBE')) {
    const check = checkCbe(id);
    return check.ok ? [] : [finding('CBE_INVALID', { location, value: id, params: { detail: check.detail } })];
  }
  // EHP: only the length is known.
  if (!/^\d{10}$/.test(id)) throw new UsageError(`${location}: an EHP number has 10 digits, got "${id}"`);
  return [];
}

/** A softwareID in the shape its owner needs: 2 parts for a doctor, 3 for an organisation (identity.md §3). */
export function softwareIdFindings(value: string, kind: 'personal' | 'organisation'): Finding[] {
  const check = checkSoftwareId(value, kind);
  return check.ok ? [] : [finding('SOFTWARE_ID_MALFORMED', { value, params: { detail: check.detail } })];
}
