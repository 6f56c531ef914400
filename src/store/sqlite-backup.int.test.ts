import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { registerVaccinations } from '../registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, personaMessage, seedPersonas } from '../registry/testing/index.js';
import { openStore } from './open-store.js';
import { registryPortsOf } from './registry-ports-of.js';
import { backupSqlite } from './sqlite-backup.js';
import type { Store } from './store.js';

const work = mkdtempSync(path.join(tmpdir(), 'vaccinnet-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function register(store: Store, from: number, count: number): Promise<void> {
  const ports = registryPortsOf(store);
  for (let n = from; n < from + count; n++) {
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.peeters,
        softwareId: SOFTWARE_IDS.peeters,
        channel: 'registratie',
        messages: [personaMessage({ sender: DOCTORS.peeters, patient: PATIENTS.jan, messageId: `backup-${n}` })],
      },
      ports,
    );
    expect(outcome.ok && outcome.messages[0]?.transactions[0]?.vaccinationId).toBeTruthy();
  }
}

async function counts(store: Store): Promise<{ vaccinations: number; registrationAudits: number }> {
  const v = await store.db
    .selectFrom('vaccinations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const a = await store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'register')
    .executeTakeFirstOrThrow();
  return { vaccinations: Number(v.n), registrationAudits: Number(a.n) };
}

describe('admin backup: an online SQLite backup, and a restore from it', () => {
  it('copies a consistent snapshot while registrations go on, and a registry restored from it reads it back', async () => {
    const live = path.join(work, 'live.db');
    const store = await openStore(`sqlite:${live}`);
    await store.migrate();
    await seedPersonas(store);
    await register(store, 0, 50);
    const before = await counts(store);

    // Registrations keep committing while the backup copies (the serve process does not stop for it).
    const writing = register(store, 50, 100);
    const report = await backupSqlite(live, path.join(work, 'backup.db'));
    await writing;
    const after = await counts(store);
    await store.close();

    expect(existsSync(path.join(work, 'backup.db.partial'))).toBe(false);
    expect(report.vaccinations).toBeGreaterThanOrEqual(before.vaccinations);
    expect(report.vaccinations).toBeLessThanOrEqual(after.vaccinations);

    // Restore (docs/operations.md): the backup file becomes the database of a stopped registry.
    const restoredFile = path.join(work, 'restored.db');
    copyFileSync(report.file, restoredFile);
    const restored = await openStore(`sqlite:${restoredFile}`);
    try {
      expect(await restored.migrate()).toEqual([]); // nothing left to migrate: the copy has every step
      const got = await counts(restored);
      // One snapshot: each copied vaccination has the audit row it was committed with, no more, no less.
      expect(got).toEqual({ vaccinations: report.vaccinations, registrationAudits: report.vaccinations });
      expect((await restored.vaccinations.history(PATIENTS.jan.insz)).length).toBe(report.vaccinations);
    } finally {
      await restored.close();
    }
  });

  it('`vaccinnet admin backup` writes the file, refuses to overwrite the database itself, and sends PostgreSQL to its own tools', () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const env: NodeJS.ProcessEnv = { ...process.env, USER: 'operator-anna' };
    delete env['VACCINNET_DATABASE_URL'];
    delete env['VACCINNET_DATA_DIR'];
    delete env['VACCINNET_CONFIG'];
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/vaccinnet.mjs'), ...args], { cwd: work, encoding: 'utf8', env });
    const database = path.join(work, 'cli.db');
    expect(run('admin', 'doctors', 'list', '--database', `sqlite:${database}`).status).toBe(0); // creates and migrates it
    const done = run('admin', 'backup', 'cli-backup.db', '--database', `sqlite:${database}`);
    expect(done.stderr).toBe('');
    expect(done.stdout).toMatch(/^backed up .*cli\.db to .*cli-backup\.db: \d+ bytes, 0 vaccination row\(s\), \d+ migration\(s\), integrity ok\n$/);
    expect(existsSync(path.join(work, 'cli-backup.db'))).toBe(true);
    expect(run('admin', 'backup', database, '--database', `sqlite:${database}`)).toMatchObject({
      status: 2,
      stderr: 'vaccinnet: the backup file must not be the database itself\n',
    });
    expect(run('admin', 'backup', 'x.db', '--database', 'postgres://postgres@127.0.0.1:5432/test')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/use pg_dump or pg_basebackup/),
    });
  }, 120_000);
});
