/**
 * Issue 11.3/4/7 end to end, on real HTTPS with mutual TLS and real signatures from the development CA: one caller
 * identity per call (TLS certificate vs WS-Security signature), signed requests accepted once (also across two
 * registry nodes on one database), and the security-event log + metric of every refused authentication.
 */
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../test/support/registry-under-test.js';
import { organisationBatch } from '../batch/testing/organisation-batch.js';
import { deliveryEnvelope, resultEnvelope } from '../client/batch-requests.js';
import { readDeliveryResponse, readResultResponse } from '../client/batch-responses.js';
import { getVaccinationsEnvelope } from '../client/registratie-requests.js';
import { readGetVaccinationsResponse } from '../client/registratie-responses.js';
import type { P12Contents } from '../pki/pkcs12.js';
import { ORGANISATIONS, PATIENTS, SOFTWARE_IDS } from '../registry/demo-personas.js';
import { registryDatabaseUrl } from './batch/testing/registry-url.js';
import { testEngines } from '../store/testing/test-engines.js';
import { SOAP_SERVICES } from '../contracts/soap-services.js';
import { batchAction, registratieAction, type BatchOperation } from '../contracts/operations.js';
import { signEnvelope } from '../wssec/sign-envelope.js';

const REGISTRATIE = SOAP_SERVICES['VaccinationService-2_1'].path;
const BATCH = SOAP_SERVICES.UPLVaccinatieGegevens.path;

type LogLine = Record<string, unknown>;

function logSink(lines: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer, _e, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
}

