import type { Code, Content, HcParty, Item, KmehrMessage, LocalText } from './model.js';
import { formatVitalinkUri, VITALINK_URI_SL, type VitalinkAddress } from './vitalink-uri.js';
import { writeKmehr } from './write-kmehr.js';
import { zonedMoment } from './zoned-moment.js';

/**
 * One vaccination as the Vitalink read-backs carry it (`../shared/kmehr/samples/vitalink-evs/vaccination/`): the
 * fields of a stored dose a reader of the message can know. Model-only, so the writer and its reader live in
 * `src/kmehr`; the registry maps its stored `Vaccination` onto this (registry/vitalink-entries.ts).
 */
export interface VitalinkVaccination {
  readonly address: VitalinkAddress;
  /** ISO-8601 instant of the registration: the transaction's `date` + `time` (with its UTC offset). */
  readonly registeredAt: string;
  /** NIHII of the responsible doctor: a `persphysician` in the transaction author. */
  readonly responsibleNihii?: string;
  readonly product: VitalinkProduct;
  /** YYYY-MM-DD: `item/beginmoment/date`. */
  readonly administeredOn: string;
  /** `item/quantity/decimal` exactly as registered. */
  readonly quantity?: string;
  /** `item/batch`: the lot number. */
  readonly lot?: string;
}

export interface VitalinkProduct {
  /** `content/medicinalproduct/intendedcd[@S='CD-DRUG-CNK']`. */
  readonly cnk?: string;
  /** With a CNK its `intendedname`; without one an item `text` (the read-backs' product description). */
  readonly name?: string;
  /** `content/cd[@S='LOCAL'][@SL='VACCINNETCODE']`. */
  readonly vaccinnetCode?: string;
  /** `content/cd[@S='CD-ATC']`. */
  readonly atc?: string;
  /** `content/cd[@S='CD-VACCINEINDICATION']`, in order. */
  readonly indications: readonly string[];
}

/** The person as the person register knows them; absent fields are written as KMEHR's placeholders. */
export interface VitalinkPatient {
  readonly firstname?: string;
  readonly familyname?: string;
  readonly birthdate?: string;
  readonly sex?: string;
}

/**
 * Who asked: the read-backs name the reading doctor and their software (`LOCAL SL="endusersoftwareinfo"`). By
 * identifier only (a certificate's name is one free-text OU, where the read-backs carry first and family name).
 */
export type VitalinkRecipient =
  | { readonly kind: 'person'; readonly ssin: string; readonly softwareId: string }
  | { readonly kind: 'organisation'; readonly idType: string; readonly id: string; readonly softwareId: string };

export interface VitalinkMessageInput {
  readonly vaccination: VitalinkVaccination;
  readonly patient?: VitalinkPatient;
  readonly recipient: VitalinkRecipient;
  /** Unique per answer: `header/id[@S='ID-KMEHR']`. */
  readonly messageId: string;
  /** ISO-8601 instant the answer is made: the header's `date` + `time`. */
  readonly createdAt: string;
  /** The registry's zone (Europe/Brussels): local dates and times, each with its offset. */
  readonly timeZone: string;
}

/** The registry as author and sender, where the read-backs name VAZG (orgpublichealth) behind the Vitalink hub. */
export const REGISTRY_PARTY: HcParty = Object.freeze({ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'Vaccinnet' });

/** KMEHR's required names where the registry knows none (a patient outside the register, an unnamed CNK). */
export const NO_NAME = '-';

/** `endusersoftwareinfo`: how the read-backs name the reading software in the recipient. */
export const END_USER_SOFTWARE_SL = 'endusersoftwareinfo';

function cd(s: string, value: string, extra: Partial<Code> = {}): Code {
  return { s, sv: '1.0', value, ...extra };
}

