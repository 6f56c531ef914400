import { beforeAll, describe, expect, it } from 'vitest';
import { addVaccinationsEnvelope } from '../../client/registratie-requests.js';
import { DEFAULT_XML_LIMITS } from '../../kmehr/xml-limits.js';
import { readRegistratieRequest } from '../envelope/read-registratie-request.js';
import { signEnvelope } from '../../wssec/sign-envelope.js';
import { makeTestCredentials, type TestCredentials } from '../../wssec/testing/test-credentials.js';
import { buildVectors, VECTOR_NOW } from '../../wssec/testing/ws-security-vectors.js';
import { verifyWsSecurity } from '../../wssec/verify-ws-security.js';
import { readSignedRegistratieRequest } from './read-signed-registratie-request.js';

let creds: TestCredentials;
const verify = { now: VECTOR_NOW, maxAgeSeconds: 300, maxClockSkewSeconds: 300 };
const ADD = 'urn:be:fgov:ehealth:safe:vaccination:AddVaccinations';
const kmehr = '<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"/>';
const request = (patientId = '85071412330'): string =>
  addVaccinationsEnvelope({ softwareId: 'taktik_medispring', patientId, messages: [{ kmehr }, { kmehr, disableStockChange: true }] });
const signed = (xml = request(), now = VECTOR_NOW): string => signEnvelope(xml, creds, { now });

beforeAll(async () => {
  creds = await makeTestCredentials();
});

/** What the handler did before: read with saxes, then (only when read) verify the signature on its own. */
function separately(body: Buffer, soapAction?: string): unknown {
  const read = readRegistratieRequest(body, soapAction, DEFAULT_XML_LIMITS);
  return read.ok ? { read, signature: verifyWsSecurity(body, verify) } : { read };
}

function cases(): [string, Buffer, string?][] {
  const good = signed();
  return [
    ['a good signed request', Buffer.from(good), ADD],
    ['a tampered Body (patient changed after signing)', Buffer.from(good.replace('85071412330', '85071412331'))],
    ['an expired Timestamp', Buffer.from(signed(request(), new Date(VECTOR_NOW.getTime() - 3_600_000)))],
    ['a broken SignatureValue', Buffer.from(good.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`))],
    ['no signature at all', Buffer.from(request())],
    ['a signed contract violation (no PatientId)', Buffer.from(signed(request().replace(/<m:PatientId>[^<]*<\/m:PatientId>/, '')))],
    ['a signed request with the SOAPAction of another operation', Buffer.from(good), 'urn:be:fgov:ehealth:safe:vaccination:GetVaccinations'],
    ['a signed request with a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)])],
    ['a signed request cut short', Buffer.from(good.slice(0, -20))],
    ['a signed request with a stray character after the Envelope', Buffer.from(`${good}>`)],
  ];
}

describe('readSignedRegistratieRequest (one scan for the request and its signature)', () => {
  it('answers every case exactly as reading and then verifying separately', () => {
    const outcomes: string[] = [];
    for (const [name, body, action] of cases()) {
      const once = readSignedRegistratieRequest(body, action, DEFAULT_XML_LIMITS, verify);
      expect(once, name).toEqual(separately(body, action));
      outcomes.push(
        `${name}: ${once.read.ok ? 'read' : once.read.finding.code} / ${once.signature === undefined ? '-' : once.signature.ok ? 'ok' : once.signature.finding.code}`,
      );
    }
    // The cases do reach the outcomes they are named for (so the equality above compares something).
    expect(outcomes).toEqual([
      'a good signed request: read / ok',
      'a tampered Body (patient changed after signing): read / AUTH_BODY_TAMPERED',
      'an expired Timestamp: read / AUTH_TIMESTAMP_INVALID',
      'a broken SignatureValue: read / AUTH_SIGNATURE_INVALID',
      'no signature at all: read / AUTH_NOT_AUTHENTICATED',
      'a signed contract violation (no PatientId): SOAP_CONTRACT / -',
      'a signed request with the SOAPAction of another operation: SOAP_ACTION_MISMATCH / -',
      'a signed request with a UTF-8 BOM: read / ok',
      'a signed request cut short: XML_MALFORMED / -',
      'a signed request with a stray character after the Envelope: XML_MALFORMED / -',
    ]);
  });

  it('reads the request from the verifier scan: the decoded messages and attributes come through', () => {
    const once = readSignedRegistratieRequest(Buffer.from(signed()), ADD, DEFAULT_XML_LIMITS, verify);
    if (!once.read.ok || once.read.request.operation !== 'AddVaccinations') throw new Error(JSON.stringify(once.read));
    expect(once.read.request.messages.map((m) => [m.kmehr.toString('utf8'), m.disableStockChange])).toEqual([
      [kmehr, undefined],
      [kmehr, true],
    ]);
    expect(once.signature).toMatchObject({ ok: true });
  });

  it('agrees with reading then verifying on 1 500 random one-character mutations of a signed request', () => {
    const xml = signed();
    const significant = ['<', '>', '&', '"', "'", '=', ' ', '/', ':', ';', ']', '!', '?', '-', 'x', '\u0001', '\r'];
    let state = 7; // a fixed LCG: the same mutations on every run
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const seen = new Set<string>();
    for (let k = 0; k < 1500; k++) {
      const at = random(xml.length);
      const kind = random(3);
      const mutated =
        kind === 0
          ? xml.slice(0, at) + xml.slice(at + 1)
          : kind === 1
            ? xml.slice(0, at) + xml[at] + xml.slice(at)
            : xml.slice(0, at) + significant[random(significant.length)] + xml.slice(at + 1);
      const body = Buffer.from(mutated);
      const once = readSignedRegistratieRequest(body, undefined, DEFAULT_XML_LIMITS, verify);
      expect(once, mutated).toEqual(separately(body));
      seen.add(once.read.ok ? (once.signature?.ok ? 'ok' : 'signature refused') : 'read refused');
    }
    expect([...seen].sort()).toEqual(['ok', 'read refused', 'signature refused']);
  });

  it('agrees with reading then verifying on every WS-Security test vector', () => {
    for (const v of buildVectors(creds)) {
      const body = Buffer.from(v.xml);
      expect(readSignedRegistratieRequest(body, undefined, DEFAULT_XML_LIMITS, verify), v.name).toEqual(separately(body));
    }
  });
});
