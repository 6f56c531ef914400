import { readFileSync } from 'node:fs';
import forge from 'node-forge';

/** Alias (friendlyName) of the signing key in eHealth keystores (identity.md §2). */
export const P12_ALIAS = 'authentication';

export interface P12Contents {
  readonly privateKeyPem: string;
  /** The end-entity certificate: the one whose public key matches the private key. */
  readonly certificatePem: string;
  readonly certificateDer: Buffer;
  /** The other certificates in the keystore (issuing CA and up), PEM. */
  readonly chainPem: readonly string[];
  /** friendlyName of the key bag, normally `authentication`. */
  readonly alias?: string;
}

export interface P12Input {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly chainPem?: readonly string[];
  readonly password: string;
  /** `aes256` (PBES2, default) or `3des` (the classic PKCS#12 PBE that every old Java keystore reads). */
  readonly algorithm?: 'aes256' | '3des';
  readonly alias?: string;
}

/**
 * Writes a password-protected PKCS#12 keystore with node-forge (the one library that read every .p12 variant
 * in the prototypes); the result opens with `openssl pkcs12` and Node TLS `pfx`.
 */
export function createP12(input: P12Input): Buffer {
  const key = forge.pki.privateKeyFromPem(input.privateKeyPem);
  const certs = [input.certificatePem, ...(input.chainPem ?? [])].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, input.password, {
    algorithm: input.algorithm ?? 'aes256',
    friendlyName: input.alias ?? P12_ALIAS,
    generateLocalKeyId: true,
    count: 2048,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * Reads a PKCS#12 keystore (file path or bytes) for the client side: key, own certificate and chain.
 * Throws on a wrong password or a keystore without a private key.
 */
export function loadP12(source: string | Buffer, password: string): P12Contents {
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), false, password);
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag ?? '' })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag ?? '' })[forge.pki.oids.keyBag ?? ''] ?? []),
  ];
  const keyBag = keyBags.find((b) => b.attributes.friendlyName?.[0] === P12_ALIAS) ?? keyBags[0];
  if (!keyBag?.key) throw new Error('the PKCS#12 keystore holds no private key');
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag ?? '' })[forge.pki.oids.certBag ?? ''] ?? [];
  const certs = certBags.flatMap((b) => (b.cert ? [b.cert] : []));
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const modulus = key.n.toString(16);
  const own = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.toString(16) === modulus);
  if (!own) throw new Error('the PKCS#12 keystore holds no certificate for its private key');
  const certificatePem = forge.pki.certificateToPem(own);
  const certificateDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(own)).getBytes(), 'binary');
  const alias = keyBag.attributes.friendlyName?.[0];
  return {
    privateKeyPem: forge.pki.privateKeyToPem(key),
    certificatePem,
    certificateDer,
    chainPem: certs.filter((c) => c !== own).map((c) => forge.pki.certificateToPem(c)),
    ...(alias !== undefined && { alias }),
  };
}
