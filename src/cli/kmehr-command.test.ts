import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildVaccinationMessage } from '../kmehr/testing/message-builder.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import { registerKmehrCommands, type FileValidation } from './kmehr-command.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared/kmehr');
const unparsable = path.join(shared, 'samples/vitalink-evs/vaccination/vaccination-with-unparsable-content.xml');
const scratch = mkdtempSync(path.join(tmpdir(), 'kmehr-command-'));
const validFile = path.join(scratch, 'valid.xml');
writeFileSync(validFile, writeKmehr(buildVaccinationMessage()));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const savedSchemaDir = process.env.VACCINNET_SCHEMA_DIR;
afterEach(() => {
  if (savedSchemaDir === undefined) delete process.env.VACCINNET_SCHEMA_DIR;
  else process.env.VACCINNET_SCHEMA_DIR = savedSchemaDir;
});

/** Runs `vaccinnet <args>` on a fresh program in-process and collects what it prints and the exit code it sets. */
async function run(...args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  let code: number | undefined;
  let out = '';
  let err = '';
  const program = new Command('vaccinnet').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerKmehrCommands(program, (c) => {
    code = c;
  });
  await program.parseAsync(args, { from: 'user' });
  return { code, out, err };
}

describe('vaccinnet kmehr validate', () => {
  it('exits 0 and says valid for a valid message', async () => {
    const { code, out, err } = await run('kmehr', 'validate', validFile);
    expect(code).toBe(0);
    expect(out).toBe(`${validFile}: valid\n`);
    expect(err).toBe('');
  });

  it('exits 1 and lists each finding with file, position, severity, code, location, value and message', async () => {
    const { code, out } = await run('kmehr', 'validate', validFile, unparsable);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`${validFile}: valid`);
    expect(lines[1]).toBe(`${unparsable}: REFUSED (5 errors)`);
    expect(lines[2]).toBe(
      `  ${unparsable}:89: error KMEHR_XSD_INVALID at /kmehrmessage/folder[1]/text: ` +
        "The KMEHR message is not valid against the KMEHR 1.43 schema at /kmehrmessage/folder[1]/text: Element 'text': The attribute 'L' is required but missing.",
    );
    // The placeholder INSZ fails its check digits; the CLI shows it masked, never in full.
    expect(out).toContain('error INSZ_CHECKSUM at /kmehrmessage/folder[1]/patient/id[1] [value: 900101*****]');
    expect(out).not.toContain('90010100101');
    expect(out).toContain('[value: 12345678901]'); // a NIHII is not personal data
  });

  it('prints [{file, valid, findings}] with --json', async () => {
    const { code, out } = await run('kmehr', 'validate', '--json', validFile, unparsable);
    expect(code).toBe(1);
    const results = JSON.parse(out) as FileValidation[];
    expect(results.map((r) => [r.file, r.valid, r.findings.length])).toEqual([
      [validFile, true, 0],
      [unparsable, false, 5],
    ]);
    expect(results[1]!.findings[0]).toMatchObject({ code: 'KMEHR_XSD_INVALID', severity: 'error', line: 89 });
    const insz = results[1]!.findings.find((f) => f.code === 'INSZ_CHECKSUM')!;
    expect(insz.value).toBe('900101*****');
    expect(out).not.toContain('90010100101');
  });

  it('exits 2 with a clear message for a missing file, before validating anything', async () => {
    const missing = path.join(scratch, 'missing.xml');
    const { code, out, err } = await run('kmehr', 'validate', validFile, missing);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`vaccinnet kmehr validate: ${missing}: no such file\n`);
  });

  it('exits 2 when --schema-dir or VACCINNET_SCHEMA_DIR holds no KMEHR schema, and uses them when they do', async () => {
    const bad = await run('kmehr', 'validate', '--schema-dir', scratch, validFile);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`--schema-dir ${scratch} does not contain ehealth-kmehr/XSD/kmehr_elements-1_43.xsd`);
    process.env.VACCINNET_SCHEMA_DIR = scratch;
    expect((await run('kmehr', 'validate', validFile)).err).toContain(`VACCINNET_SCHEMA_DIR ${scratch} does not contain`);
    process.env.VACCINNET_SCHEMA_DIR = path.join(shared, 'schema');
    expect((await run('kmehr', 'validate', unparsable)).out).toContain('KMEHR_XSD_INVALID');
    expect((await run('kmehr', 'validate', '--schema-dir', path.join(shared, 'schema'), validFile)).code).toBe(0);
  });

  it('leaves a missing FILE argument to commander (main.ts turns it into exit 2)', async () => {
    await expect(run('kmehr', 'validate')).rejects.toSatisfy((e: unknown) => e instanceof CommanderError && e.code === 'commander.missingArgument');
  });
});

describe('node bin/vaccinnet.mjs kmehr validate (a real process, through main.ts)', () => {
  const vaccinnet = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(process.execPath, [path.join(repoRoot, 'bin/vaccinnet.mjs'), ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('prints the report and exits 0, 1 or 2', () => {
    const valid = vaccinnet('kmehr', 'validate', validFile);
    expect([valid.status, valid.stdout]).toEqual([0, `${validFile}: valid\n`]);
    const refused = vaccinnet('kmehr', 'validate', '--json', unparsable);
    expect(refused.status).toBe(1);
    expect((JSON.parse(refused.stdout) as FileValidation[])[0]!.findings[0]!.code).toBe('KMEHR_XSD_INVALID');
    const missing = vaccinnet('kmehr', 'validate', path.join(scratch, 'nope.xml'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect(vaccinnet('kmehr', 'validate').status).toBe(2); // commander's missing argument, mapped by main.ts
  }, 180_000); // four cold starts of the whole CLI through tsx; slow on a busy 2-core machine
});
