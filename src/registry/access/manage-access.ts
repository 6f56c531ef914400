import { finding, type Finding } from '../../status/finding.js';
import type { NewAuditEntry } from '../audit-entry.js';
import { checkPatientId } from '../patient-id.js';
import type { RegistryPorts } from '../registry-ports.js';
import type { AccessChannel, ConsentEvent, ConsentState, Exclusion, LinkProof, LinkType, TherapeuticLink } from './access-model.js';
import { defaultLinkEnd } from './access-settings.js';

/*
 * The operator's (later the web application's) changes to a person's access model. Each change is checked (the INSZ
 * as everywhere: format, check digits, person register), stored, and audited under the person as action `access`.
 */

type AccessPorts = Pick<RegistryPorts, 'access' | 'audit' | 'clock' | 'ids' | 'persons' | 'settings'>;

export interface AccessActor {
  /** `operator:<name>` or a profile key: recorded as who made the change. */
  readonly by: string;
  /** Who, as authenticated (operator name, certificate subject). */
  readonly subject: string;
  readonly channel: AccessChannel;
}

export type AccessOutcome<T> =
  { readonly ok: true; readonly changed: boolean; readonly row: T } | { readonly ok: false; readonly findings: readonly Finding[] };

async function audit(ports: AccessPorts, actor: AccessActor, insz: string, at: string, detail: string): Promise<void> {
  const entry: NewAuditEntry = {
    id: ports.ids.auditId(),
    at,
    patientInsz: insz,
    action: 'access',
    outcome: 'OK',
    actor: actor.by,
    subject: actor.subject,
    channel: actor.channel,
    detail,
  };
  await ports.audit.append(entry);
}

async function personRefusal(insz: string, ports: AccessPorts, location: string): Promise<Finding | undefined> {
  const check = await checkPatientId(insz, ports, location);
  return check.ok ? undefined : check.finding;
}

/**
 * Records consent given or revoked (on the person's request). A new event only when the state changes: giving
 * consent twice keeps one history entry (`changed: false`); history rows are never updated.
 */
export async function recordConsent(
  cmd: { readonly insz: string; readonly state: ConsentState; readonly actor: AccessActor; readonly inszLocation?: string },
  ports: AccessPorts,
): Promise<AccessOutcome<ConsentEvent | undefined>> {
  const refused = await personRefusal(cmd.insz, ports, cmd.inszLocation ?? 'INSZ');
  if (refused) return { ok: false, findings: [refused] };
  const at = ports.clock.now().toISOString();
  const current = (await ports.access.accessFacts(cmd.insz, [], at)).consent;
  // Revoking a consent never given changes nothing either: "no consent" is already the state.
  if ((current?.state ?? 'revoked') === cmd.state) return { ok: true, changed: false, row: current };
  const event: ConsentEvent = {
    patientInsz: cmd.insz,
    id: ports.ids.accessId(),
    state: cmd.state,
    since: at,
    recordedBy: cmd.actor.by,
    channel: cmd.actor.channel,
  };
  await ports.access.appendConsent(event);
  await audit(ports, cmd.actor, cmd.insz, at, `consent ${cmd.state === 'active' ? 'given' : 'revoked'} (${event.id})`);
  return { ok: true, changed: true, row: event };
}

export interface DeclareLinkCommand {
  readonly insz: string;
  /** Profile key of the doctor or organisation (the caller resolves and checks it). */
  readonly party: string;
  readonly type: LinkType;
  readonly proof: LinkProof;
  /** ISO-8601 UTC; default now. */
  readonly start?: string;
  /** ISO-8601 UTC, exclusive; default by proof (access-settings.ts). */
  readonly end?: string;
  readonly actor: AccessActor;
  readonly inszLocation?: string;
}

