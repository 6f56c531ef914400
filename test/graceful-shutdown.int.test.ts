/**
 * Issue 16 §4: stopping the registry (what SIGTERM does in `vaccinnet serve`: `RunningRegistry.close()`) drains the
 * calls in flight — a registration whose body is still arriving is answered and stored — while new connections are
 * no longer accepted; the store closes only after.
 */
import https from 'node:https';
import { rmSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { addVaccinationsEnvelope } from '../src/client/registratie-requests.js';
import { readAddVaccinationsResponse } from '../src/client/registratie-responses.js';
import { soapHeaders } from '../src/client/soap-transport.js';
import { registratieAction } from '../src/contracts/operations.js';
import { SOAP_SERVICES } from '../src/contracts/soap-services.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { DOCTORS, PATIENTS } from '../src/registry/demo-personas.js';
import { openStore } from '../src/store/open-store.js';
import { startRegistryUnderTest } from './support/registry-under-test.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dataDir: string | undefined;
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('answers and stores a registration still uploading when the stop begins, refuses new connections, then closes', async () => {
    const t = await startRegistryUnderTest();
    dataDir = t.dataDir;
    const doctor = t.credentials('peeters');
    const kmehr = writeKmehr(
      buildRegistrationMessage(
        {
          sender: { nihii: DOCTORS.peeters.nihii, ssin: DOCTORS.peeters.ssin, name: 'An Peeters' },
          patient: { insz: PATIENTS.emma.insz },
          product: { cnk: '4293254' },
          date: '2024-03-01',
          lot: 'FK1234',
          now: { date: '2024-03-01', time: '10:00:00', millis: Date.now() * 100 },
        },
        defaultVaccineReference(),
      ),
    );
    const body = Buffer.from(addVaccinationsEnvelope({ softwareId: doctor.softwareId, patientId: PATIENTS.emma.insz, messages: [{ kmehr }] }));
    const { port } = new URL(t.url);

    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: SOAP_SERVICES['VaccinationService-2_1'].path,
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
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 200));
      // The rest after the stop has begun.
      void pause(700).then(() => req.end(body.subarray(200)));
    });

    await pause(300); // the request is in the server, its body half read
    let closed = false;
    const closing = t.registry.close().then(() => (closed = true));
    await pause(150);

    // A new connection is no longer accepted.
    const refused = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: Number(port), ca: t.registry.caPem, key: doctor.privateKeyPem, cert: doctor.certificatePem });
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(closed).toBe(false); // still draining the call in flight

    const got = await answer;
    expect(got.status).toBe(200);
    const reply = readAddVaccinationsResponse(got.body);
    expect(reply.status.code).toBe('OK');
    const id = reply.results[0]?.vaccinationId?.value;
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    await closing;

    // "OK" means stored: the answer given during the stop is in the database once the registry has stopped.
    const store = await openStore(`sqlite:${path.join(t.dataDir, 'vaccinnet.db')}`);
    try {
      expect(await store.vaccinations.getVaccination(PATIENTS.emma.insz, id!)).toMatchObject({ status: 'active', lot: 'FK1234' });
    } finally {
      await store.close();
    }
  }, 60_000);
});
