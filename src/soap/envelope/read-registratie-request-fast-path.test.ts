import { describe, expect, it } from 'vitest';
import { DEFAULT_XML_LIMITS } from '../../kmehr/xml-limits.js';
import { createXmlEventReader } from '../../wssec/xml-event-reader.js';
import { finding } from '../../status/finding.js';
import type { RegistratieReadResult } from '../../contracts/registratie-request.js';
import { listenForRegistratieRequest, readRegistratieRequest, readRegistratieRequestWithSaxes } from './read-registratie-request.js';
import { plainUtf8Text } from './scanner-readable.js';

const V21 = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21';
const MSG = `${V21}/message`;
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const B64 = Buffer.from('<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"/>').toString('base64');
const head = '<m:SoftwareId>SW-1</m:SoftwareId><m:PatientId>85071412330</m:PatientId>';

const envelope = (body: string, header = '<s:Header><wsse:Security xmlns:wsse="urn:x"><x a="1"/></wsse:Security></s:Header>'): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="${SOAP}">\n${header}<s:Body>${body}</s:Body></s:Envelope>`;
const op = (name: string, children: string, attrs = ''): string => envelope(`<v:${name} xmlns:v="${V21}" xmlns:m="${MSG}"${attrs}>${children}</v:${name}>`);
const msg = (content = B64, attrs = ''): string => `<m:Base64EncodedKmehrmessage${attrs}>${content}</m:Base64EncodedKmehrmessage>`;

/** The listener alone, fed by the WS-Security scanner in one write. */
function scannerRead(xml: string, soapAction?: string): RegistratieReadResult {
  const listener = listenForRegistratieRequest(xml, soapAction, DEFAULT_XML_LIMITS);
  const reader = createXmlEventReader(listener.handlers);
  listener.readFrom(reader);
  try {
    reader.write(xml);
    reader.end();
  } catch {
    return listener.result(finding('XML_MALFORMED'));
  }
  return listener.result();
}

/** What a refusal must agree on with saxes: the code, and where (the line and column are each reader's own). */
function verdict(read: RegistratieReadResult): unknown {
  if (read.ok) return read;
  return { code: read.finding.code, location: read.finding.location, value: read.finding.value, operation: read.operation };
}

const VALID: readonly [string, string, string?][] = [
  [
    'AddVaccinations, wrapped base64, DisableStockChange, padded values',
    op(
      'AddVaccinationsRequest',
      `<m:SoftwareId> SW-1 </m:SoftwareId><m:VaccinnetId>14700250004</m:VaccinnetId><m:PatientId>85071412330</m:PatientId>${msg(B64.replace(/(.{20})/g, '$1\r\n'), ' DisableStockChange="1"')}${msg(B64, " DisableStockChange='false'")}`,
    ),
  ],
  ['five messages', op('AddVaccinationsRequest', head + msg().repeat(5))],
  [
    'entities, CDATA, comments and a PI in values',
    op('AddVaccinationsRequest', `<m:SoftwareId>SW&#45;1<!-- c --></m:SoftwareId><m:PatientId><![CDATA[8507]]>1412330<?pi x?></m:PatientId>${msg()}`),
  ],
  [
    'GetVaccinations with a default namespace and no Header',
    envelope(
      `<GetVaccinationsRequest xmlns="${V21}"><SoftwareId xmlns="${MSG}">S</SoftwareId><PatientId xmlns="${MSG}">1</PatientId><vaccinationDateSince xmlns="${MSG}">2021-02-03+01:00</vaccinationDateSince></GetVaccinationsRequest>`,
      '',
    ),
  ],
  [
    'RemoveVaccination with a matching SOAPAction',
    op('RemoveVaccinationRequest', `${head}<m:VaccinationId>ABC</m:VaccinationId>`),
    '"urn:be:fgov:ehealth:safe:vaccination:RemoveVaccination"',
  ],
  ['namespaced attributes on the operation', op('GetVaccinationsRequest', head, ` xml:lang="nl" xmlns:x="urn:x" x:y="1"`)],
];

const INVALID: readonly [string, string, string?][] = [
  ['a missing SoftwareId', op('AddVaccinationsRequest', `<m:PatientId>1</m:PatientId>${msg()}`)],
  ['six messages', op('AddVaccinationsRequest', head + msg().repeat(6))],
  ['bad base64', op('AddVaccinationsRequest', head + msg('QUJ'))],
  ['an unknown attribute', op('AddVaccinationsRequest', head + msg(B64, ' Stock="1"'))],
  ['a bad date', op('GetVaccinationsRequest', `${head}<m:vaccinationDateSince>2021-02-30</m:vaccinationDateSince>`)],
  ['a SOAPAction of another operation', op('AddVaccinationsRequest', head + msg()), 'urn:be:fgov:ehealth:safe:vaccination:RemoveVaccination'],
  ['an unknown operation', envelope(`<v:UpdateVaccinationRequest xmlns:v="${V21}"/>`)],
  ['text in the Envelope', op('GetVaccinationsRequest', head).replace('<s:Body>', 'oops<s:Body>')],
  ['two Bodies', op('GetVaccinationsRequest', head).replace('</s:Envelope>', '<s:Body/></s:Envelope>')],
  ['not well-formed', op('GetVaccinationsRequest', head).replace('</s:Envelope>', '')],
  ['SOAP 1.2', `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`],
];

