import { describe, expect, it } from 'vitest';
import { finding } from '../status/finding.js';
import { writeFault } from '../soap/envelope/write-fault.js';
import { callStatus, messageStatus } from '../status/message-status.js';
import { writeAddVaccinationsResponse } from '../soap/envelope/write-registratie-response.js';
import { readAddVaccinationsResponse, SoapFaultError } from './registratie-responses.js';

describe('client response reader', () => {
  it('reads what the server writes: call status, per-message status and VaccinationId with its Source', () => {
    const xml = writeAddVaccinationsResponse({
      status: callStatus([], [[]]),
      patientId: '85071412330',
      results: [{ kmehrId: 'K1', status: messageStatus([]), vaccinationId: { value: 'ABC', source: 'Vaccinnet' }, stocked: 2 }],
    });
    expect(readAddVaccinationsResponse(xml)).toEqual({
      status: { code: 'OK', message: 'Accepted.' },
      patientId: '85071412330',
      results: [{ kmehrId: 'K1', status: { code: 'OK', message: 'Accepted.' }, vaccinationId: 'ABC', source: 'Vaccinnet', stocked: 2 }],
    });
  });

  it('turns a SOAP Fault into a SoapFaultError carrying our code', () => {
    const xml = writeFault(finding('XML_DOCTYPE_FORBIDDEN'));
    let caught: unknown;
    try {
      readAddVaccinationsResponse(xml, 500);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SoapFaultError);
    expect((caught as SoapFaultError).code).toBe('XML_DOCTYPE_FORBIDDEN');
    expect((caught as SoapFaultError).faultcode).toBe('soap:Client');
    expect((caught as SoapFaultError).httpStatus).toBe(500);
  });
});
