import type { StatusEntry } from './status-entry.js';

export const GENERAL_CODES = {
  OK: {
    area: 'general', severity: 'info', soap: 'message', http: 200, retry: false, rule: 'wire-contracts §3',
    text: { en: 'Accepted.', nl: 'Aanvaard.', fr: 'Accepté.' },
  },
  OK_WITH_WARNINGS: {
    area: 'general', severity: 'warning', soap: 'message', http: 200, retry: false, rule: 'wire-contracts §3',
    text: { en: 'Accepted with warnings.', nl: 'Aanvaard met waarschuwingen.', fr: 'Accepté avec avertissements.' },
  },
  INTERNAL_ERROR: {
    area: 'general', severity: 'error', soap: 'call', http: 500, retry: true, rule: 'wire-contracts §3',
    text: {
      en: 'Internal error; nothing was stored. Try again later (reference {reference}).',
      nl: 'Interne fout; er werd niets opgeslagen. Probeer later opnieuw (referentie {reference}).',
      fr: 'Erreur interne ; rien n\'a été enregistré. Réessayez plus tard (référence {reference}).',
    },
  },
  CONFIG_INVALID: {
    area: 'general', severity: 'error', soap: 'fault', http: 500, retry: false, rule: 'our choice',
    text: {
      en: 'Configuration error: {detail}.',
      nl: 'Configuratiefout: {detail}.',
      fr: 'Erreur de configuration : {detail}.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
