import { afterEach, describe, expect, it } from 'vitest';
import type { TherapeuticLink } from '../registry/access/access-model.js';
import type { Store } from './store.js';
import { testEngines } from './testing/test-engines.js';

const P = '85071412330';
const Q = '06070500252';
const link = (id: string, party: string, patientInsz = P): TherapeuticLink => ({
  patientInsz,
  id,
  party,
  type: 'gp',
  proof: 'eid-chip',
  start: '2025-01-01T00:00:00.000Z',
  end: '2026-04-01T00:00:00.000Z',
  declaredBy: 'operator:test',
});

describe.each(testEngines())('the access store on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('keeps the consent history; facts give the latest event at or before the moment asked', async () => {
    store = await engine.open();
    const a = store.access;
    await a.appendConsent({ patientInsz: P, id: 'c1', state: 'active', since: '2025-01-01T00:00:00.000Z', recordedBy: 'operator:x', channel: 'cli' });
    await a.appendConsent({ patientInsz: P, id: 'c2', state: 'revoked', since: '2025-03-01T00:00:00.000Z', recordedBy: 'operator:y', channel: 'web' });
    expect((await a.consentHistory(P)).map((c) => [c.id, c.state, c.recordedBy, c.channel])).toEqual([
      ['c1', 'active', 'operator:x', 'cli'],
      ['c2', 'revoked', 'operator:y', 'web'],
    ]);
    expect((await a.accessFacts(P, [], '2025-02-01T00:00:00.000Z')).consent?.state).toBe('active');
    expect((await a.accessFacts(P, [], '2025-03-01T00:00:00.000Z')).consent?.state).toBe('revoked');
    expect((await a.accessFacts(P, [], '2024-12-31T00:00:00.000Z')).consent).toBeUndefined();
    expect((await a.accessFacts(Q, [], '2025-02-01T00:00:00.000Z')).consent).toBeUndefined();
  });

  it('gives only the links and exclusions of the parties asked about, of that person', async () => {
    store = await engine.open();
    const a = store.access;
    await a.addLink(link('l1', 'doctor:14700250004'));
    await a.addLink(link('l2', 'doctor:19876585003'));
    await a.addLink(link('l3', 'doctor:14700250004', Q));
    await a.addExclusion({ patientInsz: P, id: 'x1', party: 'doctor:19876585003', since: '2025-01-02T00:00:00.000Z', recordedBy: 'operator:x' });
    const facts = await a.accessFacts(P, ['doctor:14700250004', 'org:NIHII-GROUP_DOCTORS:71000535'], '2025-06-01T00:00:00.000Z');
    expect(facts.links.map((l) => l.id)).toEqual(['l1']);
    expect(facts.links[0]).toEqual(link('l1', 'doctor:14700250004'));
    expect(facts.exclusions).toEqual([]);
    expect((await a.accessFacts(P, ['doctor:19876585003'], '2025-06-01T00:00:00.000Z')).exclusions.map((e) => e.id)).toEqual(['x1']);
  });

  it('ends a link once; a second end and an unknown id change nothing', async () => {
    store = await engine.open();
    const a = store.access;
    await a.addLink(link('l1', 'doctor:14700250004'));
    const ended = await a.endLink(P, 'l1', '2025-05-01T00:00:00.000Z', 'operator:x');
    expect(ended).toEqual({ changed: true, row: { ...link('l1', 'doctor:14700250004'), revokedAt: '2025-05-01T00:00:00.000Z', revokedBy: 'operator:x' } });
    expect(await a.endLink(P, 'l1', '2025-05-02T00:00:00.000Z', 'operator:y')).toMatchObject({ changed: false, row: { revokedBy: 'operator:x' } });
    expect(await a.endLink(Q, 'l1', '2025-05-02T00:00:00.000Z', 'operator:y')).toEqual({ changed: false });
    expect((await a.links(P)).map((l) => l.revokedAt)).toEqual(['2025-05-01T00:00:00.000Z']);
  });

  it('lifts an exclusion once', async () => {
    store = await engine.open();
    const a = store.access;
    await a.addExclusion({ patientInsz: P, id: 'x1', party: 'doctor:19876585003', since: '2025-01-02T00:00:00.000Z', recordedBy: 'operator:x' });
    expect(await a.liftExclusion(P, 'x1', '2025-02-01T00:00:00.000Z', 'operator:y')).toMatchObject({ changed: true, row: { liftedBy: 'operator:y' } });
    expect(await a.liftExclusion(P, 'x1', '2025-02-02T00:00:00.000Z', 'operator:z')).toMatchObject({ changed: false, row: { liftedBy: 'operator:y' } });
    expect(await a.exclusions(P)).toHaveLength(1);
  });

  it('refuses a second row with the same (person, id): the key leads with the INSZ', async () => {
    store = await engine.open();
    await store.access.addLink(link('l1', 'doctor:14700250004'));
    await expect(store.access.addLink(link('l1', 'doctor:19876585003'))).rejects.toThrow();
    await store.access.addLink(link('l1', 'doctor:19876585003', Q));
  });
});
