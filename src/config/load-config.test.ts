import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './configuration-error.js';
import { envKey, loadConfig } from './load-config.js';

function catchError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('maps option paths to VACCINNET_ environment variables', () => {
    expect(envKey('database.url')).toBe('VACCINNET_DATABASE_URL');
    expect(envKey('registry.personCheck')).toBe('VACCINNET_REGISTRY_PERSON_CHECK');
    expect(envKey('server.maxDeliveryBytes')).toBe('VACCINNET_SERVER_MAX_DELIVERY_BYTES');
  });

  it('defaults to an embedded SQLite file under the data dir, and environment variables override with typed coercion', () => {
    const c = loadConfig({ env: { VACCINNET_DATA_DIR: '/tmp/vn', VACCINNET_SERVER_PORT: '9443', VACCINNET_BATCH_WORKER_IN_PROCESS: 'false' } });
    expect(c.database.url).toBe('sqlite:/tmp/vn/vaccinnet.db');
    expect(c.server.port).toBe(9443);
    expect(c.batch.workerInProcess).toBe(false);
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  it('refuses a bad value with a sentence naming the key and its variable', () => {
    expect(() => loadConfig({ env: { VACCINNET_REGISTRY_PERSON_CHECK: 'maybe' } })).toThrow(
      /^Configuration error: registry.personCheck must be one of register, checksum, not "maybe" \(set it in the config file or VACCINNET_REGISTRY_PERSON_CHECK\)\.$/,
    );
    expect(() => loadConfig({ env: { VACCINNET_SERVER_PORT: 'abc' } })).toThrow(/server.port must be an integer in 0..65535, not "abc"/);
  });

  it('honours dataDir from the --config file for every default inside it; environment and flags win over the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-config-'));
    try {
      const file = path.join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ dataDir: path.join(dir, 'from-file'), server: { port: 9000 } }));
      const c = loadConfig({ file, env: {} });
      expect(c.dataDir).toBe(path.join(dir, 'from-file'));
      expect(c.database.url).toBe(`sqlite:${path.join(dir, 'from-file', 'vaccinnet.db')}`);
      expect(c.pki.dir).toBe(path.join(dir, 'from-file', 'pki'));
      expect(loadConfig({ file, env: { VACCINNET_DATA_DIR: path.join(dir, 'env') } }).pki.dir).toBe(path.join(dir, 'env', 'pki'));
      expect(loadConfig({ file, env: {}, overrides: { dataDir: path.join(dir, 'flag') } }).database.url).toBe(
        `sqlite:${path.join(dir, 'flag', 'vaccinnet.db')}`,
      );
      // metrics.port follows server.port unless set: 9001 here, any free port for server.port 0.
      expect(c.metrics.port).toBe(9001);
      expect(loadConfig({ file, env: {}, overrides: { 'server.port': 0 } }).metrics.port).toBe(0);
      expect(loadConfig({ file, env: { VACCINNET_METRICS_PORT: '9100' } }).metrics.port).toBe(9100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the documented VACCINNET_SERVER_CERT_FILE and VACCINNET_SERVER_KEY_FILE, and wants both or neither', () => {
    const c = loadConfig({ env: { VACCINNET_SERVER_CERT_FILE: '/etc/vaccinnet/server.pem', VACCINNET_SERVER_KEY_FILE: '/etc/vaccinnet/server.key' } });
    expect(c.server.certFile).toBe('/etc/vaccinnet/server.pem');
    expect(c.server.keyFile).toBe('/etc/vaccinnet/server.key');
    expect(() => loadConfig({ env: { VACCINNET_SERVER_CERT_FILE: '/etc/vaccinnet/server.pem' } })).toThrow(
      /server.keyFile is missing: server.certFile and server.keyFile go together \(set it in the config file or VACCINNET_SERVER_KEY_FILE\)/,
    );
  });

  it('refuses an unknown key and a wrong type with CONFIG_INVALID, naming every wrong key at once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-config-'));
    try {
      const file = path.join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ server: { prot: 9000, tls: 'yes' }, metrics: { enabled: true }, logging: {} }));
      const error = catchError(() => loadConfig({ file, env: {} }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.problems.map((p) => p.key).sort()).toEqual(['logging', 'server.prot', 'server.tls']);
      expect(error.message).toContain('Configuration error: server.prot is not an option (see docs/configuration.md).');
      expect(error.message).toContain('server.tls must be true or false, not "yes"');
      expect(loadConfig({ env: { VACCINNET_SERVER_TLS: '0' } }).server.tls).toBe(false);
      expect(() => loadConfig({ env: { VACCINNET_SERVER_TLS: 'yes' } })).toThrow(/server.tls must be true or false, not "yes"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bounds a long value and never repeats a secret one', () => {
    const long = catchError(() => loadConfig({ env: { VACCINNET_SERVER_CLIENT_CERTIFICATES: 'x'.repeat(5000) } }));
    expect(long.message.length).toBeLessThan(300);
    expect(long.message).toContain('…');
    const secret = catchError(() => loadConfig({ env: { VACCINNET_DATABASE_URL: 'mysql://admin:hunter2@db/vaccinnet' } }));
    expect(secret.message).toBe(
      'Configuration error: database.url must start with sqlite: or postgres://, not (hidden) (set it in the config file or VACCINNET_DATABASE_URL).',
    );
  });

  it('refuses timeouts that cannot work, and an unreadable config file, with a ConfigurationError', () => {
    expect(() => loadConfig({ env: { VACCINNET_SERVER_REQUEST_TIMEOUT_MS: '500', VACCINNET_SERVER_HEADERS_TIMEOUT_MS: '1000' } })).toThrow(
      /server.requestTimeoutMs must be ≥ server.headersTimeoutMs/,
    );
    expect(() => loadConfig({ env: { VACCINNET_SERVER_MAX_CONNECTIONS: '0' } })).toThrow(ConfigurationError);
    expect(() => loadConfig({ env: { VACCINNET_SERVER_TLS_MIN_VERSION: 'TLSv1' } })).toThrow(/server.tlsMinVersion must be one of TLSv1.2, TLSv1.3/);
    expect(() => loadConfig({ file: '/nonexistent/vaccinnet.json', env: {} })).toThrow(
      /the file \/nonexistent\/vaccinnet.json cannot be read: .* \(--config or VACCINNET_CONFIG\)/,
    );
  });
});
