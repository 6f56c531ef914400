import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Item } from '../kmehr/model.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { DOCTORS, IDENTITIES, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, UNREGISTERED_INSZ, seedPersonas } from '../registry/demo-personas.js';
import type { Person } from '../registry/person.js';
import { organisationKey } from '../registry/profile.js';
import { allFindings, registerVaccinations } from '../registry/register-vaccinations.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { personaMessage } from '../registry/testing/persona-messages.js';
import type { Finding } from '../status/finding.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { createBatchWorker } from './batch-worker.js';
import { storedResults } from './testing/stored-results.js';

/**
 * Issue 12 §1: every rule lives once, so the same vaccination sent through RegistratieService's use case (a doctor,
 * synchronous, one message per dose) and through BatchUpload's (an organisation; the delivery stored as the intake
 * stores it, then processed by a real batch worker: streaming reader, planner, bulk use case, SQL) gets the same
 * findings — code, location and value — on both engines, in `register` mode (rule 4 against the person register).
 */

/** One dose as both channels send it; `sender`, header and author differ per channel, the rest is the same. */
interface Case {
  readonly name: string;
  readonly patient: Person;
  readonly date: string;
  /** The transaction's LOCAL id (the sender key on both channels); default unique per case. */
  readonly localId?: string;
  readonly item?: Partial<Item>;
  /** The patient's sex as sent, when it differs from the register's. */
  readonly sentSex?: 'male' | 'female';
}

const unregistered: Person = { insz: UNREGISTERED_INSZ, firstname: 'Niet', familyname: 'Gekend', birthdate: '1995-10-10', sex: 'male' };

/** Emma's dose of 2024-05-05 is already stored by Dr. Claes (another registrant) before either channel sends one. */
const EARLIER_DOSE = { patient: PATIENTS.emma, date: '2024-05-05' };

const CASES: readonly Case[] = [
  { name: 'a valid dose', patient: PATIENTS.jan, date: '2024-03-01' },
  { name: 'patient data contradicting the register', patient: PATIENTS.jan, date: '2024-03-02', sentSex: 'female' },
  { name: 'an INSZ unknown to the register', patient: unregistered, date: '2024-03-01' },
  { name: 'an administration date in the future', patient: PATIENTS.jan, date: '2099-01-01' },
  { name: 'an administration date before the birth date', patient: PATIENTS.lotte, date: '2020-01-01' },
  { name: 'a probable duplicate of another registrant’s dose', patient: EARLIER_DOSE.patient, date: EARLIER_DOSE.date },
  { name: 'no product code', patient: PATIENTS.jan, date: '2024-03-04', item: { contents: [] } },
];

/** Sent first, then again: the same content is a replay; other content under the same ids is refused. */
const FIRST = { name: 'first of a pair', patient: PATIENTS.lotte, date: '2024-02-01', localId: 'pair-1' } satisfies Case;
const AGAIN: readonly Case[] = [
  { ...FIRST, name: 'the same dose again (replay)' },
  { ...FIRST, name: 'other content under the same ids', date: '2024-02-02' },
];

type Seen = readonly (readonly [code: string, location: string | undefined, value: string | undefined])[];

function seen(findings: readonly { c?: string; code?: string; l?: string; location?: string; v?: string; value?: string }[]): Seen {
  return findings.map((f) => [f.code ?? f.c ?? '', f.location ?? f.l, f.value ?? f.v] as const).sort((a, b) => a.join('|').localeCompare(b.join('|')));
}

function kmehrOf(c: Case, channel: 'registratie' | 'batch', run: string): string {
  const patient = c.sentSex ? { ...c.patient, sex: c.sentSex } : c.patient;
  const message = personaMessage({
    sender: channel === 'registratie' ? DOCTORS.peeters : ORGANISATIONS.azGroeninge,
    author: channel === 'registratie' ? DOCTORS.peeters : DOCTORS.wouters,
    patient,
    date: c.date,
    localId: `${run}-${c.localId ?? c.name}`,
    messageId: `${run}.${channel}.${randomUUID()}`,
    ...(c.item && { item: c.item }),
  });
  return writeKmehr(message);
}

