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
