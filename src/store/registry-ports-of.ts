import { defaultVaccineReference, type VaccineReference } from '../kmehr/codelists/index.js';
import type { Clock, IdGenerator } from '../registry/ports.js';
import { randomIds } from '../registry/random-ids.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { DEFAULT_REGISTRY_SETTINGS, type RegistrySettings } from '../registry/registry-settings.js';
import { systemClock } from '../registry/system-clock.js';
import type { Store } from './store.js';

export interface RegistryPortsOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly reference?: VaccineReference;
  readonly settings?: Partial<RegistrySettings>;
}

/**
 * The registry ports backed by a store, with production defaults (system clock, random ids, shipped vaccine
 * table, register mode, Europe/Brussels). The composition root and tests override what they need.
 * @param store - an opened, migrated store
 * @param opts - overrides
 */
export function registryPortsOf(store: Store, opts: RegistryPortsOptions = {}): RegistryPorts {
  return Object.freeze({
    profiles: store.profileLookups,
    persons: store.persons,
    vaccinations: store.vaccinations,
    audit: store.audit,
    access: store.access,
    clock: opts.clock ?? systemClock,
    ids: opts.ids ?? randomIds,
    reference: opts.reference ?? defaultVaccineReference(),
    settings: Object.freeze({ ...DEFAULT_REGISTRY_SETTINGS, ...opts.settings }),
  });
}
