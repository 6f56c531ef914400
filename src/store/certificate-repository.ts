import type { Kysely } from 'kysely';
import type { BindingState, CertificateBinding } from '../registry/certificate-binding.js';
import type { Database } from './database.js';

/** `profile_certificates` (migration 0004-profile-certificates), declared beside the core tables without editing them. */
export interface ProfileCertificatesTable {
  fingerprint: string;
  profile_key: string;
  subject: string;
  not_after: string;
  bound_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  reason: string | null;
}

export interface CertificateDatabase extends Database {
  profile_certificates: ProfileCertificatesTable;
}

export type BindResult =
  | { readonly status: 'bound' | 'unchanged'; readonly binding: CertificateBinding }
  /** The certificate is bound to another profile, or its binding was revoked (final). */
  | { readonly status: 'other-profile' | 'revoked'; readonly binding: CertificateBinding };

export type RevokeResult = { readonly status: 'revoked' | 'already-revoked'; readonly binding: CertificateBinding } | { readonly status: 'unknown' };

/**
 * The bindings of one profile as the authorisation reads them: one lookup on the covering index
 * `profile_certificates_profile_ix`. A free function so `SqlProfileDirectory` (the port) and the repository share it.
 */
export async function bindingStatesOf(db: Kysely<Database>, profileKey: string): Promise<readonly BindingState[]> {
  const rows = await (db as unknown as Kysely<CertificateDatabase>)
    .selectFrom('profile_certificates')
    .select(['fingerprint', 'revoked_at'])
    .where('profile_key', '=', profileKey)
    .execute();
  return rows.map((r) => (r.revoked_at === null ? { fingerprint: r.fingerprint } : { fingerprint: r.fingerprint, revokedAt: r.revoked_at }));
}

/** The operator's side of certificate bindings (`vaccinnet admin certificates …`). */
export class SqlCertificateRepository {
  readonly #db: Kysely<CertificateDatabase>;

  constructor(db: Kysely<Database>) {
    this.#db = db as unknown as Kysely<CertificateDatabase>;
  }

  /**
   * Binds a certificate to a profile. Idempotent for the same profile; never moves a certificate to another profile
   * and never revives a revoked binding (the insert does nothing on conflict, then the stored row decides).
   * @param binding - the binding without revocation fields
   */
  async bind(binding: Pick<CertificateBinding, 'profileKey' | 'fingerprint' | 'subject' | 'notAfter' | 'boundAt'>): Promise<BindResult> {
    const inserted = await this.#db
      .insertInto('profile_certificates')
      .values({
        fingerprint: binding.fingerprint,
        profile_key: binding.profileKey,
        subject: binding.subject,
        not_after: binding.notAfter,
        bound_at: binding.boundAt,
        revoked_at: null,
        revoked_by: null,
        reason: null,
      })
      .onConflict((oc) => oc.column('fingerprint').doNothing())
      .executeTakeFirst();
    const stored = (await this.find(binding.fingerprint))!;
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { status: 'bound', binding: stored };
    if (stored.profileKey !== binding.profileKey) return { status: 'other-profile', binding: stored };
    return { status: stored.revokedAt === undefined ? 'unchanged' : 'revoked', binding: stored };
  }

  /**
   * Revokes a binding (final). A second revocation changes nothing and reports the first.
   * @param fingerprint - normalised fingerprint
   */
  async revoke(fingerprint: string, at: string, by: string, reason?: string): Promise<RevokeResult> {
    const updated = await this.#db
      .updateTable('profile_certificates')
      .set({ revoked_at: at, revoked_by: by, reason: reason ?? null })
      .where('fingerprint', '=', fingerprint)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const stored = await this.find(fingerprint);
    if (!stored) return { status: 'unknown' };
    return { status: Number(updated.numUpdatedRows) > 0 ? 'revoked' : 'already-revoked', binding: stored };
  }

  async find(fingerprint: string): Promise<CertificateBinding | undefined> {
    const row = await this.#db.selectFrom('profile_certificates').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
    return row ? toBinding(row) : undefined;
  }

  /** Every binding, or those of one profile, by profile then binding time. */
  async list(profileKey?: string): Promise<readonly CertificateBinding[]> {
    let q = this.#db.selectFrom('profile_certificates').selectAll().orderBy('profile_key').orderBy('bound_at').orderBy('fingerprint');
    if (profileKey !== undefined) q = q.where('profile_key', '=', profileKey);
    return (await q.execute()).map(toBinding);
  }
}

function toBinding(row: ProfileCertificatesTable): CertificateBinding {
  return Object.freeze({
    profileKey: row.profile_key,
    fingerprint: row.fingerprint,
    subject: row.subject,
    notAfter: row.not_after,
    boundAt: row.bound_at,
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
    ...(row.revoked_by !== null && { revokedBy: row.revoked_by }),
    ...(row.reason !== null && { reason: row.reason }),
  });
}
