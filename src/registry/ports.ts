import type { AccessFacts, ConsentEvent, Exclusion, TherapeuticLink } from './access/access-model.js';
import type { AuditEntry, NewAuditEntry } from './audit-entry.js';
import type { CallerIdentity } from './caller-identity.js';
import type { BindingState } from './certificate-binding.js';
import type { DigestedDose } from './content-digest.js';
import type { RegisteredPatient } from './patient-data.js';
import type { Person } from './person.js';
import type { Profile, SoftwareRegistration } from './profile.js';
import type { StoredDoseKey } from './rules/probable-duplicate.js';
import type { NewVaccination, Removal, Vaccination, VaccinationStatus } from './vaccination.js';

/** Looks up the person register (identity.md §5). */
export interface PersonRegister {
  findPerson(insz: string): Promise<Person | undefined>;
}

/** Maps a certificate identity to its profile, and softwareIDs to their owner (identity.md §1, §3). */
export interface ProfileDirectory {
  findProfile(identity: CallerIdentity): Promise<Profile | undefined>;
  findSoftwareId(softwareId: string): Promise<SoftwareRegistration | undefined>;
  /** Every certificate bound to the profile, revoked ones included (empty: any trusted certificate of its identifier). */
  findCertificateBindings(profileKey: string): Promise<readonly BindingState[]>;
}

/**
 * A dose's probable duplicate (rule 14): the earliest registered active vaccination of the same patient, vaccine group
 * and administration date under other sender ids (another registrant, or the same one with other ids).
 */
export interface SameDose {
  readonly id: string;
  readonly registrantKey: string;
}

/**
 * The audit row of a dose, once the store knows whether it inserted it and what its probable duplicate is. When
 * it did not insert it (`inserted: false`, `stored` is the earlier row under the same sender ids), `offered` is the
 * dose that was sent: the row says whether that was a replay or other content under reused ids (issue 11.1).
 */
export type AuditFor = (stored: Vaccination, inserted: boolean, sameDose?: SameDose, offered?: NewVaccination) => NewAuditEntry;

/**
 * Result of an insert-or-return-existing: `inserted: false` means a record with the same sender ids exists (the
 * caller compares its content with the offered dose's: content-digest.ts `sameContent`);
 * `sameDose` names the probable duplicate of an inserted dose.
 */
export type InsertResult =
  | { readonly inserted: true; readonly vaccination: Vaccination; readonly sameDose?: SameDose }
  | { readonly inserted: false; readonly vaccination: Vaccination };

export type RemoveResult = { readonly removed: true; readonly vaccination: Vaccination } | { readonly removed: false; readonly vaccination?: Vaccination };

/** Stored vaccinations. Every lookup names the patient: the key a scaled-out database is distributed by. */
export interface VaccinationStore {
  /**
   * Inserts the vaccination and its audit row in one transaction, or — when the same (patient, registrant,
   * senderKey) is already stored — inserts nothing and returns the existing record. A unique constraint decides,
   * so concurrent submissions of the same message store exactly one row. The store also finds the dose's probable
   * duplicate (`SameDose`) and hands it to `audit`, so the audit row stored with the dose names it. On SQLite that
   * look-up runs in the inserting transaction (under the write lock): registrations of the same dose see each
   * other whatever their timing, the earlier doses of the same request included. On PostgreSQL it reads just
   * before the insert (READ COMMITTED): two submissions of the same dose committing at the same moment may both
   * miss the other (only a warning is at stake).
   */
  insertVaccination(v: NewVaccination, audit: AuditFor): Promise<InsertResult>;
  /** Bulk path for batches: same semantics as insertVaccination per element, fewer round trips. */
  insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]>;
  getVaccination(patientInsz: string, id: string): Promise<Vaccination | undefined>;
  /** Marks an active vaccination removed and writes the audit row in one transaction; `removed: false` if it was not active. */
  removeVaccination(patientInsz: string, id: string, removal: Removal, audit: NewAuditEntry): Promise<RemoveResult>;
  /** Active vaccinations, ordered by administration date, optionally from `since` (YYYY-MM-DD) on. */
  history(patientInsz: string, since?: string): Promise<readonly Vaccination[]>;
  /** The patient a vaccination id belongs to, and whether it is still active (FHIR reads by id); undefined if unknown. */
  patientOf(id: string): Promise<{ readonly patientInsz: string; readonly status: VaccinationStatus } | undefined>;
}

