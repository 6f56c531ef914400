import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_DIR, startRegistryUnderTest } from '../../../test/support/registry-under-test.js';
import { organisationBatch } from '../../batch/testing/organisation-batch.js';
import { workerFixture, type WorkerFixture } from '../../batch/testing/worker-fixture.js';
import { deliveryEnvelope } from '../../client/batch-requests.js';
import { readDeliveryResponse } from '../../client/batch-responses.js';
import { stopXsdWorker, validateFileInWorker, xsdWorkerPid } from '../../kmehr/xsd/validate-file-in-worker.js';
import { createCertificateVerifier } from '../../pki/certificate-verifier.js';
import { createTestPki, type TestPki } from '../../pki/testing/test-pki.js';
import { SOFTWARE_IDS } from '../../registry/demo-personas.js';
import type { Finding } from '../../status/finding.js';
import type { Store } from '../../store/store.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { SOAP_SERVICES } from '../../contracts/soap-services.js';
import { batchAction } from '../../contracts/operations.js';
import { signEnvelope } from '../../wssec/sign-envelope.js';
import { handleBatchCall } from './batch-handler.js';
import { validateSpoolInWorker } from '../../server/spool-xsd.js';
import { writeFileSync } from 'node:fs';

let pki: TestPki;
let spoolDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  spoolDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-xsd-spool-'));
});

