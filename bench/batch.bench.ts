/**
 * BatchUpload benchmark (issue 5): vaccinations processed per second for one 100 000-vaccination delivery (stored as
 * the intake stores it, then processed by the worker: streaming parse, rules, bulk person/duplicate lookups,
 * vaccinations + audit + results per 250-transaction commit) on SQLite and PostgreSQL, the peak RSS of the
 * processing process, and — same run — the raw driver insert rate of the same vaccination rows as the yardstick
 * (better-sqlite3 prepared INSERT in one transaction; pg multi-row INSERT of 1 000 rows per statement).
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
import { IDENTITIES, ORGANISATIONS, SOFTWARE_IDS, seedPersonas } from '../src/registry/testing/personas.js';
import { DeliveryRepository } from '../src/store/delivery-repository.js';
import { openStore } from '../src/store/open-store.js';
import { registryPortsOf } from '../src/store/registry-ports-of.js';

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
      id: randomUUID(), operation: 'Aanleveren', organisationKey: organisationKey(az.idType, az.id), userCode: az.userCode,
      softwareId: SOFTWARE_IDS.azGroeninge, caller: JSON.stringify(IDENTITIES.azGroeninge), receivedAt: new Date().toISOString(),
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
  const processed = await repo.db.selectFrom('delivery_result_slices').select((eb) => eb.fn.sum<number | string>('transactions').as('n')).executeTakeFirstOrThrow();
  const stored = await repo.db.selectFrom('vaccinations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
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
  'patient_insz', 'id', 'cnk', 'product_name', 'vaccinnet_code', 'atc', 'indications', 'vaccine_group', 'administered_on', 'quantity', 'lot',
  'registrant_key', 'responsible_nihii', 'software_id', 'channel', 'sender_message_id', 'sender_local_id', 'sender_key', 'registered_at',
  'status', 'removed_at', 'removed_by', 'removed_reason', 'item_xml',
];

/** Child: the same rows (read back from the processed run) into an empty copy of the table with the bare driver. */
async function rawPhase(engine: string, url: string): Promise<Json> {
  if (engine === 'sqlite') {
    const db = new SqliteDatabase(url.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The same table layout as `vaccinations` — its primary key and unique index included, as PostgreSQL's
    // `like … including all` below — so the yardstick inserts the same rows into the same structure.
    db.exec('drop table if exists raw_vaccinations');
    for (const { sql } of db.prepare("select sql from sqlite_master where tbl_name = 'vaccinations' and sql is not null order by type desc").all() as { sql: string }[]) {
      db.exec(sql.replace(/\bvaccinations\b/g, 'raw_vaccinations').replace(/\b(vaccinations_\w+)/g, 'raw_$1'));
    }
    const rows = db.prepare(`select ${COLUMNS.join(',')} from vaccinations`).raw().all() as unknown[][];
    const insert = db.prepare(`insert into raw_vaccinations (${COLUMNS.join(',')}) values (${COLUMNS.map(() => '?').join(',')})`);
    const t = performance.now();
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    const seconds = (performance.now() - t) / 1000;
    db.close();
    return { rows: rows.length, seconds: round(seconds, 2), perSecond: round(rows.length / seconds, 0), method: 'prepared INSERT, one transaction, same table layout (primary key, unique index)' };
  }
  const u = new URL(url);
  const schema = u.searchParams.get('schema')!;
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  await client.query(`set search_path to ${schema}`);
  await client.query('drop table if exists raw_vaccinations; create table raw_vaccinations (like vaccinations including all)');
  const { rows } = await client.query({ text: `select ${COLUMNS.join(',')} from vaccinations`, rowMode: 'array' });
  const t = performance.now();
  await client.query('begin');
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000) as unknown[][];
    const values = part.map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(',')})`).join(',');
    await client.query(`insert into raw_vaccinations (${COLUMNS.join(',')}) values ${values}`, part.flat());
  }
  await client.query('commit');
  const seconds = (performance.now() - t) / 1000;
  await client.end();
  return { rows: rows.length, seconds: round(seconds, 2), perSecond: round(rows.length / seconds, 0), method: 'multi-row INSERT, 1 000 rows per statement, one transaction' };
}

function child(mode: string, engine: string, url: string): Json {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, engine, url], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Json;
}

/** Runs every engine; returns one JSON report. */
export default async function batchBench(): Promise<Json> {
  const out: Json = { vaccinations: N, sliceSize: 250, note: 'seconds are wall time on a shared machine: see loadAverage; perCpuSecond is the processing process CPU' };
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
      const raw = child('raw', engine, url);
      out[engine] = { processing, raw, shareOfRaw: round(Number(processing.perSecond) / Number(raw.perSecond), 3) };
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
  process.stdout.write(`${JSON.stringify({ bench: 'batch', cpu: cpu[0]?.model, cores: cpu.length, loadAverage: loadavg().map((x) => round(x, 2)), ...(await batchBench()) })}\n`);
}
