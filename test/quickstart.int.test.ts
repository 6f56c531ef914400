/**
 * The README's quick start, verbatim: `npm start` (= `vaccinnet serve --demo`, here on a free port so tests can run
 * beside a developer's registry) prints a `vaccinnet register …` command; pasting it registers a vaccination and the
 * printed `vaccinnet get …` shows it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/registry-under-test.js';

const BIN = path.join(REPO_ROOT, 'bin/vaccinnet.mjs');
let cwd: string;
let server: ChildProcess;
let printed = '';

/** `npx vaccinnet …` as printed, run as the same entry point npx resolves to, split like a shell would. */
function runPrinted(line: string): { status: number | null; stdout: string; stderr: string } {
  const args = [...line.replace(/^\s*npx vaccinnet\s+/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'vaccinnet-quickstart-'));
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  expect(pkg.scripts.start).toBe('node bin/vaccinnet.mjs serve --demo');
  server = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (c: Buffer) => (printed += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (printed += c.toString()));
  const deadline = Date.now() + 100_000;
  while (!/npx vaccinnet get .*\n/.test(printed)) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the registry did not print its quick start:\n${printed}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(cwd, { recursive: true, force: true });
});

describe('quick start', () => {
  it('the printed register command registers a vaccination and the printed get command shows it', () => {
    const register = printed.split('\n').find((l) => l.trim().startsWith('npx vaccinnet register'));
    const get = printed.split('\n').find((l) => l.trim().startsWith('npx vaccinnet get'));
    expect(register, printed).toBeDefined();
    const reg = runPrinted(register!);
    expect(reg.stderr).toBe('');
    expect(reg.status).toBe(0);
    const id = /VaccinationId: ([0-9A-F]{32})/.exec(reg.stdout)?.[1];
    expect(id, reg.stdout).toBeDefined();

    const shown = runPrinted(get!);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(id);
    expect(shown.stdout).toContain('Comirnaty');
    expect(shown.stdout).toContain('lot FK1234');
  }, 180_000);

  it('the printed hospital commands deliver the demo batch and show every vaccination accepted', () => {
    const lines = printed.split('\n').map((l) => l.trim());
    const submit = lines.find((l) => l.startsWith('npx vaccinnet batch submit'));
    const result = lines.find((l) => l.startsWith('npx vaccinnet batch result'));
    expect(submit, printed).toBeDefined();
    const sent = runPrinted(submit!);
    expect(sent.status, sent.stderr).toBe(0);
    const transactionId = sent.stdout.trim().split('\n').at(-1)!;
    expect(transactionId).toMatch(/^[0-9a-f-]{36}$/);
    const shown = runPrinted(result!.replace('<transactionId>', transactionId));
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('3 person(s), 4 vaccination(s): 4 accepted, 0 refused');
  }, 180_000);

  it('stops cleanly on SIGTERM', async () => {
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => server.once('exit', r));
    expect(code).toBe(0);
  });
});