/** Declares a therapeutic link; without an end it gets the default validity of its proof. */
export async function declareLink(cmd: DeclareLinkCommand, ports: AccessPorts): Promise<AccessOutcome<TherapeuticLink>> {
  const refused = await personRefusal(cmd.insz, ports, cmd.inszLocation ?? 'INSZ');
  if (refused) return { ok: false, findings: [refused] };
  const at = ports.clock.now().toISOString();
  const start = cmd.start ?? at;
  const link: TherapeuticLink = {
    patientInsz: cmd.insz,
    id: ports.ids.accessId(),
    party: cmd.party,
    type: cmd.type,
    proof: cmd.proof,
    start,
    end: cmd.end ?? defaultLinkEnd(cmd.proof, start, ports.settings.access),
    declaredBy: cmd.actor.by,
  };
  await ports.access.addLink(link);
  await audit(ports, cmd.actor, cmd.insz, at, `link ${link.id} declared: ${link.party} ${link.type} (${link.proof}) ${link.start} – ${link.end}`);
  return { ok: true, changed: true, row: link };
}

/** Ends (revokes) a link now. Links are never edited: a changed relation is a new link. */
export async function endLink(
  cmd: { readonly insz: string; readonly id: string; readonly actor: AccessActor; readonly inszLocation?: string },
  ports: AccessPorts,
): Promise<AccessOutcome<TherapeuticLink>> {
  const refused = await personRefusal(cmd.insz, ports, cmd.inszLocation ?? 'INSZ');
  if (refused) return { ok: false, findings: [refused] };
  const at = ports.clock.now().toISOString();
  const result = await ports.access.endLink(cmd.insz, cmd.id, at, cmd.actor.by);
  if (!result.changed) {
    const f = result.row
      ? finding('ACCESS_ALREADY_ENDED', { value: cmd.id, params: { detail: 'therapeutic link', date: result.row.revokedAt?.slice(0, 10) } })
      : finding('ACCESS_RECORD_NOT_FOUND', { value: cmd.id, params: { detail: 'therapeutic link' } });
    return { ok: false, findings: [f] };
  }
  await audit(ports, cmd.actor, cmd.insz, at, `link ${cmd.id} ended (${result.row.party})`);
  return { ok: true, changed: true, row: result.row };
}

/** The person forbids a party any access from now on (an exclusion beats every link). */
export async function addExclusion(
  cmd: { readonly insz: string; readonly party: string; readonly actor: AccessActor; readonly inszLocation?: string },
  ports: AccessPorts,
): Promise<AccessOutcome<Exclusion>> {
  const refused = await personRefusal(cmd.insz, ports, cmd.inszLocation ?? 'INSZ');
  if (refused) return { ok: false, findings: [refused] };
  const at = ports.clock.now().toISOString();
  const standing = (await ports.access.exclusions(cmd.insz)).find((e) => e.party === cmd.party && e.liftedAt === undefined);
  if (standing) return { ok: true, changed: false, row: standing };
  const exclusion: Exclusion = { patientInsz: cmd.insz, id: ports.ids.accessId(), party: cmd.party, since: at, recordedBy: cmd.actor.by };
  await ports.access.addExclusion(exclusion);
  await audit(ports, cmd.actor, cmd.insz, at, `exclusion ${exclusion.id} of ${cmd.party}`);
  return { ok: true, changed: true, row: exclusion };
}

export async function liftExclusion(
  cmd: { readonly insz: string; readonly id: string; readonly actor: AccessActor; readonly inszLocation?: string },
  ports: AccessPorts,
): Promise<AccessOutcome<Exclusion>> {
  const refused = await personRefusal(cmd.insz, ports, cmd.inszLocation ?? 'INSZ');
  if (refused) return { ok: false, findings: [refused] };
  const at = ports.clock.now().toISOString();
  const result = await ports.access.liftExclusion(cmd.insz, cmd.id, at, cmd.actor.by);
  if (!result.changed) {
    const f = result.row
      ? finding('ACCESS_ALREADY_ENDED', { value: cmd.id, params: { detail: 'exclusion', date: result.row.liftedAt?.slice(0, 10) } })
      : finding('ACCESS_RECORD_NOT_FOUND', { value: cmd.id, params: { detail: 'exclusion' } });
    return { ok: false, findings: [f] };
  }
  await audit(ports, cmd.actor, cmd.insz, at, `exclusion ${cmd.id} lifted (${result.row.party})`);
  return { ok: true, changed: true, row: result.row };
}
