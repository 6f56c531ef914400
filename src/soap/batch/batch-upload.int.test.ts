import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cd, buildFolder, buildHeader, buildOrganisationParty, buildPatient, buildTransaction, buildVaccineItem } from '../../kmehr/testing/message-builder.js';
import type { Folder, Item, KmehrMessage, Transaction } from '../../kmehr/model.js';
import { writeKmehr } from '../../kmehr/write-kmehr.js';
import { createTestPki, TEST_P12_PASSWORD, type TestPki } from '../../pki/testing/test-pki.js';
import { ORGANISATIONS, PATIENTS, SOFTWARE_IDS, UNREGISTERED_INSZ } from '../../registry/demo-personas.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../../test/support/registry-under-test.js';
import { SOAP_SERVICES } from '../../contracts/soap-services.js';
import { registryDatabaseUrl } from './testing/registry-url.js';
import { soapPackageBatchClient, type SoapFolderResult, type SoapPackageBatchClient } from './testing/soap-package-batch-client.js';

const AZ = ORGANISATIONS.azGroeninge;
const AZ_SOFTWARE = SOFTWARE_IDS.azGroeninge;

/** A date `n` days before today (n < 0: in the future). */
const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const adrItem: Item = buildVaccineItem({
  ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '2' }],
  cds: [cd('CD-ITEM', 'adr')],
  contents: [{ kind: 'text', texts: [{ l: 'nl', value: 'koorts' }] }],
  batch: undefined,
  lifecycle: undefined,
});

interface Dose {
  readonly local: string;
  readonly date: string;
  readonly lot?: string | null;
  readonly extraItems?: readonly Item[];
}

function transaction(d: Dose, t: number): Transaction {
  const item = buildVaccineItem({ beginmoment: { date: d.date }, ...(d.lot === null ? { batch: undefined } : d.lot !== undefined ? { batch: d.lot } : {}) });
  return buildTransaction({
    ids: [
      { s: 'ID-KMEHR', sv: '1.0', value: String(t + 1) },
      { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: d.local },
    ],
    date: d.date,
    items: [item, ...(d.extraItems ?? [])],
  });
}

type PersonLike = { readonly insz: string; readonly birthdate?: string; readonly sex?: string; readonly firstname?: string; readonly familyname?: string };
function folder(f: number, person: PersonLike, doses: readonly Dose[]): Folder {
  return buildFolder({
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(f + 1) }],
    patient: buildPatient({
      ids: [{ s: 'ID-PATIENT', sv: '1.0', value: person.insz }],
      ...(person.birthdate !== undefined ? { birthdate: person.birthdate } : { birthdate: undefined }),
      sex: cd('CD-SEX', person.sex ?? 'male'),
      // The register's names for a registered persona: the builder's default name would contradict it (PATIENT_DATA_MISMATCH).
      ...(person.familyname !== undefined && { familyname: person.familyname }),
      ...(person.firstname !== undefined && { firstnames: [person.firstname] }),
    }),
    transactions: doses.map(transaction),
  });
}

function message(tag: string, folders: readonly Folder[], userCode: string = AZ.userCode): string {
  const sender = buildOrganisationParty({
    ids: [
      { s: 'LOCAL', sl: 'VACCINNET-USER', sv: '1.0', value: userCode },
      { s: 'ID-HCPARTY', sv: '1.0', value: AZ.id },
    ],
    name: AZ.name,
  });
  const m: KmehrMessage = { header: buildHeader({ ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `${AZ.id}.${tag}` }], senders: [sender] }), folders };
  return writeKmehr(m);
}

const localsOf = (folders: readonly SoapFolderResult[]): string[] =>
  folders.flatMap((f) => f.transaction.flatMap((t) => t.id.filter((i) => i.attributes.S === 'LOCAL').map((i) => i.$value)));

