import type { Kysely, Migration } from 'kysely';

/**
 * Trusted certificates bound to a profile, and their revocations (issue 3 §1, identity.md §5). The fingerprint is
 * the key (a certificate names one identifier, so it belongs to one profile); the authorisation reads a profile's
 * bindings through `profile_certificates_profile_ix`, one indexed lookup per call.
 */
export function profileCertificates(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('profile_certificates')
        .ifNotExists()
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('profile_key', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('bound_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('reason', 'text')
        .execute();
      // Covering: the authorisation's query reads only these columns, so it never touches the table rows.
      await db.schema
        .createIndex('profile_certificates_profile_ix')
        .ifNotExists()
        .on('profile_certificates')
        .columns(['profile_key', 'fingerprint', 'revoked_at'])
        .execute();
    },
  };
}
