import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { Bundle, Immunization, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT, SYSTEM } from '../fhir/fhir-systems.js';
import { conformanceErrors } from '../fhir/testing/conformance.js';
import { DOCTORS, PATIENTS } from '../registry/demo-personas.js';
import { testEngines } from '../store/testing/test-engines.js';
import { DEMO_PASSWORD } from './demo/demo-seed.js';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Resource;
}

/** A BeVaccination as GP software would POST it: Comirnaty for Jan, registered and given by Dr. Peeters. */
function immunization(localId: string, overrides: Record<string, unknown> = {}, lot: string | null = 'FK8891'): Record<string, unknown> {
  return {
    resourceType: 'Immunization',
    extension: [
      { url: EXT.recorder, valueReference: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: DOCTORS.peeters.nihii } } },
      {
        url: EXT.administeredProduct,
        extension: [
          {
            url: 'coded',
            valueCodeableConcept: {
              coding: [
                { system: SYSTEM.cnk, code: '4293254' },
                { system: SYSTEM.atc, code: 'J07BX03' },
              ],
            },
          },
          ...(lot !== null ? [{ url: 'lotNumber', valueString: lot }] : []),
        ],
      },
    ],
    identifier: [{ system: 'https://gp.example/immunization', value: localId }],
    status: 'completed',
    vaccineCode: { coding: [{ system: SYSTEM.snomed, code: '28531000087107' }] },
    patient: { type: 'Patient', identifier: { system: SYSTEM.ssin, value: PATIENTS.emma.insz } },
    occurrenceDateTime: '2024-10-15',
    recorded: '2024-10-15T10:21:00+02:00',
    performer: [{ actor: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: DOCTORS.peeters.nihii } } }],
    doseQuantity: { value: 1 },
    ...overrides,
  };
}

/** The matches of a searchset (without the `search.mode = outcome` entry the read rule may add). */
const matchesOf = (r: Reply): Immunization[] =>
  ((r.body as Bundle<Immunization>).entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource!);

const codesOf = (r: Reply): string[] => ((r.body as OperationOutcome).issue ?? []).map((i) => i.details?.coding?.[0]?.code ?? '');

