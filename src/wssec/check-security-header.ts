import { verify as verifySignature } from 'node:crypto';
import { checkTimestamp } from './check-timestamp.js';
import { tokenCertificate, type TokenCertificate } from './certificate-cache.js';
import { designatedId, idValues } from './id-attributes.js';
import { BASE64, checkRecordedDigest, prefixList, readSignedReference, type SignedReference } from './signed-reference.js';
import { ALG, NS, SIGNATURE_METHODS, TOKEN_TYPE } from './ws-security-profile.js';
import { refuse, refuseSignature } from './ws-security-refusal.js';
import { attributeOf, canonicalizeSubtree, childElements, elementChildren, textOf, type XmlSubtree } from './xml-subtree.js';
import type { C14nElement } from './exc-c14n.js';

/** The clock of the Timestamp window (see WsSecurityVerifyOptions). */
export interface TimestampClock {
  readonly now: Date;
  readonly skewSeconds: number;
  readonly maxAgeSeconds: number;
}

/** A Security header that passed: what the caller learns, and what the Body must still match. */
export interface VerifiedSecurityHeader {
  readonly certificateDer: Buffer;
  readonly created: Date;
  readonly expires?: Date;
  readonly signatureValue: string;
  readonly signedIds: string[];
  /** The one reference that is neither the Timestamp nor the token: it must resolve to the Envelope's Body. */
  readonly bodyReference: SignedReference;
  /** The ids the signature covers; from here on each may be carried by its one element only. */
  readonly designatedIds: ReadonlySet<string>;
}

/**
 * The profile and reference checks of one recorded `wsse:Security` header (README.md): one token, one Timestamp, one
 * Signature of the required shape and algorithms, RSA over the canonical SignedInfo with the token's certificate,
 * references to the Timestamp, the Body and optionally the token, each signed id carried by one element so far
 * (`idCounts`, counted over the document up to the header's end), the Timestamp digest and freshness. Throws a
 * WsSecurityRefusal at the first failure.
 */
export function checkSecurityHeader(security: XmlSubtree, idCounts: ReadonlyMap<string, number>, clock: TimestampClock): VerifiedSecurityHeader {
  const signatures = childElements(security, NS.ds, 'Signature');
  if (signatures.length === 0) refuse('AUTH_NOT_AUTHENTICATED', 'the Security header holds no ds:Signature');
  if (signatures.length > 1) refuseSignature('more than one ds:Signature in the Security header');
  const tokens = childElements(security, NS.wsse, 'BinarySecurityToken');
  if (tokens.length !== 1) refuseSignature(`expected one wsse:BinarySecurityToken, found ${tokens.length}`);
  const timestamps = childElements(security, NS.wsu, 'Timestamp');
  if (timestamps.length === 0) refuse('AUTH_TIMESTAMP_INVALID', 'no wsu:Timestamp in the Security header');
  if (timestamps.length > 1) refuseSignature('more than one wsu:Timestamp in the Security header');
  const signature = signatures[0] as XmlSubtree;
  const token = tokens[0] as XmlSubtree;
  const timestamp = timestamps[0] as XmlSubtree;

  const { tokenId, certificate } = checkToken(token);
  const { signedInfo, signatureValue, references, signatureHash } = checkSignatureShape(signature, tokenId);

  const sigText = textOf(signatureValue).replace(/\s+/g, '');
  if (!BASE64.test(sigText)) refuseSignature('SignatureValue is not base64');
  const signedInfoC14n = canonicalizeSubtree(signedInfo.node, prefixList(signedInfo.c14nMethod));
  let good: boolean;
  try {
    good = verifySignature(signatureHash, Buffer.from(signedInfoC14n, 'utf8'), certificate.key, Buffer.from(sigText, 'base64'));
  } catch {
    good = false;
  }
  if (!good) refuseSignature('the SignatureValue does not verify with the BinarySecurityToken certificate');

  const timestampId = designatedId(timestamp.el, 'the Timestamp');
  const refs = references.map(readSignedReference);
  if (new Set(refs.map((r) => r.id)).size !== refs.length) refuseSignature('two references to the same id');
  const timestampRef = refs.find((r) => r.id === timestampId);
  const tokenRef = refs.find((r) => r.id === tokenId);
  const others = refs.filter((r) => r !== timestampRef && r !== tokenRef);
  if (timestampRef === undefined) return refuseSignature('the Timestamp is not signed');
  if (others.length === 0) refuseSignature('the Body is not signed');
  if (others.length > 1) refuseSignature('a reference points to an element other than the Body, the Timestamp or the token');
  const bodyReference = others[0] as SignedReference;
  for (const id of [timestampId as string, tokenId]) {
    if (idCounts.get(id) !== 1) refuseSignature(`duplicate id "${id}"`);
  }
  if (idCounts.has(bodyReference.id)) refuseSignature(`the id "${bodyReference.id}" is used in the header, not by the Body`);

  checkRecordedDigest(timestamp, timestampRef, 'wsu:Timestamp');
  if (tokenRef !== undefined) checkRecordedDigest(token, tokenRef, 'wsse:BinarySecurityToken');
  const fresh = checkTimestampElement(timestamp, clock);
  return {
    certificateDer: certificate.der,
    created: fresh.created,
    ...(fresh.expires !== undefined && { expires: fresh.expires }),
    signatureValue: sigText,
    signedIds: refs.map((r) => r.id),
    bodyReference,
    designatedIds: new Set([timestampId as string, tokenId, bodyReference.id]),
  };
}

