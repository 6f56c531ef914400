import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finding } from '../../status/finding.js';
import { contractFilePath } from '../../contracts/render-contract.js';
import { replyToBatchFailure, replyToRegistratieFailure } from './reply-to-read-failure.js';
import { callStatus, MAX_FINDINGS_PER_MESSAGE, messageStatus } from '../../status/message-status.js';
import { transactionOutcome, writeDeliveryResponse, writeResultResponse, writeResultResponseChunks } from '../../contracts/write-batch-response.js';
import { writeFault } from './write-fault.js';
import {
  writeAddVaccinationsResponse,
  writeGetVaccinationsResponse,
  writeRegistratieRefusal,
  writeRemoveVaccinationResponse,
} from './write-registratie-response.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-soap-xsd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Validates the Body's child of one of our envelopes against our XSD with Debian's xmllint. */
function validate(envelope: string, xsd: string): string {
  const m = /<soap:Body>(.*)<\/soap:Body>/s.exec(envelope);
  if (m === null) throw new Error('no Body');
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, m[1]!);
  try {
    execFileSync('xmllint', ['--noout', '--schema', contractFilePath(xsd), file], { stdio: 'pipe' });
    return 'valid';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

const lot = finding('COVID_LOT_MISSING', { location: '/kmehrmessage/folder[1]/transaction[1]/item[1]' });
const dup = finding('PROBABLE_DUPLICATE', { location: '/kmehrmessage/folder[1]/transaction[1]', params: { detail: 'same day' } });
const V21 = 'VaccinationService-2_1.xsd';
const UPL = 'UPLVaccinatieGegevens.xsd';

describe('RegistratieService responses', () => {
  it('validate against our XSD, with escaping of markup in texts', () => {
    const full = writeAddVaccinationsResponse({
      status: callStatus([], [[], [lot]]),
      patientId: '85071412330',
      results: [
        { kmehrId: '1 <&> "2"', status: messageStatus([dup]), vaccinationId: { value: 'A1B2', source: 'Vaccinnet & "co"' }, stocked: 1 },
        { kmehrId: '2', status: messageStatus([lot, dup]) },
      ],
    });
    expect(validate(full, V21)).toBe('valid');
    expect(full).toContain('<m:KmehrId>1 &lt;&amp;&gt; "2"</m:KmehrId>');
    expect(full).toContain('Source="Vaccinnet &amp; &quot;co&quot;"');
    expect(validate(writeAddVaccinationsResponse({ status: callStatus([]) }), V21)).toBe('valid');
    expect(validate(writeRemoveVaccinationResponse({ status: messageStatus([]), patientId: '1', vaccinationId: 'A1' }), V21)).toBe('valid');
    expect(validate(writeGetVaccinationsResponse({ status: messageStatus([]), patientId: '1', kmehr: '<kmehrmessage/>' }), V21)).toBe('valid');
    for (const op of ['AddVaccinations', 'RemoveVaccination', 'GetVaccinations'] as const) {
      expect(validate(writeRegistratieRefusal(op, finding('SOFTWARE_ID_NOT_REGISTERED', { value: 'X' }), 'nl'), V21)).toBe('valid');
    }
  });

  it('an invalid response is caught by the same check (the check is not vacuous)', () => {
    const broken = writeRemoveVaccinationResponse({ status: messageStatus([]) })
      .replace('<m:Status>', '<m:Stat>')
      .replace('</m:Status>', '</m:Stat>');
    expect(validate(broken, V21)).toMatch(/Stat/);
  });
});

describe('status mapping', () => {
  it('per message: first error code, all findings in one Message, errors first', () => {
    expect(messageStatus([])).toEqual({ code: 'OK', message: 'Accepted.' });
    expect(messageStatus([dup])).toMatchObject({ code: 'OK_WITH_WARNINGS', message: `PROBABLE_DUPLICATE: ${dup.message}` });
    const s = messageStatus([dup, lot], 'nl');
    expect(s.code).toBe('COVID_LOT_MISSING');
    expect(s.message.split(' | ').map((p) => p.split(':')[0])).toEqual(['COVID_LOT_MISSING', 'PROBABLE_DUPLICATE']);
    const many = messageStatus(Array.from({ length: MAX_FINDINGS_PER_MESSAGE + 3 }, () => lot));
    expect(many.message.endsWith('(+3 more)')).toBe(true);
  });

  it('call level: call error wins, then all/some refused, then warnings', () => {
    const refusal = finding('PROFILE_NONE');
    expect(callStatus([refusal], [[]]).code).toBe('PROFILE_NONE');
    expect(callStatus([], [[lot], [lot]])).toEqual({
      code: 'SOAP_ALL_REFUSED',
      message: 'None of the 2 KMEHR messages was accepted; see the Status of each result.',
    });
    expect(callStatus([], [[], [lot]], 'fr').code).toBe('SOAP_SOME_REFUSED');
    expect(callStatus([], [[dup], []]).code).toBe('OK_WITH_WARNINGS');
    expect(callStatus([], [[], []])).toEqual({ code: 'OK', message: 'Accepted.' });
  });
});

describe('faults', () => {
  it('SOAP 1.1 Fault with code, location and value in detail; Client vs Server', () => {
    const f = finding('SOAP_CONTRACT', {
      location: '/Envelope/Body/AddVaccinationsRequest/SoftwareId',
      value: '<x>',
      line: 1,
      column: 20,
      params: { detail: 'required element SoftwareId is missing' },
    });
    const xml = writeFault(f);
    expect(xml).toContain('<faultcode>soap:Client</faultcode>');
    expect(xml).toContain(
      '<faultstring>SOAP_CONTRACT: The request does not match the service contract at /Envelope/Body/AddVaccinationsRequest/SoftwareId: required element SoftwareId is missing.</faultstring>',
    );
    expect(xml).toContain('<st:code>SOAP_CONTRACT</st:code>');
    expect(xml).toContain('<st:value>&lt;x&gt;</st:value>');
    expect(xml).toContain('<st:retry>false</st:retry>');
    expect(writeFault(finding('INTERNAL_ERROR', { params: { reference: 'r-1' } }), 'nl')).toContain('<faultcode>soap:Server</faultcode>');
    expect(xml).not.toMatch(/\bat .*\.ts:\d+/);
    expect(execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: 'pipe' }).toString()).toBe('');
  });

  it('read failures: fault for fault-level codes, call-level response otherwise', () => {
    const contract = replyToRegistratieFailure(finding('SOAP_CONTRACT', { location: '/', params: { detail: 'x' } }), 'AddVaccinations');
    expect(contract.httpStatus).toBe(500);
    expect(contract.body).toContain('<soap:Fault>');
    const tooMany = replyToRegistratieFailure(finding('SOAP_TOO_MANY_MESSAGES', { value: '6' }), 'AddVaccinations');
    expect(tooMany.httpStatus).toBe(200);
    expect(tooMany.body).toContain('<m:Code>SOAP_TOO_MANY_MESSAGES</m:Code>');
    expect(validate(tooMany.body, V21)).toBe('valid');
    expect(replyToRegistratieFailure(finding('SOAP_TOO_MANY_MESSAGES', { value: '6' })).httpStatus).toBe(500);
    const batch = replyToBatchFailure(finding('SOFTWARE_ID_NOT_REGISTERED', { value: 'X' }), 'Aanvulling');
    expect(batch.body).toContain('<upl:foutCode>SOFTWARE_ID_NOT_REGISTERED</upl:foutCode>');
    expect(validate(batch.body, UPL)).toBe('valid');
    expect(validate(replyToBatchFailure(finding('BATCH_NOT_PROCESSED', { value: 'T1' }), 'ResultaatVerwerking').body, UPL)).toBe('valid');
  });
});

