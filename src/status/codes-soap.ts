import type { StatusEntry } from './status-entry.js';

/** The call itself: envelope, operation, contract (wire-contracts.md §1-2). */
export const SOAP_CODES = {
  SOAP_CONTRACT: {
    area: 'soap',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'wire-contracts §1-2',
    text: {
      en: 'The request does not match the service contract at {location}: {detail}.',
      nl: 'De aanvraag volgt het servicecontract niet bij {location}: {detail}.',
      fr: 'La requête ne respecte pas le contrat du service à {location} : {detail}.',
    },
  },
  SOAP_OPERATION_UNKNOWN: {
    area: 'soap',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'wire-contracts §1-2',
    text: {
      en: 'Unknown operation {value} for this service.',
      nl: 'Onbekende operatie {value} voor deze dienst.',
      fr: 'Opération inconnue {value} pour ce service.',
    },
  },
  SOAP_TOO_MANY_MESSAGES: {
    area: 'soap',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'kmehr-vaccination rule 6',
    text: {
      en: 'AddVaccinations carries at most 5 KMEHR messages; this request has {value}.',
      nl: 'AddVaccinations bevat maximaal 5 KMEHR-berichten; deze aanvraag bevat er {value}.',
      fr: 'AddVaccinations contient au plus 5 messages KMEHR ; cette requête en contient {value}.',
    },
  },
  // Call level (our choice): a message that cannot even be decoded has no KmehrId to report a Result under,
  // and a corrupted envelope means the sending software is broken — nothing of the call is stored.
  SOAP_BASE64_INVALID: {
    area: 'soap',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'wire-contracts §1 (level: our choice)',
    text: {
      en: 'The content at {location} is not valid base64.',
      nl: 'De inhoud bij {location} is geen geldige base64.',
      fr: "Le contenu à {location} n'est pas du base64 valide.",
    },
  },
  SOAP_ACTION_MISMATCH: {
    area: 'soap',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'wire-contracts §1-2 (SOAP 1.1 §6.1.1)',
    text: {
      en: 'The SOAPAction {value} does not match the operation in the body: {detail}.',
      nl: 'De SOAPAction {value} past niet bij de operatie in de body: {detail}.',
      fr: "La SOAPAction {value} ne correspond pas à l'opération du corps : {detail}.",
    },
  },
  SOAP_SOME_REFUSED: {
    area: 'soap',
    severity: 'warning',
    soap: 'call',
    http: 200,
    retry: false,
    rule: 'our choice (call Status of AddVaccinations)',
    text: {
      en: '{refused} of {total} KMEHR messages were refused; see the Status of each result.',
      nl: '{refused} van {total} KMEHR-berichten werden geweigerd; zie de Status van elk resultaat.',
      fr: '{refused} des {total} messages KMEHR ont été refusés ; voir le Status de chaque résultat.',
    },
  },
  SOAP_ALL_REFUSED: {
    area: 'soap',
    severity: 'error',
    soap: 'call',
    http: 422,
    retry: false,
    rule: 'our choice (call Status of AddVaccinations)',
    text: {
      en: 'None of the {total} KMEHR messages was accepted; see the Status of each result.',
      nl: 'Geen van de {total} KMEHR-berichten werd aanvaard; zie de Status van elk resultaat.',
      fr: "Aucun des {total} messages KMEHR n'a été accepté ; voir le Status de chaque résultat.",
    },
  },
  SOAP_ONE_DOSE_PER_MESSAGE: {
    area: 'soap',
    severity: 'error',
    soap: 'message',
    http: 422,
    retry: false,
    rule: 'wire-contracts §1 (our choice)',
    text: {
      en: 'A RegistratieService message registers one dose: one folder with one transaction, so its VaccinationId can be answered; this message has {value}.',
      nl: 'Een RegistratieService-bericht registreert één dosis: één folder met één transactie, zodat het VaccinationId kan worden teruggegeven; dit bericht bevat {value}.',
      fr: 'Un message RegistratieService enregistre une dose : un dossier avec une transaction, afin que son VaccinationId puisse être renvoyé ; ce message en contient {value}.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
