/**
 * Registry benchmark (issue 3): registrations per second through the domain layer (authorisation, rules, duplicate
 * check, durable insert + audit) into SQLite and PostgreSQL — 1 message with 1 vaccination each — against the raw
 * insert rate of the same rows with the bare driver (the yardstick), and history-lookup latency p50/p99 for one
 * person among a million stored vaccinations.
 * The yardstick (`raw`) stores what a registration stores: a vaccination row AND its audit row (same tables, same
 * columns), 1 000 registrations per durable transaction on SQLite (prepared INSERTs), 500 per transaction on
 * PostgreSQL (two multi-row INSERTs); `domainShareOfRaw` is the domain's rate against it. `rawVaccinationRowsOnly`
 * (vaccination rows alone, the yardstick of the first two sessions) and the domain's share of it are kept beside it.
 * The messages are built (the parser's job, not the domain's) in chunks outside the timed phases; registrations run
 * CONCURRENCY at a time, as a server's requests do, so SQLite's group commit shares one fsync among them. CPU time
 * per registration (`process.cpuUsage`) is reported beside the rate: on a shared machine it is the load-robust number.
 * The million history rows are seeded with the bare driver in bulk (setup, not measured).
 * Standalone: `npx tsx bench/registry.bench.ts`. Knobs (defaults = the issue's sizes):
 *   REGISTRY_BENCH_N=100000            registrations per engine
 *   REGISTRY_BENCH_CONCURRENCY=64      registrations in flight (as a server's concurrent requests)
 *   REGISTRY_BENCH_HISTORY_ROWS=1000000 stored vaccinations for the history lookup
 *   REGISTRY_BENCH_ENGINES=sqlite,postgres
 *   REGISTRY_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test (a schema bench_<pid> is created and dropped)
 *   REGISTRY_BENCH_PG_POOL=16          PostgreSQL connections
 *   REGISTRY_BENCH_PROFILE=<dir>       write a CPU profile of each engine's timed registration phase there
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KmehrMessage } from '../src/kmehr/model.js';
import type { Person } from '../src/registry/person.js';
import { registerVaccinations } from '../src/registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, SOFTWARE_IDS, personaMessage, seedPersonas } from '../src/registry/testing/index.js';
import type { NewVaccination } from '../src/registry/vaccination.js';
import { openStore } from '../src/store/open-store.js';
import { registryPortsOf } from '../src/store/registry-ports-of.js';
import { auditRow, vaccinationRow } from '../src/store/rows.js';
import type { AuditLogTable } from '../src/store/database.js';
import { randomUUID } from 'node:crypto';
import type { Store } from '../src/store/store.js';
import { startCpuProfile } from './support/cpu-profile-recorder.js';
import { summarizeCpuProfile } from './support/cpu-profile-summary.js';

const N = Number(process.env.REGISTRY_BENCH_N ?? 100_000);
const CONCURRENCY = Number(process.env.REGISTRY_BENCH_CONCURRENCY ?? 64);
const HISTORY_ROWS = Number(process.env.REGISTRY_BENCH_HISTORY_ROWS ?? 1_000_000);
const ENGINES = (process.env.REGISTRY_BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.REGISTRY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PG_POOL = Number(process.env.REGISTRY_BENCH_PG_POOL ?? 16);
const PROFILE_DIR = process.env.REGISTRY_BENCH_PROFILE;
/** Messages built ahead per timed phase: bounds memory (a built message is a few KB). */
const CHUNK = 10_000;
const PATIENT_COUNT = 10_000;
/** Persons the million history rows are spread over: ~10 vaccinations each, like a real register. */
const HISTORY_PATIENTS = 100_000;
const DAY = 86_400_000;

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
/** Person n: born 1950-01-01 + ⌊n/499⌋ days, sequence 2·(n mod 499)+1 (odd = male): distinct valid INSZ numbers. */
function benchPerson(n: number): Person {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(n / 499)));
  const first9 = birth.toISOString().slice(2, 10).replaceAll('-', '') + String(1 + 2 * (n % 499)).padStart(3, '0');
  const insz = first9 + String(97 - (Number(first9) % 97)).padStart(2, '0');
  return { insz, firstname: 'Bench', familyname: `Patient ${n}`, birthdate: birth.toISOString().slice(0, 10), sex: 'male' };
}
const patients: readonly Person[] = Array.from({ length: PATIENT_COUNT }, (_, n) => benchPerson(n));
/**
 * Registration n's administration date: patient n mod PATIENT_COUNT gets a different date on each of its passes
 * (⌊n / PATIENT_COUNT⌋ mod 20, 400 days apart), so no registration is a probable duplicate of an earlier one. Until
 * session 3 the date was 2000-01-01 + (n mod 8 000) days: the patient and date cycles met every 40 000, so 60 % of
 * 100 000 registrations were accidental probable duplicates — a rare case in a real register, measured in tests.
 */
