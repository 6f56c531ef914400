import type { StatusEntry } from './status-entry.js';

/** BatchUpload deliveries and their results (wire-contracts.md §2). */
export const BATCH_CODES = {
  BATCH_REQUEST_UNKNOWN: {
    area: 'batch',
    severity: 'error',
    soap: 'call',
    http: 404,
    retry: false,
    rule: 'wire-contracts §2',
    text: {
      en: 'No delivery with requestId {value} exists.',
      nl: 'Er bestaat geen aanlevering met requestId {value}.',
      fr: "Aucune livraison avec le requestId {value} n'existe.",
    },
  },
  BATCH_NOT_PROCESSED: {
    area: 'batch',
    severity: 'info',
    soap: 'call',
    http: 202,
    retry: true,
    rule: 'wire-contracts §2',
    text: {
      en: 'The delivery {value} is not processed yet; ask again later.',
      nl: 'De aanlevering {value} is nog niet verwerkt; vraag later opnieuw.',
      fr: "La livraison {value} n'est pas encore traitée ; réessayez plus tard.",
    },
  },
  BATCH_NOT_OWNER: {
    area: 'batch',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: 'wire-contracts §2',
    text: {
      en: 'The delivery {value} does not belong to this organisation.',
      nl: 'De aanlevering {value} behoort niet toe aan deze organisatie.',
      fr: "La livraison {value} n'appartient pas à cette organisation.",
    },
  },
  BATCH_EXPIRED: {
    area: 'batch',
    severity: 'error',
    soap: 'call',
    http: 410,
    retry: false,
    rule: 'our choice (result retention)',
    text: {
      en: 'The results of delivery {value} are no longer kept (retention {detail}).',
      nl: 'De resultaten van aanlevering {value} worden niet langer bewaard (bewaartermijn {detail}).',
      fr: 'Les résultats de la livraison {value} ne sont plus conservés (durée {detail}).',
    },
  },
  BATCH_REPLACED: {
    area: 'batch',
    severity: 'info',
    soap: 'call',
    http: 200,
    retry: false,
    rule: 'our choice (Aanvulling, docs/batch.md)',
    text: {
      en: 'Stored; it replaces vaccination {value} delivered earlier with the same LOCAL id.',
      nl: 'Opgeslagen; vervangt vaccinatie {value} die eerder met dezelfde LOCAL-id werd aangeleverd.',
      fr: 'Enregistré ; remplace la vaccination {value} livrée auparavant avec le même identifiant LOCAL.',
    },
  },
  BATCH_PROCESSING_FAILED: {
    area: 'batch',
    severity: 'error',
    soap: 'call',
    http: 500,
    retry: true,
    rule: 'our choice (retries, docs/batch.md)',
    text: {
      en: 'The delivery {value} could not be processed: {detail} attempts failed. Deliver it again, or contact the registry operator with this transactionId.',
      nl: 'De aanlevering {value} kon niet worden verwerkt: {detail} pogingen mislukten. Lever ze opnieuw aan, of contacteer de beheerder van het register met deze transactionId.',
      fr: "La livraison {value} n'a pas pu être traitée : {detail} tentatives ont échoué. Livrez-la à nouveau, ou contactez l'opérateur du registre avec ce transactionId.",
    },
  },
  BATCH_PARTIAL: {
    area: 'batch',
    severity: 'error',
    soap: 'message',
    http: 207,
    retry: false,
    rule: 'our choice (partial results, docs/batch.md)',
    text: {
      en: 'Only the first {value} transactions of this delivery were processed (their results are above); the transactions after them were not registered. Cause: {detail}',
      nl: 'Enkel de eerste {value} transacties van deze aanlevering werden verwerkt (hun resultaten staan hierboven); de transacties daarna werden niet geregistreerd. Oorzaak: {detail}',
      fr: "Seules les {value} premières transactions de cette livraison ont été traitées (leurs résultats figurent ci-dessus) ; les transactions suivantes n'ont pas été enregistrées. Cause : {detail}",
    },
  },
  BATCH_XSD_UNAVAILABLE: {
    area: 'batch',
    severity: 'error',
    soap: 'call',
    http: 503,
    retry: true,
    rule: 'our choice (XSD worker, docs/batch.md)',
    text: {
      en: 'The delivery could not be checked against the KMEHR schema: the validator stopped (reference {reference}). Nothing was stored; deliver it again.',
      nl: 'De aanlevering kon niet tegen het KMEHR-schema worden gecontroleerd: de validator stopte (referentie {reference}). Er werd niets opgeslagen; lever ze opnieuw aan.',
      fr: "La livraison n'a pas pu être contrôlée par rapport au schéma KMEHR : le validateur s'est arrêté (référence {reference}). Rien n'a été enregistré ; livrez-la à nouveau.",
    },
  },
} as const satisfies Record<string, StatusEntry>;
