/**
 * What differs between the engines, named once (style.md: capabilities, not `if (postgres)` everywhere).
 */
export interface StoreCapabilities {
  readonly engine: 'sqlite' | 'postgres';
  /** `SELECT … FOR UPDATE SKIP LOCKED` for concurrent job claiming; SQLite has one writer and needs none. */
  readonly supportsSkipLocked: boolean;
  /** Column type for `YYYY-MM-DD` values: `date` where the engine has one (pg parser returns the text). */
  readonly dateType: 'date' | 'text';
  /**
   * Whether concurrent vaccination inserts are gathered into one transaction (group commit). SQLite has one writer
   * and a durable commit costs an fsync, so sharing it multiplies throughput; PostgreSQL commits in parallel.
   */
  readonly groupCommit: boolean;
  /** Largest number of bound parameters in one statement (SQLite: 32 766; PostgreSQL: 65 535). */
  readonly maxParameters: number;
}

export const SQLITE_CAPABILITIES: StoreCapabilities = Object.freeze({
  engine: 'sqlite',
  supportsSkipLocked: false,
  dateType: 'text',
  groupCommit: true,
  maxParameters: 32_766,
});

export const POSTGRES_CAPABILITIES: StoreCapabilities = Object.freeze({
  engine: 'postgres',
  supportsSkipLocked: true,
  dateType: 'date',
  groupCommit: false,
  maxParameters: 65_535,
});
