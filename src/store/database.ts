import type { Generated } from 'kysely';

/**
 * The tables, declared once (Kysely derives select/insert/update row types from these).
 *
 * Scale-out design: every patient-owned table (vaccinations, audit_log) carries `patient_insz`, the INSZ itself —
 * not a hash — as its partition / Citus distribution column. A hash would hide nothing (the INSZ is stored in the
 * same row and every query starts from it) and would cost a lookup; the INSZ is stable per person (a BIS→register
 * change is a re-registration). Primary keys and unique constraints include `patient_insz` so they remain
 * enforceable per shard.
 *
 * Portable types: dates are `YYYY-MM-DD` strings, instants ISO-8601 UTC strings, flags 0/1 integers, lists
 * comma-separated text — the same values on SQLite and PostgreSQL (pg type parsers are set to match).
 */
export interface PersonsTable {
  insz: string;
  firstname: string;
  familyname: string;
  birthdate: string | null;
  sex: string | null;
}

export interface DoctorsTable {
  nihii: string;
  ssin: string;
  firstname: string;
  familyname: string;
  /** Comma-separated DoctorRole values. */
  roles: string;
  active: number;
}

export interface HaioStagemeestersTable {
  haio_nihii: string;
  stagemeester_nihii: string;
}

export interface OrganisationsTable {
  key: string;
  type: string;
  id_type: string;
  id_value: string;
  name: string;
  user_code: string;
  active: number;
}

export interface OrganisationDoctorsTable {
  organisation_key: string;
  doctor_nihii: string;
  /** `responsible` or `member`. */
  relation: string;
}

export interface SoftwareIdsTable {
  software_id: string;
  profile_key: string;
}

export interface VaccinationsTable {
  patient_insz: string;
  id: string;
  cnk: string | null;
  product_name: string | null;
  vaccinnet_code: string | null;
  atc: string | null;
  indications: string;
  vaccine_group: string;
  administered_on: string;
  quantity: string | null;
  lot: string | null;
  /** 1 = DisableStockChange true, 0 = false, null = not sent. */
  disable_stock_change?: number | null;
  registrant_key: string;
  responsible_nihii: string | null;
  software_id: string;
  channel: string;
  sender_message_id: string | null;
  sender_local_id: string | null;
  sender_key: string;
  registered_at: string;
  status: string;
  removed_at: string | null;
  removed_by: string | null;
  removed_reason: string | null;
  item_xml: string;
  /** SHA-256 of the dose's content (registry/content-digest.ts, migration 0011); null only on rows an older registry wrote. */
  content_digest?: string | null;
}

export interface AuditLogTable {
  patient_insz: string;
  id: string;
  at: string;
  action: string;
  outcome: string;
  vaccination_id: string | null;
  actor: string;
  subject: string;
  channel: string;
  software_id: string | null;
  detail: string | null;
}

/** Consent events (migration 0013): appended, never updated. */
export interface ConsentsTable {
  patient_insz: string;
  id: string;
  state: string;
  since: string;
  recorded_by: string;
  channel: string;
}

export interface TherapeuticLinksTable {
  patient_insz: string;
  id: string;
  /** Profile key: `doctor:<NIHII>` or `org:<TYPE>:<id>`. */
  party: string;
  type: string;
  proof: string;
  start_at: string;
  end_at: string;
  declared_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface ExclusionsTable {
  patient_insz: string;
  id: string;
  party: string;
  since: string;
  recorded_by: string;
  lifted_at: string | null;
  lifted_by: string | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  /** queued | running | done | failed */
  status: string;
  attempts: Generated<number>;
  locked_by: string | null;
  locked_at: string | null;
  run_after: string;
  created_at: string;
  result: string | null;
}

export interface Database {
  persons: PersonsTable;
  doctors: DoctorsTable;
  haio_stagemeesters: HaioStagemeestersTable;
  organisations: OrganisationsTable;
  organisation_doctors: OrganisationDoctorsTable;
  software_ids: SoftwareIdsTable;
  vaccinations: VaccinationsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  consents: ConsentsTable;
  therapeutic_links: TherapeuticLinksTable;
  exclusions: ExclusionsTable;
}
