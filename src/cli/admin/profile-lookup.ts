import { organisationKey, type DoctorProfile, type OrganisationProfile } from '../../registry/profile.js';
import { finding } from '../../status/finding.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../client-options.js';
import { RefusedError } from './admin-errors.js';

/** The doctor with this NIHII, or a PROFILE_NONE refusal naming the option it came from. */
export async function requireDoctor(store: Store, nihii: string, option: string): Promise<DoctorProfile> {
  const doctor = await store.profiles.findDoctor(nihii);
  if (!doctor)
    throw new RefusedError([
      `PROFILE_NONE: ${finding('PROFILE_NONE', { value: `doctor ${nihii} (${option})` }).message} Add it first: vaccinnet admin doctors add --nihii ${nihii} …`,
    ]);
  return doctor;
}

/**
 * Reads an organisation key as `admin organisations list` prints it (`org:CBE:0314595348`); `CBE:0314595348` and
 * `CBE=0314595348` (the certificate's spelling) are accepted too.
 */
export function parseOrganisationKey(key: string): { readonly idType: string; readonly id: string } {
  const match = /^(?:org:)?([A-Za-z][A-Za-z0-9_-]*)[:=](\d+)$/.exec(key.trim());
  if (!match)
    throw new UsageError(`"${key}" is not an organisation key; use the KEY column of "vaccinnet admin organisations list", e.g. org:NIHII-HOSPITAL:71000436`);
  return { idType: match[1]!.toUpperCase(), id: match[2]! };
}

/** The organisation with this key, or a PROFILE_NONE refusal. */
export async function requireOrganisation(store: Store, key: string): Promise<OrganisationProfile> {
  const { idType, id } = parseOrganisationKey(key);
  const organisation = await store.profiles.findOrganisation(idType, id);
  if (!organisation) throw new RefusedError([`PROFILE_NONE: ${finding('PROFILE_NONE', { value: `organisation ${organisationKey(idType, id)}` }).message}`]);
  return organisation;
}
