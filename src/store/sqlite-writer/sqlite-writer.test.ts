import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../../registry/audit-entry.js';
import type { SameDose } from '../../registry/ports.js';
import type { NewVaccination, Vaccination } from '../../registry/vaccination.js';
import { auditRow, vaccinationRow } from '../rows.js';
import { testEngines } from '../testing/test-engines.js';
import { SqliteWriter } from './sqlite-writer.js';

const sqlite = testEngines().find((e) => e.name === 'sqlite');

function dose(n: number, overrides: Partial<NewVaccination> = {}): NewVaccination {
  return {
    id: `${n.toString(16).toUpperCase().padStart(32, '0')}`,
    patientInsz: '85071412330',
    product: { cnk: '4293254', name: 'COMIRNATY', atc: 'J07BX03', indications: ['covid19'], group: 'COVID-19' },
    administeredOn: `2024-03-${String(1 + (n % 28)).padStart(2, '0')}`,
    lot: 'FK1234',
    registrantKey: 'doctor:14700250004',
    softwareId: 'taktik_medispring',
    channel: 'registratie',
    senderMessageId: `m-${n}`,
    senderKey: `kmehr:m-${n}:0:0`,
    registeredAt: new Date().toISOString(),
    itemXml: '<item/>',
    ...overrides,
  };
}

const audit = (stored: Vaccination, inserted: boolean): NewAuditEntry => ({
  id: randomUUID(),
  at: new Date().toISOString(),
  patientInsz: stored.patientInsz,
  action: inserted ? 'register' : 'replay',
  outcome: inserted ? 'OK' : 'DUPLICATE_REPLAY',
  vaccinationId: stored.id,
  actor: stored.registrantKey,
  subject: 'CN=test',
  channel: 'registratie',
});

