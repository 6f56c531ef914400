/**
 * Issue 13 acceptance on RegistratieService, end to end on SQLite and PostgreSQL: the real server, callers identified
 * by their TLS client certificate (mutual TLS, no WS-Security header), the operator's `vaccinnet admin consent` and
 * `admin links` commands run against the same database. A doctor without consent and link for Emma is refused with
 * the failed condition's code, as a normal answer (HTTP 200, never a fault); with both it reads all her doses; once
 * the link ends it is refused again. Dr. Peeters, who registered one of her doses, reads that one throughout. Every
 * read is in her audit log with its deciding condition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdminCommands } from '../src/cli/admin-command.js';
import { registerHistoryCommand } from '../src/cli/history-command.js';
import { runCli } from '../src/cli/testing/run-cli.js';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { RegistratieClient } from '../src/client/registratie-client.js';
import { getVaccinationsEnvelope } from '../src/client/registratie-requests.js';
import { SoapTransport } from '../src/client/soap-transport.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { parseKmehr } from '../src/kmehr/parse-kmehr.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { createXsdValidator } from '../src/kmehr/xsd/xsd-validator.js';
import { TestCa } from '../src/pki/test-ca.js';
import { DOCTORS, PATIENTS, SOFTWARE_IDS } from '../src/registry/demo-personas.js';
import { VACCINATION_ID_SL } from '../src/registry/history-message.js';
import { registryDatabaseUrl } from '../src/soap/batch/testing/registry-url.js';
import { testEngines } from '../src/store/testing/test-engines.js';
import { SCHEMA_DIR, startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const reference = defaultVaccineReference();
const EMMA = PATIENTS.emma.insz;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
type Key = { readonly privateKeyPem: string; readonly certificatePem: string; readonly certificateDer: Buffer };

for (const engine of testEngines()) {
  describe(`GetVaccinations enforces the read rule over mutual TLS (${engine.name})`, () => {
    let t: RegistryUnderTest;
    let databaseUrl: string;
    const clients: Record<'peeters' | 'maes' | 'claes', RegistratieClient> = {} as never;
    let claesKey: Key;
    let millis = Date.now() * 100;

    beforeAll(async () => {
      const url = registryDatabaseUrl(engine.name, 'read_rule');
      t = await startRegistryUnderTest(url ? { databaseUrl: url } : {});
      databaseUrl = t.registry.config.database.url;
      // Dr. Claes has a profile and a softwareID but no demo certificate: the development CA issues her one.
      const ca = await TestCa.open(t.registry.config.pki.dir);
      const peeters = t.credentials('peeters');
      claesKey = await ca.issue({ subject: { kind: 'person', ssin: DOCTORS.claes.ssin, name: 'Els Claes' }, keyPem: peeters.privateKeyPem, outDir: false });
      const client = (key: Key) => new RegistratieClient({ baseUrl: t.url, ca: t.registry.caPem!, key, authentication: 'mutual-tls' });
      clients.peeters = client(peeters);
      clients.maes = client(t.credentials('maes'));
      clients.claes = client(claesKey);
    }, 120_000);

    afterAll(async () => {
      for (const c of Object.values(clients)) c?.close();
      await t?.close();
    });

    async function register(who: 'peeters' | 'maes', lot: string): Promise<string> {
      const d = DOCTORS[who];
      const m = buildRegistrationMessage(
        {
          sender: { nihii: d.nihii, ssin: d.ssin, name: `${d.firstname} ${d.familyname}` },
          patient: { insz: EMMA },
          product: { cnk: '1734094' },
          date: yesterday,
          lot,
          now: { date: new Date().toISOString().slice(0, 10), time: '10:00:00', millis: (millis += 1) },
        },
        reference,
      );
      const r = await clients[who].addVaccinations({ softwareId: SOFTWARE_IDS[who], patientId: EMMA, messages: [{ kmehr: writeKmehr(m) }] });
      const id = r.results[0]?.vaccinationId?.value;
      if (!id) throw new Error(`registration refused: ${JSON.stringify(r)}`);
      return id;
    }

    /** Emma's doses as one caller reads them: the Status code, its Message, and the VaccinationIds of the answer. */
    async function read(who: 'peeters' | 'claes'): Promise<{ code: string; message: string; ids: string[] }> {
      const r = await clients[who].getVaccinations({ softwareId: SOFTWARE_IDS[who], patientId: EMMA });
      if (r.kmehr === undefined) return { code: r.status.code, message: r.status.message, ids: [] };
      expect(createXsdValidator(SCHEMA_DIR).validateBytes(Buffer.from(r.kmehr))).toEqual([]);
      const parsed = parseKmehr(Buffer.from(r.kmehr));
      if (!parsed.ok) throw new Error('unreadable answer');
      const ids = parsed.message.folders[0]!.transactions.map((tx) => tx.ids.find((i) => i.sl === VACCINATION_ID_SL)!.value);
      return { code: r.status.code, message: r.status.message, ids: ids.sort() };
    }

    const admin = async (...args: string[]) => {
      const r = await runCli(registerAdminCommands, ['admin', ...args, '--database', databaseUrl, '--operator', 'helpdesk']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    it('refused without consent, then without link; all with both; refused again after the link ends; Peeters reads his own throughout', async () => {
      const byPeeters = await register('peeters', 'PEET1');
      const byMaes = await register('maes', 'MAES1');

      const refusedFirst = await read('claes');
      expect(refusedFirst).toMatchObject({ code: 'ACCESS_NO_CONSENT', ids: [] });
      expect(refusedFirst.message).toContain('no active informed consent');
      expect(await read('peeters')).toMatchObject({ code: 'OK', ids: [byPeeters], message: expect.stringContaining('ACCESS_OWN_ONLY') });

      // A refusal is an ordinary answer: HTTP 200 with the Status, not a SOAP Fault.
      const transport = new SoapTransport({
        baseUrl: t.url,
        ca: t.registry.caPem!,
        clientCertificate: { certPem: claesKey.certificatePem, keyPem: claesKey.privateKeyPem },
      });
      try {
        const raw = await transport.post(
          '/VaccinnetUPL/wupl/VaccinationService-2_1',
          'urn:be:fgov:ehealth:safe:vaccination:GetVaccinations',
          getVaccinationsEnvelope({ softwareId: SOFTWARE_IDS.claes, patientId: EMMA }),
        );
        expect(raw.status).toBe(200);
        expect(raw.body).toMatch(/<(\w+:)?Code>ACCESS_NO_CONSENT<\/(\w+:)?Code>/);
        expect(raw.body).not.toContain('Fault');
      } finally {
        transport.close();
      }

      expect(await admin('consent', 'give', EMMA)).toMatch(/^consent of 060705\*{5} is active/);
      expect(await read('claes')).toMatchObject({ code: 'ACCESS_NO_LINK', ids: [] });

      const added = await admin('links', 'add', EMMA, '--doctor', DOCTORS.claes.nihii, '--proof', 'eid-chip', '--json');
      const linkId = (JSON.parse(added) as { id: string }).id;
      expect(await read('claes')).toEqual({ code: 'OK', message: expect.any(String), ids: [byPeeters, byMaes].sort() });
      expect(await read('peeters')).toMatchObject({ code: 'OK', ids: [byPeeters] });

      expect(await admin('links', 'end', EMMA, linkId)).toContain(`link ${linkId} of 060705***** with doctor:${DOCTORS.claes.nihii} ended`);
      expect(await read('claes')).toMatchObject({ code: 'ACCESS_NO_LINK', ids: [] });
      expect(await read('peeters')).toMatchObject({ code: 'OK', ids: [byPeeters] });

      // Every read above is in Emma's audit log, with who, the outcome and the deciding condition.
      const reads = (await t.registry.store.audit.forPerson(EMMA)).filter((a) => a.action === 'read');
      expect(reads.map((a) => [a.actor, a.outcome, a.channel])).toEqual([
        [`doctor:${DOCTORS.claes.nihii}`, 'ACCESS_NO_CONSENT', 'registratie'],
        [`doctor:${DOCTORS.peeters.nihii}`, 'ACCESS_OWN_ONLY', 'registratie'],
        [`doctor:${DOCTORS.claes.nihii}`, 'ACCESS_NO_CONSENT', 'registratie'],
        [`doctor:${DOCTORS.claes.nihii}`, 'ACCESS_NO_LINK', 'registratie'],
        [`doctor:${DOCTORS.claes.nihii}`, 'OK', 'registratie'],
        [`doctor:${DOCTORS.peeters.nihii}`, 'ACCESS_OWN_ONLY', 'registratie'],
        [`doctor:${DOCTORS.claes.nihii}`, 'ACCESS_NO_LINK', 'registratie'],
        [`doctor:${DOCTORS.peeters.nihii}`, 'ACCESS_OWN_ONLY', 'registratie'],
      ]);
      expect(reads[4]!.detail).toBe(`access consent-and-link via doctor:${DOCTORS.claes.nihii} (link ${linkId}); 2 vaccination(s)`);

      // … and `vaccinnet history EMMA --audit` shows them (its own read last).
      const history = await runCli(registerHistoryCommand, [
        'history',
        EMMA,
        '--audit',
        '--reason',
        'acceptance test',
        '--database',
        databaseUrl,
        '--operator',
        'helpdesk',
      ]);
      expect(history.code, history.stderr).toBe(0);
      const shown = history.stdout.split('\n').filter((l) => /^\S+\s+read\s/.test(l));
      expect(shown.map((l) => l.split(/\s{2,}/)[2])).toEqual([...reads.map((a) => a.outcome), 'ACCESS_OPERATOR_READ']);
    }, 120_000);
  });
}
