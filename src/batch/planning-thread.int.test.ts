import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { organisationKey } from '../registry/profile.js';
import { IDENTITIES, ORGANISATIONS, SOFTWARE_IDS, seedPersonas } from '../registry/demo-personas.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { createBatchWorker } from './batch-worker.js';
import { organisationBatchChunks } from './testing/organisation-batch.js';
import { storedResults } from './testing/stored-results.js';

const AZ = ORGANISATIONS.azGroeninge;

async function* concat(...parts: AsyncIterable<Buffer>[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield* part;
}

async function* text(s: string): AsyncGenerator<Buffer> {
  yield Buffer.from(s, 'utf8');
}

/** Stores one delivery as the intake would; returns its id. */
async function deliver(store: Store, message: AsyncIterable<Buffer>): Promise<string> {
  const id = randomUUID();
  await DeliveryRepository.of(store).storeDelivery(
    {
      id,
      operation: 'Aanleveren',
      organisationKey: organisationKey(AZ.idType, AZ.id),
      userCode: AZ.userCode,
      softwareId: SOFTWARE_IDS.azGroeninge,
      caller: JSON.stringify(IDENTITIES.azGroeninge),
      receivedAt: new Date().toISOString(),
    },
    message,
  );
  return id;
}

/** A delivery mixing accepted doses and refused ones (every fourth administration date moved into the future). */
async function* mixed(): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of organisationBatchChunks({ folders: 40, doses: 3, tag: 'mix', date: '2024-03-01' })) {
    yield Buffer.from(
      chunk.toString('utf8').replace(/<beginmoment><date>2024-/g, (m) => (n++ % 4 === 0 ? '<beginmoment><date>2099-' : m)),
      'utf8',
    );
  }
}

/** Processes one delivery with the given planning threshold; returns its results without the random parts. */
async function processWith(
  store: Store,
  planningThreadFromBytes: number,
  message: AsyncIterable<Buffer>,
): Promise<{ results: unknown[]; status: string; stored: number }> {
  await seedPersonas(store);
  const id = await deliver(store, message);
  const repo = DeliveryRepository.of(store);
  const ports = registryPortsOf(store, { settings: { personCheck: 'checksum' } });
  const worker = createBatchWorker({
    repo,
    ports,
    log: pino({ level: 'silent' }),
    intervalSeconds: 3600,
    retentionDays: 1,
    sliceSize: 7,
    planningThreadFromBytes,
  });
  await worker.runOnce();
  const rows = await storedResults(repo, id);
  const delivery = await repo.db.selectFrom('deliveries').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  const stored = await repo.db
    .selectFrom('vaccinations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return {
    status: delivery.status,
    stored: Number(stored.n),
    results: rows.map(([ordinal, folder, transaction, folderIds, patient, patientText, transactionIds, code, findings, vaccinationId]) => ({
      ordinal,
      folder,
      transaction,
      folderIds,
      transactionIds,
      patient,
      patientText,
      code,
      findings,
      accepted: vaccinationId !== null,
    })),
  };
}

for (const engine of testEngines()) {
  describe(`batch planning on a planning thread (${engine.name})`, () => {
    it('plans exactly the slices the processor plans on its own thread: same results, same stored doses', async () => {
      const inline = await engine.open();
      const threaded = await engine.open();
      try {
        // Accepted doses (2024) and refused ones (2099: in the future) in one delivery, in slices of 7.
        const message = (): AsyncIterable<Buffer> => concat(organisationBatchChunks({ folders: 25, doses: 2, tag: 'ok', date: '2024-03-01' }));
        const a = await processWith(inline, Number.POSITIVE_INFINITY, message());
        const b = await processWith(threaded, 0, message());
        expect(a.status).toBe('processed');
        expect(b).toEqual(a);
        expect(b.results).toHaveLength(50);
        expect(b.stored).toBe(50);
        // patientTekst: the folder's patient name as submitted.
        expect(b.results[0]).toMatchObject({ patientText: 'Jan Peeters', code: 'OK', accepted: true });

        const c = await processWith(await engine.open(), Number.POSITIVE_INFINITY, mixed());
        const d = await processWith(await engine.open(), 0, mixed());
        expect(d).toEqual(c);
        expect(new Set(d.results.map((r) => (r as { code: string }).code)).size).toBeGreaterThan(1);
        expect(d.stored).toBeGreaterThan(0);
        expect(d.stored).toBeLessThan(120);
      } finally {
        await inline.close();
        await threaded.close();
      }
    });

    it("a message the planning thread cannot read fails the delivery with the reader's code, like on the processor's own thread", async () => {
      const broken = (): AsyncIterable<Buffer> => concat(organisationBatchChunks({ folders: 3, tag: 'bad' }), text('<folder><oops'));
      for (const threshold of [Number.POSITIVE_INFINITY, 0]) {
        const store = await engine.open();
        try {
          const out = await processWith(store, threshold, broken());
          expect(out.status).toBe('failed');
          const failure = await DeliveryRepository.of(store).db.selectFrom('deliveries').select('failure').executeTakeFirstOrThrow();
          expect(failure.failure).toMatch(/XML_MALFORMED|KMEHR_/);
        } finally {
          await store.close();
        }
      }
    });
  });
}
