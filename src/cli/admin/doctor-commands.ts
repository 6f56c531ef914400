import type { Command } from 'commander';
import { maskInsz } from '../../kmehr/identifiers/index.js';
import { localDate } from '../../registry/system-clock.js';
import { DOCTOR_ROLES, type DoctorProfile, type DoctorRole } from '../../registry/profile.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { formatTable } from './format-table.js';
import { doctorNihiiFindings, inszFindings } from './identifier-findings.js';
import { print, storeAction } from './store-action.js';

interface AddDoctorOptions {
  readonly nihii: string;
  readonly ssin: string;
  readonly firstname: string;
  readonly familyname: string;
  readonly role?: readonly string[];
  readonly inactive?: boolean;
}

const collect = (value: string, previous: readonly string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function parseRoles(values: readonly string[]): DoctorRole[] {
  const roles = values.length > 0 ? values.map((r) => r.toLowerCase()) : ['doctor'];
  const bad = roles.filter((r) => !(DOCTOR_ROLES as readonly string[]).includes(r));
  if (bad.length > 0) throw new UsageError(`unknown --role ${bad.join(', ')}; one of ${DOCTOR_ROLES.join(', ')}`);
  return [...new Set(roles)] as DoctorRole[];
}

/** A doctor as the listing shows it; the SSIN is masked (personal data). */
function doctorView(d: DoctorProfile, softwareIds: readonly string[]): Record<string, unknown> {
  return {
    key: d.key,
    nihii: d.nihii,
    ssin: maskInsz(d.ssin),
    firstname: d.firstname,
    familyname: d.familyname,
    roles: d.roles,
    active: d.active,
    stagemeesters: d.stagemeesters,
    softwareIds,
  };
}

/** `admin doctors add | list`. */
export function registerDoctorCommands(admin: Command, setExitCode: SetExitCode): void {
  const doctors = admin.command('doctors').description('doctor profiles (NIHII, SSIN, names, roles)');
  doctors
    .command('add')
    .description('add a doctor profile, or update the one with this NIHII')
    .requiredOption('--nihii <nihii>', 'NIHII-11 (RIZIV number with competence code)')
    .requiredOption('--ssin <ssin>', 'INSZ/SSIN in the personal eHealth certificate')
    .requiredOption('--firstname <name>', 'first name')
    .requiredOption('--familyname <name>', 'family name')
    .option('--role <role>', `doctor, stagemeester or haio; repeat or comma-separate (default doctor)`, collect)
    .option('--inactive', 'create the profile inactive')
    .action(
      storeAction<AddDoctorOptions>(setExitCode, async ({ options: o, store, config }) => {
        const roles = parseRoles(o.role ?? []);
        const today = localDate(new Date(), config.registry.timeZone);
        const findings = [...doctorNihiiFindings(o.nihii, '--nihii'), ...inszFindings(o.ssin, '--ssin', today)];
        if (findings.length > 0) throw RefusedError.of(...findings);
        if (!o.firstname.trim() || !o.familyname.trim()) throw new UsageError('--firstname and --familyname must not be empty');
        // One personal certificate (SSIN) must map to exactly one doctor profile.
        const sameSsin = (await store.profiles.listDoctors()).find((d) => d.ssin === o.ssin && d.nihii !== o.nihii);
        if (sameSsin)
          throw new RefusedError([`the SSIN ${maskInsz(o.ssin)} already belongs to doctor ${sameSsin.nihii} (${sameSsin.firstname} ${sameSsin.familyname})`]);
        const existed = (await store.profiles.findDoctor(o.nihii)) !== undefined;
        await store.profiles.saveDoctor({
          nihii: o.nihii,
          ssin: o.ssin,
          firstname: o.firstname.trim(),
          familyname: o.familyname.trim(),
          roles,
          active: !o.inactive,
        });
        const saved = (await store.profiles.findDoctor(o.nihii))!;
        print(
          o,
          `${existed ? 'updated' : 'added'} doctor ${saved.key}: ${saved.firstname} ${saved.familyname} (${saved.roles.join(', ')})${saved.active ? '' : ', inactive'}`,
          {
            status: existed ? 'updated' : 'added',
            doctor: doctorView(
              saved,
              (await store.profiles.listSoftwareIds(saved.key)).map((s) => s.softwareId),
            ),
          },
        );
      }),
    );

  doctors
    .command('list')
    .description('list doctor profiles with their roles, stagemeesters and softwareIDs')
    .action(
      storeAction(setExitCode, async ({ options, store }) => {
        const all = await store.profiles.listDoctors();
        const software = await store.profiles.listSoftwareIds();
        const views = all.map((d) =>
          doctorView(
            d,
            software.filter((s) => s.profileKey === d.key).map((s) => s.softwareId),
          ),
        );
        const rows = all.map((d, i) => [
          d.nihii,
          `${d.firstname} ${d.familyname}`,
          maskInsz(d.ssin),
          d.roles.join(','),
          d.active ? 'yes' : 'no',
          d.stagemeesters.join(',') || '-',
          (views[i]!['softwareIds'] as string[]).join(',') || '-',
        ]);
        print(
          options,
          all.length === 0 ? 'no doctors' : formatTable(['NIHII', 'NAME', 'SSIN', 'ROLES', 'ACTIVE', 'STAGEMEESTERS', 'SOFTWAREIDS'], rows),
          views,
        );
      }),
    );
}
