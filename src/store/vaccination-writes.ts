import type { AuditFor, InsertResult } from '../registry/ports.js';
import type { NewVaccination } from '../registry/vaccination.js';
import type { AuditLogTable, VaccinationsTable } from './database.js';

/**
 * How an engine stores registrations (sqlite/ and postgres/ `vaccination-writes.ts`): the insert half of
 * `VaccinationStore`, with the idempotency rule on SqlVaccinationStore (vaccination-repository.ts).
 */
export interface VaccinationWrites {
  /** At least one dose; a result per dose, in order. */
  insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]>;
  /** Writes what is waiting and waits for what is in flight (before the connections close). */
  drain(): Promise<void>;
}

/** The sender key's unique constraint deciding who stores a dose, in hand-written inserts. */
export const SENDER_CONFLICT = 'on conflict (patient_insz, registrant_key, sender_key) do nothing';

/** Bind values in column order; absent optional columns bind as NULL (drivers refuse `undefined`). */
export function values(row: VaccinationsTable | AuditLogTable): unknown[] {
  return Object.values(row).map((x) => x ?? null);
}
