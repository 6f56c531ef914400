/**
 * Who is calling, as read from an eHealth-style X.509 certificate (identity.md §2). The PKI adapter produces this
 * from a verified certificate; the registry maps it to a profile. A caller is a person OR an organisation, never both.
 */
export interface PersonIdentity {
  readonly kind: 'person';
  /** SSIN/INSZ from `OU="SSIN=…"`. */
  readonly ssin: string;
  /** The full-name OU, when present. */
  readonly name?: string;
  /** The certificate subject, RFC 4514-ish text, for audit. */
  readonly subject: string;
  /** SHA-256 fingerprint of the certificate (hex, upper case), for audit and certificate binding. */
  readonly fingerprint: string;
}

export interface OrganisationIdentity {
  readonly kind: 'organisation';
  /** Identifier type from the `OU="<TYPE>=<id>"`: NIHII-HOSPITAL, NIHII-GROUP_DOCTORS, CBE, EHP, NIHII, … */
  readonly idType: string;
  readonly id: string;
  /** Application id (the OU also named in the CN), e.g. VITALINKGATEWAY. */
  readonly application?: string;
  /** The organisation-name OU. */
  readonly name?: string;
  readonly subject: string;
  readonly fingerprint: string;
}

export type CallerIdentity = PersonIdentity | OrganisationIdentity;

/** Group practices call RegistratieService with an organisation certificate of this type (identity.md §1). */
export const GROUP_PRACTICE_ID_TYPES = ['NIHII-GROUP_DOCTORS', 'NIHII-OFFICE_DOCTORS', 'NIHII-MEDICAL_HOUSE'] as const;

export function describeCaller(identity: CallerIdentity): string {
  return identity.kind === 'person'
    ? `SSIN=${identity.ssin.slice(0, 6)}*****`
    : `${identity.idType}=${identity.id}${identity.application ? `, ${identity.application}` : ''}`;
}
