import { ACCESS_CODES } from './codes-access.js';
import { AUTH_CODES } from './codes-auth.js';
import { echoParam } from './echo.js';
import { BATCH_CODES } from './codes-batch.js';
import { FHIR_CODES } from './codes-fhir.js';
import { GENERAL_CODES } from './codes-general.js';
import { IDENTIFIER_CODES } from './codes-identifier.js';
import { KMEHR_CODES } from './codes-kmehr.js';
import { PROFILE_CODES } from './codes-profile.js';
import { REGISTRY_CODES } from './codes-registry.js';
import { SOAP_CODES } from './codes-soap.js';
import { XML_CODES } from './codes-xml.js';

/**
 * The one status-code catalogue (wire-contracts.md §3). Every channel maps outcomes from here:
 * SOAP to Status/foutCode/resultCode/faults, web to pages, FHIR to OperationOutcome, the CLI to exit codes.
 * `docs/status-codes.md` is generated from it (`npm run docs`) and a test keeps the two equal.
 */
export const CATALOGUE = Object.freeze({
  ...GENERAL_CODES,
  ...XML_CODES,
  ...SOAP_CODES,
  ...AUTH_CODES,
  ...PROFILE_CODES,
  ...KMEHR_CODES,
  ...IDENTIFIER_CODES,
  ...REGISTRY_CODES,
  ...BATCH_CODES,
  ...ACCESS_CODES,
  ...FHIR_CODES,
});

export type StatusCode = keyof typeof CATALOGUE;
export const STATUS_CODES = Object.keys(CATALOGUE) as StatusCode[];

export const LANGUAGES = ['en', 'nl', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Values that fill the `{name}` placeholders of a message. A missing one is said to be missing (never a bare "?":
 * issue 11.9); every one is bounded and INSZ-masked by `echoParam` (issue 11.5).
 */
export type MessageParams = Readonly<Record<string, string | number | undefined>>;

const MISSING: Readonly<Record<Language, string>> = { en: '(missing)', nl: '(ontbreekt)', fr: '(absent)' };

export function formatMessage(code: StatusCode, params: MessageParams = {}, language: Language = 'en'): string {
  const template = CATALOGUE[code].text[language];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return value === undefined || value === '' ? MISSING[language] : echoParam(code, name, value, params.location);
  });
}
