/**
 * Issue 11.2 and 11.5 end to end: the real server (SQLite and PostgreSQL), mutual TLS with a demo doctor's
 * certificate, raw SOAP envelopes so the exact bytes of the answer are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRATIE_PATH } from '../src/client/registratie-client.js';
import { registratieAction } from '../src/contracts/operations.js';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { addVaccinationsEnvelope, getVaccinationsEnvelope } from '../src/client/registratie-requests.js';
import { readAddVaccinationsResponse, readGetVaccinationsResponse } from '../src/client/registratie-responses.js';
import { SoapTransport } from '../src/client/soap-transport.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { DOCTORS, PATIENTS } from '../src/registry/demo-personas.js';
import { testEngines } from '../src/store/testing/test-engines.js';
import { startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const WRONG_CHECK_DIGITS = '85071412331';

describe.each(testEngines())('strict reads and bounded, masked echoes over SOAP on $name', (engine) => {
  let t: RegistryUnderTest;
  let soap: SoapTransport;
  let softwareId: string;

  beforeAll(async () => {
    // A fresh database of this engine (its own PostgreSQL schema), handed to the server.
    const store = await engine.open();
    const url = engine.lastUrl();
    await store.close();
    t = await startRegistryUnderTest({ databaseUrl: url });
    const doctor = t.credentials('peeters');
    softwareId = doctor.softwareId;
    soap = new SoapTransport({ baseUrl: t.url, ca: t.registry.caPem, clientCertificate: { certPem: doctor.certificatePem, keyPem: doctor.privateKeyPem } });
  }, 120_000);

  afterAll(async () => {
    soap?.close();
    await t?.close();
  });

  const get = (patientId: string, sw = softwareId) =>
    soap.post(REGISTRATIE_PATH, registratieAction('GetVaccinations'), getVaccinationsEnvelope({ softwareId: sw, patientId }));

  it.each([
    ['empty', '', 'INSZ_FORMAT'],
    ['%', '%', 'INSZ_FORMAT'],
    ["0' OR '1'='1", "0' OR '1'='1", 'INSZ_FORMAT'],
    ['wrong check digits', WRONG_CHECK_DIGITS, 'INSZ_CHECKSUM'],
  ])('GetVaccinations with PatientId %s → HTTP 200 with %s, the value masked, audited without it', async (_name, patientId, code) => {
    const before = (await t.registry.ports.audit.forPerson('')).length;
    const res = await get(patientId);
    expect(res.status).toBe(200);
    const answer = readGetVaccinationsResponse(res.body, res.status);
    expect(answer.status.code).toBe(code);
    expect(answer.kmehr).toBeUndefined();
    expect(answer.status.message).toContain('PatientId');
    if (patientId !== '') expect(res.body).not.toContain(patientId.replace(/'/g, '&apos;'));
    if (patientId === WRONG_CHECK_DIGITS) expect(answer.status.message).toContain('850714*****');
    if (patientId === '') expect(answer.status.message).toContain('(missing)');

    const rows = await t.registry.ports.audit.forPerson('');
    expect(rows.slice(before)).toMatchObject([{ action: 'read', outcome: code, patientInsz: '', detail: 'PatientId refused' }]);
    if (patientId !== '') expect(await t.registry.ports.audit.forPerson(patientId)).toEqual([]);
  });

  it('a 1.9 MB softwareID gets a small answer, the value cut to 64 characters and an ellipsis', async () => {
    const huge = 'x'.repeat(1_900_000);
    const res = await get(PATIENTS.jan.insz, huge);
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.body)).toBeLessThan(4096);
    const answer = readGetVaccinationsResponse(res.body, res.status);
    expect(answer.status.code).toBe('SOFTWARE_ID_MALFORMED');
    expect(answer.status.message).toContain(`${'x'.repeat(64)}…`);
    expect(answer.status.message).not.toContain('x'.repeat(65));
  });

  it('an INSZ with wrong check digits in an AddVaccinations message and PatientId is masked everywhere in the answer', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const kmehr = writeKmehr(
      buildRegistrationMessage(
        {
          sender: { nihii: DOCTORS.peeters.nihii, ssin: DOCTORS.peeters.ssin, name: 'An Peeters' },
          patient: { insz: WRONG_CHECK_DIGITS },
          product: { cnk: '4293254' },
          date: '2024-03-01',
          lot: 'FK1234',
          now: { date: today, time: '10:00:00', millis: Date.now() * 100 },
        },
        defaultVaccineReference(),
      ),
    );
    const res = await soap.post(
      REGISTRATIE_PATH,
      registratieAction('AddVaccinations'),
      addVaccinationsEnvelope({ softwareId, patientId: WRONG_CHECK_DIGITS, messages: [{ kmehr }] }),
    );
    const answer = readAddVaccinationsResponse(res.body, res.status);
    expect(answer.results[0]?.status?.code).toBe('INSZ_CHECKSUM');
    expect(answer.results[0]?.status?.message).toContain('850714*****');
    expect(answer.patientId).toBe('850714*****');
    expect(res.body).not.toContain(WRONG_CHECK_DIGITS);
  });

  it("a 10 000-deep KMEHR on AddVaccinations is our XML_TOO_DEEP, not libxml2's XML_MALFORMED", async () => {
    const deep = `<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1">${'<folder>'.repeat(10_000)}${'</folder>'.repeat(10_000)}</kmehrmessage>`;
    const res = await soap.post(
      REGISTRATIE_PATH,
      registratieAction('AddVaccinations'),
      addVaccinationsEnvelope({ softwareId, patientId: PATIENTS.jan.insz, messages: [{ kmehr: deep }] }),
    );
    const answer = readAddVaccinationsResponse(res.body, res.status);
    expect(answer.results[0]?.status?.code).toBe('XML_TOO_DEEP');
    expect(answer.results[0]?.status?.message).not.toContain('XML_MALFORMED');
    expect(answer.results[0]?.status?.message).not.toMatch(/Excessive depth/);
  });
});
