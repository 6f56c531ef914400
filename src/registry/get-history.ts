import { maskInsz } from '../status/mask-insz.js';
import { finding, type Finding } from '../status/finding.js';
import { authoriseRead } from './access/authorise-read.js';
import { registeredBy, type AccessBasis, type AccessDecision, type AccessRefusalCode } from './access/read-access.js';
import type { Actor } from './actor.js';
import { authoriseActor } from './actor-profile.js';
import { auditPatientKey, checkPatientId } from './patient-id.js';
import type { Profile } from './profile.js';
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
  /** Why an operator reads (required for operators, ACCESS_REASON_REQUIRED without), or why the glass is broken. */
  readonly reason?: string;
  /** A care provider's emergency read without consent or link (off unless `access.breakTheGlass`; docs/access.md). */
  readonly breakTheGlass?: boolean;
  /** A read of this one dose (FHIR read by id, get-vaccination.ts): only it is handed out, and the audit row names it. */
  readonly vaccinationId?: string;
}

export type HistoryOutcome =
  | {
      readonly ok: true;
      readonly vaccinations: readonly Vaccination[];
      /** On what ground the read was allowed (access/read-access.ts). */
      readonly basis?: AccessBasis;
      /** Informational findings about the read (ACCESS_OWN_ONLY, ACCESS_BREAK_GLASS, ACCESS_OPERATOR_READ). */
      readonly findings?: readonly Finding[];
    }
  | { readonly ok: false; readonly findings: readonly Finding[] };

/** The audit outcome and the informational code of each allowed basis ('OK' for the ordinary case). */
const BASIS_CODE = {
  'consent-and-link': 'OK',
  'own-registrations': 'ACCESS_OWN_ONLY',
  operator: 'ACCESS_OPERATOR_READ',
  'break-the-glass': 'ACCESS_BREAK_GLASS',
} as const;

/** A reason as the audit row keeps it: bounded, INSZ-like numbers masked (it is free text typed by a person). */
function auditReason(reason: string): string {
  return JSON.stringify(reason.replace(/\d{11}/g, maskInsz).slice(0, 200));
}

function decidingCondition(d: AccessDecision | undefined, basis: AccessBasis | undefined): string {
  if (d === undefined) return '';
  if (d.scope === 'all') {
    if (d.basis === 'consent-and-link') return `access consent-and-link via ${d.via} (link ${d.linkId}); `;
    if (d.basis === 'operator') return `access operator, reason ${auditReason(d.reason)}; `;
    return `access break-the-glass instead of ${d.overrides}, reason ${auditReason(d.reason)}; `;
  }
  return basis === 'own-registrations' ? `access own registrations only (${d.refusal}); ` : `access refused (${d.refusal}); `;
}

type Read = { readonly basis: AccessBasis; readonly vaccinations: readonly Vaccination[] } | { readonly refusal: AccessRefusalCode };

/**
 * The doses a decision lets the caller see. Scope `own` (rule 1 without rules 2–3): a caller that registered none of
 * the person's doses gets the same refusal as for a person without any; one that did reads them, `since` applying as
 * always (maybe none).
 */
async function readAsDecided(decision: AccessDecision, profile: Profile | undefined, cmd: GetHistoryCommand, ports: RegistryPorts): Promise<Read> {
  if (decision.scope === 'none') return { refusal: decision.refusal };
  if (decision.scope === 'all') return { basis: decision.basis, vaccinations: await ports.vaccinations.history(cmd.insz, cmd.since) };
  const own = profile ? (await ports.vaccinations.history(cmd.insz)).filter((v) => registeredBy(profile, v)) : [];
  if (own.length === 0) return { refusal: decision.refusal };
  return { basis: 'own-registrations', vaccinations: cmd.since === undefined ? own : own.filter((v) => v.administeredOn >= cmd.since!) };
}

/**
 * A person's active vaccinations, ordered by administration date (GetVaccinations, `vaccinnet history`, FHIR), as the
 * read rule allows (access/read-access.ts, docs/access.md): everything with consent and a link (or for an operator
 * with a reason), else only what the caller registered itself — with ACCESS_OWN_ONLY saying why — and when that is
 * nothing, refused with the code of the failed condition, whether or not the person has vaccinations. Removed ones
 * are left out. The PatientId is checked as on writes (the INSZ_* codes). Every read is audited, refused or not, with
 * its deciding condition; one with a malformed PatientId under the empty patient key.
 * @param cmd - who reads whose history, optionally since a date, with a reason
 * @param ports - stores, clock, ids and settings
 */
export async function getHistory(cmd: GetHistoryCommand, ports: RegistryPorts): Promise<HistoryOutcome> {
  const now = ports.clock.now();
  const at = now.toISOString();
  const auth = await authoriseActor(cmd.actor, cmd.softwareId, ports.profiles);
  // The PatientId is judged like the patient of a written message (issue 11.2): a malformed one is refused, not read.
  const patient = auth.ok ? await checkPatientId(cmd.insz, ports, cmd.inszLocation) : undefined;
  let refusal = !auth.ok ? auth.finding : patient?.ok === false ? patient.finding : undefined;
  let decision: AccessDecision | undefined;
  let basis: AccessBasis | undefined;
  let vaccinations: readonly Vaccination[] = [];
  if (refusal === undefined && auth.ok) {
    decision = await authoriseRead(
      {
        ...(auth.profile && { profile: auth.profile }),
        insz: cmd.insz,
        at,
        ...(cmd.reason !== undefined && { reason: cmd.reason }),
        ...(cmd.breakTheGlass && { breakTheGlass: true }),
      },
      ports,
    );
    const read = await readAsDecided(decision, auth.profile, cmd, ports);
    if ('refusal' in read) refusal = finding(read.refusal, { location: cmd.inszLocation ?? 'PatientId' });
    else ({ basis, vaccinations } = read);
    if (cmd.vaccinationId !== undefined) vaccinations = vaccinations.filter((v) => v.id === cmd.vaccinationId);
  }
  const notice =
    basis === undefined || basis === 'consent-and-link'
      ? undefined
      : finding(BASIS_CODE[basis], { params: { detail: decision?.scope === 'own' ? decision.refusal : undefined } });
  await ports.audit.append({
    id: ports.ids.auditId(),
    at,
    // Only a valid INSZ is ever a patient key; a malformed number is not stored, not even masked (patient-id.ts).
    patientInsz: auditPatientKey(cmd.insz),
    action: 'read',
    outcome: refusal?.code ?? (basis ? BASIS_CODE[basis] : 'OK'),
    actor: auth.actorKey,
    subject: auth.subject,
    channel: cmd.channel,
    ...(cmd.softwareId !== undefined && { softwareId: cmd.softwareId }),
    ...(cmd.vaccinationId !== undefined && { vaccinationId: cmd.vaccinationId }),
    detail:
      patient?.ok === false
        ? 'PatientId refused'
        : `${decidingCondition(decision, basis)}${vaccinations.length} vaccination(s)${cmd.since ? ` since ${cmd.since}` : ''}`,
  });
  if (refusal !== undefined) return { ok: false, findings: [refusal] };
  return { ok: true, vaccinations, ...(basis && { basis }), ...(notice && { findings: [notice] }) };
}
