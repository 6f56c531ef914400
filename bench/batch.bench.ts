/**
 * BatchUpload benchmark (issue 5): vaccinations processed per second for one 100 000-vaccination delivery (stored as
 * the intake stores it, then processed by the worker: streaming parse and rules on the planning thread, bulk
 * person/duplicate lookups, vaccinations + audit rows + one result row per 250-transaction commit) on SQLite and
 * PostgreSQL, the peak RSS of the processing process, and — same run — two yardsticks with the bare driver, into
 * empty tables of the same layout:
 * - `raw` (→ `shareOfRaw`): THE rows the processing stored per vaccination, read back — the vaccination, its audit
 *   row, its share of the result slice rows — 1 000 vaccinations per durable transaction (better-sqlite3: a prepared
 *   INSERT run per row; pg: one multi-row INSERT per table);
 * - `rawVaccinationRowsOnly` (→ `shareOfRawVaccinationRowsOnly`): the vaccination rows alone (better-sqlite3 prepared
 *   INSERT in one transaction; pg multi-row INSERT of 1 000 rows per statement), the yardstick of earlier runs.
 * Each phase runs in its own child process so each peak RSS is its own.
 * Standalone: `npx tsx bench/batch.bench.ts`. Knobs:
 *   BATCH_BENCH_N=100000              vaccinations in the delivery
 *   BATCH_BENCH_ENGINES=sqlite,postgres
 *   BATCH_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test (a schema is created and dropped)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { createBatchWorker } from '../src/batch/batch-worker.js';
import { organisationBatchChunks } from '../src/batch/testing/organisation-batch.js';
import { organisationKey } from '../src/registry/profile.js';
import { IDENTITIES, ORGANISATIONS, SOFTWARE_IDS, seedPersonas } from '../src/registry/demo-personas.js';
import { DeliveryRepository } from '../src/store/delivery-repository.js';
import { openStore } from '../src/store/open-store.js';
import { registryPortsOf } from '../src/store/registry-ports-of.js';
import { BENCH_CHILD_FLAGS } from './support/bench-child-flags.js';

const N = Number(process.env.BATCH_BENCH_N ?? 100_000);
const ENGINES = (process.env.BATCH_BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.BATCH_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SELF = fileURLToPath(import.meta.url);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const mb = (kb: number): number => round(kb / 1024, 0);

type Json = Record<string, unknown>;

/** Child: store a delivery like the intake, then process it with the worker; report rates, CPU and peak RSS. */
async function processPhase(url: string): Promise<Json> {
  const store = await openStore(url);
  await store.migrate();
  await seedPersonas(store);
  const repo = DeliveryRepository.of(store);
  const az = ORGANISATIONS.azGroeninge;
  let t = performance.now();
  await repo.storeDelivery(
    {
      id: randomUUID(),
      operation: 'Aanleveren',
      organisationKey: organisationKey(az.idType, az.id),
      userCode: az.userCode,
      softwareId: SOFTWARE_IDS.azGroeninge,
      caller: JSON.stringify(IDENTITIES.azGroeninge),
      receivedAt: new Date().toISOString(),
    },
    organisationBatchChunks({ folders: N, tag: 'bench', date: '2024-03-01' }),
  );
  const storeSeconds = (performance.now() - t) / 1000;
  const delivery = await repo.db.selectFrom('deliveries').select('bytes').executeTakeFirstOrThrow();
  // Register mode would need 100 000 persons in the register; the person lookup query runs either way.
  const ports = registryPortsOf(store, { settings: { personCheck: 'checksum' } });
  const worker = createBatchWorker({ repo, ports, log: pino({ level: 'warn' }), intervalSeconds: 3600, retentionDays: 30 });
  const cpu = process.cpuUsage();
  t = performance.now();
  await worker.runOnce();
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const processed = await repo.db
    .selectFrom('delivery_result_slices')
    .select((eb) => eb.fn.sum<number | string>('transactions').as('n'))
    .executeTakeFirstOrThrow();
  const stored = await repo.db
    .selectFrom('vaccinations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  await store.close();
  return {
    deliveryMb: round(Number(delivery.bytes) / 1024 / 1024),
    storeSeconds: round(storeSeconds, 2),
    results: Number(processed.n),
    storedVaccinations: Number(stored.n),
    seconds: round(seconds, 2),
    perSecond: round(N / seconds, 0),
    cpuSeconds: round((used.user + used.system) / 1e6, 2),
    perCpuSecond: round(N / ((used.user + used.system) / 1e6), 0),
    peakRssMb: mb(process.resourceUsage().maxRSS),
  };
}

const COLUMNS = [
  'patient_insz',
  'id',
  'cnk',
  'product_name',
  'vaccinnet_code',
  'atc',
  'indications',
  'vaccine_group',
  'administered_on',
  'quantity',
  'lot',
  'registrant_key',
  'responsible_nihii',
  'software_id',
  'channel',
  'sender_message_id',
  'sender_local_id',
  'sender_key',
  'registered_at',
  'status',
  'removed_at',
  'removed_by',
  'removed_reason',
  'item_xml',
  'content_digest',
];
const AUDIT_COLUMNS = ['patient_insz', 'id', 'at', 'action', 'outcome', 'vaccination_id', 'actor', 'subject', 'channel', 'software_id', 'detail'];
const SLICE_COLUMNS = ['delivery_id', 'first_ordinal', 'transactions', 'accepted', 'results'];
/** Vaccinations per transaction of the full yardstick. */
const RAW_PER_COMMIT = 1000;

/** What the processing stored, read back: the rows the yardsticks insert again. */
interface StoredRows {
  readonly vaccinations: unknown[][];
  readonly audits: unknown[][];
  /** Result slices with the ordinal range they cover: [first, first + transactions). */
  readonly slices: { readonly first: number; readonly end: number; readonly row: unknown[] }[];
}

/** Groups of RAW_PER_COMMIT vaccinations with their audit rows and the result slices that start among them. */
function* commits(stored: StoredRows): Generator<{ vaccinations: unknown[][]; audits: unknown[][]; slices: unknown[][] }> {
  for (let at = 0; at < stored.vaccinations.length; at += RAW_PER_COMMIT) {
    const end = at + RAW_PER_COMMIT;
    yield {
      vaccinations: stored.vaccinations.slice(at, end),
      audits: stored.audits.slice(at, end),
      slices: stored.slices.filter((x) => x.first >= at && x.first < end).map((x) => x.row),
    };
  }
}

const rate = (vaccinations: number, seconds: number, method: string): Json => ({
  vaccinations,
  seconds: round(seconds, 2),
  perSecond: round(vaccinations / seconds, 0),
  method,
});

/**
 * Child: the yardsticks, with the bare driver, into empty tables of the same layout (primary keys, unique index):
 * - `raw`: THE rows the processing stored per vaccination — the vaccination, its audit row and its share of the result
 *   slice rows — RAW_PER_COMMIT vaccinations per durable transaction;
 * - `rawVaccinationRowsOnly`: the vaccination rows alone (the yardstick before the full one; one transaction on
 *   SQLite, multi-row statements of 1 000 on PostgreSQL), kept for comparison with earlier runs.
 */
async function rawPhase(engine: string, url: string): Promise<Json> {
  if (engine === 'sqlite') {
    const db = new SqliteDatabase(url.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The same table layout — primary key and unique index included, as PostgreSQL's `like … including all` below.
    const copy = (table: string): void => {
      db.exec(`drop table if exists raw_${table}`);
      for (const { sql } of db.prepare(`select sql from sqlite_master where tbl_name = '${table}' and sql is not null order by type desc`).all() as {
        sql: string;
      }[]) {
        db.exec(sql.replace(new RegExp(`\\b${table}\\b`, 'g'), `raw_${table}`).replace(new RegExp(`\\b(${table}_\\w+)`, 'g'), 'raw_$1'));
      }
    };
    const stored: StoredRows = {
      vaccinations: db
        .prepare(`select ${COLUMNS.join(',')} from vaccinations order by rowid`)
        .raw()
        .all() as unknown[][],
      audits: db
        .prepare(`select ${AUDIT_COLUMNS.join(',')} from audit_log where channel = 'batch' order by rowid`)
        .raw()
        .all() as unknown[][],
      slices: (
        db
          .prepare(`select ${SLICE_COLUMNS.join(',')} from delivery_result_slices order by first_ordinal`)
          .raw()
          .all() as unknown[][]
      ).map((row) => ({
        first: Number(row[1]),
        end: Number(row[1]) + Number(row[2]),
        row,
      })),
    };
    const insert = (table: string, columns: readonly string[]): SqliteDatabase.Statement =>
      db.prepare(`insert into raw_${table} (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`);

    for (const t of ['vaccinations', 'audit_log', 'delivery_result_slices']) copy(t);
    const [v, a, r] = [insert('vaccinations', COLUMNS), insert('audit_log', AUDIT_COLUMNS), insert('delivery_result_slices', SLICE_COLUMNS)];
    let t = performance.now();
    for (const c of commits(stored)) {
      db.transaction(() => {
        for (const row of c.vaccinations) v.run(row);
        for (const row of c.audits) a.run(row);
        for (const row of c.slices) r.run(row);
      })();
    }
    const full = rate(
      stored.vaccinations.length,
      (performance.now() - t) / 1000,
      `vaccination + audit + result slice rows as stored, prepared INSERT per row, ${RAW_PER_COMMIT} vaccinations per transaction, same table layout`,
    );

    copy('vaccinations');
    const only = insert('vaccinations', COLUMNS);
    t = performance.now();
    db.transaction(() => {
      for (const row of stored.vaccinations) only.run(row);
    })();
    const vaccinationRowsOnly = rate(
      stored.vaccinations.length,
      (performance.now() - t) / 1000,
      'vaccination rows only, prepared INSERT, one transaction, same table layout',
    );
    db.close();
    return { raw: full, rawVaccinationRowsOnly: vaccinationRowsOnly };
  }
  const u = new URL(url);
  const schema = u.searchParams.get('schema')!;
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  await client.query(`set search_path to ${schema}`);
  const copy = (table: string): Promise<unknown> => client.query(`drop table if exists raw_${table}; create table raw_${table} (like ${table} including all)`);
  const select = async (text: string): Promise<unknown[][]> => (await client.query({ text, rowMode: 'array' })).rows as unknown[][];
  const stored: StoredRows = {
    vaccinations: await select(`select ${COLUMNS.join(',')} from vaccinations order by registered_at, id`),
    audits: await select(`select ${AUDIT_COLUMNS.join(',')} from audit_log where channel = 'batch' order by at, id`),
    slices: (await select(`select ${SLICE_COLUMNS.join(',')} from delivery_result_slices order by first_ordinal`)).map((row) => ({
      first: Number(row[1]),
      end: Number(row[1]) + Number(row[2]),
      row,
    })),
  };
  /** One multi-row INSERT per 1 000 rows. */
  const insert = async (table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> => {
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      const values = part.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(',')})`).join(',');
      await client.query(`insert into raw_${table} (${columns.join(',')}) values ${values}`, part.flat());
    }
  };

  for (const t of ['vaccinations', 'audit_log', 'delivery_result_slices']) await copy(t);
  let t = performance.now();
  for (const c of commits(stored)) {
    await client.query('begin');
    await insert('vaccinations', COLUMNS, c.vaccinations);
    await insert('audit_log', AUDIT_COLUMNS, c.audits);
    await insert('delivery_result_slices', SLICE_COLUMNS, c.slices);
    await client.query('commit');
  }
  const full = rate(
    stored.vaccinations.length,
    (performance.now() - t) / 1000,
    `vaccination + audit + result slice rows as stored, multi-row INSERT per table, ${RAW_PER_COMMIT} vaccinations per transaction, same table layout`,
  );

  await copy('vaccinations');
  t = performance.now();
  await client.query('begin');
  await insert('vaccinations', COLUMNS, stored.vaccinations);
  await client.query('commit');
  const vaccinationRowsOnly = rate(
    stored.vaccinations.length,
    (performance.now() - t) / 1000,
    'vaccination rows only, multi-row INSERT, 1 000 rows per statement, one transaction',
  );
  await client.end();
  return { raw: full, rawVaccinationRowsOnly: vaccinationRowsOnly };
}

function child(mode: string, engine: string, url: string): Json {
  const out = execFileSync(process.execPath, [...BENCH_CHILD_FLAGS, SELF, '--child', mode, engine, url], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Json;
}

/** Runs every engine; returns one JSON report. */
export default async function batchBench(): Promise<Json> {
  const out: Json = {
    vaccinations: N,
    sliceSize: 250,
    note: 'seconds are wall time on a shared machine: see loadAverage; perCpuSecond is the processing process CPU',
  };
  for (const engine of ENGINES) {
    let url: string;
    let cleanup: () => Promise<void>;
    if (engine === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-batch-bench-'));
      url = `sqlite:${path.join(dir, 'bench.db')}`;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const schema = `bench_batch_${process.pid}`;
      const u = new URL(PG_URL);
      u.searchParams.set('schema', schema);
      url = u.toString();
      cleanup = async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      };
    }
    try {
      const processing = child('process', engine, url);
      const { raw, rawVaccinationRowsOnly } = child('raw', engine, url) as { raw: Json; rawVaccinationRowsOnly: Json };
      out[engine] = {
        processing,
        raw,
        shareOfRaw: round(Number(processing.perSecond) / Number(raw.perSecond), 3),
        rawVaccinationRowsOnly,
        shareOfRawVaccinationRowsOnly: round(Number(processing.perSecond) / Number(rawVaccinationRowsOnly.perSecond), 3),
      };
    } finally {
      await cleanup();
    }
  }
  return out;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  const [, mode, engine, url] = argv as [string, string, string, string];
  const result = mode === 'process' ? await processPhase(url) : await rawPhase(engine, url);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cpu = cpus();
  process.stdout.write(
    `${JSON.stringify({ bench: 'batch', cpu: cpu[0]?.model, cores: cpu.length, loadAverage: loadavg().map((x) => round(x, 2)), ...(await batchBench()) })}\n`,
  );
}
