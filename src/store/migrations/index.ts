import type { Migration, MigrationProvider } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';
import { registryCore } from './0001-registry-core.js';
import { batchTables } from './0002-batch.js';
import { disableStockChange } from './0003-disable-stock-change.js';
import { profileCertificates } from './0004-profile-certificates.js';
import { historyIndex } from './0005-history-index.js';
import { deliveryRetries } from './0006-delivery-retries.js';
import { replayCache } from './0007-replay-cache.js';
import { resultPatientText } from './0008-result-patient-text.js';
import { leanIndexes } from './0009-lean-indexes.js';
import { resultSlices } from './0010-result-slices.js';
import { replayContentDigest } from './0011-replay-content-digest.js';
import { signatureReplays } from './0012-signature-replays.js';
import { accessModel } from './0013-access-model.js';
import { vaccinationIdIndex } from './0014-vaccination-id-index.js';

/**
 * The versioned migrations, applied in name order on start by Kysely's Migrator (under `pg_advisory_lock` on
 * PostgreSQL; SQLite's single writer makes its lock a no-op). Never edit an applied step: add a new one, with the next
 * unused number. A step renamed after release needs its old name in LEGACY_MIGRATION_NAMES (legacy-names.ts), which
 * `Store.migrate` renames in the database before the Migrator reads it.
 */
export function migrationProvider(caps: StoreCapabilities): MigrationProvider {
  const steps: Record<string, Migration> = {
    '0001-registry-core': registryCore(caps),
    '0002-batch': batchTables(caps),
    '0003-disable-stock-change': disableStockChange(),
    '0004-profile-certificates': profileCertificates(),
    '0005-history-index': historyIndex(),
    '0006-delivery-retries': deliveryRetries(),
    '0007-replay-cache': replayCache(),
    '0008-result-patient-text': resultPatientText(),
    '0009-lean-indexes': leanIndexes(caps),
    '0010-result-slices': resultSlices(),
    '0011-replay-content-digest': replayContentDigest(caps),
    '0012-signature-replays': signatureReplays(caps),
    '0013-access-model': accessModel(),
    '0014-vaccination-id-index': vaccinationIdIndex(),
  };
  return { getMigrations: async (): Promise<Record<string, Migration>> => steps };
}
