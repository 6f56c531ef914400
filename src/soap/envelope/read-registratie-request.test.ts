import { describe, expect, it } from 'vitest';
import { readRegistratieRequest } from './read-registratie-request.js';

const V21 = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21';
const MSG = `${V21}/message`;
const OP = '/Envelope/Body/AddVaccinationsRequest';
const B64 = Buffer.from('<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"/>').toString('base64');

function envelope(body: string, header = '<s:Header><wsse:Security xmlns:wsse="urn:x"><x/></wsse:Security></s:Header>'): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header}<s:Body>${body}</s:Body></s:Envelope>`,
  );
}
function add(children: string, attrs = ''): Buffer {
  return envelope(`<v:AddVaccinationsRequest xmlns:v="${V21}" xmlns:m="${MSG}"${attrs}>${children}</v:AddVaccinationsRequest>`);
}
const msg = (content = B64, attrs = ''): string => `<m:Base64EncodedKmehrmessage${attrs}>${content}</m:Base64EncodedKmehrmessage>`;
const head = '<m:SoftwareId>SW-1</m:SoftwareId><m:PatientId>85071412330</m:PatientId>';

describe('readRegistratieRequest', () => {
  it('reads AddVaccinations with line-wrapped base64, DisableStockChange and trimmed values', () => {
    const wrapped = B64.replace(/(.{20})/g, '$1\n');
    const read = readRegistratieRequest(
      add(
        `<m:SoftwareId> SW-1 </m:SoftwareId><m:VaccinnetId>14700250004</m:VaccinnetId><m:PatientId>85071412330</m:PatientId>${msg(wrapped, ' DisableStockChange="1"')}${msg(B64, ' DisableStockChange="false"')}`,
      ),
    );
    if (!read.ok || read.request.operation !== 'AddVaccinations') throw new Error(JSON.stringify(read));
    expect(read.request.softwareId).toBe('SW-1');
    expect(read.request.vaccinnetId).toBe('14700250004');
    expect(read.request.messages.map((m) => m.disableStockChange)).toEqual([true, false]);
    expect(read.request.messages[0]!.kmehr.toString()).toContain('<kmehrmessage');
  });

  it('accepts a default-namespace client and an absent Header', () => {
    const read = readRegistratieRequest(
      envelope(
        `<GetVaccinationsRequest xmlns="${V21}"><SoftwareId xmlns="${MSG}">S</SoftwareId><PatientId xmlns="${MSG}">1</PatientId><vaccinationDateSince xmlns="${MSG}">2021-02-03+01:00</vaccinationDateSince></GetVaccinationsRequest>`,
        '',
      ),
    );
    expect(read).toEqual({ ok: true, request: { operation: 'GetVaccinations', softwareId: 'S', patientId: '1', vaccinationDateSince: '2021-02-03' } });
  });

  it('counts six messages without decoding them: SOAP_TOO_MANY_MESSAGES', () => {
    const read = readRegistratieRequest(add(head + msg().repeat(5) + msg('!!not base64!!')));
    expect(read).toMatchObject({
      ok: false,
      operation: 'AddVaccinations',
      finding: { code: 'SOAP_TOO_MANY_MESSAGES', value: '6', location: `${OP}/Base64EncodedKmehrmessage` },
    });
  });

  it.each([
    ['bad alphabet', '@@@@'],
    ['bad length', 'QUJ'],
    ['padding in the middle', 'QQ==QUJD'],
    ['empty', ''],
  ])('refuses base64 with %s at the message position', (_name, content) => {
    const read = readRegistratieRequest(add(head + msg() + msg(content)));
    expect(read).toMatchObject({ ok: false, finding: { code: 'SOAP_BASE64_INVALID', location: `${OP}/Base64EncodedKmehrmessage[2]` } });
  });

  it.each([
    ['a missing SoftwareId', '<m:PatientId>1</m:PatientId>' + msg(), `${OP}/SoftwareId`, /required element SoftwareId is missing/],
    ['no message', head, `${OP}/Base64EncodedKmehrmessage`, /required element Base64EncodedKmehrmessage is missing/],
    ['elements out of order', `<m:SoftwareId>S</m:SoftwareId>${msg()}<m:PatientId>1</m:PatientId>`, `${OP}/PatientId`, /required element PatientId is missing/],
    ['PatientId after the messages', `${head}${msg()}<m:PatientId>1</m:PatientId>`, `${OP}/PatientId`, /out of order/],
    ['a repeated SoftwareId', `<m:SoftwareId>S</m:SoftwareId>${head}${msg()}`, `${OP}/SoftwareId`, /more than 1 time/],
    ['an unknown element', `${head}<m:Comment>x</m:Comment>${msg()}`, `${OP}/Comment`, /unexpected element Comment/],
    ['a child in the root namespace', `<v:SoftwareId>S</v:SoftwareId>`, `${OP}/SoftwareId`, /must be in namespace/],
    ['a nested element', `<m:SoftwareId><m:x/></m:SoftwareId>`, `${OP}/SoftwareId/x`, /may not contain elements/],
    ['an unknown attribute', `${head}${msg(B64, ' Stock="1"')}`, `${OP}/Base64EncodedKmehrmessage[1]/@Stock`, /not allowed/],
    ['a bad boolean', `${head}${msg(B64, ' DisableStockChange="yes"')}`, `${OP}/Base64EncodedKmehrmessage[1]/@DisableStockChange`, /true, false, 1 or 0/],
    ['stray text', `${head}oops${msg()}`, OP, /text is not allowed/],
  ])('refuses %s with SOAP_CONTRACT and its location', (_name, children, location, detail) => {
    const read = readRegistratieRequest(add(children));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.finding.code).toBe('SOAP_CONTRACT');
    expect(read.finding.location).toBe(location);
    expect(read.finding.message).toMatch(detail);
    expect(read.finding.line).toBe(1);
  });

  it('refuses an invalid vaccinationDateSince', () => {
    const read = readRegistratieRequest(
      envelope(
        `<v:GetVaccinationsRequest xmlns:v="${V21}" xmlns:m="${MSG}">${head}<m:vaccinationDateSince>2021-02-30</m:vaccinationDateSince></v:GetVaccinationsRequest>`,
      ),
    );
    expect(read).toMatchObject({
      ok: false,
      operation: 'GetVaccinations',
      finding: { code: 'SOAP_CONTRACT', location: '/Envelope/Body/GetVaccinationsRequest/vaccinationDateSince', value: '2021-02-30' },
    });
  });

  it('checks the SOAPAction against the body element (quoted or not)', () => {
    const body = add(head + msg());
    expect(readRegistratieRequest(body, '"urn:be:fgov:ehealth:safe:vaccination:AddVaccinations"').ok).toBe(true);
    expect(readRegistratieRequest(body, '""').ok).toBe(true);
    expect(readRegistratieRequest(body, 'urn:be:fgov:ehealth:safe:vaccination:RemoveVaccination')).toMatchObject({
      ok: false,
      finding: { code: 'SOAP_ACTION_MISMATCH', value: 'urn:be:fgov:ehealth:safe:vaccination:RemoveVaccination', location: OP },
    });
  });

  it('refuses unknown operations, other namespaces and response elements', () => {
    for (const el of [
      `<v:UpdateVaccinationRequest xmlns:v="${V21}"/>`,
      `<AddVaccinationsRequest xmlns="urn:other"/>`,
      `<v:AddVaccinationsResponse xmlns:v="${V21}"/>`,
    ]) {
      const read = readRegistratieRequest(envelope(el));
      expect(read).toMatchObject({ ok: false, finding: { code: 'SOAP_OPERATION_UNKNOWN' } });
      expect(read.ok === false && read.operation).toBeUndefined();
    }
  });

  it.each([
    ['SOAP 1.2', `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`, 'SOAP_CONTRACT', /SOAP 1.2 is not supported/],
    ['no Body', `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>`, 'SOAP_CONTRACT', /Body element is missing/],
    [
      'an empty Body',
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body> </s:Body></s:Envelope>`,
      'SOAP_CONTRACT',
      /no operation element/,
    ],
    [
      'two operations',
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><v:GetVaccinationsRequest xmlns:v="${V21}" xmlns:m="${MSG}">${head}</v:GetVaccinationsRequest><x/></s:Body></s:Envelope>`,
      'SOAP_CONTRACT',
      /exactly one element/,
    ],
    ['not well-formed', `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>`, 'XML_MALFORMED', /not well-formed/],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>`, 'XML_ENTITY_DECLARATION', /entity/i],
    [
      'a foreign encoding',
      `<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>`,
      'SOAP_CONTRACT',
      /ISO-8859-1 is not supported/,
    ],
  ])('refuses %s', (_name, xml, code, message) => {
    const read = readRegistratieRequest(Buffer.from(xml));
    expect(read).toMatchObject({ ok: false, finding: { code } });
    expect(read.ok === false && read.finding.message).toMatch(message);
  });

  it('refuses nesting beyond the depth limit and bodies beyond the size limit', () => {
    const deep = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>${'<a>'.repeat(70)}${'</a>'.repeat(70)}</s:Header><s:Body/></s:Envelope>`;
    expect(readRegistratieRequest(Buffer.from(deep))).toMatchObject({ ok: false, finding: { code: 'XML_TOO_DEEP' } });
    expect(readRegistratieRequest(add(head + msg()), undefined, { maxBytes: 100, maxDepth: 64 })).toMatchObject({
      ok: false,
      finding: { code: 'XML_TOO_LARGE' },
    });
  });
});
