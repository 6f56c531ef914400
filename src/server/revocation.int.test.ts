import https from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { getVaccinationsEnvelope } from '../client/registratie-requests.js';
import { createTestPki, type TestPki } from '../pki/testing/test-pki.js';
import { PATIENTS } from '../registry/demo-personas.js';
import { startRegistryWithLog } from './testing/registry-with-log.js';

const DAY = 86_400_000;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

function post(url: string, body: string, options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '"urn:be:fgov:ehealth:safe:vaccination:GetVaccinations"' }, ...options },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a CRL past nextUpdate on a running server', () => {
  it("refuses the CA's certificates with AUTH_CRL_EXPIRED, logs an error at start and counts it", async () => {
    // Signed 10 days ago: nextUpdate was 3 days ago.
    await pki.ca.writeCrl(new Date(Date.now() - 10 * DAY));
    const t = await startRegistryWithLog({ 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.crlFiles': [pki.ca.crlPath], 'pki.trustDevCa': 'always' });
    try {
      const stale = t.lines.filter((l) => l.level === 50 && String(l.msg).startsWith('CRL past nextUpdate'));
      expect(stale).toHaveLength(1);
      expect(stale[0]).toMatchObject({ issuer: expect.stringContaining('Vaccinnet Test CA') });
      const doctor = pki.identities.doctor;
      const answer = await post(
        `${t.registry.url}/VaccinnetUPL/wupl/VaccinationService-2_1`,
        getVaccinationsEnvelope({ softwareId: 'taktik_medispring', patientId: PATIENTS.emma.insz }),
        { ca: t.registry.caPem, key: doctor.privateKeyPem, cert: doctor.certificatePem },
      );
      expect(answer).toContain('AUTH_CRL_EXPIRED');
      const metrics = await fetch(t.registry.metricsUrl!).then((r) => r.text());
      expect(metrics).toContain('vaccinnet_crl_events_total{event="expired"} 1');
      expect(metrics).toMatch(/vaccinnet_soap_calls_total\{[^}]*code="AUTH_CRL_EXPIRED"[^}]*\} 1/);

      // The CRL file turns to garbage while running: the last list stays, an error line and a count say so.
      writeFileSync(pki.ca.crlPath, 'not a CRL');
      await new Promise((r) => setTimeout(r, 1100));
      const again = await post(
        `${t.registry.url}/VaccinnetUPL/wupl/VaccinationService-2_1`,
        getVaccinationsEnvelope({ softwareId: 'taktik_medispring', patientId: PATIENTS.emma.insz }),
        { ca: t.registry.caPem, key: doctor.privateKeyPem, cert: doctor.certificatePem },
      );
      expect(again).toContain('AUTH_CRL_EXPIRED');
      expect(t.lines.filter((l) => l.level === 50 && String(l.msg).startsWith('CRL reload failed'))).toEqual([
        expect.objectContaining({ file: pki.ca.crlPath, detail: 'not a readable CRL' }),
      ]);
      expect(await fetch(t.registry.metricsUrl!).then((r) => r.text())).toContain('vaccinnet_crl_events_total{event="reload_failed"} 1');
    } finally {
      await t.close();
      await pki.ca.writeCrl();
    }
  });
});

describe('a CRL missing at start', () => {
  it('stops `vaccinnet serve` with one catalogued sentence naming pki.crlFiles, no stack trace (exit 2)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-crl-missing-'));
    const missing = path.join(dir, 'gone.crl');
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), server: { port: 0 }, pki: { crlFiles: [missing] }, log: { level: 'silent' } }));
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      expect(await main(['serve', '--config', configFile])).toBe(2);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(written).toEqual([
      `Configuration error: the CRL file ${missing} cannot be used (the file does not exist); fix or remove it in pki.crlFiles (VACCINNET_PKI_CRL_FILES).\n`,
    ]);
  });
});
