import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { localDate } from '../../registry/system-clock.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { formatPersonRowError, readPersonsCsv } from '../../registry/persons-csv.js';
import { print, storeAction } from './store-action.js';

/** Refused rows listed in full up to this many; a file that is wrong throughout should not flood the terminal. */
const MAX_LISTED_ERRORS = 100;

function listed(lines: readonly string[]): string[] {
  return lines.length <= MAX_LISTED_ERRORS ? [...lines] : [...lines.slice(0, MAX_LISTED_ERRORS), `… and ${lines.length - MAX_LISTED_ERRORS} more`];
}

/** How many of these INSZ numbers the register already holds (to tell new from updated). */
async function countKnown(store: Store, inszs: readonly string[]): Promise<number> {
  let known = 0;
  for (let i = 0; i < inszs.length; i += 500) {
    const rows = await store.db
      .selectFrom('persons')
      .select('insz')
      .where('insz', 'in', inszs.slice(i, i + 500))
      .execute();
    known += rows.length;
  }
  return known;
}

/** `admin persons import FILE.csv [--skip-invalid]`. */
export function registerPersonsCommands(admin: Command, setExitCode: SetExitCode): void {
  const persons = admin.command('persons').description('the person register (INSZ, names, birth date, sex)');
  persons
    .command('import')
    .description('add or update persons from a CSV (columns insz,firstname,familyname,birthdate,sex; "," or ";"; header row)')
    .argument('<file>', 'the CSV file')
    .option('--skip-invalid', 'import the valid rows even when some are invalid (they are listed and skipped)')
    .action(
      storeAction<{ skipInvalid?: boolean }>(setExitCode, async ({ options, args, store, config }) => {
        const file = args[0]!;
        if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
        const today = localDate(new Date(), config.registry.timeZone);
        const csv = readPersonsCsv(readFileSync(file, 'utf8'), today);
        const errorLines = csv.errors.map(formatPersonRowError);
        if (csv.errors.length > 0 && !options.skipInvalid) {
          const bad = new Set(csv.errors.map((e) => e.line)).size;
          throw new RefusedError([...listed(errorLines), `nothing imported: ${bad} of ${csv.rows} row(s) are invalid; fix them or pass --skip-invalid`]);
        }
        const known = await countKnown(
          store,
          csv.persons.map((p) => p.insz),
        );
        await store.persons.upsertPersons(csv.persons);
        const skipped = csv.rows - csv.persons.length;
        const summary = { rows: csv.rows, imported: csv.persons.length, added: csv.persons.length - known, updated: known, skipped, errors: errorLines };
        for (const line of listed(errorLines)) process.stderr.write(`skipped: ${line}\n`);
        print(
          options,
          `imported ${summary.imported} person(s) from ${file}: ${summary.added} new, ${summary.updated} updated${skipped ? `; ${skipped} invalid row(s) skipped` : ''}`,
          summary,
        );
      }),
    );
}
