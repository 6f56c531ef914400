import type { CallerIdentity, OrganisationIdentity, PersonIdentity } from './caller-identity.js';
import type { Person } from './person.js';
import { doctorKey, organisationKey, type Doctor, type Organisation } from './profile.js';

/**
 * The persona cast of the registry stories (style.md "Stories with personas") and of `serve --demo`, which seeds it:
 * production code, so not in a testing folder. Every identifier has valid check digits. Fixed values on purpose:
 * each test gets its own database (SQLite file / PostgreSQL schema).
 */
export const PATIENTS = Object.freeze({
  /** The message builder's default patient: 1985-07-14, male. */
  jan: Object.freeze({ insz: '85071412330', firstname: 'Jan', familyname: 'Vermeulen', birthdate: '1985-07-14', sex: 'male' } satisfies Person),
  /** Born 2021-06-30: a vaccination dated before that is refused. */
  lotte: Object.freeze({ insz: '21063004453', firstname: 'Lotte', familyname: 'De Smet', birthdate: '2021-06-30', sex: 'female' } satisfies Person),
  /** 2006-07-05, female. */
  emma: Object.freeze({ insz: '06070500252', firstname: 'Emma', familyname: 'Willems', birthdate: '2006-07-05', sex: 'female' } satisfies Person),
});

/** A valid INSZ (1995-10-10) that is NOT in the person register. */
export const UNREGISTERED_INSZ = '95101005561';

function doctor(nihii: string, ssin: string, firstname: string, familyname: string, roles: Doctor['roles'], active = true): Doctor {
  return Object.freeze({ nihii, ssin, firstname, familyname, roles: Object.freeze(roles), active });
}

export const DOCTORS = Object.freeze({
  /** Dr. An Peeters, GP in private practice; the message builder's default sender. */
  peeters: doctor('14700250004', '70031510167', 'An', 'Peeters', ['doctor']),
  /** Dr. Koen Maes, stagemeester of HAIO Janssens. */
  maes: doctor('11478761004', '75110220232', 'Koen', 'Maes', ['doctor', 'stagemeester']),
  /** Sofie Janssens, HAIO linked to Dr. Maes. */
  janssens: doctor('12345625005', '88052130377', 'Sofie', 'Janssens', ['haio']),
  /** Tom Wuyts, HAIO with no stagemeester yet. */
  wuyts: doctor('23456776006', '90080940510', 'Tom', 'Wuyts', ['haio']),
  /** Dr. Els Claes, another stagemeester (not linked to Janssens) — and a stranger to Peeters' patients. */
  claes: doctor('19876585003', '66013010795', 'Els', 'Claes', ['doctor', 'stagemeester']),
  /** Dr. Pieter Wouters, responsible doctor of AZ Groeninge. */
  wouters: doctor('17654394001', '80122420959', 'Pieter', 'Wouters', ['doctor']),
  /** Dr. Lien Goossens, member of the group practice De Linde. */
  goossens: doctor('16543250004', '92022931186', 'Lien', 'Goossens', ['doctor']),
});

function organisation(type: Organisation['type'], idType: string, id: string, name: string, userCode: string, active = true): Organisation {
  return Object.freeze({ type, idType, id, name, userCode, active });
}

export const ORGANISATIONS = Object.freeze({
  /** AZ Groeninge hospital, responsible doctor Wouters; uses BatchUpload. */
  azGroeninge: organisation('hospital', 'NIHII-HOSPITAL', '71000436', 'AZ GROENINGE', 'AZGRON01'),
  /** Group practice De Linde with members Peeters and Goossens; calls RegistratieService. */
  deLinde: organisation('group-practice', 'NIHII-GROUP_DOCTORS', '71000535', 'HUISARTSENPRAKTIJK DE LINDE', 'DELINDE01'),
  /** A vaccination centre registered without a responsible doctor. */
  centrumKortrijk: organisation('vaccination-centre', 'CBE', '0314595348', 'VACCINATIECENTRUM KORTRIJK', 'VCKORT01'),
  /** An occupational health service whose profile was deactivated. */
  idewe: organisation('occupational-health', 'CBE', '0878065378', 'ARBEIDSGENEESKUNDIGE DIENST', 'ADIENST01', false),
});

/** softwareIDs registered per profile (identity.md §3). */
export const SOFTWARE_IDS = Object.freeze({
  peeters: 'taktik_medispring',
  maes: 'corilus_careconnect',
  janssens: 'healthone_huisarts',
  wuyts: 'healthone_haio',
  claes: 'mediris_gp',
  azGroeninge: 'dxc_vaccinnet_azgroeninge',
  deLinde: 'cegeka_promed_delinde',
  centrumKortrijk: 'dxc_vaccinnet_kortrijk',
  idewe: 'dxc_vaccinnet_adienst',
});

