import type { VaccineReference } from '../kmehr/codelists/index.js';
import type { AccessStore, AuditLog, Clock, IdGenerator, PersonRegister, ProfileDirectory, VaccinationStore } from './ports.js';
import type { RegistrySettings } from './registry-settings.js';

/** Everything the registry use cases need, passed explicitly by the composition root (no global accessors). */
export interface RegistryPorts {
  readonly profiles: ProfileDirectory;
  readonly persons: PersonRegister;
  readonly vaccinations: VaccinationStore;
  readonly audit: AuditLog;
  /** Consent, therapeutic links, exclusions: what the read rule decides on (access/read-access.ts). */
  readonly access: AccessStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly reference: VaccineReference;
  readonly settings: RegistrySettings;
}
