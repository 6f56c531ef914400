import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { canonicalizeXml } from './canonicalize-xml.js';
import { ALG, NS, TOKEN_TYPE } from './ws-security-profile.js';

/**
 * The pieces of the WS-Security header the server accepts (BinarySecurityToken, Timestamp, Signature with exclusive
 * C14N and RSA-SHA256 over Body and Timestamp), shared by the in-memory signer (`signEnvelope`) and the client's
 * streaming file signer, so the signing profile is written once.
 */

export interface SecurityIds {
  readonly bodyId: string;
  readonly tokenId: string;
  readonly timestampId: string;
}

export function newSecurityIds(): SecurityIds {
  const suffix = randomUUID();
  return { bodyId: `id-${suffix}`, tokenId: `X509-${suffix}`, timestampId: `TS-${suffix}` };
}

/** Seconds precision, UTC, as WS-Security implementations commonly write it. */
function dateTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function binarySecurityToken(certificateDer: Buffer, tokenId: string): string {
  return (
    `<wsse:BinarySecurityToken EncodingType="${TOKEN_TYPE.base64}" ValueType="${TOKEN_TYPE.x509v3}" wsu:Id="${tokenId}">` +
    `${certificateDer.toString('base64')}</wsse:BinarySecurityToken>`
  );
}

export function timestampElement(timestampId: string, created: Date, ttlSeconds: number): string {
  const expires = new Date(created.getTime() + ttlSeconds * 1000);
  return (
    `<wsu:Timestamp wsu:Id="${timestampId}"><wsu:Created>${dateTime(created)}</wsu:Created>` + `<wsu:Expires>${dateTime(expires)}</wsu:Expires></wsu:Timestamp>`
  );
}

function reference(id: string, digestValue: string): string {
  return (
    `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${ALG.excC14n}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${ALG.sha256}"></ds:DigestMethod><ds:DigestValue>${digestValue}</ds:DigestValue></ds:Reference>`
  );
}

const KEY_CACHE = new Map<string, KeyObject>();

function privateKey(pem: string): KeyObject {
  let key = KEY_CACHE.get(pem);
  if (key === undefined) {
    key = createPrivateKey(pem);
    if (KEY_CACHE.size >= 8) KEY_CACHE.clear();
    KEY_CACHE.set(pem, key);
  }
  return key;
}

/**
 * The `ds:Signature` over the Timestamp and Body digests (base64 SHA-256 of their exclusive C14N), signed with RSA-SHA256,
 * its KeyInfo pointing at the BinarySecurityToken.
 */
export function signatureElement(ids: SecurityIds, digests: { readonly timestamp: string; readonly body: string }, privateKeyPem: string): string {
  const signedInfo =
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${ALG.rsaSha256}"></ds:SignatureMethod>` +
    reference(ids.timestampId, digests.timestamp) +
    reference(ids.bodyId, digests.body) +
    '</ds:SignedInfo>';
  const signedInfoC14n = canonicalizeXml(signedInfo.replace('<ds:SignedInfo>', `<ds:SignedInfo xmlns:ds="${NS.ds}">`));
  const signatureValue = sign('sha256', Buffer.from(signedInfoC14n, 'utf8'), privateKey(privateKeyPem)).toString('base64');
  return (
    `<ds:Signature xmlns:ds="${NS.ds}">${signedInfo}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${ids.tokenId}" ValueType="${TOKEN_TYPE.x509v3}"/>` +
    '</wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>'
  );
}
