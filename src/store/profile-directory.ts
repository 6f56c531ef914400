import type { Kysely } from 'kysely';
import type { CallerIdentity } from '../registry/caller-identity.js';
import type { BindingState } from '../registry/certificate-binding.js';
import type { ProfileDirectory } from '../registry/ports.js';
import {
  doctorKey,
  organisationKey,
  type Doctor,
  type DoctorProfile,
  type DoctorRole,
  type Organisation,
  type OrganisationProfile,
  type OrganisationType,
  type Profile,
  type SoftwareRegistration,
} from '../registry/profile.js';
import { bindingStatesOf } from './certificate-repository.js';
import type { Database, DoctorsTable, OrganisationsTable } from './database.js';

/** Profiles on SQL: the lookup port plus the operator's administration (CLI `vaccinnet admin …`, fixtures). */
export class SqlProfileDirectory implements ProfileDirectory {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A personal certificate maps to the doctor with that SSIN; an organisation certificate to its identifier. */
  async findProfile(identity: CallerIdentity): Promise<Profile | undefined> {
    if (identity.kind === 'person') {
      const row = await this.#db.selectFrom('doctors').selectAll().where('ssin', '=', identity.ssin).executeTakeFirst();
      return row ? this.#doctorProfile(row) : undefined;
    }
    const row = await this.#db
      .selectFrom('organisations')
      .selectAll()
      .where('id_type', '=', identity.idType.toUpperCase())
      .where('id_value', '=', identity.id)
      .executeTakeFirst();
    return row ? this.#organisationProfile(row) : undefined;
  }

  async findSoftwareId(softwareId: string): Promise<SoftwareRegistration | undefined> {
    const row = await this.#db.selectFrom('software_ids').selectAll().where('software_id', '=', softwareId).executeTakeFirst();
    return row ? { softwareId: row.software_id, profileKey: row.profile_key } : undefined;
  }

