import { DEFAULT_ACCESS_SETTINGS, type AccessSettings } from './access/access-settings.js';
import type { PersonCheckMode } from './person.js';

/** The registry settings the use cases need (the composition root reads them from config). */
export interface RegistrySettings {
  readonly personCheck: PersonCheckMode;
  /** IANA time zone of the registry clock, for "today" in the rules: Europe/Brussels. */
  readonly timeZone: string;
  /** The read rule's link validity and break-the-glass switch (config `access.*`). */
  readonly access: AccessSettings;
}

export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = Object.freeze({
  personCheck: 'register',
  timeZone: 'Europe/Brussels',
  access: DEFAULT_ACCESS_SETTINGS,
});
