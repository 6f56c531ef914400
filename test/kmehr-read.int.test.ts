/**
 * Issue 13 §3 end to end: the real server (SQLite and PostgreSQL), real mutual TLS with the demo certificates. Doses
 * registered over RegistratieService come back from `GET /kmehr/subject/<SSIN>/vaccination` as Vitalink-shaped
 * KMEHR messages: XSD-valid, read back by our reader to the stored fields; refusals carry catalogued codes and
 * HTTP statuses; every read, allowed or refused, is in the person's audit.
 */
import { execFile } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistratieClient } from '../src/client/registratie-client.js';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { parseKmehr } from '../src/kmehr/parse-kmehr.js';
import { readVitalinkVaccination } from '../src/kmehr/read-vitalink-vaccination.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { createXsdValidator } from '../src/kmehr/xsd/xsd-validator.js';
import { DOCTORS, PATIENTS } from '../src/registry/demo-personas.js';
import { CATALOGUE } from '../src/status/catalogue.js';
import { testEngines } from '../src/store/testing/test-engines.js';
import { DEMO_PASSWORD } from '../src/server/demo/demo-seed.js';
import { REPO_ROOT, SCHEMA_DIR, startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const reference = defaultVaccineReference();
const xsd = createXsdValidator(SCHEMA_DIR);
// Emma: the demo seeds no doses for her (it does for Jan and Lotte), so the counts below are the test's own.
const patient = PATIENTS.emma;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

describe.each(testEngines())('KMEHR read over mutual TLS on $name', (engine) => {
  let t: RegistryUnderTest;
  let ids: string[] = [];
  const agents: https.Agent[] = [];

  /** GET over HTTPS, with a persona's certificate (or none). */
  function get(path: string, persona?: string, headers: Record<string, string> = {}): Promise<Answer> {
    const key = persona === undefined ? undefined : t.credentials(persona);
    const agent = new https.Agent({ ca: t.registry.caPem, ...(key && { cert: key.certificatePem, key: key.privateKeyPem }) });
    agents.push(agent);
    return new Promise((resolve, reject) => {
      https
        .get(new URL(path, t.url), { agent, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        })
        .on('error', reject);
    });
  }

  const list = (persona: string | undefined, query: string, ssin = patient.insz) => get(`/kmehr/subject/${ssin}/vaccination${query}`, persona);
  const statusOf = (a: Answer) => (JSON.parse(a.body) as { status: { code: string; message: string } }).status;

  beforeAll(async () => {
    const store = await engine.open();
    const url = engine.lastUrl();
    await store.close();
    t = await startRegistryUnderTest({ databaseUrl: url });
    const key = t.credentials('peeters');
    const client = new RegistratieClient({ baseUrl: t.url, ca: t.registry.caPem!, key, authentication: 'mutual-tls' });
    const doses = [
      { product: { cnk: '4293254' }, date: '2024-03-10', lot: 'FK&<1234>' },
      { product: { cnk: '1734094' }, date: '2024-05-02', lot: 'BX99', quantity: '1.00' },
      { product: { vaccinnetCode: 'COVID-19/MDRNA001' }, date: '2024-06-20', lot: 'MOD-7' },
    ];
    ids = [];
    for (const [i, d] of doses.entries()) {
      const message = buildRegistrationMessage(
        {
          sender: { nihii: DOCTORS.peeters.nihii, ssin: DOCTORS.peeters.ssin },
          patient: { insz: patient.insz },
          ...d,
          now: { date: '2024-07-01', time: '10:00:00', millis: Date.now() * 10 + i },
        },
        reference,
      );
      const added = await client.addVaccinations({ softwareId: key.softwareId, patientId: patient.insz, messages: [{ kmehr: writeKmehr(message) }] });
      const id = added.results[0]?.vaccinationId?.value;
      if (added.status.code !== 'OK' || id === undefined) throw new Error(JSON.stringify(added));
      ids.push(id);
    }
    // The third is removed: a removed dose is never emitted.
    const removed = await client.removeVaccination({ softwareId: key.softwareId, patientId: patient.insz, vaccinationId: ids[2]! });
    if (removed.status.code !== 'OK') throw new Error(JSON.stringify(removed));
    client.close();
  }, 120_000);

  afterAll(async () => {
    for (const a of agents) a.destroy();
    await t?.close();
  });

  it('lists each active vaccination as one XSD-valid KMEHR message that reads back to the stored dose', async () => {
    const softwareId = t.credentials('peeters').softwareId;
    const answer = await list('peeters', `?softwareId=${softwareId}`);
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('application/json');
    const body = JSON.parse(answer.body) as { status: { code: string; message: string }; subject: string; entries: { uri: string; kmehr: string }[] };
    // Peeters reads only what he registered (no consent or link for Emma): the list's status says so, still HTTP 200.
    expect(body.status.code).toBe('ACCESS_OWN_ONLY');
    expect(body.status.message).toContain('Only the vaccinations you registered yourself');
    expect(body.subject).toBe(patient.insz);
    expect(body.entries.map((e) => e.uri)).toEqual(ids.slice(0, 2).map((id) => `/subject/${patient.insz}/vaccination/${id}/1`));
    for (const [i, entry] of body.entries.entries()) {
      expect(xsd.validateBytes(entry.kmehr)).toEqual([]);
      const parsed = parseKmehr(entry.kmehr);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
      const read = readVitalinkVaccination(parsed.message);
      if (!read.ok) throw new Error(read.problem);
      const stored = (await t.registry.ports.vaccinations.getVaccination(patient.insz, ids[i]!))!;
      expect(read.vaccination).toEqual({
        address: { ssin: patient.insz, vaccinationId: stored.id, version: 1 },
        registeredAt: stored.registeredAt,
        responsibleNihii: stored.responsibleNihii,
        product: {
          ...(stored.product.cnk !== undefined && { cnk: stored.product.cnk }),
          ...(stored.product.name !== undefined && { name: stored.product.name }),
          ...(stored.product.vaccinnetCode !== undefined && { vaccinnetCode: stored.product.vaccinnetCode }),
          ...(stored.product.atc !== undefined && { atc: stored.product.atc }),
          indications: stored.product.indications,
        },
        administeredOn: stored.administeredOn,
        ...(stored.quantity !== undefined && { quantity: stored.quantity }),
        ...(stored.lot !== undefined && { lot: stored.lot }),
      });
      // The person register fills the patient; the reading doctor and software are the recipients.
      expect(read.patient).toEqual({ firstname: patient.firstname, familyname: patient.familyname, birthdate: patient.birthdate, sex: patient.sex });
      expect(entry.kmehr).toContain(`<id S="LOCAL" SV="1.0" SL="endusersoftwareinfo">${softwareId}</id>`);
    }
    expect(body.entries[0]!.kmehr).toContain('<batch>FK&amp;&lt;1234&gt;</batch>');
    const audit = await t.registry.ports.audit.forPerson(patient.insz);
    // The caller reads its own registrations only (no consent or link for Emma): audited as such.
    expect(audit.at(-1)).toMatchObject({
      action: 'read',
      outcome: 'ACCESS_OWN_ONLY',
      channel: 'kmehr-read',
      softwareId,
      actor: `doctor:${DOCTORS.peeters.nihii}`,
      detail: 'access own registrations only (ACCESS_NO_CONSENT); 2 vaccination(s)',
    });
  });

  it('since=YYYY-MM-DD keeps the doses administered on or after it; each entry is also served alone at its vitalinkuri', async () => {
    const softwareId = t.credentials('peeters').softwareId;
    const since = JSON.parse((await list('peeters', `?softwareId=${softwareId}&since=2024-04-01`)).body) as { entries: { uri: string; kmehr: string }[] };
    expect(since.entries.map((e) => e.uri)).toEqual([`/subject/${patient.insz}/vaccination/${ids[1]}/1`]);
    const one = await get(`/kmehr${since.entries[0]!.uri}?softwareId=${softwareId}`, 'peeters');
    expect(one.status).toBe(200);
    expect(one.type).toContain('application/xml');
    // The same dose: only the header (message id, moment) is the answer's own.
    const folder = (xml: string) => /<folder>.*<\/folder>/s.exec(xml)?.[0];
    expect(folder(one.body)).toBe(folder(since.entries[0]!.kmehr));
    expect(folder(one.body)).toBeDefined();
    // A removed dose, and a version that does not exist, are not found.
    for (const uri of [`${ids[2]}/1`, `${ids[0]}/2`]) {
      const gone = await get(`/kmehr/subject/${patient.insz}/vaccination/${uri}?softwareId=${softwareId}`, 'peeters');
      expect([gone.status, statusOf(gone).code]).toEqual([404, 'VACCINATION_NOT_FOUND']);
    }
  });

  it('`vaccinnet get --vitalink` reads the same entries with the demo keystore, the INSZ masked', async () => {
    const key = t.credentials('peeters');
    const args = ['get', '--vitalink', '--p12', key.p12Path, '--password', DEMO_PASSWORD, '--software-id', key.softwareId, '--url', t.url];
    // Asynchronously: the server under test answers on this process's event loop.
    const run = (...more: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        const cli = [path.join(REPO_ROOT, 'bin/vaccinnet.mjs'), ...args, '--ca', path.join(t.registry.config.pki.dir, 'ca.cert.pem'), ...more];
        execFile(process.execPath, cli, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
        );
      });
    const shown = await run('--patient', patient.insz);
    // Only his own doses (no consent or link for Emma): said on stderr, the list on stdout.
    expect(shown.stderr).toBe(`note: ACCESS_OWN_ONLY — ${CATALOGUE.ACCESS_OWN_ONLY.text.en.replace('{detail}', 'ACCESS_NO_CONSENT')}\n`);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(`2 vaccination(s) of ${patient.insz.slice(0, 6)}*****:`);
    expect(shown.stdout).toContain(`lot BX99  /subject/${patient.insz.slice(0, 6)}*****/vaccination/${ids[1]}/1`);
    expect(shown.stdout).not.toContain(patient.insz);
    const refused = await run('--patient', '85071412331');
    expect([refused.status, refused.stdout]).toEqual([1, expect.stringContaining('refused: INSZ_CHECKSUM')]);
  });

  it.each([
    { name: 'no client certificate', persona: undefined, query: '?softwareId=taktik_medispring', http: 401, code: 'AUTH_NOT_AUTHENTICATED', action: 'refuse' },
    {
      name: 'a hospital certificate (BatchUpload only)',
      persona: 'azGroeninge',
      query: '?softwareId=dxc_vaccinnet_azgroeninge',
      http: 403,
      code: 'AUTH_WRONG_SERVICE',
      action: 'refuse',
    },
    { name: 'no softwareId', persona: 'peeters', query: '', http: 400, code: 'SOFTWARE_ID_MALFORMED', action: 'read' },
    {
      name: "another profile's softwareId",
      persona: 'peeters',
      query: '?softwareId=corilus_careconnect',
      http: 403,
      code: 'SOFTWARE_ID_OTHER_PROFILE',
      action: 'read',
    },
  ])('$name → HTTP $http $code, audited against the person', async ({ persona, query, http, code, action }) => {
    const before = (await t.registry.ports.audit.forPerson(patient.insz)).length;
    const answer = await list(persona, query);
    expect([answer.status, statusOf(answer).code]).toEqual([http, code]);
    expect(answer.body).not.toContain('<kmehrmessage');
    const rows = (await t.registry.ports.audit.forPerson(patient.insz)).slice(before);
    expect(rows).toMatchObject([{ action, outcome: code, channel: 'kmehr-read' }]);
  });

  it('a malformed SSIN, an unknown or repeated parameter and a bad date are refused with their codes, the SSIN masked', async () => {
    const bad = await list('peeters', '?softwareId=taktik_medispring', '85071412331');
    expect([bad.status, statusOf(bad).code]).toEqual([CATALOGUE.INSZ_CHECKSUM.http, 'INSZ_CHECKSUM']);
    expect(bad.body).not.toContain('85071412331');
    for (const query of ['?softwareId=taktik_medispring&sinse=2024-01-01', '?softwareId=a&softwareId=b', '?softwareId=taktik_medispring&since=2024-02-30']) {
      const answer = await list('peeters', query);
      expect([answer.status, statusOf(answer).code]).toEqual([400, 'REQUEST_PARAMETER_INVALID']);
    }
    const french = await get(`/kmehr/subject/${patient.insz}/vaccination?since=x`, 'peeters', { 'accept-language': 'fr' });
    expect(statusOf(french).message).toContain("n'est pas valide");
  });
});
