import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SubjectSpec } from '../ehealth-subject.js';
import { generateRsaKeyPem } from '../rsa-keys.js';
import { type IssuedCertificate, type ServerCertificate, TestCa } from '../test-ca.js';
import { TrustStore } from '../trust-store.js';

const DAY_MS = 86_400_000;

/** Password of every .p12 the fixtures write. */
export const TEST_P12_PASSWORD = 'vaccinnet-test';

export type PersonaKind = 'doctor' | 'haio' | 'stagemeester' | 'group' | 'organisation';

export interface TestIdentity extends IssuedCertificate {
  readonly kind: PersonaKind;
  readonly name: string;
  /** Persons only. */
  readonly ssin?: string;
  /** NIHII-11 of a person, or the organisation's identifier value. */
  readonly nihii?: string;
  readonly idType?: string;
  readonly id?: string;
  readonly application?: string;
  readonly p12Path: string;
}

export interface TestIdentities {
  /** Dr. An Peeters, SSIN 85071412330, NIHII 14700250004. */
  readonly doctor: TestIdentity;
  /** HAIO Sara Janssens, SSIN 90031500204, NIHII 11478761005. */
  readonly haio: TestIdentity;
  /** Stagemeester Jan Maes, SSIN 78010103132, NIHII 20045643004. */
  readonly stagemeester: TestIdentity;
  /** Groepspraktijk De Linde, NIHII-GROUP_DOCTORS=10012378. */
  readonly group: TestIdentity;
  /** AZ Testziekenhuis, NIHII-HOSPITAL=71000436, application VACCINNET. */
  readonly hospital: TestIdentity;
  /** Dr. Piet Wouters, expired 30 days ago. */
  readonly expired: TestIdentity;
  /** Dr. Els Claes, valid from 30 days from now. */
  readonly notYetValid: TestIdentity;
  /** Dr. Tom Peeters, revoked (in crl.pem). */
  readonly revoked: TestIdentity;
  /** Dr. An Peeters again, but issued by a foreign CA nobody trusts. */
  readonly foreign: TestIdentity;
}

export interface TestPki {
  readonly dir: string;
  readonly ca: TestCa;
  readonly foreignCa: TestCa;
  readonly identities: TestIdentities;
  /** TLS server certificate for localhost / 127.0.0.1, issued by `ca`. */
  readonly server: ServerCertificate;
  /** A fresh trust store on `ca` that re-checks the CRL on every call (tests revoke and expect it at once). */
  trustStore(): TrustStore;
}

// RSA keygen costs 100-400 ms per key on these 2 cores; every fixture in a process shares three keys.
let sharedKeys: Promise<{ ca: string; foreign: string; leaf: string }> | undefined;
function keys(): Promise<{ ca: string; foreign: string; leaf: string }> {
  sharedKeys ??= Promise.all([generateRsaKeyPem(), generateRsaKeyPem(), generateRsaKeyPem()]).then(([ca, foreign, leaf]) => ({ ca, foreign, leaf }));
  return sharedKeys;
}

/**
 * A ready-made test PKI in `dir` (default: a new temp directory): a CA with a CRL, the personas of the
 * acceptance environment as .p12 keystores (password `TEST_P12_PASSWORD`), and a foreign CA.
 */
export async function createTestPki(dir?: string): Promise<TestPki> {
  const root = dir ?? mkdtempSync(path.join(tmpdir(), 'vaccinnet-pki-'));
  const k = await keys();
  const now = Date.now();
  const ca = await TestCa.create(path.join(root, 'ca'), { keyPem: k.ca });
  const foreignCa = await TestCa.create(path.join(root, 'foreign-ca'), { keyPem: k.foreign, name: 'Foreign Test CA' });
  const out = path.join(root, 'p12');

  const issue = async (
    authority: TestCa,
    kind: PersonaKind,
    subject: SubjectSpec,
    extra: Partial<Pick<TestIdentity, 'nihii'>> = {},
    validity: { notBefore?: Date; notAfter?: Date } = {},
  ): Promise<TestIdentity> => {
    const issued = await authority.issue({
      subject,
      keyPem: k.leaf,
      password: TEST_P12_PASSWORD,
      outDir: out,
      ...validity,
    });
    return {
      ...issued,
      kind,
      name: subject.name,
      p12Path: issued.p12Path as string,
      ...(subject.kind === 'person'
        ? { ssin: subject.ssin }
        : { idType: subject.idType, id: subject.id, ...(subject.application && { application: subject.application }) }),
      ...extra,
    };
  };
  const person = (ssin: string, name: string): SubjectSpec => ({ kind: 'person', ssin, name });

  const doctor = await issue(ca, 'doctor', person('85071412330', 'An Peeters'), { nihii: '14700250004' });
  const haio = await issue(ca, 'haio', person('90031500204', 'Sara Janssens'), { nihii: '11478761005' });
  const stagemeester = await issue(ca, 'stagemeester', person('78010103132', 'Jan Maes'), { nihii: '20045643004' });
  const group = await issue(ca, 'group', {
    kind: 'organisation',
    idType: 'NIHII-GROUP_DOCTORS',
    id: '10012378',
    name: 'Groepspraktijk De Linde',
  });
  const hospital = await issue(ca, 'organisation', {
    kind: 'organisation',
    idType: 'NIHII-HOSPITAL',
    id: '71000436',
    name: 'AZ Testziekenhuis',
    application: 'VACCINNET',
  });
  const expired = await issue(
    ca,
    'doctor',
    person('82062004552', 'Piet Wouters'),
    {},
    {
      notBefore: new Date(now - 400 * DAY_MS),
      notAfter: new Date(now - 30 * DAY_MS),
    },
  );
  const notYetValid = await issue(
    ca,
    'doctor',
    person('75090908819', 'Els Claes'),
    {},
    {
      notBefore: new Date(now + 30 * DAY_MS),
      notAfter: new Date(now + 400 * DAY_MS),
    },
  );
  const revoked = await issue(ca, 'doctor', person('88020206786', 'Tom Peeters'));
  await ca.revoke(revoked.serial);
  const foreign = await issue(foreignCa, 'doctor', person('85071412330', 'An Peeters'), { nihii: '14700250004' });
  const server = await ca.issueServer({ keyPem: k.leaf });

  return {
    dir: root,
    ca,
    foreignCa,
    identities: { doctor, haio, stagemeester, group, hospital, expired, notYetValid, revoked, foreign },
    server,
    trustStore: () => TrustStore.fromCaDirectory(ca.dir, 0),
  };
}
