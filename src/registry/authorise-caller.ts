import { checkSoftwareId } from '../kmehr/identifiers/index.js';
import { finding, type Finding } from '../status/finding.js';
import { checkCertificateBinding } from './certificate-binding.js';
import { describeCaller, GROUP_PRACTICE_ID_TYPES, type CallerIdentity } from './caller-identity.js';
import type { ProfileDirectory } from './ports.js';
import type { Profile } from './profile.js';

export type Authorisation = { readonly ok: true; readonly profile: Profile } | { readonly ok: false; readonly finding: Finding; readonly profile?: Profile };

/** A group-practice certificate (identity.md §1): an organisation that may call RegistratieService. */
export function isGroupPracticeIdentity(identity: CallerIdentity): boolean {
  return identity.kind === 'organisation' && (GROUP_PRACTICE_ID_TYPES as readonly string[]).includes(identity.idType);
}

/**
 * Call-level authorisation (rule 5, identity.md §1, §3, §5): the caller has a profile, the certificate is one bound
 * to it when the profile has bound certificates (and not revoked), the profile is active, an organisation
 * has a responsible doctor, a HAIO has a stagemeester, and the softwareID is well formed and registered for THIS
 * profile. The first failure is the answer: these are call-level statuses, one per call.
 * @param identity - the verified certificate identity
 * @param softwareId - the SoftwareId / pakket value as sent
 * @param directory - the profile port
 */
export async function authoriseCaller(identity: CallerIdentity, softwareId: string, directory: ProfileDirectory): Promise<Authorisation> {
  const who = describeCaller(identity);
  const profile = await directory.findProfile(identity);
  if (!profile) return { ok: false, finding: finding('PROFILE_NONE', { value: who }) };
  const refusal = checkCertificateBinding(identity, profile, await directory.findCertificateBindings(profile.key));
  if (refusal) return { ok: false, profile, finding: refusal };
  if (!profile.active) return { ok: false, profile, finding: finding('PROFILE_INACTIVE', { value: who }) };
  if (profile.kind === 'organisation' && profile.responsibleDoctors.length === 0) {
    return { ok: false, profile, finding: finding('PROFILE_NO_RESPONSIBLE_DOCTOR', { value: `${profile.name} (${who})` }) };
  }
  if (profile.kind === 'doctor' && profile.roles.includes('haio') && profile.stagemeesters.length === 0) {
    return { ok: false, profile, finding: finding('PROFILE_HAIO_NO_STAGEMEESTER', { value: profile.nihii }) };
  }
  const shape = softwareShape(profile);
  const shapeOk = shape.some((kind) => checkSoftwareId(softwareId, kind).ok);
  if (!shapeOk) {
    const check = checkSoftwareId(softwareId, shape[0] ?? 'personal');
    const detail = check.ok ? 'unexpected shape' : check.detail;
    return { ok: false, profile, finding: finding('SOFTWARE_ID_MALFORMED', { value: softwareId, params: { detail } }) };
  }
  const registration = await directory.findSoftwareId(softwareId);
  if (!registration) return { ok: false, profile, finding: finding('SOFTWARE_ID_NOT_REGISTERED', { value: softwareId }) };
  if (registration.profileKey !== profile.key) {
    return { ok: false, profile, finding: finding('SOFTWARE_ID_OTHER_PROFILE', { value: softwareId }) };
  }
  return { ok: true, profile };
}

/** Doctors use `integrator_software`; organisations `integrator_software_organisation`; group practices run GP software, so either. */
function softwareShape(profile: Profile): readonly ('personal' | 'organisation')[] {
  if (profile.kind === 'doctor') return ['personal'];
  return profile.type === 'group-practice' ? ['organisation', 'personal'] : ['organisation'];
}
