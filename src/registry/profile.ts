/**
 * Profiles: what an authenticated caller is in Vaccinnet (identity.md §1, §5). A caller certificate maps to
 * exactly one profile: a doctor (personal certificate, by SSIN) or an organisation (by certificate identifier).
 */
export const DOCTOR_ROLES = ['doctor', 'stagemeester', 'haio'] as const;
export type DoctorRole = (typeof DOCTOR_ROLES)[number];

/** Organisation types the registry knows; `group-practice` may call RegistratieService (identity.md §1). */
export const ORGANISATION_TYPES = ['hospital', 'occupational-health', 'vaccination-centre', 'gp-post', 'group-practice', 'public-health', 'other'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export interface Doctor {
  /** NIHII-11: base, check digits, competence code. */
  readonly nihii: string;
  readonly ssin: string;
  readonly firstname: string;
  readonly familyname: string;
  readonly roles: readonly DoctorRole[];
  readonly active: boolean;
}

export interface DoctorProfile extends Doctor {
  readonly kind: 'doctor';
  /** Stable profile key: `doctor:<NIHII>`; stored as registrant of vaccinations and owner of softwareIDs. */
  readonly key: string;
  /** For a HAIO: the NIHII numbers of the stagemeesters linked to it. Empty for everybody else. */
  readonly stagemeesters: readonly string[];
  /** Profile keys of the group practices the doctor is a member of (they share its therapeutic links: docs/access.md). */
  readonly groupPractices: readonly string[];
}

export interface Organisation {
  readonly type: OrganisationType;
  /** Certificate identifier type and value, e.g. NIHII-HOSPITAL / 71000436 (identity.md §2). */
  readonly idType: string;
  readonly id: string;
  readonly name: string;
  /** Vaccinnet user code (`gebruikersId`), also the sender's `id[@S='LOCAL']` in its KMEHR messages. */
  readonly userCode: string;
  readonly active: boolean;
}

export interface OrganisationProfile extends Organisation {
  readonly kind: 'organisation';
  /** Stable profile key: `org:<idType>:<id>`. */
  readonly key: string;
  /** NIHII numbers of the responsible doctors (≥1 needed to register, rule 5). */
  readonly responsibleDoctors: readonly string[];
  /** NIHII numbers of member doctors (group practices). */
  readonly members: readonly string[];
}

export type Profile = DoctorProfile | OrganisationProfile;

/** A registered softwareID and the profile it belongs to (identity.md §3). */
export interface SoftwareRegistration {
  readonly softwareId: string;
  readonly profileKey: string;
}

export function doctorKey(nihii: string): string {
  return `doctor:${nihii}`;
}

export function organisationKey(idType: string, id: string): string {
  return `org:${idType.toUpperCase()}:${id}`;
}
