// @peculiar/x509 needs reflect-metadata loaded first and a WebCrypto provider; import this module, not the
// library directly, so every PKI file gets the same set-up exactly once.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

/** RSA PKCS#1 v1.5 with SHA-256: what eHealth certificates use and what every TLS/XML-DSig stack accepts. */
export const RSA_SHA256: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
