import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../../test/support/registry-under-test.js';
import { organisationBatch } from '../../batch/testing/organisation-batch.js';
import { deliveryEnvelope } from '../../client/batch-requests.js';
import { readDeliveryResponse } from '../../client/batch-responses.js';
import { createTestPki, type TestPki } from '../../pki/testing/test-pki.js';
import { SOFTWARE_IDS } from '../../registry/demo-personas.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { SOAP_SERVICES } from '../../contracts/soap-services.js';
import { batchAction } from '../../contracts/operations.js';
import { signEnvelope } from '../../wssec/sign-envelope.js';
import { registryDatabaseUrl } from './testing/registry-url.js';

const PATH = SOAP_SERVICES.UPLVaccinatieGegevens.path;

async function post(url: string, envelope: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${batchAction('Aanleveren')}"` },
    body: envelope,
  });
  return { status: response.status, text: await response.text() };
}

for (const engine of testEngines()) {
  describe(`BatchUpload replays (${engine.name})`, () => {
    let pki: TestPki;
    let sqliteDir: string;
    let nodes: RegistryUnderTest[];

    beforeAll(async () => {
      pki = await createTestPki();
      sqliteDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-replay-'));
      // Two registry nodes on one database: a replay may arrive at either.
      const databaseUrl = registryDatabaseUrl(engine.name, 'batch_replay') ?? `sqlite:${path.join(sqliteDir, 'shared.db')}`;
      const overrides = {
        'server.tls': false,
        'pki.trustedCaFiles': [pki.ca.certificatePath],
        'pki.crlFiles': [pki.ca.crlPath],
        'batch.workerInProcess': false,
        'registry.personCheck': 'checksum',
      };
      const first = await startRegistryUnderTest({ databaseUrl, overrides });
      nodes = [first, await startRegistryUnderTest({ databaseUrl, overrides })];
    }, 120_000);

    afterAll(async () => {
      for (const node of nodes ?? []) await node.close();
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
      rmSync(sqliteDir, { recursive: true, force: true });
    });

    const deliveries = async (): Promise<number> =>
      Number(
        (
          (await nodes[0]!.registry.store.db
            .selectFrom('deliveries' as never)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()) as { n: number | string }
        ).n,
      );

    it('the same signed delivery sent again — to the same node or another — answers the original transactionId and stores nothing more', async () => {
      const hospital = pki.identities.hospital;
      const envelope = deliveryEnvelope('Aanleveren', organisationBatch({ folders: 3, tag: 'replay' }), { pakket: SOFTWARE_IDS.azGroeninge });
      const signed = signEnvelope(envelope, { privateKeyPem: hospital.privateKeyPem, certificateDer: hospital.certificateDer });
      const before = await deliveries();

      const first = readDeliveryResponse((await post(nodes[0]!.url, signed)).text);
      expect(first).toMatchObject({ accepted: true });
      const again = readDeliveryResponse((await post(nodes[0]!.url, signed)).text);
      const elsewhere = readDeliveryResponse((await post(nodes[1]!.url, signed)).text);
      expect(again).toEqual(first);
      expect(elsewhere).toEqual(first);
      expect(await deliveries()).toBe(before + 1);

      // The same content signed anew is a new request (a new Timestamp, a new signature): a new delivery.
      const resigned = signEnvelope(envelope, { privateKeyPem: hospital.privateKeyPem, certificateDer: hospital.certificateDer });
      const second = readDeliveryResponse((await post(nodes[1]!.url, resigned)).text);
      expect(second).toMatchObject({ accepted: true });
      expect(second).not.toEqual(first);
      expect(await deliveries()).toBe(before + 2);
    });

    it('identical requests racing each other still create one delivery', async () => {
      const hospital = pki.identities.hospital;
      const envelope = deliveryEnvelope('Aanleveren', organisationBatch({ folders: 2, tag: 'race' }), { pakket: SOFTWARE_IDS.azGroeninge });
      const signed = signEnvelope(envelope, { privateKeyPem: hospital.privateKeyPem, certificateDer: hospital.certificateDer });
      const before = await deliveries();
      // SQLite is one node's embedded database: its racers are concurrent requests to one node (two nodes in one test
      // process would block each other's synchronous driver); PostgreSQL races across the nodes.
      const targets = engine.name === 'postgres' ? [0, 1, 0] : [0, 0, 0];
      const answers = await Promise.all(targets.map((n) => post(nodes[n]!.url, signed)));
      const ids = answers.map((a) => readDeliveryResponse(a.text)).map((a) => (a.accepted ? a.transactionId : a.foutCode));
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(await deliveries()).toBe(before + 1);
    });
  });
}
