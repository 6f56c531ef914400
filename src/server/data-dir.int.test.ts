import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../cli/config-flags.js';
import { startRegistry } from './start-registry.js';

function post(url: string, ca: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ...(ca && { ca }), headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('<x/>');
  });
}

describe('dataDir from the --config file', () => {
  it('holds the database, the development CA and the batch spool; --data-dir still wins', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-datadir-'));
    const dataDir = path.join(dir, 'from-config');
    const file = path.join(dir, 'vaccinnet.json');
    writeFileSync(
      file,
      JSON.stringify({ dataDir, server: { port: 0 }, kmehr: { schemaDir: '' }, batch: { workerInProcess: false }, log: { level: 'silent' } }),
    );
    const registry = await startRegistry({ config: configFromFlags({ config: file }), logDestination: new Writable({ write: (_c, _e, done) => done() }) });
    try {
      expect(registry.config.dataDir).toBe(dataDir);
      expect(existsSync(path.join(dataDir, 'vaccinnet.db'))).toBe(true);
      expect(existsSync(path.join(dataDir, 'pki', 'ca.cert.pem'))).toBe(true);
      await post(`${registry.url}/VaccinnetUPL/wupl/UPLVaccinatieGegevens`, registry.caPem);
      expect(existsSync(path.join(dataDir, 'batch-spool'))).toBe(true);
    } finally {
      await registry.close();
    }
    const flagDir = path.join(dir, 'from-flag');
    expect(configFromFlags({ config: file, dataDir: flagDir }).pki.dir).toBe(path.join(flagDir, 'pki'));
    rmSync(dir, { recursive: true, force: true });
  });
});
