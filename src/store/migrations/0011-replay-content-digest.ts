import { sql, type Kysely, type Migration } from 'kysely';
import { contentDigest } from '../../registry/content-digest.js';
import type { StoreCapabilities } from '../capabilities.js';

/** Rows read and updated per step of the backfill: bounded memory and statement size whatever the table holds. */
const PAGE = 1000;

interface DigestSource {
  patient_insz: string;
  id: string;
  administered_on: string;
  responsible_nihii: string | null;
  item_xml: string;
}

/**
 * Issue 11.1: a dose sent again under stored sender ids is a replay only when its content is the same. Each
 * vaccination keeps the digest of its content (registry/content-digest.ts) in `content_digest`, written with the
 * row: comparing needs no column of the stored row beyond the one the replay already reads.
 *
 * Existing rows get their digest here, computed by the same function from their stored columns
 * (every input of the digest is a column), page by page in primary-key order. A row still without one (written by
 * an older registry node during a rolling upgrade) is compared by recomputing it from its columns at the replay,
 * so NULL never means "unknown" (registry/content-digest.ts `sameContent`). No index: the digest is only read
 * from a row already found by its sender key.
 */
export function replayContentDigest(caps: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const columns = await sql<{ name: string }>`${
        caps.engine === 'postgres'
          ? sql`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = 'vaccinations'`
          : sql`select name from pragma_table_info('vaccinations')`
      }`.execute(db);
      if (!columns.rows.some((c) => c.name === 'content_digest')) {
        await db.schema.alterTable('vaccinations').addColumn('content_digest', 'text').execute();
      }
      // our choice: existing rows get their digest now, not "unknown" (docs/decisions.md, issue 11.1).
      await backfill(db, caps);
    },
  };
}

async function backfill(db: Kysely<unknown>, caps: StoreCapabilities): Promise<void> {
  let after: { patient_insz: string; id: string } | undefined;
  for (;;) {
    const page = await sql<DigestSource>`
      select patient_insz, id, administered_on, responsible_nihii, item_xml from vaccinations
      where content_digest is null ${after ? sql`and (patient_insz > ${after.patient_insz} or (patient_insz = ${after.patient_insz} and id > ${after.id}))` : sql``}
      order by patient_insz, id limit ${PAGE}`.execute(db);
    const rows = page.rows;
    if (rows.length === 0) return;
    const digests = rows.map((r) => ({
      patient_insz: r.patient_insz,
      id: r.id,
      digest: contentDigest({
        patientInsz: r.patient_insz,
        administeredOn: String(r.administered_on),
        ...(r.responsible_nihii !== null && { responsibleNihii: r.responsible_nihii }),
        itemXml: r.item_xml,
      }),
    }));
    if (caps.engine === 'postgres') {
      // One statement per page: a round trip per row would make a large register's upgrade crawl.
      const values = sql.join(digests.map((d) => sql`(${d.patient_insz}, ${d.id}, ${d.digest})`));
      await sql`update vaccinations as v set content_digest = d.digest from (values ${values}) as d (patient_insz, id, digest)
        where v.patient_insz = d.patient_insz and v.id = d.id`.execute(db);
    } else {
      // Kysely runs SQLite migrations outside a transaction: one per page, not one durable commit per row.
      await db.transaction().execute(async (trx) => {
        for (const d of digests) {
          await sql`update vaccinations set content_digest = ${d.digest} where patient_insz = ${d.patient_insz} and id = ${d.id}`.execute(trx);
        }
      });
    }
    const last = rows[rows.length - 1]!;
    after = { patient_insz: last.patient_insz, id: last.id };
  }
}
