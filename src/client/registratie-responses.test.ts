import { describe, expect, it } from 'vitest';
import { finding } from '../status/finding.js';
import { writeFault } from '../soap/envelope/write-fault.js';
import { callStatus, messageStatus } from '../status/message-status.js';
import { writeAddVaccinationsResponse } from '../soap/envelope/write-registratie-response.js';
import type { AddVaccinationsReply } from '../contracts/registratie-replies.js';
import { readAddVaccinationsResponse, SoapFaultError } from './registratie-responses.js';

describe('client response reader', () => {
  it('reads what the server writes: call status, per-message status and VaccinationId with its Source', () => {
    // One contract shape on both sides: what the server writes from, the client reads back, field for field.
    const reply = {
      status: callStatus([], [[]]),
      patientId: '85071412330',
      results: [{ kmehrId: 'K1', status: messageStatus([]), vaccinationId: { value: 'ABC', source: 'Vaccinnet' }, stocked: 2 }],
    } satisfies AddVaccinationsReply;
    expect(readAddVaccinationsResponse(writeAddVaccinationsResponse(reply))).toEqual(reply);
    expect(reply.status).toEqual({ code: 'OK', message: 'Accepted.' });
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
