import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { RSA_SHA256 } from './x509-provider.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface WebCryptoKeyPair {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
}

/** A new RSA private key as PKCS#8 PEM. Async: 2048-bit keygen takes 100-400 ms here and must not block. */
export async function generateRsaKeyPem(modulusLength = 2048): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength, publicExponent: 0x10001 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The WebCrypto pair @peculiar/x509 signs with, from a PEM private key (PKCS#1 or PKCS#8). */
export async function importRsaKeyPair(privateKeyPem: string): Promise<WebCryptoKeyPair> {
  const keyObject = createPrivateKey(privateKeyPem);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const algorithm = { name: RSA_SHA256.name, hash: RSA_SHA256.hash };
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}
