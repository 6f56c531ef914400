import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readResultResponse } from '../client/batch-responses.js';
import { resultAnswerChunks } from '../soap/batch/result-answer.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { migrationProvider } from '../store/migrations/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { storedResults } from './testing/stored-results.js';

/** A store migrated up to 0009 only: results still one row per transaction. */
async function storeBefore0007(engine: string): Promise<Store> {
  let url: string;
  if (engine === 'sqlite') url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'vaccinnet-0007-')), 'registry.db')}`;
  else {
    const u = new URL(process.env.VACCINNET_TEST_PG_URL!);
    u.searchParams.set('schema', `m0007_${process.pid}_${Date.now().toString(36)}`);
    url = u.toString();
  }
  const store = await openStore(url);
  const schema = engine === 'postgres' ? new URL(url).searchParams.get('schema')! : undefined;
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
  const migrator = (): Migrator =>
    new Migrator({ db: store.db, provider: migrationProvider(store.capabilities), ...(schema && { migrationTableSchema: schema }) });
  const { error } = await migrator().migrateTo('0009-lean-indexes');
  if (error) throw error;
  return store;
}

for (const engine of testEngines()) {
  describe(`migration 0010-result-slices (${engine.name})`, () => {
    it('moves per-transaction results into slices of consecutive ordinals: counts, resume position and answer unchanged', async () => {
      const store = await storeBefore0007(engine.name);
      try {
        const id = 'a1b2c3d4-0000-4000-8000-000000000007';
        const ids = (value: string): string => JSON.stringify([{ S: 'ID-KMEHR', SV: '1.0', value }]);
        // 600 committed results (three old slices of 250, 250, 100), every third refused, one with a finding.
        const rows = Array.from({ length: 600 }, (_, n) => ({
          delivery_id: id,
          ordinal: n,
          folder_index: n,
          transaction_index: 0,
          folder_ids: ids(String(n + 1)),
          patient: `850714123${String(n % 100).padStart(2, '0')}`,
          patient_text: n % 2 === 0 ? `Patiënt "${n}"` : null,
          transaction_ids: ids('1'),
          result_code: n % 3 === 0 ? 'DATE_IN_FUTURE' : 'OK',
          findings: n % 3 === 0 ? JSON.stringify([{ c: 'DATE_IN_FUTURE', l: `/kmehrmessage/folder[${n + 1}]`, v: '2099-01-01' }]) : '[]',
          vaccination_id: n % 3 === 0 ? null : `V${n}`,
          replaced_id: null,
        }));
        const db = store.db as unknown as Kysely<{ delivery_results: (typeof rows)[number] }>;
        for (let i = 0; i < rows.length; i += 100)
          await db
            .insertInto('delivery_results')
            .values(rows.slice(i, i + 100))
            .execute();
        await store.migrate();

        const repo = DeliveryRepository.of(store);
        expect(await repo.committedResults(id)).toBe(600);
        const moved = await storedResults(repo, id);
        expect(moved.map((r) => r[0])).toEqual(rows.map((r) => r.ordinal));
        expect(
          moved.map(([, f, , folderIds, patient, text, , code, findings, vid]) => [
            f,
            JSON.stringify(folderIds),
            patient,
            text,
            code,
            JSON.stringify(findings),
            vid,
          ]),
        ).toEqual(rows.map((r) => [r.folder_index, r.folder_ids, r.patient, r.patient_text, r.result_code, r.findings, r.vaccination_id]));
        const slices = await repo.db
          .selectFrom('delivery_result_slices')
          .select(['first_ordinal', 'transactions', 'accepted'])
          .orderBy('first_ordinal')
          .execute();
        expect(slices.map((s) => [Number(s.first_ordinal), Number(s.transactions), Number(s.accepted)])).toEqual([
          [0, 250, 166],
          [250, 250, 167],
          [500, 100, 67],
        ]);

        let xml = '';
        for await (const piece of resultAnswerChunks(repo, id, 'en')) xml += piece;
        const answer = readResultResponse(xml);
        if (answer.kind !== 'result') throw new Error(xml);
        expect(answer.folders).toHaveLength(600);
        expect(answer.folders[0]).toMatchObject({ patient: '85071412300', patientTekst: 'Patiënt "0"' });
        expect(answer.folders[0]!.transactions[0]!.resultCode).toBe('DATE_IN_FUTURE');
        expect(answer.folders[1]!.transactions[0]!.resultCode).toBe('OK');
      } finally {
        await store.close();
      }
    });
  });
}
