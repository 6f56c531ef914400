/** One entry of the person register (identity.md §5): in production fed from the national register, here from CSV. */
export interface Person {
  /** INSZ/SSIN, 11 digits. */
  readonly insz: string;
  readonly firstname: string;
  readonly familyname: string;
  /** YYYY-MM-DD; absent for BIS numbers whose day or month is unknown. */
  readonly birthdate?: string;
  readonly sex?: 'male' | 'female' | 'unknown';
}

/**
 * How the registry checks a patient's INSZ (issue 3 §1): `register` refuses INSZ numbers unknown to the person
 * register, as the real acceptance environment does; `checksum` only checks the check digits (rule 4).
 */
export const PERSON_CHECK_MODES = ['register', 'checksum'] as const;
export type PersonCheckMode = (typeof PERSON_CHECK_MODES)[number];