async function viaRegistratie(ports: RegistryPorts, c: Case, run: string): Promise<{ seen: Seen; vaccinationId?: string }> {
  const parsed = parseKmehr(kmehrOf(c, 'registratie', run));
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.findings.map((f) => f.code).join()}`);
  const outcome = await registerVaccinations(
    { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [parsed.message], patientId: c.patient.insz },
    ports,
  );
  if (!outcome.ok) throw new Error(`call refused: ${outcome.findings.map((f) => f.code).join()}`);
  const message = outcome.messages[0]!;
  const vaccinationId = message.transactions[0]?.vaccinationId;
  return { seen: seen(allFindings(message) as Finding[]), ...(vaccinationId && { vaccinationId }) };
}

async function viaBatch(store: Store, ports: RegistryPorts, cases: readonly Case[], run: string): Promise<{ seen: Seen; vaccinationId?: string }[]> {
  const repo = DeliveryRepository.of(store);
  const az = ORGANISATIONS.azGroeninge;
  const out: { seen: Seen; vaccinationId?: string }[] = [];
  // One delivery per dose, delivered in order: a replay must follow the dose it repeats, as on the other channel.
  for (const c of cases) {
    const id = randomUUID();
    await repo.storeDelivery(
      {
        id,
        operation: 'Aanleveren',
        organisationKey: organisationKey(az.idType, az.id),
        userCode: az.userCode,
        softwareId: SOFTWARE_IDS.azGroeninge,
        caller: JSON.stringify(IDENTITIES.azGroeninge satisfies CallerIdentity),
        receivedAt: ports.clock.now().toISOString(),
      },
      (async function* () {
        yield Buffer.from(kmehrOf(c, 'batch', run));
      })(),
    );
    const worker = createBatchWorker({ repo, ports, log: pino({ level: 'silent' }), intervalSeconds: 3600, retentionDays: 30 });
    expect(await worker.runOnce()).toBe(1);
    const [result] = await storedResults(repo, id);
    if (!result) throw new Error(`no result for ${c.name}`);
    out.push({ seen: seen(result[8]), ...(result[9] && { vaccinationId: result[9] }) });
  }
  return out;
}

/** A fresh store with the demo personas and Emma's earlier dose stored by Dr. Claes (another registrant). */
async function seeded(open: () => Promise<Store>): Promise<{ store: Store; ports: RegistryPorts; earlierId: string }> {
  const store = await open();
  await seedPersonas(store);
  const ports = registryPortsOf(store, { settings: { personCheck: 'register' } });
  const message = parseKmehr(writeKmehr(personaMessage({ sender: DOCTORS.claes, patient: EARLIER_DOSE.patient, date: EARLIER_DOSE.date, localId: 'claes-1' })));
  if (!message.ok) throw new Error('seed message does not parse');
  const outcome = await registerVaccinations(
    { caller: IDENTITIES.claes, softwareId: SOFTWARE_IDS.claes, channel: 'registratie', messages: [message.message] },
    ports,
  );
  const earlierId = outcome.ok ? outcome.messages[0]?.transactions[0]?.vaccinationId : undefined;
  if (!earlierId) throw new Error('the earlier dose was not stored');
  return { store, ports, earlierId };
}

describe.each(testEngines())('one registration core on $name: the same findings through RegistratieService and BatchUpload', (engine) => {
  it('for valid, warned, refused, duplicate, replayed and reused-id doses', async () => {
    // Each channel on its own store holding the same state: what one stores must not become the other's duplicate.
    const single = await seeded(() => engine.open());
    const bulk = await seeded(() => engine.open());
    try {
      const all = [...CASES, FIRST, ...AGAIN];
      const registratie: { seen: Seen; vaccinationId?: string }[] = [];
      for (const c of all) registratie.push(await viaRegistratie(single.ports, c, 'run'));
      const batch = await viaBatch(bulk.store, bulk.ports, all, 'run');

      // Ids the two stores gave differently are compared by role: the earlier dose, and each channel's first of the pair.
      const normalise = (s: Seen, ids: Record<string, string | undefined>): Seen =>
        s.map(([c, l, v]) => [c, l, Object.entries(ids).find(([, id]) => id !== undefined && id === v)?.[0] ?? v] as const);
      const r = Object.fromEntries(
        all.map((c, i) => [c.name, normalise(registratie[i]!.seen, { '<earlier>': single.earlierId, '<first>': registratie[CASES.length]!.vaccinationId })]),
      );
      const b = Object.fromEntries(
        all.map((c, i) => [c.name, normalise(batch[i]!.seen, { '<earlier>': bulk.earlierId, '<first>': batch[CASES.length]!.vaccinationId })]),
      );
      expect(b).toEqual(r);

      // And the findings are the ones each case is about (so "equal" is not "equally empty").
      const codes = (n: string): string[] => r[n]!.map(([c]) => c);
      expect(codes('a valid dose')).toEqual([]);
      expect(codes('patient data contradicting the register')).toEqual(['PATIENT_DATA_MISMATCH']);
      expect(codes('an INSZ unknown to the register')).toContain('INSZ_UNKNOWN');
      expect(codes('an administration date before the birth date')).toContain('DATE_BEFORE_BIRTH');
      expect(codes('an administration date in the future')).toContain('DATE_IN_FUTURE');
      expect(codes('no product code')).toContain('PRODUCT_NOT_IDENTIFIED');
      expect(r['a probable duplicate of another registrant’s dose']).toContainEqual([
        'PROBABLE_DUPLICATE',
        '/kmehrmessage/folder[1]/transaction[1]',
        '<earlier>',
      ]);
      expect(r['the same dose again (replay)']).toEqual([['DUPLICATE_REPLAY', '/kmehrmessage/folder[1]/transaction[1]', '<first>']]);
      expect(codes('other content under the same ids')).toEqual(['SENDER_IDS_REUSED']);
    } finally {
      await single.store.close();
      await bulk.store.close();
    }
  });
});
