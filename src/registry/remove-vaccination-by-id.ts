import { finding } from '../status/finding.js';
import { authoriseRead } from './access/authorise-read.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import type { RegistryPorts } from './registry-ports.js';
import { removeVaccination, type RemoveOutcome } from './remove-vaccination.js';
import type { Channel } from './vaccination.js';

export interface RemoveVaccinationByIdCommand {
  readonly actor: Actor;
  readonly softwareId?: string;
  readonly channel: Channel;
  readonly id: string;
  readonly reason?: string;
}

const VACCINATION_ID = /^[0-9A-F]{32}$/;

/**
 * Removes a dose named by its id alone (FHIR DELETE): finds whose it is and leaves the decision to
 * `removeVaccination`, the rule's one holder. What changes is what a caller learns: someone else's dose of a person
 * the caller may not read answers VACCINATION_NOT_FOUND, exactly as an unknown id (removeVaccination's own audit row
 * keeps the true VACCINATION_NOT_YOURS). A caller that reads all of the person's doses sees the dose anyway, and is
 * told VACCINATION_NOT_YOURS. A refused caller gets its code whatever the id.
 * @param cmd - who removes which id, and why
 * @param ports - stores, clock, ids and settings
 */
export async function removeVaccinationById(cmd: RemoveVaccinationByIdCommand, ports: RegistryPorts): Promise<RemoveOutcome> {
  const notFound: RemoveOutcome = { ok: false, findings: [finding('VACCINATION_NOT_FOUND', { value: cmd.id.slice(0, 64) })] };
  const owner = VACCINATION_ID.test(cmd.id) ? await ports.vaccinations.patientOf(cmd.id) : undefined;
  if (!owner) {
    const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
    return auth.ok ? notFound : { ok: false, findings: [auth.finding] };
  }
  const outcome = await removeVaccination(
    {
      actor: cmd.actor,
      ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
      channel: cmd.channel,
      patientId: owner.patientInsz,
      vaccinationId: cmd.id,
      ...(cmd.reason !== undefined && { reason: cmd.reason }),
    },
    ports,
  );
  if (outcome.ok) return outcome;
  const code = outcome.findings[0]?.code;
  // The stored patient's INSZ failing its check (e.g. gone from the register) is not the caller's input: hidden.
  if (code?.startsWith('INSZ_')) return notFound;
  if (code !== 'VACCINATION_NOT_YOURS') return outcome;
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  const decision = await authoriseRead(
    { ...(auth.ok && auth.profile && { profile: auth.profile }), insz: owner.patientInsz, at: ports.clock.now().toISOString() },
    ports,
  );
  return decision.scope === 'all' ? outcome : notFound;
}
