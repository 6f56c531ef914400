import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { finding } from '../status/finding.js';
import type { Delivery, DeliveryRepository } from '../store/delivery-repository.js';
import { processDelivery, type ProcessorDeps } from './process-delivery.js';
import { storeFindings } from './stored-findings.js';

export interface BatchWorkerOptions {
  readonly repo: DeliveryRepository;
  readonly ports: RegistryPorts;
  readonly log: Logger;
  /** Seconds between rounds (config `batch.intervalSeconds`; 3600 = hourly). */
  readonly intervalSeconds: number;
  /** Days results are kept (config `batch.retentionDays`). */
  readonly retentionDays: number;
  /**
   * A claimed delivery whose worker did not renew its lease for this long is taken over (config
   * `batch.leaseSeconds`, default 10 s). The worker renews it by a heartbeat every third of it while it works.
   */
  readonly leaseSeconds?: number;
  /** Attempts a delivery gets before it fails for good (config `batch.maxAttempts`, default 5). */
  readonly maxAttempts?: number;
  /** Back-off after a failed attempt, doubled per further attempt, at most an hour (config `batch.retryDelaySeconds`, default 60). */
  readonly retryDelaySeconds?: number;
  readonly sliceSize?: number;
  /** See ProcessorDeps.planningThreadFromBytes. */
  readonly planningThreadFromBytes?: number;
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

const MAX_BACKOFF_MS = 3_600_000;
export const DEFAULT_LEASE_SECONDS = 10;

/** Wait before attempt `attempts + 1`: `delay`, doubled for each attempt after the first, at most an hour. */
export function retryBackoffMs(attempts: number, delaySeconds: number): number {
  return Math.min(delaySeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** What a delivery that ran out of attempts answers (stored as its failure). */
function exhausted(id: string, attempts: number): string {
  return storeFindings([finding('BATCH_PROCESSING_FAILED', { value: id, params: { detail: String(attempts) } })]);
}

/**
 * The batch processor loop (issue 5 §3): in the server process by default, or as `vaccinnet worker`; several of
 * them may run against PostgreSQL (each delivery is claimed by one at a time, see DeliveryRepository.claimDelivery).
 */
export function createBatchWorker(options: BatchWorkerOptions): BatchWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = (options.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelaySeconds = options.retryDelaySeconds ?? 60;
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
    ...(options.planningThreadFromBytes !== undefined && { planningThreadFromBytes: options.planningThreadFromBytes }),
    afterSlice: async (n) => {
      await options.afterSlice?.(n);
      if (stopping) throw new Stopping();
    },
  };

  /**
   * An attempt threw (not a finding about the message: a bug, a database error, a poisoned row): the delivery gets
   * another attempt after a back-off, or — out of attempts — fails for good. Either way the round goes on with the
   * deliveries behind it instead of claiming the same one again.
   */
  async function attemptFailed(delivery: Delivery, error: unknown): Promise<void> {
    const { repo } = options;
    const now = options.ports.clock.now();
    if (delivery.attempts >= maxAttempts) {
      await repo.failDelivery(delivery.id, workerId, now, options.retentionDays, exhausted(delivery.id, delivery.attempts));
      log.error({ err: error, delivery: delivery.id, attempt: delivery.attempts }, 'batch delivery failed for good: no attempts left');
      return;
    }
    const runAfter = new Date(now.getTime() + retryBackoffMs(delivery.attempts, retryDelaySeconds));
    await repo.retryDelivery(delivery.id, workerId, runAfter);
    log.error(
      { err: error, delivery: delivery.id, attempt: delivery.attempts, retryAt: runAfter.toISOString() },
      'batch delivery attempt failed; handed back for a retry later',
    );
  }

  /**
   * Renews the lease every third of it while a delivery is processed, so a delivery of a worker that died is taken
   * over one lease (plus at most one round interval) later, while a live worker's long delivery is never taken from
   * it. A renewal that fails (database down) is retried at the next beat; one that finds the lease gone is logged.
   */
  function startHeartbeat(id: string): { stop(): void } {
    let lost = false;
    let beating: Promise<void> | undefined;
    const beat = setInterval(
      () => {
        if (lost || beating) return;
        beating = options.repo
          .renewLease(id, workerId, options.ports.clock.now())
          .then((held) => {
            if (!held) {
              lost = true;
              log.warn({ delivery: id }, 'batch delivery lease lost on heartbeat: another worker took it over');
            }
          })
          .catch((error: unknown) => log.warn({ err: error, delivery: id }, 'batch lease heartbeat failed; retried at the next beat'))
          .finally(() => {
            beating = undefined;
          });
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    beat.unref();
    return { stop: () => clearInterval(beat) };
  }

  async function round(): Promise<number> {
    const { repo } = options;
    const now = options.ports.clock.now();
    const expired = await repo.purgeExpired(now);
    if (expired > 0) log.info({ expired }, 'batch results past retention purged');
    const abandoned = await repo.failAbandoned(maxAttempts, leaseMs, now, options.retentionDays, exhausted);
    if (abandoned.length > 0) log.error({ deliveries: abandoned, maxAttempts }, 'batch deliveries whose workers kept dying failed for good');
    let processed = 0;
    while (!stopping) {
      const delivery = await repo.claimDelivery(workerId, leaseMs, options.ports.clock.now(), maxAttempts);
      if (!delivery) break;
      const started = performance.now();
      const heartbeat = startHeartbeat(delivery.id);
      try {
        const outcome = await processDelivery(delivery, deps);
        const ms = Math.round(performance.now() - started);
        if (outcome === 'lease-lost')
          log.warn({ delivery: delivery.id, attempt: delivery.attempts, ms }, 'batch delivery lease lost: another worker took it over');
        else log.info({ delivery: delivery.id, outcome, attempt: delivery.attempts, ms }, 'batch delivery processed');
        if (outcome !== 'lease-lost') processed += 1;
      } catch (error) {
        if (error instanceof Stopping) {
          await repo.releaseDelivery(delivery.id, workerId).catch(() => undefined);
          log.info({ delivery: delivery.id, attempt: delivery.attempts }, 'batch delivery handed back: worker stopping');
          break;
        }
        try {
          await attemptFailed(delivery, error);
        } catch (bookkeeping) {
          // The database itself is failing: end the round; the lease brings the delivery back later.
          log.error({ err: bookkeeping, delivery: delivery.id }, 'batch delivery attempt failed and could not be rescheduled');
          break;
        }
      } finally {
        heartbeat.stop();
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
