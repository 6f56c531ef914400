/**
 * Issue 11.1 on BatchUpload, end to end (SQLite and PostgreSQL): deliveries through the `soap` package client,
 * processed by the registry's worker. A transaction under stored sender ids is a replay only with the same
 * content; with other content it is refused with SENDER_IDS_REUSED in the per-transaction result, nothing of it
 * is stored or overwritten, and the other transactions of the same delivery are stored as usual.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../../test/support/registry-under-test.js';
import { buildFolder, buildHeader, buildOrganisationParty, buildPatient, buildTransaction, buildVaccineItem, cd } from '../../kmehr/testing/message-builder.js';
import type { Folder, KmehrMessage } from '../../kmehr/model.js';
import { writeKmehr } from '../../kmehr/write-kmehr.js';
import { createTestPki, TEST_P12_PASSWORD, type TestPki } from '../../pki/testing/test-pki.js';
import { ORGANISATIONS, PATIENTS, SOFTWARE_IDS } from '../../registry/demo-personas.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { SOAP_SERVICES } from '../../contracts/soap-services.js';
import { registryDatabaseUrl } from './testing/registry-url.js';
import { soapPackageBatchClient, type SoapFolderResult, type SoapPackageBatchClient } from './testing/soap-package-batch-client.js';

const AZ = ORGANISATIONS.azGroeninge;
const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

interface Dose {
  readonly local: string;
  readonly date: string;
  readonly lot: string;
}

type Persona = (typeof PATIENTS)[keyof typeof PATIENTS];
/** A folder for a registered persona, with the register's sex and names (other ones draw PATIENT_DATA_MISMATCH). */
function folder(f: number, person: Persona, doses: readonly Dose[]): Folder {
  return buildFolder({
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(f + 1) }],
    patient: buildPatient({
      ids: [{ s: 'ID-PATIENT', sv: '1.0', value: person.insz }],
      birthdate: undefined,
      sex: cd('CD-SEX', person.sex),
      familyname: person.familyname,
      firstnames: [person.firstname],
    }),
    transactions: doses.map((d, t) =>
      buildTransaction({
        ids: [
          { s: 'ID-KMEHR', sv: '1.0', value: String(t + 1) },
          { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: d.local },
        ],
        date: d.date,
        items: [buildVaccineItem({ beginmoment: { date: d.date }, batch: d.lot })],
      }),
    ),
  });
}

function message(tag: string, folders: readonly Folder[]): string {
  const sender = buildOrganisationParty({
    ids: [
      { s: 'LOCAL', sl: 'VACCINNET-USER', sv: '1.0', value: AZ.userCode },
      { s: 'ID-HCPARTY', sv: '1.0', value: AZ.id },
    ],
    name: AZ.name,
  });
  const m: KmehrMessage = { header: buildHeader({ ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `${AZ.id}.${tag}` }], senders: [sender] }), folders };
  return writeKmehr(m);
}

/** Per transaction: its LOCAL id, result code and text. */
const results = (folders: readonly SoapFolderResult[]): [string, string, string][] =>
  folders.flatMap((f) =>
    f.transaction.map((t): [string, string, string] => [t.id.find((i) => i.attributes.S === 'LOCAL')?.$value ?? '', t.resultCode, t.resultTekst ?? '']),
  );