/**
 * The Body element against the verified header: it must be the element the body reference names, and none of its
 * other id values may be one the signature covers (a wrapper's id).
 */
export function checkBodyElement(el: C14nElement, header: VerifiedSecurityHeader): void {
  const bodyId = designatedId(el, 'the Body');
  const expected = header.bodyReference.id;
  if (bodyId !== expected) {
    refuseSignature(bodyId === undefined ? 'the Body has no id and is not signed' : `reference #${expected} does not point to the Body`);
  }
  for (const id of idValues(el)) if (id !== bodyId && header.designatedIds.has(id)) refuseSignature(`duplicate id "${id}"`);
}

function checkToken(token: XmlSubtree): { tokenId: string; certificate: TokenCertificate } {
  if (attributeOf(token, 'ValueType') !== TOKEN_TYPE.x509v3) refuseSignature('the BinarySecurityToken is not an X509v3 token');
  const encoding = attributeOf(token, 'EncodingType');
  if (encoding !== undefined && encoding !== TOKEN_TYPE.base64) refuseSignature('the BinarySecurityToken is not Base64Binary');
  const tokenId = designatedId(token.el, 'the BinarySecurityToken');
  if (tokenId === undefined) return refuseSignature('the BinarySecurityToken has no wsu:Id');
  const certificate = tokenCertificate(textOf(token).replace(/\s+/g, ''));
  if (certificate === undefined) return refuseSignature('the BinarySecurityToken is not a DER X.509 certificate');
  if (certificate.key.asymmetricKeyType !== 'rsa') refuseSignature('the certificate key is not RSA');
  return { tokenId, certificate };
}

interface SignatureParts {
  readonly signedInfo: { readonly node: XmlSubtree; readonly c14nMethod: XmlSubtree };
  readonly signatureValue: XmlSubtree;
  readonly references: XmlSubtree[];
  readonly signatureHash: string;
}

/** ds:Signature = SignedInfo (exc-c14n, RSA-SHA256, References only), SignatureValue, KeyInfo → the token. */
function checkSignatureShape(signature: XmlSubtree, tokenId: string): SignatureParts {
  const [signedInfo, signatureValue, keyInfo, ...rest] = elementChildren(signature);
  if (
    signedInfo?.el.uri !== NS.ds ||
    signedInfo.el.local !== 'SignedInfo' ||
    signatureValue?.el.uri !== NS.ds ||
    signatureValue.el.local !== 'SignatureValue' ||
    keyInfo?.el.uri !== NS.ds ||
    keyInfo.el.local !== 'KeyInfo' ||
    rest.length > 0
  ) {
    return refuseSignature('ds:Signature must hold SignedInfo, SignatureValue and KeyInfo');
  }
  const [c14nMethod, signatureMethod, ...references] = elementChildren(signedInfo);
  if (c14nMethod?.el.local !== 'CanonicalizationMethod' || attributeOf(c14nMethod, 'Algorithm') !== ALG.excC14n) {
    return refuseSignature('SignedInfo must use exclusive C14N');
  }
  const signatureHash = SIGNATURE_METHODS[signatureMethod === undefined ? '' : (attributeOf(signatureMethod, 'Algorithm') ?? '')];
  if (signatureMethod?.el.local !== 'SignatureMethod' || signatureHash === undefined) {
    return refuseSignature(
      `unsupported signature method ${signatureMethod === undefined ? '' : attributeOf(signatureMethod, 'Algorithm')}: RSA-SHA256 required`,
    );
  }
  if (references.length === 0 || references.some((r) => r.el.uri !== NS.ds || r.el.local !== 'Reference')) {
    refuseSignature('SignedInfo must hold ds:Reference elements only');
  }
  const strRefs = childElements(keyInfo, NS.wsse, 'SecurityTokenReference').flatMap((s) => childElements(s, NS.wsse, 'Reference'));
  if (strRefs.length !== 1 || attributeOf(strRefs[0] as XmlSubtree, 'URI') !== `#${tokenId}`) {
    refuseSignature('KeyInfo does not reference the BinarySecurityToken');
  }
  return { signedInfo: { node: signedInfo, c14nMethod }, signatureValue, references, signatureHash };
}

function checkTimestampElement(timestamp: XmlSubtree, clock: TimestampClock): { created: Date; expires?: Date } {
  const created = childElements(timestamp, NS.wsu, 'Created');
  const expires = childElements(timestamp, NS.wsu, 'Expires');
  if (created.length > 1 || expires.length > 1) refuse('AUTH_TIMESTAMP_INVALID', 'Created or Expires repeated');
  const t = checkTimestamp(
    created[0] === undefined ? undefined : textOf(created[0]),
    expires[0] === undefined ? undefined : textOf(expires[0]),
    clock.now,
    clock.skewSeconds,
    clock.maxAgeSeconds,
  );
  if (!t.ok) return refuse('AUTH_TIMESTAMP_INVALID', t.detail);
  return t;
}
