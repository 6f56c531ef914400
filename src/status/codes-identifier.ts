import type { StatusEntry } from './status-entry.js';

/** Belgian identifiers and their check digits (identity.md §4). */
export const IDENTIFIER_CODES = {
  INSZ_FORMAT: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 4',
    text: {
      en: 'The INSZ/SSIN {value} at {location} must be exactly 11 digits.',
      nl: 'Het INSZ {value} bij {location} moet uit precies 11 cijfers bestaan.',
      fr: 'Le NISS {value} à {location} doit comporter exactement 11 chiffres.',
    },
  },
  INSZ_CHECKSUM: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 4',
    text: {
      en: 'The INSZ/SSIN {value} at {location} has wrong check digits.',
      nl: 'Het INSZ {value} bij {location} heeft foute controlecijfers.',
      fr: 'Le NISS {value} à {location} a des chiffres de contrôle erronés.',
    },
  },
  INSZ_DATE: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 4',
    text: {
      en: 'The INSZ/SSIN {value} at {location} encodes an impossible birth date or sequence ({detail}).',
      nl: 'Het INSZ {value} bij {location} bevat een onmogelijke geboortedatum of volgnummer ({detail}).',
      fr: 'Le NISS {value} à {location} contient une date de naissance ou un numéro d\'ordre impossible ({detail}).',
    },
  },
  INSZ_BIRTH_IN_FUTURE: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 4',
    text: {
      en: 'The INSZ/SSIN {value} at {location} encodes a birth date in the future.',
      nl: 'Het INSZ {value} bij {location} bevat een geboortedatum in de toekomst.',
      fr: 'Le NISS {value} à {location} contient une date de naissance dans le futur.',
    },
  },
  INSZ_UNKNOWN: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 4',
    text: {
      en: 'The INSZ/SSIN {value} at {location} is not known to the person register.',
      nl: 'Het INSZ {value} bij {location} is niet gekend in het personenregister.',
      fr: 'Le NISS {value} à {location} n\'est pas connu du registre des personnes.',
    },
  },
  PATIENT_ID_MISMATCH: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 10',
    text: {
      en: 'PatientId {value} differs from the patient in the KMEHR message at {location}.',
      nl: 'PatientId {value} verschilt van de patiënt in het KMEHR-bericht bij {location}.',
      fr: 'PatientId {value} diffère du patient du message KMEHR à {location}.',
    },
  },
  NIHII_FORMAT: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 11',
    text: {
      en: 'The NIHII number {value} at {location} must be 11 digits (person) or 8 digits (organisation).',
      nl: 'Het RIZIV-nummer {value} bij {location} moet 11 cijfers (persoon) of 8 cijfers (organisatie) tellen.',
      fr: 'Le numéro INAMI {value} à {location} doit comporter 11 chiffres (personne) ou 8 chiffres (organisation).',
    },
  },
  NIHII_CHECKSUM: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4 / rule 11',
    text: {
      en: 'The NIHII number {value} at {location} has wrong check digits.',
      nl: 'Het RIZIV-nummer {value} bij {location} heeft foute controlecijfers.',
      fr: 'Le numéro INAMI {value} à {location} a des chiffres de contrôle erronés.',
    },
  },
  CBE_INVALID: {
    area: 'identifier', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'identity §4',
    text: {
      en: 'The enterprise number (KBO/CBE) {value} at {location} is not valid ({detail}).',
      nl: 'Het ondernemingsnummer (KBO) {value} bij {location} is ongeldig ({detail}).',
      fr: 'Le numéro d\'entreprise (BCE) {value} à {location} n\'est pas valide ({detail}).',
    },
  },
  PATIENT_DATA_MISMATCH: {
    area: 'identifier', severity: 'warning', soap: 'message', http: 200, retry: false, rule: 'kmehr-vaccination rule 4 (our choice: a warning)',
    text: {
      en: 'Stored, but the patient\'s {field} at {location} ({value}) contradicts the person register for this INSZ: check that the INSZ is this patient\'s and correct the patient data in your software.',
      nl: 'Opgeslagen, maar het veld {field} van de patiënt bij {location} ({value}) spreekt het personenregister voor dit INSZ tegen: controleer of het INSZ van deze patiënt is en verbeter de patiëntgegevens in uw software.',
      fr: 'Enregistré, mais le champ {field} du patient à {location} ({value}) contredit le registre des personnes pour ce NISS : vérifiez que le NISS est celui de ce patient et corrigez les données du patient dans votre logiciel.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
