import fc from 'fast-check';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFindings, registerVaccinations } from '../registry/register-vaccinations.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, fixedClock, seedPersonas, sequentialIds } from '../registry/testing/index.js';
import type { Finding } from '../status/finding.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { EXT, SYSTEM } from './fhir-systems.js';
import { fhirPathOf } from './fhirpath-of.js';
import { fromImmunization } from './from-immunization.js';

/** A valid BeVaccination for Jan by Dr. Peeters (as same-codes.int.test.ts writes it), the seed every mutation starts from. */
function valid(localId: string): Record<string, unknown> {
  return {
    resourceType: 'Immunization',
    extension: [
      { url: EXT.recorder, valueReference: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: DOCTORS.peeters.nihii } } },
      {
        url: EXT.administeredProduct,
        extension: [
          { url: 'coded', valueCodeableConcept: { coding: [{ system: SYSTEM.cnk, code: '4293254' }] } },
          { url: 'lotNumber', valueString: 'FK1234' },
        ],
      },
    ],
    identifier: [{ system: 'urn:vaccinnet:sender-id:UUID', value: localId }],
    status: 'completed',
    vaccineCode: { coding: [{ system: SYSTEM.snomed, code: '28531000087107' }] },
    patient: { type: 'Patient', identifier: { system: SYSTEM.ssin, value: PATIENTS.jan.insz } },
    occurrenceDateTime: '2024-03-01',
    recorded: '2024-03-01T10:00:00+01:00',
    performer: [{ actor: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: DOCTORS.peeters.nihii } } }],
    doseQuantity: { value: 1 },
  };
}

const KEYS = [...Object.keys(valid('x')), 'reaction', 'lotNumber', 'occurrenceString', 'encounter', 'contained', '__proto__', 'constructor'];

/** Whatever a JSON body can hold (JSON.parse output: no undefined, no prototypes beyond Object). */
const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** One to three edits of the valid resource: a top-level element replaced or dropped, or a nested value replaced. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...KEYS), value: jsonValue }),
  fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...KEYS) }),
  fc.record({
    kind: fc.constant('deep' as const),
    path: fc.constantFrom(
      ['extension', 0, 'valueReference', 'identifier', 'value'],
      ['extension', 1, 'extension', 0, 'valueCodeableConcept', 'coding', 0, 'code'],
      ['extension', 1, 'extension', 1, 'valueString'],
      ['identifier', 0, 'system'],
      ['identifier', 0, 'value'],
      ['patient', 'identifier', 'value'],
      ['vaccineCode', 'coding', 0],
      ['performer', 0, 'actor', 'identifier'],
      ['doseQuantity', 'value'],
    ),
    value: jsonValue,
  }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(resource: Record<string, unknown>, edits: readonly Edit[]): unknown {
  const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
  for (const e of edits) {
    if (e.kind === 'set') copy[e.key] = e.value;
    else if (e.kind === 'drop') delete copy[e.key];
    else {
      let at: unknown = copy;
      for (const step of e.path.slice(0, -1)) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[step] : undefined;
      if (typeof at === 'object' && at !== null) (at as Record<string | number, unknown>)[e.path.at(-1)!] = e.value;
    }
  }
  // What the server receives is text: the edit goes through the JSON a client would send.
  return JSON.parse(JSON.stringify(copy)) as unknown;
}

/**
 * A FHIRPath fhirpath.js parses and evaluates (an expression that does not parse throws), on the valid seed: the
 * mutated input may not be FHIR at all (`extension: [null]` trips fhirpath.js itself).
 */
function evaluates(expression: string): boolean {
  fhirpath.evaluate(valid('x'), expression, undefined, r4);
  return true;
}

describe.each(testEngines())('hostile Immunizations through the registration core on $name', (engine) => {
  let store: Store;
  let ports: RegistryPorts;
  beforeAll(async () => {
    store = await engine.open();
    await seedPersonas(store);
    ports = registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('never throw, store a dose only when no error is found, and point every finding at a FHIRPath that evaluates', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        run += 1;
        const input = apply(valid(`hostile-${run}`), edits);
        const before = (await store.vaccinations.history(PATIENTS.jan.insz)).length;
        const read = fromImmunization(input);
        let findings: readonly Finding[];
        let expressions: string[];
        if (!read.ok) {
          findings = read.findings;
          expect(findings.length).toBeGreaterThan(0);
          expressions = findings.map((f) => f.location ?? 'Immunization');
        } else {
          const outcome = await registerVaccinations(
            { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'fhir', messages: [read.message] },
            ports,
          );
          findings = outcome.ok ? outcome.messages.flatMap((m) => allFindings(m)) : outcome.findings;
          expressions = [...findings.map((f) => fhirPathOf(f.location, read.paths)), ...read.notKept.map((f) => f.location ?? '')];
        }
        for (const x of expressions) expect(evaluates(x), x).toBe(true);
        const after = (await store.vaccinations.history(PATIENTS.jan.insz)).length;
        // A replay (another run's edit may repeat its sender id and content) stores nothing either.
        const refused = !read.ok || findings.some((f) => f.severity === 'error' || f.code === 'DUPLICATE_REPLAY');
        expect(after - before).toBe(refused ? 0 : 1);
      }),
      { numRuns: engine.name === 'sqlite' ? 300 : 150 },
    );
  });
});
