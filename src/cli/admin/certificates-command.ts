import type { Command } from 'commander';
import { describeCaller } from '../../registry/caller-identity.js';
import { normaliseFingerprint, shortFingerprint, type CertificateBinding } from '../../registry/certificate-binding.js';
import type { Profile } from '../../registry/profile.js';
import { finding } from '../../status/finding.js';
import { SqlCertificateRepository } from '../../store/certificate-repository.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../client-options.js';
import type { SetExitCode } from '../commands.js';
import { RefusedError } from './admin-errors.js';
import { formatTable } from './format-table.js';
import { doctorNihiiFindings } from './identifier-findings.js';
import { requireDoctor, requireOrganisation } from './profile-lookup.js';
import { readCertificateFile, type CertificateFile } from './read-certificate-file.js';
import { print, storeAction } from './store-action.js';
import { operatorName } from './store-options.js';

interface ProfileOptions {
  readonly doctor?: string;
  readonly organisation?: string;
}

interface BindOptions extends ProfileOptions {
  readonly password?: string;
}

interface RevokeOptions {
  readonly reason?: string;
}

const FINGERPRINT = /^[0-9A-F]{64}$/;

/**
 * `admin certificates bind | list | revoke`: trusted certificates bound to a profile, and their revocations
 * (identity.md §5; docs/decisions.md "Certificates bound to profiles"). Once a profile has a bound certificate, only
 * its bound, unrevoked certificates are accepted for it; a profile without any accepts every trusted certificate of
 * its identifier.
 */
export function registerCertificateCommands(admin: Command, setExitCode: SetExitCode): void {
  const certificates = admin
    .command('certificates')
    .description('certificates bound to a doctor or organisation profile (once bound, only those are accepted), and revocations');

  certificates
    .command('bind')
    .description('bind a certificate to a profile: from a keystore (.p12, .pfx, .acc-p12) or a PEM/DER certificate file')
    .argument('<file>', 'the keystore or certificate file')
    .option('--doctor <nihii>', "the doctor's NIHII-11 (personal certificate with the doctor's SSIN)")
    .option('--organisation <key>', 'the organisation key as listed (certificate with its identifier)')
    .option('--password <password>', 'the keystore password (or VACCINNET_P12_PASSWORD)', process.env.VACCINNET_P12_PASSWORD)
    .action(
      storeAction<BindOptions>(setExitCode, async ({ options: o, args, store }) => {
        const profile = await requireProfile(store, o);
        const certificate = readCertificateFile(args[0]!, o.password);
        const mismatch = identityMismatch(certificate, profile);
        if (mismatch) throw new RefusedError([mismatch]);
        const repository = new SqlCertificateRepository(store.db);
        const result = await repository.bind({
          profileKey: profile.key,
          fingerprint: certificate.fingerprint,
          subject: certificate.subject,
          notAfter: certificate.notAfter,
          boundAt: new Date().toISOString(),
        });
        const label = shortFingerprint(certificate.fingerprint);
        if (result.status === 'revoked') {
          const f = finding('AUTH_CERT_REVOKED', { value: label });
          throw new RefusedError([`${f.code}: ${f.message} A revoked binding stays revoked (${revocationText(result.binding)}).`]);
        }
        if (result.status === 'other-profile') {
          throw new RefusedError([`certificate ${label} is already bound to ${result.binding.profileKey}`]);
        }
        const expired = Date.parse(certificate.notAfter) < Date.now() ? `; note: it expired on ${certificate.notAfter.slice(0, 10)}` : '';
        const text =
          result.status === 'bound'
            ? `certificate ${label} bound to ${profile.key} (valid until ${certificate.notAfter.slice(0, 10)}); only bound certificates are accepted for this profile now${expired}`
            : `certificate ${label} was already bound to ${profile.key}${expired}`;
        print(o, text, { status: result.status, ...result.binding });
      }),
    );

  certificates
    .command('list')
    .description('list bound certificates with their status (active, or revoked: when, by whom, why)')
    .option('--doctor <nihii>', "only this doctor's certificates")
    .option('--organisation <key>', "only this organisation's certificates")
    .action(
      storeAction<ProfileOptions>(setExitCode, async ({ options: o, store }) => {
        const profileKey = o.doctor || o.organisation ? (await requireProfile(store, o)).key : undefined;
        const all = await new SqlCertificateRepository(store.db).list(profileKey);
        const rows = all.map((b) => [
          b.profileKey,
          b.fingerprint,
          b.notAfter.slice(0, 10),
          b.boundAt.slice(0, 10),
          b.revokedAt ? `revoked ${revocationText(b)}` : 'active',
        ]);
        print(o, all.length === 0 ? 'no bound certificates' : formatTable(['PROFILE', 'FINGERPRINT (SHA-256)', 'VALID UNTIL', 'BOUND', 'STATUS'], rows), all);
      }),
    );

  certificates
    .command('revoke')
    .description('revoke a bound certificate: refused from now on (final; the profile keeps accepting only its other bound certificates)')
    .argument('<fingerprint>', 'SHA-256 fingerprint as listed (hex; colons and case do not matter)')
    .option('--reason <text>', 'why, kept with the revocation')
    .action(
      storeAction<RevokeOptions>(setExitCode, async ({ options: o, args, store }) => {
        const fingerprint = normaliseFingerprint(args[0]!);
        if (!FINGERPRINT.test(fingerprint))
          throw new UsageError(`"${args[0]}" is not a SHA-256 fingerprint (64 hex digits, as "admin certificates list" shows)`);
        const by = operatorName(o);
        const reason = o.reason?.trim() || undefined;
        const result = await new SqlCertificateRepository(store.db).revoke(fingerprint, new Date().toISOString(), by, reason);
        const label = shortFingerprint(fingerprint);
        if (result.status === 'unknown') throw new RefusedError([`no certificate ${label} is bound to a profile; see "vaccinnet admin certificates list"`]);
        const text =
          result.status === 'revoked'
            ? `certificate ${label} of ${result.binding.profileKey} revoked`
            : `certificate ${label} of ${result.binding.profileKey} was already revoked ${revocationText(result.binding)}`;
        print(o, text, { status: result.status, ...result.binding });
      }),
    );
}

async function requireProfile(store: Store, o: ProfileOptions): Promise<Profile> {
  if (!o.doctor === !o.organisation) throw new UsageError('give exactly one of --doctor NIHII or --organisation KEY');
  if (o.doctor) {
    const nihiiFindings = doctorNihiiFindings(o.doctor, '--doctor');
    if (nihiiFindings.length > 0) throw RefusedError.of(...nihiiFindings);
    return requireDoctor(store, o.doctor, '--doctor');
  }
  return requireOrganisation(store, o.organisation!);
}

/** The certificate must name the profile's own identifier: the server maps it to that profile, never to another. */
function identityMismatch(certificate: CertificateFile, profile: Profile): string | undefined {
  const id = certificate.identity;
  const same =
    profile.kind === 'doctor'
      ? id.kind === 'person' && id.ssin === profile.ssin
      : id.kind === 'organisation' && id.idType.toUpperCase() === profile.idType && id.id === profile.id;
  if (same) return undefined;
  const f = finding('PROFILE_CERTIFICATE_OTHER_IDENTITY', {
    value: shortFingerprint(certificate.fingerprint),
    params: { identity: describeCaller(id), profile: profile.key },
  });
  return `${f.code}: ${f.message}`;
}

function revocationText(b: CertificateBinding): string {
  return `on ${(b.revokedAt ?? '').slice(0, 10)} by ${b.revokedBy ?? '?'}${b.reason ? `: ${b.reason}` : ''}`;
}
