import type { Command } from 'commander';
import type { DoctorRole } from '../../registry/profile.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { doctorNihiiFindings } from './identifier-findings.js';
import { requireDoctor, requireOrganisation } from './profile-lookup.js';
import { print, storeAction } from './store-action.js';

function checkNihiis(pairs: readonly (readonly [string, string])[]): void {
  const findings = pairs.flatMap(([value, option]) => doctorNihiiFindings(value, option));
  if (findings.length > 0) throw RefusedError.of(...findings);
}

/** `admin link responsible | member | stagemeester`. */
export function registerLinkCommands(admin: Command, setExitCode: SetExitCode): void {
  const link = admin.command('link').description('link doctors to organisations and HAIOs to their stagemeesters');
  for (const relation of ['responsible', 'member'] as const) {
    link
      .command(relation)
      .description(
        relation === 'responsible'
          ? 'make a doctor responsible for an organisation (needed before it may register)'
          : 'make a doctor a member of a group practice',
      )
      .requiredOption('--organisation <key>', 'organisation key as listed')
      .requiredOption('--doctor <nihii>', "the doctor's NIHII-11")
      .action(
        storeAction<{ organisation: string; doctor: string }>(setExitCode, async ({ options: o, store }) => {
          checkNihiis([[o.doctor, '--doctor']]);
          const organisation = await requireOrganisation(store, o.organisation);
          const doctor = await requireDoctor(store, o.doctor, '--doctor');
          const already = (relation === 'responsible' ? organisation.responsibleDoctors : organisation.members).includes(doctor.nihii);
          await store.profiles.linkDoctor(organisation.key, doctor.nihii, relation);
          print(
            o,
            `doctor ${doctor.nihii} (${doctor.firstname} ${doctor.familyname}) is ${relation === 'responsible' ? 'a responsible doctor' : 'a member'} of ${organisation.key}${already ? ' (unchanged)' : ''}`,
            {
              status: already ? 'unchanged' : 'linked',
              relation,
              organisation: organisation.key,
              doctor: doctor.nihii,
            },
          );
        }),
      );
  }

  link
    .command('stagemeester')
    .description('link a HAIO to a stagemeester who may be the author of its registrations')
    .requiredOption('--haio <nihii>', "the HAIO's NIHII-11")
    .requiredOption('--stagemeester <nihii>', "the stagemeester's NIHII-11")
    .action(
      storeAction<{ haio: string; stagemeester: string }>(setExitCode, async ({ options: o, store }) => {
        checkNihiis([
          [o.haio, '--haio'],
          [o.stagemeester, '--stagemeester'],
        ]);
        const haio = await requireDoctor(store, o.haio, '--haio');
        const stagemeester = await requireDoctor(store, o.stagemeester, '--stagemeester');
        const lacks = (role: DoctorRole, d: typeof haio, option: string): string[] =>
          d.roles.includes(role)
            ? []
            : [
                `${option} ${d.nihii} (${d.firstname} ${d.familyname}) does not have the role ${role} (roles: ${d.roles.join(', ')}); add it with vaccinnet admin doctors add --role`,
              ];
        const problems = [...lacks('haio', haio, '--haio'), ...lacks('stagemeester', stagemeester, '--stagemeester')];
        if (problems.length > 0) throw new RefusedError(problems);
        const already = haio.stagemeesters.includes(stagemeester.nihii);
        await store.profiles.linkStagemeester(haio.nihii, stagemeester.nihii);
        print(
          o,
          `HAIO ${haio.nihii} (${haio.firstname} ${haio.familyname}) is linked to stagemeester ${stagemeester.nihii} (${stagemeester.firstname} ${stagemeester.familyname})${already ? ' (unchanged)' : ''}`,
          {
            status: already ? 'unchanged' : 'linked',
            haio: haio.nihii,
            stagemeester: stagemeester.nihii,
          },
        );
      }),
    );
}
