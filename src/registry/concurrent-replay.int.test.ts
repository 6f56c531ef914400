import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { registerVaccinations } from './register-vaccinations.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, personaMessage, seedPersonas } from './testing/index.js';

const PARALLEL = 50;

/**
 * Issue 3 acceptance: 50 parallel submissions of the same message by the same sender → one stored vaccination and
 * 50 answers with the same VaccinationId. On PostgreSQL each submission runs on its own pool connection (pool
 * max = 50), so the INSERTs truly race; only the unique constraint can make them agree. On SQLite they meet in one
 * group commit, where the same constraint decides.
 */
describe.each(testEngines())('concurrent replays on $name', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it(`${PARALLEL} parallel submissions of one message store exactly one row`, async () => {
    const seeded = await engine.open();
    stores.push(seeded);
    await seedPersonas(seeded);
    const appName = `race-${process.pid}-${Date.now()}`;
    let url = engine.lastUrl();
    if (engine.name === 'postgres') {
      const pgUrl = new URL(url);
      pgUrl.searchParams.set('max', String(PARALLEL));
      pgUrl.searchParams.set('application_name', appName);
      url = pgUrl.toString();
    }
    const store = await openStore(url);
    stores.push(store);
    const ports = registryPortsOf(store, { clock: { now: () => new Date('2024-03-10T09:00:00Z') } });
    const message = personaMessage({ sender: DOCTORS.peeters, messageId: 'race-1' });
    const cmd = { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie' as const, messages: [message] };

    const outcomes = await Promise.all(Array.from({ length: PARALLEL }, () => registerVaccinations(cmd, ports)));

    const ids = outcomes.map((o) => (o.ok ? o.messages[0]?.transactions[0]?.vaccinationId : undefined));
    expect(ids.every((id) => id !== undefined && /^[0-9A-F]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1);
    const replays = outcomes.filter((o) => o.ok && o.messages[0]?.transactions[0]?.replay).length;
    expect(replays).toBe(PARALLEL - 1);
    const rows = await store.db.selectFrom('vaccinations').select(['id']).where('patient_insz', '=', PATIENTS.jan.insz).execute();
    expect(rows.map((r) => r.id)).toEqual([ids[0]]);
    const audit = await store.audit.forPerson(PATIENTS.jan.insz);
    expect(audit.filter((a) => a.action === 'register')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'replay')).toHaveLength(PARALLEL - 1);
    // Proof the race was real: a pool opens another connection only while all its others are busy.
    if (store.capabilities.engine !== 'postgres') return;
    const { rows: sessions } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${appName}`.execute(store.db);
    expect(sessions[0]?.n).toBeGreaterThanOrEqual(10);
  });
});

/**
 * Issue 11.1: the same sender ids with other content race each other. Half of the submissions carry lot A, half
 * lot B, all under one KMEHR message id: exactly one dose is stored (whichever committed first), every submission
 * with the winner's content is answered its VaccinationId (a replay), every other one is refused with
 * SENDER_IDS_REUSED, and nothing of the losers' content is stored or overwrites the winner's.
 */
describe.each(testEngines())('concurrent reused sender ids on $name', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it(`${PARALLEL} parallel submissions under one message id, two contents: one stored, its replays answered, the other content refused`, async () => {
    const seeded = await engine.open();
    stores.push(seeded);
    await seedPersonas(seeded);
    let url = engine.lastUrl();
    if (engine.name === 'postgres') {
      const pgUrl = new URL(url);
      pgUrl.searchParams.set('max', String(PARALLEL));
      url = pgUrl.toString();
    }
    const store = await openStore(url);
    stores.push(store);
    const ports = registryPortsOf(store, { clock: { now: () => new Date('2024-03-10T09:00:00Z') } });
    const lots = ['LOTA1', 'LOTB2'];
    const messages = lots.map((lot) => personaMessage({ sender: DOCTORS.peeters, messageId: 'reuse-race-1', item: { batch: lot } }));
    const cmd = (n: number) => ({
      caller: IDENTITIES.peeters,
      softwareId: SOFTWARE_IDS.peeters,
      channel: 'registratie' as const,
      messages: [messages[n % 2]!],
    });

    const outcomes = await Promise.all(Array.from({ length: PARALLEL }, (_, n) => registerVaccinations(cmd(n), ports)));

    const rows = await store.db.selectFrom('vaccinations').select(['id', 'lot']).where('patient_insz', '=', PATIENTS.jan.insz).execute();
    expect(rows).toHaveLength(1);
    const [winner] = rows;
    const winning = lots.indexOf(winner!.lot!);
    expect(winning).toBeGreaterThanOrEqual(0);
    for (const [n, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw new Error('refused as a whole');
      const t = outcome.messages[0]!.transactions[0]!;
      if (n % 2 === winning) {
        expect(t.vaccinationId).toBe(winner!.id);
        expect(t.findings.map((f) => f.code).filter((c) => c !== 'DUPLICATE_REPLAY')).toEqual([]);
      } else {
        expect(t.vaccinationId).toBeUndefined();
        expect(t.replay).toBe(false);
        expect(t.findings.map((f) => f.code)).toEqual(['SENDER_IDS_REUSED']);
        expect(t.findings[0]!.message).toContain(winner!.id);
      }
    }
    const audit = await store.audit.forPerson(PATIENTS.jan.insz);
    expect(audit.filter((a) => a.action === 'register')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'replay')).toHaveLength(PARALLEL / 2 - 1);
    expect(audit.filter((a) => a.action === 'refuse' && a.outcome === 'SENDER_IDS_REUSED')).toHaveLength(PARALLEL / 2);
  });
});
