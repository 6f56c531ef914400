import type { StatusEntry } from './status-entry.js';

/** What the authenticated caller may do: profiles, responsible doctors, HAIO/stagemeester, softwareIDs (identity.md §1, §3, §5). */
export const PROFILE_CODES = {
  PROFILE_NONE: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'kmehr-vaccination rule 5',
    text: {
      en: 'No Vaccinnet profile exists for {value}.',
      nl: 'Er bestaat geen Vaccinnet-profiel voor {value}.',
      fr: 'Aucun profil Vaccinnet n\'existe pour {value}.',
    },
  },
  PROFILE_INACTIVE: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'kmehr-vaccination rule 5',
    text: {
      en: 'The Vaccinnet profile of {value} is not active.',
      nl: 'Het Vaccinnet-profiel van {value} is niet actief.',
      fr: 'Le profil Vaccinnet de {value} n\'est pas actif.',
    },
  },
  PROFILE_NO_RESPONSIBLE_DOCTOR: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'kmehr-vaccination rule 5',
    text: {
      en: 'The organisation {value} has no responsible doctor linked.',
      nl: 'Aan de organisatie {value} is geen verantwoordelijke arts gekoppeld.',
      fr: 'Aucun médecin responsable n\'est lié à l\'organisation {value}.',
    },
  },
  PROFILE_HAIO_NO_STAGEMEESTER: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'identity §1',
    text: {
      en: 'The HAIO {value} has no linked stagemeester.',
      nl: 'De HAIO {value} heeft geen gekoppelde stagemeester.',
      fr: 'Le HAIO {value} n\'a pas de maître de stage lié.',
    },
  },
  PROFILE_HAIO_STAGEMEESTER_NOT_LINKED: {
    area: 'profile', severity: 'error', soap: 'message', http: 403, retry: false, rule: 'kmehr-vaccination rule 12',
    text: {
      en: 'The author {value} at {location} is not a stagemeester linked to this HAIO.',
      nl: 'De auteur {value} bij {location} is geen stagemeester die aan deze HAIO gekoppeld is.',
      fr: 'L\'auteur {value} à {location} n\'est pas un maître de stage lié à ce HAIO.',
    },
  },
  PROFILE_CERTIFICATE_NOT_BOUND: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'identity §5 (our choice)',
    text: {
      en: 'The certificate {value} is not one of the certificates bound to the Vaccinnet profile {profile}.',
      nl: 'Het certificaat {value} is geen van de certificaten die aan het Vaccinnet-profiel {profile} gekoppeld zijn.',
      fr: 'Le certificat {value} ne fait pas partie des certificats liés au profil Vaccinnet {profile}.',
    },
  },
  PROFILE_CERTIFICATE_OTHER_IDENTITY: {
    area: 'profile', severity: 'error', soap: 'call', http: 400, retry: false, rule: 'identity §5 (our choice)',
    text: {
      en: 'The certificate {value} is issued to {identity}, not to the profile {profile}.',
      nl: 'Het certificaat {value} is uitgereikt aan {identity}, niet aan het profiel {profile}.',
      fr: 'Le certificat {value} est délivré à {identity}, et non au profil {profile}.',
    },
  },
  SOFTWARE_ID_MALFORMED: {
    area: 'profile', severity: 'error', soap: 'call', http: 400, retry: false, rule: 'identity §3 (our choice)',
    text: {
      en: 'The softwareID {value} is malformed: {detail}.',
      nl: 'De softwareID {value} is ongeldig: {detail}.',
      fr: 'Le softwareID {value} est mal formé : {detail}.',
    },
  },
  SOFTWARE_ID_NOT_REGISTERED: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'identity §3',
    text: {
      en: 'The softwareID {value} is not registered in Vaccinnet.',
      nl: 'De softwareID {value} is niet geregistreerd in Vaccinnet.',
      fr: 'Le softwareID {value} n\'est pas enregistré dans Vaccinnet.',
    },
  },
  SOFTWARE_ID_OTHER_PROFILE: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'identity §3',
    text: {
      en: 'The softwareID {value} is registered for another profile.',
      nl: 'De softwareID {value} is geregistreerd voor een ander profiel.',
      fr: 'Le softwareID {value} est enregistré pour un autre profil.',
    },
  },
  SENDER_MISMATCH: {
    area: 'profile', severity: 'error', soap: 'message', http: 403, retry: false, rule: 'kmehr-vaccination rule 12',
    text: {
      en: 'The sender {value} at {location} is not the authenticated caller.',
      nl: 'De afzender {value} bij {location} is niet de geauthenticeerde oproeper.',
      fr: 'L\'expéditeur {value} à {location} n\'est pas l\'appelant authentifié.',
    },
  },
  AUTHOR_MISMATCH: {
    area: 'profile', severity: 'error', soap: 'message', http: 403, retry: false, rule: 'kmehr-vaccination rule 12',
    text: {
      en: 'The author {value} at {location} may not be named by the authenticated caller.',
      nl: 'De auteur {value} bij {location} mag niet vermeld worden door de geauthenticeerde oproeper.',
      fr: 'L\'auteur {value} à {location} ne peut pas être indiqué par l\'appelant authentifié.',
    },
  },
  USER_CODE_MISMATCH: {
    area: 'profile', severity: 'error', soap: 'call', http: 403, retry: false, rule: 'wire-contracts §2',
    text: {
      en: 'The Vaccinnet user code at {location} is {value}, not the caller\'s user code: send the organisation\'s user code as header/sender/hcparty/id[@S=\'LOCAL\'] of the KMEHR message (and as gebruikersId when fetching results).',
      nl: 'De Vaccinnet-gebruikerscode bij {location} is {value}, niet die van de oproeper: stuur de gebruikerscode van de organisatie als header/sender/hcparty/id[@S=\'LOCAL\'] van het KMEHR-bericht (en als gebruikersId bij het ophalen van resultaten).',
      fr: 'Le code utilisateur Vaccinnet à {location} est {value}, pas celui de l\'appelant : envoyez le code utilisateur de l\'organisation en header/sender/hcparty/id[@S=\'LOCAL\'] du message KMEHR (et en gebruikersId pour obtenir les résultats).',
    },
  },
} as const satisfies Record<string, StatusEntry>;
