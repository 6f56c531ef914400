/**
 * Issue 11.1 on RegistratieService, end to end: the real server (SQLite and PostgreSQL), the `soap` npm package as
 * an independent client from the served WSDL, signing with WS-Security X.509. A message sent again unchanged is an
 * idempotent retry (DUPLICATE_REPLAY, the earlier VaccinationId); another dose under the same KMEHR ids is refused
 * with SENDER_IDS_REUSED and nothing of it is stored.
 */
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../../test/support/registry-under-test.js';
import { buildRegistrationMessage, type RegistrationInput } from '../../client/registration-message.js';
import { defaultVaccineReference } from '../../kmehr/codelists/index.js';
import { writeKmehr } from '../../kmehr/write-kmehr.js';
import { DOCTORS, PATIENTS } from '../../registry/demo-personas.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { registryDatabaseUrl } from '../batch/testing/registry-url.js';

const WSDL_PATH = '/VaccinnetUPL/wupl/VaccinationService-2_1?wsdl';
const reference = defaultVaccineReference();
const peeters = DOCTORS.peeters;
const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

interface AddResult {
  Status: { Code: string; Message: string };
  Results?: { KmehrId: string; Status?: { Code: string; Message: string }; VaccinationId?: { $value: string } }[];
}

let millis = Date.now() * 100;

/** A message for Emma; `ids` fixes the header id (the KMEHR id the registry keys the dose by, with its positions). */
function message(ids: number, overrides: Partial<RegistrationInput> = {}): string {
  const m = buildRegistrationMessage(
    {
      sender: { nihii: peeters.nihii, ssin: peeters.ssin, name: 'An Peeters' },
      patient: { insz: PATIENTS.emma.insz },
      product: { cnk: '4293254' },
      date: day(1),
      lot: 'FK1111',
      now: { date: day(0), time: '10:00:00', millis: ids },
      ...overrides,
    },
    reference,
  );
  return Buffer.from(writeKmehr(m)).toString('base64');
}

for (const engine of testEngines()) {
  describe(`RegistratieService: reused KMEHR ids (${engine.name})`, () => {
    let t: RegistryUnderTest;
    let client: soap.Client;

    beforeAll(async () => {
      const databaseUrl = registryDatabaseUrl(engine.name, 'reused_ids');
      t = await startRegistryUnderTest(databaseUrl ? { databaseUrl } : {});
      const doctor = t.credentials('peeters');
      client = await soap.createClientAsync(`${t.url}${WSDL_PATH}`, { wsdl_options: { httpsAgent: t.agent } });
      client.setSecurity(new soap.WSSecurityCert(doctor.privateKeyPem, doctor.certificatePem, ''));
    }, 120_000);

    afterAll(async () => {
      await t?.close();
    });

    async function add(messages: string[]): Promise<AddResult> {
      const [result] = (await client.AddVaccinationsAsync(
        { SoftwareId: 'taktik_medispring', PatientId: PATIENTS.emma.insz, Base64EncodedKmehrmessage: messages },
        { httpsAgent: t.agent },
      )) as [AddResult];
      return result;
    }

    const emmaDoses = async () =>
      t.registry.store.db
        .selectFrom('vaccinations')
        .select(['id', 'lot', 'administered_on', 'sender_message_id'])
        .where('patient_insz', '=', PATIENTS.emma.insz)
        .execute();

    it('the same message again is a replay; other content under its ids is refused, nothing stored or changed', async () => {
      const ids = (millis += 1);
      const headerId = `${peeters.nihii}.${ids}`;
      const first = await add([message(ids)]);
      expect(first.Status.Code).toBe('OK');
      const id = first.Results![0]!.VaccinationId!.$value;

      const retry = await add([message(ids)]);
      expect(retry.Status.Code).toBe('OK');
      expect(retry.Results![0]!.VaccinationId!.$value).toBe(id);
      expect(retry.Results![0]!.Status?.Message).toContain('DUPLICATE_REPLAY');

      for (const other of [{ lot: 'FK2222' }, { date: day(2) }, { product: { cnk: '1734094' } }]) {
        const reused = await add([message(ids, other)]);
        expect(reused.Status.Code).toBe('SOAP_ALL_REFUSED');
        const r = reused.Results![0]!;
        expect(r.KmehrId).toBe(headerId);
        expect(r.VaccinationId).toBeUndefined();
        expect(r.Status?.Code).toBe('SENDER_IDS_REUSED');
        expect(r.Status?.Message).toContain(`"${headerId}" folder 1 transaction 1`);
        expect(r.Status?.Message).toContain(id);
        expect(r.Status?.Message).toContain("header/id[@S='ID-KMEHR']");
      }

      const stored = (await emmaDoses()).filter((v) => v.sender_message_id === headerId);
      expect(stored.map((v) => [v.id, v.lot, v.administered_on])).toEqual([[id, 'FK1111', day(1)]]);
      const audit = (await t.registry.store.audit.forPerson(PATIENTS.emma.insz)).filter((a) => a.vaccinationId === id || a.outcome === 'SENDER_IDS_REUSED');
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([
        ['register', 'OK'],
        ['replay', 'DUPLICATE_REPLAY'],
        ['refuse', 'SENDER_IDS_REUSED'],
        ['refuse', 'SENDER_IDS_REUSED'],
        ['refuse', 'SENDER_IDS_REUSED'],
      ]);
      expect(audit.slice(2).every((a) => a.detail?.includes(id))).toBe(true);
    });

    it('a reused message beside a new one in the same call: the new one is stored, the call says some were refused', async () => {
      const ids = (millis += 1);
      const first = await add([message(ids, { date: day(3) })]);
      const id = first.Results![0]!.VaccinationId!.$value;
      const fresh = (millis += 1);
      const mixed = await add([message(ids, { date: day(3), lot: 'FK3333' }), message(fresh, { date: day(4), product: { cnk: '1734094' } })]);
      expect(mixed.Status.Code).toBe('SOAP_SOME_REFUSED');
      expect(mixed.Results!.map((r) => r.Status?.Code)).toEqual(['SENDER_IDS_REUSED', 'OK']);
      const newId = mixed.Results![1]!.VaccinationId!.$value;
      expect(newId).not.toBe(id);
      const doses = await emmaDoses();
      expect(doses.filter((v) => v.sender_message_id === `${peeters.nihii}.${ids}`).map((v) => [v.id, v.lot])).toEqual([[id, 'FK1111']]);
      expect(doses.filter((v) => v.sender_message_id === `${peeters.nihii}.${fresh}`).map((v) => v.id)).toEqual([newId]);
    });
  });
}
