import type { Command } from 'commander';
import { finding } from '../../status/finding.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { formatTable } from './format-table.js';
import { doctorNihiiFindings, softwareIdFindings } from './identifier-findings.js';
import { requireDoctor, requireOrganisation } from './profile-lookup.js';
import { print, storeAction } from './store-action.js';

interface AddSoftwareIdOptions {
  readonly doctor?: string;
  readonly organisation?: string;
  readonly move?: boolean;
}

/** `admin softwareids add | list`. */
export function registerSoftwareIdCommands(admin: Command, setExitCode: SetExitCode): void {
  const softwareIds = admin.command('softwareids').description('softwareIDs registered per doctor or organisation profile');
  softwareIds
    .command('add')
    .description('register a softwareID for a doctor (integrator_software) or an organisation (integrator_software_organisation)')
    .argument('<softwareId>', 'the softwareID')
    .option('--doctor <nihii>', "the doctor's NIHII-11")
    .option('--organisation <key>', 'the organisation key as listed')
    .option('--move', 'move the softwareID when it is registered for another profile')
    .action(
      storeAction<AddSoftwareIdOptions>(setExitCode, async ({ options: o, args, store }) => {
        const softwareId = args[0]!;
        if (!o.doctor === !o.organisation) throw new UsageError('give exactly one of --doctor NIHII or --organisation KEY');
        if (o.doctor) {
          const nihiiFindings = doctorNihiiFindings(o.doctor, '--doctor');
          if (nihiiFindings.length > 0) throw RefusedError.of(...nihiiFindings);
        }
        const findings = softwareIdFindings(softwareId, o.doctor ? 'personal' : 'organisation');
        if (findings.length > 0) throw RefusedError.of(...findings);
        const profile = o.doctor ? await requireDoctor(store, o.doctor, '--doctor') : await requireOrganisation(store, o.organisation!);
        const current = await store.profiles.findSoftwareId(softwareId);
        if (current && current.profileKey !== profile.key && !o.move) {
          const f = finding('SOFTWARE_ID_OTHER_PROFILE', { value: softwareId });
          throw new RefusedError([`${f.code}: ${f.message} (${current.profileKey}); pass --move to move it to ${profile.key}`]);
        }
        await store.profiles.registerSoftwareId(softwareId, profile.key);
        const status = !current ? 'added' : current.profileKey === profile.key ? 'unchanged' : 'moved';
        print(
          o,
          `softwareID ${softwareId} ${status === 'moved' ? `moved from ${current!.profileKey} to` : status === 'unchanged' ? 'already registered for' : 'registered for'} ${profile.key}`,
          {
            status,
            softwareId,
            profileKey: profile.key,
            ...(status === 'moved' && { from: current!.profileKey }),
          },
        );
      }),
    );

  softwareIds
    .command('list')
    .description('list registered softwareIDs and their profiles')
    .action(
      storeAction(setExitCode, async ({ options, store }) => {
        const all = await store.profiles.listSoftwareIds();
        print(
          options,
          all.length === 0
            ? 'no softwareIDs'
            : formatTable(
                ['SOFTWAREID', 'PROFILE'],
                all.map((s) => [s.softwareId, s.profileKey]),
              ),
          all,
        );
      }),
    );
}
