import { Option, type Command } from 'commander';
import { LINK_PROOFS, LINK_TYPES, linkValidAt, type LinkProof, type LinkType, type TherapeuticLink } from '../../registry/access/access-model.js';
import { declareLink, endLink } from '../../registry/access/manage-access.js';
import type { SetExitCode } from '../commands.js';
import { UsageError } from '../client-options.js';
import { accessContext, changed, instantOption, masked, partyKey, requireInsz, type PartyOptions } from './access-support.js';
import { formatTable } from './format-table.js';
import { print, storeAction } from './store-action.js';

interface AddOptions extends PartyOptions {
  readonly type: LinkType;
  readonly proof: LinkProof;
  readonly start?: string;
  readonly end?: string;
}

function state(l: TherapeuticLink, now: string): string {
  if (l.revokedAt !== undefined) return `ended ${l.revokedAt}`;
  if (linkValidAt(l, now)) return 'active';
  return l.start > now ? 'not started' : 'expired';
}

/**
 * `admin links add | end | list INSZ`: therapeutic links between a person and a doctor or organisation (docs/access.md).
 * Not `admin link …`, which links doctors to organisations and HAIOs to stagemeesters.
 */
export function registerTherapeuticLinkCommands(admin: Command, setExitCode: SetExitCode): void {
  const links = admin.command('links').description("a person's therapeutic links with doctors and organisations (what lets them read)");
  links
    .command('add')
    .description('declare a therapeutic link; without --end it lasts 15 months after an eID reading, 3 months otherwise (configurable)')
    .argument('<insz>', "the person's INSZ/SSIN")
    .option('--doctor <nihii>', "the doctor's NIHII-11")
    .option('--organisation <key>', 'organisation key as listed (a group practice: its members share the link)')
    .addOption(new Option('--type <type>', 'the relation').choices(LINK_TYPES).default('gp'))
    .addOption(new Option('--proof <proof>', 'how the relation was evidenced').choices(LINK_PROOFS).default('operator'))
    .option('--start <date>', 'YYYY-MM-DD (midnight UTC) or ISO instant; default now')
    .option('--end <date>', 'exclusive end, YYYY-MM-DD or ISO instant; default by proof')
    .action(
      storeAction<AddOptions>(setExitCode, async ({ options: o, args, store, config }) => {
        const insz = args[0]!;
        const start = instantOption(o.start, '--start');
        const end = instantOption(o.end, '--end');
        if (end !== undefined && end <= (start ?? new Date().toISOString())) throw new UsageError('--end must lie after the start of the link');
        const party = await partyKey(o, store);
        const { ports, actor } = accessContext(o, store, config);
        const { row } = changed(
          await declareLink(
            { insz, party, type: o.type, proof: o.proof, actor, inszLocation: 'the argument', ...(start && { start }), ...(end && { end }) },
            ports,
          ),
        );
        print(o, `link ${row.id}: ${row.party} ↔ ${masked(insz)} (${row.type}, ${row.proof}) from ${row.start} until ${row.end}`, {
          ...row,
          patientInsz: masked(insz),
        });
      }),
    );
  links
    .command('end')
    .description('end (revoke) a link now; links are never edited — declare a new one for a changed relation')
    .argument('<insz>', "the person's INSZ/SSIN")
    .argument('<link-id>', 'the ID column of "admin links list"')
    .action(
      storeAction(setExitCode, async ({ options: o, args, store, config }) => {
        const [insz, id] = [args[0]!, args[1]!];
        const { ports, actor } = accessContext(o, store, config);
        const { row } = changed(await endLink({ insz, id, actor, inszLocation: 'the argument' }, ports));
        print(o, `link ${row.id} of ${masked(insz)} with ${row.party} ended at ${row.revokedAt}`, { ...row, patientInsz: masked(insz) });
      }),
    );
  links
    .command('list')
    .description("a person's links, ended and expired ones included")
    .argument('<insz>', "the person's INSZ/SSIN")
    .action(
      storeAction(setExitCode, async ({ options: o, args, store, config }) => {
        const insz = args[0]!;
        requireInsz(insz, config);
        const now = new Date().toISOString();
        const rows = await store.access.links(insz);
        const text =
          rows.length === 0
            ? `${masked(insz)} has no therapeutic links\n`
            : formatTable(
                ['ID', 'PARTY', 'TYPE', 'PROOF', 'START', 'END', 'STATE', 'DECLARED BY'],
                rows.map((l) => [l.id, l.party, l.type, l.proof, l.start, l.end, state(l, now), l.declaredBy]),
              );
        print(
          o,
          text,
          rows.map((l) => ({ ...l, patientInsz: masked(insz), state: state(l, now) })),
        );
      }),
    );
}