/** A dose found stored under a sender key offered again: what the sender-ids verdict (rule 14) compares. */
export interface StoredUnderSenderKey extends DigestedDose {
  readonly id: string;
  readonly senderKey: string;
  /** Absent on rows an older registry wrote: the verdict then computes it from the columns. */
  readonly contentDigest?: string;
}

/**
 * The set-based store the bulk registration (register-slice.ts) runs against: one query per slice of transactions,
 * not one per transaction. Every call runs inside the one database transaction of the slice (the batch channel
 * opens it and commits the slice's results in it too): a crash leaves all of a slice or none of it.
 */
export interface BulkRegistrationStore {
  /** The register's entries of these INSZs (absent ones are not in the register). */
  personsOf(inszs: readonly string[]): Promise<ReadonlyMap<string, RegisteredPatient>>;
  /** Active vaccinations of these patients: the probable-duplicate candidates. */
  activeDosesOf(inszs: readonly string[]): Promise<readonly StoredDoseKey[]>;
  /** Active vaccinations of one registrant under these sender keys (any patient): what a supplement replaces. */
  activeUnderSenderKeys(registrantKey: string, senderKeys: readonly string[]): Promise<readonly StoredDoseKey[]>;
  /** Removes the doses logically and frees their sender keys, so their replacements can be stored under them. */
  supersede(doses: readonly StoredDoseKey[], by: string, at: string, reason: string): Promise<void>;
  /**
   * Insert-or-skip on (patient, registrant, sender key), status active: per dose, whether it was inserted (a
   * unique constraint decides, as in `VaccinationStore.insertVaccination`).
   */
  insertOrSkip(doses: readonly NewVaccination[]): Promise<readonly boolean[]>;
  /** Vaccinations of one registrant stored under these sender keys (any patient, any status). */
  storedUnderSenderKeys(registrantKey: string, senderKeys: readonly string[]): Promise<readonly StoredUnderSenderKey[]>;
  appendAudit(entries: readonly NewAuditEntry[]): Promise<void>;
}

/** What ending a link or lifting an exclusion did: `changed: false` when it was unknown (`row` absent) or already ended. */
export type AccessChange<T> = { readonly changed: true; readonly row: T } | { readonly changed: false; readonly row?: T };

/**
 * Consent, therapeutic links and exclusions (issue 13, access/access-model.ts). Every call names the person: the key
 * the tables are distributed by. Consent events are only ever appended; links and exclusions are ended, not edited.
 */
export interface AccessStore {
  /**
   * What the read rule needs about one person, in one call: the latest consent event at or before `at`, and the links
   * and exclusions naming one of `parties` (all of them: the rule judges validity).
   */
  accessFacts(patientInsz: string, parties: readonly string[], at: string): Promise<AccessFacts>;
  appendConsent(event: ConsentEvent): Promise<void>;
  /** Oldest first. */
  consentHistory(patientInsz: string): Promise<readonly ConsentEvent[]>;
  addLink(link: TherapeuticLink): Promise<void>;
  /** Sets `revokedAt`/`revokedBy` of a link not yet revoked. */
  endLink(patientInsz: string, id: string, at: string, by: string): Promise<AccessChange<TherapeuticLink>>;
  /** Every link of the person, ended ones included, by start. */
  links(patientInsz: string): Promise<readonly TherapeuticLink[]>;
  addExclusion(exclusion: Exclusion): Promise<void>;
  liftExclusion(patientInsz: string, id: string, at: string, by: string): Promise<AccessChange<Exclusion>>;
  exclusions(patientInsz: string): Promise<readonly Exclusion[]>;
}

/** Append-only audit log, queryable per person. */
export interface AuditLog {
  append(entry: NewAuditEntry): Promise<void>;
  forPerson(patientInsz: string): Promise<readonly AuditEntry[]>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new VaccinationId: 32 upper-case hex characters. */
  vaccinationId(): string;
  /** A new unique id for an audit row. */
  auditId(): string;
  /** A new id for a consent event, therapeutic link or exclusion: short enough to type, unique per person. */
  accessId(): string;
}
