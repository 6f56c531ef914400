import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureServerCertificate, ensureTestCa } from './dev-pki.js';

const root = mkdtempSync(path.join(tmpdir(), 'vaccinnet-dev-pki-'));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('first start of the server', () => {
  it('creates the CA and the server certificate once and reuses them afterwards', async () => {
    const dir = path.join(root, 'pki');
    const ca = await ensureTestCa(dir);
    const server = await ensureServerCertificate(ca);
    const again = await ensureTestCa(dir);
    expect(again.certificatePem).toBe(ca.certificatePem);
    expect(await ensureServerCertificate(again)).toEqual(server);
    const cert = new X509Certificate(server.certificatePem);
    expect(cert.checkIssued(new X509Certificate(ca.certificatePem))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});