/** One request on its own connection: `tls` is the client certificate presented, if any. */
function post(node: RegistryUnderTest, target: string, action: string, body: string, tls?: P12Contents): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${node.url}${target}`,
      {
        method: 'POST',
        agent: false,
        ca: node.registry.caPem,
        ...(tls && { key: tls.privateKeyPem, cert: tls.certificatePem }),
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const signed = (envelope: string, key: P12Contents): string => signEnvelope(envelope, { privateKeyPem: key.privateKeyPem, certificateDer: key.certificateDer });

function readJan(node: RegistryUnderTest, key: P12Contents, softwareId: string): string {
  return signed(getVaccinationsEnvelope({ softwareId, patientId: PATIENTS.jan.insz }), key);
}

async function securityCount(node: RegistryUnderTest, code: string): Promise<number> {
  const metric = await node.registry.metrics.securityEvents.get();
  return metric.values.find((v) => v.labels.code === code)?.value ?? 0;
}

for (const engine of testEngines()) {
  describe(`signed callers (${engine.name})`, () => {
    const logs: LogLine[] = [];
    let sqliteDir: string;
    let nodes: RegistryUnderTest[];
    let peeters: P12Contents & { softwareId: string };
    let maes: P12Contents & { softwareId: string };
    let hospital: P12Contents & { softwareId: string };
    let group: P12Contents & { softwareId: string };

    beforeAll(async () => {
      sqliteDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-signed-'));
      const databaseUrl = registryDatabaseUrl(engine.name, 'signed_callers') ?? `sqlite:${path.join(sqliteDir, 'shared.db')}`;
      const overrides = { 'batch.workerInProcess': false };
      const first = await startRegistryUnderTest({ databaseUrl, overrides, logDestination: logSink(logs) });
      // A second node on the same database and the same CA: a replay may be sent to either.
      const second = await startRegistryUnderTest({ databaseUrl, overrides: { ...overrides, 'pki.dir': first.registry.config.pki.dir } });
      nodes = [first, second];
      peeters = first.credentials('peeters');
      maes = first.credentials('maes');
      hospital = first.credentials('azGroeninge');
      group = first.credentials('deLinde');
    }, 180_000);

    afterAll(async () => {
      for (const node of nodes ?? []) await node.close();
      rmSync(sqliteDir, { recursive: true, force: true });
    });

    const securityLines = (code: string): LogLine[] => logs.filter((l) => l.event === 'security' && l.code === code);

    it('TLS certificate of doctor A with a signature of doctor B → AUTH_IDENTITY_MISMATCH, nothing runs, logged, counted and audited', async () => {
      const node = nodes[0]!;
      const before = (await node.registry.store.audit.forPerson(PATIENTS.jan.insz)).length;
      const counted = await securityCount(node, 'AUTH_IDENTITY_MISMATCH');
      const answer = await post(node, REGISTRATIE, registratieAction('GetVaccinations'), readJan(node, maes, maes.softwareId), peeters);
      const read = readGetVaccinationsResponse(answer.text, answer.status);
      expect(read.status.code).toBe('AUTH_IDENTITY_MISMATCH');
      expect(read.kmehr).toBeUndefined();

      const audit = (await node.registry.store.audit.forPerson(PATIENTS.jan.insz)).slice(before);
      // No read ran (its own audit row would say action "read"); the refusal is audited against the patient.
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([['refuse', 'AUTH_IDENTITY_MISMATCH']]);
      expect(await securityCount(node, 'AUTH_IDENTITY_MISMATCH')).toBe(counted + 1);

      const [line] = securityLines('AUTH_IDENTITY_MISMATCH').slice(-1);
      const maesFingerprint = new (await import('node:crypto')).X509Certificate(maes.certificateDer).fingerprint256.replaceAll(':', '');
      const peetersFingerprint = new (await import('node:crypto')).X509Certificate(peeters.certificateDer).fingerprint256.replaceAll(':', '');
      expect(line).toMatchObject({
        level: 40,
        event: 'security',
        service: 'VaccinationService-2_1',
        operation: 'GetVaccinations',
        fingerprint: maesFingerprint,
        tlsFingerprint: peetersFingerprint,
        subject: 'SSIN=751102*****',
        msg: 'authentication refused',
      });
      expect(String(line!.remoteAddress)).toMatch(/127\.0\.0\.1/);
      // Nothing personal unmasked: neither doctor's SSIN nor the patient's INSZ appears in any log line.
      const all = logs.map((l) => JSON.stringify(l)).join('\n');
      for (const ssin of ['75110220232', '70031510167', PATIENTS.jan.insz]) expect(all).not.toContain(ssin);
    });

    it('the same doctor on both (same certificate) → OK', async () => {
      const node = nodes[0]!;
      const answer = await post(node, REGISTRATIE, registratieAction('GetVaccinations'), readJan(node, peeters, peeters.softwareId), peeters);
      expect(readGetVaccinationsResponse(answer.text, answer.status).status.code).toBe('OK');
    });

    it('the same signed read twice → the second AUTH_SIGNATURE_REPLAYED, also on the other node; signed anew → OK', async () => {
      const [a, b] = nodes as [RegistryUnderTest, RegistryUnderTest];
      const body = readJan(a, peeters, peeters.softwareId);
      const counted = await securityCount(a, 'AUTH_SIGNATURE_REPLAYED');
      const code = async (node: RegistryUnderTest, envelope: string): Promise<string> => {
        const r = await post(node, REGISTRATIE, registratieAction('GetVaccinations'), envelope);
        return readGetVaccinationsResponse(r.text, r.status).status.code;
      };
      expect(await code(a, body)).toBe('OK');
      expect(await code(a, body)).toBe('AUTH_SIGNATURE_REPLAYED');
      expect(await code(b, body)).toBe('AUTH_SIGNATURE_REPLAYED');
      expect(await code(a, readJan(a, peeters, peeters.softwareId))).toBe('OK');
      expect(await securityCount(a, 'AUTH_SIGNATURE_REPLAYED')).toBe(counted + 1);
      expect(securityLines('AUTH_SIGNATURE_REPLAYED').at(-1)).toMatchObject({ operation: 'GetVaccinations', subject: 'SSIN=700315*****' });
    });

    it('BatchUpload: TLS certificate of one organisation with the signature of another → AUTH_IDENTITY_MISMATCH; the same → accepted', async () => {
      const node = nodes[0]!;
      const deliveries = async (): Promise<number> =>
        Number(
          (
            (await node.registry.store.db
              .selectFrom('deliveries' as never)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()) as { n: number | string }
          ).n,
        );
      const before = await deliveries();
      const envelope = (tag: string): string =>
        deliveryEnvelope('Aanleveren', organisationBatch({ folders: 1, tag, userCode: ORGANISATIONS.azGroeninge.userCode }), {
          pakket: SOFTWARE_IDS.azGroeninge,
        });
      const send = (body: string, tls: P12Contents, op: BatchOperation = 'Aanleveren') => post(node, BATCH, batchAction(op), body, tls);

      const mismatched = readDeliveryResponse((await send(signed(envelope('mismatch'), hospital), group)).text);
      expect(mismatched).toMatchObject({ accepted: false, foutCode: 'AUTH_IDENTITY_MISMATCH' });
      expect(await deliveries()).toBe(before);
      expect(securityLines('AUTH_IDENTITY_MISMATCH').at(-1)).toMatchObject({ service: 'UPLVaccinatieGegevens', operation: 'Aanleveren' });

      const same = readDeliveryResponse((await send(signed(envelope('same'), hospital), hospital)).text);
      expect(same).toMatchObject({ accepted: true });
      expect(await deliveries()).toBe(before + 1);
    });

    it('BatchUpload: a signed results read is accepted once; a resent signed delivery still answers its first transactionId', async () => {
      const node = nodes[0]!;
      const delivery = signed(
        deliveryEnvelope('Aanleveren', organisationBatch({ folders: 1, tag: 'resend', userCode: ORGANISATIONS.azGroeninge.userCode }), {
          pakket: SOFTWARE_IDS.azGroeninge,
        }),
        hospital,
      );
      const first = readDeliveryResponse((await post(node, BATCH, batchAction('Aanleveren'), delivery)).text);
      const again = readDeliveryResponse((await post(node, BATCH, batchAction('Aanleveren'), delivery)).text);
      expect(first).toMatchObject({ accepted: true });
      expect(again).toEqual(first);

      const results = signed(
        resultEnvelope({ requestId: first.accepted ? first.transactionId : '', gebruikersId: ORGANISATIONS.azGroeninge.userCode }),
        hospital,
      );
      const read = async (): Promise<unknown> => readResultResponse((await post(node, BATCH, batchAction('ResultaatVerwerking'), results)).text);
      expect(await read()).not.toMatchObject({ foutCode: 'AUTH_SIGNATURE_REPLAYED' });
      expect(await read()).toMatchObject({ foutCode: 'AUTH_SIGNATURE_REPLAYED' });
    });

    it('refusals at the certificate stage are logged too: no signature and no client certificate → AUTH_NOT_AUTHENTICATED', async () => {
      const node = nodes[0]!;
      const counted = await securityCount(node, 'AUTH_NOT_AUTHENTICATED');
      const r = await post(
        node,
        REGISTRATIE,
        registratieAction('GetVaccinations'),
        getVaccinationsEnvelope({ softwareId: peeters.softwareId, patientId: PATIENTS.jan.insz }),
      );
      expect(readGetVaccinationsResponse(r.text, r.status).status.code).toBe('AUTH_NOT_AUTHENTICATED');
      expect(await securityCount(node, 'AUTH_NOT_AUTHENTICATED')).toBe(counted + 1);
      expect(securityLines('AUTH_NOT_AUTHENTICATED').at(-1)).toMatchObject({ operation: 'GetVaccinations', service: 'VaccinationService-2_1' });
    });
  });
}
