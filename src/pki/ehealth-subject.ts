import type { CallerIdentity } from '../registry/caller-identity.js';

/** One subject attribute in DER order (C first, CN last), as @peculiar/x509 `Name.toJSON()` lists them. */
export interface SubjectAttribute {
  readonly type: string;
  readonly value: string;
}

/** Identifier types and their digit counts (identity.md §2). Unknown types are accepted with any length. */
export const IDENTIFIER_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  SSIN: 11,
  NIHII: 8,
  NIHII11: 11,
  CBE: 10,
  EHP: 10,
  'NIHII-HOSPITAL': 8,
  'NIHII-GUARD_POST': 8,
  'NIHII-SORTING_CENTER': 8,
  'NIHII-MEDICAL_HOUSE': 8,
  'NIHII-GROUP_DOCTORS': 8,
  'NIHII-OFFICE_DOCTORS': 8,
  'NIHII-PHARMACY': 8,
  'NIHII-LABO': 8,
  'CBE-TREAT_CENTER': 10,
  'CBE-CONSORTIUM': 10,
});

const EHEALTH_OU = 'eHealth-platform Belgium';
const FEDERAL_GOVERNMENT = 'Federal Government';
// identity.md says `[A-Z_-]+=[0-9]+`; digits are allowed after the first letter because of the NIHII11 type.
const IDENTIFIER_OU = /^([A-Z][A-Z0-9_-]*)=([0-9]+)$/;

export type SubjectSpec =
  | { readonly kind: 'person'; readonly ssin: string; readonly name: string }
  | {
      readonly kind: 'organisation';
      readonly idType: string;
      readonly id: string;
      readonly name: string;
      readonly application?: string;
    };

/**
 * The eHealth subject for a personal or organisation certificate (identity.md §2), in DER order so that the
 * RFC 4514 rendering reads exactly like the real ones: `CN="SSIN=…", OU=eHealth-platform Belgium, OU=<name>, …`.
 */
export function ehealthSubject(spec: SubjectSpec): SubjectAttribute[] {
  const identifier = spec.kind === 'person' ? `SSIN=${spec.ssin}` : `${spec.idType}=${spec.id}`;
  const application = spec.kind === 'organisation' ? spec.application : undefined;
  const attrs: SubjectAttribute[] = [
    { type: 'C', value: 'BE' },
    { type: 'O', value: FEDERAL_GOVERNMENT },
  ];
  if (application) attrs.push({ type: 'OU', value: application });
  attrs.push(
    { type: 'OU', value: identifier },
    { type: 'OU', value: spec.name },
    { type: 'OU', value: EHEALTH_OU },
    { type: 'CN', value: application ? `${identifier}, ${application}` : identifier },
  );
  return attrs;
}

/** JSON name for @peculiar/x509 generators. */
export function toJsonName(attrs: readonly SubjectAttribute[]): Record<string, string[]>[] {
  return attrs.map((a) => ({ [a.type]: [a.value] }));
}

/** Attributes from @peculiar/x509 `Name.toJSON()` output. */
export function fromJsonName(json: readonly Readonly<Record<string, readonly unknown[]>>[]): SubjectAttribute[] {
  const attrs: SubjectAttribute[] = [];
  for (const rdn of json) {
    for (const [type, values] of Object.entries(rdn)) {
      for (const value of values) attrs.push({ type, value: typeof value === 'string' ? value : JSON.stringify(value) });
    }
  }
  return attrs;
}

/** RFC 4514 order (CN first), values with `=`, `,`, `+`, `"` or `\` quoted like eHealth renders them. */
export function formatSubject(attrs: readonly SubjectAttribute[]): string {
  return [...attrs]
    .reverse()
    .map((a) => `${a.type}=${/[=,+"\\;<>]/.test(a.value) ? `"${a.value.replace(/(["\\])/g, '\\$1')}"` : a.value}`)
    .join(', ');
}

export type SubjectReading = { readonly ok: true; readonly identity: CallerIdentity } | { readonly ok: false; readonly detail: string };

/**
 * Maps an eHealth subject to the caller (identity.md §2): the identifier is the OU shaped `TYPE=digits`
 * (SSIN → person, anything else → organisation); with 4+ OUs an OU also named in the CN is the application;
 * the eHealth-platform OU and "Federal Government" are ignored; the remaining OU is the name.
 */
export function identityFromSubject(attrs: readonly SubjectAttribute[], fingerprint: string): SubjectReading {
  const subject = formatSubject(attrs);
  const ous = attrs.filter((a) => a.type === 'OU').map((a) => a.value);
  const cn = attrs.find((a) => a.type === 'CN')?.value ?? '';
  const identifiers = ous.map((ou) => IDENTIFIER_OU.exec(ou)).filter((m) => m !== null);
  const first = identifiers[0];
  if (!first) return { ok: false, detail: 'no identifier OU' };
  if (identifiers.some((m) => m[0] !== first[0])) return { ok: false, detail: 'more than one identifier OU' };
  const idType = first[1] as string;
  const id = first[2] as string;
  const expected = IDENTIFIER_LENGTHS[idType];
  if (expected !== undefined && id.length !== expected) {
    return { ok: false, detail: `${idType} must have ${expected} digits` };
  }
  const cnParts = new Set(cn.split(',').map((p) => p.trim()));
  const rest = ous.filter((ou) => ou !== first[0] && ou !== EHEALTH_OU && ou !== FEDERAL_GOVERNMENT);
  const application = ous.length >= 4 ? rest.find((ou) => cnParts.has(ou)) : undefined;
  const name = rest.find((ou) => ou !== application);
  if (idType === 'SSIN') {
    return { ok: true, identity: { kind: 'person', ssin: id, ...(name !== undefined && { name }), subject, fingerprint } };
  }
  return {
    ok: true,
    identity: {
      kind: 'organisation',
      idType,
      id,
      ...(application !== undefined && { application }),
      ...(name !== undefined && { name }),
      subject,
      fingerprint,
    },
  };
}
