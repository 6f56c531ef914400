import type { AccessActor, AccessOutcome } from '../../registry/access/manage-access.js';
import { doctorKey } from '../../registry/profile.js';
import type { RegistryPorts } from '../../registry/registry-ports.js';
import { maskInsz } from '../../status/mask-insz.js';
import type { Store } from '../../store/store.js';
import { registryPortsOf } from '../../store/registry-ports-of.js';
import { registrySettingsOf } from '../../config/registry-settings-of.js';
import type { RegistryConfig } from '../../config/registry-config.js';
import { UsageError } from '../client-options.js';
import { RefusedError } from './admin-errors.js';
import { doctorNihiiFindings, inszFindings } from './identifier-findings.js';
import { localDate } from '../../registry/system-clock.js';
import { requireDoctor, requireOrganisation } from './profile-lookup.js';
import { operatorName, type StoreOptions } from './store-options.js';

/** What the consent, links and exclusions commands share: the registry ports, and the operator as the actor. */
export function accessContext(o: StoreOptions, store: Store, config: RegistryConfig): { readonly ports: RegistryPorts; readonly actor: AccessActor } {
  const name = operatorName(o);
  return {
    ports: registryPortsOf(store, { settings: registrySettingsOf(config) }),
    actor: { by: `operator:${name}`, subject: `operator ${name}`, channel: 'cli' },
  };
}

export interface PartyOptions {
  readonly doctor?: string;
  readonly organisation?: string;
}

/** `--doctor NIHII` or `--organisation KEY` (exactly one), checked and looked up: the party's profile key. */
export async function partyKey(o: PartyOptions, store: Store): Promise<string> {
  if ((o.doctor === undefined) === (o.organisation === undefined))
    throw new UsageError('name the party with exactly one of --doctor NIHII or --organisation KEY');
  if (o.doctor !== undefined) {
    const findings = doctorNihiiFindings(o.doctor, '--doctor');
    if (findings.length > 0) throw RefusedError.of(...findings);
    return doctorKey((await requireDoctor(store, o.doctor, '--doctor')).nihii);
  }
  return (await requireOrganisation(store, o.organisation!)).key;
}

/** An instant option: `YYYY-MM-DD` (midnight UTC) or a full ISO-8601 instant, as ISO-8601 UTC. */
export function instantOption(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new UsageError(`${option} must be a date YYYY-MM-DD or an ISO-8601 instant, got "${value}"`);
  return new Date(t).toISOString();
}

/** The row of a successful change, or the refusal as exit 1 with its catalogue code. */
export function changed<T>(outcome: AccessOutcome<T>): { readonly changed: boolean; readonly row: T } {
  if (!outcome.ok) throw RefusedError.of(...outcome.findings);
  return outcome;
}

export const masked = maskInsz;

/** For the listing commands: a malformed INSZ is refused with its code (the changes check it in the registry). */
export function requireInsz(insz: string, config: RegistryConfig): void {
  const findings = inszFindings(insz, 'the argument', localDate(new Date(), config.registry.timeZone));
  if (findings.length > 0) throw RefusedError.of(...findings);
}
