import type { StatusEntry } from './status-entry.js';

/** BatchUpload deliveries and their results (wire-contracts.md §2). */
export const BATCH_CODES = {
  BATCH_REQUEST_UNKNOWN: {
    area: 'batch', severity: 'error', soap: 'call', http: 404, retry: false, rule: 'wire-contracts §2',
    text: {
      en: 'No delivery with requestId {value} exists.',
      nl: 'Er bestaat geen aanlevering met requestId {value}.',
      fr: 'Aucune livraison avec le requestId {value} n\'existe.',
    },
  },
  BATCH_NOT_PROCESSED: {
    area: 'batch', severity: 'info', soap: 'call', http: 202, retry: true, rule: 'wire-contracts §2',
    text: {
      en: 'The delivery {value} is not processed yet; ask again later.',
      nl: 'De aanlevering {value} is nog niet verwerkt; vraag later opnieuw.',
      fr: 'La livraison {value} n\'est pas encore traitée ; réessayez plus tard.',
    },
  },
  BATCH_NOT_OWNER: {
    area: 'batch', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'wire-contracts §2',
    text: {
      en: 'The delivery {value} does not belong to this organisation.',
      nl: 'De aanlevering {value} behoort niet toe aan deze organisatie.',
      fr: 'La livraison {value} n\'appartient pas à cette organisation.',
    },
  },
  BATCH_EXPIRED: {
    area: 'batch', severity: 'error', soap: 'call', http: 410, retry: false, rule: 'our choice (result retention)',
    text: {
      en: 'The results of delivery {value} are no longer kept (retention {detail}).',
      nl: 'De resultaten van aanlevering {value} worden niet langer bewaard (bewaartermijn {detail}).',
      fr: 'Les résultats de la livraison {value} ne sont plus conservés (durée {detail}).',
    },
  },
  BATCH_REPLACED: {
    area: 'batch', severity: 'info', soap: 'call', http: 200, retry: false, rule: 'our choice (Aanvulling, docs/batch.md)',
    text: {
      en: 'Stored; it replaces vaccination {value} delivered earlier with the same LOCAL id.',
      nl: 'Opgeslagen; vervangt vaccinatie {value} die eerder met dezelfde LOCAL-id werd aangeleverd.',
      fr: 'Enregistré ; remplace la vaccination {value} livrée auparavant avec le même identifiant LOCAL.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
