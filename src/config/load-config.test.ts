import { describe, expect, it } from 'vitest';
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
});