describe.each(testEngines())('FHIR API over mutual TLS on $name', (engine) => {
  let t: RegistryWithLog;
  let base: string;
  let tls: https.RequestOptions;

  beforeAll(async () => {
    const overrides: Record<string, unknown> = {};
    if (engine.name === 'postgres') {
      const url = new URL(process.env.VACCINNET_TEST_PG_URL!);
      url.searchParams.set('schema', `fhir_${process.pid}_${Date.now().toString(36)}`);
      overrides['database.url'] = url.toString();
    }
    t = await startRegistryWithLog(overrides);
    base = `${t.registry.url}/fhir`;
    const peeters = t.registry.demo!.certificates.find((c) => c.persona === 'peeters')!;
    tls = { ca: t.registry.caPem, pfx: readFileSync(peeters.p12Path), passphrase: DEMO_PASSWORD };
  });
  afterAll(async () => {
    await t?.close();
  });

  function call(
    method: string,
    path: string,
    body?: string | Buffer,
    options: https.RequestOptions = tls,
    contentType = 'application/fhir+json',
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${base}${path}`,
        { method, headers: { 'x-vaccinnet-software-id': 'taktik_medispring', ...(body !== undefined && { 'content-type': contentType }) }, ...options },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            expect(res.headers['content-type']).toContain('application/fhir+json');
            const parsed = JSON.parse(text) as Resource;
            // Every resource the server emits: R4 structure (Medplum) and, for Immunizations, BeVaccination (FHIRPath).
            expect(conformanceErrors(parsed), text.slice(0, 300)).toEqual([]);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const search = (q: string): Promise<Reply> =>
    call('GET', `/Immunization?patient.identifier=${encodeURIComponent(`${SYSTEM.ssin}|${PATIENTS.emma.insz}`)}${q}`);
  const stored = async (): Promise<number> => (await t.registry.store.vaccinations.history(PATIENTS.emma.insz)).length;

  it('serves a CapabilityStatement that names what the routes do', async () => {
    const r = await call('GET', '/metadata');
    expect(r.status).toBe(200);
    const rest = (r.body as { rest?: { resource?: { type: string; interaction?: { code: string }[] }[] }[] }).rest?.[0];
    expect(rest?.resource?.map((x) => [x.type, x.interaction?.map((i) => i.code)])).toEqual([
      ['Immunization', ['read', 'search-type', 'create', 'delete']],
      ['Patient', ['search-type']],
    ]);
  });

  it('POST registers through the core (201), a retry is the same vaccination (200 DUPLICATE_REPLAY); search and read return it as BeVaccination', async () => {
    const created = await call('POST', '/Immunization', JSON.stringify(immunization('gp-1')));
    expect([created.status, codesOf(created)]).toEqual([201, ['OK']]);
    const location = String(created.headers.location);
    const id = location.split('/').pop()!;
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    const again = await call('POST', '/Immunization', JSON.stringify(immunization('gp-1')));
    expect([again.status, codesOf(again), again.headers.location]).toEqual([200, ['DUPLICATE_REPLAY'], location]);

    const found = await search('');
    expect(found.status).toBe(200);
    expect(matchesOf(found).map((i) => i.id)).toEqual([id]);
    // Peeters has no consent or link for Emma: he sees his own doses, and the Bundle says so.
    const notice = (found.body as Bundle).entry?.find((e) => e.search?.mode === 'outcome')?.resource as OperationOutcome;
    expect(notice.issue?.map((i) => [i.severity, i.details?.coding?.[0]?.code])).toEqual([['information', 'ACCESS_OWN_ONLY']]);
    const read = await call('GET', `/Immunization/${id}`);
    expect(read.status).toBe(200);
    const imm = read.body as Immunization;
    expect(imm.identifier).toEqual([
      { system: SYSTEM.vaccinnetRecord, value: id },
      { system: 'urn:vaccinnet:sender-id:https://gp.example/immunization', value: 'gp-1' },
    ]);
    expect(imm.extension?.find((e) => e.url === EXT.administeredProduct)?.extension).toContainEqual({ url: 'lotNumber', valueString: 'FK8891' });
    const audit = await t.registry.store.audit.forPerson(PATIENTS.emma.insz);
    expect(audit.filter((a) => a.channel === 'fhir').map((a) => [a.action, a.outcome])).toEqual([
      ['register', 'OK'],
      ['replay', 'DUPLICATE_REPLAY'],
      // Its own registrations only: no consent or link for Emma.
      ['read', 'ACCESS_OWN_ONLY'],
      ['read', 'ACCESS_OWN_ONLY'],
    ]);
  });

  it('the same sender id with other content is SENDER_IDS_REUSED (409), as on SOAP', async () => {
    const r = await call('POST', '/Immunization', JSON.stringify(immunization('gp-1', { occurrenceDateTime: '2024-10-14' })));
    expect([r.status, codesOf(r)]).toEqual([409, ['SENDER_IDS_REUSED']]);
  });

  it('a refused dose answers its catalogue code with the FHIRPath of the element, and stores nothing', async () => {
    const before = await stored();
    const noLot = await call('POST', '/Immunization', JSON.stringify(immunization('gp-2', {}, null)));
    expect(noLot.status).toBe(422);
    expect((noLot.body as OperationOutcome).issue).toEqual([
      expect.objectContaining({
        severity: 'error',
        details: expect.objectContaining({ coding: [{ system: SYSTEM.statusCode, code: 'COVID_LOT_MISSING' }] }),
        expression: [`Immunization.extension('${EXT.administeredProduct}').extension('lotNumber').value`],
      }),
    ]);
    const future = await call('POST', '/Immunization', JSON.stringify(immunization('gp-3', { occurrenceDateTime: '2999-01-01' })));
    expect(codesOf(future)).toContain('DATE_IN_FUTURE');
    expect((future.body as OperationOutcome).issue?.find((i) => i.details?.coding?.[0]?.code === 'DATE_IN_FUTURE')?.expression).toEqual([
      'Immunization.occurrence',
    ]);
    const lotNumber = await call('POST', '/Immunization', JSON.stringify(immunization('gp-4', { lotNumber: 'FK8891' })));
    expect([lotNumber.status, codesOf(lotNumber), (lotNumber.body as OperationOutcome).issue?.[0]?.expression]).toEqual([
      422,
      ['FHIR_ELEMENT_INVALID'],
      ['Immunization.lotNumber'],
    ]);
    expect(await stored()).toBe(before);
  });

  it('stores a dose with elements the registry does not keep, and names each of them (FHIR_ELEMENT_NOT_KEPT)', async () => {
    const extras = {
      site: { coding: [{ system: SYSTEM.snomed, code: '35259002' }] },
      note: [{ text: 'left arm' }],
      doseQuantity: { value: 1, unit: 'mL' },
    };
    const base = immunization('gp-extras', { ...extras, occurrenceDateTime: '2021-04-04' });
    const confirmation = {
      url: 'https://www.ehealth.fgov.be/standards/fhir/vaccination/StructureDefinition/be-ext-vaccination-confirmationStatus',
      valueCode: 'confirmed',
    };
    const r = await call('POST', '/Immunization', JSON.stringify({ ...base, extension: [...(base.extension as unknown[]), confirmation] }));
    expect(r.status).toBe(201);
    const issues = (r.body as OperationOutcome).issue ?? [];
    expect(issues.map((i) => [i.severity, i.details?.coding?.[0]?.code, i.expression?.[0]])).toEqual([
      ['warning', 'FHIR_ELEMENT_NOT_KEPT', 'Immunization.site'],
      ['warning', 'FHIR_ELEMENT_NOT_KEPT', 'Immunization.note'],
      ['warning', 'FHIR_ELEMENT_NOT_KEPT', `Immunization.extension('${confirmation.url}')`],
      ['warning', 'FHIR_ELEMENT_NOT_KEPT', 'Immunization.doseQuantity.unit'],
    ]);
    const id = String(r.headers.location).split('/').pop()!;
    const read = (await call('GET', `/Immunization/${id}`)).body as Immunization;
    expect([read.site, read.note, read.doseQuantity]).toEqual([undefined, undefined, { value: 1 }]);
    // Out of the way of the search test below, which counts Jan's doses.
    expect((await call('DELETE', `/Immunization/${id}`)).status).toBe(200);
  });

  it('refuses bad input with a clear OperationOutcome and stores nothing', async () => {
    const before = await stored();
    const notJson = await call('POST', '/Immunization', '{"resourceType": "Immunization",');
    expect([notJson.status, codesOf(notJson)]).toEqual([400, ['FHIR_NOT_JSON']]);
    const patient = await call('POST', '/Immunization', JSON.stringify({ resourceType: 'Patient' }));
    expect([patient.status, codesOf(patient)]).toEqual([400, ['FHIR_RESOURCE_TYPE']]);
    const huge = await call('POST', '/Immunization', Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect([huge.status, codesOf(huge)]).toEqual([413, ['FHIR_TOO_LARGE']]);
    const deep = await call('POST', '/Immunization', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect([deep.status, codesOf(deep)]).toEqual([400, ['FHIR_JSON_TOO_DEEP']]);
    const xml = await call('POST', '/Immunization', '<Immunization/>', tls, 'application/fhir+xml');
    expect([xml.status, codesOf(xml)]).toEqual([415, ['FHIR_MEDIA_TYPE']]);
    const unknown = await search('&_sort=date');
    expect([unknown.status, codesOf(unknown)]).toEqual([400, ['FHIR_SEARCH_PARAMETER']]);
    const badDate = await search('&date=ge2024-13-01');
    expect([badDate.status, codesOf(badDate)]).toEqual([400, ['FHIR_SEARCH_PARAMETER']]);
    expect(await stored()).toBe(before);
  });

  it('searches by date (ge/le), vaccine-code and pages with _count and next/previous links', async () => {
    for (const [n, date] of [
      ['p-1', '2023-01-10'],
      ['p-2', '2023-06-10'],
    ] as const) {
      expect(
        (await call('POST', '/Immunization', JSON.stringify(immunization(n, { occurrenceDateTime: date, recorded: `${date}T12:00:00+01:00` })))).status,
      ).toBe(201);
    }
    const dates = (r: Reply): (string | undefined)[] => matchesOf(r).map((i) => i.occurrenceDateTime);
    expect(dates(await search(''))).toEqual(['2023-01-10', '2023-06-10', '2024-10-15']);
    expect(dates(await search('&date=ge2023-02-01&date=le2023-12-31'))).toEqual(['2023-06-10']);
    expect(dates(await search('&date=2023'))).toEqual(['2023-01-10', '2023-06-10']);
    expect(dates(await search(`&vaccine-code=${encodeURIComponent(`${SYSTEM.snomed}|28531000087107`)}`))).toHaveLength(3);
    expect(dates(await search('&vaccine-code=871751006'))).toEqual([]);
    const first = await search('&_count=2');
    expect(dates(first)).toEqual(['2023-01-10', '2023-06-10']);
    expect((first.body as Bundle).total).toBe(3);
    const next = (first.body as Bundle).link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = await call('GET', next!.slice(base.length));
    expect(dates(second)).toEqual(['2024-10-15']);
    expect((second.body as Bundle).link?.map((l) => l.relation)).toEqual(['self', 'previous']);
  });

  it('finds the person in the register (Patient?identifier=)', async () => {
    const r = await call('GET', `/Patient?identifier=${encodeURIComponent(`${SYSTEM.ssin}|${PATIENTS.emma.insz}`)}`);
    expect(r.status).toBe(200);
    expect((r.body as Bundle).entry?.[0]?.resource).toMatchObject({
      resourceType: 'Patient',
      identifier: [{ system: SYSTEM.ssin, value: PATIENTS.emma.insz }],
      name: [{ family: PATIENTS.emma.familyname }],
    });
  });

  it('DELETE keeps the vaccination as entered-in-error: gone from search, 410 on read, audited; a second DELETE is 409', async () => {
    const created = await call('POST', '/Immunization', JSON.stringify(immunization('gp-del', { occurrenceDateTime: '2022-05-05' })));
    const id = String(created.headers.location).split('/').pop()!;
    const removed = await call('DELETE', `/Immunization/${id}`);
    expect([removed.status, codesOf(removed)]).toEqual([200, ['OK']]);
    expect((await t.registry.store.vaccinations.getVaccination(PATIENTS.emma.insz, id))?.status).toBe('removed');
    expect(matchesOf(await search('')).map((i) => i.id)).not.toContain(id);
    const gone = await call('GET', `/Immunization/${id}`);
    expect([gone.status, codesOf(gone)]).toEqual([410, ['VACCINATION_ALREADY_REMOVED']]);
    const twice = await call('DELETE', `/Immunization/${id}`);
    expect([twice.status, codesOf(twice)]).toEqual([409, ['VACCINATION_ALREADY_REMOVED']]);
    const audit = await t.registry.store.audit.forPerson(PATIENTS.emma.insz);
    expect(audit.filter((a) => a.action === 'remove' && a.vaccinationId === id).map((a) => [a.outcome, a.channel])).toEqual([
      ['OK', 'fhir'],
      ['VACCINATION_ALREADY_REMOVED', 'fhir'],
    ]);
    const unknown = await call('GET', `/Immunization/${'0'.repeat(32)}`);
    expect([unknown.status, codesOf(unknown)]).toEqual([404, ['VACCINATION_NOT_FOUND']]);
  });

  it('refuses a caller without a client certificate (401), a malformed SSIN (400) and a softwareID not its own (403)', async () => {
    const anonymous = await call('GET', `/Immunization?patient.identifier=${encodeURIComponent(`${SYSTEM.ssin}|${PATIENTS.emma.insz}`)}`, undefined, {
      ca: t.registry.caPem,
    });
    expect([anonymous.status, codesOf(anonymous)]).toEqual([401, ['AUTH_NOT_AUTHENTICATED']]);
    const malformed = await call('GET', `/Immunization?patient.identifier=${encodeURIComponent(`${SYSTEM.ssin}|12345678901`)}`);
    expect(malformed.status).toBe(400);
    expect(codesOf(malformed)[0]).toMatch(/^INSZ_/);
    const other = await new Promise<number>((resolve, reject) => {
      https
        .request(
          `${base}/Immunization?patient.identifier=${encodeURIComponent(`${SYSTEM.ssin}|${PATIENTS.emma.insz}`)}`,
          { ...tls, headers: { 'x-vaccinnet-software-id': 'not_registered' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject)
        .end();
    });
    expect(other).toBe(403);
  });
});