function vaccineItem(v: VitalinkVaccination): Item {
  const p = v.product;
  const contents: Content[] = [];
  if (p.cnk !== undefined) {
    // medicinalproduct requires an intendedname: "-" for a CNK the reference table has no name for (as for names).
    contents.push({ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', p.cnk)], intendedname: p.name ?? NO_NAME });
  }
  const codes: Code[] = [
    ...p.indications.map((i) => cd('CD-VACCINEINDICATION', i)),
    ...(p.atc !== undefined ? [cd('CD-ATC', p.atc)] : []),
    ...(p.vaccinnetCode !== undefined ? [cd('LOCAL', p.vaccinnetCode, { sl: 'VACCINNETCODE' })] : []),
  ];
  if (codes.length > 0) contents.push({ kind: 'cd', cds: codes });
  const texts: LocalText[] = p.cnk === undefined && p.name !== undefined ? [{ l: 'nl', value: p.name }] : [];
  return {
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-ITEM', 'vaccine')],
    contents,
    texts,
    authors: [],
    beginmoment: { date: v.administeredOn },
    lifecycle: cd('CD-LIFECYCLE', 'administrated'),
    ...(v.quantity !== undefined && { quantity: { decimal: v.quantity } }),
    ...(v.lot !== undefined && { batch: v.lot }),
  };
}

function recipientParties(r: VitalinkRecipient): HcParty[] {
  const caller: HcParty =
    r.kind === 'person'
      ? { ids: [{ s: 'INSS', sv: '1.0', value: r.ssin }], cds: [cd('CD-HCPARTY', 'persphysician')] }
      : {
          // Only group practices read through RegistratieService's access (service-access.ts): their NIHII number.
          ids: [r.idType.startsWith('NIHII') ? { s: 'ID-HCPARTY', sv: '1.0', value: r.id } : { s: 'LOCAL', sv: '1.0', sl: r.idType, value: r.id }],
          cds: [cd('CD-HCPARTY', 'orgpractice')],
        };
  const software: HcParty = { ids: [{ s: 'LOCAL', sv: '1.0', sl: END_USER_SOFTWARE_SL, value: r.softwareId }], cds: [cd('CD-HCPARTY', 'application')] };
  return [caller, software];
}

/**
 * One vaccination as one KMEHR message, shaped like the Vitalink read-backs: header (the registry as sender, the
 * reader and their software as recipients), one folder with the patient, one `vaccination` transaction whose ids
 * are `ID-KMEHR 1` and the vitalinkuri, authored by the registry and the responsible doctor, holding one `vaccine`
 * item (product, date, lifecycle `administrated`, quantity, lot).
 */
export function vitalinkVaccinationMessage(input: VitalinkMessageInput): KmehrMessage {
  const v = input.vaccination;
  const created = zonedMoment(input.createdAt, input.timeZone);
  const registered = zonedMoment(v.registeredAt, input.timeZone);
  const p = input.patient ?? {};
  return {
    header: {
      // The standard version the read-backs carry (and doctors' software sends).
      standard: cd('CD-STANDARD', '20120701'),
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: input.messageId }],
      date: created.date,
      time: created.time,
      senders: [REGISTRY_PARTY],
      recipients: recipientParties(input.recipient),
    },
    folders: [
      {
        ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
        patient: {
          ids: [{ s: 'ID-PATIENT', sv: '1.0', value: v.address.ssin }],
          // personType requires a first and a family name (as GetVaccinations).
          firstnames: [p.firstname ?? NO_NAME],
          familyname: p.familyname ?? NO_NAME,
          ...(p.birthdate !== undefined && { birthdate: p.birthdate }),
          sex: cd('CD-SEX', p.sex ?? 'unknown'),
        },
        transactions: [
          {
            ids: [
              { s: 'ID-KMEHR', sv: '1.0', value: '1' },
              { s: 'LOCAL', sv: '1.0', sl: VITALINK_URI_SL, value: formatVitalinkUri(v.address) },
            ],
            cds: [cd('CD-TRANSACTION', 'vaccination')],
            date: registered.date,
            time: registered.time,
            authors: [
              REGISTRY_PARTY,
              ...(v.responsibleNihii !== undefined
                ? [{ ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: v.responsibleNihii }], cds: [cd('CD-HCPARTY', 'persphysician')] }]
                : []),
            ],
            iscomplete: true,
            isvalidated: true,
            items: [vaccineItem(v)],
            texts: [],
            links: [],
          },
        ],
      },
    ],
  };
}

/** {@link vitalinkVaccinationMessage}, written by the one KMEHR writer (write-kmehr.ts: XSD order, one escaping). */
export function writeVitalinkVaccination(input: VitalinkMessageInput): string {
  return writeKmehr(vitalinkVaccinationMessage(input));
}
