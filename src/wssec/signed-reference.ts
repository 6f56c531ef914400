import { createHash, timingSafeEqual } from 'node:crypto';
import { ALG, DIGEST_METHODS, NS } from './ws-security-profile.js';
import { refuse, refuseSignature } from './ws-security-refusal.js';
import { attributeOf, canonicalizeSubtree, childElements, textOf, type XmlSubtree } from './xml-subtree.js';

/** One ds:Reference of SignedInfo, checked against the profile: what to digest and the digest it must give. */
export interface SignedReference {
  readonly id: string;
  /** node:crypto hash name. */
  readonly hash: string;
  /** The exclusive C14N InclusiveNamespaces PrefixList of its last transform. */
  readonly prefixes: readonly string[];
  readonly digest: Buffer;
}

export const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The PrefixList of an ec:InclusiveNamespaces child (of a Transform or the CanonicalizationMethod). */
export function prefixList(node: XmlSubtree): readonly string[] {
  const inc = childElements(node, NS.ec, 'InclusiveNamespaces')[0];
  const list = inc === undefined ? undefined : attributeOf(inc, 'PrefixList');
  return list === undefined ? [] : list.split(/\s+/).filter((p) => p !== '');
}

/** A same-document `#id` reference with exclusive C14N (optionally after enveloped-signature) and SHA-256. */
export function readSignedReference(ref: XmlSubtree): SignedReference {
  const uri = attributeOf(ref, 'URI') ?? '';
  if (!/^#[^\s#]+$/.test(uri)) refuseSignature(`Reference URI "${uri}" is not a same-document #id reference`);
  const transforms = childElements(ref, NS.ds, 'Transforms').flatMap((t) => childElements(t, NS.ds, 'Transform'));
  const algorithms = transforms.map((t) => attributeOf(t, 'Algorithm'));
  const shapeOk =
    (algorithms.length === 1 && algorithms[0] === ALG.excC14n) ||
    (algorithms.length === 2 && algorithms[0] === ALG.envelopedSignature && algorithms[1] === ALG.excC14n);
  if (!shapeOk) refuseSignature(`unsupported transforms for ${uri} (${algorithms.join(', ') || 'none'}): exclusive C14N required`);
  const last = transforms[transforms.length - 1] as XmlSubtree;
  const digestMethod = childElements(ref, NS.ds, 'DigestMethod')[0];
  const hash = DIGEST_METHODS[digestMethod === undefined ? '' : (attributeOf(digestMethod, 'Algorithm') ?? '')];
  if (hash === undefined) refuseSignature(`unsupported digest method for ${uri}: SHA-256 required`);
  const digestValue = childElements(ref, NS.ds, 'DigestValue')[0];
  const digestText = digestValue === undefined ? '' : textOf(digestValue).replace(/\s+/g, '');
  if (digestText === '' || !BASE64.test(digestText)) refuseSignature(`no valid DigestValue for ${uri}`);
  return { id: uri.slice(1), hash, prefixes: prefixList(last), digest: Buffer.from(digestText, 'base64') };
}

/** Digest of a recorded header part (Timestamp, token) against its reference; a mismatch is AUTH_BODY_TAMPERED. */
export function checkRecordedDigest(node: XmlSubtree, ref: SignedReference, location: string): void {
  const actual = createHash(ref.hash).update(canonicalizeSubtree(node, ref.prefixes), 'utf8').digest();
  if (!sameDigest(actual, ref.digest)) refuse('AUTH_BODY_TAMPERED', `digest mismatch for ${location}`, location);
}
