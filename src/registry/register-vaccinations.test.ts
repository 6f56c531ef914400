import { afterEach, describe, expect, it } from 'vitest';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { registerVaccinations, allFindings, type RegisterOutcome } from './register-vaccinations.js';
import type { RegistryPorts } from './registry-ports.js';
import {
  DOCTORS,
  IDENTITIES,
  ORGANISATIONS,
  PATIENTS,
  SOFTWARE_IDS,
  UNREGISTERED_INSZ,
  fixedClock,
  personaMessage,
  seedPersonas,
  sequentialIds,
} from './testing/index.js';

const codes = (outcome: RegisterOutcome): string[] =>
  outcome.ok ? outcome.messages.flatMap((m) => allFindings(m).map((f) => f.code)) : outcome.findings.map((f) => f.code);

describe.each(testEngines())('registering vaccinations on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function registry(settings: Partial<RegistryPorts['settings']> = {}): Promise<{ store: Store; ports: RegistryPorts }> {
    store = await engine.open();
    await seedPersonas(store);
    return { store, ports: registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds(), settings }) };
  }

  it('Dr. Peeters registers a dose: stored with everything the registry keeps, and audited', async () => {
    const { store, ports } = await registry();
    const message = personaMessage({ sender: DOCTORS.peeters, messageId: '14700250004.1709287200000' });
    const outcome = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message], patientId: PATIENTS.jan.insz },
      ports,
    );
    expect(codes(outcome)).toEqual([]);
    if (!outcome.ok) throw new Error('refused');
    const result = outcome.messages[0];
    expect(result?.kmehrId).toBe('14700250004.1709287200000');
    const id = result?.transactions[0]?.vaccinationId;
    expect(id).toMatch(/^[0-9A-F]{32}$/);

    const [stored, ...rest] = await store.vaccinations.history(PATIENTS.jan.insz);
    expect(rest).toEqual([]);
    expect(stored).toMatchObject({
      id,
      patientInsz: PATIENTS.jan.insz,
      product: { cnk: '4293254', atc: 'J07BX03', group: 'COVID-19' },
      administeredOn: '2024-03-01',
      quantity: '1',
      lot: 'FK1234',
      registrantKey: 'doctor:14700250004',
      responsibleNihii: '14700250004',
      softwareId: 'taktik_medispring',
      channel: 'registratie',
      senderMessageId: '14700250004.1709287200000',
      registeredAt: '2024-03-10T09:00:00.000Z',
      status: 'active',
    });
    expect(stored?.product.indications).toContain('covid19');
    expect(stored?.itemXml).toContain('FK1234');
    expect(stored?.itemXml).toContain('http://www.ehealth.fgov.be/standards/kmehr/schema/v1');

    expect(await store.audit.forPerson(PATIENTS.jan.insz)).toEqual([
      expect.objectContaining({
        action: 'register',
        outcome: 'OK',
        vaccinationId: id,
        actor: 'doctor:14700250004',
        subject: IDENTITIES.peeters.subject,
        channel: 'registratie',
        softwareId: 'taktik_medispring',
      }),
    ]);
  });

  it('a replay of the same message id returns the original VaccinationId and stores nothing new', async () => {
    const { store, ports } = await registry();
    const message = personaMessage({ sender: DOCTORS.peeters, messageId: 'replay-1' });
    const cmd = { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie' as const, messages: [message] };
    const first = await registerVaccinations(cmd, ports);
    const second = await registerVaccinations(cmd, ports);
    const firstId = first.ok ? first.messages[0]?.transactions[0]?.vaccinationId : undefined;
    expect(firstId).toBeDefined();
    expect(second).toMatchObject({ ok: true, messages: [{ transactions: [{ vaccinationId: firstId, replay: true }] }] });
    expect(codes(second)).toEqual(['DUPLICATE_REPLAY']);
    expect(second.ok && second.messages[0]?.transactions[0]?.findings[0]?.severity).toBe('info');
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toHaveLength(1);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).map((a) => [a.action, a.outcome, a.vaccinationId])).toEqual([
      ['register', 'OK', firstId],
      ['replay', 'DUPLICATE_REPLAY', firstId],
    ]);
  });

  it('the same dose from another doctor is stored with a PROBABLE_DUPLICATE warning naming the match', async () => {
    const { store, ports } = await registry();
    const first = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters })] },
      ports,
    );
    const firstId = first.ok ? first.messages[0]?.transactions[0]?.vaccinationId : undefined;
    const second = await registerVaccinations(
      { caller: IDENTITIES.claes, softwareId: SOFTWARE_IDS.claes, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.claes })] },
      ports,
    );
    expect(codes(second)).toEqual(['PROBABLE_DUPLICATE']);
    const warning = second.ok ? second.messages[0]?.transactions[0]?.findings[0] : undefined;
    expect(warning).toMatchObject({ severity: 'warning', value: firstId });
    expect(warning?.message).toContain('same vaccine group COVID-19');
    expect(warning?.message).toContain('same administration date 2024-03-01');
    expect(warning?.message).toContain('other registrant doctor:14700250004');
    const secondId = second.ok ? second.messages[0]?.transactions[0]?.vaccinationId : undefined;
    expect(secondId).toMatch(/^[0-9A-F]{32}$/);
    expect((await store.vaccinations.history(PATIENTS.jan.insz)).map((v) => v.id)).toEqual([firstId, secondId]);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).map((a) => [a.action, a.outcome, a.actor])).toEqual([
      ['register', 'OK', 'doctor:14700250004'],
      ['register', 'PROBABLE_DUPLICATE', 'doctor:19876585003'],
    ]);
  });

  it('the same dose from two doctors at the same moment: one is stored plainly, the other with the warning naming it (SQLite: decided in the write transaction)', async () => {
    if (engine.name !== 'sqlite') return;
    const { store, ports } = await registry();
    const [a, b] = await Promise.all([
      registerVaccinations(
        { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters })] },
        ports,
      ),
      registerVaccinations(
        { caller: IDENTITIES.claes, softwareId: SOFTWARE_IDS.claes, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.claes })] },
        ports,
      ),
    ]);
    const ids = [a, b].map((o) => (o.ok ? o.messages[0]?.transactions[0]?.vaccinationId : undefined));
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect([codes(a), codes(b)].sort()).toEqual([[], ['PROBABLE_DUPLICATE']]);
    const [plain, warned] = codes(a).length === 0 ? [a, b] : [b, a];
    const plainId = plain.ok ? plain.messages[0]?.transactions[0]?.vaccinationId : undefined;
    expect(warned.ok ? warned.messages[0]?.transactions[0]?.findings[0] : undefined).toMatchObject({ value: plainId });
    const audit = await store.audit.forPerson(PATIENTS.jan.insz);
    expect(audit.map((e) => e.outcome).sort()).toEqual(['OK', 'PROBABLE_DUPLICATE']);
    expect(audit.find((e) => e.outcome === 'PROBABLE_DUPLICATE')?.detail).toContain(plainId);
  });

  const callRefusals = [
    { story: 'a doctor without a profile', caller: IDENTITIES.stranger, softwareId: SOFTWARE_IDS.peeters, code: 'PROFILE_NONE' },
    { story: 'an inactive organisation', caller: IDENTITIES.idewe, softwareId: SOFTWARE_IDS.idewe, code: 'PROFILE_INACTIVE' },
    {
      story: 'an organisation without a responsible doctor',
      caller: IDENTITIES.centrumKortrijk,
      softwareId: SOFTWARE_IDS.centrumKortrijk,
      code: 'PROFILE_NO_RESPONSIBLE_DOCTOR',
    },
    { story: 'a HAIO without a stagemeester', caller: IDENTITIES.wuyts, softwareId: SOFTWARE_IDS.wuyts, code: 'PROFILE_HAIO_NO_STAGEMEESTER' },
    { story: 'an unregistered softwareID', caller: IDENTITIES.peeters, softwareId: 'unknown_software', code: 'SOFTWARE_ID_NOT_REGISTERED' },
    { story: "another profile's softwareID", caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.maes, code: 'SOFTWARE_ID_OTHER_PROFILE' },
    { story: 'a malformed softwareID', caller: IDENTITIES.peeters, softwareId: 'no spaces allowed', code: 'SOFTWARE_ID_MALFORMED' },
  ] as const;

  it.each(callRefusals)('refuses $story with $code: nothing stored, refusal audited', async ({ caller, softwareId, code }) => {
    const { store, ports } = await registry();
    const outcome = await registerVaccinations(
      { caller, softwareId, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters })], patientId: PATIENTS.jan.insz },
      ports,
    );
    expect(outcome.ok).toBe(false);
    expect(codes(outcome)).toEqual([code]);
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([]);
    expect(await store.audit.forPerson(PATIENTS.jan.insz)).toEqual([
      expect.objectContaining({ action: 'refuse', outcome: code, subject: caller.subject, softwareId, channel: 'registratie' }),
    ]);
  });

  const messageRefusals = [
    {
      story: 'Dr. Claes sending a message whose sender is Dr. Peeters',
      caller: IDENTITIES.claes,
      softwareId: SOFTWARE_IDS.claes,
      message: () => personaMessage({ sender: DOCTORS.peeters }),
      code: 'SENDER_MISMATCH',
      location: '/kmehrmessage/header/sender',
    },
    {
      story: 'Dr. Peeters naming Dr. Claes as author',
      caller: IDENTITIES.peeters,
      softwareId: SOFTWARE_IDS.peeters,
      message: () => personaMessage({ sender: DOCTORS.peeters, author: DOCTORS.claes }),
      code: 'AUTHOR_MISMATCH',
      location: '/kmehrmessage/folder[1]/transaction[1]/author',
    },
    {
      story: 'HAIO Janssens naming a stagemeester she is not linked to',
      caller: IDENTITIES.janssens,
      softwareId: SOFTWARE_IDS.janssens,
      message: () => personaMessage({ sender: DOCTORS.janssens, author: DOCTORS.claes }),
      code: 'PROFILE_HAIO_STAGEMEESTER_NOT_LINKED',
      location: '/kmehrmessage/folder[1]/transaction[1]/author',
    },
    {
      story: 'HAIO Janssens naming herself as author',
      caller: IDENTITIES.janssens,
      softwareId: SOFTWARE_IDS.janssens,
      message: () => personaMessage({ sender: DOCTORS.janssens }),
      code: 'PROFILE_HAIO_STAGEMEESTER_NOT_LINKED',
      location: '/kmehrmessage/folder[1]/transaction[1]/author',
    },
    {
      story: 'group practice De Linde naming a doctor who is not a member',
      caller: IDENTITIES.deLinde,
      softwareId: SOFTWARE_IDS.deLinde,
      message: () => personaMessage({ sender: ORGANISATIONS.deLinde, author: DOCTORS.claes }),
      code: 'AUTHOR_MISMATCH',
      location: '/kmehrmessage/folder[1]/transaction[1]/author',
    },
  ] as const;

  it.each(messageRefusals)('refuses $story with $code', async ({ caller, softwareId, message, code, location }) => {
    const { store, ports } = await registry();
    const outcome = await registerVaccinations({ caller, softwareId, channel: 'registratie', messages: [message()] }, ports);
    expect(outcome.ok).toBe(true);
    // The sender story also names a non-matching author: every problem is reported, the sender's first.
    expect(codes(outcome)).toEqual(code === 'SENDER_MISMATCH' ? [code, 'AUTHOR_MISMATCH'] : [code]);
    expect(outcome.ok && allFindings(outcome.messages[0]!)[0]?.location).toBe(location);
    expect(outcome.ok && outcome.messages[0]?.transactions[0]?.vaccinationId).toBeUndefined();
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([]);
    expect(await store.audit.forPerson(PATIENTS.jan.insz)).toEqual([expect.objectContaining({ action: 'refuse', outcome: code, subject: caller.subject })]);
  });

  it('HAIO Janssens registers with her stagemeester Dr. Maes as author: Maes is the responsible doctor', async () => {
    const { store, ports } = await registry();
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.janssens,
        softwareId: SOFTWARE_IDS.janssens,
        channel: 'registratie',
        messages: [personaMessage({ sender: DOCTORS.janssens, author: DOCTORS.maes })],
      },
      ports,
    );
    expect(codes(outcome)).toEqual([]);
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([
      expect.objectContaining({ registrantKey: 'doctor:12345625005', responsibleNihii: DOCTORS.maes.nihii }),
    ]);
  });

  it('group practice De Linde registers for its member Dr. Goossens', async () => {
    const { store, ports } = await registry();
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.deLinde,
        softwareId: SOFTWARE_IDS.deLinde,
        channel: 'registratie',
        messages: [personaMessage({ sender: ORGANISATIONS.deLinde, author: DOCTORS.goossens })],
      },
      ports,
    );
    expect(codes(outcome)).toEqual([]);
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([
      expect.objectContaining({ registrantKey: 'org:NIHII-GROUP_DOCTORS:71000535', responsibleNihii: DOCTORS.goossens.nihii }),
    ]);
  });

  it('refuses an INSZ unknown to the person register in register mode, and accepts it in checksum mode', async () => {
    const { store, ports } = await registry();
    const patient = { insz: UNREGISTERED_INSZ, firstname: 'X', familyname: 'Y', birthdate: '1995-10-10' };
    const cmd = {
      caller: IDENTITIES.peeters,
      softwareId: SOFTWARE_IDS.peeters,
      channel: 'registratie' as const,
      messages: [personaMessage({ sender: DOCTORS.peeters, patient })],
    };
    const refused = await registerVaccinations(cmd, ports);
    expect(codes(refused)).toEqual(['INSZ_UNKNOWN']);
    expect(refused.ok && allFindings(refused.messages[0]!)[0]).toMatchObject({ location: '/kmehrmessage/folder[1]/patient/id', value: UNREGISTERED_INSZ });
    expect(await store.vaccinations.history(UNREGISTERED_INSZ)).toEqual([]);
    expect((await store.audit.forPerson(UNREGISTERED_INSZ)).map((a) => [a.action, a.outcome])).toEqual([['refuse', 'INSZ_UNKNOWN']]);

    const checksumPorts = { ...ports, settings: { ...ports.settings, personCheck: 'checksum' as const } };
    const accepted = await registerVaccinations(cmd, checksumPorts);
    expect(codes(accepted)).toEqual([]);
    expect(await store.vaccinations.history(UNREGISTERED_INSZ)).toHaveLength(1);
  });

  it('refuses a dose administered before the birth date in the person register', async () => {
    const { store, ports } = await registry();
    const message = personaMessage({ sender: DOCTORS.peeters, patient: PATIENTS.lotte, date: '2021-06-01' });
    const outcome = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] },
      ports,
    );
    // The message rules see it from the INSZ; the register's birth date agrees: reported once, not twice.
    expect(codes(outcome)).toEqual(['DATE_BEFORE_BIRTH']);
    expect(await store.vaccinations.history(PATIENTS.lotte.insz)).toEqual([]);
    expect((await store.audit.forPerson(PATIENTS.lotte.insz)).map((a) => [a.action, a.outcome])).toEqual([['refuse', 'DATE_BEFORE_BIRTH']]);
  });

  it('refuses a dose before a birth date only the person register knows (BIS number without a day)', async () => {
    const { store, ports } = await registry();
    const bis = { insz: '72230000123', firstname: 'Alex', familyname: 'Doe' };
    await store.persons.upsertPersons([{ ...bis, birthdate: '1972-03-15' }]);
    const message = personaMessage({ sender: DOCTORS.peeters, patient: bis, date: '1972-03-01', item: { batch: 'LOT1' } });
    const outcome = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] },
      ports,
    );
    expect(codes(outcome)).toEqual(['DATE_BEFORE_BIRTH']);
    expect(outcome.ok && allFindings(outcome.messages[0]!)[0]).toMatchObject({
      location: '/kmehrmessage/folder[1]/transaction[1]/item[1]/beginmoment/date',
      params: { date: '1972-03-15' },
    });
    expect(await store.vaccinations.history(bis.insz)).toEqual([]);
  });

  it('refuses a message whose patient differs from PatientId', async () => {
    const { store, ports } = await registry();
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.peeters,
        softwareId: SOFTWARE_IDS.peeters,
        channel: 'registratie',
        messages: [personaMessage({ sender: DOCTORS.peeters })],
        patientId: PATIENTS.emma.insz,
      },
      ports,
    );
    expect(codes(outcome)).toEqual(['PATIENT_ID_MISMATCH']);
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([]);
  });

  it('judges each of up to five messages on its own: a bad one does not block a good one', async () => {
    const { store, ports } = await registry();
    const good = personaMessage({ sender: DOCTORS.peeters, patient: PATIENTS.emma });
    const bad = personaMessage({ sender: DOCTORS.peeters, patient: PATIENTS.emma, item: { batch: undefined } });
    const outcome = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [good, bad] },
      ports,
    );
    if (!outcome.ok) throw new Error('refused');
    expect(outcome.messages[0]?.transactions[0]?.vaccinationId).toMatch(/^[0-9A-F]{32}$/);
    expect(allFindings(outcome.messages[1]!).map((f) => f.code)).toEqual(['COVID_LOT_MISSING']);
    expect(await store.vaccinations.history(PATIENTS.emma.insz)).toHaveLength(1);
  });

  it('AZ Groeninge uploads a batch: results per transaction, the bad one refused, the good ones stored once', async () => {
    const { store, ports } = await registry();
    const base = personaMessage({ sender: ORGANISATIONS.azGroeninge, author: DOCTORS.wouters, localId: 'uuid-1' });
    const second = personaMessage({ sender: ORGANISATIONS.azGroeninge, author: DOCTORS.wouters, patient: PATIENTS.emma, localId: 'uuid-2' });
    const unknown = personaMessage({
      sender: ORGANISATIONS.azGroeninge,
      author: DOCTORS.wouters,
      localId: 'uuid-3',
      patient: { insz: UNREGISTERED_INSZ, firstname: 'X', familyname: 'Y' },
    });
    const batch = { ...base, folders: [base.folders[0]!, second.folders[0]!, unknown.folders[0]!] };
    const cmd = { caller: IDENTITIES.azGroeninge, softwareId: SOFTWARE_IDS.azGroeninge, channel: 'batch' as const, messages: [batch] };
    const outcome = await registerVaccinations(cmd, ports);
    if (!outcome.ok) throw new Error('refused');
    const results = outcome.messages[0]!.transactions;
    expect(results.map((r) => [r.folder, r.transaction, r.findings.map((f) => f.code)])).toEqual([
      [0, 0, []],
      [1, 0, []],
      [2, 0, ['INSZ_UNKNOWN']],
    ]);
    const [jan] = await store.vaccinations.history(PATIENTS.jan.insz);
    expect(jan).toMatchObject({
      id: results[0]?.vaccinationId,
      senderLocalId: 'uuid-1',
      channel: 'batch',
      registrantKey: 'org:NIHII-HOSPITAL:71000436',
      responsibleNihii: DOCTORS.wouters.nihii,
    });
    const again = await registerVaccinations(cmd, ports);
    expect(again.ok && again.messages[0]?.transactions.map((r) => [r.vaccinationId, r.replay])).toEqual([
      [results[0]?.vaccinationId, true],
      [results[1]?.vaccinationId, true],
      [undefined, false],
    ]);
    expect(await store.vaccinations.history(PATIENTS.emma.insz)).toHaveLength(1);
    expect((await store.audit.forPerson(PATIENTS.emma.insz)).map((a) => a.action)).toEqual(['register', 'replay']);
    expect((await store.audit.forPerson(UNREGISTERED_INSZ)).map((a) => a.outcome)).toEqual(['INSZ_UNKNOWN', 'INSZ_UNKNOWN']);
  });
});
