import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCertificateFacts } from './certificate-facts.js';
import { ehealthSubject, toJsonName } from './ehealth-subject.js';
import { generateRsaKeyPem, importRsaKeyPair, type WebCryptoKeyPair } from './rsa-keys.js';
import { RSA_SHA256, x509 } from './x509-provider.js';

let rsa: WebCryptoKeyPair;

beforeAll(async () => {
  rsa = await importRsaKeyPair(await generateRsaKeyPem());
});

const name = toJsonName(ehealthSubject({ kind: 'person', ssin: '85071412330', name: 'Zoë Dubois-Çelik' }));

describe('readCertificateFacts', () => {
  it('reads a non-ASCII name, key usage and a critical clientAuth EKU from an RSA certificate', async () => {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys: rsa,
      signingAlgorithm: RSA_SHA256,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.emailProtection], true),
      ],
    });
    const facts = readCertificateFacts(new Uint8Array(cert.rawData));
    expect(facts.subject.find((a) => a.value.startsWith('Zo'))?.value).toBe('Zoë Dubois-Çelik');
    expect(facts.digitalSignature).toBe(true);
    expect(facts.isCa).toBe(false);
    expect(facts.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
  });

  it('reports absent extensions as undefined and CA certificates as such', async () => {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys: rsa,
      signingAlgorithm: RSA_SHA256,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const facts = readCertificateFacts(new Uint8Array(cert.rawData));
    expect(facts.isCa).toBe(true);
    expect(facts.digitalSignature).toBeUndefined();
    expect(facts.extendedKeyUsage).toBeUndefined();
  });

  it('falls back to @peculiar/x509 for a non-RSA (EC) certificate', async () => {
    const ec = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys: ec,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyAgreement, true)],
    });
    const facts = readCertificateFacts(new Uint8Array(cert.rawData));
    expect(facts.subject.map((a) => a.type)).toEqual(['C', 'O', 'OU', 'OU', 'OU', 'CN']);
    expect(facts.digitalSignature).toBe(false);
  });
});
