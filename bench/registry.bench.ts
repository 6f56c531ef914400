/**
 * Registry benchmark (issue 3): registrations per second through the domain layer (authorisation, rules, duplicate
 * check, durable insert + audit) into SQLite and PostgreSQL — 1 message with 1 vaccination each — against the raw
 * insert rate of the same rows with the bare driver (the yardstick), and history-lookup latency p50/p99 for one
 * person among a million stored vaccinations.
 * Standalone: `npx tsx bench/registry.bench.ts`. Knobs (defaults = the issue's sizes):
 *   REGISTRY_BENCH_N=100000            registrations per engine
 *   REGISTRY_BENCH_CONCURRENCY=64      registrations in flight (as a server's concurrent requests)
 *   REGISTRY_BENCH_HISTORY_ROWS=1000000 stored vaccinations for the history lookup
 *   REGISTRY_BENCH_ENGINES=sqlite,postgres
 *   REGISTRY_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test (a schema bench_<pid> is created and dropped)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Person } from '../src/registry/person.js';
import { registerVaccinations } from '../src/registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, SOFTWARE_IDS, personaMessage, seedPersonas } from '../src/registry/testing/index.js';
import type { NewVaccination } from '../src/registry/vaccination.js';
import { openStore } from '../src/store/open-store.js';
import { registryPortsOf } from '../src/store/registry-ports-of.js';
import { vaccinationRow } from '../src/store/rows.js';
import type { Store } from '../src/store/store.js';

const N = Number(process.env.REGISTRY_BENCH_N ?? 100_000);
const CONCURRENCY = Number(process.env.REGISTRY_BENCH_CONCURRENCY ?? 64);
const HISTORY_ROWS = Number(process.env.REGISTRY_BENCH_HISTORY_ROWS ?? 1_000_000);
const ENGINES = (process.env.REGISTRY_BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.REGISTRY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
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
const dateOf = (n: number): string => new Date(Date.UTC(2000, 0, 1) + (n % 8000) * DAY).toISOString().slice(0, 10);

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
    senderMessageId: `raw-${n}`,
    senderKey: `kmehr:raw-${n}:0:0`,
    registeredAt: new Date().toISOString(),
    itemXml: '<item xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd><batch>FK1234</batch></item>',
  };
}

async function domainRate(store: Store, label: string): Promise<Record<string, number>> {
  await seedPersonas(store);
  await store.persons.upsertPersons(patients);
  const ports = registryPortsOf(store);
  let next = 0;
  let failures = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    for (let n = next++; n < N; n = next++) {
      const patient = patients[n % PATIENT_COUNT]!;
      const message = personaMessage({ sender: DOCTORS.peeters, patient, messageId: `${label}-${n}`, date: dateOf(n) });
      const outcome = await registerVaccinations({ caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] }, ports);
      if (!outcome.ok || !outcome.messages[0]?.transactions[0]?.vaccinationId) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  if (failures > 0) throw new Error(`${failures} registrations failed`);
  return { registrations: N, seconds: round(seconds, 2), perSecond: round(N / seconds) };
}

/** Bare better-sqlite3: one prepared INSERT, 1 000 rows per durable transaction. */
function sqliteRawRate(file: string): Record<string, number> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const sample = vaccinationRow(rawDose(0, 'R'));
  const columns = Object.keys(sample);
  const insert = db.prepare(`insert into vaccinations (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`);
  const many = db.transaction((rows: readonly unknown[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const start = performance.now();
  for (let i = 0; i < N; i += 1000) {
    const rows: unknown[][] = [];
    for (let n = i; n < Math.min(N, i + 1000); n++) rows.push(Object.values(vaccinationRow(rawDose(n, 'R'))));
    many(rows);
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return { rows: N, seconds: round(seconds, 2), perSecond: round(N / seconds) };
}

/** Bare pg: multi-row INSERT, 500 rows per statement. */
async function postgresRawRate(url: string, schema: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const columns = Object.keys(vaccinationRow(rawDose(0, 'R')));
  const start = performance.now();
  for (let i = 0; i < N; i += 500) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let n = i; n < Math.min(N, i + 500); n++) {
      const row = Object.values(vaccinationRow(rawDose(n, 'R')));
      tuples.push(`(${row.map((_, k) => `$${values.length + k + 1}`).join(',')})`);
      values.push(...row);
    }
    await client.query(`insert into vaccinations (${columns.join(',')}) values ${tuples.join(',')}`, values);
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  return { rows: N, seconds: round(seconds, 2), perSecond: round(N / seconds) };
}

/** Fills the store to HISTORY_ROWS vaccinations (bulk path), then times `history(insz)` for random persons. */
async function historyLatency(store: Store): Promise<Record<string, number>> {
  const existing = Number((await store.db.selectFrom('vaccinations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  for (let i = existing; i < HISTORY_ROWS; i += 5000) {
    const rows: ReturnType<typeof vaccinationRow>[] = [];
    for (let n = i; n < Math.min(HISTORY_ROWS, i + 5000); n++) rows.push(vaccinationRow(rawDose(n, 'H', HISTORY_PATIENTS)));
    await store.db.transaction().execute(async (trx) => {
      for (let k = 0; k < rows.length; k += 500) await trx.insertInto('vaccinations').values(rows.slice(k, k + 500)).execute();
    });
  }
  const times: number[] = [];
  let found = 0;
  for (let k = 0; k < 2000; k++) {
    const insz = benchPerson(Math.floor(Math.random() * HISTORY_PATIENTS)).insz;
    const t0 = performance.now();
    found += (await store.vaccinations.history(insz)).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!, 3);
  return { storedVaccinations: Math.max(existing, HISTORY_ROWS), lookups: times.length, meanRowsPerPerson: round(found / times.length), p50Ms: at(0.5), p99Ms: at(0.99) };
}

export default async function registryBench(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { n: N, concurrency: CONCURRENCY, historyRows: HISTORY_ROWS, cpus: cpus().length };
  if (ENGINES.includes('sqlite')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-bench-'));
    try {
      const store = await openStore(`sqlite:${path.join(dir, 'domain.db')}`);
      await store.migrate();
      const domain = await domainRate(store, 'sqlite');
      const rawStore = await openStore(`sqlite:${path.join(dir, 'raw.db')}`);
      await rawStore.migrate();
      await rawStore.close();
      const raw = sqliteRawRate(path.join(dir, 'raw.db'));
      const history = await historyLatency(store);
      await store.close();
      out.sqlite = { synchronous: 'FULL', domain, raw, domainShareOfRaw: round(domain.perSecond! / raw.perSecond!, 3), history };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (ENGINES.includes('postgres')) {
    const schema = `bench_${process.pid}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    url.searchParams.set('max', String(Math.min(CONCURRENCY, 20)));
    const store = await openStore(url.toString());
    try {
      await store.migrate();
      const domain = await domainRate(store, 'postgres');
      const raw = await postgresRawRate(PG_URL, schema);
      const history = await historyLatency(store);
      out.postgres = { domain, raw, domainShareOfRaw: round(domain.perSecond! / raw.perSecond!, 3), history };
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