  /** The profile's certificate bindings (`profile_certificates`): one indexed lookup, see certificate-repository.ts. */
  findCertificateBindings(profileKey: string): Promise<readonly BindingState[]> {
    return bindingStatesOf(this.#db, profileKey);
  }

  async findDoctor(nihii: string): Promise<DoctorProfile | undefined> {
    const row = await this.#db.selectFrom('doctors').selectAll().where('nihii', '=', nihii).executeTakeFirst();
    return row ? this.#doctorProfile(row) : undefined;
  }

  async findOrganisation(idType: string, id: string): Promise<OrganisationProfile | undefined> {
    const row = await this.#db.selectFrom('organisations').selectAll().where('key', '=', organisationKey(idType, id)).executeTakeFirst();
    return row ? this.#organisationProfile(row) : undefined;
  }

  /** Adds or replaces a doctor; returns its profile key. */
  async saveDoctor(d: Doctor): Promise<string> {
    const row: DoctorsTable = {
      nihii: d.nihii,
      ssin: d.ssin,
      firstname: d.firstname,
      familyname: d.familyname,
      roles: d.roles.join(','),
      active: d.active ? 1 : 0,
    };
    await this.#db
      .insertInto('doctors')
      .values(row)
      .onConflict((oc) =>
        oc.column('nihii').doUpdateSet({ ssin: d.ssin, firstname: d.firstname, familyname: d.familyname, roles: row.roles, active: row.active }),
      )
      .execute();
    return doctorKey(d.nihii);
  }

  /** Adds or replaces an organisation; returns its profile key. */
  async saveOrganisation(o: Organisation): Promise<string> {
    const key = organisationKey(o.idType, o.id);
    const row: OrganisationsTable = {
      key,
      type: o.type,
      id_type: o.idType.toUpperCase(),
      id_value: o.id,
      name: o.name,
      user_code: o.userCode,
      active: o.active ? 1 : 0,
    };
    await this.#db
      .insertInto('organisations')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ type: o.type, name: o.name, user_code: o.userCode, active: row.active }))
      .execute();
    return key;
  }

  async setOrganisationActive(key: string, active: boolean): Promise<void> {
    await this.#db
      .updateTable('organisations')
      .set({ active: active ? 1 : 0 })
      .where('key', '=', key)
      .execute();
  }

  /** Links a doctor to an organisation as responsible doctor or (group practice) member. */
  async linkDoctor(organisationKey: string, nihii: string, relation: 'responsible' | 'member'): Promise<void> {
    await this.#db
      .insertInto('organisation_doctors')
      .values({ organisation_key: organisationKey, doctor_nihii: nihii, relation })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Links a HAIO to one of its stagemeesters. */
  async linkStagemeester(haioNihii: string, stagemeesterNihii: string): Promise<void> {
    await this.#db
      .insertInto('haio_stagemeesters')
      .values({ haio_nihii: haioNihii, stagemeester_nihii: stagemeesterNihii })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Registers a softwareID for a profile; re-registering moves it (an operator's decision). */
  async registerSoftwareId(softwareId: string, profileKey: string): Promise<void> {
    await this.#db
      .insertInto('software_ids')
      .values({ software_id: softwareId, profile_key: profileKey })
      .onConflict((oc) => oc.column('software_id').doUpdateSet({ profile_key: profileKey }))
      .execute();
  }

  async listDoctors(): Promise<readonly DoctorProfile[]> {
    const rows = await this.#db.selectFrom('doctors').selectAll().orderBy('nihii').execute();
    return Promise.all(rows.map((r) => this.#doctorProfile(r)));
  }

  async listOrganisations(): Promise<readonly OrganisationProfile[]> {
    const rows = await this.#db.selectFrom('organisations').selectAll().orderBy('key').execute();
    return Promise.all(rows.map((r) => this.#organisationProfile(r)));
  }

  async listSoftwareIds(profileKey?: string): Promise<readonly SoftwareRegistration[]> {
    let q = this.#db.selectFrom('software_ids').selectAll().orderBy('software_id');
    if (profileKey !== undefined) q = q.where('profile_key', '=', profileKey);
    const rows = await q.execute();
    return rows.map((r) => ({ softwareId: r.software_id, profileKey: r.profile_key }));
  }

  async #doctorProfile(row: DoctorsTable): Promise<DoctorProfile> {
    const links = await this.#db
      .selectFrom('haio_stagemeesters')
      .select('stagemeester_nihii')
      .where('haio_nihii', '=', row.nihii)
      .orderBy('stagemeester_nihii')
      .execute();
    const practices = await this.#db
      .selectFrom('organisation_doctors')
      .innerJoin('organisations', 'organisations.key', 'organisation_doctors.organisation_key')
      .select('organisation_doctors.organisation_key')
      .where('organisation_doctors.doctor_nihii', '=', row.nihii)
      .where('organisation_doctors.relation', '=', 'member')
      .where('organisations.type', '=', 'group-practice')
      .orderBy('organisation_doctors.organisation_key')
      .execute();
    return Object.freeze({
      kind: 'doctor',
      key: doctorKey(row.nihii),
      nihii: row.nihii,
      ssin: row.ssin,
      firstname: row.firstname,
      familyname: row.familyname,
      roles: Object.freeze(row.roles.split(',').filter(Boolean) as DoctorRole[]),
      active: row.active === 1,
      stagemeesters: Object.freeze(links.map((l) => l.stagemeester_nihii)),
      groupPractices: Object.freeze(practices.map((p) => p.organisation_key)),
    });
  }

  async #organisationProfile(row: OrganisationsTable): Promise<OrganisationProfile> {
    const links = await this.#db
      .selectFrom('organisation_doctors')
      .select(['doctor_nihii', 'relation'])
      .where('organisation_key', '=', row.key)
      .orderBy('doctor_nihii')
      .execute();
    const of = (relation: string): readonly string[] => Object.freeze(links.filter((l) => l.relation === relation).map((l) => l.doctor_nihii));
    return Object.freeze({
      kind: 'organisation',
      key: row.key,
      type: row.type as OrganisationType,
      idType: row.id_type,
      id: row.id_value,
      name: row.name,
      userCode: row.user_code,
      active: row.active === 1,
      responsibleDoctors: of('responsible'),
      members: of('member'),
    });
  }
}
