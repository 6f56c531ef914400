/**
 * The contract seen from an independent client: the `soap` npm package reads our served WSDL, generates each call,
 * our envelope readers turn the bytes it sent into typed requests, and it parses what our writers answer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding } from '../status/finding.js';
import { KMEHR_NS } from '../contracts/namespaces.js';
import { readBatchRequest } from './envelope/read-batch-request.js';
import { readRegistratieRequest } from './envelope/read-registratie-request.js';
import { callStatus, messageStatus } from '../status/message-status.js';
import { writeDeliveryResponse, writeResultResponse } from '../contracts/write-batch-response.js';
import { writeAddVaccinationsResponse, writeGetVaccinationsResponse, writeRemoveVaccinationResponse } from './envelope/write-registratie-response.js';
import { startRecordingSoapServer, type RecordingSoapServer } from './testing/recording-soap-server.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const samples = path.resolve(repoRoot, '../shared/kmehr/samples');
const kmehrXsd = path.resolve(repoRoot, '../shared/kmehr/schema/ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
const sample = readFileSync(path.join(samples, 'freehealth-connector/addvaccination.xml'));
const sample2 = readFileSync(path.join(samples, 'vitalink-evs/vaccination/vaccination-with-cdatc-and-batch.xml'));

let server: RecordingSoapServer;
let answer = '';

beforeAll(async () => {
  server = await startRecordingSoapServer(() => ({ body: answer }));
});
afterAll(async () => {
  await server.close();
});

function lastCall(): { body: Buffer; soapAction: string | undefined } {
  const call = server.calls.at(-1);
  if (call === undefined) throw new Error('no call recorded');
  return call;
}

describe('RegistratieService through the soap client', () => {
  it('builds AddVaccinations from the served WSDL, is read by our reader, and parses our answer', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl('VaccinationService-2_1'));
    answer = writeAddVaccinationsResponse({
      status: callStatus([], [[], [finding('PROBABLE_DUPLICATE', { location: '/kmehrmessage/folder[1]/transaction[1]', params: { detail: 'x' } })]]),
      patientId: '85071412330',
      results: [
        {
          kmehrId: '07142016083331.1',
          status: messageStatus([]),
          vaccinationId: { value: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', source: 'Vaccinnet' },
          stocked: 0,
        },
        {
          kmehrId: '99999999.99999999',
          status: messageStatus([finding('PROBABLE_DUPLICATE', { location: '/kmehrmessage', params: { detail: 'x' } })]),
          vaccinationId: { value: 'B1', source: 'Vaccinnet' },
        },
      ],
    });
    const [result] = await client.AddVaccinationsAsync({
      SoftwareId: 'SW-1',
      VaccinnetId: '14700250004',
      PatientId: '85071412330',
      Base64EncodedKmehrmessage: [{ attributes: { DisableStockChange: true }, $value: sample.toString('base64') }, sample2.toString('base64')],
    });

    const call = lastCall();
    expect(call.soapAction).toContain('urn:be:fgov:ehealth:safe:vaccination:AddVaccinations');
    const read = readRegistratieRequest(call.body, call.soapAction);
    expect(read.ok).toBe(true);
    if (!read.ok || read.request.operation !== 'AddVaccinations') throw new Error('unexpected');
    expect(read.request.softwareId).toBe('SW-1');
    expect(read.request.vaccinnetId).toBe('14700250004');
    expect(read.request.patientId).toBe('85071412330');
    expect(read.request.messages).toHaveLength(2);
    expect(read.request.messages[0]!.kmehr.equals(sample)).toBe(true);
    expect(read.request.messages[0]!.disableStockChange).toBe(true);
    expect(read.request.messages[1]!.kmehr.equals(sample2)).toBe(true);
    expect(read.request.messages[1]!.disableStockChange).toBeUndefined();

    expect(result.Status).toEqual({ Code: 'OK_WITH_WARNINGS', Message: 'Accepted with warnings.' });
    expect(result.PatientId).toBe('85071412330');
    expect(result.Results).toHaveLength(2);
    expect(result.Results[0].KmehrId).toBe('07142016083331.1');
    expect(result.Results[0].Status).toEqual({ Code: 'OK', Message: 'Accepted.' });
    expect(result.Results[0].VaccinationId.attributes.Source).toBe('Vaccinnet');
    expect(result.Results[0].VaccinationId.$value).toBe('A1B2C3D4E5F60718293A4B5C6D7E8F90');
    expect(result.Results[0].Stocked).toBe(0);
    expect(result.Results[1].Status.Code).toBe('OK_WITH_WARNINGS');
    expect(result.Results[1].Status.Message).toMatch(/^PROBABLE_DUPLICATE: /);
  });

  it('builds RemoveVaccination and GetVaccinations; our answers parse back', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl('VaccinationService-2_1'));
    answer = writeRemoveVaccinationResponse({ status: messageStatus([]), patientId: '85071412330', vaccinationId: 'A1B2' });
    const [removed] = await client.RemoveVaccinationAsync({ SoftwareId: 'SW-1', PatientId: '85071412330', VaccinationId: 'A1B2' });
    let read = readRegistratieRequest(lastCall().body, lastCall().soapAction);
    expect(read).toEqual({ ok: true, request: { operation: 'RemoveVaccination', softwareId: 'SW-1', patientId: '85071412330', vaccinationId: 'A1B2' } });
    expect(removed).toEqual({ Status: { Code: 'OK', Message: 'Accepted.' }, PatientId: '85071412330', VaccinationId: 'A1B2' });

    answer = writeGetVaccinationsResponse({ status: messageStatus([]), patientId: '85071412330', kmehr: sample });
    const [got] = await client.GetVaccinationsAsync({ SoftwareId: 'SW-1', PatientId: '85071412330', vaccinationDateSince: '2021-01-01' });
    read = readRegistratieRequest(lastCall().body, lastCall().soapAction);
    expect(read).toEqual({
      ok: true,
      request: { operation: 'GetVaccinations', softwareId: 'SW-1', patientId: '85071412330', vaccinationDateSince: '2021-01-01' },
    });
    expect(Buffer.from(got.Base64EncodedKmehr, 'base64').equals(sample)).toBe(true);
  });
});

describe('BatchUpload through the soap client', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-soap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers an inline KMEHR message that we extract as a standalone, XSD-valid document', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl('UPLVaccinatieGegevens'));
    answer = writeDeliveryResponse('Aanleveren', { transactionId: 'T-42' });
    // xs:any: the KMEHR goes in as raw XML under the KMEHR element; its children use the default namespace.
    const inner = sample2
      .toString('utf8')
      .replace(/^<\?xml[^>]*\?>/, '')
      .replace(/^\s*<kmehrmessage[^>]*>/, '')
      .replace(/<\/kmehrmessage>\s*$/, '');
    const [delivered] = await client.AanleverenVaccinatieGegevensAsync({
      extraInfo: { type: 'auth_eHealth_org', pakket: 'DXC_VACCINNET_TEST' },
      'kmehr:kmehrmessage': { attributes: { 'xmlns:kmehr': KMEHR_NS, xmlns: KMEHR_NS }, $xml: inner },
    });
    expect(delivered).toEqual({ certificaatStatus: true, transactionId: 'T-42' });

    const call = lastCall();
    const read = readBatchRequest(call.body, call.soapAction);
    if (!read.ok || read.request.operation !== 'Aanleveren') throw new Error(`unexpected ${JSON.stringify(read)}`);
    expect(read.request.extraInfo).toEqual({ type: 'auth_eHealth_org', pakket: 'DXC_VACCINNET_TEST' });
    const file = path.join(dir, 'extracted.xml');
    writeFileSync(file, read.request.kmehr);
    // The official KMEHR XSD accepts the extracted document on its own.
    expect(execFileSync('xmllint', ['--noout', '--schema', kmehrXsd, file], { stdio: 'pipe' }).toString()).toBe('');
    expect(read.request.kmehr.toString()).toContain('<id S="ID-KMEHR" SV="1.0">99999999.99999999</id>');
  });

  it('asks for a result and parses folderResult back', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl('UPLVaccinatieGegevens'));
    answer = writeResultResponse([
      {
        ids: [{ S: 'ID-KMEHR', SV: '1.0', value: '1' }],
        patient: '85071412330',
        transactions: [
          {
            ids: [
              { S: 'ID-KMEHR', SV: '1.0', value: '1' },
              { S: 'LOCAL', SL: 'org-uuid', SV: '1.0', value: 'u-1' },
            ],
            resultCode: 'OK',
          },
          { ids: [{ S: 'ID-KMEHR', SV: '1.0', value: '2' }], resultCode: 'COVID_LOT_MISSING', resultTekst: 'no lot' },
        ],
      },
    ]);
    const [res] = await client.ResultaatVerwerkingVaccinatieGegevensAsync({ requestId: 'T-42', gebruikersId: 'ORG1' });
    const read = readBatchRequest(lastCall().body, lastCall().soapAction);
    expect(read).toEqual({ ok: true, request: { operation: 'ResultaatVerwerking', requestId: 'T-42', gebruikersId: 'ORG1' } });
    expect(res.folderResult).toHaveLength(1);
    const folder = res.folderResult[0];
    expect(folder.patient).toBe('85071412330');
    expect(folder.transaction).toHaveLength(2);
    expect(folder.transaction[0].id[1]).toEqual({ attributes: { S: 'LOCAL', SL: 'org-uuid', SV: '1.0' }, $value: 'u-1' });
    expect(folder.transaction[1]).toMatchObject({ resultCode: 'COVID_LOT_MISSING', resultTekst: 'no lot' });
  });
});
