import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { organisationKey } from '../../registry/profile.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import { IDENTITIES, ORGANISATIONS, SOFTWARE_IDS, seedPersonas } from '../../registry/demo-personas.js';
import { DeliveryRepository } from '../../store/delivery-repository.js';
import { registryPortsOf } from '../../store/registry-ports-of.js';
import type { Store } from '../../store/store.js';
import { createBatchWorker, type BatchWorker, type BatchWorkerOptions } from '../batch-worker.js';
import { organisationBatchChunks } from './organisation-batch.js';

const AZ = ORGANISATIONS.azGroeninge;

/** A clock the test moves by hand (back-off, leases). */
export class ManualClock {
  #now: Date;
  constructor(start: string) {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(seconds: number): void {
    this.#now = new Date(this.#now.getTime() + seconds * 1000);
  }
}

export interface DeliverySpec {
  readonly folders: number;
  readonly tag: string;
  readonly patientOffset?: number;
  /** The stored caller identity JSON (default AZ Groeninge's). */
  readonly caller?: string;
  /** Raw bytes appended after the last folder, before `</kmehrmessage>` (e.g. a broken folder). */
  readonly trailer?: string;
}

/** A seeded store, a manual clock, its delivery repository and a way to deliver and to make workers. */
export interface WorkerFixture {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly ports: RegistryPorts;
  readonly repo: DeliveryRepository;
  /** Stores an accepted delivery of `folders` one-dose folders as the intake does; `caller` overrides the stored identity JSON. */
  deliver(spec: DeliverySpec): Promise<string>;
  worker(options?: Partial<BatchWorkerOptions>): BatchWorker;
}

export async function workerFixture(store: Store, start = '2026-01-10T10:00:00.000Z'): Promise<WorkerFixture> {
  await seedPersonas(store);
  const clock = new ManualClock(start);
  const ports = registryPortsOf(store, { clock, settings: { personCheck: 'checksum' } });
  const repo = DeliveryRepository.of(store);
  let received = 0;
  return {
    store,
    clock,
    ports,
    repo,
    async deliver(spec) {
      const id = randomUUID();
      received += 1;
      await repo.storeDelivery(
        {
          id,
          operation: 'Aanleveren',
          organisationKey: organisationKey(AZ.idType, AZ.id),
          userCode: AZ.userCode,
          softwareId: SOFTWARE_IDS.azGroeninge,
          caller: spec.caller ?? JSON.stringify(IDENTITIES.azGroeninge),
          // Claim order is receipt order: each delivery a millisecond after the one before.
          receivedAt: new Date(clock.now().getTime() + received).toISOString(),
        },
        withTrailer(
          organisationBatchChunks({ folders: spec.folders, tag: spec.tag, patientOffset: spec.patientOffset ?? 0, date: '2024-03-01' }),
          spec.trailer,
        ),
      );
      return id;
    },
    worker(options = {}) {
      return createBatchWorker({ repo, ports, log: pino({ level: 'silent' }), intervalSeconds: 3600, retentionDays: 30, ...options });
    },
  };
}

/** Inserts `trailer` before the closing `</kmehrmessage>` of the last chunk. */
async function* withTrailer(chunks: AsyncIterable<Buffer>, trailer: string | undefined): AsyncGenerator<Buffer> {
  let last: Buffer | undefined;
  for await (const c of chunks) {
    if (last) yield last;
    last = c;
  }
  if (!last) return;
  const text = last.toString('utf8');
  const end = text.lastIndexOf('</kmehrmessage>');
  yield trailer === undefined || end < 0 ? last : Buffer.from(text.slice(0, end) + trailer + text.slice(end), 'utf8');
}
