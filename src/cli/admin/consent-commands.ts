import type { Command } from 'commander';
import { recordConsent } from '../../registry/access/manage-access.js';
import type { SetExitCode } from '../commands.js';
import { accessContext, changed, masked, requireInsz } from './access-support.js';
import { formatTable } from './format-table.js';
import { print, storeAction } from './store-action.js';

/** `admin consent give | revoke | show INSZ`: the person's informed consent, recorded on their request (docs/access.md). */
export function registerConsentCommands(admin: Command, setExitCode: SetExitCode): void {
  const consent = admin.command('consent').description("a person's informed consent to share health data (history kept)");
  for (const [verb, state] of [
    ['give', 'active'],
    ['revoke', 'revoked'],
  ] as const) {
    consent
      .command(verb)
      .description(verb === 'give' ? 'record that the person gives consent' : 'record that the person revokes consent')
      .argument('<insz>', "the person's INSZ/SSIN")
      .action(
        storeAction(setExitCode, async ({ options: o, args, store, config }) => {
          const insz = args[0]!;
          const { ports, actor } = accessContext(o, store, config);
          const result = changed(await recordConsent({ insz, state, actor, inszLocation: 'the argument' }, ports));
          const what = state === 'active' ? 'active' : 'revoked';
          print(o, `consent of ${masked(insz)} is ${what}${result.changed ? ` (since ${result.row?.since})` : ' (unchanged)'}`, {
            status: result.changed ? 'recorded' : 'unchanged',
            state,
            ...(result.row && { since: result.row.since, id: result.row.id }),
          });
        }),
      );
  }
  consent
    .command('show')
    .description('the consent history of a person, oldest first')
    .argument('<insz>', "the person's INSZ/SSIN")
    .action(
      storeAction(setExitCode, async ({ options: o, args, store, config }) => {
        const insz = args[0]!;
        requireInsz(insz, config);
        const history = await store.access.consentHistory(insz);
        const current = history.at(-1)?.state ?? 'none';
        const lines = [`consent of ${masked(insz)}: ${current === 'none' ? 'never recorded' : current}`];
        if (history.length > 0)
          lines.push(
            formatTable(
              ['SINCE', 'STATE', 'RECORDED BY', 'CHANNEL', 'ID'],
              history.map((c) => [c.since, c.state, c.recordedBy, c.channel, c.id]),
            ),
          );
        print(o, lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join(''), {
          current,
          history: history.map((c) => ({ ...c, patientInsz: masked(c.patientInsz) })),
        });
      }),
    );
}