describe('readRegistratieRequest: one scan by the WS-Security scanner, agreeing with saxes', () => {
  it.each(VALID)('reads %s exactly as saxes does', (_name, xml, action) => {
    const reference = readRegistratieRequestWithSaxes(Buffer.from(xml), action);
    expect(reference.ok).toBe(true);
    expect(scannerRead(xml, action)).toEqual(reference);
    expect(readRegistratieRequest(Buffer.from(xml), action)).toEqual(reference);
  });

  it.each(INVALID)('refuses %s as saxes does, in its one read', (_name, xml, action) => {
    const reference = readRegistratieRequestWithSaxes(Buffer.from(xml), action);
    expect(reference.ok).toBe(false);
    const read = readRegistratieRequest(Buffer.from(xml), action);
    expect(verdict(read)).toEqual(verdict(reference));
    // Where saxes places the problem, the scanner does too (its own line: the markup where it saw it).
    if (reference.ok === false && reference.finding.line !== undefined) expect(read.ok === false && read.finding.line).toBeGreaterThan(0);
  });

  it('gives contract findings the line and column of the markup where the problem was seen', () => {
    const xml = op('AddVaccinationsRequest', `<m:PatientId>1</m:PatientId>${msg()}`);
    const read = readRegistratieRequest(Buffer.from(xml));
    expect(read).toMatchObject({ ok: false, finding: { code: 'SOAP_CONTRACT', line: 3 } });
    const notWellFormed = readRegistratieRequest(Buffer.from(xml.replace('<m:PatientId>', '<m:PatientId a>')));
    expect(notWellFormed).toMatchObject({ ok: false, finding: { code: 'XML_MALFORMED', line: 3 } });
  });

  it('agrees with saxes on 3 000 random one-character mutations of valid requests', () => {
    const seeds = [VALID[0]![1], VALID[2]![1], VALID[3]![1]];
    const significant = ['<', '>', '&', '"', "'", '=', ' ', '/', ':', ';', '#', ']', '!', '?', '-', 'x', 'm', '\u0001', '\r', '\t'];
    let state = 42; // a fixed LCG: the same mutations on every run
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    let accepted = 0;
    for (let k = 0; k < 3000; k++) {
      const xml = seeds[k % seeds.length]!;
      const at = random(xml.length);
      const kind = random(3);
      const mutated =
        kind === 0
          ? xml.slice(0, at) + xml.slice(at + 1)
          : kind === 1
            ? xml.slice(0, at) + xml[at] + xml.slice(at)
            : xml.slice(0, at) + significant[random(significant.length)] + xml.slice(at + 1);
      const body = Buffer.from(mutated);
      const reference = readRegistratieRequestWithSaxes(body, undefined);
      expect(verdict(readRegistratieRequest(body)), mutated).toEqual(verdict(reference));
      if (reference.ok) accepted++;
    }
    // Both kinds occur: many mutations only touch a value (still a valid request), many break the envelope.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2700);
  });

  it('reads only plain UTF-8 text with the scanner: a BOM, UTF-16 or an invalid byte goes to saxes', () => {
    const xml = op('GetVaccinationsRequest', head);
    expect(plainUtf8Text(Buffer.from(xml))).toBe(xml);
    expect(plainUtf8Text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]))).toBeUndefined();
    expect(plainUtf8Text(Buffer.from(`\ufeff${xml}`, 'utf16le'))).toBeUndefined();
    expect(plainUtf8Text(Buffer.from(xml.replace('utf-8', 'UTF-16'), 'utf16le'))).toBeUndefined();
    const invalid = Buffer.from(xml.replace('SW-1', 'SW-\u00e9'));
    invalid[invalid.indexOf(0xc3)] = 0xff;
    expect(plainUtf8Text(invalid)).toBeUndefined();
    // Those bodies still read (or are refused) exactly as before.
    for (const body of [Buffer.from(`\ufeff${xml}`, 'utf16le'), invalid]) {
      expect(readRegistratieRequest(body)).toEqual(readRegistratieRequestWithSaxes(body, undefined));
    }
  });
});
