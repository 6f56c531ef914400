import type { StatusEntry } from './status-entry.js';

/** Input safety: what the XML reader refuses before any content is looked at. */
export const XML_CODES = {
  XML_MALFORMED: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'XML 1.0 well-formedness',
    text: {
      en: 'The XML is not well-formed: {detail}.',
      nl: 'De XML is niet welgevormd: {detail}.',
      fr: "Le XML n'est pas bien formé : {detail}.",
    },
  },
  XML_DOCTYPE_FORBIDDEN: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'our choice (no DTDs on the wire)',
    text: {
      en: 'A document type declaration (<!DOCTYPE>) is not allowed.',
      nl: 'Een documenttypedeclaratie (<!DOCTYPE>) is niet toegestaan.',
      fr: "Une déclaration de type de document (<!DOCTYPE>) n'est pas autorisée.",
    },
  },
  XML_EXTERNAL_ENTITY: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'our choice (XXE)',
    text: {
      en: 'An external entity (SYSTEM/PUBLIC) is declared; external entities are never resolved.',
      nl: 'Er wordt een externe entiteit (SYSTEM/PUBLIC) gedeclareerd; externe entiteiten worden nooit opgelost.',
      fr: 'Une entité externe (SYSTEM/PUBLIC) est déclarée ; les entités externes ne sont jamais résolues.',
    },
  },
  XML_ENTITY_DECLARATION: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'our choice (entity expansion)',
    text: {
      en: 'An entity declaration is not allowed (entity expansion is refused).',
      nl: 'Een entiteitsdeclaratie is niet toegestaan (entiteitsexpansie wordt geweigerd).',
      fr: "Une déclaration d'entité n'est pas autorisée (l'expansion d'entités est refusée).",
    },
  },
  XML_TOO_DEEP: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 400,
    retry: false,
    rule: 'our choice (nesting limit)',
    text: {
      en: 'Elements are nested deeper than {limit} levels.',
      nl: 'Elementen zijn dieper genest dan {limit} niveaus.',
      fr: 'Les éléments sont imbriqués sur plus de {limit} niveaux.',
    },
  },
  XML_TOO_LARGE: {
    area: 'xml',
    severity: 'error',
    soap: 'fault',
    http: 413,
    faultHttp: 413,
    retry: false,
    rule: 'our choice (size limit)',
    text: {
      en: 'The input is larger than the limit of {limit} bytes.',
      nl: 'De invoer is groter dan de limiet van {limit} bytes.',
      fr: "L'entrée dépasse la limite de {limit} octets.",
    },
  },
} as const satisfies Record<string, StatusEntry>;
