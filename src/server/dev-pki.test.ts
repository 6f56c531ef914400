import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { RegistryConfig } from '../config/registry-config.js';
import { createCertificateVerifier } from '../pki/certificate-verifier.js';
import { createTestPki, type TestPki } from '../pki/testing/test-pki.js';
import { TestCa } from '../pki/test-ca.js';
import { TrustStore } from '../pki/trust-store.js';
import { ensureDevPki, loadTrustStore, trustsDevCa } from './dev-pki.js';
import { startRegistry } from './start-registry.js';

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-devca-'));
});

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const config = (overrides: Record<string, unknown> = {}): RegistryConfig => loadConfig({ env: {}, overrides: { dataDir: dir, ...overrides } });

describe('the server certificate', () => {
  it('comes from VACCINNET_SERVER_CERT_FILE and VACCINNET_SERVER_KEY_FILE when set, not from the development CA', async () => {
    const own = path.join(dir, 'own');
    const certFile = path.join(dir, 'operator-server.cert.pem');
    const keyFile = path.join(dir, 'operator-server.key.pem');
    writeFileSync(certFile, pki.server.certificatePem);
    writeFileSync(keyFile, pki.server.privateKeyPem);
    const configured = loadConfig({ env: { VACCINNET_DATA_DIR: own, VACCINNET_SERVER_CERT_FILE: certFile, VACCINNET_SERVER_KEY_FILE: keyFile } });
    const { tls } = await ensureDevPki(configured);
    expect(tls).toEqual({ certPem: pki.server.certificatePem, keyPem: pki.server.privateKeyPem });
  });
});

describe('trusting the development CA', () => {
  it('auto: trusted for the demo and for a development start without CAs of its own, not next to operator CAs', () => {
    expect(trustsDevCa(config(), false)).toBe(true);
    expect(trustsDevCa(config(), true)).toBe(true);
    const operator = config({ 'pki.trustedCaFiles': [pki.ca.certificatePath] });
    expect(trustsDevCa(operator, false)).toBe(false);
    expect(trustsDevCa(operator, true)).toBe(true);
    expect(trustsDevCa(config({ 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.trustDevCa': 'always' }), false)).toBe(true);
    expect(trustsDevCa(config({ 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.trustDevCa': 'never' }), true)).toBe(false);
  });

  it('with operator CAs configured, a certificate of the development CA is refused as untrusted unless asked for', () => {
    // The foreign CA plays the development CA; the test CA plays the operator's (eHealth) CA.
    const devCa = pki.foreignCa;
    const devIssued = pki.identities.foreign.certificateDer;
    const operator = config({ 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.crlFiles': [pki.ca.crlPath] });
    const production = loadTrustStore(operator, devCa, false);
    expect(production.devCaTrusted).toBe(false);
    const verifier = createCertificateVerifier(production.trust);
    expect(verifier.verifyCertificate(devIssued)).toMatchObject({ ok: false, finding: { code: 'AUTH_CERT_UNTRUSTED' } });
    expect(verifier.verifyCertificate(pki.identities.doctor.certificateDer).ok).toBe(true);

    const asked = loadTrustStore(config({ 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.trustDevCa': 'always' }), devCa, false);
    expect(createCertificateVerifier(asked.trust).verifyCertificate(devIssued).ok).toBe(true);
    const development = loadTrustStore(config(), devCa, false);
    expect(createCertificateVerifier(development.trust).verifyCertificate(devIssued).ok).toBe(true);
  });

  it('refuses never without any other CA: no caller could authenticate', () => {
    expect(() => config({ 'pki.trustDevCa': 'never' })).toThrow(/pki.trustDevCa is never but pki.trustedCaFiles is empty/);
    expect(() => config({ 'pki.trustDevCa': 'yes' })).toThrow(/pki.trustDevCa must be one of auto, always, never/);
  });

  it('the registry started with operator CAs and without --demo does not trust its development CA; with --demo it does', async () => {
    const quiet = new Writable({ write: (_c, _e, done) => done() });
    const base = {
      'server.port': 0,
      'server.tls': false,
      'kmehr.schemaDir': '',
      'log.level': 'silent',
      'batch.workerInProcess': false,
      'pki.trustedCaFiles': [pki.ca.certificatePath],
    };
    const production = await startRegistry({ config: config({ ...base, dataDir: path.join(dir, 'prod') }), logDestination: quiet });
    try {
      expect(production.devCaTrusted).toBe(false);
    } finally {
      await production.close();
    }
    const demo = await startRegistry({ config: config({ ...base, dataDir: path.join(dir, 'demo') }), demo: true, logDestination: quiet });
    try {
      expect(demo.devCaTrusted).toBe(true);
    } finally {
      await demo.close();
    }
  }, 60_000);
});

describe("the development CA's CRL", () => {
  it('is re-signed at start, so a data folder left for more than a week does not fail closed on its own CRL', async () => {
    const old = mkdtempSync(path.join(tmpdir(), 'vaccinnet-old-devca-'));
    try {
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
      await TestCa.create(path.join(old, 'pki'), { now: tenDaysAgo });
      const before = TrustStore.fromCaDirectory(path.join(old, 'pki'), 0);
      expect(before.staleSince(before.authorities[0]!, Date.now())).toBeInstanceOf(Date);
      const { ca } = await ensureDevPki(loadConfig({ env: {}, overrides: { dataDir: old } }));
      const after = TrustStore.fromCaDirectory(ca.dir, 0);
      expect(after.staleSince(after.authorities[0]!, Date.now())).toBeUndefined();
      expect(after.staleSince(after.authorities[0]!, Date.now() + 6 * 86_400_000)).toBeUndefined();
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
