import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { IDENTITIES, ORGANISATIONS, SOFTWARE_IDS, seedPersonas } from '../registry/demo-personas.js';
import { organisationKey } from '../registry/profile.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { organisationBatchChunks } from './testing/organisation-batch.js';
import type { ResultEntry } from './result-entries.js';
import { storedResults } from './testing/stored-results.js';

const CHILD = fileURLToPath(new URL('./testing/worker-child.ts', import.meta.url));
const DELIVERIES = 20;
const PER_DELIVERY = 1000;
const AZ = ORGANISATIONS.azGroeninge;

interface Child {
  readonly process: ChildProcess;
  readonly done: Promise<number | null>;
  readonly lines: string[];
  /** Resolves at the n-th SLICE line. */
  slices(n: number): Promise<void>;
}

function startWorker(url: string, lease: number, slice: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, String(lease), String(slice)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let slices = 0;
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('SLICE')) slices += 1;
      for (const w of waiters) if (slices >= w.n) w.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      for (const w of waiters) w.resolve();
      if (code !== 0 && code !== null) process.stderr.write(`worker child failed (${code}): ${stderr}\n`);
      resolve(code);
    }),
  );
  return {
    process: child,
    done,
    lines,
    slices: (n) => (slices >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

/** Stores `count` accepted deliveries the way the intake does after its checks. */
async function deliver(store: Store, count: number, perDelivery: number): Promise<string[]> {
  const repo = DeliveryRepository.of(store);
  const ids: string[] = [];
  for (let d = 0; d < count; d++) {
    const id = randomUUID();
    ids.push(id);
    await repo.storeDelivery(
      {
        id,
        operation: 'Aanleveren',
        organisationKey: organisationKey(AZ.idType, AZ.id),
        userCode: AZ.userCode,
        softwareId: SOFTWARE_IDS.azGroeninge,
        caller: JSON.stringify(IDENTITIES.azGroeninge),
        receivedAt: new Date(Date.now() + d).toISOString(),
      },
      organisationBatchChunks({ folders: perDelivery, tag: `d${d}`, patientOffset: d * perDelivery, date: '2024-03-01' }),
    );
  }
  return ids;
}

/** Every invariant of "exactly-once effects" the crash test asserts, as numbers. */
async function invariants(store: Store): Promise<Record<string, number>> {
  const one = async (q: string): Promise<number> => Number((await sql.raw<{ n: number | string }>(q).execute(store.db)).rows[0]!.n);
  const repo = DeliveryRepository.of(store);
  const results: ResultEntry[] = [];
  const positions = new Set<string>();
  for (const { id } of await repo.db.selectFrom('deliveries').select('id').execute()) {
    for (const r of await storedResults(repo, id)) {
      results.push(r);
      positions.add(`${id}|${r[0]}`);
    }
  }
  const acceptedIds = results.flatMap((r) => (r[9] !== null ? [r[9]] : []));
  const storedIds = new Set((await store.db.selectFrom('vaccinations').select('id').execute()).map((v) => v.id));
  return {
    unprocessed: await one(`select count(*) as n from deliveries where status <> 'processed'`),
    results: results.length,
    distinctPositions: positions.size,
    acceptedResults: acceptedIds.length,
    distinctAcceptedIds: new Set(acceptedIds).size,
    vaccinations: await one(`select count(*) as n from vaccinations where channel = 'batch'`),
    distinctSenderKeys: await one(`select count(distinct sender_key) as n from vaccinations where channel = 'batch'`),
    resultsWithoutVaccination: acceptedIds.filter((id) => !storedIds.has(id)).length,
    batchAuditRows: await one(`select count(*) as n from audit_log where channel = 'batch'`),
    countedTransactions: await one('select coalesce(sum(transactions), 0) as n from deliveries'),
  };
}

for (const engine of testEngines()) {
  describe(`batch processing survives SIGKILL (${engine.name})`, () => {
    it(`processes ${DELIVERIES} × ${PER_DELIVERY} vaccinations exactly once despite 3 kills at random moments`, async () => {
      const store = await engine.open();
      try {
        await seedPersonas(store);
        await deliver(store, DELIVERIES, PER_DELIVERY);
        const url = engine.lastUrl();
        const total = DELIVERIES * PER_DELIVERY;
        for (let kill = 0; kill < 3; kill++) {
          const child = startWorker(url, 1, 250);
          // A random moment: after 1–6 committed slices, then 0–400 ms more (mid-slice as often as between slices).
          await child.slices(1 + Math.floor(Math.random() * 6));
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
          child.process.kill('SIGKILL');
          expect(await child.done).toBeNull();
        }
        const midway = await invariants(store);
        expect(midway.results).toBeGreaterThan(0);
        expect(midway.results).toBeLessThan(total);
        // Even between crashes, every committed result has its vaccination and nothing exists twice.
        expect(midway.vaccinations).toBe(midway.acceptedResults);
        expect(midway.resultsWithoutVaccination).toBe(0);
        expect(midway.distinctPositions).toBe(midway.results);

        const last = startWorker(url, 1, 250);
        expect(await last.done).toBe(0);
        expect(await invariants(store)).toEqual({
          unprocessed: 0,
          results: total,
          distinctPositions: total,
          acceptedResults: total,
          distinctAcceptedIds: total,
          vaccinations: total,
          distinctSenderKeys: total,
          resultsWithoutVaccination: 0,
          batchAuditRows: total,
          countedTransactions: total,
        });
      } finally {
        await store.close();
      }
    }, 360_000);

    if (engine.name === 'postgres') {
      it('two worker processes share the deliveries: each is processed by one, once', async () => {
        const store = await engine.open();
        try {
          await seedPersonas(store);
          const ids = await deliver(store, DELIVERIES, 300);
          const url = engine.lastUrl();
          const [a, b] = [startWorker(url, 30, 100), startWorker(url, 30, 100)];
          expect(await Promise.all([a.done, b.done])).toEqual([0, 0]);
          const doneBy = (c: Child): string[] => c.lines.filter((l) => l.startsWith('DONE ')).map((l) => l.split(' ')[1]!);
          const [byA, byB] = [doneBy(a), doneBy(b)];
          expect([...byA, ...byB].sort()).toEqual([...ids].sort());
          expect(byA.filter((id) => byB.includes(id))).toEqual([]);
          expect(byA.length).toBeGreaterThan(0);
          expect(byB.length).toBeGreaterThan(0);
          const attempts = await DeliveryRepository.of(store).db.selectFrom('deliveries').select('attempts').execute();
          expect(attempts.map((r) => Number(r.attempts))).toEqual(ids.map(() => 1));
          const inv = await invariants(store);
          expect([inv.unprocessed, inv.results, inv.vaccinations, inv.distinctSenderKeys, inv.batchAuditRows]).toEqual([
            0,
            DELIVERIES * 300,
            DELIVERIES * 300,
            DELIVERIES * 300,
            DELIVERIES * 300,
          ]);
        } finally {
          await store.close();
        }
      }, 360_000);
    }
  });
}