for (const engine of testEngines()) {
  describe(`BatchUpload end to end with the soap package (${engine.name})`, () => {
    let pki: TestPki;
    let reg: RegistryUnderTest;
    let hospital: SoapPackageBatchClient;
    let wsdl: string;
    const client = (p12: string): Promise<SoapPackageBatchClient> => soapPackageBatchClient(wsdl, p12, TEST_P12_PASSWORD);
    const processAll = async (): Promise<number> => reg.registry.batch.worker!.runOnce();
    const batchRows = async (): Promise<
      readonly {
        sender_local_id: string | null;
        lot: string | null;
        administered_on: string;
        status: string;
        id: string;
        patient_insz: string;
        removed_reason: string | null;
      }[]
    > =>
      reg.registry.store.db
        .selectFrom('vaccinations')
        .select(['sender_local_id', 'lot', 'administered_on', 'status', 'id', 'patient_insz', 'removed_reason'])
        .where('channel', '=', 'batch')
        .execute();

    beforeAll(async () => {
      pki = await createTestPki();
      const databaseUrl = registryDatabaseUrl(engine.name, 'batch_e2e');
      reg = await startRegistryUnderTest({
        ...(databaseUrl && { databaseUrl }),
        overrides: {
          'server.tls': false,
          'pki.trustedCaFiles': [pki.ca.certificatePath],
          'pki.crlFiles': [pki.ca.crlPath],
          // Rounds are run by the test (runOnce); the timer would only add noise.
          'batch.intervalSeconds': 3600,
        },
      });
      wsdl = `${reg.url}${SOAP_SERVICES.UPLVaccinatieGegevens.path}?wsdl`;
      hospital = await client(pki.identities.hospital.p12Path);
    }, 120_000);

    afterAll(async () => {
      await reg?.close();
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
    });

    it('qualification: two deliveries are accepted, processed and reported per folder and transaction; a supplement replaces one and adds one', async () => {
      const { jan, emma, lotte } = PATIENTS;
      const first = message('q1', [
        folder(0, jan, [
          { local: 'q1-jan-1', date: day(7), lot: 'FK0001' },
          { local: 'q1-jan-2', date: day(5), lot: 'FK0002' },
        ]),
        folder(1, emma, [{ local: 'q1-emma-1', date: day(6), lot: 'FK0003' }]),
      ]);
      const second = message('q2', [
        folder(0, lotte, [{ local: 'q2-lotte-1', date: day(3), lot: 'FK0004' }]),
        folder(1, emma, [
          { local: 'q2-emma-1', date: day(1), lot: 'FK0005' },
          { local: 'q2-emma-2', date: day(2), lot: 'FK0006' },
        ]),
      ]);
      const d1 = await hospital.deliver('Aanleveren', first, AZ_SOFTWARE);
      const d2 = await hospital.deliver('Aanleveren', second, AZ_SOFTWARE);
      expect(d1).toMatchObject({ certificaatStatus: true });
      expect(d2).toMatchObject({ certificaatStatus: true });
      expect(d1.transactionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(d2.transactionId).not.toBe(d1.transactionId);

      expect(await hospital.result(d1.transactionId!, AZ.userCode)).toMatchObject({ foutCode: 'BATCH_NOT_PROCESSED' });
      expect(await processAll()).toBe(2);

      const r1 = await hospital.result(d1.transactionId!, AZ.userCode);
      const r2 = await hospital.result(d2.transactionId!, AZ.userCode);
      expect(r1.folderResult?.map((f) => [f.patient, f.id[0]?.$value, f.transaction.map((t) => t.resultCode)])).toEqual([
        [jan.insz, '1', ['OK', 'OK']],
        [emma.insz, '2', ['OK']],
      ]);
      expect(r2.folderResult?.map((f) => [f.patient, f.transaction.map((t) => t.resultCode)])).toEqual([
        [lotte.insz, ['OK']],
        [emma.insz, ['OK', 'OK']],
      ]);
      expect(localsOf(r1.folderResult!)).toEqual(['q1-jan-1', 'q1-jan-2', 'q1-emma-1']);
      expect(r1.folderResult![0]!.transaction[1]!.id[0]).toEqual({ attributes: { S: 'ID-KMEHR', SV: '1.0' }, $value: '2' });

      // Results match what is stored: one active vaccination per accepted transaction, with its lot and date.
      const stored = await batchRows();
      expect(stored.map((r) => [r.sender_local_id, r.lot, r.administered_on, r.status]).sort()).toEqual([
        ['q1-emma-1', 'FK0003', day(6), 'active'],
        ['q1-jan-1', 'FK0001', day(7), 'active'],
        ['q1-jan-2', 'FK0002', day(5), 'active'],
        ['q2-emma-1', 'FK0005', day(1), 'active'],
        ['q2-emma-2', 'FK0006', day(2), 'active'],
        ['q2-lotte-1', 'FK0004', day(3), 'active'],
      ]);

      // Aanvulling: q1-jan-2 is corrected (other lot), q3-jan-3 is new.
      const supplement = message('q3', [
        folder(0, jan, [
          { local: 'q1-jan-2', date: day(5), lot: 'FK9999' },
          { local: 'q3-jan-3', date: day(4), lot: 'FK0007' },
        ]),
      ]);
      const d3 = await hospital.deliver('Aanvulling', supplement, AZ_SOFTWARE);
      expect(d3).toMatchObject({ certificaatStatus: true });
      expect(await processAll()).toBe(1);
      const r3 = await hospital.result(d3.transactionId!, AZ.userCode);
      const [replaced, added] = r3.folderResult![0]!.transaction;
      expect(replaced?.resultCode).toBe('OK');
      expect(replaced?.resultTekst).toContain('BATCH_REPLACED');
      expect(added?.resultCode).toBe('OK');
      expect(added?.resultTekst).toBeUndefined();

      const after = await batchRows();
      const jan2 = after.filter((r) => r.sender_local_id === 'q1-jan-2');
      expect(jan2.map((r) => [r.lot, r.status]).sort()).toEqual([
        ['FK0002', 'removed'],
        ['FK9999', 'active'],
      ]);
      expect(jan2.find((r) => r.status === 'removed')?.removed_reason).toContain(d3.transactionId);
      expect(after.filter((r) => r.status === 'active')).toHaveLength(7);
      expect(after.find((r) => r.sender_local_id === 'q3-jan-3')).toMatchObject({ lot: 'FK0007', status: 'active' });
    }, 120_000);

    it('refuses whole deliveries with their foutCode', async () => {
      const ok = message('r0', [folder(0, PATIENTS.jan, [{ local: 'r0-1', date: day(2) }])]);
      const doctor = await client(pki.identities.doctor.p12Path);
      expect(await doctor.deliver('Aanleveren', ok, SOFTWARE_IDS.peeters)).toMatchObject({ foutCode: 'AUTH_WRONG_SERVICE' });

      const kortrijk = ORGANISATIONS.centrumKortrijk;
      const issued = await pki.ca.issue({
        subject: { kind: 'organisation', idType: kortrijk.idType, id: kortrijk.id, name: kortrijk.name, application: 'VACCINNET' },
        outDir: pki.dir,
        password: TEST_P12_PASSWORD,
      });
      const centre = await client(issued.p12Path!);
      expect(
        await centre.deliver(
          'Aanleveren',
          message('r1', [folder(0, PATIENTS.jan, [{ local: 'r1-1', date: day(2) }])], kortrijk.userCode),
          SOFTWARE_IDS.centrumKortrijk,
        ),
      ).toMatchObject({ foutCode: 'PROFILE_NO_RESPONSIBLE_DOCTOR' });

      expect(await hospital.deliver('Aanleveren', ok, SOFTWARE_IDS.centrumKortrijk)).toMatchObject({ foutCode: 'SOFTWARE_ID_OTHER_PROFILE' });
      expect(
        await hospital.deliver('Aanleveren', message('r2', [folder(0, PATIENTS.jan, [{ local: 'r2-1', date: day(2) }])], 'OTHER01'), AZ_SOFTWARE),
      ).toMatchObject({ foutCode: 'USER_CODE_MISMATCH' });

      const invalid = ok.replace('<standard>', '<bogus>no</bogus><standard>');
      const xsd = await hospital.deliver('Aanleveren', invalid, AZ_SOFTWARE);
      expect(xsd.foutCode).toBe('KMEHR_XSD_INVALID');
      expect(xsd.foutOmschrijving).toContain('bogus');
      // Nothing of a refused delivery is stored.
      const stored = await reg.registry.store.db.selectFrom('vaccinations').select('sender_local_id').where('sender_local_id', 'like', 'r%-%').execute();
      expect(stored).toEqual([]);
    }, 120_000);

    it('answers an unsigned delivery with AUTH_NOT_AUTHENTICATED and a wrong content type with a SOAP Fault', async () => {
      const endpoint = `${reg.url}${SOAP_SERVICES.UPLVaccinatieGegevens.path}`;
      const ok = message('u0', [folder(0, PATIENTS.jan, [{ local: 'u0-1', date: day(2) }])]).replace(/^<\?xml[^>]*\?>/, '');
      const envelope =
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
        '<upl:GetAanleverenVaccinatieGegevensRequest xmlns:upl="http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens">' +
        `<upl:extraInfo><upl:type>auth_eHealth_org</upl:type><upl:pakket>${AZ_SOFTWARE}</upl:pakket></upl:extraInfo>${ok}` +
        '</upl:GetAanleverenVaccinatieGegevensRequest></s:Body></s:Envelope>';
      const action = '"urn:be:vaccinnet:wupl:UPLVaccinatieGegevens:AanleverenVaccinatieGegevens"';
      const unsigned = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: action }, body: envelope });
      expect(unsigned.status).toBe(200);
      expect(await unsigned.text()).toContain('<upl:foutCode>AUTH_NOT_AUTHENTICATED</upl:foutCode>');
      // Without a SOAPAction the refusal comes before the operation element was read: a SOAP Fault with the same code.
      const anonymous = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: envelope });
      expect(anonymous.status).toBe(500);
      expect(await anonymous.text()).toContain('AUTH_NOT_AUTHENTICATED');
      const json = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(json.status).toBe(500);
      expect(await json.text()).toContain('SOAP_CONTRACT');
    }, 60_000);

    it('refuses single transactions with their code while the others of the same delivery are accepted', async () => {
      const { jan, emma, lotte } = PATIENTS;
      const mixed = message('m1', [
        folder(0, jan, [{ local: 'm1-ok-1', date: day(10), lot: 'AB0001' }]),
        folder(1, emma, [{ local: 'm1-nolot', date: day(10), lot: null }]),
        folder(2, lotte, [{ local: 'm1-adr', date: day(10), lot: 'AB0002', extraItems: [adrItem] }]),
        folder(3, { insz: UNREGISTERED_INSZ, birthdate: '1995-10-10' }, [{ local: 'm1-unknown', date: day(10), lot: 'AB0003' }]),
        folder(4, jan, [{ local: 'm1-future', date: day(-3), lot: 'AB0004' }]),
        folder(5, { insz: '85071412331' }, [{ local: 'm1-badinsz', date: day(10), lot: 'AB0005' }]),
        folder(6, emma, [{ local: 'm1-ok-2', date: day(11), lot: 'AB0006' }]),
      ]);
      const d = await hospital.deliver('Aanleveren', mixed, AZ_SOFTWARE);
      expect(d).toMatchObject({ certificaatStatus: true });
      await processAll();
      const r = await hospital.result(d.transactionId!, AZ.userCode);
      const codes = r.folderResult!.map((f) => [localsOf([f])[0], f.transaction[0]!.resultCode]);
      expect(codes).toEqual([
        ['m1-ok-1', 'OK'],
        ['m1-nolot', 'COVID_LOT_MISSING'],
        ['m1-adr', 'COVID_ADVERSE_EVENT'],
        ['m1-unknown', 'INSZ_UNKNOWN'],
        ['m1-future', 'DATE_IN_FUTURE'],
        ['m1-badinsz', 'INSZ_CHECKSUM'],
        ['m1-ok-2', 'OK'],
      ]);
      const refused = r.folderResult!.slice(1, 6).map((f) => f.transaction[0]!.resultTekst ?? '');
      for (const text of refused) expect(text.length).toBeGreaterThan(10);
      const stored = (await batchRows())
        .filter((x) => x.sender_local_id?.startsWith('m1-'))
        .map((x) => x.sender_local_id)
        .sort();
      expect(stored).toEqual(['m1-ok-1', 'm1-ok-2']);
    }, 120_000);

    it('answers the result operation: unknown, not yours, wrong user code, not processed, expired', async () => {
      expect(await hospital.result('00000000-0000-4000-8000-000000000000', AZ.userCode)).toMatchObject({ foutCode: 'BATCH_REQUEST_UNKNOWN' });
      const d = await hospital.deliver('Aanleveren', message('x1', [folder(0, PATIENTS.jan, [{ local: 'x1-1', date: day(20) }])]), AZ_SOFTWARE);
      expect(await hospital.result(d.transactionId!, AZ.userCode)).toMatchObject({ foutCode: 'BATCH_NOT_PROCESSED' });
      expect(await hospital.result(d.transactionId!, 'OTHER01')).toMatchObject({ foutCode: 'USER_CODE_MISMATCH' });

      const linde = ORGANISATIONS.deLinde;
      const issued = await pki.ca.issue({
        subject: { kind: 'organisation', idType: linde.idType, id: linde.id, name: linde.name, application: 'VACCINNET' },
        outDir: pki.dir,
        password: TEST_P12_PASSWORD,
      });
      const other = await client(issued.p12Path!);
      expect(await other.result(d.transactionId!, linde.userCode)).toMatchObject({ foutCode: 'BATCH_NOT_OWNER' });

      await processAll();
      expect((await hospital.result(d.transactionId!, AZ.userCode)).folderResult).toHaveLength(1);
      const retention = reg.registry.config.batch.retentionDays;
      expect(await reg.registry.batch.deliveries.purgeExpired(new Date(Date.now() + (retention + 1) * 86_400_000))).toBeGreaterThan(0);
      const expired = await hospital.result(d.transactionId!, AZ.userCode);
      expect(expired.foutCode).toBe('BATCH_EXPIRED');
    }, 120_000);
  });
}
