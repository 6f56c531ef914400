import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { loadFindings } from './stored-findings.js';
import { retryBackoffMs } from './batch-worker.js';
import { storedResults } from './testing/stored-results.js';
import { workerFixture } from './testing/worker-fixture.js';

describe('retryBackoffMs', () => {
  it('doubles the delay per attempt and stops at an hour', () => {
    expect([1, 2, 3, 4].map((a) => retryBackoffMs(a, 60))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryBackoffMs(12, 60)).toBe(3_600_000);
  });
});

async function count(store: Store, query: string): Promise<number> {
  return Number((await sql.raw<{ n: number | string }>(query).execute(store.db)).rows[0]!.n);
}

for (const engine of testEngines()) {
  describe(`batch worker: failing deliveries (${engine.name})`, () => {
    it('a delivery whose processing always fails is retried after a back-off, fails for good after maxAttempts, and never holds up the deliveries behind it', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        // A poisoned row: its stored caller is not JSON, so every attempt throws before anything is stored.
        const poison = await fx.deliver({ folders: 2, tag: 'poison', caller: '{not json' });
        const first = await fx.deliver({ folders: 3, tag: 'first', patientOffset: 10 });
        const worker = fx.worker({ maxAttempts: 3, retryDelaySeconds: 60 });

        expect(await worker.runOnce()).toBe(1);
        expect(await fx.repo.findDelivery(first)).toMatchObject({ status: 'processed', transactions: 3, accepted: 3 });
        expect(await fx.repo.findDelivery(poison)).toMatchObject({ status: 'accepted', attempts: 1, runAfter: '2026-01-10T10:01:00.000Z' });

        // Not due yet: a later delivery is processed, the poisoned one is left alone.
        const second = await fx.deliver({ folders: 2, tag: 'second', patientOffset: 20 });
        fx.clock.advance(59);
        expect(await worker.runOnce()).toBe(1);
        expect(await fx.repo.findDelivery(second)).toMatchObject({ status: 'processed' });
        expect(await fx.repo.findDelivery(poison)).toMatchObject({ status: 'accepted', attempts: 1 });

        fx.clock.advance(1);
        expect(await worker.runOnce()).toBe(0);
        expect(await fx.repo.findDelivery(poison)).toMatchObject({ status: 'accepted', attempts: 2, runAfter: '2026-01-10T10:03:00.000Z' });

        fx.clock.advance(120);
        expect(await worker.runOnce()).toBe(0);
        const failed = await fx.repo.findDelivery(poison);
        expect(failed).toMatchObject({ status: 'failed', attempts: 3, transactions: 0 });
        expect(loadFindings(failed!.failure!).map((f) => [f.code, f.value, f.params?.detail])).toEqual([['BATCH_PROCESSING_FAILED', poison, '3']]);

        // Failed for good: never claimed again.
        fx.clock.advance(86_400);
        expect(await worker.runOnce()).toBe(0);
        expect(await fx.repo.findDelivery(poison)).toMatchObject({ status: 'failed', attempts: 3 });
      } finally {
        await store.close();
      }
    });

    it('a delivery whose worker died on every attempt is failed for good once its lease runs out, not claimed again', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const crashing = await fx.deliver({ folders: 2, tag: 'crash' });
        // Two workers claimed it and died (no release, no renewal).
        expect(await fx.repo.claimDelivery('dead-1', 120_000, fx.clock.now())).toMatchObject({ id: crashing, attempts: 1 });
        fx.clock.advance(121);
        expect(await fx.repo.claimDelivery('dead-2', 120_000, fx.clock.now())).toMatchObject({ id: crashing, attempts: 2 });
        fx.clock.advance(121);
        const later = await fx.deliver({ folders: 1, tag: 'later', patientOffset: 5 });

        expect(await fx.worker({ maxAttempts: 2, leaseSeconds: 120 }).runOnce()).toBe(1);
        expect(await fx.repo.findDelivery(later)).toMatchObject({ status: 'processed' });
        const failed = await fx.repo.findDelivery(crashing);
        expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
        expect(loadFindings(failed!.failure!)[0]?.code).toBe('BATCH_PROCESSING_FAILED');
      } finally {
        await store.close();
      }
    });

    it('a live worker keeps its delivery past the lease by its heartbeat; a dead one loses it one lease later', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const id = await fx.deliver({ folders: 600, tag: 'heartbeat' });
        let takenBy: string | undefined;
        const worker = fx.worker({
          leaseSeconds: 1,
          sliceSize: 200,
          afterSlice: async (committed) => {
            if (committed !== 200) return;
            // 1.6 lease-lengths pass on the registry's clock during a slow moment of a live worker; real time lets
            // the heartbeat (every ⅓ s) beat meanwhile. Without it another worker could claim the delivery here.
            fx.clock.advance(0.8);
            await new Promise((r) => setTimeout(r, 700));
            fx.clock.advance(0.8);
            const other = await fx.repo.claimDelivery('other', 1000, fx.clock.now());
            takenBy = other?.id;
          },
        });
        expect(await worker.runOnce()).toBe(1);
        expect(takenBy).toBeUndefined();
        expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'processed', attempts: 1, transactions: 600, accepted: 600 });

        // A worker that claimed a delivery and died: no heartbeat, so another worker takes it over after the lease.
        const orphan = await fx.deliver({ folders: 3, tag: 'orphan', patientOffset: 1000 });
        expect(await fx.repo.claimDelivery('dead', 1000, fx.clock.now())).toMatchObject({ id: orphan });
        fx.clock.advance(0.5);
        expect(await fx.repo.claimDelivery('early', 1000, fx.clock.now())).toBeUndefined();
        fx.clock.advance(0.6);
        expect(await fx.worker({ leaseSeconds: 1 }).runOnce()).toBe(1);
        expect(await fx.repo.findDelivery(orphan)).toMatchObject({ status: 'processed', attempts: 2, accepted: 3 });
      } finally {
        await store.close();
      }
    });

    it('renewLease holds only for the worker that holds the claim', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const id = await fx.deliver({ folders: 1, tag: 'renew' });
        await fx.repo.claimDelivery('w1', 1000, fx.clock.now());
        expect(await fx.repo.renewLease(id, 'w1', fx.clock.now())).toBe(true);
        expect(await fx.repo.renewLease(id, 'w2', fx.clock.now())).toBe(false);
        await fx.repo.releaseDelivery(id, 'w1');
        expect(await fx.repo.renewLease(id, 'w1', fx.clock.now())).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('an attempt that fails part-way is resumed after the slices it committed, and the delivery ends processed with every result once', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const id = await fx.deliver({ folders: 1000, tag: 'resume' });
        const seen: number[] = [];
        let failOnce = true;
        const worker = fx.worker({
          sliceSize: 250,
          afterSlice: (committed) => {
            seen.push(committed);
            if (committed === 500 && failOnce) {
              failOnce = false;
              throw new Error('connection reset (test)');
            }
          },
        });
        expect(await worker.runOnce()).toBe(0);
        expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'accepted', attempts: 1 });
        expect(await fx.repo.committedResults(id)).toBe(500);

        fx.clock.advance(60);
        expect(await worker.runOnce()).toBe(1);
        // The second attempt started after the 500 committed results: only two more slices.
        expect(seen).toEqual([250, 500, 750, 1000]);
        expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'processed', attempts: 2, transactions: 1000, accepted: 1000, refused: 0 });
        expect(await count(store, `select count(*) as n from vaccinations where channel = 'batch'`)).toBe(1000);
        expect(await count(store, `select count(distinct sender_key) as n from vaccinations where channel = 'batch'`)).toBe(1000);
        expect(await count(store, `select count(*) as n from audit_log where channel = 'batch'`)).toBe(1000);
      } finally {
        await store.close();
      }
    });

    it('a delivery that keeps failing part-way fails for good at maxAttempts with its committed results kept and counted', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const id = await fx.deliver({ folders: 1000, tag: 'partial' });
        const worker = fx.worker({
          sliceSize: 250,
          maxAttempts: 2,
          afterSlice: () => {
            throw new Error('disk full (test)');
          },
        });
        expect(await worker.runOnce()).toBe(0);
        fx.clock.advance(60);
        expect(await worker.runOnce()).toBe(0);
        const failed = await fx.repo.findDelivery(id);
        expect(failed).toMatchObject({ status: 'failed', attempts: 2, transactions: 500, accepted: 500, refused: 0 });
        expect(loadFindings(failed!.failure!)[0]?.code).toBe('BATCH_PROCESSING_FAILED');
        expect(await count(store, `select count(*) as n from vaccinations where channel = 'batch'`)).toBe(500);
      } finally {
        await store.close();
      }
    });

    it('a worker stopped in the middle of a delivery gives it back without using up an attempt; the next worker resumes it', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const id = await fx.deliver({ folders: 600, tag: 'shutdown' });
        let stopping: Promise<void> | undefined;
        const first = fx.worker({
          sliceSize: 250,
          maxAttempts: 1,
          afterSlice: () => {
            stopping ??= first.stop();
          },
        });
        expect(await first.runOnce()).toBe(0);
        await stopping;
        expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'accepted', attempts: 0 });
        expect(await fx.repo.committedResults(id)).toBe(250);
        // With maxAttempts 1 the delivery still has its one attempt.
        expect(await fx.worker({ sliceSize: 250, maxAttempts: 1 }).runOnce()).toBe(1);
        expect(await fx.repo.findDelivery(id)).toMatchObject({ status: 'processed', attempts: 1, transactions: 600 });
      } finally {
        await store.close();
      }
    });

    it('a delivery sent again reports the original VaccinationIds as DUPLICATE_REPLAY, other sender ids for the same doses get PROBABLE_DUPLICATE, and every transaction is audited per person', async () => {
      const store = await engine.open();
      try {
        const fx = await workerFixture(store);
        const worker = fx.worker();
        const first = await fx.deliver({ folders: 3, tag: 'dup' });
        expect(await worker.runOnce()).toBe(1);
        const original = await storedResults(fx.repo, first);
        expect(original.map((r) => [r[7], r[9] !== null])).toEqual([
          ['OK', true],
          ['OK', true],
          ['OK', true],
        ]);

        const again = await fx.deliver({ folders: 3, tag: 'dup' });
        const other = await fx.deliver({ folders: 3, tag: 'other' });
        expect(await worker.runOnce()).toBe(2);
        const replayed = await storedResults(fx.repo, again);
        expect(replayed.map((r) => [r[7], r[9], r[8].map((f) => [f.c, f.v])])).toEqual(original.map((r) => ['OK', r[9], [['DUPLICATE_REPLAY', r[9]]]]));
        const probable = await storedResults(fx.repo, other);
        expect(probable.map((r) => [r[7], r[8].map((f) => [f.c, f.v])])).toEqual(original.map((r) => ['OK_WITH_WARNINGS', [['PROBABLE_DUPLICATE', r[9]]]]));
        expect(await fx.repo.findDelivery(again)).toMatchObject({ status: 'processed', transactions: 3, accepted: 3, refused: 0 });
        expect(await count(store, `select count(*) as n from vaccinations where channel = 'batch'`)).toBe(6);

        // The audit log as `vaccinnet history INSZ --audit` reads it: one row per transaction of each delivery.
        const patient = original[0]![4];
        const deliveries = [first, again, other];
        const delivery = (detail: string | undefined): number => deliveries.findIndex((d) => detail?.startsWith(`delivery ${d},`));
        const audit = [...(await store.audit.forPerson(patient))].sort((a, b) => delivery(a.detail) - delivery(b.detail));
        expect(audit.map((a) => [a.action, a.outcome, a.vaccinationId === original[0]![9], a.channel, a.actor, a.softwareId])).toEqual([
          ['register', 'OK', true, 'batch', 'org:NIHII-HOSPITAL:71000436', 'dxc_vaccinnet_azgroeninge'],
          ['replay', 'DUPLICATE_REPLAY', true, 'batch', 'org:NIHII-HOSPITAL:71000436', 'dxc_vaccinnet_azgroeninge'],
          ['register', 'OK_WITH_WARNINGS', false, 'batch', 'org:NIHII-HOSPITAL:71000436', 'dxc_vaccinnet_azgroeninge'],
        ]);
        expect(audit.map((a) => a.detail)).toEqual(deliveries.map((d) => `delivery ${d}, folder 1, transaction 1`));
        expect(new Set(audit.map((a) => a.subject)).size).toBe(1);
        expect(audit[0]!.subject).not.toBe('');
      } finally {
        await store.close();
      }
    });
  });
}
