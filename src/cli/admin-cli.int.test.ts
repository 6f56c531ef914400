import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'vaccinnet-admin-bin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A real `vaccinnet` process in a fresh folder, so the default data dir `./.vaccinnet` is the one used. */
function vaccinnet(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, USER: 'operator-anna' };
  delete env['VACCINNET_DATABASE_URL'];
  delete env['VACCINNET_DATA_DIR'];
  delete env['VACCINNET_CONFIG'];
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin/vaccinnet.mjs'), ...args], { cwd: work, encoding: 'utf8', env });
}

describe('node bin/vaccinnet.mjs admin … / history (real processes, through main.ts)', () => {
  it('an operator prepares a database in ./.vaccinnet and reads a history; exit codes 0, 1 and 2', () => {
    writeFileSync(path.join(work, 'persons.csv'), 'insz;firstname;familyname;birthdate;sex\n85071412330;Jan;Vermeulen;14/07/1985;M\n');
    expect(vaccinnet('admin', 'persons', 'import', 'persons.csv')).toMatchObject({
      status: 0,
      stdout: 'imported 1 person(s) from persons.csv: 1 new, 0 updated\n',
    });
    expect(vaccinnet('admin', 'doctors', 'add', '--nihii', '14700260004', '--ssin', '70031510167', '--firstname', 'X', '--familyname', 'Y')).toMatchObject({
      status: 1,
      stderr: 'refused: NIHII_CHECKSUM: The NIHII number 14700260004 at --nihii has wrong check digits.\n',
    });
    expect(vaccinnet('admin', 'doctors', 'add', '--nihii', '14700250004')).toMatchObject({
      status: 2,
      stderr: "error: required option '--ssin <ssin>' not specified\n",
    });

    const history = vaccinnet('history', '85071412330', '--audit', '--reason', 'first check');
    expect(history.status).toBe(0);
    expect(history.stdout).toMatch(/^850714\*{5} \(Jan Vermeulen, born 1985-07-14\): 0 active vaccination\(s\)\naudit log \(1 entries\):\n/);
    expect(history.stdout).toMatch(/read\s+ACCESS_OPERATOR_READ\s+operator:operator-anna\s+cli/);
  }, 120_000); // each process starts tsx: seconds on a loaded machine
});
