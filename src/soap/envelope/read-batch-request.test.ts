import { describe, expect, it } from 'vitest';
import { readBatchRequest } from './read-batch-request.js';

const UPL = 'http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens';
const KMEHR = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';
const S = 'http://schemas.xmlsoap.org/soap/envelope/';

function envelope(body: string, envAttrs = ''): Buffer {
  return Buffer.from(`<s:Envelope xmlns:s="${S}"${envAttrs}><s:Body>${body}</s:Body></s:Envelope>`);
}
const extra = '<u:extraInfo><u:type>auth_eHealth_org</u:type><u:pakket>PKG</u:pakket></u:extraInfo>';
const OP = '/Envelope/Body/GetAanleverenVaccinatieGegevensRequest';

describe('readBatchRequest', () => {
  it('extracts the inline KMEHR as submitted, its root carrying the namespace declarations it inherited', () => {
    const read = readBatchRequest(
      envelope(
        `<u:GetAanleverenVaccinatieGegevensRequest xmlns:u="${UPL}">${extra}<k:kmehrmessage><k:header a="x&#10;y"><k:name>A &amp; B <![CDATA[<c>]]></k:name><k:empty/></k:header><!-- kept --></k:kmehrmessage></u:GetAanleverenVaccinatieGegevensRequest>`,
        ` xmlns:k="${KMEHR}"`,
      ),
      'urn:be:vaccinnet:wupl:UPLVaccinatieGegevens:AanleverenVaccinatieGegevens',
    );
    if (!read.ok || read.request.operation !== 'Aanleveren') throw new Error(JSON.stringify(read));
    expect(read.request.extraInfo).toEqual({ type: 'auth_eHealth_org', pakket: 'PKG' });
    expect(read.request.kmehr.toString()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<k:kmehrmessage xmlns:s="${S}" xmlns:k="${KMEHR}" xmlns:u="${UPL}">` +
        '<k:header a="x&#10;y"><k:name>A &amp; B <![CDATA[<c>]]></k:name><k:empty/></k:header><!-- kept --></k:kmehrmessage>',
    );
  });

  it('copies a root with attributes, a self-closing root, and an end tag with whitespace', () => {
    const body = (k: string): Buffer =>
      envelope(`<u:GetAanleverenVaccinatieGegevensRequest xmlns:u="${UPL}">${extra}${k}</u:GetAanleverenVaccinatieGegevensRequest>`);
    const a = readBatchRequest(body(`<kmehrmessage xmlns="${KMEHR}" x="&lt;1"><header/></kmehrmessage   >`));
    expect(a.ok && a.request.operation !== 'ResultaatVerwerking' && a.request.kmehr.toString()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<kmehrmessage xmlns:s="${S}" xmlns:u="${UPL}" xmlns="${KMEHR}" x="&lt;1"><header/></kmehrmessage>`,
    );
    const b = readBatchRequest(body(`<kmehrmessage xmlns="${KMEHR}"/>`));
    expect(b.ok && b.request.operation !== 'ResultaatVerwerking' && b.request.kmehr.toString()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<kmehrmessage xmlns:s="${S}" xmlns:u="${UPL}" xmlns="${KMEHR}"/>`,
    );
  });

  it('reads ResultaatVerwerking and Aanvulling', () => {
    expect(
      readBatchRequest(
        envelope(
          `<GetResultaatVerwerkingVaccinatieGegevensRequest xmlns="${UPL}"><requestId> T-1 </requestId><gebruikersId>ORG1</gebruikersId></GetResultaatVerwerkingVaccinatieGegevensRequest>`,
        ),
      ),
    ).toEqual({ ok: true, request: { operation: 'ResultaatVerwerking', requestId: 'T-1', gebruikersId: 'ORG1' } });
    const read = readBatchRequest(
      envelope(
        `<u:GetAanvullingVaccinatieGegevensRequest xmlns:u="${UPL}">${extra}<kmehrmessage xmlns="${KMEHR}"/></u:GetAanvullingVaccinatieGegevensRequest>`,
      ),
    );
    expect(read.ok && read.request.operation).toBe('Aanvulling');
  });

  it.each([
    ['no extraInfo', `<kmehrmessage xmlns="${KMEHR}"/>`, `${OP}/extraInfo`, /required element extraInfo is missing/],
    ['no pakket', `<u:extraInfo><u:type>t</u:type></u:extraInfo><kmehrmessage xmlns="${KMEHR}"/>`, `${OP}/extraInfo/pakket`, /required element pakket/],
    ['no KMEHR', extra, `${OP}/kmehrmessage`, /required element kmehrmessage is missing/],
    [
      'a KMEHR in the wrong namespace',
      `${extra}<u:kmehrmessage/>`,
      `${OP}/kmehrmessage`,
      /must be in the KMEHR namespace http:\/\/www\.ehealth\.fgov\.be\/standards\/kmehr\/schema\/v1,/,
    ],
    [
      'a KMEHR in another namespace',
      `${extra}<kmehrmessage xmlns="urn:other"/>`,
      `${OP}/kmehrmessage`,
      /must be in the KMEHR namespace http:\/\/www\.ehealth\.fgov\.be\/standards\/kmehr\/schema\/v1, not "urn:other"/,
    ],
    [
      'a KMEHR in no namespace',
      `${extra}<kmehrmessage/>`,
      `${OP}/kmehrmessage`,
      /must be in the KMEHR namespace http:\/\/www\.ehealth\.fgov\.be\/standards\/kmehr\/schema\/v1, not ""/,
    ],
    ['another KMEHR element', `${extra}<folder xmlns="${KMEHR}"/>`, `${OP}/folder`, /must be kmehrmessage/],
    ['two KMEHR messages', `${extra}<kmehrmessage xmlns="${KMEHR}"/><kmehrmessage xmlns="${KMEHR}"/>`, `${OP}/kmehrmessage`, /more than 1 time/],
    ['base64 instead of inline XML', `${extra}<u:kmehrmessage>PGttZWhy</u:kmehrmessage>`, `${OP}/kmehrmessage`, /must be in the KMEHR namespace/],
  ])('refuses %s with SOAP_CONTRACT at its location', (_name, children, location, detail) => {
    const read = readBatchRequest(
      envelope(`<u:GetAanleverenVaccinatieGegevensRequest xmlns:u="${UPL}">${children}</u:GetAanleverenVaccinatieGegevensRequest>`),
    );
    expect(read).toMatchObject({ ok: false, operation: 'Aanleveren', finding: { code: 'SOAP_CONTRACT', location } });
    expect(read.ok === false && read.finding.message).toMatch(detail);
  });

  it('refuses a SOAPAction of another operation and unknown operations', () => {
    const body = envelope(
      `<u:GetAanleverenVaccinatieGegevensRequest xmlns:u="${UPL}">${extra}<kmehrmessage xmlns="${KMEHR}"/></u:GetAanleverenVaccinatieGegevensRequest>`,
    );
    expect(readBatchRequest(body, 'urn:be:vaccinnet:wupl:UPLVaccinatieGegevens:AanvullingVaccinatieGegevens')).toMatchObject({
      ok: false,
      finding: { code: 'SOAP_ACTION_MISMATCH' },
    });
    expect(readBatchRequest(envelope(`<u:GetOtherRequest xmlns:u="${UPL}"/>`))).toMatchObject({
      ok: false,
      finding: { code: 'SOAP_OPERATION_UNKNOWN', value: `{${UPL}}GetOtherRequest` },
    });
  });
});
