import type { RegistrySettings } from '../registry/registry-settings.js';
import type { RegistryConfig } from './registry-config.js';

/** The registry settings of a configuration: one mapping for the server, the batch worker and the CLI. */
export function registrySettingsOf(config: RegistryConfig): RegistrySettings {
  return {
    personCheck: config.registry.personCheck,
    timeZone: config.registry.timeZone,
    access: { eidLinkMonths: config.access.eidLinkMonths, otherLinkMonths: config.access.otherLinkMonths, breakTheGlass: config.access.breakTheGlass },
  };
}
