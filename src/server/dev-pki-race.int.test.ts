import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CHILD = new URL('./testing/ensure-dev-pki-child.ts', import.meta.url).pathname;
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Whether the public key of a PEM private key is the one in a PEM certificate. */
function keyMatches(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

describe('registry nodes starting together on one empty PKI folder (issue 16)', () => {
  it('end up with one development CA and one server key/certificate pair that belong together', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-pki-race-'));
    dirs.push(dataDir);
    // Every child starts its set-up at the same moment, once all of them have loaded.
    const startAt = Date.now() + 4000;
    const children = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(startAt)], { timeout: 60_000 })),
    );
    const seen = children.map((c) => JSON.parse(c.stdout.trim()) as { created: boolean; ca: string; key: string; cert: string });

    expect(seen.filter((s) => s.created)).toHaveLength(1);
    expect(new Set(seen.map((s) => s.ca)).size).toBe(1);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(new Set(seen.map((s) => s.cert)).size).toBe(1);
    const pki = path.join(dataDir, 'pki');
    expect(keyMatches(readFileSync(path.join(pki, 'ca.key.pem'), 'utf8'), readFileSync(path.join(pki, 'ca.cert.pem'), 'utf8'))).toBe(true);
    expect(keyMatches(readFileSync(path.join(pki, 'server.key.pem'), 'utf8'), readFileSync(path.join(pki, 'server.cert.pem'), 'utf8'))).toBe(true);
    const server = new X509Certificate(readFileSync(path.join(pki, 'server.cert.pem'), 'utf8'));
    expect(server.verify(new X509Certificate(readFileSync(path.join(pki, 'ca.cert.pem'), 'utf8')).publicKey)).toBe(true);
    expect(existsSync(path.join(pki, '.init.lock'))).toBe(false);
  }, 90_000);
});
