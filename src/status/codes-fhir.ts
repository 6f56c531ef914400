import type { StatusEntry } from './status-entry.js';

/**
 * The FHIR API's own input checks (docs/fhir.md): what is wrong with the JSON or the request before the KMEHR
 * rules can judge the vaccination. Everything the KMEHR rules and the use cases judge keeps its own code, so a
 * dose refused over FHIR carries the code it gets over SOAP. `soap: 'call'`: these codes never reach SOAP.
 */
export const FHIR_CODES = {
  FHIR_NOT_JSON: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'our choice (FHIR R4 JSON)',
    text: {
      en: 'The request body is not JSON: {detail}.',
      nl: 'De inhoud van het verzoek is geen JSON: {detail}.',
      fr: "Le corps de la requête n'est pas du JSON : {detail}.",
    },
  },
  FHIR_JSON_TOO_DEEP: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'our choice (bounded input)',
    text: {
      en: 'The JSON is nested deeper than {limit} levels; an Immunization needs far fewer.',
      nl: 'De JSON is dieper genest dan {limit} niveaus; een Immunization heeft er veel minder nodig.',
      fr: 'Le JSON est imbriqué sur plus de {limit} niveaux ; une Immunization en demande bien moins.',
    },
  },
  FHIR_TOO_LARGE: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 413,
    retry: false,
    rule: 'our choice (bounded input)',
    text: {
      en: 'The request body is larger than {limit} bytes.',
      nl: 'De inhoud van het verzoek is groter dan {limit} bytes.',
      fr: 'Le corps de la requête dépasse {limit} octets.',
    },
  },
  FHIR_MEDIA_TYPE: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 415,
    retry: false,
    rule: 'FHIR R4 http (our choice: JSON only)',
    text: {
      en: 'Send the resource as application/fhir+json (got {value}).',
      nl: 'Stuur de resource als application/fhir+json (ontvangen: {value}).',
      fr: 'Envoyez la ressource en application/fhir+json (reçu : {value}).',
    },
  },
  FHIR_RESOURCE_TYPE: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'FHIR R4 http',
    text: {
      en: 'Expected a resource of type {field}, got {value}.',
      nl: 'Verwacht werd een resource van type {field}, ontvangen: {value}.',
      fr: 'Une ressource de type {field} était attendue, reçu : {value}.',
    },
  },
  FHIR_ELEMENT_INVALID: {
    area: 'fhir',
    severity: 'error',
    soap: 'message',
    http: 422,
    retry: false,
    rule: 'fhir-bevaccination §2, §10',
    text: {
      en: 'The element {location} cannot be accepted: {detail}.',
      nl: 'Het element {location} kan niet aanvaard worden: {detail}.',
      fr: "L'élément {location} ne peut pas être accepté : {detail}.",
    },
  },
  FHIR_ELEMENT_NOT_KEPT: {
    area: 'fhir',
    severity: 'warning',
    soap: 'message',
    http: 200,
    retry: false,
    rule: 'our choice (fhir-bevaccination §10: what the registry stores)',
    text: {
      en: 'Stored, but the registry does not keep {location}: it will not be in what is read back.',
      nl: 'Opgeslagen, maar het register bewaart {location} niet: het zit niet in wat teruggelezen wordt.',
      fr: 'Enregistré, mais le registre ne conserve pas {location} : il ne figurera pas dans ce qui est relu.',
    },
  },
  FHIR_SEARCH_PARAMETER: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'FHIR R4 search (our choice: unknown parameters are refused, not ignored)',
    text: {
      en: 'The search parameter {value} is not supported or malformed: {detail}.',
      nl: 'De zoekparameter {value} wordt niet ondersteund of is ongeldig: {detail}.',
      fr: "Le paramètre de recherche {value} n'est pas pris en charge ou est mal formé : {detail}.",
    },
  },
  FHIR_NOT_FOUND: {
    area: 'fhir',
    severity: 'error',
    soap: 'call',
    http: 404,
    retry: false,
    rule: 'FHIR R4 http',
    text: {
      en: 'There is no {value} here.',
      nl: 'Er is hier geen {value}.',
      fr: "Il n'y a pas de {value} ici.",
    },
  },
} as const satisfies Record<string, StatusEntry>;
