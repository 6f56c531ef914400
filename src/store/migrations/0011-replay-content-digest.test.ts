import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { contentDigest } from '../../registry/content-digest.js';
import { allFindings, registerVaccinations } from '../../registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from '../../registry/testing/index.js';
import type { VaccinationsTable } from '../database.js';
import { openStore } from '../open-store.js';
import { registryPortsOf } from '../registry-ports-of.js';
import type { Store } from '../store.js';
import { testEngines } from '../testing/test-engines.js';
import { migrationProvider } from './index.js';

/** A store migrated up to 0010 only: vaccinations without content_digest. */
async function storeBefore0011(engine: string): Promise<Store> {
  let url: string;
  if (engine === 'sqlite') url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'vaccinnet-0011-')), 'registry.db')}`;
  else {
    const u = new URL(process.env.VACCINNET_TEST_PG_URL!);
    u.searchParams.set('schema', `m0011_${process.pid}_${Date.now().toString(36)}`);
    url = u.toString();
  }
  const store = await openStore(url);
  const schema = engine === 'postgres' ? new URL(url).searchParams.get('schema')! : undefined;
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.capabilities), ...(schema && { migrationTableSchema: schema }) });
  const { error } = await migrator.migrateTo('0010-result-slices');
  if (error) throw error;
  return store;
}

const clock = (): ReturnType<typeof fixedClock> => fixedClock('2024-03-10T09:00:00Z');
const MESSAGE_ID = '14700250004.migrated-1';
const ports = new WeakMap<Store, ReturnType<typeof registryPortsOf>>();
const send = (store: Store, lot: string) => {
  let p = ports.get(store);
  if (!p) ports.set(store, (p = registryPortsOf(store, { clock: clock(), ids: sequentialIds() })));
  return registerVaccinations(
    {
      caller: IDENTITIES.peeters,
      softwareId: SOFTWARE_IDS.peeters,
      channel: 'registratie',
      messages: [personaMessage({ sender: DOCTORS.peeters, messageId: MESSAGE_ID, item: { batch: lot } })],
    },
    p,
  );
};
const codesOf = (outcome: Awaited<ReturnType<typeof send>>): string[] =>
  outcome.ok ? outcome.messages.flatMap((m) => allFindings(m).map((f) => f.code)) : ['refused'];

for (const engine of testEngines()) {
  describe(`migration 0011-replay-content-digest (${engine.name})`, () => {
    it('gives every existing vaccination the digest the registry computes for it now, page by page; a replay of such a row is recognised, other content refused', async () => {
      // The row the current registry stores for one dose, and its digest.
      const current = await engine.open();
      let registered: VaccinationsTable;
      try {
        await seedPersonas(current);
        expect(codesOf(await send(current, 'FK1234'))).toEqual([]);
        registered = await current.db.selectFrom('vaccinations').selectAll().executeTakeFirstOrThrow();
      } finally {
        await current.close();
      }
      expect(registered.content_digest).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const store = await storeBefore0011(engine.name);
      try {
        // The same row as an older registry wrote it, and 2 100 more (three backfill pages), none with a digest.
        const { content_digest: digest, ...old } = registered;
        const others = Array.from({ length: 2100 }, (_, n) => ({
          ...old,
          patient_insz: `8507141${String(n % 7).padStart(4, '0')}`,
          id: `A${n.toString(16).toUpperCase().padStart(31, '0')}`,
          sender_key: `kmehr:other:${n}:0`,
          responsible_nihii: n % 3 === 0 ? null : old.responsible_nihii,
          item_xml: old.item_xml.replace('FK1234', `LOT${n}`),
        }));
        const db = store.db as unknown as Kysely<{ vaccinations: typeof old }>;
        for (const chunk of [[old], ...Array.from({ length: 21 }, (_, k) => others.slice(k * 100, k * 100 + 100))]) {
          await db.insertInto('vaccinations').values(chunk).execute();
        }
        await store.migrate();

        const rows = await store.db.selectFrom('vaccinations').selectAll().execute();
        expect(rows).toHaveLength(2101);
        const again = rows.find((r) => r.id === old.id)!;
        expect(again.content_digest).toBe(digest);
        for (const r of rows) {
          expect(r.content_digest).toBe(
            contentDigest({
              patientInsz: r.patient_insz,
              administeredOn: String(r.administered_on),
              responsibleNihii: r.responsible_nihii ?? undefined,
              itemXml: r.item_xml,
            }),
          );
        }
        expect(new Set(rows.map((r) => r.content_digest)).size).toBe(2101);

        await seedPersonas(store);
        const replay = await send(store, 'FK1234');
        expect(codesOf(replay)).toEqual(['DUPLICATE_REPLAY']);
        expect(replay.ok && replay.messages[0]!.transactions[0]!.vaccinationId).toBe(old.id);
        // A row without a digest (an older node wrote it after the migration): compared on its columns.
        await store.db.updateTable('vaccinations').set({ content_digest: null }).where('id', '=', old.id).execute();
        expect(codesOf(await send(store, 'FK1234'))).toEqual(['DUPLICATE_REPLAY']);
        expect(codesOf(await send(store, 'FK5678'))).toEqual(['SENDER_IDS_REUSED']);
        const kept = await store.vaccinations.history(PATIENTS.jan.insz);
        expect(kept.map((v) => [v.id, v.lot])).toEqual([[old.id, 'FK1234']]);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
}
