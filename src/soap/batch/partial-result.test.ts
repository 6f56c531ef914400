import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerFixture, type WorkerFixture } from '../../batch/testing/worker-fixture.js';
import { readResultResponse, type ResultAnswer } from '../../client/batch-responses.js';
import { resultEnvelope } from '../../client/batch-requests.js';
import { createCertificateVerifier } from '../../pki/certificate-verifier.js';
import { createTestPki, type TestPki } from '../../pki/testing/test-pki.js';
import { ORGANISATIONS } from '../../registry/demo-personas.js';
import type { Store } from '../../store/store.js';
import { testEngines } from '../../store/testing/test-engines.js';
import type { BatchAnswer } from './batch-answer.js';
import { handleBatchCall } from './batch-handler.js';
import { DELIVERY_STATUS_SL } from './result-answer.js';
import { batchAction } from '../../contracts/operations.js';

let pki: TestPki;
let spoolDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  spoolDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-spool-'));
});

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(spoolDir, { recursive: true, force: true });
});

async function text(body: BatchAnswer['body']): Promise<string> {
  if (typeof body === 'string') return body;
  let s = '';
  for await (const piece of body) s += piece;
  return s;
}

/** ResultaatVerwerking as the hospital over mutual TLS (its TLS certificate is the credential). */
async function askResult(fx: WorkerFixture, requestId: string): Promise<{ code: string; answer: ResultAnswer }> {
  const answer = await handleBatchCall(
    {
      body: Readable.from([Buffer.from(resultEnvelope({ requestId, gebruikersId: ORGANISATIONS.azGroeninge.userCode }))]),
      soapAction: batchAction('ResultaatVerwerking'),
      peerCertificate: new X509Certificate(pki.identities.hospital.certificateDer),
    },
    {
      repo: fx.repo,
      ports: fx.ports,
      spoolDir,
      maxBytes: 1 << 20,
      retentionDays: 30,
      log: pino({ level: 'silent' }),
      authentication: { certificates: createCertificateVerifier(pki.trustStore()), maxAgeSeconds: 300, clockSkewSeconds: 300 },
    },
  );
  return { code: answer.code, answer: readResultResponse(await text(answer.body), answer.httpStatus) };
}

for (const engine of testEngines()) {
  describe(`ResultaatVerwerking of a delivery that failed part-way (${engine.name})`, () => {
    let store: Store;
    let fx: WorkerFixture;

    beforeAll(async () => {
      store = await engine.open();
      // The test certificates are valid around the real now.
      fx = await workerFixture(store, new Date().toISOString());
    });

    afterAll(async () => {
      await store?.close();
    });

    it('a message that stops parsing after 300 folders: the 250 committed results are answered, then a BATCH_PARTIAL folder naming the cause', async () => {
      const id = await fx.deliver({ folders: 300, tag: 'broken', trailer: '<folder><id S="ID-KMEHR" SV="1.0">301</id><patient>' });
      expect(await fx.worker({ sliceSize: 250 }).runOnce()).toBe(1);
      expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'failed', transactions: 250, attempts: 1 });

      const { code, answer } = await askResult(fx, id);
      expect(code).toBe('BATCH_PARTIAL');
      if (answer.kind !== 'result') throw new Error(`expected folder results, got ${JSON.stringify(answer)}`);
      expect(answer.folders).toHaveLength(251);
      expect(answer.folders.slice(0, 250).every((f) => f.transactions.length === 1 && f.transactions[0]!.resultCode === 'OK')).toBe(true);
      const marker = answer.folders[250]!;
      expect(marker.ids).toEqual([{ s: 'LOCAL', sl: DELIVERY_STATUS_SL, value: id }]);
      expect(marker.patient).toBe('');
      expect(marker.transactions.map((t) => t.resultCode)).toEqual(['BATCH_PARTIAL']);
      expect(marker.transactions[0]!.resultTekst).toMatch(/^Only the first 250 transactions of this delivery were processed .* Cause: XML_/);
    });

    it('a delivery that ran out of attempts after committing results answers them, then BATCH_PARTIAL with BATCH_PROCESSING_FAILED as the cause', async () => {
      const id = await fx.deliver({ folders: 600, tag: 'flaky', patientOffset: 1000 });
      const worker = fx.worker({ sliceSize: 250, maxAttempts: 1, afterSlice: () => Promise.reject(new Error('disk full (test)')) });
      await worker.runOnce();
      const { code, answer } = await askResult(fx, id);
      expect(code).toBe('BATCH_PARTIAL');
      if (answer.kind !== 'result') throw new Error(`expected folder results, got ${JSON.stringify(answer)}`);
      expect(answer.folders).toHaveLength(251);
      expect(answer.folders[250]!.transactions[0]!.resultTekst).toMatch(
        /Only the first 250 .* Cause: BATCH_PROCESSING_FAILED: The delivery .* 1 attempts failed/,
      );
    });

    it('a delivery that failed before committing anything answers its failure as foutCode', async () => {
      const id = await fx.deliver({ folders: 2, tag: 'poison', patientOffset: 2000, caller: '{not json' });
      await fx.worker({ maxAttempts: 1 }).runOnce();
      const { code, answer } = await askResult(fx, id);
      expect(code).toBe('BATCH_PROCESSING_FAILED');
      expect(answer).toMatchObject({ kind: 'fout', foutCode: 'BATCH_PROCESSING_FAILED' });
    });
  });
}
