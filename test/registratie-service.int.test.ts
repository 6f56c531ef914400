/**
 * RegistratieService end to end (issue 4): the real server on a free port with a fresh SQLite database, the
 * development CA and demo profiles; the `soap` npm package as an independent client generated from the served WSDL,
 * signing with WS-Security X.509 using the doctors' issued .p12 files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistrationMessage, type RegistrationInput } from '../src/client/registration-message.js';
import { RegistratieClient } from '../src/client/registratie-client.js';
import { addVaccinationsEnvelope } from '../src/client/registratie-requests.js';
import { readAddVaccinationsResponse } from '../src/client/registratie-responses.js';
import { SoapTransport } from '../src/client/soap-transport.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import type { KmehrMessage } from '../src/kmehr/model.js';
import { parseKmehr } from '../src/kmehr/parse-kmehr.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { createXsdValidator } from '../src/kmehr/xsd/xsd-validator.js';
import { TestCa } from '../src/pki/test-ca.js';
import { DOCTORS, PATIENTS, UNREGISTERED_INSZ } from '../src/registry/demo-personas.js';
import { VACCINATION_ID_SL } from '../src/registry/history-message.js';
import { signEnvelope } from '../src/wssec/sign-envelope.js';
import { SCHEMA_DIR, startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const WSDL_PATH = '/VaccinnetUPL/wupl/VaccinationService-2_1?wsdl';
const reference = defaultVaccineReference();
let t: RegistryUnderTest;
let counter = 0;

interface Key {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly certificateDer: Buffer;
}

const peeters = DOCTORS.peeters;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

function message(overrides: Partial<RegistrationInput> = {}): KmehrMessage {
  counter += 1;
  return buildRegistrationMessage(
    {
      sender: { nihii: peeters.nihii, ssin: peeters.ssin, name: 'An Peeters' },
      patient: { insz: PATIENTS.emma.insz },
      product: { cnk: '4293254' },
      date: yesterday,
      lot: 'FK1234',
      now: { date: new Date().toISOString().slice(0, 10), time: '10:00:00', millis: Date.now() * 100 + counter },
      ...overrides,
    },
    reference,
  );
}

const b64 = (m: KmehrMessage | string): string => Buffer.from(typeof m === 'string' ? m : writeKmehr(m)).toString('base64');

/** A soap-package client from the served WSDL, signing with WSSecurityCert when a key is given. */
async function soapClient(key?: Key): Promise<soap.Client> {
  const client = await soap.createClientAsync(`${t.url}${WSDL_PATH}`, { wsdl_options: { httpsAgent: t.agent } });
  if (key) client.setSecurity(new soap.WSSecurityCert(key.privateKeyPem, key.certificatePem, ''));
  return client;
}

interface AddResult {
  Status: { Code: string; Message: string };
  PatientId?: string;
  Results?: { KmehrId: string; Status?: { Code: string; Message: string }; VaccinationId?: { $value: string; attributes: { Source: string } } }[];
}

async function add(key: Key | undefined, messages: string[], patientId = PATIENTS.emma.insz, softwareId = 'taktik_medispring'): Promise<AddResult> {
  const client = await soapClient(key);
  const [result] = (await client.AddVaccinationsAsync(
    { SoftwareId: softwareId, PatientId: patientId, Base64EncodedKmehrmessage: messages },
    { httpsAgent: t.agent },
  )) as [AddResult];
  return result;
}

let doctor: Key;

