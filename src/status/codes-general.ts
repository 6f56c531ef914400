import type { StatusEntry } from './status-entry.js';

export const GENERAL_CODES = {
  OK: {
    area: 'general',
    severity: 'info',
    soap: 'message',
    http: 200,
    retry: false,
    rule: 'wire-contracts §3',
    text: { en: 'Accepted.', nl: 'Aanvaard.', fr: 'Accepté.' },
  },
  OK_WITH_WARNINGS: {
    area: 'general',
    severity: 'warning',
    soap: 'message',
    http: 200,
    retry: false,
    rule: 'wire-contracts §3',
    text: { en: 'Accepted with warnings.', nl: 'Aanvaard met waarschuwingen.', fr: 'Accepté avec avertissements.' },
  },
  INTERNAL_ERROR: {
    area: 'general',
    severity: 'error',
    soap: 'call',
    http: 500,
    retry: true,
    rule: 'wire-contracts §3',
    text: {
      en: 'Internal error; nothing was stored. Try again later (reference {reference}).',
      nl: 'Interne fout; er werd niets opgeslagen. Probeer later opnieuw (referentie {reference}).',
      fr: "Erreur interne ; rien n'a été enregistré. Réessayez plus tard (référence {reference}).",
    },
  },
  STORE_UNAVAILABLE: {
    area: 'general',
    severity: 'error',
    // A Fault (soap:Server, detail retry=true) with HTTP 503: clients and proxies retry on it without reading the body.
    soap: 'fault',
    http: 503,
    faultHttp: 503,
    retry: true,
    rule: 'our choice (issue 16 §4)',
    text: {
      en: "The registry's database cannot be reached right now; nothing was stored. Try again in a few seconds (reference {reference}).",
      nl: 'De databank van het register is nu niet bereikbaar; er werd niets opgeslagen. Probeer over enkele seconden opnieuw (referentie {reference}).',
      fr: "La base de données du registre est momentanément injoignable ; rien n'a été enregistré. Réessayez dans quelques secondes (référence {reference}).",
    },
  },
  REQUEST_PARAMETER_INVALID: {
    area: 'general',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'our choice: the KMEHR read over HTTPS (docs/kmehr-read.md)',
    text: {
      en: 'The request parameter {location} is not valid: {detail}.',
      nl: 'De parameter {location} van de aanvraag is ongeldig: {detail}.',
      fr: "Le paramètre {location} de la requête n'est pas valide : {detail}.",
    },
  },
  CONFIG_INVALID: {
    area: 'general',
    severity: 'error',
    soap: 'fault',
    http: 500,
    retry: false,
    rule: 'our choice',
    text: {
      en: 'Configuration error: {detail}.',
      nl: 'Configuratiefout: {detail}.',
      fr: 'Erreur de configuration : {detail}.',
    },
  },
  CONFIG_CRL_UNUSABLE: {
    area: 'general',
    severity: 'error',
    soap: 'fault',
    http: 500,
    retry: false,
    rule: 'our choice: revocation fails closed',
    text: {
      en: 'Configuration error: the CRL file {value} cannot be used ({detail}); fix or remove it in {location}.',
      nl: 'Configuratiefout: het CRL-bestand {value} is onbruikbaar ({detail}); herstel of verwijder het in {location}.',
      fr: 'Erreur de configuration : le fichier CRL {value} est inutilisable ({detail}) ; corrigez-le ou retirez-le dans {location}.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
