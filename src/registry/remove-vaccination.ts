import { finding, type Finding } from '../status/finding.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import type { NewAuditEntry } from './audit-entry.js';
import { doctorKey, type Profile } from './profile.js';
import { auditPatientKey, checkPatientId } from './patient-id.js';
import type { RegistryPorts } from './registry-ports.js';
import type { Channel, Vaccination } from './vaccination.js';

export interface RemoveVaccinationCommand {
  readonly actor: Actor;
  /** Required for callers; ignored for operators. */
  readonly softwareId?: string;
  readonly channel: Channel;
  readonly patientId: string;
  readonly vaccinationId: string;
  readonly reason?: string;
}

export type RemoveOutcome = { readonly ok: true; readonly vaccination: Vaccination } | { readonly ok: false; readonly findings: readonly Finding[] };

/**
 * Removes a vaccination logically (wire-contracts §1 RemoveVaccination): only its registrant, the registrant's
 * organisation (a group practice for its member doctors, an organisation for what it registered) or an operator;
 * the record stays, marked removed with who/when/why. A second removal answers VACCINATION_ALREADY_REMOVED.
 * @param cmd - who removes which vaccination of which patient
 * @param ports - stores, clock and ids
 */
export async function removeVaccination(cmd: RemoveVaccinationCommand, ports: RegistryPorts): Promise<RemoveOutcome> {
  const now = ports.clock.now();
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  const audit = (outcome: string, detail?: string): NewAuditEntry => ({
    id: ports.ids.auditId(),
    at: now.toISOString(),
    patientInsz: auditPatientKey(cmd.patientId),
    action: 'remove',
    outcome,
    vaccinationId: cmd.vaccinationId,
    actor: auth.actorKey,
    subject: auth.subject,
    channel: cmd.channel,
    ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
    ...(detail !== undefined && { detail }),
  });
  const refuse = async (f: Finding): Promise<RemoveOutcome> => {
    await ports.audit.append(audit(f.code));
    return { ok: false, findings: [f] };
  };
  if (!auth.ok) return refuse(auth.finding);
  // The PatientId is judged as on reads and writes (issue 11.2): INSZ_* codes, not a VACCINATION_NOT_FOUND.
  const patient = await checkPatientId(cmd.patientId, ports);
  if (!patient.ok) return refuse(patient.finding);
  const existing = await ports.vaccinations.getVaccination(cmd.patientId, cmd.vaccinationId);
  if (!existing) return refuse(finding('VACCINATION_NOT_FOUND', { value: cmd.vaccinationId }));
  if (auth.profile && !mayRemove(auth.profile, existing)) {
    return refuse(finding('VACCINATION_NOT_YOURS', { value: cmd.vaccinationId }));
  }
  if (existing.status === 'removed') return refuse(alreadyRemoved(existing));
  const removal = { at: now.toISOString(), by: auth.actorKey, ...(cmd.reason !== undefined && { reason: cmd.reason }) };
  const result = await ports.vaccinations.removeVaccination(cmd.patientId, cmd.vaccinationId, removal, audit('OK', cmd.reason));
  if (result.removed) return { ok: true, vaccination: result.vaccination };
  // Lost a race with another removal: the row is no longer active.
  return refuse(result.vaccination ? alreadyRemoved(result.vaccination) : finding('VACCINATION_NOT_FOUND', { value: cmd.vaccinationId }));
}

function alreadyRemoved(v: Vaccination): Finding {
  return finding('VACCINATION_ALREADY_REMOVED', { value: v.id, params: { date: v.removal?.at.slice(0, 10) } });
}

/** The registrant itself, or the group practice / organisation a registering doctor belongs to. */
function mayRemove(profile: Profile, v: Vaccination): boolean {
  if (v.registrantKey === profile.key) return true;
  return profile.kind === 'organisation' && profile.members.some((nihii) => doctorKey(nihii) === v.registrantKey);
}
