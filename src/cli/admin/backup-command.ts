import path from 'node:path';
import type { Command } from 'commander';
import { sqliteFileOf } from '../../store/open-store.js';
import { backupSqlite } from '../../store/sqlite-backup.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { runAdmin } from './admin-errors.js';
import { print } from './store-action.js';
import { resolveConfig, type StoreOptions } from './store-options.js';

/**
 * `admin backup <file>`: an online backup of the SQLite database `serve` uses, while it runs (docs/operations.md
 * tells how to restore it). PostgreSQL has its own tools for this (pg_dump, pg_basebackup, Patroni's): the command
 * says so instead of half-doing their job.
 */
export function registerBackupCommand(admin: Command, setExitCode: SetExitCode): void {
  admin
    .command('backup')
    .description('online backup of the SQLite database to one file (PostgreSQL: use pg_dump / pg_basebackup)')
    .argument('<file>', 'the backup file to write (replaced if it exists)')
    .action((backupFile: string, _o: unknown, command: Command) =>
      runAdmin(setExitCode, async () => {
        const o = command.optsWithGlobals<StoreOptions>();
        const file = sqliteFileOf(resolveConfig(o).database.url);
        if (file === undefined) throw new UsageError('admin backup copies a SQLite database; for PostgreSQL use pg_dump or pg_basebackup (docs/operations.md)');
        const source = path.resolve(file);
        const target = path.resolve(backupFile);
        if (target === source) throw new UsageError('the backup file must not be the database itself');
        const report = await backupSqlite(source, target);
        print(
          o,
          `backed up ${source} to ${report.file}: ${report.bytes} bytes, ${report.vaccinations} vaccination row(s), ${report.migrations} migration(s), integrity ok`,
          report,
        );
      }),
    );
}
