import { afterAll, describe, expect, it } from 'vitest';
import { DOCTORS, PATIENTS, UNREGISTERED_INSZ, seedPersonas } from '../../registry/testing/index.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { registerAdminCommands } from '../admin-command.js';
import { runCli, type CliRun } from '../testing/run-cli.js';

const { jan } = PATIENTS;
const LINDE = 'org:NIHII-GROUP_DOCTORS:71000535';

describe.each(testEngines())('vaccinnet admin consent / links / exclusions on $name', (engine) => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });
  async function fresh(): Promise<{ admin: (...args: string[]) => Promise<CliRun>; store: Store }> {
    const seeded = await engine.open();
    await seedPersonas(seeded);
    await seeded.close();
    const url = engine.lastUrl();
    const store = await openStore(url);
    stores.push(store);
    return { store, admin: (...args: string[]) => runCli(registerAdminCommands, ['admin', ...args, '--database', url, '--operator', 'tester']) };
  }

  it('consent give, again (unchanged), revoke, show: history kept, INSZ masked', async () => {
    const { admin, store } = await fresh();
    expect((await admin('consent', 'show', jan.insz)).stdout).toBe('consent of 850714*****: never recorded\n');
    expect((await admin('consent', 'give', jan.insz)).stdout).toMatch(/^consent of 850714\*{5} is active \(since /);
    expect((await admin('consent', 'give', jan.insz)).stdout).toBe('consent of 850714***** is active (unchanged)\n');
    expect((await admin('consent', 'revoke', jan.insz)).code).toBe(0);
    const shown = await admin('consent', 'show', jan.insz);
    expect(shown.stdout.split('\n')[0]).toBe('consent of 850714*****: revoked');
    expect(shown.stdout).not.toContain(jan.insz);
    expect((await store.access.consentHistory(jan.insz)).map((c) => [c.state, c.recordedBy, c.channel])).toEqual([
      ['active', 'operator:tester', 'cli'],
      ['revoked', 'operator:tester', 'cli'],
    ]);
  });

  it('links add (doctor or organisation, default validity by proof), list, end; refusals with their codes', async () => {
    const { admin } = await fresh();
    const added = await admin('links', 'add', jan.insz, '--doctor', DOCTORS.claes.nihii, '--proof', 'eid-card-number', '--start', '2025-01-31', '--json');
    expect(added.code, added.stderr).toBe(0);
    const link = JSON.parse(added.stdout) as { id: string; party: string; end: string; patientInsz: string };
    expect(link).toMatchObject({ party: `doctor:${DOCTORS.claes.nihii}`, end: '2026-04-30T00:00:00.000Z', patientInsz: '850714*****' });
    const practice = await admin('links', 'add', jan.insz, '--organisation', LINDE, '--type', 'organisation', '--proof', 'gmd', '--json');
    expect(JSON.parse(practice.stdout)).toMatchObject({ party: LINDE, type: 'organisation', proof: 'gmd' });

    const list = (await admin('links', 'list', jan.insz)).stdout;
    expect(list).toMatch(new RegExp(`^${link.id}\\s+doctor:${DOCTORS.claes.nihii}\\s+gp\\s+eid-card-number\\s`, 'm'));
    expect(list).toContain(LINDE);

    expect((await admin('links', 'end', jan.insz, link.id)).code).toBe(0);
    expect(await admin('links', 'end', jan.insz, link.id)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^refused: ACCESS_ALREADY_ENDED: /) });
    expect(await admin('links', 'end', jan.insz, 'nope')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^refused: ACCESS_RECORD_NOT_FOUND: /) });
    expect((await admin('links', 'list', jan.insz)).stdout).toMatch(new RegExp(`^${link.id}.*ended `, 'm'));

    expect(await admin('links', 'add', jan.insz, '--doctor', '10000000000')).toMatchObject({ code: 1, stderr: expect.stringMatching(/PROFILE_NONE|NIHII/) });
    expect(await admin('links', 'add', UNREGISTERED_INSZ, '--doctor', DOCTORS.claes.nihii)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^refused: INSZ_UNKNOWN: /),
    });
    expect(await admin('links', 'add', jan.insz, '--doctor', DOCTORS.claes.nihii, '--proof', 'hunch')).toMatchObject({ code: 2 });
    expect(await admin('links', 'add', jan.insz, '--doctor', DOCTORS.claes.nihii, '--end', '2000-01-01')).toMatchObject({ code: 2 });
    expect(await admin('links', 'add', jan.insz)).toMatchObject({ code: 2 });
  });

  it('exclusions add (once), list, lift', async () => {
    const { admin, store } = await fresh();
    const first = JSON.parse((await admin('exclusions', 'add', jan.insz, '--doctor', DOCTORS.claes.nihii, '--json')).stdout) as { id: string; status: string };
    expect(first.status).toBe('recorded');
    expect(JSON.parse((await admin('exclusions', 'add', jan.insz, '--doctor', DOCTORS.claes.nihii, '--json')).stdout)).toMatchObject({
      status: 'unchanged',
      id: first.id,
    });
    expect((await admin('exclusions', 'list', jan.insz)).stdout).toMatch(
      new RegExp(`^${first.id}\\s+doctor:${DOCTORS.claes.nihii}\\s+\\S+\\s+-\\s+operator:tester$`, 'm'),
    );
    expect((await admin('exclusions', 'lift', jan.insz, first.id)).code).toBe(0);
    expect(await admin('exclusions', 'lift', jan.insz, first.id)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^refused: ACCESS_ALREADY_ENDED: /) });
    expect((await store.access.exclusions(jan.insz))[0]).toMatchObject({ liftedBy: 'operator:tester' });
    const changes = (await store.audit.forPerson(jan.insz)).filter((a) => a.action === 'access');
    expect(changes.map((a) => a.detail)).toEqual([expect.stringMatching(/^exclusion .* of doctor:/), expect.stringMatching(/^exclusion .* lifted/)]);
  });
});
