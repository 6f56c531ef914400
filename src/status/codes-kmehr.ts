import type { StatusEntry } from './status-entry.js';

/** The KMEHR message itself: XSD and the registry's own message rules (kmehr-vaccination.md). */
export const KMEHR_CODES = {
  KMEHR_XSD_INVALID: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 1',
    text: {
      en: 'The KMEHR message is not valid against the KMEHR 1.43 schema at {location}: {detail}.',
      nl: 'Het KMEHR-bericht is niet geldig volgens het KMEHR 1.43-schema bij {location}: {detail}.',
      fr: 'Le message KMEHR n\'est pas valide selon le schéma KMEHR 1.43 à {location} : {detail}.',
    },
  },
  KMEHR_XSD_OFF: {
    area: 'kmehr', severity: 'info', soap: 'message', http: 200, retry: false, rule: 'our choice',
    text: {
      en: 'XSD validation is off (no schema directory configured); only the registry\'s own checks ran.',
      nl: 'XSD-validatie staat uit (geen schemamap ingesteld); enkel de eigen controles van het register liepen.',
      fr: 'La validation XSD est désactivée (aucun répertoire de schémas configuré) ; seuls les contrôles propres du registre ont été exécutés.',
    },
  },
  KMEHR_NAMESPACE: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination (namespace)',
    text: {
      en: 'The root element {value} is not a kmehrmessage in the KMEHR namespace http://www.ehealth.fgov.be/standards/kmehr/schema/v1.',
      nl: 'Het hoofdelement {value} is geen kmehrmessage in de KMEHR-namespace http://www.ehealth.fgov.be/standards/kmehr/schema/v1.',
      fr: 'L\'élément racine {value} n\'est pas un kmehrmessage dans l\'espace de noms KMEHR http://www.ehealth.fgov.be/standards/kmehr/schema/v1.',
    },
  },
  KMEHR_TRANSACTION_TYPE_MISSING: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 7',
    text: {
      en: 'The transaction type (cd S="CD-TRANSACTION") at {location} is missing or empty; it must be "vaccination".',
      nl: 'Het transactietype (cd S="CD-TRANSACTION") bij {location} ontbreekt of is leeg; het moet "vaccination" zijn.',
      fr: 'Le type de transaction (cd S="CD-TRANSACTION") à {location} est absent ou vide ; il doit valoir « vaccination ».',
    },
  },
  KMEHR_NOT_VACCINATION: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 7',
    text: {
      en: 'The transaction at {location} is of type {value}; only "vaccination" can be registered.',
      nl: 'De transactie bij {location} is van het type {value}; enkel "vaccination" kan geregistreerd worden.',
      fr: 'La transaction à {location} est de type {value} ; seul « vaccination » peut être enregistré.',
    },
  },
  KMEHR_VACCINE_ITEM_COUNT: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 7',
    text: {
      en: 'The transaction at {location} has {value} "vaccine" items; exactly one is required.',
      nl: 'De transactie bij {location} bevat {value} "vaccine"-items; er is er precies één vereist.',
      fr: 'La transaction à {location} contient {value} éléments « vaccine » ; un seul est requis.',
    },
  },
  KMEHR_FIELD_MISSING: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination (structure)',
    text: {
      en: 'The required field {field} is missing at {location}.',
      nl: 'Het verplichte veld {field} ontbreekt bij {location}.',
      fr: 'Le champ obligatoire {field} est absent à {location}.',
    },
  },
  KMEHR_CODE_UNKNOWN: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination (code lists)',
    text: {
      en: 'The code {value} at {location} is not in the code list {field}.',
      nl: 'De code {value} bij {location} komt niet voor in de codelijst {field}.',
      fr: 'Le code {value} à {location} ne figure pas dans la liste de codes {field}.',
    },
  },
  KMEHR_LIFECYCLE: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination (CD-LIFECYCLE, our choice)',
    text: {
      en: 'The lifecycle {value} at {location} is not "administrated"; only administered vaccinations are registered.',
      nl: 'De levenscyclus {value} bij {location} is niet "administrated"; enkel toegediende vaccinaties worden geregistreerd.',
      fr: 'Le cycle de vie {value} à {location} n\'est pas « administrated » ; seules les vaccinations administrées sont enregistrées.',
    },
  },
  PRODUCT_NOT_IDENTIFIED: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 8',
    text: {
      en: 'The vaccine at {location} names no product: give a CNK, a Vaccinnet code, an ATC code or a CD-VACCINEINDICATION.',
      nl: 'Het vaccin bij {location} vermeldt geen product: geef een CNK, een Vaccinnet-code, een ATC-code of een CD-VACCINEINDICATION.',
      fr: 'Le vaccin à {location} n\'indique aucun produit : donnez un CNK, un code Vaccinnet, un code ATC ou une CD-VACCINEINDICATION.',
    },
  },
  PRODUCT_UNKNOWN: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 8',
    text: {
      en: 'The product {value} ({field}) at {location} is not in the vaccine reference table.',
      nl: 'Het product {value} ({field}) bij {location} staat niet in de referentietabel van vaccins.',
      fr: 'Le produit {value} ({field}) à {location} ne figure pas dans la table de référence des vaccins.',
    },
  },
  PRODUCT_UNLISTED: {
    area: 'kmehr', severity: 'warning', soap: 'message', http: 200, retry: false, rule: 'kmehr-vaccination rule 8 (our choice)',
    text: {
      en: 'The product {value} ({field}) at {location} is not in the vaccine reference table; the vaccination is registered by its CD-VACCINEINDICATION.',
      nl: 'Het product {value} ({field}) bij {location} staat niet in de referentietabel van vaccins; de vaccinatie wordt geregistreerd op basis van haar CD-VACCINEINDICATION.',
      fr: 'Le produit {value} ({field}) à {location} ne figure pas dans la table de référence des vaccins ; la vaccination est enregistrée d\'après sa CD-VACCINEINDICATION.',
    },
  },
  COVID_LOT_MISSING: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 2',
    text: {
      en: 'A COVID-19 vaccination needs a lot number (batch) at {location}.',
      nl: 'Een COVID-19-vaccinatie vereist een lotnummer (batch) bij {location}.',
      fr: 'Une vaccination COVID-19 exige un numéro de lot (batch) à {location}.',
    },
  },
  COVID_ADVERSE_EVENT: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 3',
    text: {
      en: 'Adverse events may not be sent with a COVID-19 vaccination ({value} at {location}).',
      nl: 'Bijwerkingen mogen niet meegestuurd worden met een COVID-19-vaccinatie ({value} bij {location}).',
      fr: 'Les effets indésirables ne peuvent pas être envoyés avec une vaccination COVID-19 ({value} à {location}).',
    },
  },
  DATE_INVALID: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 9',
    text: {
      en: 'The date {value} at {location} is not a valid calendar date.',
      nl: 'De datum {value} bij {location} is geen geldige kalenderdatum.',
      fr: 'La date {value} à {location} n\'est pas une date calendaire valide.',
    },
  },
  DATE_IN_FUTURE: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 9',
    text: {
      en: 'The administration date {value} at {location} is in the future.',
      nl: 'De toedieningsdatum {value} bij {location} ligt in de toekomst.',
      fr: 'La date d\'administration {value} à {location} est dans le futur.',
    },
  },
  DATE_BEFORE_BIRTH: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 9',
    text: {
      en: 'The administration date {value} at {location} is before the patient\'s birth date {date}.',
      nl: 'De toedieningsdatum {value} bij {location} ligt voor de geboortedatum {date} van de patiënt.',
      fr: 'La date d\'administration {value} à {location} précède la date de naissance {date} du patient.',
    },
  },
  DATE_AFTER_TRANSACTION: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 9',
    text: {
      en: 'The administration date {value} at {location} is after the transaction date {date}.',
      nl: 'De toedieningsdatum {value} bij {location} ligt na de transactiedatum {date}.',
      fr: 'La date d\'administration {value} à {location} est postérieure à la date de transaction {date}.',
    },
  },
  QUANTITY_NOT_POSITIVE: {
    area: 'kmehr', severity: 'error', soap: 'message', http: 422, retry: false, rule: 'kmehr-vaccination rule 13',
    text: {
      en: 'The quantity {value} at {location} must be greater than 0.',
      nl: 'De hoeveelheid {value} bij {location} moet groter zijn dan 0.',
      fr: 'La quantité {value} à {location} doit être supérieure à 0.',
    },
  },
} as const satisfies Record<string, StatusEntry>;