const dateOf = (n: number): string =>
  new Date(Date.UTC(2000, 0, 1) + ((Math.floor(n / PATIENT_COUNT) % 20) * 400 + ((n % PATIENT_COUNT) % 400)) * DAY).toISOString().slice(0, 10);

/** The same row the domain stores, for the raw yardstick. */
function rawDose(n: number, tag: string, patientCount = PATIENT_COUNT): NewVaccination {
  return {
    id: `${tag}${n.toString(16).toUpperCase().padStart(31, '0')}`,
    patientInsz: patientCount === PATIENT_COUNT ? patients[n % PATIENT_COUNT]!.insz : benchPerson(n % patientCount).insz,
    product: { cnk: '4293254', name: 'COMIRNATY', vaccinnetCode: 'Covid-19/PFBNT001', atc: 'J07BX03', indications: ['covid19'], group: 'COVID-19' },
    administeredOn: dateOf(n),
    quantity: '1',
    lot: 'FK1234',
    registrantKey: 'doctor:14700250004',
    responsibleNihii: '14700250004',
    softwareId: 'taktik_medispring',
    channel: 'registratie',
    senderMessageId: `raw-${tag}${n}`,
    senderKey: `kmehr:raw-${tag}${n}:0:0`,
    registeredAt: new Date().toISOString(),
    itemXml:
      '<item xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd><batch>FK1234</batch></item>',
    // A content digest's 43 characters, as the domain stores with every dose (issue 11.1); fixed: the yardstick inserts, it does not hash.
    contentDigest: 'BRVjem6O01kGCe3eyW_wr-Yfp9qguERefHuGL0tAabk',
  };
}

/** The audit row the domain stores with a registration of `rawDose(n, tag)` (same columns, same kind of values). */
function rawAudit(n: number, tag: string): AuditLogTable {
  const dose = rawDose(n, tag);
  return auditRow({
    id: randomUUID(),
    at: dose.registeredAt,
    patientInsz: dose.patientInsz,
    action: 'register',
    outcome: 'OK',
    vaccinationId: dose.id,
    actor: dose.registrantKey,
    subject: IDENTITIES.peeters.subject,
    channel: 'registratie',
    softwareId: dose.softwareId,
  });
}

