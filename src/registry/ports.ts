import type { AuditEntry, NewAuditEntry } from './audit-entry.js';
import type { CallerIdentity } from './caller-identity.js';
import type { BindingState } from './certificate-binding.js';
import type { Person } from './person.js';
import type { Profile, SoftwareRegistration } from './profile.js';
import type { NewVaccination, Removal, Vaccination } from './vaccination.js';

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

/** Result of an insert-or-return-existing: `inserted: false` means a record with the same sender ids exists. */
export type InsertResult =
  | { readonly inserted: true; readonly vaccination: Vaccination }
  | { readonly inserted: false; readonly vaccination: Vaccination };

export type RemoveResult =
  | { readonly removed: true; readonly vaccination: Vaccination }
  | { readonly removed: false; readonly vaccination?: Vaccination };

/** Stored vaccinations. Every lookup names the patient: the key a scaled-out database is distributed by. */
export interface VaccinationStore {
  /**
   * Inserts the vaccination and its audit row in one transaction, or — when the same (patient, registrant,
   * senderKey) is already stored — inserts nothing and returns the existing record. A unique constraint decides,
   * so concurrent submissions of the same message store exactly one row.
   */
  insertVaccination(v: NewVaccination, audit: (stored: Vaccination, inserted: boolean) => NewAuditEntry): Promise<InsertResult>;
  /** Bulk path for batches: same semantics as insertVaccination per element, fewer round trips. */
  insertVaccinations(
    vs: readonly NewVaccination[],
    audit: (stored: Vaccination, inserted: boolean) => NewAuditEntry,
  ): Promise<readonly InsertResult[]>;
  /** Active vaccinations of the patient with this group and date (probable-duplicate candidates, rule 14). */
  findSameDose(patientInsz: string, group: string, administeredOn: string): Promise<readonly Vaccination[]>;
  getVaccination(patientInsz: string, id: string): Promise<Vaccination | undefined>;
  /** Marks an active vaccination removed and writes the audit row in one transaction; `removed: false` if it was not active. */
  removeVaccination(patientInsz: string, id: string, removal: Removal, audit: NewAuditEntry): Promise<RemoveResult>;
  /** Active vaccinations, ordered by administration date, optionally from `since` (YYYY-MM-DD) on. */
  history(patientInsz: string, since?: string): Promise<readonly Vaccination[]>;
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
}
