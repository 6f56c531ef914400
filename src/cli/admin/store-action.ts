import type { Command } from 'commander';
import type { RegistryConfig } from '../../config/registry-config.js';
import type { Store } from '../../store/store.js';
import type { SetExitCode } from '../commands.js';
import { runAdmin } from './admin-errors.js';
import { withStore, type StoreOptions } from './store-options.js';

/** What a store-backed command body receives. */
export interface StoreCall<O> {
  /** The command's own options merged with those of `admin` (`--database`, `--json`, …). */
  readonly options: StoreOptions & O;
  /** The positional arguments, in order. */
  readonly args: readonly string[];
  readonly store: Store;
  readonly config: RegistryConfig;
}

/**
 * A commander action that opens the configured store, runs `body` and maps the outcome to an exit code. Options
 * given on `admin` are read with `optsWithGlobals`, so they work before or after the sub-command.
 */
export function storeAction<O>(setExitCode: SetExitCode, body: (call: StoreCall<O>) => Promise<void>): (...all: unknown[]) => Promise<void> {
  return (...all: unknown[]) => {
    const command = all.at(-1) as Command;
    const options = command.optsWithGlobals<StoreOptions & O>();
    const args = all.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : [String(a)]));
    return runAdmin(setExitCode, () => withStore(options, (store, config) => body({ options, args, store, config })));
  };
}

/** Writes a line (or a JSON document when `--json`) to stdout. */
export function print(o: StoreOptions, text: string, json: unknown): void {
  process.stdout.write(o.json ? `${JSON.stringify(json, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}
