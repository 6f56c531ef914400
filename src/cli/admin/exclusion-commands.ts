import type { Command } from 'commander';
import { addExclusion, liftExclusion } from '../../registry/access/manage-access.js';
import type { SetExitCode } from '../commands.js';
import { accessContext, changed, masked, partyKey, requireInsz, type PartyOptions } from './access-support.js';
import { formatTable } from './format-table.js';
import { print, storeAction } from './store-action.js';

/** `admin exclusions add | lift | list INSZ`: a person forbids a named care provider any access (docs/access.md). */
export function registerExclusionCommands(admin: Command, setExitCode: SetExitCode): void {
  const exclusions = admin.command('exclusions').description('care providers a person has excluded from reading their data (beats every link)');
  exclusions
    .command('add')
    .description('record that the person excludes a doctor or organisation')
    .argument('<insz>', "the person's INSZ/SSIN")
    .option('--doctor <nihii>', "the doctor's NIHII-11")
    .option('--organisation <key>', 'organisation key as listed')
    .action(
      storeAction<PartyOptions>(setExitCode, async ({ options: o, args, store, config }) => {
        const insz = args[0]!;
        const party = await partyKey(o, store);
        const { ports, actor } = accessContext(o, store, config);
        const result = changed(await addExclusion({ insz, party, actor, inszLocation: 'the argument' }, ports));
        print(o, `exclusion ${result.row.id}: ${party} may not read ${masked(insz)}'s data since ${result.row.since}${result.changed ? '' : ' (unchanged)'}`, {
          status: result.changed ? 'recorded' : 'unchanged',
          ...result.row,
          patientInsz: masked(insz),
        });
      }),
    );
  exclusions
    .command('lift')
    .description('lift an exclusion (on the person’s request)')
    .argument('<insz>', "the person's INSZ/SSIN")
    .argument('<exclusion-id>', 'the ID column of "admin exclusions list"')
    .action(
      storeAction(setExitCode, async ({ options: o, args, store, config }) => {
        const [insz, id] = [args[0]!, args[1]!];
        const { ports, actor } = accessContext(o, store, config);
        const { row } = changed(await liftExclusion({ insz, id, actor, inszLocation: 'the argument' }, ports));
        print(o, `exclusion ${row.id} of ${row.party} lifted at ${row.liftedAt}`, { ...row, patientInsz: masked(insz) });
      }),
    );
  exclusions
    .command('list')
    .description("a person's exclusions, lifted ones included")
    .argument('<insz>', "the person's INSZ/SSIN")
    .action(
      storeAction(setExitCode, async ({ options: o, args, store, config }) => {
        const insz = args[0]!;
        requireInsz(insz, config);
        const rows = await store.access.exclusions(insz);
        const text =
          rows.length === 0
            ? `${masked(insz)} has excluded nobody\n`
            : formatTable(
                ['ID', 'PARTY', 'SINCE', 'LIFTED', 'RECORDED BY'],
                rows.map((e) => [e.id, e.party, e.since, e.liftedAt ?? '-', e.recordedBy]),
              );
        print(
          o,
          text,
          rows.map((e) => ({ ...e, patientInsz: masked(insz) })),
        );
      }),
    );
}
