import type { Command } from 'commander';
import { ORGANISATION_TYPES, organisationKey, type OrganisationProfile, type OrganisationType } from '../../registry/profile.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { formatTable } from './format-table.js';
import { organisationIdFindings } from './identifier-findings.js';
import { requireOrganisation } from './profile-lookup.js';
import { print, storeAction } from './store-action.js';

interface AddOrganisationOptions {
  readonly type: string;
  readonly idType: string;
  readonly id: string;
  readonly name: string;
  readonly userCode: string;
  readonly inactive?: boolean;
}

// The user code is also the sender's id[@S='LOCAL'] in KMEHR messages: keep it to characters every system accepts.
const USER_CODE = /^[A-Za-z0-9._-]{1,40}$/;

function organisationView(o: OrganisationProfile, softwareIds: readonly string[]): Record<string, unknown> {
  return { ...o, softwareIds };
}

/** `admin organisations add | list | activate | deactivate`. */
export function registerOrganisationCommands(admin: Command, setExitCode: SetExitCode): void {
  const organisations = admin.command('organisations').description('organisation profiles (hospitals, group practices, centres, …)');
  organisations
    .command('add')
    .description('add an organisation profile, or update the one with this identifier')
    .requiredOption('--type <type>', ORGANISATION_TYPES.join(' | '))
    .requiredOption('--id-type <type>', 'identifier type in the certificate: NIHII-HOSPITAL, NIHII-GROUP_DOCTORS, CBE, EHP, …')
    .requiredOption('--id <id>', 'identifier value in the certificate (digits)')
    .requiredOption('--name <name>', 'organisation name')
    .requiredOption('--user-code <code>', 'Vaccinnet user code (the sender id[@S=LOCAL] in its messages)')
    .option('--inactive', 'create the profile inactive')
    .action(
      storeAction<AddOrganisationOptions>(setExitCode, async ({ options: o, store }) => {
        if (!(ORGANISATION_TYPES as readonly string[]).includes(o.type))
          throw new UsageError(`unknown --type ${o.type}; one of ${ORGANISATION_TYPES.join(', ')}`);
        if (!o.name.trim()) throw new UsageError('--name must not be empty');
        if (!USER_CODE.test(o.userCode)) throw new UsageError(`--user-code must be 1-40 letters, digits, ".", "_" or "-", got "${o.userCode}"`);
        const findings = organisationIdFindings(o.idType, o.id, '--id');
        if (findings.length > 0) throw RefusedError.of(...findings);
        const idType = o.idType.toUpperCase();
        const existed = (await store.profiles.findOrganisation(idType, o.id)) !== undefined;
        const key = await store.profiles.saveOrganisation({
          type: o.type as OrganisationType,
          idType,
          id: o.id,
          name: o.name.trim(),
          userCode: o.userCode,
          active: !o.inactive,
        });
        const saved = (await store.profiles.findOrganisation(idType, o.id))!;
        const hint =
          saved.responsibleDoctors.length === 0
            ? `\nit cannot register until it has a responsible doctor: vaccinnet admin link responsible --organisation ${key} --doctor NIHII`
            : '';
        print(o, `${existed ? 'updated' : 'added'} organisation ${key}: ${saved.name} (${saved.type})${saved.active ? '' : ', inactive'}${hint}`, {
          status: existed ? 'updated' : 'added',
          organisation: organisationView(
            saved,
            (await store.profiles.listSoftwareIds(key)).map((s) => s.softwareId),
          ),
        });
      }),
    );

  organisations
    .command('list')
    .description('list organisation profiles with their responsible doctors, members and softwareIDs')
    .action(
      storeAction(setExitCode, async ({ options, store }) => {
        const all = await store.profiles.listOrganisations();
        const software = await store.profiles.listSoftwareIds();
        const idsOf = (key: string): string[] => software.filter((s) => s.profileKey === key).map((s) => s.softwareId);
        const rows = all.map((o) => [
          o.key,
          o.type,
          o.name,
          o.userCode,
          o.active ? 'yes' : 'no',
          o.responsibleDoctors.join(',') || '-',
          o.members.join(',') || '-',
          idsOf(o.key).join(',') || '-',
        ]);
        print(
          options,
          all.length === 0 ? 'no organisations' : formatTable(['KEY', 'TYPE', 'NAME', 'USER CODE', 'ACTIVE', 'RESPONSIBLE', 'MEMBERS', 'SOFTWAREIDS'], rows),
          all.map((o) => organisationView(o, idsOf(o.key))),
        );
      }),
    );

  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    organisations
      .command(name)
      .description(active ? 'allow the organisation to register again' : 'refuse its calls (PROFILE_INACTIVE) without deleting anything')
      .argument('<key>', 'organisation key as listed, e.g. org:NIHII-HOSPITAL:71000436')
      .action(
        storeAction(setExitCode, async ({ options, args, store }) => {
          const organisation = await requireOrganisation(store, args[0]!);
          await store.profiles.setOrganisationActive(organisation.key, active);
          const key = organisationKey(organisation.idType, organisation.id);
          print(
            options,
            `organisation ${key} (${organisation.name}) is ${active ? 'active' : 'inactive'}${organisation.active === active ? ' (unchanged)' : ''}`,
            {
              key,
              active,
              changed: organisation.active !== active,
            },
          );
        }),
      );
  }
}