afterAll(async () => {
  await stopXsdWorker();
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(spoolDir, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Aanleveren as the hospital over mutual TLS, through the handler, with the given spool validation. */
async function deliver(fx: WorkerFixture, validateSpool: (file: string) => Promise<readonly Finding[]>, tag: string): Promise<{ code: string; xml: string }> {
  const envelope = deliveryEnvelope('Aanleveren', organisationBatch({ folders: 2, tag }), { pakket: SOFTWARE_IDS.azGroeninge });
  const answer = await handleBatchCall(
    {
      body: Readable.from([Buffer.from(envelope)]),
      soapAction: batchAction('Aanleveren'),
      peerCertificate: new X509Certificate(pki.identities.hospital.certificateDer),
    },
    {
      repo: fx.repo,
      ports: fx.ports,
      spoolDir,
      maxBytes: 1 << 20,
      retentionDays: 30,
      log: pino({ level: 'silent' }),
      validateSpool,
      authentication: { certificates: createCertificateVerifier(pki.trustStore()), maxAgeSeconds: 300, clockSkewSeconds: 300 },
    },
  );
  return { code: answer.code, xml: answer.body as string };
}

const [engine] = testEngines();

describe('BatchUpload intake validates in the XSD worker process', () => {
  let store: Store;
  let fx: WorkerFixture;

  beforeAll(async () => {
    store = await engine!.open();
    fx = await workerFixture(store, new Date().toISOString());
  });

  afterAll(async () => {
    await store?.close();
  });

  it('a valid delivery is checked by the worker process and accepted', async () => {
    const { code, xml } = await deliver(fx, (file) => validateFileInWorker(SCHEMA_DIR, file), 'valid');
    expect(code).toBe('OK');
    expect(readDeliveryResponse(xml)).toMatchObject({ accepted: true });
    const pid = xsdWorkerPid();
    expect(pid).toBeDefined();
    expect(pid).not.toBe(process.pid);
  });

  it('a worker that dies during the check answers BATCH_XSD_UNAVAILABLE, stores nothing and leaves no spool file', async () => {
    const before = await store.db
      .selectFrom('deliveries' as never)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // A fresh worker still loading when it is killed: it cannot have answered.
    await stopXsdWorker();
    const crash = (file: string): Promise<readonly Finding[]> => {
      const pending = validateFileInWorker(SCHEMA_DIR, file);
      process.kill(xsdWorkerPid()!, 'SIGKILL');
      return pending;
    };
    const { code, xml } = await deliver(fx, crash, 'crash');
    expect(code).toBe('BATCH_XSD_UNAVAILABLE');
    expect(readDeliveryResponse(xml)).toMatchObject({
      accepted: false,
      foutCode: 'BATCH_XSD_UNAVAILABLE',
      foutOmschrijving: expect.stringMatching(/validator stopped \(reference [0-9a-f-]{36}\)/),
    });
    const after = await store.db
      .selectFrom('deliveries' as never)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(readdirSync(spoolDir)).toEqual([]);

    // The next delivery gets a new worker.
    expect((await deliver(fx, (file) => validateFileInWorker(SCHEMA_DIR, file), 'after-crash')).code).toBe('OK');
  });
});

describe('the registry and its XSD worker process', () => {
  it('validates a signed delivery in the worker and stops the worker when it closes', async () => {
    await stopXsdWorker();
    const reg = await startRegistryUnderTest({
      overrides: { 'server.tls': false, 'pki.trustedCaFiles': [pki.ca.certificatePath], 'batch.workerInProcess': false, 'registry.personCheck': 'checksum' },
    });
    let pid: number | undefined;
    try {
      const hospital = pki.identities.hospital;
      const envelope = deliveryEnvelope('Aanleveren', organisationBatch({ folders: 2, tag: 'registry' }), { pakket: SOFTWARE_IDS.azGroeninge });
      const response = await fetch(`${reg.url}${SOAP_SERVICES.UPLVaccinatieGegevens.path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', soapaction: batchAction('Aanleveren') },
        body: signEnvelope(envelope, { privateKeyPem: hospital.privateKeyPem, certificateDer: hospital.certificateDer }),
      });
      expect(readDeliveryResponse(await response.text())).toMatchObject({ accepted: true });
      pid = xsdWorkerPid();
      expect(pid !== undefined && alive(pid)).toBe(true);
    } finally {
      await reg.close();
    }
    expect(xsdWorkerPid()).toBeUndefined();
    expect(alive(pid!)).toBe(false);
  }, 120_000);
});

describe('the XSD worker of a registry started outside the project folder', () => {
  it('starts and validates although the current directory cannot resolve tsx (npx vaccinnet serve in any folder)', async () => {
    await stopXsdWorker();
    const file = path.join(spoolDir, 'elsewhere.kmehr.xml');
    writeFileSync(file, organisationBatch({ folders: 1, tag: 'elsewhere' }));
    const cwd = process.cwd();
    process.chdir(spoolDir);
    try {
      expect(await validateSpoolInWorker(SCHEMA_DIR)(file)).toEqual([]);
      expect(process.cwd()).toBe(spoolDir);
    } finally {
      process.chdir(cwd);
      rmSync(file, { force: true });
    }
  }, 60_000);
});

describe('a hanging XSD worker', () => {
  it('is killed when a validation outlives its deadline: the intake answers BATCH_XSD_UNAVAILABLE instead of waiting forever', async () => {
    const store = await engine!.open();
    try {
      const fx = await workerFixture(store, new Date().toISOString());
      const validate = validateSpoolInWorker(SCHEMA_DIR, { deadlineMs: () => 3000 });
      // A worker that is up, then stops answering (SIGSTOP: alive, but never replies).
      const file = path.join(spoolDir, 'warm.kmehr.xml');
      writeFileSync(file, organisationBatch({ folders: 1, tag: 'warm' }));
      expect(await validate(file)).toEqual([]);
      rmSync(file);
      const stuck = xsdWorkerPid()!;
      process.kill(stuck, 'SIGSTOP');
      const started = Date.now();
      const { code } = await deliver(fx, validate, 'hang');
      expect(code).toBe('BATCH_XSD_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(alive(stuck)).toBe(false);
      // The next delivery gets a new worker. With the default deadline: a fresh worker (tsx loading the sources)
      // plus one xmllint run takes 2.5-3 s on a loaded 2-core machine, as long as the short deadline above.
      expect((await deliver(fx, validateSpoolInWorker(SCHEMA_DIR), 'after-hang')).code).toBe('OK');
    } finally {
      await store.close();
    }
  }, 60_000);
});
