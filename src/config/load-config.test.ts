import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './configuration-error.js';
import { envKey, loadConfig } from './load-config.js';

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
      /registry.personCheck must be one of register, checksum \(set it in the config file or VACCINNET_REGISTRY_PERSON_CHECK\)/,
    );
    expect(() => loadConfig({ env: { VACCINNET_SERVER_PORT: 'abc' } })).toThrow(/server.port must be a number/);
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
      expect(loadConfig({ file, env: {}, overrides: { dataDir: path.join(dir, 'flag') } }).database.url).toBe(`sqlite:${path.join(dir, 'flag', 'vaccinnet.db')}`);
      // metrics.port follows server.port unless set: 9001 here, any free port for server.port 0.
      expect(c.metrics.port).toBe(9001);
      expect(loadConfig({ file, env: {}, overrides: { 'server.port': 0 } }).metrics.port).toBe(0);
      expect(loadConfig({ file, env: { VACCINNET_METRICS_PORT: '9100' } }).metrics.port).toBe(9100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses timeouts that cannot work, and an unreadable config file, with a ConfigurationError', () => {
    expect(() => loadConfig({ env: { VACCINNET_SERVER_REQUEST_TIMEOUT_MS: '500', VACCINNET_SERVER_HEADERS_TIMEOUT_MS: '1000' } })).toThrow(
      /server.requestTimeoutMs must be ≥ server.headersTimeoutMs/,
    );
    expect(() => loadConfig({ env: { VACCINNET_SERVER_MAX_CONNECTIONS: '0' } })).toThrow(ConfigurationError);
    expect(() => loadConfig({ env: { VACCINNET_SERVER_TLS_MIN_VERSION: 'TLSv1' } })).toThrow(/server.tlsMinVersion must be one of TLSv1.2, TLSv1.3/);
    expect(() => loadConfig({ file: '/nonexistent/vaccinnet.json', env: {} })).toThrow(/the file \/nonexistent\/vaccinnet.json \(--config or VACCINNET_CONFIG\) cannot be read/);
  });
});
