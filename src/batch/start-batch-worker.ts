import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RegistryConfig } from '../config/registry-config.js';
import { defaultVaccineReference } from '../kmehr/codelists/index.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { openStore } from '../store/open-store.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { createBatchWorker, type BatchWorker, type BatchWorkerOptions } from './batch-worker.js';
import { registrySettingsOf } from '../config/registry-settings-of.js';

export interface StandaloneWorker {
  readonly worker: BatchWorker;
  readonly store: Store;
  close(): Promise<void>;
}

/**
 * A batch worker in its own process (`vaccinnet worker`): opens and migrates the configured database, builds the
 * registry ports from the configuration and creates the worker (not started). Close stops it, then the store.
 */
export async function startBatchWorker(
  config: RegistryConfig,
  log: Logger,
  options: Pick<BatchWorkerOptions, 'leaseSeconds' | 'sliceSize' | 'workerId' | 'afterSlice'> = {},
): Promise<StandaloneWorker> {
  if (config.database.url.startsWith('sqlite:')) mkdirSync(path.dirname(config.database.url.slice('sqlite:'.length)), { recursive: true });
  const store = await openStore(config.database.url);
  try {
    await store.migrate();
    const ports = registryPortsOf(store, {
      reference: defaultVaccineReference(),
      settings: registrySettingsOf(config),
    });
    const worker = createBatchWorker({
      repo: DeliveryRepository.of(store),
      ports,
      log,
      intervalSeconds: config.batch.intervalSeconds,
      retentionDays: config.batch.retentionDays,
      maxAttempts: config.batch.maxAttempts,
      retryDelaySeconds: config.batch.retryDelaySeconds,
      leaseSeconds: config.batch.leaseSeconds,
      ...(!config.batch.planningThread && { planningThreadFromBytes: Number.POSITIVE_INFINITY }),
      ...options,
    });
    return {
      worker,
      store,
      async close() {
        await worker.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