beforeAll(async () => {
  t = await startRegistryUnderTest();
  doctor = t.credentials('peeters');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('RegistratieService with the soap package as independent client (WS-Security X.509)', () => {
  it('serves a WSDL the soap package generates all three operations from', async () => {
    const client = await soapClient();
    const ops = Object.keys(Object.values(Object.values(client.describe())[0] as object)[0] as object);
    expect(ops.sort()).toEqual(['AddVaccinations', 'GetVaccinations', 'RemoveVaccination']);
  });

  it('AddVaccinations with one message stores the vaccination and answers its VaccinationId', async () => {
    const result = await add(doctor, [b64(message())]);
    expect(result.Status.Code).toBe('OK');
    expect(result.PatientId).toBe(PATIENTS.emma.insz);
    expect(result.Results).toHaveLength(1);
    const r = result.Results![0]!;
    expect(r.Status?.Code).toBe('OK');
    expect(r.VaccinationId?.attributes.Source).toBe('Vaccinnet');
    const id = r.VaccinationId!.$value;
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    const stored = await t.registry.ports.vaccinations.getVaccination(PATIENTS.emma.insz, id);
    expect(stored).toMatchObject({ status: 'active', lot: 'FK1234', administeredOn: yesterday, channel: 'registratie', softwareId: 'taktik_medispring' });
    expect(stored?.product.cnk).toBe('4293254');
    expect(stored?.product.indications).toContain('covid19');
  });

  it('AddVaccinations with five messages stores five doses with five ids, in order', async () => {
    const cnks = ['1665363', '1734094', '4293254', '4301081', '1665363'];
    const dates = ['2024-01-10', '2024-02-10', '2024-03-10', '2024-04-10', '2024-05-10'];
    const messages = cnks.map((cnk, i) => b64(message({ patient: { insz: PATIENTS.jan.insz }, product: { cnk }, date: dates[i]! })));
    const result = await add(doctor, messages, PATIENTS.jan.insz);
    expect(result.Status.Code).toBe('OK');
    expect(result.Results).toHaveLength(5);
    const ids = result.Results!.map((r) => r.VaccinationId!.$value);
    expect(new Set(ids).size).toBe(5);
    const stored = await Promise.all(ids.map((id) => t.registry.ports.vaccinations.getVaccination(PATIENTS.jan.insz, id)));
    expect(stored.map((v) => v?.administeredOn)).toEqual(dates);
    expect(stored.map((v) => v?.product.cnk)).toEqual(cnks);
  });

  it('RemoveVaccination marks it removed; GetVaccinations answers an XSD-valid KMEHR message without it', async () => {
    const keep = (await add(doctor, [b64(message({ patient: { insz: PATIENTS.lotte.insz }, date: '2024-06-01' }))], PATIENTS.lotte.insz)).Results![0]!
      .VaccinationId!.$value;
    const drop = (await add(doctor, [b64(message({ patient: { insz: PATIENTS.lotte.insz }, date: '2024-07-01' }))], PATIENTS.lotte.insz)).Results![0]!
      .VaccinationId!.$value;
    const client = await soapClient(doctor);
    const [removed] = (await client.RemoveVaccinationAsync(
      { SoftwareId: 'taktik_medispring', PatientId: PATIENTS.lotte.insz, VaccinationId: drop },
      { httpsAgent: t.agent },
    )) as [{ Status: { Code: string }; VaccinationId?: string }];
    expect(removed.Status.Code).toBe('OK');
    expect(removed.VaccinationId).toBe(drop);
    expect((await t.registry.ports.vaccinations.getVaccination(PATIENTS.lotte.insz, drop))?.status).toBe('removed');

    const [again] = (await client.RemoveVaccinationAsync(
      { SoftwareId: 'taktik_medispring', PatientId: PATIENTS.lotte.insz, VaccinationId: drop },
      { httpsAgent: t.agent },
    )) as [{ Status: { Code: string } }];
    expect(again.Status.Code).toBe('VACCINATION_ALREADY_REMOVED');

    const [got] = (await client.GetVaccinationsAsync({ SoftwareId: 'taktik_medispring', PatientId: PATIENTS.lotte.insz }, { httpsAgent: t.agent })) as [
      { Status: { Code: string }; PatientId: string; Base64EncodedKmehr: string },
    ];
    expect(got.Status.Code).toBe('OK');
    const kmehr = Buffer.from(got.Base64EncodedKmehr, 'base64');
    expect(createXsdValidator(SCHEMA_DIR).validateBytes(kmehr)).toEqual([]);
    const parsed = parseKmehr(kmehr);
    if (!parsed.ok) throw new Error('unreadable history');
    const ids = parsed.message.folders[0]!.transactions.map((tx) => tx.ids.find((i) => i.sl === VACCINATION_ID_SL)?.value);
    expect(ids).toEqual([keep]);
    expect(parsed.message.folders[0]!.patient.ids[0]!.value).toBe(PATIENTS.lotte.insz);
    expect(parsed.message.folders[0]!.transactions[0]!.items[0]!.batch).toBe('FK1234');

    const [since] = (await client.GetVaccinationsAsync(
      { SoftwareId: 'taktik_medispring', PatientId: PATIENTS.lotte.insz, vaccinationDateSince: '2024-06-02' },
      { httpsAgent: t.agent },
    )) as [{ Status: { Code: string }; Base64EncodedKmehr?: string }];
    expect(since.Status.Code).toBe('OK');
    expect(since.Base64EncodedKmehr).toBeUndefined();
  });

  it('stores the DisableStockChange attribute with each vaccination, and leaves it absent when not sent', async () => {
    const sent = b64(message({ patient: { insz: PATIENTS.jan.insz }, date: '2023-03-03', product: { cnk: '1734094' } }));
    const unsent = b64(message({ patient: { insz: PATIENTS.jan.insz }, date: '2023-04-04', product: { cnk: '1665363' } }));
    const result = await add(doctor, [{ attributes: { DisableStockChange: true }, $value: sent } as unknown as string, unsent], PATIENTS.jan.insz);
    expect(result.Status.Code).toBe('OK');
    const [a, b] = await Promise.all(result.Results!.map((r) => t.registry.ports.vaccinations.getVaccination(PATIENTS.jan.insz, r.VaccinationId!.$value)));
    expect(a?.disableStockChange).toBe(true);
    expect(b?.disableStockChange).toBeUndefined();
  });

  it('a replay of the same message answers the same VaccinationId and stores no second record', async () => {
    const m = b64(message({ patient: { insz: PATIENTS.jan.insz }, date: '2023-09-09', product: { cnk: '1734094' } }));
    const first = await add(doctor, [m], PATIENTS.jan.insz);
    // The soap package writes the Timestamp in whole seconds with fixed ids: the same request signed within the same
    // second is the same signed bytes, which the registry accepts once (AUTH_SIGNATURE_REPLAYED). A resend is signed anew.
    await new Promise((r) => setTimeout(r, 1_100));
    const second = await add(doctor, [m], PATIENTS.jan.insz);
    const id = first.Results![0]!.VaccinationId!.$value;
    expect(second.Results![0]!.VaccinationId!.$value).toBe(id);
    expect(second.Results![0]!.Status?.Message).toContain('DUPLICATE_REPLAY');
    const history = await t.registry.ports.vaccinations.history(PATIENTS.jan.insz, '2023-09-09');
    expect(history.filter((v) => v.administeredOn === '2023-09-09')).toHaveLength(1);
  });
});

describe('RegistratieService over mutual TLS', () => {
  it('accepts the TLS client certificate as the caller with no WS-Security header', async () => {
    const client = new RegistratieClient({ baseUrl: t.url, ca: t.registry.caPem!, key: doctor, authentication: 'mutual-tls' });
    try {
      const result = await client.addVaccinations({
        softwareId: 'taktik_medispring',
        patientId: PATIENTS.emma.insz,
        messages: [{ kmehr: writeKmehr(message({ date: '2024-08-08' })) }],
      });
      expect(result.status.code).toBe('OK');
      expect(result.results[0]?.vaccinationId?.value).toMatch(/^[0-9A-F]{32}$/);
    } finally {
      client.close();
    }
  });
});

describe('RegistratieService refusals, each with its own code', () => {
  let ca: TestCa;
  const issued: Record<string, Key> = {};

  beforeAll(async () => {
    ca = await TestCa.open(t.registry.config.pki.dir);
    const subject = { kind: 'person' as const, ssin: peeters.ssin, name: 'An Peeters' };
    const day = 86_400_000;
    issued.expired = await ca.issue({
      subject,
      keyPem: doctor.privateKeyPem,
      outDir: false,
      notBefore: new Date(Date.now() - 400 * day),
      notAfter: new Date(Date.now() - day),
    });
    issued.notYet = await ca.issue({ subject, keyPem: doctor.privateKeyPem, outDir: false, notBefore: new Date(Date.now() + day), days: 30 });
    const revoked = await ca.issue({ subject, keyPem: doctor.privateKeyPem, outDir: false });
    await ca.revoke(revoked.serial);
    await ca.writeCrl();
    issued.revoked = revoked;
    const foreign = await TestCa.create(path.join(mkdtempSync(path.join(tmpdir(), 'foreign-ca-')), 'ca'), { keyPem: doctor.privateKeyPem });
    issued.foreign = await foreign.issue({ subject, keyPem: doctor.privateKeyPem, outDir: false });
    // The trust store re-reads the CRL at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));
  }, 60_000);

  it('no signature and no client certificate → AUTH_NOT_AUTHENTICATED', async () => {
    expect((await add(undefined, [b64(message())])).Status.Code).toBe('AUTH_NOT_AUTHENTICATED');
  });

  it('a body changed after signing → AUTH_BODY_TAMPERED', async () => {
    const envelope = addVaccinationsEnvelope({ softwareId: 'taktik_medispring', patientId: PATIENTS.emma.insz, messages: [{ kmehr: writeKmehr(message()) }] });
    const signed = signEnvelope(envelope, doctor).replace('<m:SoftwareId>taktik_medispring', '<m:SoftwareId>taktik_medispring2');
    const transport = new SoapTransport({ baseUrl: t.url, ca: t.registry.caPem! });
    try {
      const res = await transport.post('/VaccinnetUPL/wupl/VaccinationService-2_1', 'urn:be:fgov:ehealth:safe:vaccination:AddVaccinations', signed);
      expect(readAddVaccinationsResponse(res.body, res.status).status.code).toBe('AUTH_BODY_TAMPERED');
    } finally {
      transport.close();
    }
  });

  it.each([
    ['expired', 'AUTH_CERT_EXPIRED'],
    ['notYet', 'AUTH_CERT_NOT_YET_VALID'],
    ['revoked', 'AUTH_CERT_REVOKED'],
    ['foreign', 'AUTH_CERT_UNTRUSTED'],
  ])('a %s certificate → %s, nothing stored', async (name, code) => {
    const before = (await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length;
    const result = await add(issued[name], [b64(message({ date: '2024-09-19' }))]);
    expect(result.Status.Code).toBe(code);
    expect(result.Results ?? []).toHaveLength(0);
    expect((await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length).toBe(before);
  });

  it('an organisation certificate that is not a group practice → AUTH_WRONG_SERVICE', async () => {
    const result = await add(t.credentials('azGroeninge'), [b64(message())], PATIENTS.emma.insz, 'dxc_vaccinnet_azgroeninge');
    expect(result.Status.Code).toBe('AUTH_WRONG_SERVICE');
  });

  it('a HAIO naming a stagemeester it is not linked to → PROFILE_HAIO_STAGEMEESTER_NOT_LINKED', async () => {
    const haio = DOCTORS.janssens;
    const m = message({ sender: { nihii: haio.nihii, ssin: haio.ssin }, authorNihii: DOCTORS.claes.nihii });
    const result = await add(t.credentials('janssens'), [b64(m)], PATIENTS.emma.insz, 'healthone_huisarts');
    expect(result.Results?.[0]?.Status?.Code).toBe('PROFILE_HAIO_STAGEMEESTER_NOT_LINKED');
    expect(result.Results?.[0]?.VaccinationId).toBeUndefined();

    const linked = message({ sender: { nihii: haio.nihii, ssin: haio.ssin }, authorNihii: DOCTORS.maes.nihii, date: '2024-10-10' });
    const ok = await add(t.credentials('janssens'), [b64(linked)], PATIENTS.emma.insz, 'healthone_huisarts');
    expect(ok.Results?.[0]?.Status?.Code).toBe('OK');
    const stored = await t.registry.ports.vaccinations.getVaccination(PATIENTS.emma.insz, ok.Results![0]!.VaccinationId!.$value);
    expect(stored?.responsibleNihii).toBe(DOCTORS.maes.nihii);
  });

  it('a trusted certificate without a profile → PROFILE_NONE, also when no message passes the XSD', async () => {
    const stranger = await ca.issue({ subject: { kind: 'person', ssin: '72022102793', name: 'Nobody Known' }, keyPem: doctor.privateKeyPem, outDir: false });
    const invalid = Buffer.from('<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"/>').toString('base64');
    expect((await add(stranger, [invalid])).Status.Code).toBe('PROFILE_NONE');
    expect((await add(stranger, [b64(message())])).Status.Code).toBe('PROFILE_NONE');
  });

  it('an unregistered softwareID → SOFTWARE_ID_NOT_REGISTERED', async () => {
    expect((await add(doctor, [b64(message())], PATIENTS.emma.insz, 'acme_unknownsoftware')).Status.Code).toBe('SOFTWARE_ID_NOT_REGISTERED');
  });

  it('PatientId different from the patient in the message → PATIENT_ID_MISMATCH', async () => {
    const result = await add(doctor, [b64(message())], PATIENTS.jan.insz);
    expect(result.Results?.[0]?.Status?.Code).toBe('PATIENT_ID_MISMATCH');
    expect(result.Results?.[0]?.VaccinationId).toBeUndefined();
  });

  it('six messages → SOAP_TOO_MANY_MESSAGES at call level, nothing stored', async () => {
    const before = (await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length;
    const result = await add(
      doctor,
      Array.from({ length: 6 }, () => b64(message())),
    );
    expect(result.Status.Code).toBe('SOAP_TOO_MANY_MESSAGES');
    expect((await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length).toBe(before);
  });

  it('a COVID-19 dose without lot → COVID_LOT_MISSING', async () => {
    const m = message();
    const { batch: _lot, ...item } = m.folders[0]!.transactions[0]!.items[0]!;
    const noLot: KmehrMessage = { ...m, folders: [{ ...m.folders[0]!, transactions: [{ ...m.folders[0]!.transactions[0]!, items: [item] }] }] };
    const result = await add(doctor, [b64(noLot)]);
    expect(result.Results?.[0]?.Status?.Code).toBe('COVID_LOT_MISSING');
    expect(result.Results?.[0]?.Status?.Message).toContain('/kmehrmessage/folder[1]/transaction[1]/item[1]');
  });

  it('a COVID-19 dose with an adr item → COVID_ADVERSE_EVENT', async () => {
    const m = message();
    const tx = m.folders[0]!.transactions[0]!;
    const adr = {
      ...tx.items[0]!,
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '2' }],
      cds: [{ s: 'CD-ITEM', sv: '1.0', value: 'adr' }],
      contents: [],
      batch: undefined,
      lifecycle: undefined,
      quantity: undefined,
    };
    delete (adr as { batch?: string }).batch;
    delete (adr as { lifecycle?: unknown }).lifecycle;
    delete (adr as { quantity?: unknown }).quantity;
    const withAdr: KmehrMessage = { ...m, folders: [{ ...m.folders[0]!, transactions: [{ ...tx, items: [tx.items[0]!, adr] }] }] };
    const result = await add(doctor, [b64(withAdr)]);
    expect(result.Results?.[0]?.Status?.Code).toBe('COVID_ADVERSE_EVENT');
  });

  it('an INSZ unknown to the person register (register mode) → INSZ_UNKNOWN', async () => {
    const result = await add(doctor, [b64(message({ patient: { insz: UNREGISTERED_INSZ } }))], UNREGISTERED_INSZ);
    expect(result.Results?.[0]?.Status?.Code).toBe('INSZ_UNKNOWN');
  });
});
