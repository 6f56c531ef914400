/**
 * The integrators' Python example (docs/examples/python-zeep/), run as its README says: Debian's /usr/bin/python3
 * with python3-zeep and python3-xmlsec, against a real registry (HTTPS, mutual TLS, WS-Security), clients built from
 * the WSDLs the registry serves. Not skipped when the packages are missing: `.ci/run` installs them, so their absence
 * is a broken machine, said in one sentence.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(REPO_ROOT, 'docs/examples/python-zeep/vaccinnet_example.py');
const run = promisify(execFile);

let reg: RegistryUnderTest;
let dir: string;
let pem: { ca: string; doctorCert: string; doctorKey: string; orgCert: string; orgKey: string };

/** The script with the exported PEM files; async, so the in-process registry keeps answering while it runs. */
async function example(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [
    SCRIPT,
    '--url',
    reg.url,
    '--ca',
    pem.ca,
    '--doctor-cert',
    pem.doctorCert,
    '--doctor-key',
    pem.doctorKey,
    '--org-cert',
    pem.orgCert,
    '--org-key',
    pem.orgKey,
    '--batch-timeout',
    '60',
    ...extra,
  ];
  // The environment of a machine where REQUESTS_CA_BUNDLE points at the public CAs: the example must still use --ca.
  const env = { ...process.env, REQUESTS_CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt' };
  try {
    const { stdout, stderr } = await run(PYTHON, args, { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

beforeAll(async () => {
  const probe = spawnSync(PYTHON, ['-c', 'import zeep, xmlsec'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `the Python example needs ${PYTHON} with zeep and xmlsec: apt-get install python3-zeep python3-xmlsec (.ci/run does it)\n${probe.stderr ?? probe.error}`,
    );
  }
  // A short batch interval: the example polls ResultaatVerwerking until the in-process worker has processed it.
  reg = await startRegistryUnderTest({ overrides: { 'batch.intervalSeconds': 1 } });
  dir = path.join(reg.dataDir, 'python-example');
  mkdirSync(dir);
  // The PEM files an integrator exports from the .p12 (`openssl pkcs12 -in … -nodes`), written from the same keystores.
  const doctor = reg.credentials('peeters');
  const org = reg.credentials('azGroeninge');
  pem = {
    ca: path.join(dir, 'ca.pem'),
    doctorCert: path.join(dir, 'doctor.cert.pem'),
    doctorKey: path.join(dir, 'doctor.key.pem'),
    orgCert: path.join(dir, 'org.cert.pem'),
    orgKey: path.join(dir, 'org.key.pem'),
  };
  writeFileSync(pem.ca, reg.registry.caPem!);
  writeFileSync(pem.doctorCert, doctor.certificatePem);
  writeFileSync(pem.doctorKey, doctor.privateKeyPem, { mode: 0o600 });
  writeFileSync(pem.orgCert, org.certificatePem);
  writeFileSync(pem.orgKey, org.privateKeyPem, { mode: 0o600 });
}, 120_000);

afterAll(async () => {
  await reg?.close();
});

describe('docs/examples/python-zeep (zeep 4 + xmlsec, mutual TLS and WS-Security)', () => {
  it('registers a vaccination, reads it back and delivers a batch whose result is accepted', async () => {
    const dump = path.join(dir, 'requests');
    const r = await example('--dump-requests', dump);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^AddVaccinations: OK — /m);
    const vaccinationId = /^ {2}message \S+: OK, VaccinationId ([0-9A-F]{32})$/m.exec(r.stdout)?.[1];
    expect(vaccinationId, r.stdout).toBeDefined();
    expect(r.stdout).toMatch(/^GetVaccinations: OK — /m);
    expect(r.stdout).toContain(`VaccinationId ${vaccinationId} read back`);
    expect(r.stdout).toMatch(/^AanleverenVaccinatieGegevens: accepted, transaction id [0-9a-f-]{36}$/m);
    expect(r.stdout).toMatch(/^ {2}060705\*{5} {2}[0-9a-f-]{36} {2}OK$/m);
    expect(r.stdout).toContain('ResultaatVerwerkingVaccinatieGegevens: 1 accepted, 0 refused');
    expect(r.stdout).toMatch(/all calls accepted\n$/);
    expect(r.stdout + r.stderr).not.toContain('06070500252');

    // Stored as the doctor and the hospital: the registry took both callers' identities from the example's calls.
    const stored = await reg.registry.ports.vaccinations.history('06070500252');
    expect(stored.map((v) => v.id)).toContain(vaccinationId);
    expect(stored).toHaveLength(2);

    // What zeep sent is the profile of docs/soap.md, and an independent verifier (xmlsec1) accepts its signature.
    const sent = readdirSync(dump).sort();
    expect(sent.slice(0, 3)).toEqual(['01-AddVaccinations.xml', '02-GetVaccinations.xml', '03-AanleverenVaccinatieGegevens.xml']);
    const add = readFileSync(path.join(dump, sent[0]!), 'utf8');
    expect(add).toContain('wsse:BinarySecurityToken');
    expect(add).toMatch(/<wsu:Timestamp[^>]*><wsu:Created>[^<]+Z<\/wsu:Created><wsu:Expires>/);
    expect(add).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(add.match(/<Reference URI="#/g)).toHaveLength(2);
    for (const [file, cert] of [
      [sent[0]!, pem.doctorCert],
      [sent[2]!, pem.orgCert],
    ] as const) {
      const verified = spawnSync(
        'xmlsec1',
        ['--verify', '--pubkey-cert-pem', cert, '--id-attr:Id', 'Body', '--id-attr:Id', 'Timestamp', path.join(dump, file)],
        { encoding: 'utf8' },
      );
      expect(verified.status, `${file}: ${verified.stderr}`).toBe(0);
      expect(verified.stderr).toContain('SignedInfo References (ok/all): 2/2');
    }
  }, 180_000);

  it('with --no-sign it authenticates by mutual TLS alone, and a refused dose makes it exit 1', async () => {
    const tls = await example('--only', 'registratie', '--no-sign', '--lot', 'FK9999');
    expect(tls.code, `${tls.stdout}\n${tls.stderr}`).toBe(0);
    expect(tls.stdout).toMatch(/^AddVaccinations: OK/m);
    expect(tls.stdout).toContain('read back');

    // COVID-19 without a lot is refused (COVID_LOT_MISSING): the example reports it and fails.
    const refused = await example('--only', 'registratie', '--lot', '');
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stdout).toMatch(/^AddVaccinations: SOAP_ALL_REFUSED/m);
    expect(refused.stdout).toMatch(/: COVID_LOT_MISSING, VaccinationId None$/m);
    expect(refused.stdout).toMatch(/some calls were refused\n$/);
  }, 180_000);
});
