import { afterEach, describe, expect, it } from 'vitest';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { declareLink, endLink, addExclusion, recordConsent, type AccessActor } from './access/manage-access.js';
import { getHistory, type GetHistoryCommand } from './get-history.js';
import { doctorKey, organisationKey } from './profile.js';
import { registerVaccinations } from './register-vaccinations.js';
import type { RegistryPorts } from './registry-ports.js';
import { DOCTORS, IDENTITIES, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from './testing/index.js';

const JAN = PATIENTS.jan.insz;
const operator: AccessActor = { by: 'operator:helpdesk', subject: 'operator helpdesk', channel: 'cli' };
type Persona = 'peeters' | 'claes' | 'goossens' | 'janssens' | 'deLinde';
const GOOSSENS_SOFTWARE = 'mediris_goossens';
const softwareOf = (who: Persona): string => (who === 'goossens' ? GOOSSENS_SOFTWARE : SOFTWARE_IDS[who]);

describe.each(testEngines())('getHistory applies the read rule on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setup(breakTheGlass = false): Promise<{ store: Store; ports: RegistryPorts; clock: ReturnType<typeof fixedClock> }> {
    store = await engine.open();
    await seedPersonas(store);
    // Dr. Goossens (member of De Linde) reads with software of her own; the cast registers none for her.
    await store.profiles.registerSoftwareId(GOOSSENS_SOFTWARE, doctorKey(DOCTORS.goossens.nihii));
    const clock = fixedClock('2024-03-10T09:00:00Z');
    const ports = registryPortsOf(store, { clock, ids: sequentialIds(), settings: { access: { eidLinkMonths: 15, otherLinkMonths: 3, breakTheGlass } } });
    return { store, clock, ports };
  }

  async function registers(ports: RegistryPorts, who: 'peeters' | 'claes', date: string): Promise<string> {
    const outcome = await registerVaccinations(
      { caller: IDENTITIES[who], softwareId: SOFTWARE_IDS[who], channel: 'registratie', messages: [personaMessage({ sender: DOCTORS[who], date })] },
      ports,
    );
    const id = outcome.ok ? outcome.messages[0]?.transactions[0]?.vaccinationId : undefined;
    if (!id) throw new Error(`registration failed: ${JSON.stringify(outcome)}`);
    return id;
  }

  const read = (ports: RegistryPorts, who: Persona, extra: Partial<GetHistoryCommand> = {}) =>
    getHistory({ actor: IDENTITIES[who], softwareId: softwareOf(who), channel: 'registratie', insz: JAN, ...extra }, ports);
  const ids = (o: Awaited<ReturnType<typeof getHistory>>) => (o.ok ? o.vaccinations.map((v) => v.id) : o.findings.map((f) => f.code));

  it('Dr. Claes: refused without consent, then without link; reads all with both; refused again when the link ends — Peeters keeps his own throughout', async () => {
    const { store, ports, clock } = await setup();
    const byPeeters = await registers(ports, 'peeters', '2024-03-01');
    const byClaes = await registers(ports, 'claes', '2024-02-01');

    // The same code whether the person has vaccinations or not: Lotte has none, Jan has two (none by Goossens).
    expect(ids(await read(ports, 'goossens'))).toEqual(['ACCESS_NO_CONSENT']);
    expect(ids(await read(ports, 'goossens', { insz: PATIENTS.lotte.insz }))).toEqual(['ACCESS_NO_CONSENT']);
    const own = await read(ports, 'peeters');
    expect(own).toMatchObject({ ok: true, basis: 'own-registrations', findings: [{ code: 'ACCESS_OWN_ONLY', severity: 'info' }] });
    expect(ids(own)).toEqual([byPeeters]);

    expect(await recordConsent({ insz: JAN, state: 'active', actor: operator }, ports)).toMatchObject({ ok: true, changed: true });
    expect(ids(await read(ports, 'goossens'))).toEqual(['ACCESS_NO_LINK']);

    const declared = await declareLink({ insz: JAN, party: doctorKey(DOCTORS.goossens.nihii), type: 'gp', proof: 'eid-chip', actor: operator }, ports);
    if (!declared.ok) throw new Error('link refused');
    expect(declared.row.end).toBe('2025-06-10T09:00:00.000Z');
    const all = await read(ports, 'goossens');
    expect(all).toMatchObject({ ok: true, basis: 'consent-and-link' });
    expect(all.ok && all.findings).toBeUndefined();
    expect(ids(all)).toEqual([byClaes, byPeeters]);

    clock.set('2024-03-11T09:00:00Z');
    expect(await endLink({ insz: JAN, id: declared.row.id, actor: operator }, ports)).toMatchObject({ ok: true });
    expect(ids(await read(ports, 'goossens'))).toEqual(['ACCESS_NO_LINK']);
    expect(ids(await read(ports, 'peeters'))).toEqual([byPeeters]);
    expect(await endLink({ insz: JAN, id: declared.row.id, actor: operator }, ports)).toMatchObject({
      ok: false,
      findings: [{ code: 'ACCESS_ALREADY_ENDED' }],
    });

    const reads = (await store.audit.forPerson(JAN)).filter((a) => a.action === 'read');
    expect(reads.map((a) => [a.actor, a.outcome])).toEqual([
      ['doctor:16543250004', 'ACCESS_NO_CONSENT'],
      ['doctor:14700250004', 'ACCESS_OWN_ONLY'],
      ['doctor:16543250004', 'ACCESS_NO_LINK'],
      ['doctor:16543250004', 'OK'],
      ['doctor:16543250004', 'ACCESS_NO_LINK'],
      ['doctor:14700250004', 'ACCESS_OWN_ONLY'],
    ]);
    expect(reads[3]!.detail).toBe(`access consent-and-link via doctor:16543250004 (link ${declared.row.id}); 2 vaccination(s)`);
    expect(reads[0]!.detail).toBe('access refused (ACCESS_NO_CONSENT); 0 vaccination(s)');
    expect(reads[1]!.detail).toBe('access own registrations only (ACCESS_NO_CONSENT); 1 vaccination(s)');
    const changes = (await store.audit.forPerson(JAN)).filter((a) => a.action === 'access').map((a) => a.detail);
    expect(changes).toEqual([expect.stringMatching(/^consent given/), expect.stringMatching(/^link .* declared/), expect.stringMatching(/^link .* ended/)]);
  });

  it("a group practice's link serves its members, and the practice's certificate; an exclusion of the member beats it", async () => {
    const { ports } = await setup();
    await registers(ports, 'claes', '2024-02-01');
    await recordConsent({ insz: JAN, state: 'active', actor: operator }, ports);
    const linde = organisationKey(ORGANISATIONS.deLinde.idType, ORGANISATIONS.deLinde.id);
    await declareLink({ insz: JAN, party: linde, type: 'organisation', proof: 'gmd', actor: operator }, ports);
    expect(await read(ports, 'goossens')).toMatchObject({ ok: true, basis: 'consent-and-link' });
    expect(await read(ports, 'deLinde')).toMatchObject({ ok: true, basis: 'consent-and-link' });
    // Claes is no member of De Linde; the HAIO Janssens neither (and Maes, her stagemeester, holds no link).
    expect(ids(await read(ports, 'janssens'))).toEqual(['ACCESS_NO_LINK']);
    await addExclusion({ insz: JAN, party: doctorKey(DOCTORS.goossens.nihii), actor: operator }, ports);
    expect(ids(await read(ports, 'goossens'))).toEqual(['ACCESS_EXCLUDED']);
  });

  it('a caller with own registrations reads them with `since` as always, also when none is that recent: OK, not a refusal', async () => {
    const { ports } = await setup();
    const byPeeters = await registers(ports, 'peeters', '2024-02-01');
    await registers(ports, 'claes', '2024-03-01');
    expect(ids(await read(ports, 'peeters', { since: '2024-01-01' }))).toEqual([byPeeters]);
    expect(await read(ports, 'peeters', { since: '2024-02-15' })).toMatchObject({ ok: true, vaccinations: [], basis: 'own-registrations' });
    // Goossens registered nothing: refused, with or without `since`.
    expect(ids(await read(ports, 'goossens', { since: '2024-02-15' }))).toEqual(['ACCESS_NO_CONSENT']);
  });

  it("a HAIO reads through its stagemeester's link", async () => {
    const { ports } = await setup();
    await registers(ports, 'claes', '2024-02-01');
    await recordConsent({ insz: JAN, state: 'active', actor: operator }, ports);
    await declareLink({ insz: JAN, party: doctorKey(DOCTORS.maes.nihii), type: 'gp', proof: 'eid-card-number', actor: operator }, ports);
    expect(await read(ports, 'janssens')).toMatchObject({ ok: true, basis: 'consent-and-link' });
  });

  it('a revoked consent closes reads again, and consent history keeps both events', async () => {
    const { store, ports, clock } = await setup();
    await registers(ports, 'claes', '2024-02-01');
    await recordConsent({ insz: JAN, state: 'active', actor: operator }, ports);
    await declareLink({ insz: JAN, party: doctorKey(DOCTORS.goossens.nihii), type: 'gp', proof: 'eid-chip', actor: operator }, ports);
    expect((await read(ports, 'goossens')).ok).toBe(true);
    clock.set('2024-04-01T09:00:00Z');
    expect(await recordConsent({ insz: JAN, state: 'revoked', actor: operator }, ports)).toMatchObject({ ok: true, changed: true });
    expect(await recordConsent({ insz: JAN, state: 'revoked', actor: operator }, ports)).toMatchObject({ ok: true, changed: false });
    expect(ids(await read(ports, 'goossens'))).toEqual(['ACCESS_NO_CONSENT']);
    expect((await store.access.consentHistory(JAN)).map((c) => c.state)).toEqual(['active', 'revoked']);
  });

  it('an operator reads with a reason, flagged; without one refused; both audited', async () => {
    const { store, ports } = await setup();
    await registers(ports, 'claes', '2024-02-01');
    const helpdesk = { kind: 'operator' as const, name: 'helpdesk' };
    expect(await getHistory({ actor: helpdesk, channel: 'cli', insz: JAN }, ports)).toMatchObject({
      ok: false,
      findings: [{ code: 'ACCESS_REASON_REQUIRED' }],
    });
    const withReason = await getHistory({ actor: helpdesk, channel: 'cli', insz: JAN, reason: 'ticket 42 about 85071412330' }, ports);
    expect(withReason).toMatchObject({ ok: true, basis: 'operator', findings: [{ code: 'ACCESS_OPERATOR_READ' }] });
    const reads = (await store.audit.forPerson(JAN)).filter((a) => a.action === 'read');
    expect(reads.map((a) => [a.actor, a.outcome, a.detail])).toEqual([
      ['operator:helpdesk', 'ACCESS_REASON_REQUIRED', 'access refused (ACCESS_REASON_REQUIRED); 0 vaccination(s)'],
      ['operator:helpdesk', 'ACCESS_OPERATOR_READ', 'access operator, reason "ticket 42 about 850714*****"; 1 vaccination(s)'],
    ]);
  });

  it('break-the-glass: off by default; when enabled it reads with a reason, flagged in the audit', async () => {
    const off = await setup(false);
    await registers(off.ports, 'claes', '2024-02-01');
    expect(ids(await read(off.ports, 'goossens', { breakTheGlass: true, reason: 'emergency' }))).toEqual(['ACCESS_BREAK_GLASS_DISABLED']);
    await store?.close();
    const on = await setup(true);
    await registers(on.ports, 'claes', '2024-02-01');
    expect(ids(await read(on.ports, 'goossens', { breakTheGlass: true }))).toEqual(['ACCESS_REASON_REQUIRED']);
    expect(await read(on.ports, 'goossens', { breakTheGlass: true, reason: 'emergency' })).toMatchObject({
      ok: true,
      basis: 'break-the-glass',
      findings: [{ code: 'ACCESS_BREAK_GLASS' }],
    });
    const last = (await on.store.audit.forPerson(JAN)).filter((a) => a.action === 'read').at(-1);
    expect(last).toMatchObject({
      outcome: 'ACCESS_BREAK_GLASS',
      detail: 'access break-the-glass instead of ACCESS_NO_CONSENT, reason "emergency"; 1 vaccination(s)',
    });
  });
});
