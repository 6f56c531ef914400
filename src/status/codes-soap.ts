import type { StatusEntry } from './status-entry.js';

/** The call itself: envelope, operation, contract (wire-contracts.md §1-2). */
export const SOAP_CODES = {
  SOAP_CONTRACT: {
    area: 'soap', severity: 'error', soap: 'fault', http: 400, retry: false, rule: 'wire-contracts §1-2',
    text: {
      en: 'The request does not match the service contract at {location}: {detail}.',
      nl: 'De aanvraag volgt het servicecontract niet bij {location}: {detail}.',
      fr: 'La requête ne respecte pas le contrat du service à {location} : {detail}.',
    },
  },
  SOAP_OPERATION_UNKNOWN: {
    area: 'soap', severity: 'error', soap: 'fault', http: 400, retry: false, rule: 'wire-contracts §1-2',
    text: {
      en: 'Unknown operation {value} for this service.',
      nl: 'Onbekende operatie {value} voor deze dienst.',
      fr: 'Opération inconnue {value} pour ce service.',
    },
  },
  SOAP_TOO_MANY_MESSAGES: {
    area: 'soap', severity: 'error', soap: 'call', http: 400, retry: false, rule: 'kmehr-vaccination rule 6',
    text: {
      en: 'AddVaccinations carries at most 5 KMEHR messages; this request has {value}.',
      nl: 'AddVaccinations bevat maximaal 5 KMEHR-berichten; deze aanvraag bevat er {value}.',
      fr: 'AddVaccinations contient au plus 5 messages KMEHR ; cette requête en contient {value}.',
    },
  },
  SOAP_BASE64_INVALID: {
    area: 'soap', severity: 'error', soap: 'message', http: 400, retry: false, rule: 'wire-contracts §1',
    text: {
      en: 'The content at {location} is not valid base64.',
      nl: 'De inhoud bij {location} is geen geldige base64.',
      fr: 'Le contenu à {location} n\'est pas du base64 valide.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
