import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCTORS, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, UNREGISTERED_INSZ } from '../registry/testing/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { registerAdminCommands } from './admin-command.js';
import { runCli, type CliRun } from './testing/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-admin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function csvFile(text: string): string {
  const file = path.join(dir, `persons-${++files}.csv`);
  writeFileSync(file, text);
  return file;
}

const { jan, lotte, emma } = PATIENTS;
const { peeters, maes, janssens, wouters } = DOCTORS;
const az = ORGANISATIONS.azGroeninge;
const AZ_KEY = 'org:NIHII-HOSPITAL:71000436';

describe.each(testEngines())('vaccinnet admin on $name', (engine) => {
  /** A fresh, empty database per test: its URL, and a store handle to check what the commands stored. */
  async function fresh(): Promise<{ admin: (...args: string[]) => Promise<CliRun>; store: Store }> {
    await (await engine.open()).close();
    const url = engine.lastUrl();
    const store = await openStore(url);
    stores.push(store);
    return { store, admin: (...args: string[]) => runCli(registerAdminCommands, ['admin', ...args, '--database', url, '--operator', 'tester']) };
  }
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('imports persons from a ";" CSV, then updates them from a "," CSV, with counts', async () => {
    const { admin, store } = await fresh();
    const first = csvFile(
      `insz;firstname;familyname;birthdate;sex\n${jan.insz};Jan;Vermeulen;1985-07-14;M\n${lotte.insz};Lotte;De Smet;30/06/2021;F\n"${emma.insz}";"Emma";"Willems";;\n`,
    );
    expect(await admin('persons', 'import', first)).toMatchObject({ code: 0, stdout: `imported 3 person(s) from ${first}: 3 new, 0 updated\n`, stderr: '' });
    expect(await store.persons.findPerson(lotte.insz)).toEqual({
      insz: lotte.insz,
      firstname: 'Lotte',
      familyname: 'De Smet',
      birthdate: '2021-06-30',
      sex: 'female',
    });
    // Birth date and sex left empty: taken from what the INSZ encodes.
    expect(await store.persons.findPerson(emma.insz)).toEqual({
      insz: emma.insz,
      firstname: 'Emma',
      familyname: 'Willems',
      birthdate: '2006-07-05',
      sex: 'female',
    });

    const second = csvFile(`InSZ,FirstName,FamilyName\r\n${jan.insz},Jan-Pieter,Vermeulen\r\n${UNREGISTERED_INSZ},Nieuw,Persoon\r\n`);
    const r = await admin('persons', 'import', second, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rows: 2, imported: 2, added: 1, updated: 1, skipped: 0, errors: [] });
    expect(await store.persons.findPerson(jan.insz)).toMatchObject({ firstname: 'Jan-Pieter', birthdate: '1985-07-14', sex: 'male' });
  });

  it('lists every invalid row with its line and code and imports nothing, unless --skip-invalid', async () => {
    const { admin, store } = await fresh();
    const file = csvFile(
      [
        'insz,firstname,familyname,birthdate,sex',
        `${jan.insz},Jan,Vermeulen,1985-07-14,M`,
        '85071412331,Wrong,Checksum,,',
        `${lotte.insz},,De Smet,,`,
        `${emma.insz},Emma,Willems,2006-07-06,F`,
        `${jan.insz},Jan,Twice,,`,
        `${UNREGISTERED_INSZ},Piet,Pot,31/02/1995,Q`,
        '',
      ].join('\n'),
    );
    const refused = await admin('persons', 'import', file);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.split('\n').filter(Boolean)).toEqual([
      'refused: line 3: INSZ_CHECKSUM: The INSZ/SSIN 850714***** at column insz has wrong check digits.',
      'refused: line 4: PERSON_CSV_INVALID: firstname is empty',
      'refused: line 5: PERSON_CSV_INVALID: birthdate 2006-07-06 does not match the birth date the INSZ encodes (2006-07-05)',
      'refused: line 6: PERSON_CSV_INVALID: INSZ 850714***** already on line 2',
      'refused: line 7: PERSON_CSV_INVALID: birthdate "31/02/1995" is not a date (YYYY-MM-DD or DD/MM/YYYY)',
      'refused: line 7: PERSON_CSV_INVALID: sex "Q" is not one of M, F, X (or male, female, unknown)',
      'refused: nothing imported: 5 of 6 row(s) are invalid; fix them or pass --skip-invalid',
    ]);
    expect(refused.stderr).not.toContain(jan.insz);
    expect(await store.persons.findPerson(jan.insz)).toBeUndefined();

    const skipped = await admin('persons', 'import', file, '--skip-invalid');
    expect(skipped).toMatchObject({ code: 0, stdout: `imported 1 person(s) from ${file}: 1 new, 0 updated; 5 invalid row(s) skipped\n` });
    expect(skipped.stderr).toContain('skipped: line 3: INSZ_CHECKSUM');
    expect(await store.persons.findPerson(jan.insz)).toMatchObject({ familyname: 'Vermeulen' });
    expect(await store.persons.findPerson(emma.insz)).toBeUndefined();
  });

  it('refuses a CSV whose header is wrong, and a file that does not exist (usage)', async () => {
    const { admin } = await fresh();
    const r = await admin('persons', 'import', csvFile('ssin;name\n85071412330;Jan\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 1: PERSON_CSV_INVALID: header: unknown column "ssin", unknown column "name", missing column "insz"');
    expect(await admin('persons', 'import', path.join(dir, 'nope.csv'))).toMatchObject({
      code: 2,
      stderr: `vaccinnet: no such file: ${path.join(dir, 'nope.csv')}\n`,
    });
  });

  it('adds, updates and lists doctors; refuses bad NIHII, SSIN and roles with their codes', async () => {
    const { admin, store } = await fresh();
    const add = (d: typeof peeters, ...roles: string[]): Promise<CliRun> =>
      admin(
        'doctors',
        'add',
        '--nihii',
        d.nihii,
        '--ssin',
        d.ssin,
        '--firstname',
        d.firstname,
        '--familyname',
        d.familyname,
        ...roles.flatMap((r) => ['--role', r]),
      );
    expect(await add(peeters)).toMatchObject({ code: 0, stdout: 'added doctor doctor:14700250004: An Peeters (doctor)\n' });
    expect(await add(maes, 'doctor', 'stagemeester')).toMatchObject({ code: 0, stdout: 'added doctor doctor:11478761004: Koen Maes (doctor, stagemeester)\n' });
    expect(await add(janssens, 'haio')).toMatchObject({ code: 0 });
    expect(await add(peeters, 'doctor,stagemeester')).toMatchObject({
      code: 0,
      stdout: 'updated doctor doctor:14700250004: An Peeters (doctor, stagemeester)\n',
    });
    expect(await store.profiles.findDoctor(peeters.nihii)).toMatchObject({ ssin: peeters.ssin, roles: ['doctor', 'stagemeester'], active: true });

    const badNihii = await admin('doctors', 'add', '--nihii', '14700260004', '--ssin', peeters.ssin, '--firstname', 'X', '--familyname', 'Y');
    expect(badNihii).toMatchObject({ code: 1, stderr: 'refused: NIHII_CHECKSUM: The NIHII number 14700260004 at --nihii has wrong check digits.\n' });
    const orgNihii = await admin('doctors', 'add', '--nihii', '71000436', '--ssin', wouters.ssin, '--firstname', 'X', '--familyname', 'Y');
    expect(orgNihii.stderr).toContain('NIHII_FORMAT');
    const badSsin = await admin('doctors', 'add', '--nihii', wouters.nihii, '--ssin', '80122420958', '--firstname', 'X', '--familyname', 'Y');
    expect(badSsin).toMatchObject({ code: 1, stderr: 'refused: INSZ_CHECKSUM: The INSZ/SSIN 801224***** at --ssin has wrong check digits.\n' });
    const sameSsin = await admin('doctors', 'add', '--nihii', wouters.nihii, '--ssin', peeters.ssin, '--firstname', 'X', '--familyname', 'Y');
    expect(sameSsin).toMatchObject({ code: 1, stderr: 'refused: the SSIN 700315***** already belongs to doctor 14700250004 (An Peeters)\n' });
    expect(await add(wouters, 'surgeon')).toMatchObject({ code: 2, stderr: 'vaccinnet: unknown --role surgeon; one of doctor, stagemeester, haio\n' });
    expect(await admin('doctors', 'add', '--nihii', wouters.nihii)).toMatchObject({ code: 2 });
    expect(await store.profiles.findDoctor(wouters.nihii)).toBeUndefined();

    const list = await admin('doctors', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^NIHII\s+NAME\s+SSIN\s+ROLES\s+ACTIVE\s+STAGEMEESTERS\s+SOFTWAREIDS$/);
    expect(list.stdout).toMatch(/11478761004\s+Koen Maes\s+751102\*{5}\s+doctor,stagemeester\s+yes/);
    expect(list.stdout).toMatch(/12345625005\s+Sofie Janssens\s+880521\*{5}\s+haio\s+yes/);
    expect(list.stdout).not.toContain(maes.ssin);
    const json = JSON.parse((await admin('doctors', 'list', '--json')).stdout) as { nihii: string; ssin: string }[];
    expect(json.map((d) => d.nihii)).toEqual([maes.nihii, janssens.nihii, peeters.nihii]);
    expect(json[0]).toMatchObject({ key: `doctor:${maes.nihii}`, ssin: '751102*****', roles: ['doctor', 'stagemeester'], stagemeesters: [], softwareIds: [] });
  });

  it('adds, lists, deactivates and activates organisations; refuses bad identifiers', async () => {
    const { admin, store } = await fresh();
    const added = await admin(
      'organisations',
      'add',
      '--type',
      'hospital',
      '--id-type',
      'nihii-hospital',
      '--id',
      az.id,
      '--name',
      az.name,
      '--user-code',
      az.userCode,
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(
      `added organisation ${AZ_KEY}: AZ GROENINGE (hospital)\nit cannot register until it has a responsible doctor: vaccinnet admin link responsible --organisation ${AZ_KEY} --doctor NIHII\n`,
    );
    const kortrijk = ORGANISATIONS.centrumKortrijk;
    expect(
      await admin(
        'organisations',
        'add',
        '--type',
        'vaccination-centre',
        '--id-type',
        'CBE',
        '--id',
        kortrijk.id,
        '--name',
        kortrijk.name,
        '--user-code',
        kortrijk.userCode,
        '--inactive',
      ),
    ).toMatchObject({ code: 0 });
    expect(await store.profiles.findOrganisation('CBE', kortrijk.id)).toMatchObject({ active: false, type: 'vaccination-centre', userCode: 'VCKORT01' });

    const badCbe = await admin('organisations', 'add', '--type', 'other', '--id-type', 'CBE', '--id', '0314595349', '--name', 'X', '--user-code', 'X1');
    expect(badCbe).toMatchObject({
      code: 1,
      stderr: 'refused: CBE_INVALID: The enterprise number (KBO/CBE) 0314595349 at --id is not valid (wrong check digits).\n',
    });
    const badNihii = await admin(
      'organisations',
      'add',
      '--type',
      'hospital',
      '--id-type',
      'NIHII-HOSPITAL',
      '--id',
      '71000437',
      '--name',
      'X',
      '--user-code',
      'X1',
    );
    expect(badNihii.stderr).toContain('NIHII_CHECKSUM');
    expect((await admin('organisations', 'add', '--type', 'castle', '--id-type', 'CBE', '--id', kortrijk.id, '--name', 'X', '--user-code', 'X1')).code).toBe(2);
    const badType = await admin('organisations', 'add', '--type', 'other', '--id-type', 'VAT', '--id', '1', '--name', 'X', '--user-code', 'X1');
    expect(badType).toMatchObject({ code: 2 });
    expect(badType.stderr).toContain('unknown --id-type VAT; one of NIHII, CBE, EHP, NIHII-HOSPITAL');

    const list = await admin('organisations', 'list');
    expect(list.stdout).toMatch(/^KEY\s+TYPE\s+NAME\s+USER CODE\s+ACTIVE\s+RESPONSIBLE\s+MEMBERS\s+SOFTWAREIDS\n/);
    expect(list.stdout).toMatch(/org:CBE:0314595348\s+vaccination-centre\s+VACCINATIECENTRUM KORTRIJK\s+VCKORT01\s+no\s+-\s+-\s+-/);
    expect(list.stdout).toMatch(/org:NIHII-HOSPITAL:71000436\s+hospital\s+AZ GROENINGE\s+AZGRON01\s+yes/);

    expect(await admin('organisations', 'deactivate', AZ_KEY)).toMatchObject({ code: 0, stdout: `organisation ${AZ_KEY} (AZ GROENINGE) is inactive\n` });
    expect(await store.profiles.findOrganisation('NIHII-HOSPITAL', az.id)).toMatchObject({ active: false });
    expect(await admin('organisations', 'activate', 'NIHII-HOSPITAL=71000436')).toMatchObject({
      code: 0,
      stdout: `organisation ${AZ_KEY} (AZ GROENINGE) is active\n`,
    });
    expect(await admin('organisations', 'activate', AZ_KEY)).toMatchObject({
      code: 0,
      stdout: `organisation ${AZ_KEY} (AZ GROENINGE) is active (unchanged)\n`,
    });
    expect(await store.profiles.findOrganisation('NIHII-HOSPITAL', az.id)).toMatchObject({ active: true });
    expect(await admin('organisations', 'deactivate', 'org:CBE:0878065378')).toMatchObject({
      code: 1,
      stderr: 'refused: PROFILE_NONE: No Vaccinnet profile exists for organisation org:CBE:0878065378.\n',
    });
    expect((await admin('organisations', 'deactivate', 'AZ Groeninge')).code).toBe(2);
  });

  it('links responsible doctors, members and HAIO → stagemeester, refusing what cannot be linked', async () => {
    const { admin, store } = await fresh();
    for (const [d, role] of [
      [peeters, 'doctor'],
      [maes, 'stagemeester'],
      [janssens, 'haio'],
      [wouters, 'doctor'],
    ] as const) {
      expect(
        (await admin('doctors', 'add', '--nihii', d.nihii, '--ssin', d.ssin, '--firstname', d.firstname, '--familyname', d.familyname, '--role', role)).code,
      ).toBe(0);
    }
    await admin('organisations', 'add', '--type', 'hospital', '--id-type', 'NIHII-HOSPITAL', '--id', az.id, '--name', az.name, '--user-code', az.userCode);

    expect(await admin('link', 'responsible', '--organisation', AZ_KEY, '--doctor', wouters.nihii)).toMatchObject({
      code: 0,
      stdout: `doctor ${wouters.nihii} (Pieter Wouters) is a responsible doctor of ${AZ_KEY}\n`,
    });
    expect((await admin('link', 'responsible', '--organisation', AZ_KEY, '--doctor', wouters.nihii)).stdout).toContain('(unchanged)');
    expect((await admin('link', 'member', '--organisation', AZ_KEY, '--doctor', peeters.nihii)).code).toBe(0);
    expect(await store.profiles.findOrganisation('NIHII-HOSPITAL', az.id)).toMatchObject({ responsibleDoctors: [wouters.nihii], members: [peeters.nihii] });

    expect(await admin('link', 'stagemeester', '--haio', janssens.nihii, '--stagemeester', maes.nihii)).toMatchObject({
      code: 0,
      stdout: `HAIO ${janssens.nihii} (Sofie Janssens) is linked to stagemeester ${maes.nihii} (Koen Maes)\n`,
    });
    expect(await store.profiles.findDoctor(janssens.nihii)).toMatchObject({ stagemeesters: [maes.nihii] });

    const notHaio = await admin('link', 'stagemeester', '--haio', peeters.nihii, '--stagemeester', wouters.nihii);
    expect(notHaio.code).toBe(1);
    expect(notHaio.stderr.split('\n').filter(Boolean)).toEqual([
      'refused: --haio 14700250004 (An Peeters) does not have the role haio (roles: doctor); add it with vaccinnet admin doctors add --role',
      'refused: --stagemeester 17654394001 (Pieter Wouters) does not have the role stagemeester (roles: doctor); add it with vaccinnet admin doctors add --role',
    ]);
    const unknown = await admin('link', 'responsible', '--organisation', AZ_KEY, '--doctor', DOCTORS.claes.nihii);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`PROFILE_NONE: No Vaccinnet profile exists for doctor ${DOCTORS.claes.nihii} (--doctor).`);
    expect((await admin('link', 'member', '--organisation', AZ_KEY, '--doctor', '123')).stderr).toContain('NIHII_FORMAT');
  });

  it('registers softwareIDs for doctors and organisations, refuses malformed or taken ones, moves with --move', async () => {
    const { admin, store } = await fresh();
    await admin('doctors', 'add', '--nihii', peeters.nihii, '--ssin', peeters.ssin, '--firstname', 'An', '--familyname', 'Peeters');
    await admin('doctors', 'add', '--nihii', maes.nihii, '--ssin', maes.ssin, '--firstname', 'Koen', '--familyname', 'Maes');
    await admin('organisations', 'add', '--type', 'hospital', '--id-type', 'NIHII-HOSPITAL', '--id', az.id, '--name', az.name, '--user-code', az.userCode);

    expect(await admin('softwareids', 'add', SOFTWARE_IDS.peeters, '--doctor', peeters.nihii)).toMatchObject({
      code: 0,
      stdout: `softwareID taktik_medispring registered for doctor:${peeters.nihii}\n`,
    });
    expect((await admin('softwareids', 'add', SOFTWARE_IDS.azGroeninge, '--organisation', AZ_KEY)).code).toBe(0);
    expect(await store.profiles.findSoftwareId(SOFTWARE_IDS.azGroeninge)).toEqual({ softwareId: SOFTWARE_IDS.azGroeninge, profileKey: AZ_KEY });

    expect(await admin('softwareids', 'add', 'taktik', '--doctor', peeters.nihii)).toMatchObject({
      code: 1,
      stderr: 'refused: SOFTWARE_ID_MALFORMED: The softwareID taktik is malformed: 1 part(s) separated by "_"; personal software needs 2.\n',
    });
    expect((await admin('softwareids', 'add', 'dxc_vaccinnet', '--organisation', AZ_KEY)).stderr).toContain('organisation software needs 3');
    expect((await admin('softwareids', 'add', 'a_b', '--doctor', peeters.nihii, '--organisation', AZ_KEY)).code).toBe(2);
    expect((await admin('softwareids', 'add', 'a_b', '--doctor', DOCTORS.claes.nihii)).stderr).toContain('PROFILE_NONE');

    const taken = await admin('softwareids', 'add', SOFTWARE_IDS.peeters, '--doctor', maes.nihii);
    expect(taken).toMatchObject({
      code: 1,
      stderr: `refused: SOFTWARE_ID_OTHER_PROFILE: The softwareID taktik_medispring is registered for another profile. (doctor:${peeters.nihii}); pass --move to move it to doctor:${maes.nihii}\n`,
    });
    expect(await admin('softwareids', 'add', SOFTWARE_IDS.peeters, '--doctor', maes.nihii, '--move')).toMatchObject({
      code: 0,
      stdout: `softwareID taktik_medispring moved from doctor:${peeters.nihii} to doctor:${maes.nihii}\n`,
    });

    const list = await admin('softwareids', 'list');
    expect(list.stdout).toBe(
      `SOFTWAREID                 PROFILE\n-------------------------  ---------------------------\ndxc_vaccinnet_azgroeninge  ${AZ_KEY}\ntaktik_medispring          doctor:${maes.nihii}\n`,
    );
    expect(JSON.parse((await admin('softwareids', 'list', '--json')).stdout)).toEqual([
      { softwareId: 'dxc_vaccinnet_azgroeninge', profileKey: AZ_KEY },
      { softwareId: 'taktik_medispring', profileKey: `doctor:${maes.nihii}` },
    ]);
    expect((await admin('organisations', 'list')).stdout).toMatch(/AZGRON01\s+yes\s+-\s+-\s+dxc_vaccinnet_azgroeninge/);
  });
});

describe('vaccinnet admin: where the database is', () => {
  it('--data-dir puts it at <dir>/vaccinnet.db, given before or after the sub-command; the empty listings say so', async () => {
    const dataDir = path.join(dir, 'data', 'nested');
    const before = await runCli(registerAdminCommands, ['admin', '--data-dir', dataDir, '--operator', 'x', 'doctors', 'list']);
    expect(before).toMatchObject({ code: 0, stdout: 'no doctors\n' });
    expect(existsSync(path.join(dataDir, 'vaccinnet.db'))).toBe(true);
    const after = await runCli(registerAdminCommands, ['admin', 'organisations', 'list', '--data-dir', dataDir]);
    expect(after).toMatchObject({ code: 0, stdout: 'no organisations\n' });
  });

  it('a database URL that is neither sqlite: nor postgres:// is a usage error naming the key', async () => {
    const r = await runCli(registerAdminCommands, ['admin', 'doctors', 'list', '--database', 'mysql://x']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain('database.url must start with sqlite: or postgres://');
  });
});