for (const engine of testEngines()) {
  describe(`BatchUpload: reused sender ids (${engine.name})`, () => {
    let pki: TestPki;
    let reg: RegistryUnderTest;
    let hospital: SoapPackageBatchClient;

    beforeAll(async () => {
      pki = await createTestPki();
      const databaseUrl = registryDatabaseUrl(engine.name, 'batch_reused');
      reg = await startRegistryUnderTest({
        ...(databaseUrl && { databaseUrl }),
        overrides: { 'server.tls': false, 'pki.trustedCaFiles': [pki.ca.certificatePath], 'pki.crlFiles': [pki.ca.crlPath], 'batch.intervalSeconds': 3600 },
      });
      hospital = await soapPackageBatchClient(`${reg.url}${SOAP_SERVICES.UPLVaccinatieGegevens.path}?wsdl`, pki.identities.hospital.p12Path, TEST_P12_PASSWORD);
    }, 120_000);

    afterAll(async () => {
      await reg?.close();
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
    });

    const rows = () =>
      reg.registry.store.db
        .selectFrom('vaccinations')
        .select(['id', 'sender_local_id', 'lot', 'status'])
        .where('channel', '=', 'batch')
        .orderBy('sender_local_id')
        .execute();

    async function deliverAndProcess(xml: string): Promise<[string, string, string][]> {
      const d = await hospital.deliver('Aanleveren', xml, SOFTWARE_IDS.azGroeninge);
      expect(d).toMatchObject({ certificaatStatus: true });
      await reg.registry.batch.worker!.runOnce();
      const r = await hospital.result(d.transactionId!, AZ.userCode);
      return results(r.folderResult!);
    }

    it('a later delivery: the unchanged transaction is a replay, the changed one under the same LOCAL id refused, a new one stored', async () => {
      const { jan, emma } = PATIENTS;
      const first = await deliverAndProcess(
        message('r1', [
          folder(0, jan, [
            { local: 'r1-jan-1', date: day(7), lot: 'AA0001' },
            { local: 'r1-jan-2', date: day(5), lot: 'AA0002' },
          ]),
        ]),
      );
      expect(first.map(([l, c]) => [l, c])).toEqual([
        ['r1-jan-1', 'OK'],
        ['r1-jan-2', 'OK'],
      ]);
      const before = await rows();
      const idOf = (local: string): string => before.find((r) => r.sender_local_id === local)!.id;

      const second = await deliverAndProcess(
        message('r2', [
          folder(0, jan, [
            { local: 'r1-jan-1', date: day(7), lot: 'AA0001' },
            { local: 'r1-jan-2', date: day(5), lot: 'ZZ9999' },
          ]),
          folder(1, emma, [{ local: 'r2-emma-1', date: day(4), lot: 'AA0003' }]),
        ]),
      );
      expect(second.map(([l, c]) => [l, c])).toEqual([
        ['r1-jan-1', 'OK'],
        ['r1-jan-2', 'SENDER_IDS_REUSED'],
        ['r2-emma-1', 'OK'],
      ]);
      expect(second[0]![2]).toContain(idOf('r1-jan-1'));
      expect(second[1]![2]).toContain('transaction/id[@S=LOCAL] "r1-jan-2"');
      expect(second[1]![2]).toContain(idOf('r1-jan-2'));

      const after = await rows();
      expect(after.map((r) => [r.sender_local_id, r.lot, r.status])).toEqual([
        ['r1-jan-1', 'AA0001', 'active'],
        ['r1-jan-2', 'AA0002', 'active'],
        ['r2-emma-1', 'AA0003', 'active'],
      ]);
      const audit = await reg.registry.store.audit.forPerson(jan.insz);
      expect(audit.filter((a) => a.outcome === 'SENDER_IDS_REUSED').map((a) => [a.action, a.vaccinationId])).toEqual([['refuse', undefined]]);
      expect(audit.filter((a) => a.action === 'replay').map((a) => a.vaccinationId)).toEqual([idOf('r1-jan-1')]);
    }, 120_000);

    it('one delivery naming the same LOCAL id twice with other content: the first stored, the second refused', async () => {
      const lotte = PATIENTS.lotte;
      const res = await deliverAndProcess(
        message('r3', [
          folder(0, lotte, [
            { local: 'r3-twice', date: day(9), lot: 'BB0001' },
            { local: 'r3-twice', date: day(8), lot: 'BB0002' },
            { local: 'r3-other', date: day(6), lot: 'BB0003' },
          ]),
        ]),
      );
      expect(res.map(([l, c]) => [l, c])).toEqual([
        ['r3-twice', 'OK'],
        ['r3-twice', 'SENDER_IDS_REUSED'],
        ['r3-other', 'OK'],
      ]);
      const stored = (await rows()).filter((r) => r.sender_local_id?.startsWith('r3-'));
      expect(stored.map((r) => [r.sender_local_id, r.lot])).toEqual([
        ['r3-other', 'BB0003'],
        ['r3-twice', 'BB0001'],
      ]);
    }, 120_000);
  });
}