async function domainRate(store: Store, label: string): Promise<Record<string, unknown>> {
  await seedPersonas(store);
  await store.persons.upsertPersons(patients);
  const ports = registryPortsOf(store);
  const message = (n: number): KmehrMessage =>
    personaMessage({ sender: DOCTORS.peeters, patient: patients[n % PATIENT_COUNT]!, messageId: `${label}-${n}`, date: dateOf(n) });
  const register = async (messages: readonly KmehrMessage[]): Promise<number> => {
    let next = 0;
    let failures = 0;
    const worker = async (): Promise<void> => {
      for (let k = next++; k < messages.length; k = next++) {
        const outcome = await registerVaccinations(
          { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [messages[k]!] },
          ports,
        );
        if (!outcome.ok || !outcome.messages[0]?.transactions[0]?.vaccinationId) failures += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return failures;
  };
  // Warm-up (JIT, statement cache, profile cache), not counted: 1 000 registrations of other message ids.
  await register(Array.from({ length: Math.min(1000, N) }, (_, n) => message(N + n)));
  let milliseconds = 0;
  let cpuMicros = 0;
  let failures = 0;
  const recorder = PROFILE_DIR ? await startCpuProfile(500) : undefined;
  for (let first = 0; first < N; first += CHUNK) {
    const messages = Array.from({ length: Math.min(CHUNK, N - first) }, (_, k) => message(first + k));
    const cpu = process.cpuUsage();
    const start = performance.now();
    failures += await register(messages);
    milliseconds += performance.now() - start;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
  }
  let profile: Record<string, unknown> | undefined;
  if (recorder) {
    const file = path.join(PROFILE_DIR!, `registry-${label}.cpuprofile`);
    await recorder.stop(file);
    const summary = summarizeCpuProfile(file, 12);
    profile = { file, byArea: summary.byArea.slice(0, 8), topFunctions: summary.topFunctions };
  }
  if (failures > 0) throw new Error(`${failures} registrations failed`);
  const seconds = milliseconds / 1000;
  const cpuMsPerRegistration = cpuMicros / 1000 / N;
  return {
    registrations: N,
    seconds: round(seconds, 2),
    perSecond: round(N / seconds),
    cpuMsPerRegistration: round(cpuMsPerRegistration, 3),
    /** What one core would sustain if the process had it to itself: the CPU-bound ceiling on an idle machine. */
    perSecondPerCpuCore: round(1000 / cpuMsPerRegistration),
    ...(profile && { profile }),
  };
}

/**
 * Bare better-sqlite3: prepared INSERTs, 1 000 registrations per durable transaction; with `withAudit` each
 * registration is its vaccination row and its audit row, as the domain stores it.
 */
function sqliteRawRate(file: string, tag: string, withAudit: boolean): Record<string, number> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const columns = Object.keys(vaccinationRow(rawDose(0, tag)));
  const auditColumns = Object.keys(rawAudit(0, tag));
  const insert = db.prepare(`insert into vaccinations (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`);
  const insertAudit = db.prepare(`insert into audit_log (${auditColumns.join(',')}) values (${auditColumns.map(() => '?').join(',')})`);
  const many = db.transaction((rows: readonly (readonly [unknown[], unknown[] | undefined])[]) => {
    for (const [row, audit] of rows) {
      insert.run(...row);
      if (audit) insertAudit.run(...audit);
    }
  });
  const start = performance.now();
  for (let i = 0; i < N; i += 1000) {
    const rows: [unknown[], unknown[] | undefined][] = [];
    for (let n = i; n < Math.min(N, i + 1000); n++) {
      rows.push([Object.values(vaccinationRow(rawDose(n, tag))), withAudit ? Object.values(rawAudit(n, tag)) : undefined]);
    }
    many(rows);
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return { [withAudit ? 'registrations' : 'rows']: N, seconds: round(seconds, 2), perSecond: round(N / seconds) };
}

/** Bare pg: 500 registrations per transaction, each table's rows in one multi-row INSERT (`withAudit`: as sqliteRawRate). */
async function postgresRawRate(url: string, schema: string, tag: string, withAudit: boolean): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const multiRow = async (table: string, rows: readonly (VaccinationsTableRow | AuditLogTable)[]): Promise<void> => {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const v = Object.values(row);
      tuples.push(`(${v.map((_, k) => `$${values.length + k + 1}`).join(',')})`);
      values.push(...v);
    }
    await client.query(`insert into ${table} (${Object.keys(rows[0]!).join(',')}) values ${tuples.join(',')}`, values);
  };
  const start = performance.now();
  for (let i = 0; i < N; i += 500) {
    const ns = Array.from({ length: Math.min(N, i + 500) - i }, (_, k) => i + k);
    if (withAudit) await client.query('begin');
    await multiRow(
      'vaccinations',
      ns.map((n) => vaccinationRow(rawDose(n, tag))),
    );
    if (withAudit) {
      await multiRow(
        'audit_log',
        ns.map((n) => rawAudit(n, tag)),
      );
      await client.query('commit');
    }
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return { [withAudit ? 'registrations' : 'rows']: N, seconds: round(seconds, 2), perSecond: round(N / seconds) };
}

type VaccinationsTableRow = ReturnType<typeof vaccinationRow>;

/** The yardstick and the domain's shares of it (see the header). */
function shares(domain: Record<string, unknown>, raw: Record<string, number>, rowsOnly: Record<string, number>): Record<string, unknown> {
  const rate = domain.perSecond as number;
  return {
    raw,
    domainShareOfRaw: round(rate / raw.perSecond!, 3),
    rawVaccinationRowsOnly: rowsOnly,
    domainShareOfRawVaccinationRowsOnly: round(rate / rowsOnly.perSecond!, 3),
  };
}

/** Bare better-sqlite3 seeding of the history rows: one prepared INSERT, 20 000 rows per transaction. */
function sqliteSeed(file: string, from: number, to: number): void {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  const columns = Object.keys(vaccinationRow(rawDose(0, 'H', HISTORY_PATIENTS)));
  const insert = db.prepare(`insert into vaccinations (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`);
  const many = db.transaction((a: number, b: number) => {
    for (let n = a; n < b; n++) insert.run(...Object.values(vaccinationRow(rawDose(n, 'H', HISTORY_PATIENTS))));
  });
  for (let i = from; i < to; i += 20_000) many(i, Math.min(to, i + 20_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Bare pg seeding of the history rows: one COPY … FROM STDIN (text format). */
async function postgresSeed(url: string, schema: string, from: number, to: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const columns = Object.keys(vaccinationRow(rawDose(0, 'H', HISTORY_PATIENTS)));
  const text = (v: unknown): string => (v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));
  async function* lines(): AsyncGenerator<string> {
    for (let i = from; i < to; i += 1000) {
      let chunk = '';
      for (let n = i; n < Math.min(to, i + 1000); n++)
        chunk += `${Object.values(vaccinationRow(rawDose(n, 'H', HISTORY_PATIENTS)))
          .map(text)
          .join('\t')}\n`;
      yield chunk;
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`copy vaccinations (${columns.join(',')}) from stdin`)));
  await client.query('analyze vaccinations');
  await client.end();
}

/** Fills the store to HISTORY_ROWS vaccinations (bare driver, bulk), then times `history(insz)` for random persons. */
async function historyLatency(store: Store, seed: (from: number, to: number) => Promise<void> | void): Promise<Record<string, unknown>> {
  const existing = Number(
    (
      await store.db
        .selectFrom('vaccinations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const seedStart = performance.now();
  if (existing < HISTORY_ROWS) await seed(existing, HISTORY_ROWS);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const insz = (): string => benchPerson(Math.floor(Math.random() * HISTORY_PATIENTS)).insz;
  for (let k = 0; k < 200; k++) await store.vaccinations.history(insz());
  const times: number[] = [];
  let found = 0;
  const cpu = process.cpuUsage();
  for (let k = 0; k < 5000; k++) {
    const person = insz();
    const t0 = performance.now();
    found += (await store.vaccinations.history(person)).length;
    times.push(performance.now() - t0);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const at = (q: number): number => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!, 3);
  return {
    storedVaccinations: Math.max(existing, HISTORY_ROWS),
    seedSeconds: round(seedSeconds, 1),
    lookups: times.length,
    meanRowsPerPerson: round(found / times.length),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    /** The lookup's own CPU time, mean: what the latency would be on an idle core (the tail is the shared machine). */
    cpuMsPerLookup: round((used.user + used.system) / 1000 / times.length, 3),
    plan: await historyPlan(store, benchPerson(1).insz),
  };
}

/** The engine's plan for the history query: proof it is one index range scan, not a table scan. */
async function historyPlan(store: Store, insz: string): Promise<string[]> {
  const query = `select * from vaccinations where patient_insz = '${insz}' and status = 'active' order by administered_on, registered_at`;
  if (store.capabilities.engine === 'sqlite') {
    const rows = await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(store.db);
    return rows.rows.map((r) => r.detail);
  }
  const rows = await sql.raw<{ 'QUERY PLAN': string }>(`explain ${query}`).execute(store.db);
  return rows.rows.map((r) => r['QUERY PLAN']);
}

export default async function registryBench(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { n: N, concurrency: CONCURRENCY, historyRows: HISTORY_ROWS, cpus: cpus().length };
  if (ENGINES.includes('sqlite')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-bench-'));
    try {
      const store = await openStore(`sqlite:${path.join(dir, 'domain.db')}`);
      await store.migrate();
      const domain = await domainRate(store, 'sqlite');
      // Each yardstick into a fresh file of the registry's schema, as the domain's phase started with one.
      for (const file of ['raw.db', 'raw-rows.db']) {
        const rawStore = await openStore(`sqlite:${path.join(dir, file)}`);
        await rawStore.migrate();
        await rawStore.close();
      }
      const raw = sqliteRawRate(path.join(dir, 'raw.db'), 'R', true);
      const rowsOnly = sqliteRawRate(path.join(dir, 'raw-rows.db'), 'R', false);
      const history = await historyLatency(store, (from, to) => sqliteSeed(path.join(dir, 'domain.db'), from, to));
      await store.close();
      out.sqlite = { synchronous: 'FULL', domain, ...shares(domain, raw, rowsOnly), history };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (ENGINES.includes('postgres')) {
    const schema = `bench_${process.pid}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    url.searchParams.set('max', String(PG_POOL));
    const store = await openStore(url.toString());
    try {
      await store.migrate();
      const domain = await domainRate(store, 'postgres');
      // Vaccination rows alone first, into the table as the domain left it (as in the earlier sessions).
      const rowsOnly = await postgresRawRate(PG_URL, schema, 'V', false);
      const raw = await postgresRawRate(PG_URL, schema, 'R', true);
      const history = await historyLatency(store, (from, to) => postgresSeed(PG_URL, schema, from, to));
      out.postgres = { pool: PG_POOL, domain, ...shares(domain, raw, rowsOnly), history };
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    }
  }
  out.loadAverage = loadavg().map((x) => round(x, 2));
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await registryBench(), null, 2));
}
