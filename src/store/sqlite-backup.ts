import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

export interface BackupReport {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
  /** Migrations recorded in the copy: what a restored registry starts from. */
  readonly migrations: number;
  readonly vaccinations: number;
}

/**
 * An online backup of a running registry's SQLite file (SQLite's backup API through better-sqlite3): the copy is
 * one consistent snapshot of everything committed, the WAL included, taken while `serve` and its writer keep
 * working (the API copies page batches and restarts a batch a writer changed under it). The copy is written beside
 * the target and renamed only after `PRAGMA integrity_check` says ok, so a failed backup never leaves a file that
 * looks like one.
 * @param source - the live database file
 * @param target - the backup file (replaced if it exists)
 */
export async function backupSqlite(source: string, target: string): Promise<BackupReport> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const live = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  live.pragma('busy_timeout = 5000');
  let pages = 0;
  try {
    await live.backup(partial, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return 1024; // pages per step: short steps let the writer in between
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    live.close();
  }
  const copy = new SqliteDatabase(partial, { fileMustExist: true });
  let migrations: number;
  let vaccinations: number;
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup copy failed its integrity check: ${String(check)}`);
    // A single-file copy: a restored registry must not need a -wal beside it.
    copy.pragma('journal_mode = DELETE');
    migrations = (copy.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n;
    vaccinations = (copy.prepare('select count(*) as n from vaccinations').get() as { n: number }).n;
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error;
  }
  copy.close();
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size, pages, migrations, vaccinations };
}
