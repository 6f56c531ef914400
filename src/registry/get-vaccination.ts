import { finding, type Finding } from '../status/finding.js';
import { registeredBy } from './access/read-access.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import { getHistory } from './get-history.js';
import type { RegistryPorts } from './registry-ports.js';
import type { Channel, Vaccination } from './vaccination.js';

export interface GetVaccinationCommand {
  readonly actor: Actor;
  readonly softwareId?: string;
  readonly channel: Channel;
  /** The VaccinationId asked for, as sent. */
  readonly id: string;
  /** Where the person's INSZ is in the channel's terms, for findings about it (default `PatientId`). */
  readonly inszLocation?: string;
  readonly reason?: string;
  readonly breakTheGlass?: boolean;
}

export type VaccinationReadOutcome =
  | { readonly ok: true; readonly vaccination: Vaccination; readonly findings?: readonly Finding[] }
  | { readonly ok: false; readonly findings: readonly Finding[] };

const VACCINATION_ID = /^[0-9A-F]{32}$/;

/**
 * One dose by its id (FHIR read): finds whose it is and reads it through `getHistory`, so the access rule and its
 * audit apply exactly as on a person's history. A dose the caller may not read answers VACCINATION_NOT_FOUND, the
 * same as an id that does not exist (our choice, docs/decisions.md: an id must not tell whose vaccination exists). A
 * removed dose the caller could read answers VACCINATION_ALREADY_REMOVED. A refused caller (profile, softwareID) gets
 * its code whatever the id, so that refusal says nothing about the id either.
 * @param cmd - who reads which id
 * @param ports - stores, clock, ids and settings
 */
export async function getVaccination(cmd: GetVaccinationCommand, ports: RegistryPorts): Promise<VaccinationReadOutcome> {
  const notFound: VaccinationReadOutcome = { ok: false, findings: [finding('VACCINATION_NOT_FOUND', { value: cmd.id.slice(0, 64) })] };
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  const owner = VACCINATION_ID.test(cmd.id) ? await ports.vaccinations.patientOf(cmd.id) : undefined;
  if (!owner) return auth.ok ? notFound : { ok: false, findings: [auth.finding] };
  const outcome = await getHistory(
    {
      actor: cmd.actor,
      ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
      channel: cmd.channel,
      insz: owner.patientInsz,
      ...(cmd.inszLocation !== undefined && { inszLocation: cmd.inszLocation }),
      ...(cmd.reason !== undefined && { reason: cmd.reason }),
      ...(cmd.breakTheGlass && { breakTheGlass: true }),
      vaccinationId: cmd.id,
    },
    ports,
  );
  // The caller itself refused: the same answer as for an unknown id (above). Anything else about the person is hidden.
  if (!auth.ok) return { ok: false, findings: [auth.finding] };
  if (outcome.ok && outcome.vaccinations[0]) {
    return { ok: true, vaccination: outcome.vaccinations[0], ...(outcome.findings && { findings: outcome.findings }) };
  }
  if (owner.status !== 'removed') return notFound;
  // Removed: told only to a caller that reads all of the person's doses, or that registered this one itself.
  const seesAll = outcome.ok && outcome.basis !== 'own-registrations';
  const stored = seesAll || !auth.profile ? undefined : await ports.vaccinations.getVaccination(owner.patientInsz, cmd.id);
  if (!seesAll && !(stored && auth.profile && registeredBy(auth.profile, stored))) return notFound;
  return { ok: false, findings: [finding('VACCINATION_ALREADY_REMOVED', { value: cmd.id })] };
}
