import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadP12 } from '../pki/pkcs12.js';
import { registerPkiCommands } from './pki-command.js';
import { runCli, type CliRun } from './testing/run-cli.js';

const run = (args: readonly string[]): Promise<CliRun> => runCli(registerPkiCommands, args);

const root = mkdtempSync(path.join(tmpdir(), 'vaccinnet-pki-cli-'));
const dir = path.join(root, 'pki');

beforeAll(async () => {
  const r = await run(['pki', 'init', '--dir', dir]);
  expect(r).toMatchObject({ code: 0, stdout: `${path.join(dir, 'ca.cert.pem')}\n` });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('vaccinnet pki', () => {
  it('refuses a second init in the same directory', async () => {
    expect((await run(['pki', 'init', '--dir', dir])).code).toBe(1);
  });

  it('issues a doctor .p12, shows it as valid, revokes it by file and shows it as revoked', async () => {
    const issued = await run(['pki', 'issue', 'doctor', '--id', '85071412330', '--name', 'An Peeters', '--password', 'pw', '--dir', dir]);
    expect(issued.code).toBe(0);
    const p12 = issued.stdout.trim();
    expect(path.basename(p12)).toMatch(/^SSIN=85071412330 \d{14}\.acc-p12$/);
    expect(path.dirname(p12)).toBe(path.join(dir, 'issued'));

    const shown = await run(['pki', 'show', p12, '--password', 'pw', '--dir', dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      'subject:     CN="SSIN=85071412330", OU=eHealth-platform Belgium, OU=An Peeters, OU="SSIN=85071412330", O=Federal Government, C=BE',
    );
    expect(shown.stdout).toContain('identity:    {"kind":"person","ssin":"85071412330","name":"An Peeters"}');
    expect(shown.stdout).toContain('alias:       authentication');
    expect(shown.stdout).toContain('verdict:     valid');

    const revoked = await run(['pki', 'revoke', p12, '--dir', dir]);
    const serial = new X509Certificate(loadP12(p12, 'pw').certificateDer).serialNumber.replace(/^0+/, '');
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${serial}\n${path.join(dir, 'crl.pem')}\n` });

    const after = await run(['pki', 'show', p12, '--password', 'pw', '--dir', dir]);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('verdict:     AUTH_CERT_REVOKED');
  });

  it('issues an organisation with type and application, and a group practice, into --out', async () => {
    const outDir = path.join(root, 'out');
    const org = await run([
      'pki',
      'issue',
      'organisation',
      '--type',
      'EHP',
      '--id',
      '1990001916',
      '--name',
      'VLAAMS AGENTSCHAP',
      '--application',
      'VITALINKGATEWAY',
      '--password',
      'pw',
      '--out',
      outDir,
      '--dir',
      dir,
      '--algorithm',
      '3des',
    ]);
    expect(org.code).toBe(0);
    expect(path.basename(org.stdout.trim())).toMatch(/^EHP=1990001916 \d{14}\.acc-p12$/);
    const shown = await run(['pki', 'show', org.stdout.trim(), '--password', 'pw', '--dir', dir]);
    expect(shown.stdout).toContain(
      'identity:    {"kind":"organisation","idType":"EHP","id":"1990001916","application":"VITALINKGATEWAY","name":"VLAAMS AGENTSCHAP"}',
    );

    const group = await run(['pki', 'issue', 'group', '--id', '10012378', '--name', 'De Linde', '--dir', dir]);
    expect(group.code).toBe(0);
    const [file, pw] = group.stdout.trim().split('\n');
    expect(path.basename(file ?? '')).toMatch(/^NIHII-GROUP_DOCTORS=10012378 /);
    expect(pw).toMatch(/^password: \S{12}$/);
    expect(loadP12(file ?? '', (pw ?? '').slice('password: '.length)).alias).toBe('authentication');
  });

  it('issues an already expired certificate with --not-before and --days', async () => {
    const r = await run([
      'pki',
      'issue',
      'haio',
      '--id',
      '90031500204',
      '--name',
      'Sara Janssens',
      '--password',
      'pw',
      '--not-before',
      '2020-01-01T00:00:00Z',
      '--days',
      '30',
      '--dir',
      dir,
    ]);
    const shown = await run(['pki', 'show', r.stdout.trim(), '--password', 'pw', '--dir', dir]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain('valid to:    2020-01-31T00:00:00.000Z');
    expect(shown.stdout).toContain('verdict:     AUTH_CERT_EXPIRED: The certificate SSIN=900315***** expired on 2020-01-31T00:00:00.000Z.');
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await run(['pki', 'issue', 'doctor', '--id', '123', '--name', 'X', '--dir', dir])).code).toBe(2);
    expect((await run(['pki', 'issue', 'organisation', '--id', '123', '--name', 'X', '--dir', dir])).code).toBe(2);
    expect((await run(['pki', 'issue', 'dentist', '--id', '85071412330', '--name', 'X', '--dir', dir])).code).toBe(2);
    expect((await run(['pki', 'issue', 'doctor', '--name', 'X', '--dir', dir])).code).toBe(2);
    expect((await run(['pki', 'revoke', '--dir', dir])).code).toBe(2);
    expect((await run(['pki', 'crl', '--days', '0', '--dir', dir])).code).toBe(2);
  });

  it('reports a missing CA and a wrong keystore password in one line with exit code 1', async () => {
    const missing = await run(['pki', 'crl', '--dir', path.join(root, 'nowhere')]);
    expect(missing).toMatchObject({ code: 1, stderr: `no CA in ${path.join(root, 'nowhere')} (run \`vaccinnet pki init\`)\n` });
    const issued = await run(['pki', 'issue', 'doctor', '--id', '85071412330', '--name', 'An', '--password', 'pw', '--dir', dir]);
    const wrong = await run(['pki', 'show', issued.stdout.trim(), '--password', 'nope', '--dir', dir]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Invalid password/);
  });

  it('refuses an unknown serial with exit code 1 and re-signs the CRL', async () => {
    const r = await run(['pki', 'revoke', '--serial', '0abc', '--dir', dir]);
    expect(r).toMatchObject({ code: 1, stderr: 'unknown serial ABC\n' });
    expect(await run(['pki', 'crl', '--dir', dir])).toMatchObject({ code: 0, stdout: `${path.join(dir, 'crl.pem')}\n` });
  });

  it('writes a server certificate and uses $VACCINNET_DATA_DIR/pki by default', async () => {
    vi.stubEnv('VACCINNET_DATA_DIR', root);
    const r = await run(['pki', 'server']);
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(dir, 'server.cert.pem')}\n` });
    expect(existsSync(path.join(dir, 'server.key.pem'))).toBe(true);
    const cert = new X509Certificate(readFileSync(path.join(dir, 'server.cert.pem')));
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
  });
});
