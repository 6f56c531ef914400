import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCTORS, ORGANISATIONS, PATIENTS, SOFTWARE_IDS } from '../registry/demo-personas.js';
import { DEMO_PASSWORD } from '../server/demo/demo-seed.js';
import { startRegistryUnderTest, type RegistryUnderTest } from '../../test/support/registry-under-test.js';
import { registerBatchCommands } from './batch-command.js';
import { runCli, type CliRun } from './testing/run-cli.js';

const run = (args: readonly string[]): Promise<CliRun> => runCli(registerBatchCommands, args);

const AZ = ORGANISATIONS.azGroeninge;
const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('vaccinnet batch against a running registry (HTTPS, WS-Security, SQLite)', () => {
  let reg: RegistryUnderTest;
  let conn: string[];
  let dir: string;

  beforeAll(async () => {
    reg = await startRegistryUnderTest({ overrides: { 'batch.intervalSeconds': 3600 } });
    dir = reg.dataDir;
    const ca = path.join(dir, 'server-ca.pem');
    writeFileSync(ca, reg.registry.caPem!);
    conn = ['--p12', reg.credentials('azGroeninge').p12Path, '--password', DEMO_PASSWORD, '--url', reg.url, '--ca', ca];
  }, 120_000);

  afterAll(async () => {
    await reg?.close();
  });

  it('submits a CSV, reports "not processed yet" (exit 3), then waits for the result: all accepted (exit 0)', async () => {
    const { jan, emma } = PATIENTS;
    const csv = path.join(dir, 'group.csv');
    writeFileSync(
      csv,
      [
        'insz;firstname;familyname;birthdate;sex;cnk;date;lot;local_id',
        `${jan.insz};${jan.firstname};${jan.familyname};${jan.birthdate};M;4293254;${day(6)};FK0001;csv-jan-1`,
        `${emma.insz};${emma.firstname};${emma.familyname};${emma.birthdate};V;4293254;${day(4)};FK0002;csv-emma-1`,
        `${jan.insz};${jan.firstname};${jan.familyname};${jan.birthdate};M;1075712;${day(2)};;csv-jan-2`,
      ].join('\n'),
    );
    const submitted = await run([
      'batch',
      'submit',
      ...conn,
      '--software-id',
      SOFTWARE_IDS.azGroeninge,
      '--user-code',
      AZ.userCode,
      '--doctor-nihii',
      DOCTORS.wouters.nihii,
      csv,
    ]);
    expect(submitted.stderr).toContain('3 vaccination(s) for 2 person(s)');
    expect(submitted.code).toBe(0);
    const match = /^transaction id: ([0-9a-f-]{36})$/m.exec(submitted.stdout);
    expect(match, submitted.stdout).not.toBeNull();
    const id = match![1]!;
    expect(submitted.stdout).toContain(`npx vaccinnet batch result ${id} `);

    const early = await run(['batch', 'result', id, ...conn, '--user-code', AZ.userCode]);
    expect(early.code).toBe(3);

    const waiting = run(['batch', 'result', id, ...conn, '--user-code', AZ.userCode, '--wait']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await reg.registry.batch.worker!.runOnce()).toBe(1);
    const done = await waiting;
    expect(done.stderr).toMatch(/not processed yet after \d+s/);
    expect(done.stdout).toMatch(/850714\*{5}\s+csv-jan-1\s+OK/);
    expect(done.stdout).toMatch(/850714\*{5}\s+csv-jan-2\s+OK/);
    expect(done.stdout).not.toContain(jan.insz);
    expect(done.stdout.trimEnd().split('\n').at(-1)).toBe('2 person(s), 3 vaccination(s): 3 accepted, 0 refused');
    expect(done.code).toBe(0);
  }, 60_000);

  it('a generated batch of persons the register does not know is processed with refused rows (exit 1)', async () => {
    const file = path.join(dir, 'generated.xml');
    const org = ['--user-code', AZ.userCode, '--org-nihii', AZ.id, '--doctor-nihii', DOCTORS.wouters.nihii];
    expect((await run(['batch', 'generate', '--patients', '2', '--doses', '3', '--out', file, ...org])).code).toBe(0);
    const submitted = await run(['batch', 'submit', ...conn, '--software-id', SOFTWARE_IDS.azGroeninge, '--json', file]);
    expect(submitted.code).toBe(0);
    const { transactionId } = JSON.parse(submitted.stdout) as { transactionId: string };
    await reg.registry.batch.worker!.runOnce();
    const result = await run(['batch', 'result', transactionId, ...conn, '--user-code', AZ.userCode, '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { summary: unknown; folders: { transactions: { resultCode: string }[] }[] };
    expect(json.summary).toEqual({ accepted: 0, refused: 3 });
    // Refused for the one reason expected (register mode), not for the shape of the generated message.
    expect(json.folders.flatMap((f) => f.transactions.map((t) => t.resultCode))).toEqual(['INSZ_UNKNOWN', 'INSZ_UNKNOWN', 'INSZ_UNKNOWN']);
  }, 60_000);

  it('a softwareID of another organisation is refused at intake (exit 1)', async () => {
    const file = path.join(dir, 'generated.xml');
    const refused = await run(['batch', 'submit', ...conn, '--software-id', SOFTWARE_IDS.deLinde, file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^refused: \S+ — /);
  }, 60_000);
});