/** The certificate identity each persona's PKI adapter would produce. */
export function personIdentity(d: Doctor): PersonIdentity {
  const name = `${d.firstname} ${d.familyname}`;
  return Object.freeze({
    kind: 'person',
    ssin: d.ssin,
    name,
    subject: `CN="SSIN=${d.ssin}", OU=eHealth-platform Belgium, OU=${name}, OU="SSIN=${d.ssin}", O=Federal Government, C=BE`,
    fingerprint: `FP-${d.nihii}`,
  });
}

export function organisationIdentity(o: Organisation, application = 'VACCINNET'): OrganisationIdentity {
  return Object.freeze({
    kind: 'organisation',
    idType: o.idType,
    id: o.id,
    application,
    name: o.name,
    subject: `CN="${o.idType}=${o.id}, ${application}", OU=eHealth-platform Belgium, OU=${o.name}, OU="${o.idType}=${o.id}", OU=${application}, O=Federal Government, C=BE`,
    fingerprint: `FP-${o.idType}-${o.id}`,
  });
}

export const IDENTITIES = Object.freeze({
  peeters: personIdentity(DOCTORS.peeters),
  maes: personIdentity(DOCTORS.maes),
  janssens: personIdentity(DOCTORS.janssens),
  wuyts: personIdentity(DOCTORS.wuyts),
  claes: personIdentity(DOCTORS.claes),
  wouters: personIdentity(DOCTORS.wouters),
  goossens: personIdentity(DOCTORS.goossens),
  azGroeninge: organisationIdentity(ORGANISATIONS.azGroeninge),
  deLinde: organisationIdentity(ORGANISATIONS.deLinde),
  centrumKortrijk: organisationIdentity(ORGANISATIONS.centrumKortrijk),
  idewe: organisationIdentity(ORGANISATIONS.idewe),
  /** A doctor certificate with no Vaccinnet profile at all. */
  stranger: personIdentity(doctor('10000000000', '72022102793', 'Nobody', 'Known', ['doctor'])),
} satisfies Record<string, CallerIdentity>);

/** The admin operations the seeding needs; `Store` (src/store) provides them. */
export interface PersonaAdmin {
  readonly persons: { upsertPersons(persons: readonly Person[]): Promise<void> };
  readonly profiles: {
    saveDoctor(d: Doctor): Promise<string>;
    saveOrganisation(o: Organisation): Promise<string>;
    linkDoctor(organisationKey: string, nihii: string, relation: 'responsible' | 'member'): Promise<void>;
    linkStagemeester(haioNihii: string, stagemeesterNihii: string): Promise<void>;
    registerSoftwareId(softwareId: string, profileKey: string): Promise<void>;
  };
}

/**
 * Seeds the whole cast: persons, doctors (HAIO Janssens → stagemeester Maes), organisations (AZ Groeninge with
 * responsible doctor Wouters, group practice De Linde with Peeters and Goossens, Kortrijk without a responsible
 * doctor, an inactive one) and every softwareID.
 * @param admin - a store (or anything with the same admin methods)
 */
export async function seedPersonas(admin: PersonaAdmin): Promise<void> {
  await admin.persons.upsertPersons(Object.values(PATIENTS));
  for (const d of Object.values(DOCTORS)) await admin.profiles.saveDoctor(d);
  await admin.profiles.linkStagemeester(DOCTORS.janssens.nihii, DOCTORS.maes.nihii);
  for (const o of Object.values(ORGANISATIONS)) await admin.profiles.saveOrganisation(o);
  const az = organisationKey(ORGANISATIONS.azGroeninge.idType, ORGANISATIONS.azGroeninge.id);
  const linde = organisationKey(ORGANISATIONS.deLinde.idType, ORGANISATIONS.deLinde.id);
  const idewe = organisationKey(ORGANISATIONS.idewe.idType, ORGANISATIONS.idewe.id);
  await admin.profiles.linkDoctor(az, DOCTORS.wouters.nihii, 'responsible');
  await admin.profiles.linkDoctor(linde, DOCTORS.peeters.nihii, 'responsible');
  await admin.profiles.linkDoctor(linde, DOCTORS.peeters.nihii, 'member');
  await admin.profiles.linkDoctor(linde, DOCTORS.goossens.nihii, 'member');
  await admin.profiles.linkDoctor(idewe, DOCTORS.wouters.nihii, 'responsible');
  for (const name of ['peeters', 'maes', 'janssens', 'wuyts', 'claes'] as const) {
    await admin.profiles.registerSoftwareId(SOFTWARE_IDS[name], doctorKey(DOCTORS[name].nihii));
  }
  for (const name of ['azGroeninge', 'deLinde', 'centrumKortrijk', 'idewe'] as const) {
    const o = ORGANISATIONS[name];
    await admin.profiles.registerSoftwareId(SOFTWARE_IDS[name], organisationKey(o.idType, o.id));
  }
}
