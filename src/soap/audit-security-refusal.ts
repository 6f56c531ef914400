import { checkInsz } from '../kmehr/identifiers/insz-check.js';
import { describeCaller } from '../registry/caller-identity.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { localDate } from '../registry/system-clock.js';
import type { Channel } from '../registry/vaccination.js';
import type { SecurityRefusal } from './security-refusal.js';

/**
 * A refused authentication is audited against the patient the request names, so `vaccinnet history P --audit`
 * shows who tried to read or change P's record and was turned away. Only for a well-formed INSZ (format and check
 * digits): the audit's patient key is never a caller-chosen string. Without one the security-event log is the trace.
 */
export async function auditSecurityRefusal(
  refusal: SecurityRefusal,
  request: { readonly patientId: string; readonly softwareId?: string; readonly operation: string },
  channel: Channel,
  ports: RegistryPorts,
): Promise<void> {
  const now = ports.clock.now();
  if (!checkInsz(request.patientId, localDate(now, ports.settings.timeZone)).ok) return;
  const fingerprint = refusal.finding.params?.fingerprint ?? refusal.identity?.fingerprint;
  await ports.audit.append({
    id: ports.ids.auditId(),
    at: now.toISOString(),
    patientInsz: request.patientId,
    action: 'refuse',
    outcome: refusal.finding.code,
    actor: '',
    subject: refusal.identity ? describeCaller(refusal.identity) : String(refusal.finding.value ?? 'unauthenticated'),
    channel,
    ...(request.softwareId !== undefined && { softwareId: request.softwareId }),
    detail: `${request.operation} refused${fingerprint !== undefined ? `, certificate sha256:${String(fingerprint).slice(0, 16)}` : ''}`,
  });
}
