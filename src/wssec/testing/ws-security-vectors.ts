import { createHash, sign } from 'node:crypto';
import type { StatusCode } from '../../status/catalogue.js';
import { canonicalizeXml } from '../canonicalize-xml.js';
import { signEnvelope } from '../sign-envelope.js';
import { ALG, NS, TOKEN_TYPE } from '../ws-security-profile.js';
import type { TestCredentials } from './test-credentials.js';

/** The clock every vector is signed and verified at. */
export const VECTOR_NOW = new Date('2026-03-04T10:00:00Z');

export const PLAIN_ENVELOPE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v="urn:be:vaccinnet:test">' +
  '<soapenv:Header><v:Trace>abc</v:Trace></soapenv:Header>' +
  '<soapenv:Body><v:AddVaccinations><v:SoftwareId>taktik_medispring</v:SoftwareId>' +
  '<v:Message>PGttZWhyPg==</v:Message><v:Note a="1" b="x &amp; y">caf\u00e9 &lt;ok&gt;</v:Note></v:AddVaccinations></soapenv:Body>' +
  '</soapenv:Envelope>';

export interface Vector {
  readonly name: string;
  readonly xml: string;
  /** undefined = must verify. */
  readonly code?: StatusCode;
  readonly location?: string;
  /** True when only the profile (not the cryptography) is broken: xmlsec1 accepts these, we must not. */
  readonly profileOnly?: boolean;
}

function elementById(xml: string, id: string): string {
  return canonicalizeXml(xml, { select: (el) => el.attributes.some((a) => a.local === 'Id' && a.value === id) });
}

/**
 * Adds a validly computed ds:Signature over the given ids at the end of the Security header — for building
 * profile violations whose cryptography is correct (so only the profile checks can refuse them).
 */
export function signIds(xml: string, ids: readonly string[], creds: TestCredentials, keyInfoUri: string): string {
  const digests = ids.map((id) => ({ id, digest: createHash('sha256').update(elementById(xml, id), 'utf8').digest('base64') }));
  return xml.replace('</wsse:Security>', `${signatureElement(digests, creds, keyInfoUri)}</wsse:Security>`);
}

/** A ds:Signature (exclusive C14N, RSA-SHA256) over references whose SHA-256 digests the caller computed. */
export function signatureElement(digests: readonly { readonly id: string; readonly digest: string }[], creds: TestCredentials, keyInfoUri: string): string {
  const refs = digests
    .map(
      ({ id, digest }) =>
        `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${ALG.excC14n}"/></ds:Transforms>` +
        `<ds:DigestMethod Algorithm="${ALG.sha256}"/><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`,
    )
    .join('');
  const signedInfo =
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"/>` + `<ds:SignatureMethod Algorithm="${ALG.rsaSha256}"/>${refs}</ds:SignedInfo>`;
  const c14n = canonicalizeXml(signedInfo.replace('<ds:SignedInfo>', `<ds:SignedInfo xmlns:ds="${NS.ds}">`));
  const value = sign('sha256', Buffer.from(c14n), creds.privateKeyPem).toString('base64');
  return (
    `<ds:Signature xmlns:ds="${NS.ds}">${signedInfo}<ds:SignatureValue>${value}</ds:SignatureValue>` +
    `<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#${keyInfoUri}" ValueType="${TOKEN_TYPE.x509v3}"/>` +
    '</wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>'
  );
}

function unsignedSecurity(creds: TestCredentials, suffix: string, extraTokens = 0): string {
  const token = (n: number): string =>
    `<wsse:BinarySecurityToken EncodingType="${TOKEN_TYPE.base64}" ValueType="${TOKEN_TYPE.x509v3}" wsu:Id="X509-${suffix}${n === 0 ? '' : `-${n}`}">` +
    `${creds.certificateDer.toString('base64')}</wsse:BinarySecurityToken>`;
  const tokens = Array.from({ length: 1 + extraTokens }, (_, n) => token(n)).join('');
  return (
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" soapenv:mustUnderstand="1">${tokens}` +
    `<wsu:Timestamp wsu:Id="TS-${suffix}"><wsu:Created>2026-03-04T09:59:00Z</wsu:Created><wsu:Expires>2026-03-04T10:04:00Z</wsu:Expires></wsu:Timestamp>` +
    '</wsse:Security>'
  );
}

function withIds(body: string, suffix: string, security: string): string {
  return PLAIN_ENVELOPE.replace('<soapenv:Header>', `<soapenv:Header>${security}`)
    .replace('<soapenv:Body>', `<soapenv:Body xmlns:wsu="${NS.wsu}" wsu:Id="id-${suffix}">`)
    .replace('<v:Trace>abc</v:Trace>', body);
}

/** Ids the signer gave a signed envelope (suffix shared by Body, token and Timestamp). */
export function idsOf(xml: string): { body: string; token: string; timestamp: string } {
  const body = /soapenv:Body[^>]*wsu:Id="([^"]+)"/.exec(xml)?.[1] as string;
  const token = /BinarySecurityToken[^>]*wsu:Id="([^"]+)"/.exec(xml)?.[1] as string;
  const timestamp = /wsu:Timestamp wsu:Id="([^"]+)"/.exec(xml)?.[1] as string;
  return { body, token, timestamp };
}

