import type { StatusEntry } from './status-entry.js';

const RULE = 'issue 13, consent-and-links.md §4 (our choice)';

/**
 * Who may read a person's vaccinations (issue 13, docs/access.md). A refusal names the failed condition and nothing
 * else: it is the same whether or not the person has vaccinations. HTTP 403 for the FHIR and web channels; on
 * RegistratieService a refusal is the call-level Status of a normal answer, never a fault.
 */
export const ACCESS_CODES = {
  ACCESS_EXCLUDED: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: RULE,
    text: {
      en: 'The person has excluded you from access to their data; only what you registered yourself can be read.',
      nl: 'De persoon heeft u uitgesloten van toegang tot zijn gegevens; enkel wat u zelf registreerde kan gelezen worden.',
      fr: "La personne vous a exclu de l'accès à ses données ; seul ce que vous avez enregistré vous-même peut être lu.",
    },
  },
  ACCESS_NO_CONSENT: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: RULE,
    text: {
      en: 'The person has no active informed consent for the exchange of health data; only what you registered yourself can be read.',
      nl: 'De persoon heeft geen actieve geïnformeerde toestemming voor het delen van gezondheidsgegevens; enkel wat u zelf registreerde kan gelezen worden.',
      fr: "La personne n'a pas de consentement éclairé actif pour le partage de données de santé ; seul ce que vous avez enregistré vous-même peut être lu.",
    },
  },
  ACCESS_NO_LINK: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: RULE,
    text: {
      en: 'You hold no active therapeutic link with the person; only what you registered yourself can be read.',
      nl: 'U hebt geen actieve therapeutische relatie met de persoon; enkel wat u zelf registreerde kan gelezen worden.',
      fr: "Vous n'avez pas de relation thérapeutique active avec la personne ; seul ce que vous avez enregistré vous-même peut être lu.",
    },
  },
  ACCESS_REASON_REQUIRED: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: RULE,
    text: {
      en: "This read needs a stated reason (an operator's read, or break-the-glass); it is recorded in the audit log.",
      nl: 'Deze raadpleging vereist een opgegeven reden (raadpleging door een operator, of break-the-glass); ze wordt in het auditlog bewaard.',
      fr: "Cette consultation exige un motif (consultation par un opérateur, ou bris de glace) ; il est conservé dans le journal d'audit.",
    },
  },
  ACCESS_BREAK_GLASS_DISABLED: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: RULE,
    text: {
      en: 'Break-the-glass reads are not enabled on this registry.',
      nl: 'Break-the-glass-raadplegingen zijn niet ingeschakeld in dit register.',
      fr: 'Les consultations bris de glace ne sont pas activées dans ce registre.',
    },
  },
  ACCESS_OWN_ONLY: {
    area: 'access',
    severity: 'info',
    soap: 'call',
    http: 200,
    retry: false,
    rule: RULE,
    text: {
      en: 'Only the vaccinations you registered yourself are shown; reading the others is refused ({detail}).',
      nl: 'Enkel de vaccinaties die u zelf registreerde worden getoond; de andere lezen wordt geweigerd ({detail}).',
      fr: 'Seules les vaccinations que vous avez enregistrées vous-même sont affichées ; la lecture des autres est refusée ({detail}).',
    },
  },
  ACCESS_OPERATOR_READ: {
    area: 'access',
    severity: 'info',
    soap: 'call',
    http: 200,
    retry: false,
    rule: RULE,
    text: {
      en: "Read by an operator with a stated reason; flagged in the person's audit log.",
      nl: 'Geraadpleegd door een operator met opgegeven reden; gemarkeerd in het auditlog van de persoon.',
      fr: "Consulté par un opérateur avec motif ; signalé dans le journal d'audit de la personne.",
    },
  },
  ACCESS_BREAK_GLASS: {
    area: 'access',
    severity: 'info',
    soap: 'call',
    http: 200,
    retry: false,
    rule: RULE,
    text: {
      en: "Break-the-glass read without consent or therapeutic link; flagged in the person's audit log.",
      nl: 'Break-the-glass-raadpleging zonder toestemming of therapeutische relatie; gemarkeerd in het auditlog van de persoon.',
      fr: "Consultation bris de glace sans consentement ni relation thérapeutique ; signalée dans le journal d'audit de la personne.",
    },
  },
  ACCESS_RECORD_NOT_FOUND: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 404,
    retry: false,
    rule: RULE,
    text: {
      en: 'The person has no {detail} {value}.',
      nl: 'De persoon heeft geen {detail} {value}.',
      fr: "La personne n'a pas de {detail} {value}.",
    },
  },
  ACCESS_ALREADY_ENDED: {
    area: 'access',
    severity: 'error',
    soap: 'call',
    http: 409,
    retry: false,
    rule: RULE,
    text: {
      en: 'The {detail} {value} already ended on {date}.',
      nl: 'De {detail} {value} is al beëindigd op {date}.',
      fr: 'Le {detail} {value} a déjà pris fin le {date}.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
