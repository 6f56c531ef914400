import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';

let t: RegistryWithLog;
let port: string;

beforeAll(async () => {
  t = await startRegistryWithLog();
  port = new URL(t.registry.url).port;
});
afterAll(async () => {
  await t?.close();
});

/** `openssl s_client` with the given options: whether a handshake was completed and which suite was agreed. */
function handshake(args: string[]): Promise<{ ok: boolean; cipher?: string; protocol?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (out += c));
    child.on('error', reject);
    child.on('close', () => {
      const cipher = /Cipher is (\S+)/.exec(out)?.[1];
      const protocol = /Protocol\s*:\s*(\S+)/.exec(out)?.[1] ?? /New, (TLSv[\d.]+)/.exec(out)?.[1];
      resolve({ ok: cipher !== undefined && cipher !== '(NONE)', ...(cipher && { cipher }), ...(protocol && { protocol }) });
    });
    child.stdin.end('Q\n');
  });
}

describe('TLS profile (server.tlsMinVersion, server.tlsCiphers)', () => {
  it('accepts TLS 1.3', async () => {
    expect(await handshake(['-tls1_3'])).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
  });

  it('accepts TLS 1.2 with ECDHE + AES-GCM and ChaCha20-Poly1305', async () => {
    expect(await handshake(['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'])).toMatchObject({ ok: true, cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(await handshake(['-tls1_2', '-cipher', 'ECDHE-RSA-CHACHA20-POLY1305'])).toMatchObject({ ok: true, cipher: 'ECDHE-RSA-CHACHA20-POLY1305' });
  });

  it('refuses static RSA key exchange, CBC and SHA-1 suites on TLS 1.2', async () => {
    for (const cipher of ['AES128-SHA', 'AES256-SHA', 'AES128-GCM-SHA256', 'AES256-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
      expect(await handshake(['-tls1_2', '-cipher', cipher]), cipher).toMatchObject({ ok: false });
    }
  });

  it('refuses TLS 1.1 and 1.0', async () => {
    expect(await handshake(['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'])).toMatchObject({ ok: false });
    expect(await handshake(['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'])).toMatchObject({ ok: false });
  });
});

describe('server.tlsMinVersion = TLSv1.3', () => {
  it('refuses TLS 1.2 even with a good suite', async () => {
    const strict = await startRegistryWithLog({ 'server.tlsMinVersion': 'TLSv1.3' });
    const saved = port;
    port = new URL(strict.registry.url).port;
    try {
      expect(await handshake(['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'])).toMatchObject({ ok: false });
      expect(await handshake(['-tls1_3'])).toMatchObject({ ok: true });
    } finally {
      port = saved;
      await strict.close();
    }
  });
});