/** A valid signed envelope, crypto-level tampering and signature-wrapping attacks, each with the expected outcome. */
export function buildVectors(creds: TestCredentials): Vector[] {
  const valid = signEnvelope(PLAIN_ENVELOPE, creds, { now: new Date('2026-03-04T09:59:00Z') });
  const { body, timestamp } = idsOf(valid);
  const bodyElement = /<soapenv:Body[\s\S]*<\/soapenv:Body>/.exec(valid)?.[0] as string;
  const timestampElement = /<wsu:Timestamp[\s\S]*<\/wsu:Timestamp>/.exec(valid)?.[0] as string;
  const sigValue = /<ds:SignatureValue>([^<]+)</.exec(valid)?.[1] as string;
  const flipped = (sigValue.startsWith('A') ? 'B' : 'A') + sigValue.slice(1);

  const s = 'fixed';
  const profileBase = withIds('<v:Trace wsu:Id="other-fixed" xmlns:wsu="' + NS.wsu + '">abc</v:Trace>', s, unsignedSecurity(creds, s));

  return [
    { name: 'valid', xml: valid },
    {
      name: 'valid, pretty-printed outside the signed parts',
      xml: valid.replace('<soapenv:Header>', '<soapenv:Header>\n  ').replace('</soapenv:Header>', '\n</soapenv:Header>\n'),
    },
    { name: 'body tampered', xml: valid.replace('PGttZWhyPg==', 'PGttZWhyLz4='), code: 'AUTH_BODY_TAMPERED', location: 'soap:Body' },
    { name: 'body attribute tampered', xml: valid.replace('a="1"', 'a="2"'), code: 'AUTH_BODY_TAMPERED', location: 'soap:Body' },
    {
      name: 'timestamp tampered',
      xml: valid.replace(/(<wsu:Expires>)2026-03-04T10:04:00Z/, '$12026-03-05T10:04:00Z'),
      code: 'AUTH_BODY_TAMPERED',
      location: 'wsu:Timestamp',
    },
    { name: 'signature value changed', xml: valid.replace(sigValue, flipped), code: 'AUTH_SIGNATURE_INVALID' },
    {
      name: 'digest value changed in SignedInfo',
      xml: valid.replace(/<ds:DigestValue>(.)/, (_, c: string) => `<ds:DigestValue>${c === 'A' ? 'B' : 'A'}`),
      code: 'AUTH_SIGNATURE_INVALID',
    },
    {
      name: 'wrapping: signed Body moved into the header, new Body',
      xml: valid
        .replace(bodyElement, '<soapenv:Body><v:AddVaccinations><v:Message>ZXZpbA==</v:Message></v:AddVaccinations></soapenv:Body>')
        .replace('<v:Trace>', `<v:Wrapper>${bodyElement}</v:Wrapper><v:Trace>`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'wrapping: signed Body moved into the header, new Body with the same id',
      xml: valid.replace(bodyElement, bodyElement.replace('PGttZWhyPg==', 'ZXZpbA==')).replace('<v:Trace>', `<v:Wrapper>${bodyElement}</v:Wrapper><v:Trace>`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'duplicate id: an element in the Body carries the Timestamp id',
      xml: valid.replace('<v:SoftwareId>', `<v:X xmlns:wsu="${NS.wsu}" wsu:Id="${timestamp}"/><v:SoftwareId>`),
      code: 'AUTH_SIGNATURE_INVALID',
    },
    {
      name: 'duplicate id: a header element carries the Body id',
      xml: valid.replace('<v:Trace>abc</v:Trace>', `<v:Trace Id="${body}">abc</v:Trace>`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'Timestamp outside Security, fresh unsigned one inside',
      xml: valid
        .replace(timestampElement, '<wsu:Timestamp wsu:Id="TS-new"><wsu:Created>2026-03-04T09:59:30Z</wsu:Created></wsu:Timestamp>')
        .replace('<v:Trace>', `<v:Wrapper xmlns:wsu="${NS.wsu}">${timestampElement}</v:Wrapper><v:Trace>`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'reference to a non-Body element (Timestamp and a header element signed)',
      xml: signIds(profileBase, [`TS-${s}`, 'other-fixed'], creds, `X509-${s}`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'Body, Timestamp and an extra header element signed',
      xml: signIds(profileBase, [`TS-${s}`, `id-${s}`, 'other-fixed'], creds, `X509-${s}`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'missing Timestamp reference (only the Body signed)',
      xml: signIds(profileBase, [`id-${s}`], creds, `X509-${s}`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'Body, Timestamp and token signed (eHealth STS style) is accepted',
      xml: signIds(profileBase, [`TS-${s}`, `id-${s}`, `X509-${s}`], creds, `X509-${s}`),
    },
    {
      name: 'two BinarySecurityTokens',
      xml: signIds(withIds('<v:Trace>abc</v:Trace>', s, unsignedSecurity(creds, s, 1)), [`TS-${s}`, `id-${s}`], creds, `X509-${s}`),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'KeyInfo pointing elsewhere',
      xml: signIds(profileBase, [`TS-${s}`, `id-${s}`], creds, 'other-fixed'),
      code: 'AUTH_SIGNATURE_INVALID',
      profileOnly: true,
    },
    {
      name: 'expired timestamp',
      xml: signEnvelope(PLAIN_ENVELOPE, creds, { now: new Date('2026-03-04T09:40:00Z') }),
      code: 'AUTH_TIMESTAMP_INVALID',
      profileOnly: true,
    },
    {
      name: 'timestamp in the future',
      xml: signEnvelope(PLAIN_ENVELOPE, creds, { now: new Date('2026-03-04T10:20:00Z') }),
      code: 'AUTH_TIMESTAMP_INVALID',
      profileOnly: true,
    },
    { name: 'no Security header', xml: PLAIN_ENVELOPE, code: 'AUTH_NOT_AUTHENTICATED', profileOnly: true },
  ];
}
