import type { Migration, MigrationProvider } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';
import { registryCore } from './0001-registry-core.js';
import { batchTables } from './0002-batch.js';
import { profileCertificates } from './0003-profile-certificates.js';
import { disableStockChange } from './0003-disable-stock-change.js';
import { historyIndex } from './0004-history-index.js';
import { deliveryRetries } from './0005-delivery-retries.js';
import { replayCache } from './0005-replay-cache.js';
import { resultPatientText } from './0005-result-patient-text.js';
import { leanIndexes } from './0006-lean-indexes.js';
import { resultSlices } from './0007-result-slices.js';
import { replayContentDigest } from './0008-replay-content-digest.js';
import { signatureReplays } from './0009-signature-replays.js';

/**
 * The versioned migrations, applied in name order on start by Kysely's Migrator (under `pg_advisory_lock` on
 * PostgreSQL; SQLite's single writer makes its lock a no-op). Never rename or edit an applied step: add a new one.
 */
export function migrationProvider(caps: StoreCapabilities): MigrationProvider {
  const steps: Record<string, Migration> = {
    '0001-registry-core': registryCore(caps),
    '0002-batch': batchTables(caps),
    '0003-profile-certificates': profileCertificates(),
    '0003-disable-stock-change': disableStockChange(),
    '0004-history-index': historyIndex(),
    '0005-delivery-retries': deliveryRetries(),
    '0005-replay-cache': replayCache(),
    '0005-result-patient-text': resultPatientText(),
    '0006-lean-indexes': leanIndexes(caps),
    '0007-result-slices': resultSlices(),
    '0008-replay-content-digest': replayContentDigest(caps),
    '0009-signature-replays': signatureReplays(caps),
  };
  return { getMigrations: async (): Promise<Record<string, Migration>> => steps };
}
