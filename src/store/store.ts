import { Migrator, sql, type Kysely } from 'kysely';
import { SqlAccessStore } from './access-repository.js';
import { SqlAuditLog } from './audit-repository.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database } from './database.js';
import type { HotSql } from './hot-sql.js';
import { SqlJobQueue } from './job-queue.js';
import { migrationProvider } from './migrations/index.js';
import { renameLegacyMigrations } from './migrations/legacy-names.js';
import { SqlPersonRegister } from './person-register.js';
import { CachedProfileDirectory, profileChangeWatcher } from './profile-cache.js';
import { SqlProfileDirectory } from './profile-directory.js';
import { SignatureReplays } from './signature-replays.js';
import { SqlVaccinationStore } from './vaccination-repository.js';

/** The registry's storage: one query layer over SQLite or PostgreSQL, exposing the registry ports. */
export class Store {
  readonly capabilities: StoreCapabilities;
  readonly persons: SqlPersonRegister;
  /** Lookups and the operator's administration of profiles, uncached. */
  readonly profiles: SqlProfileDirectory;
  /** The profile lookups the registry ports use: cached, emptied by every profile write through `db` (profile-cache.ts). */
  readonly profileLookups: CachedProfileDirectory;
  readonly vaccinations: SqlVaccinationStore;
  readonly audit: SqlAuditLog;
  /** Consent, therapeutic links and exclusions (issue 13). */
  readonly access: SqlAccessStore;
  readonly jobs: SqlJobQueue;
  /** Signed requests accepted once within their Timestamp window (issue 11.4). */
  readonly signatureReplays: SignatureReplays;
  /**
   * The Kysely handle, for adapters that need a query the ports do not offer (bench, admin reports). Writes to
   * profile tables through it empty `profileLookups`.
   */
  readonly db: Kysely<Database>;
  readonly #schema: string;
  readonly #hot: HotSql;

  /**
   * @param kysely - the Kysely handle
   * @param caps - what the engine can do
   * @param hot - the registration hot path's hand-written statements on the same connection(s)
   * @param schema - PostgreSQL schema of every table
   */
  constructor(kysely: Kysely<Database>, caps: StoreCapabilities, hot: HotSql, schema = 'public') {
    const db = kysely.withPlugin(profileChangeWatcher(() => this.profileLookups.invalidate()));
    this.db = db;
    this.capabilities = caps;
    this.#schema = schema;
    this.#hot = hot;
    this.persons = new SqlPersonRegister(db, hot);
    this.profiles = new SqlProfileDirectory(db);
    this.profileLookups = new CachedProfileDirectory(this.profiles);
    this.vaccinations = new SqlVaccinationStore(db, caps, hot);
    this.audit = new SqlAuditLog(db);
    this.access = new SqlAccessStore(db);
    this.jobs = new SqlJobQueue(db, caps);
    this.signatureReplays = new SignatureReplays(hot);
  }

  /**
   * Applies pending migrations in name order (Kysely Migrator: advisory lock on PostgreSQL). Throws with the failing
   * step's name and cause; applied steps stay applied.
   * @returns the names of the steps applied now
   */
  async migrate(): Promise<readonly string[]> {
    if (this.capabilities.engine === 'postgres' && this.#schema !== 'public') {
      await sql`create schema if not exists ${sql.id(this.#schema)}`.execute(this.db);
    }
    // Databases of releases before the renumbering carry the old step names (legacy-names.ts).
    await renameLegacyMigrations(this.db, this.capabilities, this.#schema);
    // Name the schema explicitly: Kysely looks for its migration tables through introspection across schemas.
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.capabilities),
      ...(this.capabilities.engine === 'postgres' && { migrationTableSchema: this.#schema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
      throw new Error(`database migration ${failed} failed`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    // Registrations already accepted for a group commit are written and answered before the connections close.
    await this.vaccinations.drain();
    await this.#hot.close();
    await this.db.destroy();
  }
}
