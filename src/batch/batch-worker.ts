import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RegistryPorts } from '../registry/registry-ports.js';
import type { DeliveryRepository } from '../store/delivery-repository.js';
import { processDelivery, type ProcessorDeps } from './process-delivery.js';

export interface BatchWorkerOptions {
  readonly repo: DeliveryRepository;
  readonly ports: RegistryPorts;
  readonly log: Logger;
  /** Seconds between rounds (config `batch.intervalSeconds`; 3600 = hourly). */
  readonly intervalSeconds: number;
  /** Days results are kept (config `batch.retentionDays`). */
  readonly retentionDays: number;
  /** A claimed delivery whose worker did not renew its lease for this long is taken over (default 120 s). */
  readonly leaseSeconds?: number;
  readonly sliceSize?: number;
  readonly workerId?: string;
  readonly afterSlice?: ProcessorDeps['afterSlice'];
}

export interface BatchWorker {
  readonly workerId: string;
  /** Starts the rounds (the first one at once). */
  start(): void;
  /** Stops after the current slice: a delivery in progress is released for the next round or worker. */
  stop(): Promise<void>;
  /** One round: purge expired results, then process deliveries until none is due. Returns how many were processed. */
  runOnce(): Promise<number>;
}

/** Thrown by the slice hook to stop a round between two slices (stop() during a long delivery). */
class Stopping extends Error {}

/**
 * The batch processor loop (issue 5 §3): in the server process by default, or as `vaccinnet worker`; several of
 * them may run against PostgreSQL (each delivery is claimed by one at a time, see DeliveryRepository.claimDelivery).
 */
export function createBatchWorker(options: BatchWorkerOptions): BatchWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = (options.leaseSeconds ?? 120) * 1000;
  const log = options.log.child({ worker: workerId });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopping = false;

  const deps: ProcessorDeps = {
    repo: options.repo,
    ports: options.ports,
    log,
    workerId,
    retentionDays: options.retentionDays,
    ...(options.sliceSize !== undefined && { sliceSize: options.sliceSize }),
    afterSlice: async (n) => {
      await options.afterSlice?.(n);
      if (stopping) throw new Stopping();
    },
  };

  async function round(): Promise<number> {
    const { repo } = options;
    const expired = await repo.purgeExpired(options.ports.clock.now());
    if (expired > 0) log.info({ expired }, 'batch results past retention purged');
    let processed = 0;
    while (!stopping) {
      const delivery = await repo.claimDelivery(workerId, leaseMs, options.ports.clock.now());
      if (!delivery) break;
      const started = performance.now();
      try {
        const outcome = await processDelivery(delivery, deps);
        const ms = Math.round(performance.now() - started);
        log.info({ delivery: delivery.id, outcome, attempt: delivery.attempts, ms }, 'batch delivery processed');
        if (outcome !== 'lease-lost') processed += 1;
      } catch (error) {
        await repo.releaseDelivery(delivery.id, workerId).catch(() => undefined);
        if (error instanceof Stopping) break;
        log.error({ err: error, delivery: delivery.id }, 'batch delivery processing failed; released for a retry');
        break;
      }
    }
    return processed;
  }

  const runOnce = (): Promise<number> => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopping) return;
    timer = setTimeout(() => {
      void runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'batch round failed'))
        .finally(schedule);
    }, options.intervalSeconds * 1000);
    timer.unref();
  };

  return {
    workerId,
    start(): void {
      stopping = false;
      void runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'batch round failed'))
        .finally(schedule);
    },
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}
