import type { Kysely } from 'kysely';
import type {
  AccessChannel,
  AccessFacts,
  ConsentEvent,
  ConsentState,
  Exclusion,
  LinkProof,
  LinkType,
  TherapeuticLink,
} from '../registry/access/access-model.js';
import type { AccessChange, AccessStore } from '../registry/ports.js';
import type { ConsentsTable, Database, ExclusionsTable, TherapeuticLinksTable } from './database.js';

/**
 * The access model on SQL (tables of migration 0013), the same statements on SQLite and PostgreSQL. Each look-up
 * starts from the person's INSZ, the leading column of every primary key.
 */
export class SqlAccessStore implements AccessStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async accessFacts(patientInsz: string, parties: readonly string[], at: string): Promise<AccessFacts> {
    const [consent, links, exclusions] = await Promise.all([
      this.#db
        .selectFrom('consents')
        .selectAll()
        .where('patient_insz', '=', patientInsz)
        .where('since', '<=', at)
        .orderBy('since', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
      parties.length === 0
        ? []
        : this.#db.selectFrom('therapeutic_links').selectAll().where('patient_insz', '=', patientInsz).where('party', 'in', parties).execute(),
      parties.length === 0 ? [] : this.#db.selectFrom('exclusions').selectAll().where('patient_insz', '=', patientInsz).where('party', 'in', parties).execute(),
    ]);
    return { ...(consent && { consent: toConsent(consent) }), links: links.map(toLink), exclusions: exclusions.map(toExclusion) };
  }

  async appendConsent(e: ConsentEvent): Promise<void> {
    await this.#db
      .insertInto('consents')
      .values({ patient_insz: e.patientInsz, id: e.id, state: e.state, since: e.since, recorded_by: e.recordedBy, channel: e.channel })
      .execute();
  }

  async consentHistory(patientInsz: string): Promise<readonly ConsentEvent[]> {
    const rows = await this.#db.selectFrom('consents').selectAll().where('patient_insz', '=', patientInsz).orderBy('since').orderBy('id').execute();
    return rows.map(toConsent);
  }

  async addLink(l: TherapeuticLink): Promise<void> {
    await this.#db
      .insertInto('therapeutic_links')
      .values({
        patient_insz: l.patientInsz,
        id: l.id,
        party: l.party,
        type: l.type,
        proof: l.proof,
        start_at: l.start,
        end_at: l.end,
        declared_by: l.declaredBy,
        revoked_at: l.revokedAt ?? null,
        revoked_by: l.revokedBy ?? null,
      })
      .execute();
  }

  async endLink(patientInsz: string, id: string, at: string, by: string): Promise<AccessChange<TherapeuticLink>> {
    // One conditional update decides: two operators ending the same link cannot both succeed.
    const row = await this.#db
      .updateTable('therapeutic_links')
      .set({ revoked_at: at, revoked_by: by })
      .where('patient_insz', '=', patientInsz)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return { changed: true, row: toLink(row) };
    const existing = await this.#db.selectFrom('therapeutic_links').selectAll().where('patient_insz', '=', patientInsz).where('id', '=', id).executeTakeFirst();
    return existing ? { changed: false, row: toLink(existing) } : { changed: false };
  }

  async links(patientInsz: string): Promise<readonly TherapeuticLink[]> {
    const rows = await this.#db.selectFrom('therapeutic_links').selectAll().where('patient_insz', '=', patientInsz).orderBy('start_at').orderBy('id').execute();
    return rows.map(toLink);
  }

  async addExclusion(e: Exclusion): Promise<void> {
    await this.#db
      .insertInto('exclusions')
      .values({
        patient_insz: e.patientInsz,
        id: e.id,
        party: e.party,
        since: e.since,
        recorded_by: e.recordedBy,
        lifted_at: e.liftedAt ?? null,
        lifted_by: e.liftedBy ?? null,
      })
      .execute();
  }

  async liftExclusion(patientInsz: string, id: string, at: string, by: string): Promise<AccessChange<Exclusion>> {
    const row = await this.#db
      .updateTable('exclusions')
      .set({ lifted_at: at, lifted_by: by })
      .where('patient_insz', '=', patientInsz)
      .where('id', '=', id)
      .where('lifted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (row) return { changed: true, row: toExclusion(row) };
    const existing = await this.#db.selectFrom('exclusions').selectAll().where('patient_insz', '=', patientInsz).where('id', '=', id).executeTakeFirst();
    return existing ? { changed: false, row: toExclusion(existing) } : { changed: false };
  }

  async exclusions(patientInsz: string): Promise<readonly Exclusion[]> {
    const rows = await this.#db.selectFrom('exclusions').selectAll().where('patient_insz', '=', patientInsz).orderBy('since').orderBy('id').execute();
    return rows.map(toExclusion);
  }
}

function toConsent(r: ConsentsTable): ConsentEvent {
  return {
    patientInsz: r.patient_insz,
    id: r.id,
    state: r.state as ConsentState,
    since: r.since,
    recordedBy: r.recorded_by,
    channel: r.channel as AccessChannel,
  };
}

function toLink(r: TherapeuticLinksTable): TherapeuticLink {
  return {
    patientInsz: r.patient_insz,
    id: r.id,
    party: r.party,
    type: r.type as LinkType,
    proof: r.proof as LinkProof,
    start: r.start_at,
    end: r.end_at,
    declaredBy: r.declared_by,
    ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
    ...(r.revoked_by !== null && { revokedBy: r.revoked_by }),
  };
}

function toExclusion(r: ExclusionsTable): Exclusion {
  return {
    patientInsz: r.patient_insz,
    id: r.id,
    party: r.party,
    since: r.since,
    recordedBy: r.recorded_by,
    ...(r.lifted_at !== null && { liftedAt: r.lifted_at }),
    ...(r.lifted_by !== null && { liftedBy: r.lifted_by }),
  };
}
