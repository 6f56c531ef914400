import type { StatusEntry } from './status-entry.js';

/** Outcomes that need stored state: duplicates, removal (kmehr-vaccination.md rule 14). */
export const REGISTRY_CODES = {
  DUPLICATE_REPLAY: {
    area: 'registry',
    severity: 'info',
    soap: 'message',
    http: 200,
    retry: false,
    rule: 'kmehr-vaccination rule 14',
    text: {
      en: 'Already registered from the same sender ids with the same content; the original VaccinationId {value} is returned.',
      nl: "Reeds geregistreerd met dezelfde afzender-id's en dezelfde inhoud; het oorspronkelijke VaccinationId {value} wordt teruggegeven.",
      fr: "Déjà enregistré avec les mêmes identifiants d'expéditeur et le même contenu ; le VaccinationId d'origine {value} est renvoyé.",
    },
  },
  PROBABLE_DUPLICATE: {
    area: 'registry',
    severity: 'warning',
    soap: 'message',
    http: 200,
    retry: false,
    rule: 'kmehr-vaccination rule 14',
    text: {
      en: 'Stored, but probably a duplicate of vaccination {value} ({detail}).',
      nl: 'Opgeslagen, maar waarschijnlijk een dubbel van vaccinatie {value} ({detail}).',
      fr: 'Enregistré, mais probablement un doublon de la vaccination {value} ({detail}).',
    },
  },
  VACCINATION_NOT_FOUND: {
    area: 'registry',
    severity: 'error',
    soap: 'call',
    http: 404,
    retry: false,
    rule: 'wire-contracts §1',
    text: {
      en: 'No vaccination {value} exists for this patient.',
      nl: 'Er bestaat geen vaccinatie {value} voor deze patiënt.',
      fr: "Aucune vaccination {value} n'existe pour ce patient.",
    },
  },
  VACCINATION_ALREADY_REMOVED: {
    area: 'registry',
    severity: 'error',
    soap: 'call',
    http: 409,
    retry: false,
    rule: 'wire-contracts §1',
    text: {
      en: 'The vaccination {value} was already removed on {date}.',
      nl: 'De vaccinatie {value} werd al verwijderd op {date}.',
      fr: 'La vaccination {value} a déjà été supprimée le {date}.',
    },
  },
  VACCINATION_NOT_YOURS: {
    area: 'registry',
    severity: 'error',
    soap: 'call',
    http: 403,
    retry: false,
    rule: 'wire-contracts §1 (our choice)',
    text: {
      en: 'The vaccination {value} was not registered by this caller or its organisation.',
      nl: 'De vaccinatie {value} werd niet geregistreerd door deze oproeper of zijn organisatie.',
      fr: "La vaccination {value} n'a pas été enregistrée par cet appelant ou son organisation.",
    },
  },
  PERSON_CSV_INVALID: {
    area: 'registry',
    severity: 'error',
    soap: 'call',
    http: 400,
    retry: false,
    rule: 'issue 3 (person register import, our choice)',
    text: {
      en: 'The person file is not usable at {location}: {detail}.',
      nl: 'Het personenbestand is onbruikbaar bij {location}: {detail}.',
      fr: 'Le fichier des personnes est inutilisable à {location} : {detail}.',
    },
  },
  SENDER_IDS_REUSED: {
    area: 'registry',
    severity: 'error',
    soap: 'message',
    http: 409,
    retry: false,
    rule: 'kmehr-vaccination rule 14 (issue 11.1, our choice)',
    text: {
      en: "Refused: the sender ids {detail} were already used for vaccination {vaccination} with other content; nothing was stored or changed. Sender ids are unique per sender: give every message a new header/id[@S='ID-KMEHR'] and every transaction its own transaction/id[@S='LOCAL'], and resend this one under new ids (a retry of the same dose must repeat its content unchanged).",
      nl: "Geweigerd: de afzender-id's {detail} werden al gebruikt voor vaccinatie {vaccination} met een andere inhoud; er werd niets opgeslagen of gewijzigd. Afzender-id's zijn uniek per afzender: geef elk bericht een nieuwe header/id[@S='ID-KMEHR'] en elke transactie een eigen transaction/id[@S='LOCAL'], en stuur deze opnieuw onder nieuwe id's (een herhaling van dezelfde dosis herhaalt de inhoud ongewijzigd).",
      fr: "Refusé : les identifiants d'expéditeur {detail} ont déjà été utilisés pour la vaccination {vaccination} avec un autre contenu ; rien n'a été enregistré ni modifié. Les identifiants sont uniques par expéditeur : donnez à chaque message un nouveau header/id[@S='ID-KMEHR'] et à chaque transaction son propre transaction/id[@S='LOCAL'], et renvoyez celle-ci sous de nouveaux identifiants (une répétition de la même dose en reprend le contenu inchangé).",
    },
  },
} as const satisfies Record<string, StatusEntry>;
