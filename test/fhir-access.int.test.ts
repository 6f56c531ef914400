/**
 * Issue 13 acceptance on the FHIR API (and, shorter, the KMEHR read), end to end on SQLite and PostgreSQL: the real
 * server, callers identified by their TLS client certificate, the operator's consent and link changes through the
 * use cases `vaccinnet admin consent` / `admin links` run (manage-access.ts). Dr. Claes, without consent and link
 * for Emma, is refused on search (403 with the failed condition's code) and on read by id (404, exactly as an
 * unknown id); with both she reads all of Emma's doses; once the link ends she is refused again. Dr. Peeters reads the
 * dose he POSTed throughout, with the ACCESS_OWN_ONLY outcome. Every read is in Emma's audit log with its outcome.
 * Every resource the server emits is checked by Medplum's R4 validator and the BeVaccination FHIRPath rules.
 */
import https from 'node:https';
import type { Bundle, Immunization, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT, SYSTEM } from '../src/fhir/fhir-systems.js';
import { conformanceErrors } from '../src/fhir/testing/conformance.js';
import { TestCa } from '../src/pki/test-ca.js';
import type { AccessActor } from '../src/registry/access/manage-access.js';
import { declareLink, endLink, recordConsent } from '../src/registry/access/manage-access.js';
import { DOCTORS, PATIENTS, SOFTWARE_IDS } from '../src/registry/demo-personas.js';
import { registryDatabaseUrl } from '../src/soap/batch/testing/registry-url.js';
import { testEngines } from '../src/store/testing/test-engines.js';
import { startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const EMMA = PATIENTS.emma.insz;
const PATIENT_QUERY = `patient.identifier=${encodeURIComponent(`${SYSTEM.ssin}|${EMMA}`)}`;
const helpdesk: AccessActor = { by: 'operator:helpdesk', subject: 'operator helpdesk', channel: 'cli' };
type Who = 'peeters' | 'maes' | 'claes';
type Key = { readonly privateKeyPem: string; readonly certificatePem: string };

interface Reply {
  readonly status: number;
  readonly body: Resource;
}

/** A BeVaccination for Emma, recorded and given by one doctor. */
function immunization(who: Who, localId: string, date: string): Record<string, unknown> {
  const nihdi = { system: SYSTEM.nihdi, value: DOCTORS[who].nihii };
  return {
    resourceType: 'Immunization',
    extension: [
      { url: EXT.recorder, valueReference: { type: 'Practitioner', identifier: nihdi } },
      {
        url: EXT.administeredProduct,
        extension: [
          { url: 'coded', valueCodeableConcept: { coding: [{ system: SYSTEM.cnk, code: '4293254' }] } },
          { url: 'lotNumber', valueString: `LOT-${localId}` },
        ],
      },
    ],
    identifier: [{ system: 'https://gp.example/immunization', value: localId }],
    status: 'completed',
    vaccineCode: { coding: [{ system: SYSTEM.snomed, code: '28531000087107' }] },
    patient: { type: 'Patient', identifier: { system: SYSTEM.ssin, value: EMMA } },
    occurrenceDateTime: date,
    recorded: `${date}T10:00:00+01:00`,
    performer: [{ actor: { type: 'Practitioner', identifier: nihdi } }],
  };
}

const codesOf = (r: Reply): string[] => ((r.body as OperationOutcome).issue ?? []).map((i) => i.details?.coding?.[0]?.code ?? '');
const matchIds = (r: Reply): string[] =>
  ((r.body as Bundle<Immunization>).entry ?? [])
    .filter((e) => e.search?.mode === 'match')
    .map((e) => e.resource!.id!)
    .sort();
const outcomeCodes = (r: Reply): string[] => {
  const entry = ((r.body as Bundle).entry ?? []).find((e) => e.search?.mode === 'outcome');
  return entry ? codesOf({ status: r.status, body: entry.resource! }) : [];
};

for (const engine of testEngines()) {
  describe(`FHIR and KMEHR reads enforce the read rule over mutual TLS (${engine.name})`, () => {
    let t: RegistryUnderTest;
    const keys: Record<Who, Key> = {} as never;

    beforeAll(async () => {
      const url = registryDatabaseUrl(engine.name, 'fhir_access');
      t = await startRegistryUnderTest(url ? { databaseUrl: url } : {});
      keys.peeters = t.credentials('peeters');
      keys.maes = t.credentials('maes');
      // Dr. Claes has a profile and a softwareID but no demo certificate: the development CA issues her one.
      const ca = await TestCa.open(t.registry.config.pki.dir);
      keys.claes = await ca.issue({
        subject: { kind: 'person', ssin: DOCTORS.claes.ssin, name: 'Els Claes' },
        keyPem: keys.peeters.privateKeyPem,
        outDir: false,
      });
    }, 120_000);

    afterAll(async () => {
      await t?.close();
    });

    function request(who: Who, method: string, path: string, body?: string): Promise<{ status: number; type: string; text: string; location?: string }> {
      return new Promise((resolve, reject) => {
        const req = https.request(
          new URL(path, t.url),
          {
            method,
            ca: t.registry.caPem,
            cert: keys[who].certificatePem,
            key: keys[who].privateKeyPem,
            agent: false,
            headers: { 'x-vaccinnet-software-id': SOFTWARE_IDS[who], ...(body !== undefined && { 'content-type': 'application/fhir+json' }) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                type: String(res.headers['content-type']),
                text,
                ...(res.headers.location && { location: res.headers.location }),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }

    async function fhir(who: Who, method: string, path: string, body?: string): Promise<Reply> {
      const r = await request(who, method, `/fhir${path}`, body);
      expect(r.type).toContain('application/fhir+json');
      const parsed = JSON.parse(r.text) as Resource;
      // Every resource the server emits: R4 structure (Medplum) and, for Immunizations, BeVaccination (FHIRPath).
      expect(conformanceErrors(parsed), r.text.slice(0, 300)).toEqual([]);
      return { status: r.status, body: parsed };
    }

    const search = (who: Who) => fhir(who, 'GET', `/Immunization?${PATIENT_QUERY}`);
    const read = (who: Who, id: string) => fhir(who, 'GET', `/Immunization/${id}`);

    async function kmehrList(who: Who): Promise<{ http: number; code: string; ids: string[] }> {
      const r = await request(who, 'GET', `/kmehr/subject/${EMMA}/vaccination?softwareId=${SOFTWARE_IDS[who]}`);
      const body = JSON.parse(r.text) as { status: { code: string }; entries?: { uri: string }[] };
      const ids = (body.entries ?? []).map((e) => e.uri.split('/')[4]!).sort();
      return { http: r.status, code: body.status.code, ids };
    }

    /** POSTs a dose as `who` and answers its id (from the Location header). */
    async function post(who: Who, localId: string, date: string): Promise<string> {
      const r = await request(who, 'POST', '/fhir/Immunization', JSON.stringify(immunization(who, localId, date)));
      expect([r.status, r.location], r.text).toEqual([201, expect.stringMatching(/\/Immunization\/[0-9A-F]{32}$/)]);
      return r.location!.split('/').pop()!;
    }

    it('refused without consent, then without link; everything with both; refused again once the link ends; own doses throughout', async () => {
      const byPeeters = await post('peeters', 'peet-1', '2024-03-01');
      const byMaes = await post('maes', 'maes-1', '2024-04-01');
      const unknown = '0'.repeat(32);
      const both = [byPeeters, byMaes].sort();

      // No consent: search 403 with the failed condition's code; read by id 404 exactly as an unknown id.
      const refused = await search('claes');
      expect([refused.status, codesOf(refused)]).toEqual([403, ['ACCESS_NO_CONSENT']]);
      expect((refused.body as OperationOutcome).issue?.[0]).toMatchObject({ severity: 'error', code: 'forbidden' });
      const hidden = await read('claes', byMaes);
      const absent = await read('claes', unknown);
      expect([hidden.status, codesOf(hidden)]).toEqual([404, ['VACCINATION_NOT_FOUND']]);
      expect(JSON.stringify(hidden.body).replace(byMaes, unknown)).toBe(JSON.stringify(absent.body));
      // DELETE tells no more: someone else's id of a person she may not read answers as an unknown id, and stays.
      const deleteHidden = await fhir('claes', 'DELETE', `/Immunization/${byMaes}`);
      const deleteAbsent = await fhir('claes', 'DELETE', `/Immunization/${unknown}`);
      expect([deleteHidden.status, codesOf(deleteHidden)]).toEqual([404, ['VACCINATION_NOT_FOUND']]);
      expect(JSON.stringify(deleteHidden.body).replace(byMaes, unknown)).toBe(JSON.stringify(deleteAbsent.body));
      expect((await t.registry.ports.vaccinations.getVaccination(EMMA, byMaes))?.status).toBe('active');

      // Peeters: his own dose, flagged ACCESS_OWN_ONLY in the Bundle; Maes's dose is 404 to him.
      const own = await search('peeters');
      expect([own.status, matchIds(own), outcomeCodes(own), (own.body as Bundle).total]).toEqual([200, [byPeeters], ['ACCESS_OWN_ONLY'], 1]);
      expect((await read('peeters', byPeeters)).status).toBe(200);
      expect((await read('peeters', byMaes)).status).toBe(404);

      expect((await recordConsent({ insz: EMMA, state: 'active', actor: helpdesk }, t.registry.ports)).ok).toBe(true);
      const noLink = await search('claes');
      expect([noLink.status, codesOf(noLink)]).toEqual([403, ['ACCESS_NO_LINK']]);

      const link = await declareLink({ insz: EMMA, party: `doctor:${DOCTORS.claes.nihii}`, type: 'gp', proof: 'eid-chip', actor: helpdesk }, t.registry.ports);
      if (!link.ok) throw new Error(JSON.stringify(link.findings));
      const all = await search('claes');
      expect([all.status, matchIds(all), outcomeCodes(all)]).toEqual([200, both, []]);
      const readable = await read('claes', byMaes);
      expect([readable.status, (readable.body as Immunization).id]).toEqual([200, byMaes]);
      // Now that she sees the dose, DELETE may say whose it is not.
      const notYours = await fhir('claes', 'DELETE', `/Immunization/${byMaes}`);
      expect([notYours.status, codesOf(notYours)]).toEqual([403, ['VACCINATION_NOT_YOURS']]);

      expect((await endLink({ insz: EMMA, id: link.row.id, actor: helpdesk }, t.registry.ports)).ok).toBe(true);
      const ended = await search('claes');
      expect([ended.status, codesOf(ended)]).toEqual([403, ['ACCESS_NO_LINK']]);
      expect((await read('claes', byMaes)).status).toBe(404);
      const stillOwn = await search('peeters');
      expect([matchIds(stillOwn), outcomeCodes(stillOwn)]).toEqual([[byPeeters], ['ACCESS_OWN_ONLY']]);

      // Every read above is in Emma's audit log with its outcome (reads by id name the dose). Unknown ids are nobody's.
      const reads = (await t.registry.store.audit.forPerson(EMMA)).filter((a) => a.action === 'read' && a.channel === 'fhir');
      const claes = `doctor:${DOCTORS.claes.nihii}`;
      const peeters = `doctor:${DOCTORS.peeters.nihii}`;
      expect(reads.map((a) => [a.actor, a.outcome, a.vaccinationId ?? null])).toEqual([
        [claes, 'ACCESS_NO_CONSENT', null],
        [claes, 'ACCESS_NO_CONSENT', byMaes],
        [peeters, 'ACCESS_OWN_ONLY', null],
        [peeters, 'ACCESS_OWN_ONLY', byPeeters],
        [peeters, 'ACCESS_OWN_ONLY', byMaes],
        [claes, 'ACCESS_NO_LINK', null],
        [claes, 'OK', null],
        [claes, 'OK', byMaes],
        [claes, 'ACCESS_NO_LINK', null],
        [claes, 'ACCESS_NO_LINK', byMaes],
        [peeters, 'ACCESS_OWN_ONLY', null],
      ]);
      // What was handed out: the hidden dose is not counted as read.
      expect(reads[4]!.detail).toBe('access own registrations only (ACCESS_NO_CONSENT); 0 vaccination(s)');
      expect(reads[7]!.detail).toBe(`access consent-and-link via ${claes} (link ${link.row.id}); 1 vaccination(s)`);
      const removals = (await t.registry.store.audit.forPerson(EMMA)).filter((a) => a.action === 'remove');
      expect(removals.map((a) => [a.actor, a.outcome])).toEqual([
        [claes, 'VACCINATION_NOT_YOURS'],
        [claes, 'VACCINATION_NOT_YOURS'],
      ]);

      // The KMEHR read, same rule (consent is active, the link ended): refused; with a new link all; ended again.
      expect(await kmehrList('claes')).toEqual({ http: 403, code: 'ACCESS_NO_LINK', ids: [] });
      expect(await kmehrList('peeters')).toEqual({ http: 200, code: 'ACCESS_OWN_ONLY', ids: [byPeeters] });
      const again = await declareLink({ insz: EMMA, party: claes, type: 'gp', proof: 'eid-chip', actor: helpdesk }, t.registry.ports);
      if (!again.ok) throw new Error(JSON.stringify(again.findings));
      expect(await kmehrList('claes')).toEqual({ http: 200, code: 'OK', ids: both });
      expect((await endLink({ insz: EMMA, id: again.row.id, actor: helpdesk }, t.registry.ports)).ok).toBe(true);
      expect(await kmehrList('claes')).toEqual({ http: 403, code: 'ACCESS_NO_LINK', ids: [] });
      const kmehrReads = (await t.registry.store.audit.forPerson(EMMA)).filter((a) => a.action === 'read' && a.channel === 'kmehr-read');
      expect(kmehrReads.map((a) => [a.actor, a.outcome])).toEqual([
        [claes, 'ACCESS_NO_LINK'],
        [peeters, 'ACCESS_OWN_ONLY'],
        [claes, 'OK'],
        [claes, 'ACCESS_NO_LINK'],
      ]);
    }, 120_000);
  });
}
