import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signEnvelope } from './sign-envelope.js';
import { makeTestCredentials, type TestCredentials } from './testing/test-credentials.js';
import { buildVectors, idsOf, PLAIN_ENVELOPE, VECTOR_NOW, type Vector } from './testing/ws-security-vectors.js';
import { createWsSecurityStreamVerifier, verifyWsSecurity, type WsSecurityResult } from './verify-ws-security.js';
import { NS } from './ws-security-profile.js';

let creds: TestCredentials;
let vectors: Vector[];

beforeAll(async () => {
  creds = await makeTestCredentials();
  vectors = buildVectors(creds);
});

function outcome(r: WsSecurityResult): string {
  return r.ok ? 'ok' : `${r.finding.code}${r.finding.location === undefined ? '' : ` @ ${r.finding.location}`}`;
}

function expected(v: Vector): string {
  return v.code === undefined ? 'ok' : `${v.code}${v.location === undefined ? '' : ` @ ${v.location}`}`;
}

/** xml-crypto as an independent verifier of the cryptography, with the certificate from the token. */
function xmlCryptoVerifies(xml: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sig = doc.getElementsByTagNameNS(NS.ds, 'Signature')[0];
  const verifier = new SignedXml({ publicCert: creds.certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(sig as never);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('verifyWsSecurity on the test vectors', () => {
  it('gives each vector its expected outcome', () => {
    const got = vectors.map((v) => `${v.name}: ${outcome(verifyWsSecurity(v.xml, { now: VECTOR_NOW }))}`);
    expect(got).toEqual(vectors.map((v) => `${v.name}: ${expected(v)}`));
  });

  it('returns the certificate, the signed ids and the Timestamp for a valid message', () => {
    const valid = vectors[0] as Vector;
    const r = verifyWsSecurity(Buffer.from(valid.xml), { now: VECTOR_NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ids = idsOf(valid.xml);
    expect(r.certificateDer.equals(creds.certificateDer)).toBe(true);
    expect(r.signedIds).toEqual([ids.timestamp, ids.body]);
    expect(r.created.toISOString()).toBe('2026-03-04T09:59:00.000Z');
    expect(r.expires?.toISOString()).toBe('2026-03-04T10:04:00.000Z');
  });

  it('the streaming verifier agrees with the in-memory one on every vector, whatever the chunking', () => {
    for (const v of vectors) {
      const whole = outcome(verifyWsSecurity(v.xml, { now: VECTOR_NOW }));
      const bytes = Buffer.from(v.xml);
      for (const size of [1, 7, 64, 4096]) {
        const s = createWsSecurityStreamVerifier({ now: VECTOR_NOW });
        for (let i = 0; i < bytes.length; i += size) s.write(bytes.subarray(i, i + size));
        expect(`${v.name}/${size}: ${outcome(s.end())}`).toBe(`${v.name}/${size}: ${whole}`);
      }
    }
  });

  it('reports the verified header before the Body has arrived', () => {
    const valid = (vectors[0] as Vector).xml;
    const s = createWsSecurityStreamVerifier({ now: VECTOR_NOW });
    s.write(valid.slice(0, valid.indexOf('<soapenv:Body') + 5));
    expect(s.header?.certificateDer.equals(creds.certificateDer)).toBe(true);
    expect(s.failure).toBeUndefined();
  });

  it('applies the clock window options', () => {
    const signed = signEnvelope(PLAIN_ENVELOPE, creds, { now: new Date('2026-03-04T09:45:00Z'), ttlSeconds: 3600 });
    expect(verifyWsSecurity(signed, { now: VECTOR_NOW }).ok).toBe(false);
    expect(verifyWsSecurity(signed, { now: VECTOR_NOW, maxAgeSeconds: 900 }).ok).toBe(true);
  });

  it('only takes the Security header from the SOAP 1.1 Header', () => {
    const valid = (vectors[0] as Vector).xml;
    const moved = valid.replace('<soapenv:Header>', '<x:Header xmlns:x="urn:not-soap">').replace('</soapenv:Header>', '</x:Header>');
    expect(outcome(verifyWsSecurity(moved, { now: VECTOR_NOW }))).toBe('AUTH_NOT_AUTHENTICATED');
  });

  it('refuses malformed XML and DOCTYPEs with the XML codes', () => {
    expect(outcome(verifyWsSecurity('<soapenv:Envelope', { now: VECTOR_NOW }))).toBe('XML_MALFORMED');
    expect(outcome(verifyWsSecurity('<!DOCTYPE x [<!ENTITY a "b">]><x/>', { now: VECTOR_NOW }))).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(outcome(verifyWsSecurity('<x/>', { now: VECTOR_NOW }))).toBe('SOAP_CONTRACT @ /x');
    const deep = `<soapenv:Envelope xmlns:soapenv="${NS.soap11}"><soapenv:Body>${'<a xmlns="urn:x">'.repeat(300)}`;
    expect(outcome(verifyWsSecurity(deep, { now: VECTOR_NOW }))).toBe('AUTH_NOT_AUTHENTICATED');
    const deepSigned = (vectors[0] as Vector).xml.replace('<v:SoftwareId>', `${'<v:n>'.repeat(300)}${'</v:n>'.repeat(300)}<v:SoftwareId>`);
    expect(outcome(verifyWsSecurity(deepSigned, { now: VECTOR_NOW }))).toBe('XML_TOO_DEEP');
  });
});

describe('interoperability with xml-crypto', () => {
  it('xml-crypto verifies what our signer produces, and rejects the crypto-level tampering', () => {
    for (const v of vectors) {
      if (v.profileOnly === true) continue;
      expect(`${v.name}: ${xmlCryptoVerifies(v.xml)}`).toBe(`${v.name}: ${v.code === undefined}`);
    }
  });

  it('we verify a WS-Security message signed by xml-crypto (wssecurity id mode)', () => {
    const created = '2026-03-04T09:59:30Z';
    const unsigned = PLAIN_ENVELOPE.replace(
      '<soapenv:Header>',
      `<soapenv:Header><wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}">` +
        `<wsse:BinarySecurityToken EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" ` +
        `ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" wsu:Id="cert-1">` +
        `${creds.certificateDer.toString('base64')}</wsse:BinarySecurityToken>` +
        `<wsu:Timestamp><wsu:Created>${created}</wsu:Created><wsu:Expires>2026-03-04T10:09:30Z</wsu:Expires></wsu:Timestamp>` +
        '</wsse:Security>',
    );
    const signer = new SignedXml({
      privateKey: creds.privateKeyPem,
      idMode: 'wssecurity',
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      getKeyInfoContent: () =>
        `<wsse:SecurityTokenReference><wsse:Reference URI="#cert-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"/></wsse:SecurityTokenReference>`,
    });
    for (const xpath of ["//*[local-name(.)='Body']", "//*[local-name(.)='Timestamp']"]) {
      signer.addReference({
        xpath,
        transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
    }
    signer.computeSignature(unsigned, {
      prefix: 'ds',
      location: { reference: "//*[local-name(.)='Security']", action: 'append' },
      existingPrefixes: { wsse: NS.wsse },
    });
    const signed = signer.getSignedXml();
    const r = verifyWsSecurity(signed, { now: VECTOR_NOW });
    expect(outcome(r)).toBe('ok');
    expect(outcome(verifyWsSecurity(signed.replace('taktik_medispring', 'other_software'), { now: VECTOR_NOW }))).toBe('AUTH_BODY_TAMPERED @ soap:Body');
  });
});
