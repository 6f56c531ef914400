import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCredentials, type TestCredentials } from './testing/test-credentials.js';
import { buildVectors, VECTOR_NOW, type Vector } from './testing/ws-security-vectors.js';
import { verifyWsSecurity } from './verify-ws-security.js';

const dir = mkdtempSync(join(tmpdir(), 'wssec-xmlsec1-'));
let creds: TestCredentials;
let vectors: Vector[];

beforeAll(async () => {
  creds = await makeTestCredentials();
  vectors = buildVectors(creds);
  writeFileSync(join(dir, 'cert.pem'), creds.certificatePem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Debian's xmlsec1 (libxml2 + OpenSSL) as the reference for the cryptography; ids registered as the profile names them. */
function xmlsec1Verifies(xml: string, n: number): boolean {
  const file = join(dir, `v${n}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync(
    'xmlsec1',
    ['--verify', '--pubkey-cert-pem', join(dir, 'cert.pem'), '--id-attr:Id', 'Body', '--id-attr:Id', 'Timestamp', '--id-attr:Id', 'BinarySecurityToken', file],
    { encoding: 'utf8' },
  );
  return r.status === 0;
}

describe('agreement with xmlsec1 --verify', () => {
  it('accepts and refuses the same crypto-level vectors as xmlsec1', () => {
    vectors.forEach((v, n) => {
      if (v.profileOnly === true) return;
      const ours = verifyWsSecurity(v.xml, { now: VECTOR_NOW }).ok;
      expect(`${v.name}: ours ${ours}, xmlsec1 ${xmlsec1Verifies(v.xml, n)}`).toBe(`${v.name}: ours ${v.code === undefined}, xmlsec1 ${v.code === undefined}`);
    });
  });

  it('the Body-wrapping attack passes a plain XML-DSig check (xmlsec1) and is refused by our profile check', () => {
    const n = vectors.findIndex((v) => v.name === 'wrapping: signed Body moved into the header, new Body');
    const wrap = vectors[n] as Vector;
    expect(xmlsec1Verifies(wrap.xml, n)).toBe(true);
    const r = verifyWsSecurity(wrap.xml, { now: VECTOR_NOW });
    expect(r.ok ? 'ok' : r.finding.code).toBe('AUTH_SIGNATURE_INVALID');
  });
});
