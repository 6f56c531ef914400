import type { Command } from 'commander';
import { registerBackupCommand } from './admin/backup-command.js';
import { registerCertificateCommands } from './admin/certificates-command.js';
import { registerConsentCommands } from './admin/consent-commands.js';
import { registerDoctorCommands } from './admin/doctor-commands.js';
import { registerExclusionCommands } from './admin/exclusion-commands.js';
import { registerLinkCommands } from './admin/link-commands.js';
import { registerOrganisationCommands } from './admin/organisation-commands.js';
import { registerPersonsCommands } from './admin/persons-commands.js';
import { registerSoftwareIdCommands } from './admin/softwareid-commands.js';
import { addStoreOptions } from './admin/store-options.js';
import { registerTherapeuticLinkCommands } from './admin/therapeutic-link-commands.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';

/**
 * `vaccinnet admin …`: the operator's tools on the registry database (issue 3 §4): persons, doctors, organisations,
 * softwareIDs and their links; a person's consent, therapeutic links and exclusions (issue 13). Works directly on the database `serve` uses (same `--config`/`--data-dir`/
 * `--database` resolution), migrating it first. Exit codes: 0 done, 1 refused (with the catalogue code), 2 usage.
 */
export function registerAdminCommands(program: Command, setExitCode: SetExitCode): void {
  // showGlobalOptions: `admin doctors add --help` also lists --database, --json, … (they are defined on `admin`).
  const admin = addStoreOptions(program.command('admin').description(COMMAND_SUMMARIES.admin.summary).configureHelp({ showGlobalOptions: true }));
  registerPersonsCommands(admin, setExitCode);
  registerDoctorCommands(admin, setExitCode);
  registerOrganisationCommands(admin, setExitCode);
  registerSoftwareIdCommands(admin, setExitCode);
  registerLinkCommands(admin, setExitCode);
  registerCertificateCommands(admin, setExitCode);
  registerConsentCommands(admin, setExitCode);
  registerTherapeuticLinkCommands(admin, setExitCode);
  registerExclusionCommands(admin, setExitCode);
  registerBackupCommand(admin, setExitCode);
}
