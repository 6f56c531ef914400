import { afterEach, describe, expect, it } from 'vitest';
import { PATIENTS } from '../registry/demo-personas.js';
import type { NewVaccination } from '../registry/vaccination.js';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';
import { testEngines } from './testing/test-engines.js';

function dose(id: string, senderKey: string, overrides: Partial<NewVaccination> = {}): NewVaccination {
  return {
    id,
    patientInsz: PATIENTS.jan.insz,
    product: { cnk: '4293254', name: 'Comirnaty', vaccinnetCode: 'Covid-19/PFBNT001', atc: 'J07BX03', indications: ['covid19'], group: 'COVID-19' },
    administeredOn: '2024-03-01',
    quantity: '1',
    lot: 'FK1234',
    registrantKey: 'doctor:14700250004',
    responsibleNihii: '14700250004',
    softwareId: 'taktik_medispring',
    channel: 'registratie',
    senderMessageId: 'msg-1',
    senderKey,
    registeredAt: '2024-03-10T09:00:00.000Z',
    itemXml: '<item xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"/>',
    ...overrides,
  };
}

let auditCounter = 0;
const audit = (stored: { id: string; patientInsz: string }, inserted: boolean): NewAuditEntry => ({
  id: `a-${String(++auditCounter).padStart(6, '0')}`,
  at: '2024-03-10T09:00:00.000Z',
  patientInsz: stored.patientInsz,
  action: inserted ? 'register' : 'replay',
  outcome: inserted ? 'OK' : 'DUPLICATE_REPLAY',
  vaccinationId: stored.id,
  actor: 'doctor:14700250004',
  subject: 'CN=test',
  channel: 'registratie',
});

describe.each(testEngines())('store on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('migrates once: a second migrate (or a second process) applies nothing', async () => {
    store = await engine.open();
    expect(await store.migrate()).toEqual([]);
    const other = await openStore(engine.lastUrl());
    try {
      expect(await other.migrate()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('keeps dates as YYYY-MM-DD without a day shift and persons round-trip', async () => {
    store = await engine.open();
    await store.persons.upsertPersons([PATIENTS.jan, PATIENTS.lotte]);
    expect(await store.persons.findPerson(PATIENTS.lotte.insz)).toEqual(PATIENTS.lotte);
    expect(await store.persons.findPerson('00000000000')).toBeUndefined();
  });

  it('inserts a dose once; the same sender key returns the existing record', async () => {
    store = await engine.open();
    const first = await store.vaccinations.insertVaccination(dose('A'.repeat(32), 'kmehr:msg-1:0:0'), audit);
    expect(first.inserted).toBe(true);
    const again = await store.vaccinations.insertVaccination(dose('B'.repeat(32), 'kmehr:msg-1:0:0'), audit);
    expect(again).toMatchObject({ inserted: false, vaccination: { id: 'A'.repeat(32), administeredOn: '2024-03-01', lot: 'FK1234' } });
    expect((await store.vaccinations.history(PATIENTS.jan.insz)).map((v) => v.id)).toEqual(['A'.repeat(32)]);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).map((a) => a.action)).toEqual(['register', 'replay']);
  });

  it('bulk-inserts a batch, returning existing records for repeated keys, in input order', async () => {
    store = await engine.open();
    await store.vaccinations.insertVaccination(dose('0'.repeat(31) + '1', 'local:UUID:u-1'), audit);
    const batch = Array.from({ length: 1200 }, (_, n) => dose(`B${n.toString(16).toUpperCase().padStart(31, '0')}`, `local:UUID:u-${n}`));
    const results = await store.vaccinations.insertVaccinations(batch, audit);
    expect(results).toHaveLength(1200);
    expect(results[1]).toMatchObject({ inserted: false, vaccination: { id: '0'.repeat(31) + '1' } });
    expect(results.filter((r) => r.inserted)).toHaveLength(1199);
    expect(results[5]?.vaccination.id).toBe(batch[5]?.id);
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toHaveLength(1200);
  });

  it('removes logically once, and history and same-dose lookups skip removed records', async () => {
    store = await engine.open();
    await store.vaccinations.insertVaccination(dose('C'.repeat(32), 'k1'), audit);
    await store.vaccinations.insertVaccination(dose('D'.repeat(32), 'k2', { administeredOn: '2023-10-01' }), audit);
    const removal = { at: '2024-03-11T08:00:00.000Z', by: 'doctor:14700250004', reason: 'wrong patient' };
    const removeAudit: NewAuditEntry = { ...audit({ id: 'C'.repeat(32), patientInsz: PATIENTS.jan.insz }, true), id: 'rm-1', action: 'remove' };
    expect(await store.vaccinations.removeVaccination(PATIENTS.jan.insz, 'C'.repeat(32), removal, removeAudit)).toMatchObject({
      removed: true,
      vaccination: { status: 'removed', removal },
    });
    const second = await store.vaccinations.removeVaccination(PATIENTS.jan.insz, 'C'.repeat(32), removal, { ...removeAudit, id: 'rm-2' });
    expect(second).toMatchObject({ removed: false, vaccination: { status: 'removed' } });
    expect(await store.vaccinations.removeVaccination(PATIENTS.jan.insz, 'E'.repeat(32), removal, { ...removeAudit, id: 'rm-3' })).toEqual({ removed: false });
    expect((await store.vaccinations.history(PATIENTS.jan.insz)).map((v) => v.id)).toEqual(['D'.repeat(32)]);
    expect(await store.vaccinations.history(PATIENTS.jan.insz, '2024-01-01')).toEqual([]);
    expect(await store.vaccinations.findSameDose(PATIENTS.jan.insz, 'COVID-19', '2024-03-01')).toEqual([]);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).filter((a) => a.action === 'remove').map((a) => a.id)).toEqual(['rm-1']);
  });

  it('claims each job exactly once across parallel workers', async () => {
    store = await engine.open();
    for (let n = 0; n < 40; n++) await store.jobs.enqueue(`job-${n}`, 'batch', { n });
    await store.jobs.enqueue('job-0', 'batch', { n: 'again' });
    const s = store;
    const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => s.jobs.claimJobs('batch', 15, w)));
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
    expect(await store.jobs.claimJobs('batch', 10, 'w5')).toEqual([]);
    await store.jobs.completeJob('job-1', { ok: true });
    expect(await store.jobs.getJob('job-1')).toMatchObject({ status: 'done', attempts: 1, result: { ok: true } });
    // An abandoned running job comes back after its lease (at-least-once delivery).
    const later = new Date(Date.now() + 60 * 60_000);
    const reclaimed = await store.jobs.claimJobs('batch', 100, 'w6', { leaseMs: 60_000, now: later });
    expect(reclaimed).toHaveLength(39);
    expect(reclaimed.find((j) => j.id === 'job-0')).toMatchObject({ attempts: 2, payload: { n: 0 }, lockedBy: 'w6' });
  });
});
