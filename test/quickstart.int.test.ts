/**
 * The README's quick start, verbatim: `npm start` (= `vaccinnet serve --demo`, here on a free port so tests can run
 * beside a developer's registry) prints a `vaccinnet register …` command; pasting it registers a vaccination and the
 * printed `vaccinnet get …` shows it. Run twice: with the default data folder (`./.vaccinnet`) and with
 * `--data-dir DIR` outside the working directory, where the CLI cannot find the development CA by itself (issue 11.11).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/registry-under-test.js';

const BIN = path.join(REPO_ROOT, 'bin/vaccinnet.mjs');

/** The environment of "a second terminal": none of the variables that would point the CLI at the data folder. */
function secondTerminalEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['VACCINNET_CA', 'VACCINNET_DATA_DIR', 'VACCINNET_URL', 'VACCINNET_P12_PASSWORD', 'VACCINNET_PKI_DIR']) delete env[name];
  return env;
}

function quickStartSuite(title: string, outsideDataDir: boolean): void {
  describe(title, () => {
    let cwd: string;
    let dataDir: string | undefined;
    let server: ChildProcess;
    let stdout = '';
    let stderr = '';

    /** `npx vaccinnet …` as printed, run as the same entry point npx resolves to, split like a shell would. */
    function runPrinted(line: string): { status: number | null; stdout: string; stderr: string } {
      const args = [...line.replace(/^\s*npx vaccinnet\s+/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const res = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: secondTerminalEnv() });
      return { status: res.status, stdout: res.stdout, stderr: res.stderr };
    }

    const printedLine = (prefix: string): string | undefined =>
      stderr
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.startsWith(prefix));

    beforeAll(async () => {
      cwd = mkdtempSync(path.join(tmpdir(), 'vaccinnet-quickstart-'));
      dataDir = outsideDataDir ? mkdtempSync(path.join(tmpdir(), 'vaccinnet-quickstart-data-')) : undefined;
      const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
      expect(pkg.scripts.start).toBe('node bin/vaccinnet.mjs serve --demo');
      const args = [BIN, 'serve', '--demo', '--port', '0', ...(dataDir ? ['--data-dir', dataDir] : [])];
      server = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: secondTerminalEnv() });
      server.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      server.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const deadline = Date.now() + 100_000;
      while (!/npx vaccinnet get .*\n/.test(stderr)) {
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the registry did not print its quick start:\n${stderr}\n${stdout}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 120_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      rmSync(cwd, { recursive: true, force: true });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('keeps its data where it was told', () => {
      expect(existsSync(path.join(cwd, '.vaccinnet'))).toBe(!outsideDataDir);
      if (dataDir) {
        expect(existsSync(path.join(dataDir, 'pki', 'ca.cert.pem'))).toBe(true);
        // The printed commands name the CA and the keystores by absolute path: nothing of it lies under the cwd.
        expect(printedLine('npx vaccinnet register')).toContain(`--ca ${path.join(dataDir, 'pki', 'ca.cert.pem')}`);
      } else {
        expect(printedLine('npx vaccinnet register')).not.toContain('--ca');
      }
    });

    it('the printed register command registers a vaccination and the printed get command shows it', () => {
      const register = printedLine('npx vaccinnet register');
      const get = printedLine('npx vaccinnet get');
      expect(register, stderr).toBeDefined();
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

      // The README's remove: the printed get command's options (they include --patient) with `remove` and `--id`.
      const removed = runPrinted(`${get!.replace('npx vaccinnet get', 'npx vaccinnet remove')} --id ${id}`);
      expect(removed.status, `${removed.stdout}${removed.stderr}`).toBe(0);
      expect(removed.stdout).toMatch(/^remove: OK/m);
      expect(runPrinted(get!).stdout).not.toContain(id);
    }, 180_000);

    it('the printed read-rule commands show both outcomes, then consent + link open the refused person, all audited', () => {
      const section = stderr.slice(stderr.indexOf('may read all of'), stderr.indexOf('As the hospital'));
      const lines = section
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('npx vaccinnet'));
      // Jan's get, Lotte's get, her consent, her link, her audit log ("the same get then shows her vaccination").
      expect(lines, stderr).toHaveLength(5);
      const [readable, refused, consent, link, history] = lines as [string, string, string, string, string];

      const jan = runPrinted(readable);
      expect(jan.status, jan.stderr).toBe(0);
      expect(jan.stdout).toContain('lot DEMO1');
      const lotte = runPrinted(refused);
      expect(lotte.status).toBe(1);
      expect(lotte.stdout).toMatch(/^refused: ACCESS_NO_CONSENT — The person has no active/);
      expect(`${lotte.stdout}${lotte.stderr}`).not.toContain('DEMO2');

      expect(runPrinted(consent)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^consent of 210630\*{5} is active/) });
      expect(runPrinted(link)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^link [0-9a-f]{16}: doctor:14700250004/) });
      const opened = runPrinted(refused);
      expect(opened.status, opened.stderr).toBe(0);
      expect(opened.stdout).toContain('lot DEMO2');

      const audit = runPrinted(history);
      expect(audit.status, audit.stderr).toBe(0);
      const reads = audit.stdout.split('\n').filter((l) => /^\S+\s+read\s/.test(l));
      expect(reads.map((l) => l.split(/\s{2,}/)[2])).toEqual(['ACCESS_NO_CONSENT', 'OK', 'ACCESS_OPERATOR_READ']);
    }, 180_000);

    it('the printed hospital commands deliver the demo batch and show every vaccination accepted', () => {
      const submit = printedLine('npx vaccinnet batch submit');
      const result = printedLine('npx vaccinnet batch result');
      expect(submit, stderr).toBeDefined();
      const sent = runPrinted(submit!);
      expect(sent.status, sent.stderr).toBe(0);
      const transactionId = /^transaction id: ([0-9a-f-]{36})$/m.exec(sent.stdout)?.[1];
      expect(transactionId, sent.stdout).toBeDefined();
      expect(sent.stdout).toContain(`npx vaccinnet batch result ${transactionId} `);
      const shown = runPrinted(result!.replace('<transactionId>', transactionId!));
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('3 person(s), 4 vaccination(s): 4 accepted, 0 refused');
    }, 180_000);

    it('stops cleanly on SIGTERM, having written only JSON log lines on stdout and the human text on stderr', async () => {
      server.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => server.once('exit', r));
      expect(code).toBe(0);
      const lines = stdout.split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
      expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toContain('registry started');
      expect(stderr).toMatch(/^Vaccinnet registry listening on https:\/\/127\.0\.0\.1:\d+ /m);
      expect(stderr).not.toMatch(/^\{"level"/m);
    });
  });
}

quickStartSuite('quick start (data in ./.vaccinnet)', false);
quickStartSuite('quick start (--data-dir outside the working directory)', true);