describe('BatchUpload responses', () => {
  it('validate against our XSD', () => {
    expect(validate(writeDeliveryResponse('Aanleveren', { transactionId: 'T-1' }), UPL)).toBe('valid');
    expect(validate(writeDeliveryResponse('Aanvulling', { foutCode: 'KMEHR_XSD_INVALID', foutOmschrijving: 'x < y' }), UPL)).toBe('valid');
    const folders = [
      {
        ids: [{ S: 'ID-KMEHR', SV: '1.0', value: '1' }],
        patient: '85071412330',
        patientTekst: 'unknown person',
        transactions: [
          {
            ids: [
              { S: 'ID-KMEHR', SV: '1.0', value: '1' },
              { S: 'LOCAL', SL: 'uuid', SV: '1.0', value: 'a-1' },
            ],
            ...transactionOutcome([]),
          },
          { ids: [{ S: 'ID-KMEHR', value: '2' }], ...transactionOutcome([lot]) },
        ],
      },
    ];
    const xml = writeResultResponse(folders);
    expect(validate(xml, UPL)).toBe('valid');
    expect([...writeResultResponseChunks(folders)].join('')).toBe(xml);
    expect(transactionOutcome([])).toEqual({ resultCode: 'OK' });
    expect(transactionOutcome([lot]).resultCode).toBe('COVID_LOT_MISSING');
    expect(validate(writeResultResponse({ foutCode: 'BATCH_REQUEST_UNKNOWN', foutOmschrijving: 'no' }), UPL)).toBe('valid');
  });
});
