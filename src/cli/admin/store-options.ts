import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { configFromFlags } from '../config-flags.js';
import type { RegistryConfig } from '../../config/registry-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../client-options.js';

/** The options `admin` and `history` share: where the database is, who the operator is, and the output form. */
export interface StoreOptions {
  readonly config?: string;
  readonly dataDir?: string;
  readonly database?: string;
  readonly json?: boolean;
  readonly operator?: string;
}

/** Adds `--config`, `--data-dir`, `--database`, `--operator` and `--json` to a command (same meaning as for `serve`). */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON configuration file (see docs/configuration.md)')
    .option('--data-dir <dir>', 'data folder (default ./.vaccinnet)')
    .option('--database <url>', 'sqlite:<file> or postgres://… (default sqlite:<data-dir>/vaccinnet.db, or VACCINNET_DATABASE_URL)')
    .option('--operator <name>', 'your name, recorded in the audit log (default $USER)')
    .option('--json', 'print the result as JSON');
}

/** The configuration exactly as `vaccinnet serve` would resolve it from the same flags, files and environment. */
export function resolveConfig(o: StoreOptions): RegistryConfig {
  try {
    return configFromFlags(o);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function accountName(): string {
  try {
    return userInfo().username;
  } catch {
    return ''; // no passwd entry (some containers)
  }
}

/** The operator named in the audit log: `--operator`, else `$USER`/`$USERNAME`, else the OS account; never empty. */
export function operatorName(o: StoreOptions, env: NodeJS.ProcessEnv = process.env): string {
  const name = (o.operator ?? (env['USER'] || env['USERNAME'] || accountName())).trim();
  if (!name) throw new UsageError('who is the operator? pass --operator NAME (recorded in the audit log)');
  return name;
}

/**
 * Opens and migrates the configured store, runs `body`, and closes the store whatever happens. Migrating here
 * means an operator can prepare profiles before the first `serve`.
 */
export async function withStore<T>(o: StoreOptions, body: (store: Store, config: RegistryConfig) => Promise<T>): Promise<T> {
  const config = resolveConfig(o);
  const url = config.database.url;
  if (url.startsWith('sqlite:')) mkdirSync(path.dirname(path.resolve(url.slice('sqlite:'.length))), { recursive: true });
  const store = await openStore(url);
  try {
    await store.migrate();
    return await body(store, config);
  } finally {
    await store.close();
  }
}
