import { describe, expect, it } from 'vitest';
import { writeFault } from '../soap/envelope/write-fault.js';
import { formatMessage } from './catalogue.js';
import { bound, echoParam, ECHO_MAX } from './echo.js';
import { echoedValue, finding, localise } from './finding.js';

describe('echoed values (issue 11.5)', () => {
  it('cuts a value at 64 characters and adds an ellipsis; shorter ones stay', () => {
    expect(bound('a'.repeat(64))).toBe('a'.repeat(64));
    expect(bound('a'.repeat(65))).toBe(`${'a'.repeat(64)}…`);
    // A surrogate pair cut in half is dropped whole, never half a character.
    expect(bound(`${'a'.repeat(63)}😀b`)).toBe(`${'a'.repeat(63)}…`);
  });

  it('every text of a finding is bounded, in every language, whatever the code', () => {
    const f = finding('SOFTWARE_ID_MALFORMED', { value: 'y'.repeat(1_000_000), params: { detail: 'd'.repeat(10_000) } });
    for (const text of [f.message, localise(f, 'nl'), localise(f, 'fr')]) {
      expect(text.length).toBeLessThan(600);
      expect(text).toContain(`${'y'.repeat(ECHO_MAX)}…`);
    }
    expect(f.value).toHaveLength(1_000_000); // kept whole for the code that judges it
  });

  it('masks the INSZ of INSZ codes valid or not, and any value at a patient id location', () => {
    expect(finding('INSZ_CHECKSUM', { location: 'PatientId', value: '85071412331' }).message).toBe(
      'The INSZ/SSIN 850714***** at PatientId has wrong check digits.',
    );
    expect(finding('INSZ_FORMAT', { location: 'PatientId', value: "0' OR '1'='1" }).message).toContain('The INSZ/SSIN *********** at');
    expect(finding('INSZ_UNKNOWN', { location: '/kmehrmessage/folder[1]/patient/id', value: '95101005561' }).message).toContain('951010*****');
    expect(finding('PATIENT_ID_MISMATCH', { location: '/kmehrmessage/folder[1]/patient/id', value: '85071412330' }).message).toContain('850714*****');
    // An XSD or contract code about a patient id: masked through its location.
    expect(echoParam('KMEHR_XSD_INVALID', 'value', '85071412330', '/kmehrmessage/folder[1]/patient/id[2]')).toBe('850714*****');
    expect(echoParam('SOAP_CONTRACT', 'value', '85071412330', '/Envelope/Body/GetVaccinationsRequest/PatientId')).toBe('850714*****');
    // Not an INSZ: a NIHII is public and stays.
    expect(echoParam('NIHII_CHECKSUM', 'value', '14700250005', '/kmehrmessage/header/sender/hcparty/id')).toBe('14700250005');
    // Already masked (a stored finding rendered again): unchanged.
    expect(echoParam('INSZ_CHECKSUM', 'value', '850714*****', 'PatientId')).toBe('850714*****');
  });

  it('masks an SSIN in a certificate subject wherever it appears', () => {
    expect(finding('PROFILE_NONE', { value: 'CN="SSIN=70031510167, An Peeters"' }).message).toBe(
      'No Vaccinnet profile exists for CN="SSIN=700315*****, An Peeters".',
    );
  });

  it('a certificate subject is echoed up to 256 characters (its CN and SSIN come last), still bounded', () => {
    const subject = 'C=BE, O=Federal Government, OU=eHealth-platform Belgium, OU=Vaccinnet test, CN="SSIN=85071412330, Some Doctor"';
    expect(finding('AUTH_CERT_REVOKED', { value: subject }).message).toContain('CN="SSIN=850714*****, Some Doctor"');
    expect(finding('AUTH_CERT_SUBJECT', { value: `${subject}${'x'.repeat(10_000)}` }).message.length).toBeLessThan(400);
    expect(finding('SOFTWARE_ID_MALFORMED', { value: subject }).message).not.toContain('Some Doctor');
  });

  it('says a missing value is missing instead of printing "?"', () => {
    expect(formatMessage('USER_CODE_MISMATCH', { location: 'gebruikersId' })).toContain('gebruikersId is (missing)');
    expect(formatMessage('USER_CODE_MISMATCH', {}, 'nl')).not.toContain('?');
    expect(formatMessage('USER_CODE_MISMATCH', {})).toContain("header/sender/hcparty/id[@S='LOCAL']");
  });

  it("a SOAP Fault's detail carries the bounded, masked value", () => {
    const f = finding('INSZ_CHECKSUM', { location: 'PatientId', value: '85071412331' });
    expect(echoedValue(f)).toBe('850714*****');
    const xml = writeFault(finding('SOAP_CONTRACT', { location: '/x', value: 'z'.repeat(5000), params: { detail: 'too long' } }));
    expect(xml).toContain(`<st:value>${'z'.repeat(64)}…</st:value>`);
    expect(xml.length).toBeLessThan(2000);
    expect(writeFault(f)).not.toContain('85071412331');
  });
});
