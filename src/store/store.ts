import { Migrator, sql, type Kysely } from 'kysely';
import { SqlAuditLog } from './audit-repository.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database } from './database.js';
import { SqlJobQueue } from './job-queue.js';
import { migrationProvider } from './migrations/index.js';
import { SqlPersonRegister } from './person-register.js';
import { SqlProfileDirectory } from './profile-directory.js';
import { SqlVaccinationStore } from './vaccination-repository.js';

/** The registry's storage: one query layer over SQLite or PostgreSQL, exposing the registry ports. */
export class Store {
  readonly capabilities: StoreCapabilities;
  readonly persons: SqlPersonRegister;
  readonly profiles: SqlProfileDirectory;
  readonly vaccinations: SqlVaccinationStore;
  readonly audit: SqlAuditLog;
  readonly jobs: SqlJobQueue;
  /** The Kysely handle, for adapters that need a query the ports do not offer (bench, admin reports). */
  readonly db: Kysely<Database>;
  readonly #schema: string;

  constructor(db: Kysely<Database>, caps: StoreCapabilities, schema = 'public') {
    this.db = db;
    this.capabilities = caps;
    this.#schema = schema;
    this.persons = new SqlPersonRegister(db);
    this.profiles = new SqlProfileDirectory(db);
    this.vaccinations = new SqlVaccinationStore(db, caps);
    this.audit = new SqlAuditLog(db);
    this.jobs = new SqlJobQueue(db, caps);
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
    await this.db.destroy();
  }
}
