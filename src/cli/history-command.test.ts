import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerVaccinations } from '../registry/register-vaccinations.js';
import { removeVaccination } from '../registry/remove-vaccination.js';
import {
  DOCTORS,
  IDENTITIES,
  PATIENTS,
  SOFTWARE_IDS,
  UNREGISTERED_INSZ,
  fixedClock,
  personaMessage,
  seedPersonas,
  sequentialIds,
} from '../registry/testing/index.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { runCli, type CliRun } from './testing/run-cli.js';
import { registerHistoryCommand } from './history-command.js';

const { jan } = PATIENTS;

describe.each(testEngines())('vaccinnet history on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    vi.unstubAllEnvs();
  });

  /**
   * The persona cast, and Dr. Peeters registering three doses for Jan through the use case (as RegistratieService
   * does), then removing the second one. Returns the ids in registration order and a `history` runner on that database.
   */
  async function registered(): Promise<{ ids: string[]; history: (...args: string[]) => Promise<CliRun>; bare: (...args: string[]) => Promise<CliRun> }> {
    store = await engine.open();
    await seedPersonas(store);
    const ports = registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() });
    const ids: string[] = [];
    for (const date of ['2024-01-15', '2024-02-01', '2024-03-01']) {
      const outcome = await registerVaccinations(
        { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters, date })] },
        ports,
      );
      const id = outcome.ok ? outcome.messages[0]?.transactions[0]?.vaccinationId : undefined;
      if (!id) throw new Error(`registration failed: ${JSON.stringify(outcome)}`);
      ids.push(id);
    }
    const removed = await removeVaccination(
      {
        actor: IDENTITIES.peeters,
        softwareId: SOFTWARE_IDS.peeters,
        channel: 'registratie',
        patientId: jan.insz,
        vaccinationId: ids[1]!,
        reason: 'wrong date',
      },
      ports,
    );
    expect(removed).toMatchObject({ ok: true });
    const url = engine.lastUrl();
    // An operator reads with a stated reason (docs/access.md); `bare` leaves it out.
    return {
      ids,
      history: (...args: string[]) => runCli(registerHistoryCommand, ['history', ...args, '--reason', 'ticket 7', '--database', url]),
      bare: (...args: string[]) => runCli(registerHistoryCommand, ['history', ...args, '--database', url]),
    };
  }

  it('shows the active vaccinations as a table and leaves the removed one out', async () => {
    const { ids, history } = await registered();
    const r = await history(jan.insz, '--operator', 'alice');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('850714***** (Jan Vermeulen, born 1985-07-14): 2 active vaccination(s)');
    expect(lines[1]).toMatch(/^DATE\s+PRODUCT\s+LOT\s+REGISTRANT\s+CHANNEL\s+VACCINATIONID$/);
    expect(lines[3]).toMatch(new RegExp(`^2024-01-15\\s+Comirnaty.*\\s+FK1234\\s+doctor:${DOCTORS.peeters.nihii}\\s+registratie\\s+${ids[0]}$`));
    expect(lines[4]).toMatch(new RegExp(`^2024-03-01\\s+.*${ids[2]}$`));
    expect(r.stdout).not.toContain(ids[1]);
    expect(r.stdout).not.toContain(jan.insz);

    const since = await history(jan.insz, '--since', '2024-02-01', '--operator', 'alice');
    expect(since.stdout.split('\n')[0]).toBe('850714***** (Jan Vermeulen, born 1985-07-14): 1 active vaccination(s) since 2024-02-01');
    expect(since.stdout).toContain(ids[2]);
    expect(since.stdout).not.toContain(ids[0]);
  });

  it('with --audit lists registrations, the removal and the operator reads, each read itself audited', async () => {
    const { ids, history } = await registered();
    vi.stubEnv('USER', 'bob');
    await history(jan.insz, '--since', '2024-02-01');
    const r = await history(jan.insz, '--audit', '--operator', 'alice');
    expect(r.code).toBe(0);
    const audit = r.stdout.slice(r.stdout.indexOf('audit log'));
    expect(audit.split('\n')[0]).toBe('audit log (6 entries):');
    const rows = audit.split('\n').slice(3).filter(Boolean);
    expect(rows.map((l) => l.split(/\s{2,}/).slice(1, 5))).toEqual([
      ['register', 'OK', `doctor:${DOCTORS.peeters.nihii}`, 'registratie'],
      ['register', 'OK', `doctor:${DOCTORS.peeters.nihii}`, 'registratie'],
      ['register', 'OK', `doctor:${DOCTORS.peeters.nihii}`, 'registratie'],
      ['remove', 'OK', `doctor:${DOCTORS.peeters.nihii}`, 'registratie'],
      ['read', 'ACCESS_OPERATOR_READ', 'operator:bob', 'cli'],
      ['read', 'ACCESS_OPERATOR_READ', 'operator:alice', 'cli'],
    ]);
    expect(rows[3]).toContain(ids[1]);
    expect(rows[4]).toMatch(/access operator, reason "ticket 7"; 1 vaccination\(s\) since 2024-02-01$/);
    expect(rows[5]).toMatch(/2 vaccination\(s\)$/);

    const json = await history(jan.insz, '--audit', '--json', '--operator', 'carol');
    const parsed = JSON.parse(json.stdout) as {
      person: { insz: string; firstname: string };
      vaccinations: { id: string; patientInsz: string; lot: string; status: string; itemXml?: string }[];
      audit: { action: string; actor: string; subject: string; patientInsz: string }[];
    };
    expect(parsed.person).toEqual({ insz: '850714*****', firstname: 'Jan', familyname: 'Vermeulen', birthdate: '1985-07-14', sex: 'male' });
    expect(parsed.vaccinations.map((v) => [v.id, v.status, v.lot, v.patientInsz])).toEqual([
      [ids[0], 'active', 'FK1234', '850714*****'],
      [ids[2], 'active', 'FK1234', '850714*****'],
    ]);
    expect(parsed.vaccinations[0]!.itemXml).toBeUndefined();
    expect(parsed.audit.at(-1)).toMatchObject({ action: 'read', actor: 'operator:carol', subject: 'operator carol', patientInsz: '850714*****' });
    expect(parsed.audit[0]!.subject).toContain('SSIN=700315*****');
    expect(json.stdout).not.toContain(jan.insz);
    expect(json.stdout).not.toContain(DOCTORS.peeters.ssin);
  });

  it('without --reason the read is refused with ACCESS_REASON_REQUIRED, and that refusal is audited', async () => {
    const { bare } = await registered();
    expect(await bare(jan.insz, '--operator', 'alice')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^refused: ACCESS_REASON_REQUIRED: /),
    });
    const reads = (await store!.audit.forPerson(jan.insz)).filter((a) => a.action === 'read');
    expect(reads.map((a) => [a.actor, a.outcome])).toEqual([['operator:alice', 'ACCESS_REASON_REQUIRED']]);
  });

  it('a valid INSZ unknown to the register is refused as on writes (INSZ_UNKNOWN); bad input with its code or as usage', async () => {
    const { history } = await registered();
    expect(await history(UNREGISTERED_INSZ, '--operator', 'alice')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'refused: INSZ_UNKNOWN: The INSZ/SSIN 951010***** at the argument is not known to the person register.\n',
    });
    expect(await history('85071412331', '--operator', 'alice')).toMatchObject({
      code: 1,
      stderr: 'refused: INSZ_CHECKSUM: The INSZ/SSIN 850714***** at the argument has wrong check digits.\n',
    });
    expect(await history(jan.insz, '--since', '2024-02-30', '--operator', 'alice')).toMatchObject({
      code: 2,
      stderr: 'vaccinnet: --since must be a date YYYY-MM-DD, got "2024-02-30"\n',
    });
    expect(await history(jan.insz, '--operator', ' ')).toMatchObject({
      code: 2,
      stderr: 'vaccinnet: who is the operator? pass --operator NAME (recorded in the audit log)\n',
    });
    // Refused and usage calls read nothing, so they leave no read in the audit log.
    expect((await store!.audit.forPerson(jan.insz)).filter((a) => a.action === 'read')).toEqual([]);
  });
});
