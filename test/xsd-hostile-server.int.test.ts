/**
 * Issue 18, end to end: a running registry gets hostile KMEHR messages over mutual TLS + WS-Security (an entity bomb,
 * 100 000-deep nesting, a message whose text breaks an xs:date, and one that is not well-formed) and refuses each,
 * then still registers a valid vaccination. The screen refuses the DOCTYPE and the depth before libxml2; what passes
 * it (a broken date, a broken tag) goes to the wasm libxml2 in this process — which must not take the node down.
 */
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistrationMessage } from '../src/client/registration-message.js';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import type { KmehrMessage } from '../src/kmehr/model.js';
import { writeKmehr } from '../src/kmehr/write-kmehr.js';
import { DOCTORS, PATIENTS } from '../src/registry/demo-personas.js';
import { startRegistryUnderTest, type RegistryUnderTest } from './support/registry-under-test.js';

const WSDL_PATH = '/VaccinnetUPL/wupl/VaccinationService-2_1?wsdl';
const NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
let t: RegistryUnderTest;
let counter = 0;

function message(): KmehrMessage {
  counter += 1;
  return buildRegistrationMessage(
    {
      sender: { nihii: DOCTORS.peeters.nihii, ssin: DOCTORS.peeters.ssin, name: 'An Peeters' },
      patient: { insz: PATIENTS.emma.insz },
      product: { cnk: '4293254' },
      date: yesterday,
      lot: 'FK1234',
      now: { date: new Date().toISOString().slice(0, 10), time: '10:00:00', millis: Date.now() * 100 + counter },
    },
    defaultVaccineReference(),
  );
}

function billionLaughs(): string {
  let entities = '<!ENTITY l0 "lol">';
  for (let i = 1; i < 10; i++) entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
  return `<?xml version="1.0"?><!DOCTYPE kmehrmessage [${entities}]><kmehrmessage xmlns="${NS}"><header>&l9;</header></kmehrmessage>`;
}

interface AddResult {
  Status: { Code: string };
  Results?: { Status?: { Code: string } }[];
}

async function add(kmehr: string): Promise<AddResult> {
  const client = await soap.createClientAsync(`${t.url}${WSDL_PATH}`, { wsdl_options: { httpsAgent: t.agent } });
  const key = t.credentials('peeters');
  client.setSecurity(new soap.WSSecurityCert(key.privateKeyPem, key.certificatePem, ''));
  const [result] = (await client.AddVaccinationsAsync(
    { SoftwareId: 'taktik_medispring', PatientId: PATIENTS.emma.insz, Base64EncodedKmehrmessage: [Buffer.from(kmehr).toString('base64')] },
    { httpsAgent: t.agent },
  )) as [AddResult];
  return result;
}

const codes = (r: AddResult): string[] => [r.Status.Code, ...(r.Results ?? []).map((x) => x.Status?.Code ?? '')];

beforeAll(async () => {
  t = await startRegistryUnderTest();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a running registry and hostile KMEHR messages', () => {
  it('refuses each one and keeps serving', async () => {
    const valid = writeKmehr(message());
    const hostile: [string, string, RegExp][] = [
      ['entity bomb', billionLaughs(), /^XML_ENTITY_DECLARATION$/],
      ['deep nesting', `<kmehrmessage xmlns="${NS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</kmehrmessage>`, /^XML_(TOO_DEEP|MALFORMED)$/],
      ['not an xs:date', valid.replace(/<date>[^<]*<\/date>/, '<date>2024-02-30</date>'), /^KMEHR_XSD_INVALID$/],
      ['not well-formed', valid.replace('</header>', '</headr>'), /^XML_MALFORMED$/],
    ];
    for (const [name, kmehr, expected] of hostile) {
      const result = await add(kmehr);
      expect(
        codes(result).some((c) => expected.test(c)),
        `${name}: ${codes(result).join(', ')}`,
      ).toBe(true);
      expect(codes(result), name).not.toContain('OK');
    }
    const before = (await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length;
    const after = await add(writeKmehr(message()));
    expect(codes(after)).toEqual(['OK', 'OK']);
    expect((await t.registry.ports.vaccinations.history(PATIENTS.emma.insz)).length).toBe(before + 1);
  }, 120_000);
});
