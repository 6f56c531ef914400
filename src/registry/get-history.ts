import type { Finding } from '../status/finding.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import { auditPatientKey, checkPatientId } from './patient-id.js';
import type { RegistryPorts } from './registry-ports.js';
import type { Channel, Vaccination } from './vaccination.js';

export interface GetHistoryCommand {
  readonly actor: Actor;
  /** Required for callers; ignored for operators. */
  readonly softwareId?: string;
  readonly channel: Channel;
  readonly insz: string;
  /** Where the INSZ was given, for the findings (default `PatientId`; the CLI says "the argument"). */
  readonly inszLocation?: string;
  /** YYYY-MM-DD (GetVaccinations `vaccinationDateSince`): only vaccinations administered on or after it. */
  readonly since?: string;
}

export type HistoryOutcome =
  { readonly ok: true; readonly vaccinations: readonly Vaccination[] } | { readonly ok: false; readonly findings: readonly Finding[] };

/**
 * A person's active vaccinations, ordered by administration date (GetVaccinations, `vaccinnet history`). Removed
 * ones are left out. The PatientId is checked as on writes (format, check digits, person register: the INSZ_* codes).
 * Every read is audited, refused or not; one with a malformed PatientId under the empty patient key.
 * @param cmd - who reads whose history, optionally since a date
 * @param ports - stores, clock and ids
 */
export async function getHistory(cmd: GetHistoryCommand, ports: RegistryPorts): Promise<HistoryOutcome> {
  const now = ports.clock.now();
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  // The PatientId is judged like the patient of a written message (issue 11.2): a malformed one is refused, not read.
  const patient = auth.ok ? await checkPatientId(cmd.insz, ports, cmd.inszLocation) : undefined;
  const refusal = !auth.ok ? auth.finding : patient?.ok === false ? patient.finding : undefined;
  const vaccinations = refusal === undefined ? await ports.vaccinations.history(cmd.insz, cmd.since) : [];
  await ports.audit.append({
    id: ports.ids.auditId(),
    at: now.toISOString(),
    // Only a valid INSZ is ever a patient key; a malformed number is not stored, not even masked (patient-id.ts).
    patientInsz: auditPatientKey(cmd.insz),
    action: 'read',
    outcome: refusal?.code ?? 'OK',
    actor: auth.actorKey,
    subject: auth.subject,
    channel: cmd.channel,
    ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
    detail: patient?.ok === false ? 'PatientId refused' : `${vaccinations.length} vaccination(s)${cmd.since ? ` since ${cmd.since}` : ''}`,
  });
  return refusal === undefined ? { ok: true, vaccinations } : { ok: false, findings: [refusal] };
}
