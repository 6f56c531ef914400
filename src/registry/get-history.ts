import type { Finding } from '../status/finding.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import type { RegistryPorts } from './registry-ports.js';
import type { Channel, Vaccination } from './vaccination.js';

export interface GetHistoryCommand {
  readonly actor: Actor;
  /** Required for callers; ignored for operators. */
  readonly softwareId?: string;
  readonly channel: Channel;
  readonly insz: string;
  /** YYYY-MM-DD (GetVaccinations `vaccinationDateSince`): only vaccinations administered on or after it. */
  readonly since?: string;
}

export type HistoryOutcome =
  | { readonly ok: true; readonly vaccinations: readonly Vaccination[] }
  | { readonly ok: false; readonly findings: readonly Finding[] };

/**
 * A person's active vaccinations, ordered by administration date (GetVaccinations, `vaccinnet history`). Removed
 * ones are left out. Every read is audited, refused or not.
 * @param cmd - who reads whose history, optionally since a date
 * @param ports - stores, clock and ids
 */
export async function getHistory(cmd: GetHistoryCommand, ports: RegistryPorts): Promise<HistoryOutcome> {
  const now = ports.clock.now();
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  const vaccinations = auth.ok ? await ports.vaccinations.history(cmd.insz, cmd.since) : [];
  await ports.audit.append({
    id: ports.ids.auditId(),
    at: now.toISOString(),
    patientInsz: cmd.insz,
    action: 'read',
    outcome: auth.ok ? 'OK' : auth.finding.code,
    actor: auth.actorKey,
    subject: auth.subject,
    channel: cmd.channel,
    ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
    detail: `${vaccinations.length} vaccination(s)${cmd.since ? ` since ${cmd.since}` : ''}`,
  });
  return auth.ok ? { ok: true, vaccinations } : { ok: false, findings: [auth.finding] };
}
