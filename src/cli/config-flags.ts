import { loadConfig } from '../config/load-config.js';
import type { RegistryConfig } from '../config/registry-config.js';

/** The flags every command that opens the registry's database or starts it shares (same meaning everywhere). */
export interface ConfigFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly database?: string;
  readonly port?: string | number;
  readonly host?: string;
}

/**
 * The configuration from a command's flags, on top of the file and VACCINNET_* environment (docs/configuration.md).
 * `--data-dir` moves everything that defaults into it (the SQLite file, the development CA); `--database` wins over both.
 */
export function configFromFlags(flags: ConfigFlags): RegistryConfig {
  return loadConfig({
    ...(flags.config && { file: flags.config }),
    overrides: {
      ...(flags.dataDir && { dataDir: flags.dataDir }),
      ...(flags.database && { 'database.url': flags.database }),
      ...(flags.port !== undefined && { 'server.port': Number(flags.port) }),
      ...(flags.host && { 'server.host': flags.host }),
    },
  });
}

/** Resolves on the first SIGINT or SIGTERM: long-running commands then close what they started, in order. */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