describe.runIf(sqlite)('SQLite group commit on the write thread', () => {
  it('one failing dose fails alone: the others of the same group are stored and answered', async () => {
    const store = await sqlite!.open();
    try {
      // A NULL item_xml breaks a NOT NULL constraint inside the shared transaction.
      const bad = dose(2, { itemXml: null as unknown as string });
      const outcomes = await Promise.allSettled([dose(1), bad, dose(3)].map((v) => store.vaccinations.insertVaccination(v, audit)));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
      const ids = (await store.vaccinations.history('85071412330')).map((v) => v.id).sort();
      expect(ids).toEqual([dose(1).id, dose(3).id]);
      expect((await store.audit.forPerson('85071412330')).map((a) => a.action)).toEqual(['register', 'register']);
    } finally {
      await store.close();
    }
  });

  it('the same dose twice in one group is stored once; the second answer names the first and is audited as a replay', async () => {
    const store = await sqlite!.open();
    try {
      const first = dose(7);
      const again = { ...dose(7), id: 'F'.repeat(32) };
      const [a, b] = await Promise.all([store.vaccinations.insertVaccination(first, audit), store.vaccinations.insertVaccination(again, audit)]);
      expect([a.inserted, b.inserted]).toEqual([true, false]);
      expect(b.vaccination.id).toBe(first.id);
      expect(await store.vaccinations.history('85071412330')).toHaveLength(1);
      const entries = await store.audit.forPerson('85071412330');
      expect(entries.map((e) => [e.action, e.vaccinationId]).sort()).toEqual([
        ['register', first.id],
        ['replay', first.id],
      ]);
    } finally {
      await store.close();
    }
  });

  it('doses of the same patient, group and date in one group: the later ones are written with an audit row naming the first', async () => {
    const store = await sqlite!.open();
    try {
      const named = (stored: Vaccination, inserted: boolean, sameDose?: SameDose): NewAuditEntry => ({
        ...audit(stored, inserted),
        ...(sameDose && { outcome: 'PROBABLE_DUPLICATE', detail: sameDose.id }),
      });
      const same = { administeredOn: '2024-03-05' };
      const doses = [dose(31, same), dose(32, same), dose(33, { ...same, registrantKey: 'doctor:19876585003' })];
      const results = await Promise.all(doses.map((v) => store.vaccinations.insertVaccination(v, named)));
      expect(results.map((r) => r.inserted)).toEqual([true, true, true]);
      expect(results.map((r) => (r.inserted ? r.sameDose : undefined))).toEqual([
        undefined,
        { id: doses[0]!.id, registrantKey: 'doctor:14700250004' },
        { id: doses[0]!.id, registrantKey: 'doctor:14700250004' },
      ]);
      const entries = await store.audit.forPerson('85071412330');
      expect(entries.map((e) => [e.vaccinationId, e.outcome, e.detail]).sort()).toEqual([
        [doses[0]!.id, 'OK', undefined],
        [doses[1]!.id, 'PROBABLE_DUPLICATE', doses[0]!.id],
        [doses[2]!.id, 'PROBABLE_DUPLICATE', doses[0]!.id],
      ]);
    } finally {
      await store.close();
    }
  });

  it('groups queued behind a commit share the next transaction, and a failing one fails alone', async () => {
    const store = await sqlite!.open();
    const writer = new SqliteWriter(sqlite!.lastUrl().slice('sqlite:'.length));
    try {
      const columns = Object.keys(vaccinationRow(dose(0)));
      const auditColumns = Object.keys(auditRow(audit({ ...dose(0), status: 'active' }, true)));
      const at = (c: string): number => columns.indexOf(c);
      const texts = {
        insertSql: `insert into vaccinations (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (patient_insz, registrant_key, sender_key) do nothing returning id`,
        auditSql: `insert into audit_log (${auditColumns.join(', ')}) values (${auditColumns.map(() => '?').join(', ')})`,
        bySenderSql: 'select * from vaccinations where patient_insz = ? and registrant_key = ? and sender_key = ?',
        bySenderParams: [at('patient_insz'), at('registrant_key'), at('sender_key')],
        sameDoseSql: 'select id, registrant_key from vaccinations where patient_insz = ? and vaccine_group = ? and administered_on = ? and id is null',
        sameDoseParams: [at('patient_insz'), at('vaccine_group'), at('administered_on')],
      };
      const group = (v: NewVaccination) => ({
        ...texts,
        doses: [
          {
            values: Object.values(vaccinationRow(v)).map((x) => x ?? null),
            audit: Object.values(auditRow(audit({ ...v, status: 'active' }, true))).map((x) => x ?? null),
            sameDose: null,
          },
        ],
      });
      // The first keeps the thread busy; the next four queue behind it and are merged, one of them failing.
      const writes = [dose(41), dose(42), dose(43, { itemXml: null as unknown as string }), dose(44), dose(45)].map((v, n) => writer.write(group(v), n === 0));
      const outcomes = await Promise.allSettled(writes);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined))).toEqual([[null], [null], undefined, [null], [null]]);
      const ids = (await store.vaccinations.history('85071412330')).map((v) => v.id).sort();
      expect(ids).toEqual([dose(41).id, dose(42).id, dose(44).id, dose(45).id]);
    } finally {
      await writer.close();
      await store.close();
    }
  });

  it('a store closed with groups in flight answers them all first', async () => {
    const store = await sqlite!.open();
    const inserts = Array.from({ length: 20 }, (_, n) => store.vaccinations.insertVaccination(dose(100 + n), audit));
    await Promise.all(inserts);
    const late = store.vaccinations.insertVaccination(dose(200), audit);
    const results = await Promise.allSettled([late, store.close()]);
    expect(results[0]!.status).toBe('fulfilled');
    const reopened = await (await import('../open-store.js')).openStore(sqlite!.lastUrl());
    try {
      expect(await reopened.vaccinations.history('85071412330')).toHaveLength(21);
    } finally {
      await reopened.close();
    }
  });
});
