import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { startRegistry } from '../../server/start-registry.js';
import { claimSpoolFile, releaseSpoolFile, sweepSpool } from './spool-files.js';

const root = mkdtempSync(path.join(tmpdir(), 'vaccinnet-spool-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOUR = 3_600_000;

/** Writes `file` with its mtime `ageMs` in the past. */
function leftover(file: string, ageMs: number): string {
  writeFileSync(file, '<kmehrmessage/>');
  const t = new Date(Date.now() - ageMs);
  utimesSync(file, t, t);
  return file;
}

describe('spool sweeping', () => {
  it('removes old spool files no intake holds, and keeps fresh ones, ones in progress and other files', () => {
    const dir = path.join(root, 'sweep');
    mkdirSync(dir, { recursive: true });
    const crashed = leftover(path.join(dir, 'a1b2.kmehr.xml'), 2 * HOUR);
    const fresh = leftover(path.join(dir, 'c3d4.kmehr.xml'), 60_000);
    const notSpool = leftover(path.join(dir, 'notes.txt'), 5 * HOUR);
    const running = leftover(claimSpoolFile(dir), 3 * HOUR);

    expect(sweepSpool(dir, new Date(), HOUR)).toEqual([crashed]);
    expect([crashed, fresh, notSpool, running].map(existsSync)).toEqual([false, true, true, true]);

    // Once its intake is done the file is deleted, and a later sweep has nothing left to do.
    releaseSpoolFile(running);
    expect(existsSync(running)).toBe(false);
    expect(sweepSpool(dir, new Date(Date.now() + 2 * HOUR), HOUR)).toEqual([fresh]);
    expect(sweepSpool(path.join(root, 'missing'))).toEqual([]);
  });

  it('the registry removes leftovers of a crashed intake when it starts', async () => {
    const dataDir = path.join(root, 'registry');
    const spool = path.join(dataDir, 'batch-spool');
    mkdirSync(spool, { recursive: true });
    const crashed = leftover(path.join(spool, '0f0e.kmehr.xml'), 2 * HOUR);
    const config = loadConfig({
      env: {},
      overrides: { dataDir, 'server.port': 0, 'server.tls': false, 'kmehr.schemaDir': '', 'log.level': 'silent', 'batch.workerInProcess': false },
    });
    const registry = await startRegistry({ config, logDestination: new Writable({ write: (_c, _e, done) => done() }) });
    try {
      expect(existsSync(crashed)).toBe(false);
    } finally {
      await registry.close();
    }
  }, 60_000);
});
