import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { AuditFor } from '../registry/ports.js';
import { probableDuplicateOf } from '../registry/rules/probable-duplicate.js';
import type { NewVaccination } from '../registry/vaccination.js';
import { bulkRegistrationStore } from './bulk-registration-store.js';
import type { BatchTrx } from './delivery-repository.js';
import { testEngines } from './testing/test-engines.js';

/**
 * Rule 14's warning half has one definition (registry/rules/probable-duplicate.ts); the single-call store finds it
 * in SQL inside its write transaction. This drives both over the same stored doses — two patients, two groups, two
 * dates, two registrants, registration times with ties, removals and replays — and asserts the SQL picks the dose
 * the definition picks, every time, on both engines.
 */

const PATIENTS = ['85071412330', '21063004453'];
const GROUPS = ['COVID-19', 'INFLUENZA'];
const DATES = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06'];
const REGISTRANTS = ['doctor:14700250004', 'organisation:NIHII-HOSPITAL:71000436'];
const TIMES = ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:01.000Z', '2026-01-01T10:00:02.000Z'];

/** A small deterministic generator: the same sequence on every run and engine. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const audit: AuditFor = (stored, inserted) =>
  ({
    id: randomUUID(),
    at: stored.registeredAt,
    patientInsz: stored.patientInsz,
    action: inserted ? 'register' : 'replay',
    outcome: 'OK',
    vaccinationId: stored.id,
    actor: stored.registrantKey,
    subject: 'test',
    channel: 'registratie',
  }) satisfies NewAuditEntry;

describe.each(testEngines())('the probable-duplicate rule and its SQL agree on $name', (engine) => {
  it('over 150 doses with ties, removals and replays', async () => {
    const store = await engine.open();
    try {
      const pick = generator(42);
      const one = <T>(list: readonly T[]): T => list[Math.floor(pick() * list.length)]!;
      // Unique per run: a PostgreSQL test database may hold an earlier run's doses (they are candidates to both sides alike).
      const run = randomBytes(8).toString('hex').toUpperCase();
      const keys: string[] = [];
      let checked = 0;
      let found = 0;
      for (let n = 0; n < 150; n++) {
        const patientInsz = one(PATIENTS);
        // Now and then the same sender key again (a replay: nothing is inserted) or a removal of an earlier dose.
        const senderKey = keys.length > 0 && pick() < 0.1 ? one(keys) : `local:UUID:${run}-${n}`;
        keys.push(senderKey);
        const dose: NewVaccination = {
          id: `${run}${(n + 1).toString(16).toUpperCase().padStart(16, '0')}`,
          patientInsz,
          product: { indications: [], group: one(GROUPS) },
          administeredOn: one(DATES),
          registrantKey: one(REGISTRANTS),
          softwareId: 'test',
          channel: 'registratie',
          senderKey,
          registeredAt: one(TIMES),
          itemXml: `<item n="${n}"/>`,
        };
        const candidates = await store.db
          .transaction()
          .execute((trx) => bulkRegistrationStore(trx as unknown as BatchTrx, store.capabilities).activeDosesOf([patientInsz]));
        const expected = probableDuplicateOf({ ...dose, group: dose.product.group }, candidates);
        const result = await store.vaccinations.insertVaccination(dose, audit);
        if (!result.inserted) continue;
        checked += 1;
        if (expected) found += 1;
        expect(result.sameDose?.id, `dose ${n}`).toBe(expected?.id);
        if (pick() < 0.15) {
          await store.vaccinations.removeVaccination(
            patientInsz,
            dose.id,
            { at: dose.registeredAt, by: 'test' },
            { ...audit(result.vaccination, true), action: 'remove', id: randomUUID() },
          );
        }
      }
      // Enough of both outcomes for the agreement to mean something.
      expect(checked).toBeGreaterThan(100);
      expect(found).toBeGreaterThan(30);
      expect(checked - found).toBeGreaterThan(10);
    } finally {
      await store.close();
    }
  });
});
