import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateVerifier } from '../pki/certificate-verifier.js';
import { createTestPki, type TestPki } from '../pki/testing/test-pki.js';
import { finding } from '../status/finding.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSecurityLog, type SecurityLog } from './security-log.js';

describe('security-event log', () => {
  let pki: TestPki;
  let lines: Record<string, unknown>[];
  let metrics: Metrics;
  let log: SecurityLog;

  beforeAll(async () => {
    pki = await createTestPki();
  }, 60_000);
  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  const fresh = (): void => {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    metrics = createMetrics();
    log = createSecurityLog(createLogger({ destination: sink }), metrics);
  };
  const count = async (code: string): Promise<number> => (await metrics.securityEvents.get()).values.find((v) => v.labels.code === code)?.value ?? 0;

  it('a refused certificate: one warn line with its fingerprint, masked subject, remote address, operation and code; counted', async () => {
    fresh();
    const revoked = pki.identities.revoked;
    const refused = createCertificateVerifier(pki.trustStore()).verifyCertificate(revoked.certificateDer);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    log.refused({ finding: refused.finding }, { service: 'VaccinationService-2_1', operation: 'GetVaccinations', remoteAddress: '192.0.2.7' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      event: 'security',
      code: 'AUTH_CERT_REVOKED',
      service: 'VaccinationService-2_1',
      operation: 'GetVaccinations',
      remoteAddress: '192.0.2.7',
      fingerprint: revoked.fingerprint,
      subject: 'SSIN=880202*****',
      msg: 'authentication refused',
    });
    expect(JSON.stringify(lines[0])).not.toContain(revoked.ssin!);
    expect(await count('AUTH_CERT_REVOKED')).toBe(1);
  });

  it('a refusal before any certificate was verified names the TLS certificate, its subject masked (names kept)', async () => {
    fresh();
    const doctor = pki.identities.doctor;
    log.refused(
      { finding: finding('AUTH_SIGNATURE_INVALID', { params: { detail: 'x'.repeat(5000) } }) },
      { service: 'UPLVaccinatieGegevens', operation: 'Aanleveren', remoteAddress: '::1', peerCertificate: new X509Certificate(doctor.certificateDer) },
    );
    const [line] = lines;
    expect(line).toMatchObject({ code: 'AUTH_SIGNATURE_INVALID', fingerprint: doctor.fingerprint, operation: 'Aanleveren' });
    expect(String(line!.subject)).toContain('An Peeters');
    expect(String(line!.subject)).toContain('850714*****');
    expect(String(line!.subject)).not.toContain(doctor.ssin!);
    // A caller-chosen text in the refusal does not make the line long.
    expect(String(line!.detail).length).toBeLessThanOrEqual(257);
    expect(line).not.toHaveProperty('tlsFingerprint');
    expect(await count('AUTH_SIGNATURE_INVALID')).toBe(1);
    expect(await metrics.registry.metrics()).toContain('vaccinnet_security_events_total{code="AUTH_SIGNATURE_INVALID"} 1');
  });
});
