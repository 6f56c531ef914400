import type { Kysely, Migration } from 'kysely';

/** Results moved per slice, as the processor commits them (src/batch/process-delivery.ts). */
const SLICE = 250;

interface OldResult {
  delivery_id: string;
  ordinal: number | string;
  folder_index: number | string;
  transaction_index: number | string;
  folder_ids: string;
  patient: string;
  patient_text: string | null;
  transaction_ids: string;
  result_code: string;
  findings: string;
  vaccination_id: string | null;
  replaced_id: string | null;
}

interface Tables {
  delivery_results: OldResult;
  delivery_result_slices: { delivery_id: string; first_ordinal: number; transactions: number; accepted: number; results: string };
}

/**
 * Batch results: one row per committed slice instead of one per transaction. Each vaccination wrote three rows
 * (vaccination, audit, result); results are only ever read per delivery, in document order, a page at a time, so
 * the slice's results go into one row that commits with the slice's vaccinations (the exactly-once rule holds: same
 * transaction; resuming counts the committed transactions as before). The per-transaction rows of deliveries still
 * kept are moved into slices here, in the entry layout of src/batch/result-entries.ts (written out below, so this
 * step keeps meaning what it meant when applied), and their table goes.
 */
export function resultSlices(): Migration {
  return {
    async up(untyped: Kysely<unknown>): Promise<void> {
      const db = untyped as unknown as Kysely<Tables>;
      await db.schema
        .createTable('delivery_result_slices')
        .ifNotExists()
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('first_ordinal', 'integer', (c) => c.notNull())
        .addColumn('transactions', 'integer', (c) => c.notNull())
        .addColumn('accepted', 'integer', (c) => c.notNull())
        .addColumn('results', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_result_slices_pk', ['delivery_id', 'first_ordinal'])
        .execute();
      const deliveries = await db.selectFrom('delivery_results').select('delivery_id').distinct().execute();
      for (const { delivery_id: id } of deliveries) {
        let after = -1;
        for (;;) {
          const rows = await db
            .selectFrom('delivery_results')
            .selectAll()
            .where('delivery_id', '=', id)
            .where('ordinal', '>', after)
            .orderBy('ordinal')
            .limit(SLICE)
            .execute();
          if (rows.length === 0) break;
          // Slices hold consecutive ordinals (they always were: slices commit in document order).
          let run: OldResult[] = [];
          const flush = async (): Promise<void> => {
            if (run.length === 0) return;
            await db
              .insertInto('delivery_result_slices')
              .values({
                delivery_id: id,
                first_ordinal: Number(run[0]!.ordinal),
                transactions: run.length,
                accepted: run.filter((r) => r.vaccination_id !== null).length,
                results: `[${run.map(entry).join(',')}]`,
              })
              .execute();
            run = [];
          };
          for (const r of rows) {
            if (run.length > 0 && Number(r.ordinal) !== Number(run[run.length - 1]!.ordinal) + 1) await flush();
            run.push(r);
          }
          await flush();
          after = Number(rows[rows.length - 1]!.ordinal);
        }
      }
      await db.schema.dropTable('delivery_results').execute();
    },
  };
}

/** One result as a slice entry: [ordinal, folder, transaction, folderIds, patient, patientText, transactionIds, code, findings, vaccinationId, replacedId]. */
function entry(r: OldResult): string {
  const text = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
  return `[${Number(r.ordinal)},${Number(r.folder_index)},${Number(r.transaction_index)},${r.folder_ids},${JSON.stringify(r.patient)},${text(r.patient_text)},${r.transaction_ids},${JSON.stringify(r.result_code)},${r.findings},${text(r.vaccination_id)},${text(r.replaced_id)}]`;
}
