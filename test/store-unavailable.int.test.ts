/**
 * Issue 16 §4 on PostgreSQL: with every pooled connection busy, a call waits a bounded time and is answered with a
 * SOAP Fault STORE_UNAVAILABLE (HTTP 503, retry=true) — never a hang; once the connection is free the retry is
 * stored. After the database ends the registry's connections (what a PostgreSQL restart does), the node keeps
 * running and the next calls work, without a restart of the node.
 */
import https from 'node:https';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { addVaccinationsEnvelope } from '../src/client/registratie-requests.js';
import { readAddVaccinationsResponse } from '../src/client/registratie-responses.js';
import { soapHeaders } from '../src/client/soap-transport.js';
import { registratieAction } from '../src/contracts/operations.js';
import { SOAP_SERVICES } from '../src/contracts/soap-services.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { DOCTORS, PATIENTS } from '../src/registry/demo-personas.js';
import { testEngines } from '../src/store/testing/test-engines.js';
import { startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const onPostgres = testEngines().some((e) => e.name === 'postgres');
const APP = `vaccinnet-unavailable-${process.pid}`;
let t: RegistryUnderTest;
let schema: string;
let admin: pg.Client;
let counter = 0;

function addEnvelope(): Buffer {
  counter += 1;
  const kmehr = writeKmehr(
    buildRegistrationMessage(
      {
        sender: { nihii: DOCTORS.peeters.nihii, ssin: DOCTORS.peeters.ssin, name: 'An Peeters' },
        patient: { insz: PATIENTS.emma.insz },
        product: { cnk: '4293254' },
        date: '2024-03-01',
        lot: 'FK1234',
        now: { date: '2024-03-01', time: '10:00:00', millis: Date.now() * 100 + counter },
      },
      defaultVaccineReference(),
    ),
  );
  return Buffer.from(addVaccinationsEnvelope({ softwareId: 'taktik_medispring', patientId: PATIENTS.emma.insz, messages: [{ kmehr }] }));
}

function post(body: Buffer): Promise<{ status: number; body: string; ms: number }> {
  const doctor = t.credentials('peeters');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${t.url}${SOAP_SERVICES['VaccinationService-2_1'].path}`,
      {
        method: 'POST',
        ca: t.registry.caPem,
        key: doctor.privateKeyPem,
        cert: doctor.certificatePem,
        agent: false,
        headers: soapHeaders(registratieAction('AddVaccinations'), body.length),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: Date.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.runIf(onPostgres)('PostgreSQL out of reach (pool exhausted, connections ended)', () => {
  beforeAll(async () => {
    schema = `unavailable_${process.pid}_${Date.now().toString(36)}`;
    const url = new URL(process.env.VACCINNET_TEST_PG_URL!);
    url.searchParams.set('schema', schema);
    url.searchParams.set('max', '1');
    url.searchParams.set('pool_timeout_ms', '500');
    url.searchParams.set('application_name', APP);
    admin = new pg.Client({ connectionString: process.env.VACCINNET_TEST_PG_URL! });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    // The in-process batch worker would share the one connection: off, so only the calls below use it.
    t = await startRegistryUnderTest({ databaseUrl: url.toString(), overrides: { 'batch.workerInProcess': false } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await admin?.end();
  });

  it('answers STORE_UNAVAILABLE (Fault, HTTP 503, retry=true) within the pool wait while the one connection is held, then stores the retry', async () => {
    // A lock held from outside keeps the registry's only connection busy inside the first call.
    await admin.query('begin');
    await admin.query(`lock table ${schema}.vaccinations in access exclusive mode`);
    const held = post(addEnvelope());
    await new Promise((r) => setTimeout(r, 300)); // the first call has the connection and waits on the lock
    const refused = await post(addEnvelope());
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('<faultcode>soap:Server</faultcode>');
    expect(refused.body).toMatch(/<faultstring>STORE_UNAVAILABLE: /);
    expect(refused.body).toContain('<st:retry>true</st:retry>');
    expect(refused.ms).toBeLessThan(5_000); // bounded by pool_timeout_ms, not a hang
    await admin.query('rollback');

    const first = readAddVaccinationsResponse((await held).body);
    expect(first.status.code).toBe('OK');
    const retry = await post(addEnvelope());
    expect(retry.status).toBe(200);
    const id = readAddVaccinationsResponse(retry.body).results[0]?.vaccinationId?.value;
    expect(await t.registry.ports.vaccinations.getVaccination(PATIENTS.emma.insz, id!)).toMatchObject({ status: 'active' });
  }, 60_000);

  it('keeps running when PostgreSQL ends its connections (a restart) and serves the next calls by itself', async () => {
    expect((await post(addEnvelope())).status).toBe(200); // a pooled connection exists
    const ended = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [APP]);
    expect(ended.rows.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // the idle client learns its connection is gone
    const after = await post(addEnvelope());
    expect(after.status).toBe(200);
    expect(readAddVaccinationsResponse(after.body).results[0]?.vaccinationId?.value).toMatch(/^[0-9A-F]{32}$/);
  }, 60_000);
});
